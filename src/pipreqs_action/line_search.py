"""``finditer`` for a pattern that matches one line at its start: only the lines holding a given word are tried.

WHY: for a pattern anchored at a line's start (``^`` with ``re.MULTILINE``) the regular expression engine cannot
skip ahead: it tries the pattern at every character of the file. Several per-file rules search that way (indented
imports, relative imports, test-framework imports), and on sympy's 26 MB each such search cost about as much as
reading the files. When every match must hold a word (``import``), a C-speed search for that word finds the few
lines worth trying, and the answers are the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["line_matches"]


def line_matches(pattern: re.Pattern[str], text: str, word: str) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text)`` yields, for a ``pattern`` that only matches from a line's start, never
    across a newline, and only on a line holding ``word``: each such line is tried once, in order."""
    position = text.find(word)
    while position != -1:
        match = pattern.match(text, text.rfind("\n", 0, position) + 1)
        if match:
            yield match
        end = text.find("\n", position)
        if end == -1:
            return
        position = text.find(word, end)
