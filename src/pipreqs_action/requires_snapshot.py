"""The bundled ``requires_dist`` snapshot read entry by entry, not parsed whole.

WHY: the file is about 1 MB of JSON and a run looks up a handful of names, only when something is missing;
parsing it whole took 10-20 ms of each such run. ``encode_snapshot`` writes one project a line,
``  "name": [...]``, so an entry is found by where its line starts and only that line is decoded. A file in any
other layout (edited by hand, written by another tool) is parsed whole, with the same answers.
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
_ENTRY = "\n  {key}: "  # how ``encode_snapshot`` starts a project's line (the key as ``json.dumps`` writes it)


class Snapshot(Mapping[str, Sequence[object]]):
    """The snapshot's ``projects`` table: name -> ``[version, "plain names", {extra: "names"}]`` as stored."""

    def __init__(self, text: str, origin: str) -> None:
        self._origin = origin
        self._decoded: dict[str, Sequence[object] | None] = {}
        self._text = text
        self._whole: Mapping[str, Sequence[object]] | None = None
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
        prefix = _ENTRY.format(key=json.dumps(name))
        start = self._text.find(prefix, self._text.find(_PROJECTS))
        if start >= 0:
            line = self._text[start + len(prefix) : self._text.find("\n", start + 1)].removesuffix(",")
            try:
                entry = json.loads(line)
            except ValueError as exc:
                log.warning("%s: cannot read the dependency snapshot's entry for %s: %s", self._origin, name, exc)
        self._decoded[name] = entry
        return entry

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
