"""Build the import index shipped in the wheel, from pigar's database: a developer's step, never run by a check.

pigar 2.2.0 ships a SQLite file with every PyPI distribution's top-level modules (655,000 rows, 77 MB, no index
on module or normalised name), and pulls aiohttp and a vendored pip with it. ``scripts/refresh_import_index.py
index`` reads that file once (pigar installed with ``--no-deps`` in a scratch folder) and writes
``data/import_index.bin`` with ``write_index``: two tables keyed both ways, sorted and cut into zlib blocks, about
10 MB. ``import_index.Index`` reads it in place: a run never builds anything, whatever ``HOME`` is.

The table layout (one line per key, tab-separated, ``import_index`` decodes it):

* ``dist``: ``key \\t name \\t paths``, by normalised name. ``name`` is empty when it is the key itself; ``paths``
  is empty for the common case of one top-level module spelled like the key (``requests``), ``-`` for none,
  else the importable paths separated by spaces, each prefixed by its kind's marker (``import_index.KIND_MARKERS``).
* ``module``: ``path \\t entries``, by import path: each distribution providing it (by key), as its kind's marker
  and its published name, or the marker and ``=`` when that name is the path normalised (``requests``).
"""

from __future__ import annotations

import itertools
import json
import operator
import os
import re
import sqlite3
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from pipreqs_action.metadata.import_index import BLOCK_BYTES, KIND_MARKERS, MAGIC, PATH_ENTRY, SCHEMA, encode_paths
from pipreqs_action.metadata.namespaces import (
    DOTTED_PATH,
    NAMESPACE_ROOTS,
    is_namespace,
    namespace_paths,
    normalise,
    root_of,
)

__all__ = ["read_pigar", "write_index"]

DistRow = tuple[str, str | None, dict[str, int]]  # key, published name (None: the key), path -> kind


def read_pigar(database: Path) -> Iterator[DistRow]:
    """One row per normalised name, with every importable path any of its pigar entries lists."""
    con = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        con.create_function("normalise", 1, normalise, deterministic=True)
        rows = con.execute(
            "SELECT normalise(d.name) AS key, d.name, d.version, t.name FROM distributions d"
            " LEFT JOIN top_level_module_names t ON t.distribution_id = d.id ORDER BY key"
        )
        for key, group in itertools.groupby(rows, key=operator.itemgetter(0)):
            yield _dist_row(key, [(name, version, module) for _, name, version, module in group])
    finally:
        con.close()


def _dist_row(key: str, entries: Sequence[tuple[str, str, str | None]]) -> DistRow:
    paths: dict[str, int] = {}
    for name, _, module in entries:
        for path, kind in _paths_of(name, module):
            paths[path] = min(kind, paths.get(path, kind))
    for path in path_entry_modules(key, [module for _, _, module in entries if module]):
        paths.setdefault(path, PATH_ENTRY)
    name = _newest_name(entries)
    return key, None if name == key else name, paths


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


def path_entry_modules(key: str, modules: Sequence[str]) -> Iterator[str]:
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


def _version_key(version: str | None) -> tuple[int, ...]:
    """Sorts like the version; an unparsable one sorts first."""
    from packaging.version import InvalidVersion, Version

    try:
        parsed = Version(version or "")
    except InvalidVersion:
        return (-1,)
    return (parsed.epoch, *parsed.release)


def _table_lines(rows: Iterable[DistRow]) -> tuple[list[str], list[str]]:
    """The ``dist`` and ``module`` tables' lines, each sorted by key (Python's code-point order, as ``bisect``)."""
    dists: list[str] = []
    modules: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for key, name, paths in rows:
        if any(char in field for field in (key, name or "", *paths) for char in "\t\n "):
            continue  # no importable path or PEP 503 name holds blanks: a broken pigar row
        dists.append(f"{key}\t{name or ''}\t{encode_paths(key, paths)}")
        for path, kind in paths.items():
            modules[path].append((name or key, kind))
    module_lines = [f"{path}\t{_encode_providers(path, entries)}" for path, entries in modules.items()]
    return sorted(dists), sorted(module_lines)


def _encode_providers(path: str, entries: list[tuple[str, int]]) -> str:
    own = normalise(path)
    ordered = sorted(entries, key=lambda entry: normalise(entry[0]))
    return " ".join(KIND_MARKERS[kind] + ("=" if name == own else name) for name, kind in ordered)


def _blocks(lines: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """Consecutive lines, about ``BLOCK_BYTES`` of text each, as (first key, compressed text)."""
    start, size = 0, 0
    for end, line in enumerate(lines, start=1):
        size += len(line) + 1
        if size >= BLOCK_BYTES or end == len(lines):
            text = "\n".join(lines[start:end]) + "\n"
            yield lines[start].partition("\t")[0], zlib.compress(text.encode("utf-8"), 9)
            start, size = end, 0


def write_index(rows: Iterable[DistRow], target: Path, about: Mapping[str, str]) -> Path:
    """Write the index file: ``MAGIC``, a JSON header (``about``, each table's first keys and block offsets),
    then the blocks. Written beside the target and moved into place, so no reader sees half a file."""
    tables = dict(zip(("dist", "module"), _table_lines(rows), strict=True))
    header: dict[str, object] = {"schema": SCHEMA, "roots": ",".join(sorted(NAMESPACE_ROOTS)), **about}
    body = bytearray()
    offsets: dict[str, dict[str, list[object]]] = {}
    for name, lines in tables.items():
        table: dict[str, list[object]] = {"keys": [], "offsets": []}
        for first, block in _blocks(lines):
            table["keys"].append(first)
            table["offsets"].append(len(body))
            body += block
        table["offsets"].append(len(body))
        offsets[name] = table
    head = json.dumps({**header, "tables": offsets}, separators=(",", ":"), sort_keys=True).encode("utf-8")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(MAGIC + len(head).to_bytes(4, "little") + head + body)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
