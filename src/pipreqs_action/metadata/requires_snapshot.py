"""The bundled ``requires_dist`` snapshot read entry by entry, not parsed whole.

WHY: the file is about 1 MB of JSON and a run looks up a handful of names, only when something is missing;
parsing it whole took 10-20 ms of each such run. ``encode_snapshot`` writes one project a line,
``  "name": [...]``, in the order of the names, so an entry is found by halving the lines (searching the whole
text for a name it lacks was 3 % of a small check's instructions: most names asked are not in it) and only that
line is decoded. A file in any other layout (edited by hand, written by another tool, its lines out of order) is
parsed whole, with the same answers.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping, Sequence

__all__ = ["Snapshot"]

log = logging.getLogger(__name__)

_HEAD = '{\n "_about": '
_PROJECTS = '\n "projects": {\n'
_TAIL = "\n }\n}\n"
_INDENT = "\n  "  # how ``encode_snapshot`` starts a project's line: then ``"name": `` (the name as JSON writes it)


class Snapshot(Mapping[str, Sequence[object]]):
    """The snapshot's ``projects`` table: name -> ``[version, "plain names", {extra: "names"}]`` as stored."""

    def __init__(self, text: str, origin: str) -> None:
        self._origin = origin
        self._decoded: dict[str, Sequence[object] | None] = {}
        self._text = text
        self._whole: Mapping[str, Sequence[object]] | None = None
        self._first = text.find(_PROJECTS) + len(_PROJECTS) - 1  # the line end before the first project's line
        self._last = len(text) - len(_TAIL)  # the line end after the last one
        if not (text.startswith(_HEAD) and text.endswith(_TAIL) and _PROJECTS in text):
            self._whole = self._parse_whole()

    def __getitem__(self, name: str) -> Sequence[object]:
        entry = self._whole.get(name) if self._whole is not None else self._entry(name)
        if entry is None:
            raise KeyError(name)
        return entry

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def _entry(self, name: str) -> Sequence[object] | None:
        if name in self._decoded:
            return self._decoded[name]
        entry = None
        start = self._line_of(name)
        if start >= 0:
            line = self._text[start : self._text.find("\n", start)].removesuffix(",")
            try:
                entry = json.loads(line)
            except ValueError as exc:
                log.warning("%s: cannot read the dependency snapshot's entry for %s: %s", self._origin, name, exc)
        self._decoded[name] = entry
        return entry

    def _line_of(self, name: str) -> int:
        """Where the entry of ``name`` starts on its line (after ``"name": ``); -1 when it has none.

        The lines are in the order of the names (``encode_snapshot`` sorts them; a test checks the bundled file),
        so the lines still in question are halved until the name's line is found or none is left."""
        low, high = self._first, self._last  # the line ends around the lines still in question
        while low < high:
            line_end = self._text.rfind("\n", low, (low + high) // 2 + 1)  # before a line in the middle
            found, entry = self._name_at(line_end)
            if found == name:
                return entry
            if found < name:
                low = self._text.find("\n", line_end + 1)
            else:
                high = line_end
        return -1

    def _name_at(self, line_end: int) -> tuple[str, int]:
        """The name of the project whose line follows ``line_end``, and where its entry starts."""
        start = line_end + len(_INDENT)  # the name's opening quote
        close = self._text.find('": ', start)
        quoted = self._text[start : close + 1]
        return (json.loads(quoted) if "\\" in quoted else quoted[1:-1]), close + 3

    def _all(self) -> Mapping[str, Sequence[object]]:
        if self._whole is None:
            self._whole = self._parse_whole()
        return self._whole

    def _parse_whole(self) -> Mapping[str, Sequence[object]]:
        try:
            data = json.loads(self._text)
        except ValueError as exc:
            log.warning("%s: cannot read the dependency snapshot: %s", self._origin, exc)
            return {}
        projects = data.get("projects", {}) if isinstance(data, dict) else {}
        return projects if isinstance(projects, dict) else {}
