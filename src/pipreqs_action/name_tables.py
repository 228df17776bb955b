"""The small import-name tables read from files: our curated table, pipreqs' mapping and the download ranking.

See ``data/README.md`` for where each comes from. Each is read once per process, on first use. pipreqs' table is
the copy of its ``mapping`` file shipped in ``data/`` (``scripts/refresh_import_index.py index``), so pipreqs and
its scanner's dependencies are never installed, on any Python version.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from pipreqs_action.errors import MappingError
from pipreqs_action.namespaces import NAMESPACE_ROOTS, normalise

__all__ = ["DATA", "NameTable", "curated", "pipreqs_table", "popularity"]

DATA = Path(__file__).with_name("data")


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
    """pipreqs' ``import:dist`` lines, minus bare namespace roots (its ``google:protobuf`` is wrong)."""
    path = DATA / "pipreqs_mapping.txt"
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise MappingError(f"{path}: cannot read pipreqs' mapping: {exc}") from exc
    pairs = (line.strip().partition(":")[::2] for line in lines)
    return NameTable.from_pairs((imp, dist) for imp, dist in pairs if imp and dist and imp not in NAMESPACE_ROOTS)


@functools.cache
def popularity() -> Mapping[str, int]:
    """Download rank by normalised name (1 = most downloaded); read only when a choice must be made.

    The file holds normalised names already (``scripts/refresh_import_index.py`` writes it so), sparing 15,000
    regex substitutions per process.
    """
    path = DATA / "popular.txt"
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise MappingError(f"{path}: cannot read the popularity list: {exc}") from exc
    names = text.split("\n")
    if names and not names[-1]:
        names.pop()
    first = 1 if names and names[0].startswith("#") else 0  # one header line naming the source and date
    return dict(zip(names[first:], range(1, len(names) - first + 1), strict=True))
