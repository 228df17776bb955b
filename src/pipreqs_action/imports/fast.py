"""The fast path: find the import statements by string search and parse only them (see ``imports``)."""

from __future__ import annotations

import ast
import re

from pipreqs_action import ignores
from pipreqs_action.imports.blocks import Blocks
from pipreqs_action.imports.lexical import TOKEN, blank, indent_of, word_ends
from pipreqs_action.imports.raw import RawImport, imports_of, is_absolute
from pipreqs_action.intent.guards import NOTHING
from pipreqs_action.reading.lazy_regex import LazyPattern

# A statement starting on this line: at its start, or after a one-line header or `x = 1;` (head is tried last: `??`).
_STATEMENT_START = re.compile(r"(?P<head>[^#'\"\n]*?[:;])??[ \t]*(?P<stmt>from[ \t]+\.*[\w.]*[ \t]+import\b|import\b)")
_IMPORT_KEYWORD = LazyPattern(r"\bimport\b")
_DYNAMIC_CALL = LazyPattern(r"""(?<!\w)(?:__import__|import_module)\(\s*(?P<q>['"])(?P<name>[\w.]+)(?P=q)""")
# Python 2 only constructs, checked only on lines found by a literal search (cheap), then confirmed by ast.
_PY2_PATTERNS = (  # each starts with a literal, so the regex engine searches fast
    re.compile(r"print[ \t]+(?:[\"'\w]|>>)"),
    re.compile(r"exec[ \t]+[\"']"),
    re.compile(r"except[ \t]+[\w.]+[ \t]*,[ \t]*\w+[ \t]*:"),
)


class FastScan(Blocks):
    """Finds import statements without parsing the whole file; ``run`` returns None when unsure."""

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
        return _IMPORT_KEYWORD.search(TOKEN.sub(" ", joined)) is not None

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
                raws = imports_of(node)
                context = self._context(index, statements[index]) if self._wants(raws) else NOTHING
                if context is None:
                    return None
                ignore = ignores.marker_line(self.lines, index, (node.end_lineno or node.lineno) - 1)
                found.extend(raw.within(context, ignore) for raw in raws)
        return found

    def _wants(self, raws: list[RawImport]) -> bool:
        wanted = self.wanted
        return wanted is None or any(wanted(raw.module.partition(".")[0]) for raw in raws)

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
            if is_absolute(match["name"]) and before.count('"') % 2 == 0 and before.count("'") % 2 == 0:
                wanted = self.wanted is None or self.wanted(match["name"].partition(".")[0])
                context = self._context(index, indent_of(line), statement=False) if wanted else NOTHING
                if context is None:
                    return None
                found.append(RawImport(match["name"], index + 1, dynamic=True).within(context))
        return found


def _statement_column(line: str) -> int | None:
    """Where an import statement starts on this line, if one does (strings blanked out when quotes are present)."""
    match = _STATEMENT_START.match(line)
    if match is None and ("'" in line or '"' in line):
        match = _STATEMENT_START.match(TOKEN.sub(blank, line))
    if match and word_ends(line, match.end("stmt")):
        return match.start("stmt")
    return None
