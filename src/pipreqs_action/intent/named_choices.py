"""Imports in a branch chosen at run time: by the package's own name, or by a value the app is given.

**Chosen by name.** Code that works with one of several implementations often picks by name, with another branch
for the rest::

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
- the ``if`` has another branch (an ``elif`` or an ``else``): without one, the name alone says nothing (``if
  logger == "wandb": import wandb`` is chosen only if ``logger`` is a value read at run time, below).
This holds of a version test too (``TORCH_VERSION == "parrots"``), which a choice by value never is.

**Chosen by a value.** A function that serves one of several providers, backends or file types imports each
one's package in the branch that serves it, and a module may load an integration only where its deployment
configures it::

    def run_query(self, query):
        if self.configuration.get("cluster"):   # a data source's option
            from clusterdb import Client
        ...
    def to_png(path):
        if path.endswith(".svg"):               # a file type
            import svglib

    SENTRY_DSN = os.environ.get("SENTRY_DSN")
    if SENTRY_DSN:                              # a deployment's setting
        import sentry_sdk

The branch runs only when a value read at run time (a setting, an argument, an attribute, a file's name) chooses
it: the app starts and serves without the package, and whoever sets that value installs it. So an import in the
body of an ``if``/``elif`` (or a ``case`` of a ``match``) whose test reads such a value is optional, with the test
as its reason. ``value_tests`` says which tests are such a choice: not a version, platform, typing, ``__main__``,
availability or lazy set-up test, not a negation (its body is the default), not one reading a module constant
assigned a literal. A final ``else`` is the default too: never chosen by value. An import one call away, in a
function that only such branches call, is ``chosen_calls``' business.

A top-level import of the same package elsewhere in the app still needs it. Only ``.py`` files are read again, and
only those where an import's name appears as a quoted string or an import sits in a block (indented).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from pipreqs_action.imports.raw import dynamic_target, imports_of
from pipreqs_action.intent import chosen_calls
from pipreqs_action.intent.value_tests import BY_VALUE, LiteralConstants, chooses_by_value
from pipreqs_action.model import ImportRef, ScanResult, SourceText
from pipreqs_action.reading.files import read_source

__all__ = ["Choice", "apply", "chosen_imports", "run_time_choices"]

_MAX_TEST = 80  # characters of the test quoted in a reason
_CHOSEN = "an alternative chosen by name: only where"
_OTHERWISE = ", another branch does without it"


class Choice(NamedTuple):
    """An import made only in a branch chosen at run time: where, which package, why (the test, its line)."""

    line: int
    name: str
    reason: str  # without the file's path, which ``apply`` adds
    test_line: int


def apply(scan: ScanResult, root: Path, exclude: Iterable[str] = ()) -> ScanResult:
    """The scan with imports made only in a branch chosen at run time optional, saying which test chooses them.

    ``exclude``: the check's own exclusions, for the search of a public function's name in the other files."""
    wanted: dict[str, set[str]] = {}
    lines: dict[str, set[int]] = {}
    for ref in scan.imports:
        if _needed(ref) and ref.location.path.endswith((".py", ".pyw")):
            wanted.setdefault(ref.location.path, set()).add(ref.root)
            lines.setdefault(ref.location.path, set()).add(ref.location.line)
    reasons: dict[tuple[str, int, str], str] = {}
    elsewhere = chosen_calls.ProjectNames(root, _uses_of, exclude)
    for path, roots in sorted(wanted.items()):
        for line, name, reason in _chosen_in_file(root, path, roots, lines[path], elsewhere):
            reasons.setdefault((path, line, name), reason)
    if not reasons:
        return scan
    return scan._replace(imports=tuple(_optional_if_chosen(ref, reasons) for ref in scan.imports))


def _chosen_in_file(
    root: Path, path: str, roots: set[str], lines: set[int], elsewhere: chosen_calls.ProjectNames
) -> list[tuple[int, str, str]]:
    source = read_source(root, path)
    if not isinstance(source, SourceText):
        return []
    quoted = {name for name in roots if f'"{name}"' in source.text or f"'{name}'" in source.text}
    text_lines = source.text.split("\n")
    in_block = any(0 < line <= len(text_lines) and text_lines[line - 1][:1] in (" ", "\t") for line in lines)
    if not quoted and not in_block:
        return []  # most files name no imported package in a string and import nothing in a block: no parse
    try:
        walk = _Walk(quoted, by_value=in_block, text=source.text)
    except (SyntaxError, ValueError, RecursionError):  # not Python 3 here, or nested past the parser's depth
        return []
    found = [(choice.line, choice.name, f"{choice.reason} ({path}:{choice.test_line})") for choice in walk.found]
    if in_block:
        found += chosen_calls.chosen_by_callers(walk.uses, path, roots, elsewhere)
    return found


def _optional_if_chosen(ref: ImportRef, reasons: dict[tuple[str, int, str], str]) -> ImportRef:
    reason = reasons.get((ref.location.path, ref.location.line, ref.root))
    if reason is None or not _needed(ref):
        return ref
    if not reason.startswith(_CHOSEN) and ref.marker:
        return ref  # chosen by a value, never in a version or platform branch
    return ref._replace(optional=True, reason=reason)


def _needed(ref: ImportRef) -> bool:
    return not (ref.optional or ref.type_only or ref.secondary)


def chosen_imports(tree: ast.Module, names: set[str]) -> Iterator[tuple[int, str, str, int]]:
    """(import line, top-level name, reason, line of the test) for each import of one of ``names`` made only in a
    branch chosen by that name (see the module's docstring)."""
    yield from _Walk(names, by_value=False, tree=tree).found


def run_time_choices(tree: ast.Module) -> list[Choice]:
    """Every import made only in a branch chosen at run time: by the package's name, or by a value (see the
    module's docstring); the names chosen by name are those some string of the module holds."""
    strings = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    return _Walk(strings, by_value=True, tree=tree).found


def _uses_of(text: str) -> chosen_calls.Uses:
    """What ``chosen_calls`` needs of a module that calls a function of another: its blocks chosen by a value."""
    return _Walk(set(), by_value=True, text=text).uses


_Test = tuple[str, int]  # a test as quoted in a reason, and its line
_Named = dict[str, _Test]  # name -> the test that chooses it


class _Frame(NamedTuple):
    """A node to visit, with what holds around it."""

    node: ast.AST
    named: _Named  # the names chosen around it by name
    valued: _Test | None  # the innermost test reading a value that chooses it, if any
    owner: str  # the function whose body holds it ("" at module or class level)


class _Walk:
    """One pass over a module's statements (expressions only where a branch is chosen, for dynamic imports): the
    imports chosen at run time, and what ``chosen_calls`` needs of its functions. Raises what ``ast.parse`` does."""

    def __init__(self, names: set[str], *, by_value: bool, text: str = "", tree: ast.Module | None = None) -> None:
        self.names = names
        self.by_value = by_value
        self.found: list[Choice] = []
        self.uses = chosen_calls.Uses(text)
        module = tree if tree is not None else ast.parse(text)
        self.constants = LiteralConstants(module)
        stack = [_Frame(module, {}, None, "")]
        while stack:
            frame = stack.pop()
            stack.extend(reversed(self._visit(frame)))

    def _visit(self, frame: _Frame) -> list[_Frame]:
        node, named, valued, _ = frame
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self.uses.import_statement(node)
            self._import(node, frame)
            return []
        if isinstance(node, ast.If):
            return self._branches(node, frame)
        if isinstance(node, ast.Match):
            return self._cases(node, frame)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.uses.define(node)
            return [_Frame(statement, named, valued, node.name) for statement in node.body]
        if isinstance(node, ast.ClassDef):
            return [frame._replace(node=statement, owner="") for statement in node.body]
        if isinstance(node, ast.expr):
            if named or valued is not None:  # a dynamic import in a chosen branch: importlib.import_module("x")
                for call in ast.walk(node):
                    if isinstance(call, ast.Call) and dynamic_target(call):
                        self._import(call, frame)
            return []
        return [frame._replace(node=child) for child in ast.iter_child_nodes(node) if not _skipped(child)]

    def _import(self, node: ast.Import | ast.ImportFrom | ast.Call, frame: _Frame) -> None:
        for module in _modules(node):
            name = module.partition(".")[0]
            if name in frame.named:
                test, line = frame.named[name]
                self.found.append(Choice(node.lineno, name, f"{_CHOSEN} {test}{_OTHERWISE}", line))
            elif frame.valued is not None:
                test, line = frame.valued
                self.found.append(Choice(node.lineno, name, f"{BY_VALUE} `{test}`", line))
            elif frame.owner:
                self.uses.lazy_import(frame.owner, node.lineno, name)

    def _value(self, test: ast.expr, body: list[ast.stmt], frame: _Frame) -> _Test | None:
        """The test, when it chooses its body by a value; else what chose around it."""
        if self.by_value and chooses_by_value(test, self.constants):
            chosen = _quoted(test), test.lineno
            self.uses.choose(body, chosen)
            return chosen
        return frame.valued

    def _branches(self, node: ast.If, frame: _Frame) -> list[_Frame]:
        """The tests, bodies and final ``else`` block of an ``if``/``elif`` chain, each with what chooses it.

        A body is chosen by name only when the chain has another branch (every ``elif`` has the one above it); the
        blocks after a test (its ``elif``s and ``else``) run only when it is false, so its falsehood holds in them.
        A body is chosen by a value by its own test; the final ``else`` by none (it is the default)."""
        frames: list[_Frame] = []
        current, chained, named = node, False, frame.named
        while True:
            frames.append(frame._replace(node=current.test, named=named))
            body, otherwise = _named(current.test, self.names)
            inside = {**named, **body} if current.orelse or chained else named
            valued = self._value(current.test, current.body, frame)
            frames += [_Frame(statement, inside, valued, frame.owner) for statement in current.body]
            named = {**named, **otherwise}
            if not (len(current.orelse) == 1 and isinstance(current.orelse[0], ast.If)):
                return frames + [frame._replace(node=statement, named=named) for statement in current.orelse]
            current, chained = current.orelse[0], True

    def _cases(self, node: ast.Match, frame: _Frame) -> list[_Frame]:
        """A ``match``: each ``case`` with a pattern that can fail is chosen by the subject's value; ``case _:`` and
        a bare capture are the default."""
        frames = [frame._replace(node=node.subject)]
        subject = _quoted(node.subject)
        for case in node.cases:
            if case.guard is not None:
                frames.append(frame._replace(node=case.guard))
            default = isinstance(case.pattern, ast.MatchAs) and case.pattern.pattern is None
            valued = frame.valued
            if not default and self.by_value and chooses_by_value(node.subject, self.constants):
                valued = f"{subject} matches {_quoted(case.pattern)}", case.pattern.lineno
                self.uses.choose(case.body, valued)
            frames += [frame._replace(node=statement, valued=valued) for statement in case.body]
        return frames


def _skipped(node: ast.AST) -> bool:
    """What a statement holds that the walk never needs: the names of a ``with``, a loop's target..."""
    return isinstance(node, (ast.expr_context, ast.alias, ast.arguments, ast.keyword, ast.withitem, ast.type_ignore))


def _modules(node: ast.Import | ast.ImportFrom | ast.Call) -> list[str]:
    if isinstance(node, ast.Call):
        target = dynamic_target(node)
        return [target] if target else []
    return [raw.module for raw in imports_of(node)]


def _named(test: ast.expr, names: set[str]) -> tuple[_Named, _Named]:
    """The names among ``names`` that the test's truth chooses, and those its falsehood chooses, with the test."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        body, otherwise = _named(test.operand, names)
        return otherwise, body
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        found: _Named = {}
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


def _quoted(test: ast.AST) -> str:
    text = ast.unparse(test)
    return text if len(text) <= _MAX_TEST else text[: _MAX_TEST - 3] + "..."
