"""The ``scan`` stage: the third-party imports of a tree, each with its file and line.

What is left out, and why:
- the standard library of every Python release, 2.7 to the newest (``stdlib_names``): code written for another
  Python than the one running the check still imports its own standard library;
- relative imports and ``__future__``;
- the project's own code, resolved the way Python resolves it when a file runs: a name is local to a file when
  it is a module or package at the repository root, under ``src/``, beside the file (script folders), or at the
  root of the package holding the file. A ``tools/redis.py`` deep in the tree therefore hides ``import redis``
  only from files in ``tools/``, never from the rest of the repository (pipreqs drops it everywhere).

A large tree is read by this process and forked helpers together (one per further CPU), each taking every n-th
file; the results are put back in path order, so the answer never depends on how many processes read it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipreqs_action import files, imports, stdlib_names
from pipreqs_action.model import ImportRef, Location, ScanResult, Skipped

log = logging.getLogger(__name__)

_DEV_FILE_NAMES = frozenset({"conftest.py", "setup.py", "noxfile.py", "fabfile.py"})
_DEV_DIRS = frozenset({"tests", "test", "testing", "docs"})
# Reading is split over processes only for large trees: a helper costs a few milliseconds to fork and collect,
# which a tree of a few hundred files (about 0.3 ms each) repays; a small app stays in one process.
PARALLEL_MIN_FILES = 300
MAX_PROCESSES = 8

FileResult = tuple[list[ImportRef], Skipped | None]


def scan(
    root: Path,
    *,
    exclude: Sequence[str] = (),
    full_parse: bool = False,
    secondary: Sequence[str] = (),
    app: Sequence[str] = (),
) -> ScanResult:
    """Read every Python file under ``root`` (never importing or running it) and keep third-party imports.

    ``secondary`` and ``app`` are the project's path patterns for non-app and app code (accepted here; the rule
    that reads them belongs to the scan's own classification).
    """
    paths, skipped = files.discover(root, exclude)
    reader = _Reader(root, LocalModules(paths), standard_library(), full_parse)
    found: list[ImportRef] = []
    for refs, problem in _read_all(reader, paths):
        found.extend(refs)
        if problem is not None:
            skipped.append(problem)
    stale = tuple(sorted(Location(ref.location.path, ref.ignore_line) for ref in found if ref.module == _STALE))
    found = [ref for ref in found if ref.module != _STALE]
    return ScanResult(tuple(found), tuple(sorted(skipped)), files_scanned=len(paths), stale_ignores=stale)


@dataclass(frozen=True)
class _Reader:
    """Reads one file into its third-party imports; forked helpers inherit it, so nothing large is pickled."""

    root: Path
    local: LocalModules
    stdlib: frozenset[str]
    full_parse: bool

    def __call__(self, rel: str) -> FileResult:
        source = files.read_source(self.root, rel)
        if isinstance(source, Skipped):
            return [], source
        try:
            raw = imports.extract(source.text, full=self.full_parse)
        except imports.PartlyRead as error:  # newer syntax than this Python: imports read, the rest not
            return list(_third_party(error.imports, source, self.local, self.stdlib)), Skipped(rel, str(error))
        except imports.NotPython as error:
            return [], Skipped(rel, str(error))
        return list(_third_party(raw, source, self.local, self.stdlib)), None


def _read_all(reader: _Reader, paths: list[str]) -> list[FileResult]:
    """Every file's result, in path order, whether read here alone or with forked helpers."""
    helpers = _helper_count(len(paths))
    if not helpers:
        return [reader(rel) for rel in paths]
    stride = helpers + 1
    children = [_fork_helper(reader, paths[start::stride]) for start in range(1, stride)]
    results: list[FileResult] = [([], None)] * len(paths)
    try:
        results[0::stride] = [reader(rel) for rel in paths[0::stride]]
        for start, child in enumerate(children, 1):
            share = paths[start::stride]
            answer = _collect(child) if child is not None else None
            results[start::stride] = answer if answer is not None else [reader(rel) for rel in share]
    finally:
        for child in children:
            if child is not None:
                _reap(child)
    return results


def _helper_count(file_count: int) -> int:
    """Processes to fork besides this one: none for small trees, with one CPU, off Linux, or once threads run.

    Forking a process that runs threads (the HTTP server, a thread pool) can copy a lock held at that moment
    into the child; there we stay in one process. On Linux fork is cheap and copies nothing up front.
    """
    if file_count < PARALLEL_MIN_FILES or sys.platform != "linux" or threading.active_count() > 1:
        return 0
    cpus = len(os.sched_getaffinity(0))
    return max(min(cpus, MAX_PROCESSES, file_count // PARALLEL_MIN_FILES + 1) - 1, 0)


@dataclass
class _Child:
    pid: int
    pipe: int  # read end (-1 once closed); the helper writes its pickled results into it, then exits
    running: bool = True


def _fork_helper(reader: _Reader, share: list[str]) -> _Child | None:
    """Start a helper reading every file of ``share``; None when the system refuses a process (we read it).

    A bare fork and a pipe, not multiprocessing: its pool costs 10-30 ms to start and stop, a tenth of what
    the helper saves on a tree of a few hundred files. The helper leaves with ``os._exit``, so none of this
    process's exit handlers or unflushed output run twice.
    """
    import pickle  # only large trees need it

    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError as error:
        log.debug("reading in one process: cannot fork a helper: %s", error)
        os.close(read_end)
        os.close(write_end)
        return None
    if pid:
        os.close(write_end)
        return _Child(pid, read_end)
    status = 1
    try:  # the helper process from here on
        os.close(read_end)
        payload = pickle.dumps([reader(rel) for rel in share], protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        status = 0
    finally:
        os._exit(status)


def _collect(child: _Child) -> list[FileResult] | None:
    """The helper's results, or None when it failed (then its files are read here, so the answer is the same)."""
    import pickle

    try:
        with os.fdopen(child.pipe, "rb") as pipe:
            payload = pipe.read()
    finally:
        child.pipe = -1
    status = _wait(child)
    try:
        results: list[FileResult] = pickle.loads(payload)  # noqa: S301 - written by our own forked helper
    except Exception as error:  # cut short: the helper died while writing
        log.debug("helper %d failed (wait status %d, %s): reading its files here", child.pid, status, error)
        return None
    return results if status == 0 else None


def _wait(child: _Child) -> int:
    """The helper's wait status; 0 when it was reaped already (a host that ignores SIGCHLD reaps for us)."""
    try:
        _, status = os.waitpid(child.pid, 0)
    except ChildProcessError:
        status = 0
    child.running = False
    return status


def _reap(child: _Child) -> None:
    """A helper still running when reading stopped early (an exception here) is stopped, never left behind."""
    if child.pipe >= 0:
        with contextlib.suppress(OSError):
            os.close(child.pipe)
        child.pipe = -1
    if child.running:
        with contextlib.suppress(OSError):
            os.kill(child.pid, signal.SIGKILL)
        _wait(child)


def _third_party(
    raw: Iterable[imports.RawImport], source: files.SourceText, local: LocalModules, stdlib: frozenset[str]
) -> Iterable[ImportRef]:
    for item in raw:
        root_name = item.module.partition(".")[0]
        ignore_line = _file_line(source, item.ignore_line) if item.ignore_line else 0
        if root_name == "__future__" or root_name in stdlib or local.is_local(source.rel, root_name):
            if ignore_line:  # an ignore marker on an import that never needed one: stale (see scan())
                yield ImportRef(_STALE, Location(source.rel, ignore_line), ignore_line=ignore_line)
            continue
        yield ImportRef(
            module=item.module,
            location=Location(source.rel, _file_line(source, item.line)),
            names=item.names,
            optional=item.optional,
            type_only=item.type_only,
            dynamic=item.dynamic,
            reason=item.reason,
            marker=item.marker,
            in_function=item.in_function,
            ignore_line=ignore_line,
        )


_STALE = "<stale ignore marker>"  # never an import name: carries a marker's place from a reader to scan()


def _file_line(source: files.SourceText, line: int) -> int:
    """The line in the file itself (a notebook's JSON text) of a line of the extracted code."""
    return source.line_map[line - 1] if source.line_map and line <= len(source.line_map) else line


class LocalModules:
    """Which top-level names each file of the project can import from the project itself."""

    def __init__(self, paths: Iterable[str]) -> None:
        self._children: dict[str, set[str]] = defaultdict(set)  # directory ("" = root) -> importable names
        self._packages: set[str] = set()  # directories holding an __init__.py
        self._search_paths: dict[str, tuple[str, ...]] = {}
        for path in paths:
            parts = PurePosixPath(path).parts
            for depth in range(len(parts)):
                child = parts[depth]
                if depth == len(parts) - 1:
                    if not child.endswith((".py", ".pyw")):
                        continue
                    child = child.rsplit(".", 1)[0]
                self._children["/".join(parts[:depth])].add(child)
            if parts[-1] == "__init__.py":
                self._packages.add("/".join(parts[:-1]))

    def is_local(self, path: str, name: str) -> bool:
        if path not in self._search_paths:
            self._search_paths[path] = self._search_path(path)
        return any(name in self._children.get(directory, ()) for directory in self._search_paths[path])

    def _search_path(self, path: str) -> tuple[str, ...]:
        """Directories Python would search for a top-level import made in ``path``.

        A file in a plain folder runs as a script, so its folder is searched; a module inside a package is not
        (no implicit relative imports in Python 3), but the folder holding its top-level package is.
        """
        directory = path.rsplit("/", 1)[0] if "/" in path else ""
        package_root = directory
        while package_root and package_root in self._packages:
            package_root = package_root.rsplit("/", 1)[0] if "/" in package_root else ""
        own = () if directory in self._packages else (directory,)
        return tuple(dict.fromkeys((*own, package_root, "", "src")))


def standard_library() -> frozenset[str]:
    """Top-level names of the standard library of every Python release (see ``stdlib_names``)."""
    return stdlib_names.standard_library()


def is_test_path(path: str) -> bool:
    """Tests, packaging and docs tooling: their imports (pytest, setuptools, sphinx) are not the app's."""
    pure = PurePosixPath(path)
    name = pure.name
    return (
        name in _DEV_FILE_NAMES
        or name.startswith("test_")
        or name.endswith("_test.py")
        or any(part in _DEV_DIRS for part in pure.parts[:-1])
    )
