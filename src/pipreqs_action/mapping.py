"""The ``mapping`` stage: import names <-> distribution names, offline, without installing anything.

Plain pipreqs guesses a distribution from an import name and so raises false alarms (``PyYAML`` declared,
``yaml`` imported). Here every answer comes from data on disk, most trusted first:

1. the user's overrides (import -> distribution), given per run;
2. our curated data, ``data/import_names.json`` (see ``data/README.md`` for where each part comes from);
3. pipreqs 0.5.0's ``mapping`` file, its distribution names canonicalised through pigar's names;
4. pigar 2.2.0's database of the top-level modules of every PyPI distribution, read through the index derived
   from it and shipped in the package (``import_index``).

``provides(dist)`` unites what every source says a distribution provides; ``suggest(import_path)`` applies the
rules of ``suggestions``. How names and namespace paths relate is ``namespaces``; the small tables are read by
``name_tables``. This module joins them into the one object the ``compare`` stage asks.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from pipreqs_action.metadata.import_index import INDEX_ENV, Index, default_index_path, shared_index
from pipreqs_action.metadata.name_tables import NameTable, curated, pipreqs_table
from pipreqs_action.metadata.namespaces import (
    NAMESPACE_ROOTS,
    is_namespace,
    namespace_paths,
    normalise,
    prefixes,
    unversioned,
)
from pipreqs_action.model import ImportRef, Suggestion
from pipreqs_action.suggestions import Sources, suggest, suggestion_source

__all__ = [
    "INDEX_ENV",
    "NAMESPACE_ROOTS",
    "ImportNames",
    "default_index_path",
    "load_import_names",
    "normalise",
]

log = logging.getLogger(__name__)


class ImportNames:
    """Import paths <-> distributions, from the sources ranked in the module docstring. Lookups are cached."""

    def __init__(self, overrides: Mapping[str, str], index: Index) -> None:
        clean = {imp.strip(): dist.strip() for imp, dist in overrides.items() if imp.strip() and dist.strip()}
        self._sources = Sources(NameTable.from_pairs(clean.items()), curated(), pipreqs_table(), index)
        self._provides: dict[str, frozenset[str]] = {}
        self._suggestions: dict[str, Suggestion] = {}

    # import side

    def import_path(self, ref: ImportRef) -> str:
        """What one import is matched and shown as: its top-level name, or for a namespace package a path.

        For a namespace root, ``from google.cloud import storage`` is ``google.cloud.storage``; deeper parts
        are trimmed to the longest path some distribution is known to provide (``from google.cloud.storage
        import Client`` -> ``google.cloud.storage``). Unknown paths keep one component below the deepest
        namespace (``from google.foo.bar import x`` -> ``google.foo``). Only the first imported name is used:
        one ``ImportRef`` yields one path (see ``import_paths`` for all of them).
        """
        return self.import_paths(ref)[0]

    def import_paths(self, ref: ImportRef) -> tuple[str, ...]:
        """Every path one import names: ``from google.cloud import storage, bigquery`` names two packages."""
        if ref.root not in NAMESPACE_ROOTS:
            return (ref.root,)
        names = [name for name in ref.names if name != "*"] or [""]
        paths = (self._trim(f"{ref.module}.{name}" if name else ref.module) for name in names)
        return tuple(dict.fromkeys(paths))

    def _trim(self, full: str) -> str:
        for prefix in prefixes(full, shortest=2):
            if not is_namespace(prefix) and self._knows_path(prefix):
                return prefix
        depth = max(prefix.count(".") + 1 for prefix in prefixes(full) if is_namespace(prefix))
        return ".".join(full.split(".")[: depth + 1])

    def _knows_path(self, path: str) -> bool:
        for candidate in dict.fromkeys((path, unversioned(path))):
            tables = (self._sources.overrides, self._sources.curated)
            if any(candidate in table.imports for table in tables) or self._sources.index.knows_path(candidate):
                return True
        return False

    # distribution side

    def provides(self, dist: str) -> frozenset[str]:
        """Every import path a declared distribution provides, by any source; never empty."""
        key = normalise(dist)
        if key not in self._provides:
            self._provides[key] = self._gather(dist, key)
        return self._provides[key]

    def _gather(self, dist: str, key: str) -> frozenset[str]:
        found: set[str] = set(namespace_paths(dist))
        for table in (self._sources.curated, self._sources.pipreqs):
            found |= table.provides.get(key, frozenset())
        found.update(self._sources.index.paths(key))
        found = {path for path in found if not is_namespace(path)}
        found |= self._sources.overrides.provides.get(key, frozenset())  # the user's word, even for a bare root
        if not found:
            guess = re.sub(r"[-.]", "_", dist.strip())
            found = {guess, guess.lower()}
        own = key.replace("-", "_")  # a module named like the distribution is its own, whatever pigar lists
        if not is_namespace(own):  # (never a namespace root: `google` would cover every google.* import)
            found.add(own)
        return frozenset(found)

    def knows(self, dist: str) -> bool:
        """Whether any source has module data for a distribution: then ``provides`` is more than a guess from its
        name. A distribution newer than our data (``griffelib``, ``fastmcp-slim``) is unknown."""
        key = normalise(dist)
        tables = (self._sources.overrides, self._sources.curated, self._sources.pipreqs)
        if any(key in table.provides for table in tables) or namespace_paths(dist):
            return True
        return bool(self._sources.index.paths(key))

    @staticmethod
    def satisfies(provided: Iterable[str], import_path: str) -> bool:
        """True when a provided path is the import, a dotted prefix of it, or its versioned sibling.

        A bare namespace import (``import google``) is satisfied by anything under it, since the code may use
        any of its packages.
        """
        sibling = unversioned(import_path)
        for path in provided:
            if import_path == path or import_path.startswith(f"{path}.") or sibling == path:
                return True
            if is_namespace(import_path) and path.startswith(f"{import_path}."):
                return True
        return False

    def canonical(self, dist: str) -> str:
        """The name as published (``scikit_learn`` -> ``scikit-learn``, ``pyyaml`` -> ``PyYAML``) when known."""
        return self._sources.canonical(dist)

    # suggestions

    def suggest(self, import_path: str) -> Suggestion:
        """The distribution to declare for an import nothing declared provides (rules: ``suggestions``)."""
        if import_path not in self._suggestions:
            self._suggestions[import_path] = suggest(self._sources, import_path)
        return self._suggestions[import_path]

    def source_of(self, import_path: str) -> str:
        """Which source ``suggest`` answers from (``override``, ``curated``, ``pipreqs``, ``pigar``, ``none``)."""
        return suggestion_source(self._sources, import_path, known=self.suggest(import_path).known)


def load_import_names(overrides: Mapping[str, str] | None = None) -> ImportNames:
    """The lookups for one run; data files are read once per process and the index is opened on first use.

    The same overrides and index give the same object for the whole process: its answers are pure functions of
    them, and a monorepo's check runs once per project inside it, each asking what the same inherited declarations
    provide (opentelemetry-python-contrib: 71 runs, 9,053 distributions gathered, a tenth of its check)."""
    return _import_names(tuple(sorted((overrides or {}).items())), default_index_path())


@functools.lru_cache(maxsize=8)  # a server's requests may each bring overrides of their own
def _import_names(overrides: tuple[tuple[str, str], ...], index: Path) -> ImportNames:
    return ImportNames(dict(overrides), shared_index(index))
