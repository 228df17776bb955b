"""What the extractor returns: one import as written, and why a file could not be read."""

from __future__ import annotations

import ast
from typing import NamedTuple

from pipreqs_action.intent.guards import Context


class NotPython(Exception):
    """The text is not valid Python 3 source (the message says where and why)."""


class PartlyRead(NotPython):
    """Not valid Python 3 for this interpreter, but written in newer syntax: ``imports`` were read all the same."""

    def __init__(self, message: str, imports: list[RawImport]) -> None:
        super().__init__(message)
        self.imports = imports


class RawImport(NamedTuple):
    """One import as written: ``module`` is absolute (relative imports are dropped), ``names`` from ``from`` imports."""

    module: str
    line: int
    names: tuple[str, ...] = ()
    optional: bool = False
    type_only: bool = False
    dynamic: bool = False
    reason: str = ""  # why it is optional (guards.Context.reason)
    marker: str = ""  # PEP 508 marker of a platform or Python-version branch
    in_function: bool = False
    ignore_line: int = 0  # line of an inline ignore marker on the statement (ignores.py)

    def within(self, context: Context, ignore_line: int = 0) -> RawImport:
        """This import in ``context`` (a plain constructor call: ``dataclasses.replace`` is slow at this rate)."""
        return RawImport(
            self.module,
            self.line,
            self.names,
            context.optional,
            context.type_only,
            self.dynamic,
            context.reason,
            context.marker,
            context.in_function,
            ignore_line,
        )


def imports_of(node: ast.Import | ast.ImportFrom) -> list[RawImport]:
    if isinstance(node, ast.Import):
        return [RawImport(alias.name, node.lineno) for alias in node.names]
    if node.level or not node.module:
        return []
    return [RawImport(node.module, node.lineno, tuple(alias.name for alias in node.names))]


def dynamic_target(node: ast.Call) -> str:
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    if name in ("__import__", "import_module") and node.args:
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str) and is_absolute(first.value):
            return first.value
    return ""


def is_absolute(module: str) -> bool:
    return bool(module) and not module.startswith(".") and all(part.isidentifier() for part in module.split("."))
