"""Extract the import statements of one Python source text, with their line and context.

Why not simply ``ast.parse`` every file? On a large tree (sympy: 1,543 files, 26 MB) a full parse costs about
10 s, while the import statements are a tiny part of the text. So the default path finds the ``import``
keywords with C-speed string searches, drops those inside string literals and comments, and parses only the
statements found (one small ``ast.parse`` per file, each statement at its original line). The context flags
(optional: inside ``try/except ImportError``; type-only: under ``if TYPE_CHECKING:``) come from walking up the
indentation of the real source. Whenever this fast path meets something it cannot read with certainty (an
unparseable statement, a merge-conflict marker, a Python 2 construct, a tangle of quotes) it falls back to a full
``ast.parse`` of that one file, which is also what ``full=True`` does everywhere. A file that full parse rejects
raises ``NotPython`` so the scanner can list it as skipped.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from pipreqs_action import ignores, newer_syntax
from pipreqs_action.guards import (
    EXCEPT_GUARD,
    EXCEPT_IMPORT_ERROR,
    FUNCTION,
    NOTHING,
    Context,
    Names,
    availability_value,
    handler_catches_import_error,
    if_contexts,
    install_context,
    is_flag_constant,
    looks_like_flag,
    with_context,
)

# An except clause that would catch a failed import: ImportError, ModuleNotFoundError, or anything broader.
_CATCHES_IMPORT_ERROR = re.compile(
    r"except\s*(?::|\*?\s*\(?[^:]*\b(?:ImportError|ModuleNotFoundError|Exception|BaseException)\b)"
)

# A statement starting on this line: at its start, or after a one-line header or `x = 1;` (head is tried last: `??`).
_STATEMENT_START = re.compile(r"(?P<head>[^#'\"\n]*?[:;])??[ \t]*(?P<stmt>from[ \t]+\.*[\w.]*[ \t]+import\b|import\b)")
_HEADER_KEYWORD = re.compile(r"(?:try|except|finally|else|elif|if|with|for|while|def|class|async|match|case)\b")
_IMPORT_KEYWORD = re.compile(r"\bimport\b")
_IMPORT_AT_START = re.compile(r"(?:from[ \t]+\.*[\w.]*[ \t]+import|import)\b")
_INSTALL_WORDS = ("install", "require", "ensure", "pip")
_DYNAMIC_CALL = re.compile(r"""(?<!\w)(?:__import__|import_module)\(\s*(?P<q>['"])(?P<name>[\w.]+)(?P=q)""")
# Python 2 only constructs, checked only on lines found by a literal search (cheap), then confirmed by ast.
_PY2_PATTERNS = (  # each starts with a literal, so the regex engine searches fast
    re.compile(r"print[ \t]+(?:[\"'\w]|>>)"),
    re.compile(r"exec[ \t]+[\"']"),
    re.compile(r"except[ \t]+[\w.]+[ \t]*,[ \t]*\w+[ \t]*:"),
)
_CONFLICT_MARKERS = ("\n<<<<<<< ", "\n>>>>>>> ")
# Tokens of Python's lexical grammar that matter here: comments and every form of string literal.
_TOKEN = re.compile(  # each character matches one way only (no nested quantifiers): no catastrophic backtracking
    r"""[#"'](?:(?<=#)[^\n]*|(?<=")""(?:[^"\\]|\\.|"(?!""))*\"""|(?<=')''(?:[^'\\]|\\.|'(?!''))*'''"""
    r"""|(?<=")(?:[^"\\\n]|\\.)*"|(?<=')(?:[^'\\\n]|\\.)*')""",
    re.DOTALL,
)


class NotPython(Exception):
    """The text is not valid Python 3 source (the message says where and why)."""


class PartlyRead(NotPython):
    """Not valid Python 3 for this interpreter, but written in newer syntax: ``imports`` were read all the same."""

    def __init__(self, message: str, imports: list[RawImport]) -> None:
        super().__init__(message)
        self.imports = imports


@dataclass(frozen=True, slots=True)
class RawImport:
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


def extract(text: str, *, full: bool = False) -> list[RawImport]:
    """All absolute imports in ``text``; ``full`` forces an exact ``ast`` parse of the whole text."""
    if full or _has_conflict_markers(text):
        return _from_full_parse(text)
    scan = _FastScan(text)
    found = None if scan.looks_like_python2() else scan.run()
    if found is None:
        return _from_full_parse(text)
    if newer_syntax.may_hold_newer_syntax(text):
        _check_newer_syntax(text, found)
    return found


def _check_newer_syntax(text: str, found: list[RawImport]) -> None:
    """The fast scan read the imports of a file with, say, ``type X = ...``: say that the rest did not parse."""
    try:
        ast.parse(text)
    except SyntaxError as error:
        if newer_syntax.is_newer(text, error):
            raise PartlyRead(_partly_read_note(error), found) from None
    except (ValueError, RecursionError, MemoryError):
        return


def _has_conflict_markers(text: str) -> bool:
    """Conflict markers make the file unusable; a real parse confirms it and says where."""
    return any(marker in text for marker in _CONFLICT_MARKERS) or text.startswith(("<<<<<<< ", ">>>>>>> "))


# --- exact path -------------------------------------------------------------------------------------------------


def _from_full_parse(text: str) -> list[RawImport]:
    try:
        tree = ast.parse(text)
    except SyntaxError as error:
        raise _not_python(text, error) from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise NotPython(f"not parseable as Python ({type(error).__name__})") from None
    lines = text.split("\n")
    return list(_walk(tree, _TreeNames(tree, lines), lines))


def _not_python(text: str, error: SyntaxError) -> NotPython:
    """Python 2 and broken files are skipped; newer syntax keeps its imports, read by the fast scan."""
    message = f"not valid Python 3 (line {error.lineno}: {error.msg})"
    if _has_conflict_markers(text) or not newer_syntax.is_newer(text, error):
        return NotPython(message)
    found = _FastScan(text).run()
    return NotPython(message) if found is None else PartlyRead(_partly_read_note(error), found)


def _partly_read_note(error: SyntaxError) -> str:
    running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    return f"imports read, the rest not parsed: syntax newer than Python {running} (line {error.lineno}: {error.msg})"


_Frame = tuple[ast.AST, Context]


def _walk(tree: ast.AST, names: _TreeNames | None, lines: list[str]) -> Iterator[RawImport]:
    """Every import in the tree with its context; iterative, since generated code can nest very deeply."""
    stack: list[_Frame] = [(tree, NOTHING)]
    while stack:
        node, context = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            ignore = ignores.marker_line(lines, node.lineno - 1, (node.end_lineno or node.lineno) - 1)
            for raw in _imports_of(node):
                yield raw.within(context, ignore)
        elif isinstance(node, ast.Call):
            module = _dynamic_target(node)
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
        inside = with_context(node.items).within(context)
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
    """``if``/``elif``/``else``: each test guards its own body; the ``else`` means the opposite of the test only
    when there is no ``elif`` (the fast scan reads one header at a time and must agree)."""
    frames: list[_Frame] = []
    current, chained = node, False
    while True:
        inside, outside = if_contexts(current.test, names.lookup if names else _no_names)
        frames += [(current.test, context), *_sequence(current.body, inside.within(context))]
        if not _is_elif_chain(current):
            return frames + _sequence(current.orelse, (NOTHING if chained else outside).within(context))
        current, chained = current.orelse[0], True  # type: ignore[assignment]


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


def _no_names(name: str) -> Names:
    return Names()


class _TreeNames:
    """What the whole parsed file says about a name used in an ``if`` test (collected on first use)."""

    def __init__(self, tree: ast.AST, lines: list[str]) -> None:
        self._tree = tree
        self._lines = lines
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


def names_from(name: str, assignments: list[tuple[ast.expr | None, Context]]) -> Names:
    """A flag: some assignment is guarded (``HAS_X = True`` in a try) or asks find_spec; an alias: one assignment."""
    if not assignments:
        return Names(flag=looks_like_flag(name))
    flag = any(
        availability_value(value) or (context.reason.startswith(_IMPORT_GUARDS) and is_flag_constant(value))
        for value, context in assignments
    )
    alias = assignments[0][0] if len(assignments) == 1 else None
    return Names(flag=flag, alias=alias)


_IMPORT_GUARDS = (EXCEPT_IMPORT_ERROR, "guarded by contextlib.suppress")


def _dynamic_target(node: ast.Call) -> str:
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    if name in ("__import__", "import_module") and node.args:
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str) and _is_absolute(first.value):
            return first.value
    return ""


def _is_absolute(module: str) -> bool:
    return bool(module) and not module.startswith(".") and all(part.isidentifier() for part in module.split("."))


# --- fast path --------------------------------------------------------------------------------------------------


class _FastScan:
    """Finds import statements without parsing the whole file; ``run`` returns None when unsure."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.string_lines = _string_line_ranges(text)  # sorted (first, last) 0-based line ranges inside strings
        self._parents: dict[int, int] = {}  # line -> its enclosing header line (see _parent)
        self._installs: dict[int, Context] = {}  # import line -> what the statements before it install
        self._names: dict[str, Names] = {}
        self._headers: dict[tuple[int, bool, bool], Context | None] = {}
        self._may_install = any(word in text for word in _INSTALL_WORDS)  # most files never mention an install
        self._string_mask: bytearray | None = None

    def looks_like_python2(self) -> bool:
        """A Python 2 statement starting a line of code (not of a docstring) must be confirmed by a real parse.

        Docstrings often hold prose like "print the result", which the patterns match; skipping lines inside
        multi-line strings keeps such files on the fast path (a sixth of sympy's extraction time otherwise).
        """
        text = self.text
        for pattern in _PY2_PATTERNS:
            line, last = 0, 0
            for match in pattern.finditer(text):
                line_start = text.rfind("\n", 0, match.start()) + 1
                if text[line_start : match.start()].strip() not in ("", "try:", "else:"):
                    continue
                line += text.count("\n", last, line_start)
                last = line_start
                if not self._inside_string(line):
                    return True
        return False

    def run(self) -> list[RawImport] | None:
        statements: dict[int, int] = {}  # 0-based line -> column where the statement starts
        dynamic: list[RawImport] = []
        for index in self._lines_with("import"):
            line = self.lines[index]
            if self._inside_string(index):
                continue
            if "__import__(" in line or "import_module(" in line:
                calls = self._dynamic(index, line)
                if calls is None:
                    return None
                dynamic.extend(calls)
            if index > 0 and self.lines[index - 1].rstrip().endswith("\\"):
                if self._continues_an_import(index):
                    return None  # an import continued from the line above: rare, let the full parse handle it
                continue
            column = _statement_column(line)
            if column is not None:
                statements[index] = column
        parsed = self._parse(statements)
        return None if parsed is None else parsed + dynamic

    def _continues_an_import(self, index: int) -> bool:
        """Whether the backslash-continued logical line ending at ``index`` may hold an import.

        Only the keyword outside strings and comments counts: names like ``import_path = \\`` are common in
        real code and must not send the whole file to the full parse. Anything unclear says yes.
        """
        first = index
        while first > 0 and self.lines[first - 1].rstrip().endswith("\\"):
            first -= 1
        joined = "\n".join(self.lines[first : index + 1])
        if any(sign in joined for sign in ('"""', "'''", "__import__(", "import_module(")):
            return True
        return _IMPORT_KEYWORD.search(_TOKEN.sub(" ", joined)) is not None

    def _lines_with(self, word: str) -> list[int]:
        """0-based numbers of the lines containing ``word`` (a C-speed search, then offsets to line numbers)."""
        text, line, last = self.text, 0, 0
        found: list[int] = []
        position = text.find(word)
        while position != -1:
            line += text.count("\n", last, position)
            last = position
            if not found or found[-1] != line:
                found.append(line)
            position = text.find(word, position + len(word))
        return found

    def _inside_string(self, index: int) -> bool:
        """True when line ``index`` starts inside a multi-line string literal."""
        if self._string_mask is None:  # one byte per line, built on first use: cheaper than a search per call
            self._string_mask = bytearray(len(self.lines))
            for first, last in self.string_lines:
                self._string_mask[first : last + 1] = b"\x01" * (last + 1 - first)
        return 0 <= index < len(self._string_mask) and self._string_mask[index] == 1

    def _parse(self, statements: dict[int, int]) -> list[RawImport] | None:
        """Parse all statements at once, each placed at its own line, so ast reports the real line numbers."""
        source = [""] * len(self.lines)
        for index, column in statements.items():
            for offset, part in enumerate(self._statement(index, column)):
                source[index + offset] = part if offset else part.lstrip()
        try:
            tree = ast.parse("\n".join(source))
        except (SyntaxError, ValueError):
            return None
        found: list[RawImport] = []
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                index = node.lineno - 1
                context = self._context(index, statements[index])
                if context is None:
                    return None
                ignore = ignores.marker_line(self.lines, index, (node.end_lineno or node.lineno) - 1)
                found.extend(raw.within(context, ignore) for raw in _imports_of(node))
        return found

    def _statement(self, index: int, column: int) -> list[str]:
        """The physical lines of the statement starting at (index, column): parentheses and backslashes followed."""
        parts = [self.lines[index][column:]]
        depth = parts[0].count("(") - parts[0].count(")")
        while (depth > 0 or parts[-1].rstrip().endswith("\\")) and index + len(parts) < len(self.lines):
            nxt = self.lines[index + len(parts)]
            depth += nxt.count("(") - nxt.count(")")
            parts.append(nxt)
        return parts

    def _dynamic(self, index: int, line: str) -> list[RawImport] | None:
        head = line.partition("#")[0]
        code = head if "'" not in head and '"' not in head else line  # a '#' after a quote may sit in a string
        if code.rstrip().endswith("(") and index + 1 < len(self.lines):
            code += self.lines[index + 1]  # import_module(\n    "name", ...)
        found = []
        for match in _DYNAMIC_CALL.finditer(code):
            before = code[: match.start()]
            if _is_absolute(match["name"]) and before.count('"') % 2 == 0 and before.count("'") % 2 == 0:
                context = self._context(index, _indent(line), statement=False)
                if context is None:
                    return None
                found.append(RawImport(match["name"], index + 1, dynamic=True).within(context))
        return found

    # --- the context of a line: walking up its indentation ------------------------------------------------------

    def _context(self, index: int, column: int, *, statement: bool = True, names: bool = True) -> Context | None:
        """What holds for code at (index, column): its one-line header, the statement before it, then every
        enclosing block up to the top level. None when a header cannot be read with certainty."""
        head = self.lines[index][:column].strip()
        context: Context | None = NOTHING
        if head:
            code = _without_comments(head).rstrip()
            if code.endswith(":") and _HEADER_KEYWORD.match(code):
                context = self._header_context(index, names, code)
            elif statement and code.endswith(";"):
                context = self._installed_in_line(index, code)
        elif statement and self._may_install:
            context = self._installed_before(index)
        child = index
        while context is not None:
            parent = self._parent(child)
            if parent < 0:
                return context
            outer = self._header_context(parent, names)
            context = None if outer is None else context.within(outer)
            child = parent
        return None

    def _parent(self, index: int) -> int:
        """The nearest code line above ``index`` that is indented less (-1 at the top level).

        Memoised, and cheap on long blocks: a line whose parent is known is jumped over to that parent (every line
        between is indented deeper), and the siblings passed on the way (same indentation) share the answer.
        """
        known = self._parents.get(index)
        if known is not None:
            return known
        indent, lines, parents = _indent(self.lines[index]), self.lines, self._parents
        self._inside_string(0)  # builds the mask
        mask = self._string_mask or bytearray(len(lines))
        siblings = [index]
        line = index - 1
        while line >= 0 and indent > 0:
            text = lines[line]
            stripped = text.lstrip(" \t")
            if not stripped or stripped[0] == "#" or mask[line]:
                line -= 1
                continue
            width = len(text) - len(stripped)
            if "\t" in text[:width]:
                width = _indent(text)
            if width < indent:
                if line > 0 and lines[line - 1].rstrip().endswith("\\"):
                    line -= 1  # the rest of a backslash-continued line (`x = \` then `"""...`): not a header
                    continue
                break
            if width == indent:
                siblings.append(line)
            line = parents.get(line, line - 1)  # a known line: everything up to its parent is deeper than it
        result = line if indent > 0 else -1
        for sibling in siblings:
            parents[sibling] = result
        return result

    def _header_context(self, index: int, names: bool, code: str | None = None) -> Context | None:
        """The context a header line gives the block below it; None when it is not recognisably a header."""
        key = (index, names, code is None)
        if key not in self._headers:
            self._headers[key] = self._read_header(index, names, code)
        return self._headers[key]

    def _read_header(self, index: int, names: bool, code: str | None) -> Context | None:
        text = code if code is not None else self._header_text(index)
        keyword = _HEADER_KEYWORD.match(text) if text else None
        if text is None or keyword is None:
            return None
        word = keyword.group()
        if word == "def" or (word == "async" and text[5:].lstrip().startswith("def")):
            return FUNCTION
        if word == "try":
            return EXCEPT_GUARD if self._try_catches_import_error(index) else NOTHING
        if word == "except":
            return EXCEPT_GUARD if _CATCHES_IMPORT_ERROR.match(text) else NOTHING
        if word == "else":
            return self._else_context(index, names)
        if word in ("if", "elif", "with") or (word == "async" and text[5:].lstrip().startswith("with")):
            node = _parse_header(text)
            if isinstance(node, ast.If):
                return if_contexts(node.test, self._lookup if names else _no_names)[0]
            return with_context(node.items) if isinstance(node, (ast.With, ast.AsyncWith)) else None
        return NOTHING

    def _else_context(self, index: int, names: bool) -> Context | None:
        """An ``else:`` means the opposite of its ``if`` (never of an elif chain, a try or a loop)."""
        indent, line = _indent(self.lines[index]), index - 1
        while line >= 0:
            text = self.lines[line]
            stripped = text.lstrip(" \t")
            if not stripped or stripped.startswith("#") or self._inside_string(line) or _indent(text) > indent:
                line -= 1
                continue
            if _indent(text) < indent:
                return None
            header = self._header_text(line)
            if header is None:
                return None
            if not header.startswith("if") or not _HEADER_KEYWORD.match(header):
                return NOTHING
            node = _parse_header(header)
            if not isinstance(node, ast.If):
                return None
            return if_contexts(node.test, self._lookup if names else _no_names)[1]
        return None

    def _header_text(self, index: int) -> str | None:
        """The whole header ending (or starting) on this line, comments removed: multi-line headers joined."""
        code = _without_comments(self.lines[index]).strip()
        first, last = index, index
        balance = _balance(code)
        while first > 0 and (balance < 0 or self.lines[first - 1].rstrip().endswith("\\")) and index - first < 50:
            first -= 1
            above = _without_comments(self.lines[first]).strip()
            code, balance = f"{above}\n{code}", balance + _balance(above)
        while (balance > 0 or code.endswith("\\")) and last + 1 < len(self.lines) and last - index < 50:
            last += 1
            below = _without_comments(self.lines[last]).strip()
            code, balance = f"{code}\n{below}", balance + _balance(below)
        return code if balance == 0 and _HEADER_KEYWORD.match(code) else None

    def _installed_before(self, index: int) -> Context:
        """Whether the statement before this import (skipping other imports) installs packages on demand."""
        indent, chain, result = _indent(self.lines[index]), [index], NOTHING
        line = self._previous_statement(index)
        while line >= 0 and _indent(self.lines[line]) == indent:
            if line in self._installs:
                result = self._installs[line]
                break
            code = self._statement_text(line)
            found = NOTHING if code is None else _install_of(code)
            if found is not None:
                result = found
                break
            chain.append(line)
            line = self._previous_statement(line)
        for item in chain:
            self._installs[item] = result
        return result

    def _installed_in_line(self, index: int, head: str) -> Context:
        """``ensure_package("x"); import x`` on one line."""
        found = _install_of(head)
        return self._installed_before(index) if found is None else found

    def _previous_statement(self, index: int) -> int:
        """First line of the logical statement before line ``index`` (-1 when there is none)."""
        line = index - 1
        while line >= 0:
            stripped = self.lines[line].lstrip(" \t")
            if stripped and not stripped.startswith("#") and not self._inside_string(line):
                break
            line -= 1
        if line < 0:
            return -1
        balance = _balance(_without_comments(self.lines[line]))
        while line > 0 and (balance < 0 or self.lines[line - 1].rstrip().endswith("\\")) and index - line < 50:
            line -= 1
            balance += _balance(_without_comments(self.lines[line]))
        return line

    def _statement_text(self, first: int) -> str | None:
        """A simple statement starting at ``first`` with its continuation lines (None when it does not close)."""
        code = _without_comments(self.lines[first]).strip()
        balance, last = _balance(code), first
        while (balance > 0 or code.endswith("\\")) and last + 1 < len(self.lines) and last - first < 50:
            last += 1
            below = _without_comments(self.lines[last]).strip()
            code, balance = f"{code}\n{below}", balance + _balance(below)
        return code if balance == 0 else None

    def _lookup(self, name: str) -> Names:
        """A name in an ``if`` test: its assignments in this file (found by a search, each with its context)."""
        if name not in self._names:
            pattern = re.compile(
                rf"{re.escape(name)}[ \t]*(?::[^=\n]*)?=(?!=)(?P<value>[^\n]*)"
            )  # a literal first: fast
            assignments: list[tuple[ast.expr | None, Context]] = []
            for match in pattern.finditer(self.text):
                start = self.text.rfind("\n", 0, match.start()) + 1
                if self.text[start : match.start()].strip(" \t"):
                    continue  # not at the start of its line
                index = self.text.count("\n", 0, match.start())
                if self._inside_string(index):
                    continue
                context = self._context(index, _indent(self.lines[index]), statement=False, names=False)
                assignments.append((_expression(match["value"]), context or NOTHING))
            self._names[name] = names_from(name, assignments)
        return self._names[name]

    def _try_catches_import_error(self, header: int) -> bool:
        """Follow the clauses after a `try:` block (each `except` at the try's indentation) for an import error."""
        indent, index = _indent(self.lines[header]), header
        while True:
            index = self._block_end(index)
            if index >= len(self.lines) or _indent(self.lines[index]) != indent:
                return False
            stripped = self.lines[index].strip()
            if not stripped.startswith("except"):
                return False
            if _CATCHES_IMPORT_ERROR.match(stripped):
                return True

    def _block_end(self, header: int) -> int:
        """The first code line after ``header`` indented no deeper than it (len(lines) at end of file)."""
        indent = _indent(self.lines[header])
        for index in range(header + 1, len(self.lines)):
            line = self.lines[index]
            stripped = line.lstrip(" \t")
            if not stripped or stripped.startswith("#") or _indent(line) > indent or self._inside_string(index):
                continue
            return index
        return len(self.lines)


def _install_of(code: str) -> Context | None:
    """The install-on-demand context of a statement's text; None when it holds only imports (look further up)."""
    if _IMPORT_AT_START.match(code) and ";" not in code:
        return None
    if not any(word in code for word in _INSTALL_WORDS):
        return NOTHING
    try:
        statements = ast.parse(code).body
    except (SyntaxError, ValueError):
        return NOTHING
    for statement in reversed(statements):
        if not isinstance(statement, (ast.Import, ast.ImportFrom)):
            return install_context(statement)
    return None


def _parse_header(text: str) -> ast.stmt | None:
    """A header line as a statement: ``if x:`` completed with ``pass``, or a whole one-line ``if x: import y``."""
    source = "if" + text[4:] if text.startswith("elif") else text
    for candidate in (f"{source} pass", source):
        try:
            body = ast.parse(candidate).body
        except (SyntaxError, ValueError):
            continue
        return body[0] if body else None
    return None


def _expression(value: str) -> ast.expr | None:
    """An assignment's value written on its line (None when it continues on the next lines)."""
    code = _without_comments(value).strip()
    if not code or code.endswith(","):
        return None
    try:
        return ast.parse(code, mode="eval").body
    except (SyntaxError, ValueError):
        return None


def _without_comments(line: str) -> str:
    if "#" not in line:
        return line
    return _TOKEN.sub(lambda token: "" if token.group().startswith("#") else token.group(), line)


def _balance(code: str) -> int:
    """Open brackets minus closed ones, strings left out."""
    if "'" in code or '"' in code:
        code = _TOKEN.sub(_blank, code)
    opened = code.count("(") + code.count("[") + code.count("{")
    return opened - code.count(")") - code.count("]") - code.count("}")


def _imports_of(node: ast.Import | ast.ImportFrom) -> list[RawImport]:
    if isinstance(node, ast.Import):
        return [RawImport(alias.name, node.lineno) for alias in node.names]
    if node.level or not node.module:
        return []
    return [RawImport(node.module, node.lineno, tuple(alias.name for alias in node.names))]


def _statement_column(line: str) -> int | None:
    """Where an import statement starts on this line, if one does (strings blanked out when quotes are present)."""
    match = _STATEMENT_START.match(line)
    if match is None and ("'" in line or '"' in line):
        match = _STATEMENT_START.match(_TOKEN.sub(_blank, line))
    if match and _word_ends(line, match.end("stmt")):
        return match.start("stmt")
    return None


def _blank(token: re.Match[str]) -> str:
    return "" if token.group().startswith("#") else "_" * len(token.group())


def _word_ends(line: str, end: int) -> bool:
    return end >= len(line) or not (line[end].isalnum() or line[end] == "_")


def _indent(line: str) -> int:
    stripped = line.lstrip(" \t")
    whitespace = line[: len(line) - len(stripped)]
    return len(whitespace.expandtabs(8)) if "\t" in whitespace else len(whitespace)


def _string_line_ranges(text: str) -> list[tuple[int, int]]:
    """Line ranges (0-based, inclusive) that START inside a multi-line string literal.

    Only triple-quoted strings span lines, so the cheap way is to pair up triple-quote delimiters; that pairing is
    wrong only if a triple quote sits in a comment or a one-line string, which we detect (a quote or ``#`` before an
    opening delimiter on its line) and then tokenise the file properly instead.
    """
    spans = _triple_quote_spans(text)
    if spans is None:
        spans = [(match.start(), match.end()) for match in _TOKEN.finditer(text) if "\n" in match.group()]
    ranges, line, last = [], 0, 0
    for start, end in spans:
        line += text.count("\n", last, start)
        first = line + 1
        line += text.count("\n", start, end)
        last = end
        if line >= first:
            ranges.append((first, line))
    return ranges


def _triple_quote_spans(text: str) -> list[tuple[int, int]] | None:
    spans: list[tuple[int, int]] = []
    position = 0
    double, single = text.find('"""'), text.find("'''")
    while double != -1 or single != -1:
        start, quote = (double, '"""') if single == -1 or (double != -1 and double < single) else (single, "'''")
        prefix = text[text.rfind("\n", 0, start) + 1 : start]
        if "#" in prefix or "'" in prefix or '"' in prefix:
            return None
        position = _closing(text, quote, start + 3)
        if position == -1:
            return None
        spans.append((start, position))
        if double != -1 and double < position:
            double = text.find('"""', position)
        if single != -1 and single < position:
            single = text.find("'''", position)
    return spans


def _closing(text: str, quote: str, position: int) -> int:
    """Index just past the delimiter closing a string opened before ``position`` (skipping escaped quotes)."""
    while True:
        found = text.find(quote, position)
        if found == -1:
            return -1
        backslashes = 0
        while text[found - 1 - backslashes] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            return found + 3
        position = found + 1
