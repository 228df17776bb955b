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

from pipreqs_action.reading.lazy_regex import LazyPattern

__all__ = ["LineStarts", "line_matches"]


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


class LineStarts:
    """What ``re.compile("^" + body, re.MULTILINE)`` finds, when no single word marks the lines worth trying.

    The pattern is searched as a newline followed by ``body``: a pattern starting with a character lets the engine
    jump from one newline to the next instead of trying every position (about three times faster on big files);
    the text's first line is tried on its own. ``body`` must neither start nor end with a newline.
    """

    def __init__(self, body: str) -> None:
        self.body = body
        self._first = LazyPattern(body)
        self._rest = LazyPattern(rf"\n(?:{body})")

    def findall(self, text: str) -> list[str]:
        """The one group of ``body`` at each line start where it matches, in order."""
        first = self._first.match(text)
        found: list[str] = self._rest.findall(text)
        return [first[1], *found] if first else found

    def found(self, text: str) -> bool:
        """Whether ``body`` matches at the start of any line."""
        return self._first.match(text) is not None or self._rest.search(text) is not None
