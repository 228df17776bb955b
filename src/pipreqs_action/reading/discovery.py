"""Find the candidate source files of an untrusted repository (``.py``, ``.pyw``, ``.ipynb``), fast and fenced.

The tree comes from strangers, so nothing here may abort the run, block, or read outside the tree: a place we
cannot enter becomes a ``Skipped`` with a short human reason and the walk goes on. Speed matters because big
monorepos are checked on every push, so the walk uses ``os.scandir`` (file types come free with the listing),
prunes whole directories before listing them where possible, and never stats a file it does not have to.

Discovery honours git's ignore rules (``ignore_rules``: ``.gitignore`` files, ``.git/info/exclude``, the user's
``exclude`` patterns, and tracked files, which no pattern hides), and always skips virtualenvs, conda
environments, VCS metadata, caches and build output. On the way it notes what says how the project is laid
out (manifests, licence files, READMEs, ``*.dist-info`` folders) for ``layout``.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from collections.abc import KeysView, Sequence
from pathlib import Path
from typing import NamedTuple

from pipreqs_action.errors import SourceError
from pipreqs_action.limits import check_deadline
from pipreqs_action.model import Skipped
from pipreqs_action.reading.ignore_rules import (
    IgnoreFile,
    IgnoreLevels,
    Tracked,
    compile_exclude,
    ignore_file,
    info_exclude,
    load_ignore_file,
)
from pipreqs_action.terminal import escape_controls, has_controls

log = logging.getLogger(__name__)

__all__ = [
    "OUTSIDE_ROOT",
    "SOURCE_SUFFIXES",
    "SYMLINK_LOOP",
    "Tree",
    "discover",
    "discover_tree",
    "inside",
    "os_reason",
]

SOURCE_SUFFIXES = (".py", ".pyw", ".ipynb")

# Files that say how the project is laid out: manifests (a sub-folder with one is a project of its own), licences.
MARKER_NAMES = frozenset(
    {"requirements.txt", "pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "environment.yml", "environment.yaml"}
)
_MARKER_PREFIXES = ("LICENSE", "LICENCE", "COPYING", "README")  # README: at the root, says how the app is run

OUTSIDE_ROOT = "symlink points outside the repository"
MAX_PATH_CHARS = 4096  # Linux's PATH_MAX: a longer path is never matched against ignore patterns, nor reported
SYMLINK_LOOP = "symlink loop"

# Never a source directory of the project: VCS data, caches, installed packages, tool state.
_PRUNED_NAMES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".tox",
        ".nox",
        ".eggs",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".ipynb_checkpoints",
        "site-packages",
        "dist-packages",
    }
)
# Build output, unless it is really a package of the project (holds __init__.py).
_BUILD_NAMES = frozenset({"build", "dist"})
# Conventional environment names: pruned when they hold an interpreter even without pyvenv.cfg (old virtualenv).
_ENV_NAMES = frozenset({".venv", "venv", "env", ".env"})
# A directory holding one of these is an environment, whatever its name.
_ENV_MARKERS = ("pyvenv.cfg", "conda-meta")


class _Dir(NamedTuple):
    """A directory to list: where it is on disk, its POSIX path under the root (``""`` or ``"a/b/"``)."""

    path: str
    rel: str
    ignores: IgnoreLevels


class _Walk:
    """State of one discovery; kept in one place so the helpers stay small and the walk stays iterative."""

    __slots__ = (
        "dir_links",
        "exclude",
        "file_links",
        "files",
        "git_dir",
        "ignored_modules",
        "markers",
        "root",
        "skipped",
        "tracked",
        "visited",
    )

    def __init__(self, root: str, exclude: IgnoreFile | None, git_dir: Path | None) -> None:
        self.root = root  # real path of the root, the fence for symlinks
        self.exclude = exclude
        self.files: list[str] = []
        self.skipped: list[Skipped] = []
        self.visited: set[tuple[int, int]] = set()
        self.dir_links: list[_Dir] = []
        self.file_links: dict[str, str] = {}  # link rel -> target rel
        self.markers: list[str] = []  # manifests, licence files, *.dist-info folders ("x/")
        self.ignored_modules: list[str] = []  # .py files ignore files name ("a/config.py", "**/x.py")
        self.git_dir = git_dir  # the root's .git folder, when it is one
        self.tracked: Tracked | None = None  # read from the git index the first time an ignore pattern matches


class Tree(NamedTuple):
    """What discovery found: the source files, places it could not enter, and facts about the project's layout."""

    files: list[str]
    skipped: list[Skipped]
    markers: tuple[str, ...] = ()  # manifests, licence files and "*.dist-info/" folders, root-relative
    ignored_modules: tuple[str, ...] = ()  # modules the ignore files name: each user makes their own (config.py)


def discover(root: Path, exclude: Sequence[str] = ()) -> tuple[list[str], list[Skipped]]:
    """List the candidate source files under ``root`` (sorted POSIX paths) and the places we could not enter.

    Raises ``SourceError`` when ``root`` is not a directory and ``SettingsError`` for a malformed ``exclude``
    pattern: both are the caller's mistake, not the repository's.
    """
    tree = discover_tree(root, exclude)
    return tree.files, tree.skipped


def discover_tree(root: Path, exclude: Sequence[str] = ()) -> Tree:
    """``discover``, with the layout facts found on the way (the same single walk)."""
    real_root = os.path.realpath(root)
    try:
        info = Path(real_root).stat()
    except OSError as exc:
        raise SourceError(f"{root}: {os_reason(exc)}") from exc
    if not stat.S_ISDIR(info.st_mode):
        raise SourceError(f"{root}: not a directory")
    walk = _Walk(root=real_root, exclude=compile_exclude(exclude), git_dir=_git_dir(real_root))
    walk.visited.add(_identity(info))
    _drain(walk, [_Dir(real_root, "", info_exclude(walk.git_dir))])
    _follow_dir_links(walk)
    return Tree(
        _drop_duplicate_links(walk),
        sorted(set(walk.skipped)),
        tuple(sorted(set(walk.markers))),
        tuple(sorted(set(walk.ignored_modules))),
    )


def _git_dir(root: str) -> Path | None:
    """The root's ``.git`` folder; a ``.git`` file (worktree, submodule) or link points elsewhere: not read."""
    git_dir = Path(root, ".git")
    try:
        return None if git_dir.is_symlink() or not git_dir.is_dir() else git_dir
    except OSError:
        return None


def _drain(walk: _Walk, stack: list[_Dir]) -> None:
    """Depth-first walk with an explicit stack: a hostile tree can be deeper than Python's recursion limit."""
    while stack:
        check_deadline()
        directory = stack.pop()
        try:
            stack.extend(_list_dir(walk, directory))
        except OSError as exc:  # a listing entry vanished or turned unreadable halfway: lose that directory only
            walk.skipped.append(Skipped(directory.rel.rstrip("/") or ".", os_reason(exc)))


def _list_dir(walk: _Walk, directory: _Dir) -> list[_Dir]:
    """Record the candidate files of one directory and return the subdirectories to enter."""
    try:
        with os.scandir(directory.path) as listing:
            entries = list(listing)
    except OSError as exc:
        walk.skipped.append(Skipped(directory.rel.rstrip("/") or ".", os_reason(exc)))
        return []
    by_name = {entry.name: entry for entry in entries}
    names = by_name.keys()
    if directory.rel and _is_environment(directory, names):
        log.debug("%s: skipped (environment or build output)", directory.rel)
        return []
    ignores = directory.ignores
    if ".gitignore" in names:
        spec = load_ignore_file(Path(by_name[".gitignore"].path), directory.rel + ".gitignore", walk.ignored_modules)
        ignores = (*ignores, ignore_file(directory.rel, spec)) if spec is not None else ignores
    children: list[_Dir] = []
    for entry in entries:
        _take_entry(walk, entry, directory.rel + entry.name, ignores, children)
    return children


def _is_environment(directory: _Dir, names: KeysView[str]) -> bool:
    """Virtualenvs, conda environments and build output hold other people's code, never the project's."""
    if any(marker in names for marker in _ENV_MARKERS):
        return True
    name = directory.rel.rstrip("/").rpartition("/")[2]
    if name in _BUILD_NAMES:
        return "__init__.py" not in names
    return name in _ENV_NAMES and _has_interpreter(directory.path, names)


def _has_interpreter(path: str, names: KeysView[str]) -> bool:
    """An environment made without pyvenv.cfg (old virtualenv) still has its interpreter and stdlib."""
    if "bin" in names and Path(path, "bin", "python").exists():
        return True
    if "Scripts" in names and Path(path, "Scripts", "python.exe").exists():
        return True
    if "lib" not in names:
        return False
    try:
        return any(child.name.startswith("python") for child in Path(path, "lib").iterdir())
    except OSError:
        return False


def _take_entry(walk: _Walk, entry: os.DirEntry[str], rel: str, ignores: IgnoreLevels, children: list[_Dir]) -> None:
    """Sort one listing entry into: subdirectory to enter, candidate file, symlink to check, or nothing."""
    if entry.is_dir(follow_symlinks=False):
        if entry.name.endswith(".dist-info"):  # an installed distribution copied into the tree: vendored code
            walk.markers.append(rel + "/")
        elif not _pruned_dir(walk, entry.name, rel, ignores):
            _mark_visited(walk, entry)
            children.append(_Dir(entry.path, rel + "/", ignores))
    elif entry.is_symlink():
        _take_symlink(walk, entry, rel, ignores)
    elif entry.name.endswith(SOURCE_SUFFIXES) and _usable_name(walk, rel) and not _ignored(walk, rel, ignores):
        walk.files.append(rel)
    if entry.name in MARKER_NAMES or entry.name.startswith(_MARKER_PREFIXES):
        walk.markers.append(rel)


def _pruned_dir(walk: _Walk, name: str, rel: str, ignores: IgnoreLevels) -> bool:
    """Decide from the name alone, so a pruned directory is never even listed."""
    if name in _PRUNED_NAMES or name.endswith(".egg-info"):
        return True
    return not _usable_name(walk, rel) or _ignored(walk, rel + "/", ignores)


def _usable_name(walk: _Walk, rel: str) -> bool:
    """Paths end up in JSON and issue text; a name that is not UTF-8 cannot, so report it instead."""
    if len(rel) > MAX_PATH_CHARS:
        walk.skipped.append(Skipped(rel[:80] + "...", f"path longer than {MAX_PATH_CHARS} characters"))
        return False
    if has_controls(rel):  # an escape sequence or a line break would reach terminals, logs and annotations
        walk.skipped.append(Skipped(escape_controls(rel, keep_lines=False), "file name holds control characters"))
        return False
    if rel.isascii():
        return True
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        walk.skipped.append(Skipped(shown, "file name is not valid UTF-8"))
        return False
    return True


def _ignored(walk: _Walk, path: str, ignores: IgnoreLevels) -> bool:
    """Git's precedence: the deepest ``.gitignore`` with a matching pattern decides; user excludes rank first.

    ``path`` ends with ``/`` for directories so that dir-only patterns (``build/``) apply.
    """
    if walk.exclude is not None:
        verdict = walk.exclude.verdict(path)
        if verdict is not None:
            return verdict
    for level in reversed(ignores):
        verdict = level.verdict(path)
        if verdict is not None:
            return verdict and not _is_tracked(walk, path)
    return False


def _is_tracked(walk: _Walk, path: str) -> bool:
    """Git's own rule: ignore patterns never hide a tracked file. The index is read only once one matches."""
    if walk.git_dir is None:
        return False
    if walk.tracked is None:
        walk.tracked = Tracked.load(walk.git_dir)
    return walk.tracked.holds(path)


def _mark_visited(walk: _Walk, entry: os.DirEntry[str]) -> None:
    try:
        walk.visited.add(_identity(entry.stat(follow_symlinks=False)))
    except OSError:
        return


def _identity(info: os.stat_result) -> tuple[int, int]:
    return (info.st_dev, info.st_ino)


def _take_symlink(walk: _Walk, entry: os.DirEntry[str], rel: str, ignores: IgnoreLevels) -> None:
    """Follow links only inside the root: an untrusted repository must not make us read ``/etc``."""
    try:
        is_dir = entry.is_dir()
    except OSError:
        is_dir = False
    if is_dir and _pruned_dir(walk, entry.name, rel, ignores):
        return
    if not is_dir and not (entry.name.endswith(SOURCE_SUFFIXES) and _usable_name(walk, rel)):
        return
    if not is_dir and _ignored(walk, rel, ignores):
        return
    try:
        target = os.path.realpath(entry.path, strict=True)
    except OSError as error:  # a link to itself, a cycle of links, or a dangling link
        if error.errno == errno.ELOOP:
            walk.skipped.append(Skipped(rel, SYMLINK_LOOP))
            return
        target = os.path.realpath(entry.path)  # dangling: judged by where it points
    if not inside(walk.root, target):
        walk.skipped.append(Skipped(rel, OUTSIDE_ROOT))
        return
    target_rel = os.path.relpath(target, walk.root).replace(os.sep, "/")
    if _in_environment(walk.root, target_rel if is_dir else target_rel.rpartition("/")[0]):
        log.debug("%s: skipped, links into an environment", rel)
    elif is_dir:
        walk.dir_links.append(_Dir(entry.path, rel + "/", ignores))
    else:
        walk.files.append(rel)
        walk.file_links[rel] = target_rel


def inside(root: str, real: str) -> bool:
    """Is the real path ``real`` the directory ``root`` or below it (the fence for symlinks and opened files)?"""
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _in_environment(root: str, rel_dir: str) -> bool:
    """Would the normal walk have pruned this place? Then a link into it must not smuggle it back in."""
    if rel_dir in ("", "."):
        return False
    current = Path(root)
    for part in rel_dir.split("/"):
        current = current / part
        if part in _PRUNED_NAMES or part.endswith(".egg-info"):
            return True
        if any((current / marker).exists() for marker in _ENV_MARKERS):
            return True
    return False


def _follow_dir_links(walk: _Walk) -> None:
    """Walk linked directories after the real tree, so a link to an already-walked place adds nothing."""
    while walk.dir_links:
        link = walk.dir_links.pop(0)
        try:
            identity = _identity(Path(link.path).stat())
        except OSError as exc:
            walk.skipped.append(Skipped(link.rel.rstrip("/"), os_reason(exc)))
            continue
        target = os.path.realpath(link.path)
        here = os.path.realpath(Path(link.path).parent)
        if inside(target, here):
            walk.skipped.append(Skipped(link.rel.rstrip("/"), SYMLINK_LOOP))
        elif identity in walk.visited:
            log.debug("%s: links to a directory already scanned", link.rel)
        else:
            walk.visited.add(identity)
            _drain(walk, [link])


def _drop_duplicate_links(walk: _Walk) -> list[str]:
    """A file linked from elsewhere in the tree is scanned once, under its own path."""
    found = set(walk.files)
    seen_targets: set[str] = set()
    result = []
    for rel in sorted(found):
        target = walk.file_links.get(rel)
        if target is not None and (target in found or target in seen_targets):
            continue
        if target is not None:
            seen_targets.add(target)
        result.append(rel)
    return result


def os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
