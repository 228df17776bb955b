"""The import index: which PyPI distributions provide which top-level modules, read in place from the wheel.

Derived from pigar 2.2.0's database (``index_build``, run by ``scripts/refresh_import_index.py index``) and shipped
as ``data/import_index.bin``, about 10 MB: two sorted tables cut into zlib blocks of ~16 KB, so a run reads a
small header once and inflates only the blocks its lookups land in. Nothing is built on the user's machine: the
first run is as fast as the next, with an empty or read-only ``HOME`` too. ``PIPREQS_ACTION_INDEX`` names
another file in the same format (a newer pigar's, built by the same script).
"""

from __future__ import annotations

import bisect
import functools
import json
import os
import threading
import zlib
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from pipreqs_action.errors import MappingError
from pipreqs_action.metadata.namespaces import NAMESPACE_ROOTS, normalise

__all__ = ["INDEX_ENV", "SHIPPED_INDEX", "Index", "Provider", "default_index_path", "shared_index"]

INDEX_ENV = "PIPREQS_ACTION_INDEX"
SHIPPED_INDEX = Path(__file__).parent.parent / "data" / "import_index.bin"
MAGIC = b"PRAI"
SCHEMA = 3
BLOCK_BYTES = 16_384  # of text per block: inflating one takes ~50 us
_CACHED_BLOCKS = 64  # inflated blocks kept (~1 MB): lookups of one run cluster (google.cloud.*, a project's deps)

# kind: 0 = a module pigar lists, 1 = a namespace path derived from the name, 2 = another spelling of it,
# 3 = a module in a folder that the distribution's ``.pth`` file puts on ``sys.path``; written as these markers.
KIND_MARKERS = ("", "+", "~", "^")
_MARKED = "".join(KIND_MARKERS)
PATH_ENTRY = 3


def default_index_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$PIPREQS_ACTION_INDEX`` if set, else the index shipped in the package."""
    env = os.environ if environ is None else environ
    return Path(env[INDEX_ENV]) if env.get(INDEX_ENV) else SHIPPED_INDEX


def encode_paths(key: str, paths: Mapping[str, int]) -> str:
    """A distribution's paths as one field: empty for the common case of one module spelled like the key
    (``requests``), ``-`` for none at all, else each path with its kind's marker, separated by spaces."""
    if list(paths.items()) == [(key.replace("-", "_"), 0)]:
        return ""
    return " ".join(KIND_MARKERS[kind] + path for path, kind in sorted(paths.items())) or "-"


def decode_paths(key: str, paths: str) -> list[tuple[str, int]]:
    if not paths:
        return [(key.replace("-", "_"), 0)]
    if paths == "-":
        return []
    return [(item.lstrip(_MARKED), KIND_MARKERS.index(item[0]) if item[0] in _MARKED else 0) for item in paths.split()]


class Provider(NamedTuple):
    name: str  # as published
    key: str  # normalised
    kind: int  # 0 = pigar lists the module, 1 = a namespace path from the name, 2 = another spelling, 3 = .pth

    @property
    def rank(self) -> int:
        """How far the name had to be bent: 0 for a module pigar lists, top-level or in a ``.pth`` folder."""
        return 0 if self.kind == PATH_ENTRY else self.kind


class _Table(NamedTuple):
    keys: list[str]  # each block's first key
    offsets: list[int]  # each block's start in the file, then the end of the last


class Index:
    """Read-only lookups in an index file: opened on the first lookup, shared by threads."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._tables: dict[str, _Table] = {}
        self._about: dict[str, str] = {}
        self._blocks: OrderedDict[tuple[str, int], str] = OrderedDict()

    def providers(self, path: str) -> list[Provider]:
        """Each distribution providing exactly ``path``, by key."""
        entries = self._field("module", path)
        if entries is None:
            return []
        found = []
        for entry in entries.split():
            kind = KIND_MARKERS.index(entry[0]) if entry[0] in _MARKED else 0
            name = entry.lstrip(_MARKED)
            name = normalise(path) if name == "=" else name
            found.append(Provider(name, normalise(name), kind))
        return found

    def paths(self, key: str) -> list[str]:
        row = self._field("dist", key)
        return [] if row is None else [path for path, _ in decode_paths(key, row.partition("\t")[2])]

    def display_name(self, key: str) -> str | None:
        row = self._field("dist", key)
        return None if row is None else row.partition("\t")[0] or key

    def knows_path(self, path: str) -> bool:
        return self._field("module", path) is not None

    def about(self) -> dict[str, str]:
        """The header's description of the data (schema, pigar and pipreqs versions, namespace roots)."""
        with self._lock:
            self._open()
            return dict(self._about)

    def _field(self, table: str, key: str) -> str | None:
        """The rest of ``key``'s line in ``table`` (after its tab), or None when the key is not there."""
        with self._lock:
            keys, _ = self._open()[table]
            block = bisect.bisect_right(keys, key) - 1
            if block < 0:
                return None
            text = self._block(table, block)
        if text.startswith(f"{key}\t"):
            start = len(key) + 1
        else:
            found = text.find(f"\n{key}\t")
            if found < 0:
                return None
            start = found + len(key) + 2
        return text[start : text.index("\n", start)]

    def _open(self) -> dict[str, _Table]:
        if not self._tables:
            self._about, self._tables = _read_header(self._path)
        return self._tables

    def _block(self, table: str, number: int) -> str:
        cached = self._blocks.get((table, number))
        if cached is not None:
            self._blocks.move_to_end((table, number))
            return cached
        start, end = self._tables[table].offsets[number : number + 2]
        try:
            with self._path.open("rb") as handle:  # opened per block: no handle outlives a lookup
                handle.seek(start)
                text = zlib.decompress(handle.read(end - start)).decode("utf-8")
        except (OSError, zlib.error, UnicodeDecodeError) as exc:
            raise MappingError(f"{self._path}: the import index is damaged ({exc})") from exc
        self._blocks[(table, number)] = text
        if len(self._blocks) > _CACHED_BLOCKS:
            self._blocks.popitem(last=False)
        return text


def _read_header(path: Path) -> tuple[dict[str, str], dict[str, _Table]]:
    """The file's description and its tables' block keys and offsets; refuses, naming the file, one this code
    cannot read."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            size = int.from_bytes(head[4:], "little")
            header = json.loads(handle.read(size)) if head[:4] == MAGIC and len(head) == 8 else None
    except OSError as exc:
        raise MappingError(f"{path}: cannot read the import index ({exc.strerror or exc})") from exc
    except ValueError as exc:
        raise MappingError(f"{path}: damaged import index ({exc})") from exc
    if not isinstance(header, dict):
        raise MappingError(f"{path}: not a pipreqs-action import index")
    _check(path, header)
    try:
        tables = {
            name: _Table(list(table["keys"]), [8 + size + offset for offset in table["offsets"]])
            for name, table in header.pop("tables").items()
        }
    except (KeyError, TypeError, AttributeError) as exc:
        raise MappingError(f"{path}: damaged import index ({exc!r})") from exc
    return {key: str(value) for key, value in header.items()}, tables


def _check(path: Path, header: Mapping[str, object]) -> None:
    """The index must be in this code's layout, for this code's namespace roots."""
    if header.get("schema") != SCHEMA:
        raise MappingError(
            f"{path}: import index built for schema {header.get('schema')}, not {SCHEMA}"
            f" (rebuild it with `python scripts/refresh_import_index.py index`, or unset {INDEX_ENV})"
        )
    if header.get("roots") != ",".join(sorted(NAMESPACE_ROOTS)):
        raise MappingError(
            f"{path}: import index built for other namespace roots"
            f" (rebuild it with `python scripts/refresh_import_index.py index`, or unset {INDEX_ENV})"
        )


@functools.lru_cache(maxsize=8)
def shared_index(path: Path) -> Index:
    return Index(path)
