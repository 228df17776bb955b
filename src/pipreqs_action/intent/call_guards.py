"""Guards one call away: an import inside a private function that its module only ever calls under a guard.

A library often keeps an optional accelerator in a helper of its own::

    def _linkage_fast(self):
        import fastcluster              # the import, inside the helper
        return fastcluster.linkage(...)

    def linkage(self):
        try:
            return self._linkage_fast()  # the guard, around the only call
        except ImportError:
            return self._linkage_slow()  # the fallback

The guard is one call away from the import: when the package is absent, the ``ImportError`` the import raises goes
up through the call into the ``except``. So the import is as optional as a ``try`` around it would make it.

Only what one module can prove is believed: the function is private (a leading ``_``: nothing outside the module
is meant to call it), defined once, named nowhere but in calls, and every one of those calls sits in the body of a
``try`` whose handler names ``ImportError`` or ``ModuleNotFoundError`` (or in ``with
contextlib.suppress(ImportError)``), with no function between the call and the guard. A call anywhere else, or a
use as a value (a callback, ``getattr``), and the import stays as it is. A bare ``except:`` or ``except
Exception:`` around a call is how code handles whatever a helper does (a worker loop logging its failures), not
a word that a package may be absent: around the import itself it is a guard, one call away it is not. Notebooks
are left alone (their cells are not one module's functions).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

from pipreqs_action.imports.lexical import indent_of
from pipreqs_action.intent.guards import EXCEPT_IMPORT_ERROR, with_context
from pipreqs_action.model import ImportRef, SourceText
from pipreqs_action.reading.ast_names import IMPORT_ERRORS, last_name, names_import_error
from pipreqs_action.reading.lazy_regex import LazyPattern

__all__ = ["apply"]

_GUARD_WORDS = tuple(IMPORT_ERRORS)
_DEF = LazyPattern(r"[ \t]*(?:async[ \t]+)?def[ \t]+(?P<name>_\w*)[ \t]*\(")
_TRY: tuple[type[ast.Try], ...] = (ast.Try, *((ast.TryStar,) if hasattr(ast, "TryStar") else ()))  # except* (3.11)
_MAX_TEXT = 2 * 1024 * 1024  # a file this large is parsed whole only by --full-parse: not worth it here


def apply(refs: list[ImportRef], source: SourceText) -> list[ImportRef]:
    """The file's imports, those inside a private function called only under a guard made optional, saying where."""
    candidates = [ref for ref in refs if _may_be_guarded(ref)]
    if not candidates or source.line_map is not None or len(source.text) > _MAX_TEXT:
        return refs
    text = source.text
    if not any(word in text for word in _GUARD_WORDS):
        return refs
    lines = text.split("\n")
    owners = {ref.location.line: _enclosing_private_def(lines, ref.location.line - 1) for ref in candidates}
    names = {name for name in owners.values() if name and text.count(name) > 1}
    if not names:
        return refs
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return refs
    uses = _Uses(names)
    uses.walk(tree.body, guard="")
    reasons = {name: uses.reason(name, source.rel) for name in names}
    return [
        ref._replace(optional=True, reason=reason)
        if _may_be_guarded(ref) and (reason := reasons.get(owners.get(ref.location.line) or "", ""))
        else ref
        for ref in refs
    ]


def _may_be_guarded(ref: ImportRef) -> bool:
    return ref.in_function and not (ref.optional or ref.type_only or ref.secondary)


def _enclosing_private_def(lines: list[str], index: int) -> str:
    """The name of the nearest ``def`` above line ``index`` that encloses it, when that function is private.

    The nearest enclosing function only: an import in a nested function runs when that one is called.
    """
    if not 0 <= index < len(lines):
        return ""
    indent = indent_of(lines[index])
    for line in reversed(lines[:index]):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        width = indent_of(line)
        if width >= indent:
            continue
        indent = width
        if stripped.startswith(("def ", "async ")):
            match = _DEF.match(line)
            return match["name"] if match else ""
        if indent == 0:
            return ""
    return ""


class _Uses:
    """Every definition, call and other use of the wanted names in one module, with the guard around each call."""

    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.definitions: dict[str, int] = {}
        self.calls: dict[str, list[tuple[int, str]]] = {}  # name -> (line, guard reason or "")
        self.other: set[str] = set()  # names used as a value, not called

    def walk(self, body: Sequence[ast.AST], guard: str) -> None:
        for node in body:
            self._visit(node, guard)

    def _visit(self, node: ast.AST, guard: str) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in self.names:
                self.definitions[node.name] = self.definitions.get(node.name, 0) + 1
            for child in ast.iter_child_nodes(node):
                self._visit(child, "")  # a body runs later, when called: no guard of the definition's holds there
            return
        if isinstance(node, _TRY):
            catches = any(names_import_error(handler.type) for handler in node.handlers)
            self.walk(node.body, EXCEPT_IMPORT_ERROR if catches else guard)
            for part in (node.handlers, node.orelse, node.finalbody):
                self.walk(part, guard)
            return
        if isinstance(node, (ast.With, ast.AsyncWith)):
            context = with_context(node.items)
            named = context.optional and any(f"({kind})" in context.reason for kind in IMPORT_ERRORS)
            for item in node.items:
                self._visit(item, guard)
            self.walk(node.body, context.reason if named else guard)
            return
        if isinstance(node, ast.Call):
            name = last_name(node.func)
            if name in self.names:
                self.calls.setdefault(name, []).append((node.lineno, guard))
                for child in _call_parts(node):
                    self._visit(child, guard)
                return
        elif isinstance(node, ast.Name) and node.id in self.names:
            self.other.add(node.id)
        elif isinstance(node, ast.Attribute) and node.attr in self.names:
            self.other.add(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in self.names:
            self.other.add(node.value)  # getattr(self, "_helper"): called from who knows where
        for child in ast.iter_child_nodes(node):
            self._visit(child, guard)

    def reason(self, name: str, path: str) -> str:
        """Why imports in ``name`` are optional, or "" when some call (or use) of it is not under a guard."""
        calls = self.calls.get(name, [])
        if self.definitions.get(name) != 1 or name in self.other or not calls or not all(g for _, g in calls):
            return ""
        guards = sorted({guard for _, guard in calls})
        where = ", ".join(f"{path}:{line}" for line in sorted({line for line, _ in calls}))
        whom = "the only call" if len(calls) == 1 else "every call"
        return f"{guards[0]} around {whom} of {name}() at {where}"


def _call_parts(node: ast.Call) -> Iterator[ast.AST]:
    """What a call evaluates besides the name it calls: the object a method is looked up on, its arguments."""
    if isinstance(node.func, ast.Attribute):
        yield node.func.value
    yield from node.args
    yield from node.keywords
