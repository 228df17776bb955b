"""The exact path: a full ``ast`` parse of one file, every import with the context that holds around it.

The contexts come from the same classifiers the fast scan uses (``guards``), so both paths mean the same thing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from pipreqs_action import ignores
from pipreqs_action.imports.raw import RawImport, dynamic_target, imports_of
from pipreqs_action.intent.deferred_imports import Checked, checked_in, never_checked
from pipreqs_action.intent.guards import (
    EXCEPT_GUARD,
    FUNCTION,
    NOTHING,
    Context,
    Names,
    handler_catches_import_error,
    if_contexts,
    install_context,
    names_from,
    no_names,
    with_context,
)


def read(text: str) -> list[RawImport]:
    """Every import of ``text``; raises what ``ast.parse`` raises."""
    tree = ast.parse(text)
    lines = text.split("\n")
    return list(_walk(tree, _TreeNames(tree, lines, checked_in(text)), lines))


_Frame = tuple[ast.AST, Context]


def _walk(tree: ast.AST, names: _TreeNames | None, lines: list[str]) -> Iterator[RawImport]:
    """Every import in the tree with its context; iterative, since generated code can nest very deeply."""
    stack: list[_Frame] = [(tree, NOTHING)]
    while stack:
        node, context = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            ignore = ignores.marker_line(lines, node.lineno - 1, (node.end_lineno or node.lineno) - 1)
            for raw in imports_of(node):
                yield raw.within(context, ignore)
        elif isinstance(node, ast.Call):
            module = dynamic_target(node)
            if module:
                yield RawImport(module, node.lineno, dynamic=True).within(context)
        stack.extend(reversed(_children(node, context, names)))


def _children(node: ast.AST, context: Context, names: _TreeNames | None) -> list[_Frame]:
    """Child nodes with the context that holds inside them (see guards.py for what each guard means)."""
    if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
        try_node: ast.Try = node  # type: ignore[assignment]
        guarded = any(handler_catches_import_error(h) for h in try_node.handlers)
        body = _sequence(try_node.body, EXCEPT_GUARD.within(context) if guarded else context)
        handlers = [(h, _handler_context(h, context)) for h in try_node.handlers]
        return body + handlers + _sequence(try_node.orelse, context) + _sequence(try_node.finalbody, context)
    if isinstance(node, ast.If):
        return _if_chain(node, context, names)
    if isinstance(node, (ast.With, ast.AsyncWith)):
        inside = with_context(node.items, names.checked if names else never_checked).within(context)
        return [*((item, context) for item in node.items), *_sequence(node.body, inside)]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        heads = [*node.decorator_list, node.args, *([node.returns] if node.returns else [])]
        return [*((head, context) for head in heads), *_sequence(node.body, FUNCTION.within(context))]
    frames: list[_Frame] = []
    for _, value in ast.iter_fields(node):
        if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
            frames += _sequence(value, context)
        elif isinstance(value, list):
            frames += [(child, context) for child in value if isinstance(child, ast.AST)]
        elif isinstance(value, ast.AST):
            frames.append((value, context))
    return frames


def _if_chain(node: ast.If, context: Context, names: _TreeNames | None) -> list[_Frame]:
    """``if``/``elif``/``else``: each clause runs only when every earlier test was false, so its body holds its own
    test's context within the opposite of each earlier one (``elif`` after ``if sys.platform == "win32":`` is
    not Windows), and the ``else`` the opposite of them all (the fast scan walks the same chain up, header by
    header)."""
    frames: list[_Frame] = []
    current, earlier = node, NOTHING  # earlier: what holds once every test so far was false
    while True:
        inside, outside = if_contexts(current.test, names.lookup if names else no_names)
        frames += [(current.test, context), *_sequence(current.body, inside.within(earlier).within(context))]
        earlier = outside.within(earlier)
        if not _is_elif_chain(current):
            return frames + _sequence(current.orelse, earlier.within(context))
        current = current.orelse[0]  # type: ignore[assignment]


def _handler_context(handler: ast.ExceptHandler, context: Context) -> Context:
    return EXCEPT_GUARD.within(context) if handler_catches_import_error(handler) else context


def _is_elif_chain(node: ast.If) -> bool:
    """``elif`` is an ``if`` alone in the ``else`` block, at the outer ``if``'s column (a nested one is deeper)."""
    orelse = node.orelse
    return len(orelse) == 1 and isinstance(orelse[0], ast.If) and orelse[0].col_offset == node.col_offset


def _sequence(statements: list[ast.stmt], context: Context) -> list[_Frame]:
    """A block's statements; imports right after an install-on-demand call (``ensure_package("x")``) are optional."""
    frames: list[_Frame] = []
    installed = NOTHING
    for statement in statements:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            frames.append((statement, installed.within(context)))
        else:
            installed = install_context(statement)
            frames.append((statement, context))
    return frames


class _TreeNames:
    """What the whole parsed file says about a name used in an ``if`` test (collected on first use)."""

    def __init__(self, tree: ast.AST, lines: list[str], checked: Checked) -> None:
        self._tree = tree
        self._lines = lines
        self.checked = checked  # the deferred-import handles the file asks (deferred_imports)
        self._assignments: dict[str, list[tuple[ast.expr | None, Context]]] | None = None

    def lookup(self, name: str) -> Names:
        if self._assignments is None:
            self._assignments = self._collect()
        return names_from(name, self._assignments.get(name, []))

    def _collect(self) -> dict[str, list[tuple[ast.expr | None, Context]]]:
        found: dict[str, list[tuple[ast.expr | None, Context]]] = {}
        stack: list[_Frame] = [(self._tree, NOTHING)]
        while stack:
            node, context = stack.pop()
            target = _single_target(node)
            if target is not None:
                value: ast.expr | None = node.value  # type: ignore[attr-defined]
                if value is not None and value.end_lineno != value.lineno:
                    value = None  # the fast scan reads one line of value; both must agree
                found.setdefault(target, []).append((value, context))
            stack.extend(_children(node, context, None))
        return found


def _single_target(node: ast.AST) -> str | None:
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id
    if isinstance(node, ast.AnnAssign) and node.value is not None and isinstance(node.target, ast.Name):
        return node.target.id
    return None
