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
import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

# An except clause that would catch a failed import: ImportError, ModuleNotFoundError, or anything broader.
_CATCHES_IMPORT_ERROR = re.compile(
    r"except\s*(?::|\*?\s*\(?[^:]*\b(?:ImportError|ModuleNotFoundError|Exception|BaseException)\b)"
)
_TYPE_CHECKING_IF = re.compile(r"(?:el)?if\s+(?:\w+\s*\.\s*)?TYPE_CHECKING\s*:")  # typing., t., or bare
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})

# A statement starting on this line: at its start, or after a one-line header or `x = 1;` (head is tried last: `??`).
_STATEMENT_START = re.compile(r"(?P<head>[^#'\"\n]*?[:;])??[ \t]*(?P<stmt>from[ \t]+\.*[\w.]*[ \t]+import\b|import\b)")
_HEADER_KEYWORD = re.compile(r"(?:try|except|finally|else|elif|if|with|for|while|def|class|async|match|case)\b")
_IMPORT_KEYWORD = re.compile(r"\bimport\b")
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


@dataclass(frozen=True, slots=True)
class RawImport:
    """One import as written: ``module`` is absolute (relative imports are dropped), ``names`` from ``from`` imports."""

    module: str
    line: int
    names: tuple[str, ...] = ()
    optional: bool = False
    type_only: bool = False
    dynamic: bool = False


def extract(text: str, *, full: bool = False) -> list[RawImport]:
    """All absolute imports in ``text``; ``full`` forces an exact ``ast`` parse of the whole text."""
    if full or _has_conflict_markers(text):
        return _from_full_parse(text)
    scan = _FastScan(text)
    found = None if scan.looks_like_python2() else scan.run()
    return _from_full_parse(text) if found is None else found


def _has_conflict_markers(text: str) -> bool:
    """Conflict markers make the file unusable; a real parse confirms it and says where."""
    return any(marker in text for marker in _CONFLICT_MARKERS) or text.startswith(("<<<<<<< ", ">>>>>>> "))


# --- exact path -------------------------------------------------------------------------------------------------


def _from_full_parse(text: str) -> list[RawImport]:
    try:
        tree = ast.parse(text)
    except SyntaxError as error:
        raise NotPython(f"not valid Python 3 (line {error.lineno}: {error.msg})") from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise NotPython(f"not parseable as Python ({type(error).__name__})") from None
    return list(_walk(tree))


def _walk(tree: ast.AST) -> Iterator[RawImport]:
    """Every import in the tree with its context flags; iterative, since generated code can nest very deeply."""
    stack: list[tuple[ast.AST, bool, bool]] = [(tree, False, False)]
    while stack:
        node, optional, type_only = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield from (RawImport(r.module, r.line, r.names, optional, type_only) for r in _imports_of(node))
        elif isinstance(node, ast.Call):
            module = _dynamic_target(node)
            if module:
                yield RawImport(module, node.lineno, (), optional, type_only, dynamic=True)
        stack.extend(reversed(_children(node, optional, type_only)))


def _children(node: ast.AST, optional: bool, type_only: bool) -> list[tuple[ast.AST, bool, bool]]:
    """Child nodes with the flags that hold inside them: try bodies guarded by an import-error handler, and
    the body of `if TYPE_CHECKING:`; handlers are optional only when they themselves catch import errors."""
    if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
        guarded = any(_handler_catches_import_error(h) for h in node.handlers)  # type: ignore[attr-defined]
        body = [(child, optional or guarded, type_only) for child in node.body]  # type: ignore[attr-defined]
        handlers = [(h, optional or _handler_catches_import_error(h), type_only) for h in node.handlers]  # type: ignore[attr-defined]
        rest = [(child, optional, type_only) for child in [*node.orelse, *node.finalbody]]  # type: ignore[attr-defined]
        return body + handlers + rest
    if isinstance(node, ast.If):
        checking = _is_type_checking(node.test)
        return [
            (node.test, optional, type_only),
            *((c, optional, type_only or checking) for c in node.body),
            *((c, optional, type_only) for c in node.orelse),
        ]
    return [(child, optional, type_only) for child in ast.iter_child_nodes(node)]


def _dynamic_target(node: ast.Call) -> str:
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    if name in ("__import__", "import_module") and node.args:
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str) and _is_absolute(first.value):
            return first.value
    return ""


def _handler_catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for kind in types:
        name = kind.id if isinstance(kind, ast.Name) else kind.attr if isinstance(kind, ast.Attribute) else ""
        if name in _IMPORT_ERRORS:
            return True
    return False


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _is_absolute(module: str) -> bool:
    return bool(module) and not module.startswith(".") and all(part.isidentifier() for part in module.split("."))


# --- fast path --------------------------------------------------------------------------------------------------


class _FastScan:
    """Finds import statements without parsing the whole file; ``run`` returns None when unsure."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.string_lines = _string_line_ranges(text)  # sorted (first, last) 0-based line ranges inside strings
        self._blocks: list[tuple[int, int, bool, bool]] | None = None

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
                dynamic.extend(self._dynamic(index, line))
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
        position = bisect.bisect_right(self.string_lines, (index, float("inf"))) - 1
        return position >= 0 and self.string_lines[position][0] <= index <= self.string_lines[position][1]

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
                optional, type_only = self._flags(node.lineno - 1, statements[node.lineno - 1])
                for raw in _imports_of(node):
                    found.append(RawImport(raw.module, raw.line, raw.names, optional, type_only))
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

    def _dynamic(self, index: int, line: str) -> list[RawImport]:
        head = line.partition("#")[0]
        code = head if "'" not in head and '"' not in head else line  # a '#' after a quote may sit in a string
        if code.rstrip().endswith("(") and index + 1 < len(self.lines):
            code += self.lines[index + 1]  # import_module(\n    "name", ...)
        found = []
        for match in _DYNAMIC_CALL.finditer(code):
            before = code[: match.start()]
            if _is_absolute(match["name"]) and before.count('"') % 2 == 0 and before.count("'") % 2 == 0:
                optional, type_only = self._flags(index, _indent(line))
                found.append(RawImport(match["name"], index + 1, (), optional, type_only, dynamic=True))
        return found

    def _flags(self, index: int, column: int) -> tuple[bool, bool]:
        """(optional, type_only) for code at (index, column): its one-line header, then every enclosing block."""
        line = self.lines[index]
        head = line[:column].strip()
        optional, type_only = False, False
        if head.endswith(":") and _HEADER_KEYWORD.match(head):
            optional, type_only = self._header_flags(index, _indent(line))
        for start, end, block_optional, block_type_only in self._guard_blocks():
            if start < index < end:
                optional, type_only = optional or block_optional, type_only or block_type_only
        return optional, type_only

    def _guard_blocks(self) -> list[tuple[int, int, bool, bool]]:
        """Blocks that change the flags: (header line, end line, optional, type_only), computed once per file.

        Only `try:`, `except ...:` and `if TYPE_CHECKING:` headers matter, and they are few, so we find them by
        literal search and walk forward to where their block ends, instead of walking up from every import.
        """
        if self._blocks is None:
            self._blocks = []
            found = (self._lines_with("try"), self._lines_with("except"), self._lines_with("TYPE_CHECKING"))
            headers = sorted(set().union(*found))
            for index in headers:
                stripped = self.lines[index].strip()
                code = stripped.partition("#")[0].rstrip() if "'" not in stripped and '"' not in stripped else stripped
                if not code.endswith(":") or not _HEADER_KEYWORD.match(code) or self._inside_string(index):
                    continue
                optional, type_only = self._header_flags(index, _indent(self.lines[index]))
                if optional or type_only:
                    self._blocks.append((index, self._block_end(index), optional, type_only))
        return self._blocks

    def _header_flags(self, header: int, indent: int) -> tuple[bool, bool]:
        text = self.lines[header].strip()
        if text.startswith("try") and text[3:].lstrip().startswith(":"):
            return self._try_catches_import_error(header), False
        if text.startswith("except"):
            return bool(_CATCHES_IMPORT_ERROR.match(text)), False
        return False, bool(_TYPE_CHECKING_IF.match(text))

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
