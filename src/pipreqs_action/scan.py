"""The ``scan`` stage: the third-party imports of a tree, each with its file and line.

What is left out, and why:
- the standard library: ``sys.stdlib_module_names`` plus pipreqs' own list (which also knows names that left the
  standard library, such as ``distutils`` users still import under old Pythons);
- relative imports and ``__future__``;
- the project's own code, resolved the way Python resolves it when a file runs: a name is local to a file when
  it is a module or package at the repository root, under ``src/``, beside the file (script folders), or at the
  root of the package holding the file. A ``tools/redis.py`` deep in the tree therefore hides ``import redis``
  only from files in ``tools/``, never from the rest of the repository (pipreqs drops it everywhere).
"""

from __future__ import annotations

import functools
import importlib.util
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from pipreqs_action import files, imports
from pipreqs_action.model import ImportRef, Location, ScanResult, Skipped

_DEV_FILE_NAMES = frozenset({"conftest.py", "setup.py", "noxfile.py", "fabfile.py"})
_DEV_DIRS = frozenset({"tests", "test", "testing", "docs"})


def scan(root: Path, *, exclude: Sequence[str] = (), full_parse: bool = False) -> ScanResult:
    """Read every Python file under ``root`` (never importing or running it) and keep third-party imports."""
    paths, skipped = files.discover(root, exclude)
    local = LocalModules(paths)
    stdlib = standard_library()
    found: list[ImportRef] = []
    for rel in paths:
        source = files.read_source(root, rel)
        if isinstance(source, Skipped):
            skipped.append(source)
            continue
        try:
            raw = imports.extract(source.text, full=full_parse)
        except imports.NotPython as error:
            skipped.append(Skipped(rel, str(error)))
            continue
        found.extend(_third_party(raw, source, local, stdlib))
    return ScanResult(tuple(found), tuple(sorted(skipped)), files_scanned=len(paths))


def _third_party(
    raw: Iterable[imports.RawImport], source: files.SourceText, local: LocalModules, stdlib: frozenset[str]
) -> Iterable[ImportRef]:
    for item in raw:
        root_name = item.module.partition(".")[0]
        if root_name == "__future__" or root_name in stdlib or local.is_local(source.rel, root_name):
            continue
        line = source.line_map[item.line - 1] if source.line_map and item.line <= len(source.line_map) else item.line
        yield ImportRef(
            module=item.module,
            location=Location(source.rel, line),
            names=item.names,
            optional=item.optional,
            type_only=item.type_only,
            dynamic=item.dynamic,
        )


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


@functools.cache
def standard_library() -> frozenset[str]:
    """Top-level names of the standard library: this interpreter's list plus pipreqs' (older Pythons too)."""
    names = set(sys.stdlib_module_names)
    spec = importlib.util.find_spec("pipreqs")  # locate pipreqs' data file without importing pipreqs itself
    if spec and spec.submodule_search_locations:
        stdlib_file = Path(next(iter(spec.submodule_search_locations))) / "stdlib"
        if stdlib_file.is_file():
            names.update(line.strip().partition(".")[0] for line in stdlib_file.read_text("utf-8").split())
    names.discard("")
    return frozenset(names)


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
