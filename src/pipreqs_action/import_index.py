"""The import index: pigar's database of PyPI distributions and their top-level modules, indexed for lookups.

pigar 2.2.0 ships a SQLite file with every distribution's top-level modules, but without an index on module or
normalised name, so one lookup would scan 655,000 rows. ``build_index`` derives, once per pigar release, a
compact file keyed both ways; ``Index`` reads it lazily and shares it between threads.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import itertools
import logging
import operator
import os
import re
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from pipreqs_action.errors import MappingError
from pipreqs_action.namespaces import DOTTED_PATH, NAMESPACE_ROOTS, is_namespace, namespace_paths, normalise, root_of

__all__ = [
    "INDEX_ENV",
    "Index",
    "Provider",
    "build_index",
    "default_index_path",
    "package_dir",
    "pigar_database",
    "shared_index",
]

log = logging.getLogger(__name__)

INDEX_ENV = "PIPREQS_ACTION_INDEX"
_SCHEMA = 2


def package_dir(package: str) -> Path:
    """Locate an installed package without importing it (``importlib.resources`` costs ~50 ms to import here)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise MappingError(f"{package}: package not installed; it is needed for the import-name data")
    return Path(next(iter(spec.submodule_search_locations)))


def pigar_database() -> Path:
    """pigar's SQLite file of PyPI distributions and their top-level modules."""
    path = package_dir("pigar") / ".db.sqlite3"
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
# kind: 0 = a module pigar lists, 1 = a namespace path derived from the name, 2 = another spelling of it,
# 3 = a module in a folder that the distribution's ``.pth`` file puts on ``sys.path`` (see ``_path_entry_modules``).
_KIND_MARKERS = ("", "+", "~", "^")
_MARKED = "".join(_KIND_MARKERS)
PATH_ENTRY = 3


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
    for path in _path_entry_modules(key, [module for _, _, module in entries if module]):
        paths.setdefault(path, PATH_ENTRY)
    name = _newest_name(entries)
    return key, None if name == key else name, _encode_paths(key, paths)


def _paths_of(name: str, module: str | None) -> Iterator[tuple[str, int]]:
    """Importable paths from one pigar row: top-level names, and namespace paths instead of bare roots."""
    if module is None or module in NAMESPACE_ROOTS:
        yield from ((path, 2 if i else 1) for i, path in enumerate(namespace_paths(name)))
    elif DOTTED_PATH.match(module):
        root = root_of(module)
        if root not in NAMESPACE_ROOTS:
            yield root, 0
        elif not is_namespace(module):
            yield module, 0


def _path_entry_modules(key: str, modules: Sequence[str]) -> Iterator[str]:
    """Modules a distribution installs into a folder that its ``.pth`` file adds to ``sys.path``.

    pywin32 ships ``win32/lib/win32con.py`` and a ``pywin32.pth`` naming ``win32/lib``, so ``import win32con``
    works; its ``top_level.txt`` (which pigar copies) lists such modules as ``win32\\lib\\win32con``. A listed
    path counts as a path-entry module only when its first folder is not itself a package of the distribution
    (nor named after it): ``slixmpp\\plugins\\google`` is a sub-package of ``slixmpp``, not an import root.
    """
    packages = {module for module in modules if DOTTED_PATH.match(module)}
    for module in modules:
        parts = [part for part in re.split(r"[\\/]", module) if part]
        if len(parts) < 2 or not all(DOTTED_PATH.match(part) and "." not in part for part in parts):
            continue
        if parts[0] not in packages and normalise(parts[0]) != key:
            yield parts[-1]


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
    return [(item.lstrip(_MARKED), _KIND_MARKERS.index(item[0]) if item[0] in _MARKED else 0) for item in paths.split()]


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


class Provider(NamedTuple):
    name: str  # as published
    key: str  # normalised
    kind: int  # 0 = pigar lists the module, 1 = a namespace path from the name, 2 = another spelling, 3 = .pth

    @property
    def rank(self) -> int:
        """How far the name had to be bent: 0 for a module pigar lists, top-level or in a ``.pth`` folder."""
        return 0 if self.kind == PATH_ENTRY else self.kind


class Index:
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

    def providers(self, path: str) -> list[Provider]:
        """Each distribution providing exactly ``path``."""
        sql = "SELECT coalesce(d.name, d.key), d.key, m.kind FROM module m JOIN dist d USING (key) WHERE m.path = ?"
        return [Provider(str(name), str(key), int(kind or 0)) for name, key, kind in self._query(sql, path)]

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
    database = _installed_database()
    if database is None:
        return _prebuilt(path)
    if _is_current(path, database):
        return path
    log.info("building the import index at %s (once; takes a few seconds)", path)
    try:
        return build_index(path)
    except OSError as exc:
        log.warning("%s: cannot write the import index (%s); using a temporary one", path, exc)
        return build_index(_private_dir() / path.name)


def _installed_database() -> Path | None:
    """pigar's database, or None where it is left out on purpose: the action's image ships only the index built
    from it (38 MB instead of 38 + 88), and a read-only image could not rebuild anything anyway."""
    try:
        return pigar_database()
    except MappingError:
        return None


def _prebuilt(path: Path) -> Path:
    """An index built elsewhere (at image build time) with no pigar database here to compare it with: accepted
    when this code can read it (same schema and namespace roots); the pigar release it came from is trusted."""
    meta = _index_meta(path)
    wanted = {"schema": str(_SCHEMA), "roots": ",".join(sorted(NAMESPACE_ROOTS))}
    if meta is not None and all(meta.get(key) == value for key, value in wanted.items()):
        return path
    state = "missing" if meta is None else f"built for schema {meta.get('schema')}, not {_SCHEMA}"
    raise MappingError(
        f"{path}: import index {state}, and pigar's database to build one is not installed"
        f" (set {INDEX_ENV} to an index built by `python -m pipreqs_action.mapping --build-index`)"
    )


def _index_meta(path: Path) -> dict[str, str] | None:
    """The index's ``meta`` table, or None when there is no readable index at ``path``."""
    if not path.is_file():
        return None
    try:
        con = _connect(path)
        try:
            return {str(key): str(value) for key, value in con.execute("SELECT key, value FROM meta").fetchall()}
        finally:
            con.close()
    except sqlite3.Error:
        return None


def _is_current(path: Path, database: Path) -> bool:
    return _index_meta(path) == _expected_meta(database)


@functools.cache
def _private_dir() -> Path:
    import shutil
    import tempfile  # only needed when the cache is unwritable

    path = Path(tempfile.mkdtemp(prefix="pipreqs-action-index-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


@functools.lru_cache(maxsize=8)
def shared_index(path: Path) -> Index:
    return Index(path)
