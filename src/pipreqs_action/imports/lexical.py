"""The lexical facts the fast scan needs: where strings and comments are, indentation, bracket depth."""

from __future__ import annotations

import re

# Tokens of Python's lexical grammar that matter here: comments and every form of string literal.
TOKEN = re.compile(  # each character matches one way only (no nested quantifiers): no catastrophic backtracking
    r"""[#"'](?:(?<=#)[^\n]*|(?<=")""(?:[^"\\]|\\.|"(?!""))*\"""|(?<=')''(?:[^'\\]|\\.|'(?!''))*'''"""
    r"""|(?<=")(?:[^"\\\n]|\\.)*"|(?<=')(?:[^'\\\n]|\\.)*')""",
    re.DOTALL,
)


def blank(token: re.Match[str]) -> str:
    return "" if token.group().startswith("#") else "_" * len(token.group())


def word_ends(line: str, end: int) -> bool:
    return end >= len(line) or not (line[end].isalnum() or line[end] == "_")


def indent_of(line: str) -> int:
    stripped = line.lstrip(" \t")
    whitespace = line[: len(line) - len(stripped)]
    return len(whitespace.expandtabs(8)) if "\t" in whitespace else len(whitespace)


def without_comments(line: str) -> str:
    if "#" not in line:
        return line
    return TOKEN.sub(lambda token: "" if token.group().startswith("#") else token.group(), line)


def bracket_balance(code: str) -> int:
    """Open brackets minus closed ones, strings left out."""
    if "'" in code or '"' in code:
        code = TOKEN.sub(blank, code)
    opened = code.count("(") + code.count("[") + code.count("{")
    return opened - code.count(")") - code.count("]") - code.count("}")


def string_line_ranges(text: str) -> list[tuple[int, int]]:
    """Line ranges (0-based, inclusive) that START inside a multi-line string literal.

    Only triple-quoted strings span lines, so the cheap way is to pair up triple-quote delimiters; that pairing is
    wrong only if a triple quote sits in a comment or a one-line string, which we detect (a quote or ``#`` before an
    opening delimiter on its line) and then tokenise the file properly instead.
    """
    spans = _triple_quote_spans(text)
    if spans is None:
        spans = [(match.start(), match.end()) for match in TOKEN.finditer(text) if "\n" in match.group()]
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
