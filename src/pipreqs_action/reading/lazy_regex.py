"""Regular expressions compiled on first use, for module-level patterns that many runs never need.

WHY: every run imports every stage, and ``re.compile`` at import costs a tenth of a millisecond to a millisecond
per pattern: on a small repository the patterns of rules that find nothing to look at (no README to read, no
``sys.path`` call, no notebook) were a good part of the whole run. A ``LazyPattern`` compiles when first asked,
then hands out the compiled pattern's own bound methods, so a hot loop pays nothing after its first call.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

# The compiled pattern's methods that a first call puts on the instance, where later lookups find them first.
_METHODS = ("search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split")


class LazyPattern:
    """``re.compile(pattern, flags)``, done on the first call of one of its methods."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (``re``'s own cache keeps one per pattern); its methods now answer directly."""
        compiled = re.compile(self.pattern, self.flags)
        vars(self).update((name, getattr(compiled, name)) for name in _METHODS)
        return compiled

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled().findall(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled().sub(repl, string, count)

    def subn(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> tuple[str, int]:
        return self.compiled().subn(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled().split(string, maxsplit)
