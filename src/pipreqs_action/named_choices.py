"""Alternatives chosen by name: an import in a branch that runs only when some value names that very package.

Code that works with one of several implementations often picks by name, with another branch for the rest::

    if TORCH_VERSION == "parrots":             # a vendor's build of the framework reports its own name
        from parrots.nn.modules.conv import _ConvNd
    else:
        from torch.nn.modules.conv import _ConvNd

    if settings.JSON_LIBRARY == "orjson":
        import orjson as json
    elif settings.JSON_LIBRARY == "ujson":
        import ujson as json
    else:
        import json

The branch importing ``orjson`` runs only where the compared value says ``"orjson"``: whoever chooses it installs
it, and everyone else runs another branch. So such an import is optional, with the test shown to the user.

All of it must hold, so that an option the app cannot run without stays an alarm:
- the branch's test compares a value with a string that is the import's own top-level name (``== "orjson"``, one
  of ``in ("orjson", ...)``, or the ``else`` of ``!= "orjson"``; an ``and`` of such tests counts);
- the ``if`` has another branch (an ``elif`` or an ``else``): without one, the code has no way round the package,
  only a feature that is on or off (``if logger == "wandb": import wandb`` stays required).

A top-level import of the same package elsewhere in the app still needs it. Only ``.py`` files are read again,
and only those where an import's name appears as a quoted string.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from pipreqs_action.files import read_source
from pipreqs_action.imports.raw import dynamic_target, imports_of
from pipreqs_action.model import ImportRef, ScanResult, SourceText

__all__ = ["apply", "chosen_imports"]

_MAX_TEST = 80  # characters of the test quoted in a reason
_CHOSEN = "an alternative chosen by name: only where"
_OTHERWISE = ", another branch does without it"


def apply(scan: ScanResult, root: Path) -> ScanResult:
    """The scan with imports made only in a branch chosen by the package's own name optional, saying which test."""
    wanted: dict[str, set[str]] = {}
    for ref in scan.imports:
        if _needed(ref) and ref.location.path.endswith((".py", ".pyw")):
            wanted.setdefault(ref.location.path, set()).add(ref.root)
    reasons: dict[tuple[str, int, str], str] = {}
    for path, roots in sorted(wanted.items()):
        for line, name, reason in _chosen_in_file(root, path, roots):
            reasons.setdefault((path, line, name), reason)
    if not reasons:
        return scan
    return scan._replace(imports=tuple(_optional_if_chosen(ref, reasons) for ref in scan.imports))


def _chosen_in_file(root: Path, path: str, roots: set[str]) -> list[tuple[int, str, str]]:
    source = read_source(root, path)
    if not isinstance(source, SourceText):
        return []
    quoted = {name for name in roots if f'"{name}"' in source.text or f"'{name}'" in source.text}
    if not quoted:
        return []  # most files never name an imported package in a string: no parse
    try:
        found = list(chosen_imports(ast.parse(source.text), quoted))
    except (SyntaxError, ValueError, RecursionError):  # not Python 3 here, or nested past the parser's depth
        return []
    return [(line, name, f"{reason} ({path}:{test_line})") for line, name, reason, test_line in found]


def _optional_if_chosen(ref: ImportRef, reasons: dict[tuple[str, int, str], str]) -> ImportRef:
    reason = reasons.get((ref.location.path, ref.location.line, ref.root))
    if reason is None or not _needed(ref):
        return ref
    return ref._replace(optional=True, reason=reason)


def _needed(ref: ImportRef) -> bool:
    return not (ref.optional or ref.type_only or ref.secondary)


_Frame = tuple[ast.AST, dict[str, tuple[str, int]]]  # a node, and the names chosen around it: name -> (test, line)


def chosen_imports(tree: ast.AST, names: set[str]) -> Iterator[tuple[int, str, str, int]]:
    """(import line, top-level name, reason, line of the test) for each import of one of ``names`` made only in a
    branch chosen by that name (see the module's docstring)."""
    stack: list[_Frame] = [(tree, {})]
    while stack:
        node, chosen = stack.pop()
        if chosen and isinstance(node, (ast.Import, ast.ImportFrom, ast.Call)):
            for module in _modules(node):
                name = module.partition(".")[0]
                if name in chosen:
                    test, line = chosen[name]
                    yield node.lineno, name, f"{_CHOSEN} {test}{_OTHERWISE}", line
        if isinstance(node, ast.If):
            stack.extend(_branches(node, chosen, names))
        elif chosen or not isinstance(node, ast.expr):  # no ``if`` inside an expression: nothing chosen below it
            stack.extend((child, chosen) for child in ast.iter_child_nodes(node))


def _modules(node: ast.Import | ast.ImportFrom | ast.Call) -> list[str]:
    if isinstance(node, ast.Call):
        target = dynamic_target(node)
        return [target] if target else []
    return [raw.module for raw in imports_of(node)]


def _branches(node: ast.If, chosen: dict[str, tuple[str, int]], names: set[str]) -> list[_Frame]:
    """The tests, bodies and final ``else`` block of an ``if``/``elif`` chain, each with the names that choose it.

    A body is chosen by its test only when the chain has another branch (every ``elif`` has the one above it); the
    blocks after a test (its ``elif``s and ``else``) run only when it is false, so its falsehood holds in them."""
    frames: list[_Frame] = []
    current, chained = node, False
    while True:
        frames.append((current.test, chosen))
        body, otherwise = _named(current.test, names)
        inside = {**chosen, **body} if current.orelse or chained else chosen
        frames += [(statement, inside) for statement in current.body]
        chosen = {**chosen, **otherwise}
        if not (len(current.orelse) == 1 and isinstance(current.orelse[0], ast.If)):
            return frames + [(statement, chosen) for statement in current.orelse]
        current, chained = current.orelse[0], True


def _named(test: ast.expr, names: set[str]) -> tuple[dict[str, tuple[str, int]], dict[str, tuple[str, int]]]:
    """The names among ``names`` that the test's truth chooses, and those its falsehood chooses, with the test."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        body, otherwise = _named(test.operand, names)
        return otherwise, body
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        found: dict[str, tuple[str, int]] = {}
        for value in test.values:
            found.update(_named(value, names)[0])
        return found, {}
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return {}, {}
    op, left, right = test.ops[0], test.left, test.comparators[0]
    strings = _strings(right) or (_strings(left) if isinstance(op, (ast.Eq, ast.NotEq)) else [])
    hits = {name: (_quoted(test), test.lineno) for name in names if name in strings}
    if isinstance(op, (ast.Eq, ast.In)):
        return hits, {}
    if isinstance(op, (ast.NotEq, ast.NotIn)) and len(strings) == 1:
        return {}, hits
    return {}, {}


def _strings(node: ast.expr) -> list[str]:
    items = node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else [node]
    return [item.value for item in items if isinstance(item, ast.Constant) and isinstance(item.value, str)]


def _quoted(test: ast.expr) -> str:
    text = ast.unparse(test)
    return text if len(text) <= _MAX_TEST else text[: _MAX_TEST - 3] + "..."
