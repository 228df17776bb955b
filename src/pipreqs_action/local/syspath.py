"""Folders a file adds to ``sys.path`` by literal calls: more places its imports come from the project itself.

Scripts often make a folder importable before importing from it::

    sys.path.append(os.path.join(os.path.dirname(__file__), "lib"))
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    site.addsitedir(os.path.join(BASE_DIR, "vendor"))

Only the statements that name ``sys.path`` or ``addsitedir`` are parsed (never the whole file, never run), and
only expressions built from ``__file__``, string literals, ``os.path`` helpers, ``pathlib`` and names assigned
such an expression earlier in the file are understood; anything else is passed over. A relative literal is
taken relative to the checked root (the usual working directory). Folders outside the root are ignored.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator

from pipreqs_action.reading.lazy_regex import LazyPattern

__all__ = ["import_roots", "statement_at"]

_CALL = LazyPattern(r"\bsys\s*\.\s*path\s*\.\s*(?:append|insert|extend)\s*\(|\baddsitedir\s*\(|\bsys\s*\.\s*path\s*\[")
_MAX_LINES = 8  # a call spread over more lines than this is passed over
_MAX_DEPTH = 4  # names defined by names defined by names...
_PASS_THROUGH = frozenset({"abspath", "realpath", "normpath", "str", "fspath", "Path", "PurePath", "expanduser"})


def import_roots(text: str, rel: str) -> tuple[str, ...]:
    """Root-relative folders (``""`` for the root) that ``rel`` adds to ``sys.path``, in order of appearance."""
    if "sys.path" not in text and "addsitedir" not in text:
        return ()
    lines = text.splitlines()
    found: dict[str, None] = {}
    for number, line in enumerate(lines):
        if _CALL.search(line) and not line.lstrip().startswith("#"):
            node = statement_at(lines, number)
            for expr in _path_arguments(node):
                folder = _Evaluator(lines[:number], rel).folder(expr)
                if folder is not None:
                    found[folder] = None
    return tuple(found)


def statement_at(lines: list[str], start: int) -> ast.stmt | None:
    """The statement starting at ``start``, which may continue over a few lines; None when it does not parse."""
    indent = len(lines[start]) - len(lines[start].lstrip())
    for end in range(start + 1, min(start + _MAX_LINES, len(lines)) + 1):
        chunk = "\n".join(line[indent:] if line[:indent].isspace() else line.lstrip() for line in lines[start:end])
        try:
            body = ast.parse(chunk.strip()).body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        return body[0] if body else None
    return None


def _path_arguments(node: ast.stmt | None) -> Iterator[ast.expr]:
    """The path expressions of ``sys.path.append(x)``, ``.insert(i, x)``, ``.extend([...])``, ``addsitedir(x)``,
    ``sys.path[:0] = [...]`` (also inside an ``if``/``with`` header line's body on the same line)."""
    if isinstance(node, ast.Assign) and isinstance(node.value, (ast.List, ast.Tuple)):
        if any(isinstance(target, ast.Subscript) for target in node.targets):
            yield from node.value.elts
        return
    if not isinstance(node, ast.Expr) or not isinstance(node.value, ast.Call):
        return
    call = node.value
    method = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    if method in ("append", "addsitedir") and call.args:
        yield call.args[0]
    elif method == "insert" and len(call.args) == 2:
        yield call.args[1]
    elif method == "extend" and call.args and isinstance(call.args[0], (ast.List, ast.Tuple)):
        yield from call.args[0].elts


class _Evaluator:
    """Evaluates a path expression to a root-relative folder, using only the text above the call."""

    def __init__(self, above: list[str], rel: str) -> None:
        self.above = above
        self.rel = rel
        self.depth = 0

    def folder(self, expr: ast.expr) -> str | None:
        value = self.value(expr)
        if value is None:
            return None
        normal = posixpath.normpath(value)
        if normal == ".":
            return ""
        return None if normal.startswith(("..", "/")) else normal

    def value(self, expr: ast.expr) -> str | None:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return expr.value
        if isinstance(expr, ast.Name):
            return self.rel if expr.id == "__file__" else self._name(expr.id)
        if isinstance(expr, ast.Attribute) and expr.attr in ("parent", "parents"):
            inner = self.value(expr.value)
            return None if inner is None else _up(inner)
        if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Attribute) and expr.value.attr == "parents":
            return self._parents(expr)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
            return self._join([expr.left, expr.right])
        if isinstance(expr, ast.Call):
            return self._call(expr)
        return None

    def _call(self, call: ast.Call) -> str | None:
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in ("resolve", "absolute") and isinstance(func, ast.Attribute) and not call.args:
            return self.value(func.value)
        if name == "getcwd" and not call.args:
            return "."
        if name == "join" and call.args:
            return self._join(call.args)
        if len(call.args) != 1:
            return None
        inner = self.value(call.args[0])
        if inner is None:
            return None
        if name == "dirname":
            return _up(inner)
        return inner if name in _PASS_THROUGH else None

    def _join(self, parts: list[ast.expr]) -> str | None:
        values = [self.value(part) for part in parts]
        if any(value is None for value in values):
            return None
        return posixpath.join(*(value for value in values if value is not None))

    def _parents(self, expr: ast.Subscript) -> str | None:
        index = expr.slice
        if not (isinstance(index, ast.Constant) and isinstance(index.value, int)) or not isinstance(
            expr.value, ast.Attribute
        ):
            return None
        inner = self.value(expr.value.value)
        for _ in range(index.value + 1):
            inner = None if inner is None else _up(inner)
        return inner

    def _name(self, name: str) -> str | None:
        """A name assigned (at any indentation) above the call: the last such assignment wins."""
        if self.depth >= _MAX_DEPTH:
            return None
        pattern = re.compile(rf"^\s*{re.escape(name)}\s*=[^=]")
        for number in range(len(self.above) - 1, -1, -1):
            if pattern.match(self.above[number]):
                node = statement_at(self.above, number)
                if isinstance(node, ast.Assign) and len(node.targets) == 1:
                    inner = _Evaluator(self.above[:number], self.rel)
                    inner.depth = self.depth + 1
                    return inner.value(node.value)
                return None
        return None


def _up(path: str) -> str:
    """The folder holding ``path`` (root-relative); above the root it becomes ``..``, which is then refused."""
    normal = posixpath.normpath(path) if path else "."
    if normal == ".":
        return ".."
    if normal == ".." or normal.endswith("/.."):
        return f"{normal}/.."
    return posixpath.dirname(normal) or "."
