"""Inline ignore markers: ``import foo  # pipreqs-action: ignore`` silences that one import.

deptry's spelling is honoured too, so a project moving from deptry keeps its markers: ``# deptry: ignore`` and
``# deptry: ignore[DEP001]`` (DEP001 is deptry's "missing" rule; a marker naming only its other rules does not
silence a missing import). A marker that silenced nothing (on an import that is declared, in the standard
library or the project's own) is reported as stale, so markers do not outlive their reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pipreqs_action.model import ImportRef, Location
from pipreqs_action.reading.lazy_regex import LazyPattern

_MARKER = LazyPattern(r"#.*?\b(?P<tool>pipreqs-action|deptry)\s*:\s*ignore\b(?:\[(?P<codes>[^\]]*)\])?")
_CODES = {"pipreqs-action": "PRA001", "deptry": "DEP001"}


def marker_line(lines: Sequence[str], first: int, last: int) -> int:
    """The 1-based line of a marker that silences a missing import, on any line first..last (0-based); 0 if none."""
    for index in range(first, min(last, len(lines) - 1) + 1):
        line = lines[index]
        if "ignore" in line and _silences(line):
            return index + 1
    return 0


def _silences(line: str) -> bool:
    for match in _MARKER.finditer(line):
        codes = match["codes"]
        if codes is None or _CODES[match["tool"]] in {code.strip() for code in codes.split(",")}:
            return True
    return False


def marker_location(ref: ImportRef) -> Location:
    return Location(ref.location.path, ref.ignore_line)


def stale(
    refs: Iterable[ImportRef], known_stale: Iterable[Location], silenced: Iterable[Location]
) -> tuple[Location, ...]:
    """Markers that silenced nothing: on imports found elsewhere (stdlib, local) or on satisfied imports."""
    markers = {marker_location(ref) for ref in refs if ref.ignore_line}
    return tuple(sorted((markers | set(known_stale)) - set(silenced)))
