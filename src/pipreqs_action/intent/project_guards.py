"""Guards the project writes itself: a context manager of its own that swallows the ImportError of its block.

AG2 (``autogen/import_utils.py``) and cbrkit write their own helper, then guard optional imports with it in
every other module::

    @contextmanager
    def optional_import_block():          # defined once in the project
        try:
            yield
        except ImportError:                 # swallowed: the module loads without the package
            logger.debug("optional import failed")

    with optional_import_block():           # anywhere else in the project
        import chromadb

The ``with`` has no handle to ask later (``deferred_imports`` needs one), but the definition says what it does:
a ``@contextmanager`` generator whose ``try`` around the ``yield`` has a handler naming ``ImportError`` or
``ModuleNotFoundError`` that does not end by raising, or a class whose ``__exit__`` names one of them and can
return a value other than None or False (true tells Python the exception was handled). Such a definition,
found in any file of the project, makes the imports inside every ``with NAME(...):`` block of the project
optional (not those inside a function defined there, which run later), saying where the helper is defined.

The definitions are found while each file is read (``definitions``, only in files that mention both an import
error and a context manager, parsing only the definitions that could be one); the blocks after every file is read
(``apply``), parsing only the ``with`` blocks of the files that name such a helper.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator, Mapping, Sequence

from pipreqs_action.imports.lexical import (
    bracket_balance,
    indent_of,
    string_line_ranges,
    without_comments,
    word_ends,
)
from pipreqs_action.model import ImportRef
from pipreqs_action.reading.ast_names import IMPORT_ERRORS, last_name, names_import_error
from pipreqs_action.reading.lazy_regex import LazyPattern
from pipreqs_action.reading.line_search import line_matches

__all__ = ["apply", "candidates", "definitions", "mentions", "with_words"]

_SIGNS = ("contextmanager", "__exit__")


def definitions(text: str) -> tuple[tuple[str, int], ...]:
    """The context managers this file defines that swallow an ImportError: (name, line of the definition).

    Only the definitions that could be one are parsed, each on its own: a function under a decorator naming
    ``contextmanager``, a class around a ``def __exit__`` (big test modules import ``contextmanager`` and name
    ``ImportError`` without defining a helper, and parsing and walking them whole took most of a monorepo's scan).
    A definition that does not parse alone (a multi-line class header, a string running out of it) sends the whole
    file to the parser instead; one that does parse alone is read even when the rest of the file would not."""
    if not any(error in text for error in IMPORT_ERRORS) or not any(sign in text for sign in _SIGNS):
        return ()
    lines = text.split("\n")
    in_string = _string_mask(text, len(lines))
    starts = set()
    line, counted = 0, 0
    for position, exits in _definition_lines(text):
        line += text.count("\n", counted, position)
        counted = position
        if in_string[line]:
            continue
        start = _class_around(lines, line, in_string) if exits else line
        if start is None:
            return _defined_in(text)
        if start >= 0:
            starts.add(start)
    found: dict[tuple[str, int], None] = {}
    covered = 0
    for start in sorted(starts):
        if start < covered:
            continue  # inside a definition already read (a method of a class read for its __exit__)
        covered = _definition_end(lines, start, in_string)
        indent = lines[start][: len(lines[start]) - len(lines[start].lstrip(" \t"))]
        fragment = "\n".join(_dedented(line, indent) for line in lines[start:covered])
        try:
            tree = ast.parse(fragment)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return _defined_in(text)
        found.update(((name, line + start), None) for name, line in _defined_in_tree(tree))
    return tuple(found)


def _definition_lines(text: str) -> list[tuple[int, bool]]:
    """Where the lines start that may begin a helper, in order: a decorator naming ``contextmanager`` (False), a
    ``def __exit__`` (True). Found from the names with C-speed searches: a regex over each line was slower."""
    found = []
    for sign in ("contextmanager", "__exit__", "__aexit__"):
        position = text.find(sign)
        while position != -1:
            start = text.rfind("\n", 0, position) + 1
            head = text[start:position]
            if sign == "contextmanager":
                if head.lstrip(" \t").startswith("@"):
                    found.append((start, False))
            elif _DEF_BEFORE.fullmatch(head) and word_ends(text, position + len(sign)):
                found.append((start, True))
            position = text.find(sign, position + len(sign))
    return sorted(set(found))


_DEF_BEFORE = re.compile(r"[ \t]*(?:async[ \t]+)?def[ \t]+")
_CLASS_HEADER = re.compile(r"class\b[^\n]*:$")
_BLOCK_HEADER = re.compile(r"(?:if|elif|else|for|while|try|except|finally|with|def|async|match|case)\b[^\n]*:$")


def _defined_in(text: str) -> tuple[tuple[str, int], ...]:
    """The same, read from the whole file."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ()
    return tuple(_defined_in_tree(tree))


def _defined_in_tree(tree: ast.AST) -> Iterator[tuple[str, int]]:
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return ((node.name, node.lineno) for node in ast.walk(tree) if isinstance(node, kinds) and _swallows(node))


def _string_mask(text: str, count: int) -> bytearray:
    """One byte per line: 1 where the line starts inside a multi-line string (a docstring's example is no code)."""
    mask = bytearray(count)
    for first, last in string_line_ranges(text):
        mask[first : last + 1] = b"\x01" * (last + 1 - first)
    return mask


def _class_around(lines: Sequence[str], line: int, in_string: bytearray) -> int | None:
    """The line of the class whose body defines the ``__exit__`` on ``line``; -1 when its block is no class (a
    method of nothing, a function's inner def: never a class's ``__exit__``), None when unsure."""
    indent = indent_of(lines[line])
    for above in range(line - 1, -1, -1):
        stripped = lines[above].lstrip(" \t")
        if not stripped or stripped.startswith("#") or in_string[above] or indent_of(lines[above]) >= indent:
            continue
        code = without_comments(stripped).rstrip()
        if _CLASS_HEADER.match(code):
            return above
        return -1 if _BLOCK_HEADER.match(code) else None
    return -1


def _definition_end(lines: Sequence[str], start: int, in_string: bytearray) -> int:
    """Index after the last line of the definition starting at ``start``: its decorators and header (while brackets
    are open), then the lines indented deeper, with blank lines, comments and lines inside its strings."""
    end, balance = start, 0
    while end < len(lines):
        code = without_comments(lines[end]).strip()
        balance += bracket_balance(code)
        end += 1
        if balance <= 0 and code and not code.startswith("@"):
            break
    indent = indent_of(lines[start])
    while end < len(lines):
        stripped = lines[end].lstrip(" \t")
        if stripped and not stripped.startswith("#") and not in_string[end] and indent_of(lines[end]) <= indent:
            break
        end += 1
    return end


def _dedented(line: str, indent: str) -> str:
    return line[len(indent) :] if line.startswith(indent) else line if line.strip() else ""


def _swallows(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> bool:
    if isinstance(node, ast.ClassDef):
        return _swallowing_class(node)
    return _swallowing_generator(node)


def apply(refs: list[ImportRef], texts: Mapping[str, str], defined: Mapping[str, str]) -> list[ImportRef]:
    """``refs`` with the imports inside a ``with`` block of a swallowing helper made optional; ``texts``: the text
    of each file holding a candidate import; ``defined``: helper name -> where it is defined (``pkg/util.py:40``)."""
    if not defined:
        return refs
    guarded: dict[tuple[str, int], str] = {}
    for path, text in texts.items():
        for line, name in _guarded_lines(text, defined):
            guarded.setdefault((path, line), name)
    return [
        ref._replace(optional=True, reason=_reason(name, defined[name]))
        if (name := guarded.get((ref.location.path, ref.location.line), "")) and not ref.optional
        else ref
        for ref in refs
    ]


def candidates(refs: Sequence[ImportRef]) -> set[str]:
    """Files whose imports a helper could guard: ``.py`` files with an import that is still required."""
    return {ref.location.path for ref in refs if ref.location.path.endswith(".py") and not ref.optional}


def with_words(text: str) -> frozenset[str]:
    """Every word after a ``with`` on its line, recorded while the file is read: the helpers it may open a block
    on. Only files where one is a helper (``mentions``) are read again once the project's helpers are known."""
    return frozenset(_WORD.findall("\n".join(_AFTER_WITH.findall(text))))


_AFTER_WITH = LazyPattern(r"with([^\n]*)")
_WORD = LazyPattern(r"\w+")


def mentions(text: str, defined: Mapping[str, str]) -> bool:
    """Whether the text opens a ``with`` on one of the helpers (a search; the parse confirms)."""
    return any(name in text and re.search(rf"\bwith\b[^\n]*\b{re.escape(name)}\s*\(", text) for name in defined)


def _reason(name: str, where: str) -> str:
    return f"guarded by {name}(), which swallows the ImportError (defined at {where})"


def _guarded_lines(text: str, defined: Mapping[str, str]) -> Iterator[tuple[int, str]]:
    """(line of an import statement, helper name) for each import inside a swallowing ``with`` block.

    Only the blocks are parsed, each on its own: a line opening ``with`` on a helper and the lines indented under it
    (a project that guards every optional import this way has hundreds of test files saying ``with helper():``,
    and parsing and walking each whole file took seconds). A block that does not parse alone (a header spread over
    several lines, a string running out of it) sends the whole file to the parser instead."""
    lines = text.splitlines(keepends=True)
    covered, start, counted = 0, 0, 0
    for match in line_matches(_with_pattern(tuple(defined)), text, "with"):  # each opens a line holding `with`
        start += text.count("\n", counted, match.start())  # counted on from the last match: big files have hundreds
        counted = match.start()
        if start < covered:
            continue  # a with inside a block already read
        indent = match.group(1)
        covered = _block_end(lines, start, len(indent))
        fragment = "".join(line[len(indent) :] if line.startswith(indent) else "\n" for line in lines[start:covered])
        try:
            tree = ast.parse(fragment)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            yield from _guarded_in(text, defined)
            return
        yield from ((line + start, name) for line, name in _guarded_in_tree(tree, defined))


@functools.lru_cache(maxsize=8)
def _with_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"^([ \t]*)(?:async[ \t]+)?with\b[^\n]*\b(?:{alternatives})\s*\(", re.MULTILINE)


def _block_end(lines: Sequence[str], start: int, indent: int) -> int:
    """Index after the last line of the block opened at ``start``: blank and comment lines belong to it, as do lines
    indented deeper than its ``with``."""
    end = start + 1
    while end < len(lines):
        stripped = lines[end].lstrip(" \t")
        if stripped.strip() and not stripped.startswith("#") and len(lines[end]) - len(stripped) <= indent:
            break
        end += 1
    return end


def _guarded_in(text: str, defined: Mapping[str, str]) -> Iterator[tuple[int, str]]:
    """The same, read from the whole file."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    yield from _guarded_in_tree(tree, defined)


def _guarded_in_tree(tree: ast.AST, defined: Mapping[str, str]) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.With, ast.AsyncWith)):
            name = next((called for item in node.items if (called := _called(item.context_expr)) in defined), "")
            if name:
                yield from ((line, name) for line in _import_lines(node.body))


def _import_lines(body: Sequence[ast.stmt]) -> Iterator[int]:
    """Lines of the import statements the block runs itself (a function defined in it runs later, elsewhere)."""
    todo: list[ast.AST] = list(body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield from range(node.lineno, (node.end_lineno or node.lineno) + 1)
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))


def _called(node: ast.expr) -> str:
    return last_name(node.func) if isinstance(node, ast.Call) else ""


def _swallowing_generator(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """``@contextmanager`` around ``try: yield`` / ``except ImportError:`` whose handler does not end by raising."""
    if not any(_decorator_name(decorator).endswith("contextmanager") for decorator in node.decorator_list):
        return False
    for statement in ast.walk(node):
        if isinstance(statement, ast.Try) and any(isinstance(inner, ast.Yield) for inner in _walk(statement.body)):
            for handler in statement.handlers:
                if names_import_error(handler.type) and not isinstance(handler.body[-1], ast.Raise):
                    return True
    return False


def _swallowing_class(node: ast.ClassDef) -> bool:
    """A class whose ``__exit__`` names an import error and may return something true."""
    for method in node.body:
        if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) and method.name in ("__exit__", "__aexit__"):
            inner = list(_walk(method.body))
            names_error = any(isinstance(item, ast.Name) and item.id in IMPORT_ERRORS for item in inner)
            returns = any(isinstance(item, ast.Return) and _may_be_true(item.value) for item in inner)
            return names_error and returns
    return False


def _may_be_true(value: ast.expr | None) -> bool:
    return value is not None and not (isinstance(value, ast.Constant) and value.value in (None, False))


def _decorator_name(node: ast.expr) -> str:
    return last_name(node.func) if isinstance(node, ast.Call) else last_name(node)


def _walk(body: Sequence[ast.stmt]) -> Iterator[ast.AST]:
    """Every node of the statements, not entering functions defined among them."""
    todo: list[ast.AST] = list(body)
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            todo.extend(ast.iter_child_nodes(node))
