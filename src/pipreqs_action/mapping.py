"""The ``mapping`` stage: import names <-> distribution names, offline, without installing anything.

Plain pipreqs guesses a distribution from an import name and so raises false alarms (``PyYAML`` declared,
``yaml`` imported). Here every answer comes from data on disk, most trusted first:

1. the user's overrides (import -> distribution), given per run;
2. our curated data, ``data/import_names.json`` (see ``data/README.md`` for where each part comes from);
3. pipreqs 0.5.0's ``mapping`` file, its distribution names canonicalised through pigar's names;
4. pigar 2.2.0's database of the top-level modules of every PyPI distribution, read through a derived index
   (``build_index``), because the database itself has no index on module or normalised name.

``provides(dist)`` unites what every source says a distribution provides. ``suggest(import_path)`` takes the
first of these rules that answers:

1. a user override, then a curated entry (a curated list means "truly ambiguous": the first entry is the
   suggestion, the rest its ``candidates``), then pipreqs' entry;
2. a namespace package path (``google.cloud.storage``): the distributions pigar-derived data says provide the
   longest known prefix of the path (named after the path first, then the most downloaded); when none do, the
   path with dots made dashes (``google-cloud-storage``), ``known`` only if pigar knows such a distribution.
   A bare root or sub-namespace (``google``, ``google.cloud``) is never pinned on one distribution;
3. the distribution whose normalised name equals the import name, if pigar says it provides it (or, for one of
   the 15,000 most downloaded, if pigar lists no modules for it at all) -- unless that namesake is obscure
   and a popular distribution provides the import: ``grpc`` -> ``grpcio``, not the unrelated ``grpc``;
4. the only distribution pigar says provides it;
5. several: the most downloaded (``data/popular.txt``), other popular ones as ``candidates``; when none is
   popular, names containing the import name first, shortest first, with up to five others as candidates;
6. nothing: ``known=False`` and the import name itself.

Namespace packages (``NAMESPACE_ROOTS``) are matched on dotted paths, never on the bare root: a distribution
named ``<root>-a-b`` provides ``root.a.b`` (and spellings such as ``root.a.a_b``, ``root.a.ab``), so a declared
``google-cloud-storage`` does not satisfy ``import google.protobuf``. Paths that are themselves only namespaces
(``google.cloud``, ``azure.mgmt``) are never treated as provided by derivation either.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import itertools
import json
import logging
import operator
import os
import re
import sqlite3
import sys
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pipreqs_action.errors import MappingError
from pipreqs_action.model import ImportRef, Suggestion

__all__ = [
    "INDEX_ENV",
    "NAMESPACE_ROOTS",
    "ImportNames",
    "build_index",
    "default_index_path",
    "load_import_names",
    "main",
    "normalise",
]

log = logging.getLogger(__name__)

NAMESPACE_ROOTS: frozenset[str] = frozenset(
    {
        "azure",
        "azureml",
        "backports",
        "collective",
        "databricks",
        "flufl",
        "google",
        "jaraco",
        "keyrings",
        "mpl_toolkits",
        "opentelemetry",
        "plone",
        "plonetheme",
        "Products",
        "repoze",
        "ruamel",
        "snowflake",
        "sphinxcontrib",
        "z3c",
        "zc",
        "zope",
    }
)
# Namespaces one level down: many distributions share them, none provides them whole.
_SUB_NAMESPACES: frozenset[str] = frozenset(
    {
        "azure.ai",
        "azure.cognitiveservices",
        "azure.communication",
        "azure.data",
        "azure.keyvault",
        "azure.mgmt",
        "azure.monitor",
        "azure.search",
        "azure.storage",
        "google.ads",
        "google.ai",
        "google.analytics",
        "google.apps",
        "google.cloud",
        "google.iam",
        "google.logging",
        "opentelemetry.exporter",
        "opentelemetry.instrumentation",
        "opentelemetry.propagators",
        "opentelemetry.resource",
    }
)


def _root_parts() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Roots by their first lowercased word: ``"mpl"`` -> ``[(("mpl", "toolkits"), "mpl_toolkits")]``."""
    found: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    for root in NAMESPACE_ROOTS:
        words = tuple(root.lower().split("_"))
        found[words[0]].append((words, root))
    return dict(found)


_ROOT_PARTS = _root_parts()

INDEX_ENV = "PIPREQS_ACTION_INDEX"
_SCHEMA = 1
_MAX_CANDIDATES = 5
_DATA = Path(__file__).with_name("data")
_SEPARATORS = re.compile(r"[-_.]+")
_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\Z")
_VERSIONED = re.compile(r"(?P<base>[A-Za-z0-9_]+?)_v\d+[A-Za-z0-9]*\Z")  # pubsub_v1, firestore_v1beta1


def normalise(name: str) -> str:
    """PEP 503 name, the key every source is matched on (``Scikit_Learn`` -> ``scikit-learn``)."""
    key = name.lower().replace("_", "-").replace(".", "-")  # str methods: ~4x faster than the regex alone
    return _SEPARATORS.sub("-", key) if "--" in key else key


def _root_of(path: str) -> str:
    return path.partition(".")[0]


def _is_namespace(path: str) -> bool:
    """True for a bare namespace root or sub-namespace: a path no single distribution provides whole."""
    return path in NAMESPACE_ROOTS or path in _SUB_NAMESPACES


def namespace_paths(name: str) -> tuple[str, ...]:
    """Dotted paths a distribution named ``<root>-a-b`` provides: ``root.a.b`` first, then other spellings.

    Google and Azure name most distributions after their path, but join words differently
    (``google-cloud-secret-manager`` -> ``google.cloud.secretmanager``, ``azure-storage-file-share`` ->
    ``azure.storage.fileshare``, ``backports.functools-lru-cache`` -> ``backports.functools_lru_cache``),
    so the usual joinings are all offered. Empty when the name starts with no namespace root.
    """
    parts = [part for part in _SEPARATORS.split(name) if part]
    lowered = tuple(part.lower() for part in parts)
    for root_parts, root in _ROOT_PARTS.get(lowered[0] if lowered else "", ()):
        width = len(root_parts)
        if len(parts) > width and lowered[:width] == root_parts:
            return _spellings(root, parts[width:])
    return ()


def _spellings(root: str, rest: Sequence[str]) -> tuple[str, ...]:
    first, tail = rest[0], rest[1:]
    found = [".".join((root, *rest))]
    if tail:
        found += [f"{root}.{first}.{'_'.join(tail)}", f"{root}.{first}.{''.join(tail)}"]
        found += [f"{root}.{'_'.join(rest)}", f"{root}.{''.join(rest)}"]
    found += [path.lower() for path in found if not path[len(root) :].islower()]
    return tuple(path for path in dict.fromkeys(found) if _PATH.match(path) and not _is_namespace(path))


def _unversioned(path: str) -> str:
    """``google.cloud.pubsub_v1`` -> ``google.cloud.pubsub``: Google's generated clients version their modules."""
    head, _, last = path.rpartition(".")
    match = _VERSIONED.match(last)
    return f"{head}.{match['base']}" if head and match else path


def _prefixes(path: str, shortest: int = 1) -> Iterator[str]:
    """``a.b.c`` -> ``a.b.c``, ``a.b``, ``a``: longest first, down to ``shortest`` components."""
    parts = path.split(".")
    for depth in range(len(parts), shortest - 1, -1):
        yield ".".join(parts[:depth])


# --- where the data lives -------------------------------------------------------------------------------------


def _package_dir(package: str) -> Path:
    """Locate an installed package without importing it (``importlib.resources`` costs ~50 ms to import here)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise MappingError(f"{package}: package not installed; it is needed for the import-name data")
    return Path(next(iter(spec.submodule_search_locations)))


def pigar_database() -> Path:
    """pigar's SQLite file of PyPI distributions and their top-level modules."""
    path = _package_dir("pigar") / ".db.sqlite3"
    if not path.is_file():
        raise MappingError(f"{path}: pigar's database is missing")
    return path


def _pigar_version(database: Path) -> str:
    """pigar's version from its ``version.py``, read as text: importlib.metadata costs ~50 ms to import."""
    try:
        text = database.with_name("version.py").read_text("utf-8")
    except OSError:
        return "unknown"
    match = re.search(r"""__version__\s*=\s*['"]([^'"]+)['"]""", text)
    return match[1] if match else "unknown"


def default_index_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$PIPREQS_ACTION_INDEX`` if set, else the user cache dir, in a file named after pigar's version."""
    env = os.environ if environ is None else environ
    if env.get(INDEX_ENV):
        path = Path(env[INDEX_ENV])
        return path / _index_name(_pigar_version(pigar_database())) if path.is_dir() else path
    cache = Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return cache / "pipreqs-action" / _index_name(_pigar_version(pigar_database()))


def _index_name(pigar_version: str) -> str:
    return f"import-index-pigar-{pigar_version}-v{_SCHEMA}.sqlite3"


def _expected_meta(database: Path) -> dict[str, str]:
    """What an index must record to be current: a pigar upgrade or a new root list makes it stale."""
    return {
        "schema": str(_SCHEMA),
        "pigar": _pigar_version(database),
        "source_size": str(database.stat().st_size),
        "roots": ",".join(sorted(NAMESPACE_ROOTS)),
    }


# --- building the index ---------------------------------------------------------------------------------------

_INDEX_DDL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE dist (key TEXT PRIMARY KEY, name TEXT, paths TEXT) WITHOUT ROWID;
CREATE TABLE module (path TEXT NOT NULL, key TEXT NOT NULL, kind INTEGER NOT NULL,
                     PRIMARY KEY (path, key)) WITHOUT ROWID;
"""
# dist.name is NULL when the name is its own key; dist.paths is NULL for the common case of one top-level module
# spelled like the key (``requests``), else the paths separated by spaces, each prefixed by its kind's marker.
# kind: 0 = a module pigar lists, 1 = a namespace path derived from the name, 2 = another spelling of it.
_KIND_MARKERS = ("", "+", "~")


def build_index(dest: Path) -> Path:
    """Write the derived index to ``dest`` (a file, or a directory to put the default-named file in).

    Written to a temporary file beside the target and moved into place, so a reader never sees half an index
    and two concurrent builders cannot corrupt each other. Returns the index file.
    """
    database = pigar_database()
    target = dest / _index_name(_pigar_version(database)) if dest.is_dir() else dest
    target.parent.mkdir(parents=True, exist_ok=True)
    if not os.access(target.parent, os.W_OK):  # else SQLite fails later with a less useful error
        raise PermissionError(f"{target.parent}: not writable")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        _write_index(database, tmp)
        tmp.replace(target)
    except sqlite3.Error as exc:
        raise MappingError(f"{target}: cannot build the import index: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    log.info("import index written to %s (%d bytes)", target, target.stat().st_size)
    return target


def _write_index(database: Path, tmp: Path) -> None:
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp.as_uri(), uri=True)  # uri=True also makes ATTACH read pigar's file read-only
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY;" + _INDEX_DDL)
        con.create_function("normalise", 1, normalise, deterministic=True)
        con.execute("ATTACH DATABASE ? AS pigar", (f"{database.as_uri()}?mode=ro",))
        con.executemany("INSERT INTO dist VALUES (?, ?, ?)", _dist_rows(con))
        con.commit()
        con.execute("DETACH DATABASE pigar")
        con.executemany("INSERT OR IGNORE INTO module VALUES (?, ?, ?)", _module_rows(con))
        con.executemany("INSERT INTO meta VALUES (?, ?)", _expected_meta(database).items())
        con.commit()
        con.execute("VACUUM")  # module rows arrive in key order, not path order: compacting saves ~10%
    finally:
        con.close()


def _dist_rows(con: sqlite3.Connection) -> Iterator[tuple[str, str | None, str | None]]:
    """One row per normalised name, with every importable path any of its pigar entries lists."""
    rows = con.execute(
        "SELECT normalise(d.name) AS key, d.name, d.version, t.name FROM pigar.distributions d"
        " LEFT JOIN pigar.top_level_module_names t ON t.distribution_id = d.id ORDER BY key"
    )
    try:
        for key, group in itertools.groupby(rows, key=operator.itemgetter(0)):
            yield _dist_row(key, [(name, version, module) for _, name, version, module in group])
    finally:
        rows.close()


def _dist_row(key: str, entries: Sequence[tuple[str, str, str | None]]) -> tuple[str, str | None, str | None]:
    paths: dict[str, int] = {}
    for name, _, module in entries:
        for path, kind in _paths_of(name, module):
            paths[path] = min(kind, paths.get(path, kind))
    name = _newest_name(entries)
    return key, None if name == key else name, _encode_paths(key, paths)


def _paths_of(name: str, module: str | None) -> Iterator[tuple[str, int]]:
    """Importable paths from one pigar row: top-level names, and namespace paths instead of bare roots."""
    if module is None or module in NAMESPACE_ROOTS:
        yield from ((path, 2 if i else 1) for i, path in enumerate(namespace_paths(name)))
    elif _PATH.match(module):
        root = _root_of(module)
        if root not in NAMESPACE_ROOTS:
            yield root, 0
        elif not _is_namespace(module):
            yield module, 0


def _newest_name(entries: Sequence[tuple[str, str, str | None]]) -> str:
    """pigar lists some projects under two spellings (``Babel``/``babel``): keep its newest release's."""
    names = {name: version for name, version, _ in entries}
    if len(names) == 1:
        return next(iter(names))
    return max(names, key=lambda name: _version_key(names[name]))


def _encode_paths(key: str, paths: Mapping[str, int]) -> str | None:
    if list(paths.items()) == [(key.replace("-", "_"), 0)]:
        return None
    return " ".join(_KIND_MARKERS[kind] + path for path, kind in sorted(paths.items()))


def _decode_paths(key: str, paths: str | None) -> list[tuple[str, int]]:
    if paths is None:
        return [(key.replace("-", "_"), 0)]
    return [(item.lstrip("+~"), _KIND_MARKERS.index(item[0]) if item[0] in "+~" else 0) for item in paths.split()]


def _module_rows(con: sqlite3.Connection) -> Iterator[tuple[str, str, int]]:
    rows = con.execute("SELECT key, paths FROM dist")
    try:
        for key, paths in rows:
            yield from ((path, key, kind) for path, kind in _decode_paths(key, paths))
    finally:
        rows.close()


def _version_key(version: str | None) -> tuple[int, ...]:
    """Sorts like the version; an unparsable one sorts first."""
    from packaging.version import InvalidVersion, Version  # build-time only: keeps importing this module cheap

    try:
        parsed = Version(version or "")
    except InvalidVersion:
        return (-1,)
    return (parsed.epoch, *parsed.release)


# --- reading the index ----------------------------------------------------------------------------------------


class _Provider(NamedTuple):
    name: str  # as published
    key: str  # normalised
    kind: int  # 0 = pigar lists the module, 1 = a namespace path from the name, 2 = another spelling of it


class _Index:
    """Lazy, read-only access to the derived index: opened (or built) on the first lookup, shared by threads."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = None

    def _query(self, sql: str, arg: str) -> list[tuple[str | int | None, ...]]:
        with self._lock:
            if self._con is None:
                self._con = _connect(_ready_index(self._path))
            return self._con.execute(sql, (arg,)).fetchall()

    def providers(self, path: str) -> list[_Provider]:
        """Each distribution providing exactly ``path``."""
        sql = "SELECT coalesce(d.name, d.key), d.key, m.kind FROM module m JOIN dist d USING (key) WHERE m.path = ?"
        return [_Provider(str(name), str(key), int(kind or 0)) for name, key, kind in self._query(sql, path)]

    def paths(self, key: str) -> list[str]:
        rows = self._query("SELECT paths FROM dist WHERE key = ?", key)
        if not rows:
            return []
        encoded = rows[0][0]
        return [path for path, _ in _decode_paths(key, None if encoded is None else str(encoded))]

    def display_name(self, key: str) -> str | None:
        rows = self._query("SELECT coalesce(name, key) FROM dist WHERE key = ?", key)
        return str(rows[0][0]) if rows else None

    def knows_path(self, path: str) -> bool:
        return bool(self._query("SELECT 1 FROM module WHERE path = ? LIMIT 1", path))


def _connect(path: Path) -> sqlite3.Connection:
    # immutable: the file is only ever replaced whole, never written in place, so no locking is needed.
    return sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)


def _ready_index(path: Path) -> Path:
    """The index at ``path`` if current; else build it there, or in a private temp dir if that is not writable."""
    if _is_current(path, pigar_database()):
        return path
    log.info("building the import index at %s (once; takes a few seconds)", path)
    try:
        return build_index(path)
    except OSError as exc:
        log.warning("%s: cannot write the import index (%s); using a temporary one", path, exc)
        return build_index(_private_dir() / path.name)


def _is_current(path: Path, database: Path) -> bool:
    if not path.is_file():
        return False
    try:
        con = _connect(path)
        try:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return bool(meta == _expected_meta(database))


@functools.cache
def _private_dir() -> Path:
    import shutil
    import tempfile  # only needed when the cache is unwritable

    path = Path(tempfile.mkdtemp(prefix="pipreqs-action-index-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


# --- curated and pipreqs data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Table:
    """import path -> distributions (first = preferred), and the reverse by normalised distribution name."""

    imports: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    provides: Mapping[str, frozenset[str]] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)  # key -> spelling to publish

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]], extra: Mapping[str, Iterable[str]] | None = None) -> _Table:
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
def _curated() -> _Table:
    path = _DATA / "import_names.json"
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise MappingError(f"{path}: cannot read curated import names: {exc}") from exc
    pairs = [(imp, dist) for imp, dists in data["imports"].items() for dist in _as_list(dists)]
    return _Table.from_pairs(pairs, data["provides"])


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


@functools.cache
def _pipreqs() -> _Table:
    """pipreqs' ``import:dist`` lines, minus bare namespace roots (its ``google:protobuf`` is wrong)."""
    path = _package_dir("pipreqs") / "mapping"
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise MappingError(f"{path}: cannot read pipreqs' mapping: {exc}") from exc
    pairs = (line.strip().partition(":")[::2] for line in lines)
    return _Table.from_pairs((imp, dist) for imp, dist in pairs if imp and dist and imp not in NAMESPACE_ROOTS)


@functools.cache
def _popularity() -> Mapping[str, int]:
    """Download rank by normalised name (1 = most downloaded); read only when a choice must be made.

    The file holds normalised names already (``scripts/refresh_import_index.py`` writes it so), sparing 15,000
    regex substitutions per process.
    """
    path = _DATA / "popular.txt"
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise MappingError(f"{path}: cannot read the popularity list: {exc}") from exc
    names = [line for line in text.splitlines() if line and not line.startswith("#")]
    return {name: rank for rank, name in enumerate(names, start=1)}


# --- the lookups ----------------------------------------------------------------------------------------------


class ImportNames:
    """Import paths <-> distributions, from the sources ranked in the module docstring. Lookups are cached."""

    def __init__(self, overrides: Mapping[str, str], index: _Index) -> None:
        clean = {imp.strip(): dist.strip() for imp, dist in overrides.items() if imp.strip() and dist.strip()}
        self._overrides = _Table.from_pairs(clean.items())
        self._curated = _curated()
        self._pipreqs = _pipreqs()
        self._index = index
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
        for prefix in _prefixes(full, shortest=2):
            if not _is_namespace(prefix) and self._knows_path(prefix):
                return prefix
        depth = max(prefix.count(".") + 1 for prefix in _prefixes(full) if _is_namespace(prefix))
        return ".".join(full.split(".")[: depth + 1])

    def _knows_path(self, path: str) -> bool:
        for candidate in dict.fromkeys((path, _unversioned(path))):
            tables = (self._overrides, self._curated)
            if any(candidate in table.imports for table in tables) or self._index.knows_path(candidate):
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
        for table in (self._curated, self._pipreqs):
            found |= table.provides.get(key, frozenset())
        found.update(self._index.paths(key))
        found = {path for path in found if not _is_namespace(path)}
        found |= self._overrides.provides.get(key, frozenset())  # the user's word, even for a bare root
        if not found:
            guess = re.sub(r"[-.]", "_", dist.strip())
            found = {guess, guess.lower()}
        return frozenset(found)

    @staticmethod
    def satisfies(provided: Iterable[str], import_path: str) -> bool:
        """True when a provided path is the import, a dotted prefix of it, or its versioned sibling.

        A bare namespace import (``import google``) is satisfied by anything under it, since the code may use
        any of its packages.
        """
        unversioned = _unversioned(import_path)
        for path in provided:
            if import_path == path or import_path.startswith(f"{path}.") or unversioned == path:
                return True
            if _is_namespace(import_path) and path.startswith(f"{import_path}."):
                return True
        return False

    def canonical(self, dist: str) -> str:
        """The name as published (``scikit_learn`` -> ``scikit-learn``, ``pyyaml`` -> ``PyYAML``) when known."""
        key = normalise(dist)
        return self._curated.names.get(key) or self._index.display_name(key) or dist

    # suggestions

    def suggest(self, import_path: str) -> Suggestion:
        """The distribution to declare for an import nothing declared provides (rules: module docstring)."""
        if import_path not in self._suggestions:
            self._suggestions[import_path] = self._suggest(import_path)
        return self._suggestions[import_path]

    def _suggest(self, import_path: str) -> Suggestion:
        namespace = _root_of(import_path) in NAMESPACE_ROOTS
        path = import_path if namespace else _root_of(import_path)
        shortest = 2 if namespace else 1  # a curated answer for a bare namespace root would match every path
        tables = ((self._overrides, 1, False), (self._curated, shortest, False), (self._pipreqs, shortest, True))
        for table, depth, canonical in tables:
            found = self._from_table(table, path, shortest=depth, canonical=canonical)
            if found:
                return found
        return self._namespace_suggestion(path) if namespace else self._module_suggestion(path)

    def source_of(self, import_path: str) -> str:
        """Which source ``suggest`` answers ``import_path`` from: ``override``, ``curated``, ``pipreqs``,
        ``pigar`` (the module index and its rules) or ``none`` (the import name itself); for ``explain``."""
        namespace = _root_of(import_path) in NAMESPACE_ROOTS
        path = import_path if namespace else _root_of(import_path)
        shortest = 2 if namespace else 1
        tables = (
            ("override", self._overrides, 1),
            ("curated", self._curated, shortest),
            ("pipreqs", self._pipreqs, shortest),
        )
        for name, table, depth in tables:
            if self._from_table(table, path, shortest=depth, canonical=False):
                return name
        return "pigar" if self.suggest(import_path).known else "none"

    def _from_table(self, table: _Table, path: str, *, shortest: int, canonical: bool) -> Suggestion | None:
        for prefix in _prefixes(path, shortest=shortest):
            for candidate in dict.fromkeys((prefix, _unversioned(prefix))):
                dists = table.imports.get(candidate)
                if dists:
                    names = [self.canonical(dist) if canonical else dist for dist in dists]
                    return Suggestion(package=names[0], candidates=tuple(names[1 : _MAX_CANDIDATES + 1]))
        return None

    def _namespace_suggestion(self, path: str) -> Suggestion:
        if _is_namespace(path):  # `import google`: no distribution provides it whole
            return Suggestion(package=normalise(path), known=False)
        for prefix in _prefixes(path, shortest=2):
            for candidate in dict.fromkeys((prefix, _unversioned(prefix))):
                providers = [] if _is_namespace(candidate) else self._index.providers(candidate)
                if providers:
                    return _choose(_root_of(path), providers)
        guess = normalise(_unversioned(path))
        known = self._index.display_name(guess)
        return Suggestion(package=known or guess, known=known is not None)

    def _module_suggestion(self, name: str) -> Suggestion:
        providers = self._index.providers(name)
        key = normalise(name)
        ranks = _popularity()
        same = next((provider for provider in providers if provider.key == key), None)
        if same is None and key in ranks and not self._index.paths(key):  # pigar knows it, not its modules
            same = _Provider(self.canonical(key), key, 0)
        if same and (same.key in ranks or not any(provider.key in ranks for provider in providers)):
            return Suggestion(package=same.name)  # else a popular provider beats an obscure namesake: grpc
        if providers:
            return _choose(name, providers)
        return Suggestion(package=name, known=False)


def _choose(name: str, providers: Sequence[_Provider]) -> Suggestion:
    """Several providers: the most downloaded; else names containing the import name first, shortest first."""
    if len(providers) == 1:
        return Suggestion(package=providers[0].name)
    ranks = _popularity()
    wanted = normalise(name)

    def order(provider: _Provider) -> tuple[int, int, bool, int, str]:
        return (
            provider.kind,
            ranks.get(provider.key, sys.maxsize),
            wanted not in provider.key,
            len(provider.key),
            provider.key,
        )

    best, *rest = sorted(providers, key=order)
    plausible = [provider for provider in rest if provider.key in ranks] if best.key in ranks else rest
    return Suggestion(package=best.name, candidates=tuple(provider.name for provider in plausible[:_MAX_CANDIDATES]))


@functools.lru_cache(maxsize=8)
def _shared_index(path: Path) -> _Index:
    return _Index(path)


def load_import_names(overrides: Mapping[str, str] | None = None) -> ImportNames:
    """The lookups for one run; data files are read once per process and the index is opened on first use."""
    return ImportNames(overrides or {}, _shared_index(default_index_path()))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m pipreqs_action.mapping --build-index [PATH]``: build the index ahead (e.g. in a Dockerfile)."""
    import argparse  # only for this front door

    parser = argparse.ArgumentParser(prog="python -m pipreqs_action.mapping", description=main.__doc__)
    parser.add_argument("--build-index", nargs="?", const="", metavar="PATH", required=True, type=str)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        build_index(Path(args.build_index) if args.build_index else default_index_path())
    except (MappingError, OSError) as exc:
        log.error("%s", exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
