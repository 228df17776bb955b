"""Read one source file of an untrusted repository into Python text, or say why it cannot be used.

The file actually opened must lie inside the tree (checked on the open descriptor, so a symlink swapped in after
discovery cannot lead outside either), must be a regular file (a FIFO would block) and not huge. Then the bytes
go to ``decoding`` (``.py``, ``.pyw``) or ``notebooks`` (``.ipynb``); which files to read is ``discovery``'s job.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath

from pipreqs_action.model import Skipped, SourceText
from pipreqs_action.reading.decoding import python_source
from pipreqs_action.reading.discovery import OUTSIDE_ROOT, SYMLINK_LOOP, discover, inside, os_reason
from pipreqs_action.reading.notebooks import notebook_source

__all__ = ["OUTSIDE_ROOT", "SYMLINK_LOOP", "SourceText", "discover", "read_bytes", "read_source", "walk_sources"]

MIB = 1024 * 1024
MAX_SOURCE_BYTES = 10 * MIB
# Notebooks carry their outputs (plots as base64), so real ones pass 10 MiB; JSON parsing stays fast well above.
MAX_NOTEBOOK_BYTES = 64 * MIB


def walk_sources(root: Path, exclude: Sequence[str] = ()) -> Iterator[SourceText | Skipped]:
    """Discovery problems first, then every candidate file read (or skipped), in path order."""
    files, skipped = discover(root, exclude)
    yield from skipped
    base, fence = os.fspath(root), _real_root(os.fspath(root))
    for rel in files:
        yield _read(os.path.join(base, rel), rel, fence)  # noqa: PTH118 - hot loop: str paths, no Path objects


def read_source(root: Path, rel: str) -> SourceText | Skipped:
    """Read one file of the tree; any problem comes back as ``Skipped``, never as an exception.

    The file actually opened must lie inside ``root`` (checked on the open descriptor, so a symlink swapped
    in after discovery cannot lead outside either).
    """
    parts = PurePosixPath(rel).parts
    if not parts or parts[0] == "/" or ".." in parts:
        return Skipped(rel, "path is outside the repository")
    path = os.path.join(root, rel)  # noqa: PTH118 - same str path as walk_sources uses
    return _read(path, rel, _real_root(os.fspath(root)))


def read_bytes(root: Path, rel: str) -> bytes | None:
    """The raw bytes of one file of the tree, under the same checks as ``read_source``; None when unusable."""
    parts = PurePosixPath(rel).parts
    if not parts or parts[0] == "/" or ".." in parts:
        return None
    limit = MAX_NOTEBOOK_BYTES if rel.endswith(".ipynb") else MAX_SOURCE_BYTES
    data = _read_bytes(os.path.join(root, rel), rel, limit, _real_root(os.fspath(root)))  # noqa: PTH118
    return None if isinstance(data, Skipped) else data


@functools.lru_cache(maxsize=64)
def _real_root(root: str) -> str:
    """Cached: the caller picks the root (untrusted content lives below it), and it is resolved per file."""
    return os.path.realpath(root)


def _read(path: str, rel: str, fence: str) -> SourceText | Skipped:
    notebook = rel.endswith(".ipynb")
    data = _read_bytes(path, rel, MAX_NOTEBOOK_BYTES if notebook else MAX_SOURCE_BYTES, fence)
    if isinstance(data, Skipped):
        return data
    return notebook_source(rel, data) if notebook else python_source(rel, data)


def _read_bytes(path: str, rel: str, limit: int, fence: str) -> bytes | Skipped:
    """Check the file type before opening (a FIFO would block), and again on the open descriptor (races)."""
    try:
        reason = _not_regular(os.stat(path), limit)  # noqa: PTH116 - hot path, str path
        if reason:
            return Skipped(rel, reason)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            reason = "" if inside(fence, _opened_path(fd, path)) else OUTSIDE_ROOT
            reason = reason or _not_regular(os.fstat(fd), limit)
            data = b"" if reason else _read_fd(fd, limit + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        return Skipped(rel, os_reason(exc))
    if reason:
        return Skipped(rel, reason)
    return Skipped(rel, f"larger than {limit // MIB} MiB") if len(data) > limit else data


def _opened_path(fd: int, path: str) -> str:
    """Where the open descriptor really points: one readlink on Linux, a full path resolution elsewhere."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")  # noqa: PTH115 - hot path, one syscall per file
    except OSError:
        return os.path.realpath(path)


def _not_regular(info: os.stat_result, limit: int) -> str:
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        return os.strerror(errno.EISDIR)
    if not stat.S_ISREG(mode):
        kind = "named pipe" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else "device"
        return f"not a regular file ({kind})"
    return f"larger than {limit // MIB} MiB" if info.st_size > limit else ""


def _read_fd(fd: int, most: int) -> bytes:
    """Read at most ``most`` bytes; a file growing while we read cannot make us read without end."""
    chunks = []
    while most > 0:
        chunk = os.read(fd, min(most, 4 * MIB))
        if not chunk:
            break
        chunks.append(chunk)
        most -= len(chunk)
    return b"".join(chunks)
