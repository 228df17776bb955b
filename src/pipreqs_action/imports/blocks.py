"""The context of a line in the fast scan: walking up its indentation to every enclosing block header.

Each header is read as a tiny ``ast`` statement and handed to the classifiers in ``guards`` (the full parse uses
the same ones); ``None`` anywhere means "not sure", and the caller falls back to a full parse of the file.
Parents, headers, name lookups and install checks are memoised per file: a long class is walked once.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from pipreqs_action.imports.lexical import bracket_balance, indent_of, string_line_ranges, without_comments
from pipreqs_action.intent.deferred_imports import checked_in, never_checked
from pipreqs_action.intent.guards import (
    EXCEPT_GUARD,
    FUNCTION,
    NOTHING,
    Context,
    Names,
    if_contexts,
    install_context,
    names_from,
    no_names,
    with_context,
)

# An except clause that would catch a failed import: ImportError, ModuleNotFoundError, or anything broader.
_CATCHES_IMPORT_ERROR = re.compile(
    r"except\s*(?::|\*?\s*\(?[^:]*\b(?:ImportError|ModuleNotFoundError|Exception|BaseException)\b)"
)
_HEADER_KEYWORD = re.compile(r"(?:try|except|finally|else|elif|if|with|for|while|def|class|async|match|case)\b")
_DEF = re.compile(r"(?:async[ \t]+)?def\b")
_IMPORT_AT_START = re.compile(r"(?:from[ \t]+\.*[\w.]*[ \t]+import|import)\b")
_INSTALL_WORDS = ("install", "require", "ensure", "pip")


class Blocks:
    """One file's lines, and what holds at each of them (see the module docstring)."""

    def __init__(self, text: str, wanted: Callable[[str], bool] | None = None) -> None:
        self.text = text
        self.wanted = wanted
        self.lines = text.split("\n")
        self.string_lines = string_line_ranges(text)  # sorted (first, last) 0-based line ranges inside strings
        self._parents: dict[int, int] = {}  # line -> its enclosing header line (see _parent)
        self._installs: dict[int, Context] = {}  # import line -> what the statements before it install
        self._names: dict[str, Names] = {}
        self._headers: dict[tuple[int, bool, bool], Context | None] = {}
        self._chains: dict[tuple[int, bool], Context | None] = {}  # elif/else line -> its earlier tests all false
        self._may_install = any(word in text for word in _INSTALL_WORDS)  # most files never mention an install
        self._string_mask: bytearray | None = None
        self._checked = checked_in(text)  # the deferred-import handles the file asks (deferred_imports)

    def _inside_string(self, index: int) -> bool:
        """True when line ``index`` starts inside a multi-line string literal."""
        if self._string_mask is None:  # one byte per line, built on first use: cheaper than a search per call
            self._string_mask = bytearray(len(self.lines))
            for first, last in self.string_lines:
                self._string_mask[first : last + 1] = b"\x01" * (last + 1 - first)
        return 0 <= index < len(self._string_mask) and self._string_mask[index] == 1

    def context_at(self, index: int, column: int) -> Context | None:
        """What holds for a statement starting at (index, column), for readers outside the scan (None: unsure)."""
        return self._context(index, column)

    def in_def(self, index: int) -> bool:
        """Is line ``index`` inside the body of a ``def`` (at any depth, a method's too)? Such code runs only when
        the function is called, never when the module is imported (a class body, an ``if`` at the top do run)."""
        line = self._parent(index)
        while line >= 0:
            header = self._header_text(line)
            if header is not None and _DEF.match(header):
                return True
            line = self._parent(line)
        return False

    def _context(self, index: int, column: int, *, statement: bool = True, names: bool = True) -> Context | None:
        """What holds for code at (index, column): its one-line header, the statement before it, then every
        enclosing block up to the top level. None when a header cannot be read with certainty."""
        head = self.lines[index][:column].strip()
        context: Context | None = NOTHING
        if head:
            code = without_comments(head).rstrip()
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
        indent, lines, parents = indent_of(self.lines[index]), self.lines, self._parents
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
                width = indent_of(text)
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
            return self._earlier_tests_false(index, names)
        if word in ("if", "elif", "with") or (word == "async" and text[5:].lstrip().startswith("with")):
            node = _parse_header(text)
            if isinstance(node, ast.If):
                inside = if_contexts(node.test, self._lookup if names else no_names)[0]
                if word != "elif":
                    return inside
                earlier = self._earlier_tests_false(index, names)
                return None if earlier is None else inside.within(earlier)
            if isinstance(node, (ast.With, ast.AsyncWith)):
                return with_context(node.items, self._checked if names else never_checked)
            return None
        return NOTHING

    def _earlier_tests_false(self, index: int, names: bool) -> Context | None:
        """What holds at the ``elif`` or ``else`` clause on line ``index`` because every earlier test of its chain
        was false: the opposite of each (NOTHING after a try's or a loop's clauses; None when unsure)."""
        key = (index, names)
        if key not in self._chains:
            self._chains[key] = self._read_earlier_tests(index, names)
        return self._chains[key]

    def _read_earlier_tests(self, index: int, names: bool) -> Context | None:
        clause = self._previous_clause(index)
        if clause is None:
            return None
        line, header = clause
        keyword = _HEADER_KEYWORD.match(header)
        if keyword is None or keyword.group() not in ("if", "elif"):
            return NOTHING
        node = _parse_header(header)
        if not isinstance(node, ast.If):
            return None
        outside = if_contexts(node.test, self._lookup if names else no_names)[1]
        if keyword.group() == "if":
            return outside
        before = self._earlier_tests_false(line, names)
        return None if before is None else outside.within(before)

    def _previous_clause(self, index: int) -> tuple[int, str] | None:
        """The line and header of the clause before the one on line ``index`` (same indentation); None if unsure."""
        indent, line = indent_of(self.lines[index]), index - 1
        while line >= 0:
            text = self.lines[line]
            stripped = text.lstrip(" \t")
            if not stripped or stripped.startswith("#") or self._inside_string(line) or indent_of(text) > indent:
                line -= 1
                continue
            if indent_of(text) < indent:
                return None
            header = self._header_text(line)
            return None if header is None else (line, header)
        return None

    def _header_text(self, index: int) -> str | None:
        """The whole header ending (or starting) on this line, comments removed: multi-line headers joined."""
        code = without_comments(self.lines[index]).strip()
        first, last = index, index
        balance = bracket_balance(code)
        while first > 0 and (balance < 0 or self.lines[first - 1].rstrip().endswith("\\")) and index - first < 50:
            first -= 1
            above = without_comments(self.lines[first]).strip()
            code, balance = f"{above}\n{code}", balance + bracket_balance(above)
        while (balance > 0 or code.endswith("\\")) and last + 1 < len(self.lines) and last - index < 50:
            last += 1
            below = without_comments(self.lines[last]).strip()
            code, balance = f"{code}\n{below}", balance + bracket_balance(below)
        return code if balance == 0 and _HEADER_KEYWORD.match(code) else None

    def _installed_before(self, index: int) -> Context:
        """Whether the statement before this import (skipping other imports) installs packages on demand."""
        indent, chain, result = indent_of(self.lines[index]), [index], NOTHING
        line = self._previous_statement(index)
        while line >= 0 and indent_of(self.lines[line]) == indent:
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
        balance = bracket_balance(without_comments(self.lines[line]))
        while line > 0 and (balance < 0 or self.lines[line - 1].rstrip().endswith("\\")) and index - line < 50:
            line -= 1
            balance += bracket_balance(without_comments(self.lines[line]))
        return line

    def _statement_text(self, first: int) -> str | None:
        """A simple statement starting at ``first`` with its continuation lines (None when it does not close)."""
        code = without_comments(self.lines[first]).strip()
        balance, last = bracket_balance(code), first
        while (balance > 0 or code.endswith("\\")) and last + 1 < len(self.lines) and last - first < 50:
            last += 1
            below = without_comments(self.lines[last]).strip()
            code, balance = f"{code}\n{below}", balance + bracket_balance(below)
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
                context = self._context(index, indent_of(self.lines[index]), statement=False, names=False)
                assignments.append((_expression(match["value"]), context or NOTHING))
            self._names[name] = names_from(name, assignments)
        return self._names[name]

    def _try_catches_import_error(self, header: int) -> bool:
        """Follow the clauses after a `try:` block (each `except` at the try's indentation) for an import error."""
        indent, index = indent_of(self.lines[header]), header
        while True:
            index = self._block_end(index)
            if index >= len(self.lines) or indent_of(self.lines[index]) != indent:
                return False
            stripped = self.lines[index].strip()
            if not stripped.startswith("except"):
                return False
            if _CATCHES_IMPORT_ERROR.match(stripped):
                return True

    def _block_end(self, header: int) -> int:
        """The first code line after ``header`` indented no deeper than it (len(lines) at end of file)."""
        indent = indent_of(self.lines[header])
        for index in range(header + 1, len(self.lines)):
            line = self.lines[index]
            stripped = line.lstrip(" \t")
            if not stripped or stripped.startswith("#") or indent_of(line) > indent or self._inside_string(index):
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
    code = without_comments(value).strip()
    if not code or code.endswith(","):
        return None
    try:
        return ast.parse(code, mode="eval").body
    except (SyntaxError, ValueError):
        return None
