"""The paths git tracks, read from ``.git/index`` itself.

Git scans a tracked file even when a ``.gitignore`` pattern matches it (ignore rules only keep *untracked* files
out), so a checkout's code is what the index lists. We parse the index file rather than run ``git ls-files``:
the repository is untrusted, and a git command would honour its local configuration (``core.fsmonitor`` runs a
program); reading a file runs nothing. Versions 2, 3 and 4 (path compression) are read; a split or sparse index,
or anything unexpected, gives None, and the caller falls back to the ignore files alone.
"""

from __future__ import annotations

import logging
import struct
from pathlib import Path

log = logging.getLogger(__name__)

__all__ = ["tracked_paths"]

MAX_INDEX_BYTES = 256 * 1024 * 1024
_HEADER = struct.Struct(">4sLL")
_FIXED = 62  # ctime, mtime, dev, ino, mode, uid, gid, size (40 bytes), object id (20), flags (2)
_EXTENDED = 0x4000
_NAME_MASK = 0x0FFF
_SPLIT_EXTENSIONS = (b"link", b"sdir")  # entries live in another file / directories stand for many files


def tracked_paths(git_dir: Path) -> frozenset[str] | None:
    """Every path the index lists (POSIX, relative to the work tree), or None when it cannot be read fully."""
    index = git_dir / "index"
    try:
        if index.is_symlink() or not index.is_file() or index.stat().st_size > MAX_INDEX_BYTES:
            return None
        data = index.read_bytes()
    except OSError as error:
        log.debug("%s: not read: %s", index, error)
        return None
    try:
        return _parse(data)
    except (struct.error, ValueError, IndexError) as error:
        log.debug("%s: not a git index we can read: %s", index, error)
        return None


def _parse(data: bytes) -> frozenset[str] | None:
    signature, version, count = _HEADER.unpack_from(data, 0)
    if signature != b"DIRC" or version not in (2, 3, 4):
        return None
    paths: list[str] = []
    offset, previous = _HEADER.size, b""
    for _ in range(count):
        flags = struct.unpack_from(">H", data, offset + _FIXED - 2)[0]
        start = offset + _FIXED + (2 if version >= 3 and flags & _EXTENDED else 0)
        if version == 4:
            strip, start = _varint(data, start)
            end = data.index(b"\0", start)
            name = previous[: len(previous) - strip] + data[start:end]
            offset = end + 1
        else:
            end = data.index(b"\0", start + (flags & _NAME_MASK) if flags & _NAME_MASK < _NAME_MASK else start)
            name = data[start:end]
            offset += (end - offset + 8) // 8 * 8  # entries are NUL-padded to a multiple of 8 bytes
        paths.append(name.decode("utf-8", "surrogateescape"))
        previous = name
    if _has_split_extension(data, offset):
        return None
    return frozenset(paths)


def _varint(data: bytes, offset: int) -> tuple[int, int]:
    """Git's offset encoding (index v4): 7 bits a byte, high bit set on all but the last, plus one per byte."""
    byte = data[offset]
    value = byte & 0x7F
    while byte & 0x80:
        offset += 1
        byte = data[offset]
        value = ((value + 1) << 7) | (byte & 0x7F)
    return value, offset + 1


def _has_split_extension(data: bytes, offset: int) -> bool:
    end = len(data) - 20  # the trailing checksum
    while offset + 8 <= end:
        signature, size = data[offset : offset + 4], struct.unpack_from(">L", data, offset + 4)[0]
        if signature in _SPLIT_EXTENSIONS:
            return True
        offset += 8 + size
    return False
