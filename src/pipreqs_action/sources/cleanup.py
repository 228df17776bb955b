"""Temporary trees of untrusted repositories, removed whatever they hold and however the process ends.

WHY: a clone or an extracted tarball is the checked repository's own tree: it can be 1,000 folders deep (Python
3.11's ``shutil.rmtree`` recurses once per level and hits the recursion limit), hold folders without write or
search permission, or be interrupted half-written. ``TemporaryDirectory`` then raises from its clean-up and
leaves the tree behind, once per request. Here removal walks with an explicit stack, gives itself the
permissions it needs, and never raises: what cannot be removed is logged. ``temporary_directory`` registers
each tree (and the git processes working in it) so that ``remove_all`` can end them on SIGTERM or at exit
(``install_signal_handlers``): stopping a server mid-clone leaves nothing in the temp folder.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

log = logging.getLogger(__name__)

__all__ = [
    "install_signal_handlers",
    "remove_all",
    "remove_at_exit",
    "remove_tree",
    "temporary_directory",
    "track_process",
]

_lock = threading.Lock()
_live_dirs: set[str] = set()
_process_dirs: set[str] = set()  # live as long as the process: see remove_at_exit
_live_groups: set[int] = set()


def remove_tree(path: str | os.PathLike[str]) -> bool:
    """Remove ``path`` and everything under it without following links; True when nothing is left. Never raises."""
    root = os.fspath(path)
    stack = [root]
    while stack:
        current = stack[-1]
        try:
            subdirs = _empty_files(current)
        except FileNotFoundError:
            stack.pop()
            continue
        except OSError as exc:
            log.warning("could not remove a temporary folder completely: %s", exc.strerror or exc)
            return False
        if subdirs:
            stack.extend(subdirs)  # ``current`` is visited again once they are gone
            continue
        stack.pop()
        with contextlib.suppress(FileNotFoundError):
            _retry_with_permissions(os.rmdir, current)
    return not os.path.lexists(root)


def _empty_files(directory: str) -> list[str]:
    """Unlink the files and links of ``directory``; return its subdirectories (not yet entered)."""
    if Path(directory).is_symlink() or not Path(directory).is_dir():
        Path(directory).unlink()
        return []
    _allow(directory)
    subdirs = []
    with os.scandir(directory) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                subdirs.append(entry.path)
            else:
                with contextlib.suppress(FileNotFoundError):
                    _retry_with_permissions(os.unlink, entry.path)
    return subdirs


def _allow(directory: str) -> None:
    """A folder without write or search permission cannot be emptied: give the owner both (ours: we made it)."""
    with contextlib.suppress(OSError):
        mode = os.lstat(directory).st_mode
        if mode & 0o700 != 0o700:
            Path(directory).chmod(stat.S_IMODE(mode) | 0o700)


def _retry_with_permissions(remove: Callable[[str], None], path: str) -> None:
    """Remove ``path``; on a permission error fix its parent folder's mode once and try again."""
    try:
        remove(path)
    except PermissionError:
        _allow(str(Path(path).parent))
        remove(path)


@contextlib.contextmanager
def temporary_directory(prefix: str = "pipreqs-action-") -> Iterator[Path]:
    """``TemporaryDirectory`` whose clean-up cannot fail, registered for ``remove_all`` until it is gone."""
    path = tempfile.mkdtemp(prefix=prefix)
    with _lock:
        _live_dirs.add(path)
    try:
        yield Path(path)
    finally:
        remove_tree(path)
        with _lock:
            _live_dirs.discard(path)


def remove_at_exit(path: str | os.PathLike[str]) -> None:
    """A folder that lives as long as the process (multiprocessing's, which holds the forkserver's socket), for
    ``remove_all``: a server that ends by re-raising SIGTERM never runs the exit handlers that would remove it.
    At a normal exit its owner's handler removes it (``remove_all`` at exit leaves it: removed first, it would
    make multiprocessing's own clean-up fail with a traceback)."""
    with _lock:
        _process_dirs.add(os.fspath(path))


@contextlib.contextmanager
def track_process(pid: int) -> Iterator[None]:
    """A process group (git, started with ``start_new_session``) that ``remove_all`` must kill first."""
    with _lock:
        _live_groups.add(pid)
    try:
        yield
    finally:
        with _lock:
            _live_groups.discard(pid)


def remove_all(*, process_dirs: bool = True) -> None:
    """Kill the tracked git process groups and remove every live temporary tree (SIGTERM, exit); ``process_dirs``:
    also the folders ``remove_at_exit`` named (not at a normal exit, where their owners remove them)."""
    with _lock:
        groups, dirs = list(_live_groups), [*_live_dirs, *(_process_dirs if process_dirs else ())]
    for group in groups:
        with contextlib.suppress(OSError):
            os.killpg(group, signal.SIGKILL)
    for path in dirs:
        remove_tree(path)


_installed = False


def install_signal_handlers() -> None:
    """On SIGTERM (and at exit), clean up first, then end as the signal would have. Main thread only."""
    global _installed
    if _installed or threading.current_thread() is not threading.main_thread():
        return
    _installed = True
    atexit.register(remove_all, process_dirs=False)
    previous = signal.getsignal(signal.SIGTERM)

    def on_term(signum: int, frame: FrameType | None) -> None:
        remove_all()
        if callable(previous):
            previous(signum, frame)
            return
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        # Still here: this is PID 1 (a container), whose own default-action signals the kernel ignores. End as the
        # signal would have, without exit handlers: the clean-up is done, and multiprocessing's would now fail.
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
