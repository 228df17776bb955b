"""The small import-name tables read from files: our curated table, pipreqs' mapping and the download ranking.

See ``data/README.md`` for where each comes from. Each is read once per process, on first use. pipreqs' table is
the copy of its ``mapping`` file shipped in ``data/`` (``scripts/refresh_import_index.py index``), so pipreqs and
its scanner's dependencies are never installed, on any Python version.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import NamedTuple, TypeVar

from pipreqs_action.errors import MappingError
from pipreqs_action.metadata.namespaces import NAMESPACE_ROOTS, normalise

__all__ = ["DATA", "NameTable", "curated", "pipreqs_table", "popularity"]

DATA = Path(__file__).parent.parent / "data"
_Value = TypeVar("_Value")
# Whitespace ``str.strip`` removes and line ends ``str.splitlines`` splits at, in ASCII, beside " " and "\n": a table
# file holding none of them (and no space at a line's edge) reads line by line as ``text.split("\n")`` reads it.
_UNPLAIN = ("\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", " \n", "\n ")


class NameTable(NamedTuple):
    """import path -> distributions (first = preferred), and the reverse by normalised distribution name."""

    imports: Mapping[str, tuple[str, ...]] = {}
    provides: Mapping[str, frozenset[str]] = {}
    names: Mapping[str, str] = {}  # key -> spelling to publish

    @classmethod
    def from_pairs(
        cls, pairs: Iterable[tuple[str, str]], extra: Mapping[str, Iterable[str]] | None = None
    ) -> NameTable:
        imports: dict[str, list[str]] = defaultdict(list)
        provides: dict[str, set[str]] = defaultdict(set)
        names: dict[str, str] = {}
        for path, dist in pairs:
            key = normalise(dist)
            imports[path].append(dist)
            provides[key].add(path)
            names.setdefault(key, dist)
        for dist, paths in (extra or {}).items():
            provides[normalise(dist)].update(paths)
            names.setdefault(normalise(dist), dist)
        return cls(
            imports={path: tuple(dict.fromkeys(dists)) for path, dists in imports.items()},
            provides={key: frozenset(paths) for key, paths in provides.items()},
            names=names,
        )


class _Lookup(Mapping[str, _Value]):
    """A read-only table that answers one key at a time (``find``: the value, or None when absent), and builds
    itself whole (``whole``) only to be iterated or counted, which a check never asks."""

    def __init__(self, find: Callable[[str], _Value | None], whole: Callable[[], Mapping[str, _Value]]) -> None:
        self._find = find
        self._whole = whole
        self._found: dict[str, _Value | None] = {}

    def __getitem__(self, key: str) -> _Value:
        if key not in self._found:
            self._found[key] = self._find(key)
        value = self._found[key]
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())


class _MappingLines:
    """pipreqs' ``import:dist`` lines, each key looked up in the text when asked.

    WHY: building the whole table (1,150 lines, each name normalised) was about 3 % of the instructions of a check
    of a small project, which asks for a few imports and distributions. ``plain`` says the text can be searched
    for a line (``\nimport:``): ASCII, no whitespace at a line's edge, no line end but ``\n``; each answer is
    what ``NameTable.from_pairs`` of the same lines gives.
    """

    def __init__(self, text: str, whole: Callable[[], NameTable]) -> None:
        self._text = f"\n{text}\n"
        # the text with every name normalised as far as it keeps its length (no run of separators to fold): a
        # distribution's key then stands where its name stands
        self._keys = self._text.lower().replace("_", "-").replace(".", "-")
        self.plain = (
            text.isascii()
            and not text.startswith(" ")
            and "--" not in self._keys
            and not any(c in text for c in _UNPLAIN)
        )
        self._whole = whole

    def table(self) -> NameTable:
        return NameTable(
            _Lookup(self._imports, lambda: self._whole().imports),
            _Lookup(self._provides, lambda: self._whole().provides),
            _Lookup(self._name, lambda: self._whole().names),
        )

    def _pairs(self, text: str, needle: str) -> Iterator[tuple[str, str]]:
        """``(import, dist)`` of each line of ``self._text`` at whose place ``text`` holds ``needle``."""
        at = text.find(needle)
        while at >= 0:
            start = self._text.rfind("\n", 0, at + 1) + 1
            imp, _, dist = self._text[start : self._text.find("\n", at + 1)].partition(":")
            if imp and dist and imp not in NAMESPACE_ROOTS:
                yield imp, dist
            at = text.find(needle, at + 1)

    def _imports(self, path: str) -> tuple[str, ...] | None:
        if not path or "\n" in path or ":" in path:
            return None
        dists = [dist for imp, dist in self._pairs(self._text, f"\n{path}:") if imp == path]
        return tuple(dict.fromkeys(dists)) or None

    def _by_key(self, key: str) -> list[tuple[str, str]]:
        """The lines whose distribution's key is ``key``, in file order."""
        if not key or "\n" in key:
            return []
        return [(imp, dist) for imp, dist in self._pairs(self._keys, f":{key}\n") if normalise(dist) == key]

    def _provides(self, key: str) -> frozenset[str] | None:
        return frozenset(imp for imp, _ in self._by_key(key)) or None

    def _name(self, key: str) -> str | None:
        found = self._by_key(key)
        return found[0][1] if found else None


@functools.cache
def curated() -> NameTable:
    path = DATA / "import_names.json"
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise MappingError(f"{path}: cannot read curated import names: {exc}") from exc
    pairs = [(imp, dist) for imp, dists in data["imports"].items() for dist in _as_list(dists)]
    return NameTable.from_pairs(pairs, data["provides"])


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


@functools.cache
def pipreqs_table() -> NameTable:
    """pipreqs' ``import:dist`` lines, minus bare namespace roots (its ``google:protobuf`` is wrong); looked up
    in the text key by key (``_MappingLines``) when the file allows it."""
    path = DATA / "pipreqs_mapping.txt"
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise MappingError(f"{path}: cannot read pipreqs' mapping: {exc}") from exc
    whole = functools.cache(lambda: _pipreqs_pairs(text))
    lines = _MappingLines(text, whole)
    return lines.table() if lines.plain else whole()


def _pipreqs_pairs(text: str) -> NameTable:
    pairs = (line.strip().partition(":")[::2] for line in text.splitlines())
    return NameTable.from_pairs((imp, dist) for imp, dist in pairs if imp and dist and imp not in NAMESPACE_ROOTS)


@functools.cache
def popularity() -> Mapping[str, int]:
    """Download rank by normalised name (1 = most downloaded); read only when a choice must be made.

    The file holds normalised names already (``scripts/refresh_import_index.py`` writes it so), a name a line, most
    downloaded first: a name's rank is the number of its line, found in the text when asked (a dict of its 15,000
    names was about 3 % of a small check's instructions; a check asks for a few).
    """
    path = DATA / "popular.txt"
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise MappingError(f"{path}: cannot read the popularity list: {exc}") from exc
    whole = functools.cache(lambda: _ranks(text))
    lines = f"\n{text}" if text.endswith("\n") else f"\n{text}\n"  # every name between two line ends
    first = 1 if text.startswith("#") else 0  # one header line naming the source and date

    def rank(name: str) -> int | None:
        if not name or "\n" in name:
            return whole().get(name)
        at = lines.rfind(f"\n{name}\n")  # the last, as the dict below keeps the last of a repeated name
        line = lines.count("\n", 0, at) if at >= 0 else -1
        return line - first + 1 if line >= first else None

    return _Lookup(rank, whole)


def _ranks(text: str) -> dict[str, int]:
    names = text.split("\n")
    if names and not names[-1]:
        names.pop()
    first = 1 if names and names[0].startswith("#") else 0  # one header line naming the source and date
    return dict(zip(names[first:], range(1, len(names) - first + 1), strict=True))
