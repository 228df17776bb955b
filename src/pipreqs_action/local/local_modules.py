"""Which top-level names each file of the project imports from the project itself, as Python resolves them.

A file run as a script (``python bot/main.py``) has its own folder first on ``sys.path``, even when that folder
holds an ``__init__.py``; a module inside a package is imported from the folder holding the package, usually the
root, and a service started from ``svc/src/`` imports its siblings there. So for a file in folder ``D`` we search
``D`` and every folder above it up to the checked root, plus ``src/`` and every folder some file adds to
``sys.path`` by a literal call (see ``syspath``). A ``tools/redis.py`` deep in the tree therefore hides
``import redis`` only from files in ``tools/`` (and below), never from the rest of the repository.

Besides the files on disk, a module exists when a notebook writes it (``%%writefile helper.py``) or when the
repository's ``.gitignore`` names it (``config.py``: each user creates their own copy).

A *package module*, a file with a relative import (``from . import x``), is never run as a script: Python 3 loads it
as ``pkg.core.x`` from the folder holding the package, so its absolute ``import redis`` finds the real package, not
``pkg/redis.py``. For such a file a package folder (with its ``__init__.py``) on the search path counts only when a
script runs from it (a file there with an ``if __name__ == "__main__":`` block, ``__main__.py`` apart: ``python -m``
puts the working folder first, not the package's). The root, ``src/`` and the added roots always count.

A folder the project's own imports name as a *sub-package* (``opentelemetry/instrumentation/``, when some file
imports ``opentelemetry.instrumentation.aio_pika.span_builder`` and the folder holds ``aio_pika/``) is loaded from
the folder holding its top-level package, never put on ``sys.path`` itself: ``import aio_pika`` in
``opentelemetry/instrumentation/aio_pika/publish_decorator.py`` wants the library the package instruments, not the
package. Such a folder above the importing file's own one is searched only when a script runs from it or a file
adds it to ``sys.path``; its namespace folders (PEP 420, no ``__init__.py``) count like regular packages, since the
dotted import shows how Python reaches them. The importing file's own folder is always searched (it may run as a
script, and Python 2 code imported its siblings by their plain names). Which dotted imports the project makes is
known only once every file is read (``qualified``); until then ``may_hide`` says which imports to keep for that
answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

__all__ = ["LocalModules"]

_ANYWHERE = "**/"


class LocalModules:
    """Importable names per folder, and the search path of each importing file's folder (cached)."""

    def __init__(
        self,
        paths: Iterable[str],
        *,
        import_roots: Iterable[str] = (),
        ignored_modules: Iterable[str] = (),
        package_modules: Iterable[str] = (),
        script_folders: Iterable[str] = (),
        qualified: Iterable[str] | None = None,
    ) -> None:
        self._children: dict[str, set[str]] = defaultdict(set)  # folder ("" = root) -> importable names
        self._anywhere_below: dict[str, set[str]] = defaultdict(set)  # folder -> names local to every file under it
        self._where: dict[str, str] = {}  # name -> the first folder holding it, for "anywhere in the tree"
        self._roots = tuple(dict.fromkeys(("src", *import_roots)))
        self._visible: dict[str, frozenset[str]] = {}  # folder of an importing file -> names it can import
        self._package_modules = frozenset(package_modules)  # files with a relative import: never run as scripts
        self._script_folders = frozenset(script_folders)  # folders some script runs from (sys.path[0])
        # dotted name of a package the project imports ("a.b", of "a.b.c.d") -> the names imported from it ("c")
        named: dict[str, set[str]] = defaultdict(set)
        for module in qualified or ():
            parts = module.split(".")
            for depth in range(2, len(parts)):
                named[".".join(parts[:depth])].add(parts[depth])
        self._qualified = None if qualified is None else named
        self._sub_packages: dict[str, bool] = {}  # folder -> named as a sub-package by the project's imports
        for path in paths:
            self._add(path)
        for pattern in ignored_modules:
            base, anywhere, name = pattern.partition(_ANYWHERE)
            if anywhere:
                self._anywhere_below[base.rstrip("/")].add(name.rsplit(".", 1)[0])
            else:
                self._add(pattern)

    def __eq__(self, other: object) -> bool:
        """The same modules, search roots, package modules and script folders: the same answers."""
        if not isinstance(other, LocalModules):
            return NotImplemented
        return self._state() == other._state()

    __hash__ = None  # type: ignore[assignment]  # mutable caches inside: compared by what it holds, never hashed

    def _state(self) -> tuple[object, ...]:
        children = {folder: names for folder, names in self._children.items() if names}
        below = {folder: names for folder, names in self._anywhere_below.items() if names}
        qualified = None if self._qualified is None else {key: names for key, names in self._qualified.items() if names}
        return (children, below, self._roots, self._package_modules, self._script_folders, qualified)

    def _add(self, path: str) -> None:
        parts = path.split("/")
        last = len(parts) - 1
        for depth, child in enumerate(parts):
            name = child
            if depth == last:
                if not child.endswith((".py", ".pyw")):
                    continue
                name = child.rsplit(".", 1)[0]
            folder = "/".join(parts[:depth])
            self._children[folder].add(name)
            self._where.setdefault(name, folder)

    def is_local(self, path: str, name: str, *, package_module: bool | None = None, module: str = "") -> bool:
        """Would ``import name`` in the file ``path`` find a module or package of the project?

        ``package_module`` says whether the file has a relative import; None: as told at construction. ``module`` is
        the whole dotted name imported (``name.sub``), when known.
        """
        directory, _, file_name = path.rpartition("/")
        visible = self._visible.get(directory)
        if visible is None:
            visible = self._visible[directory] = self._visible_from(directory)
        if package_module is None:
            package_module = path in self._package_modules
        if name in visible and package_module and self._only_in_package_folders(directory, name):
            return False
        if name in visible and self._qualified and self._only_in_sub_packages(directory, name):
            return False
        if name in visible and file_name.rpartition(".")[0] == name:
            return self._elsewhere_than(directory, name)
        if name in visible and (parent := self._enclosing_subpackage(directory, name)) is not None:
            if self._run_from(parent, module):
                return True
            search = self._search_path(directory)
            return any(self._holds(folder, name) for folder in search if folder != parent)
        return name in visible

    def _run_from(self, parent: str, module: str) -> bool:
        """A sub-package importing itself by its own name (``from bf.cf import c`` inside ``bf/``) when a script beside
        it runs from ``parent``: a folder that is no package (no ``__init__.py``) whose files import the package by
        that name, so Python has it first on ``sys.path``; and the submodule imported is one the package holds
        (``bf/cf/``), which a library it merely wraps would not share."""
        if parent not in self._script_folders or "__init__" in self._children.get(parent, ()):
            return False
        name, *below = module.split(".")
        folder = f"{parent}/{name}" if parent else name
        for part in below:
            if part not in self._children.get(folder, ()):
                return False
            folder = f"{folder}/{part}"
        return bool(below)

    def _enclosing_subpackage(self, directory: str, name: str) -> str | None:
        """The folder holding the sub-package named ``name`` that encloses ``directory``, if one does.

        ``mylib/integrations/graphrag/search.py`` doing ``import graphrag`` wants the library its package wraps:
        Python finds the enclosing ``graphrag/`` by that name only when ``mylib/integrations/`` is on ``sys.path``,
        and no one runs a module of a sub-package (``__init__.py`` here and in a folder above, namespace folders
        between allowed) as a script from there. A top-level package (``mylib``) importing itself by name is local,
        as it is for Python.
        """
        parts = directory.split("/") if directory else []
        for index in range(len(parts) - 1, 0, -1):
            if parts[index] != name:
                continue
            enclosing, parent = "/".join(parts[: index + 1]), "/".join(parts[:index])
            above = ("/".join(parts[:depth]) for depth in range(index, 0, -1))  # namespace folders between count
            if "__init__" in self._children.get(enclosing, ()) and any(
                "__init__" in self._children.get(folder, ()) for folder in above
            ):
                return parent
        return None

    def _only_in_package_folders(self, directory: str, name: str) -> bool:
        """Every folder on the search path holding ``name`` is a package folder no script runs from."""
        holders = [folder for folder in self._search_path(directory) if self._holds(folder, name)]
        return bool(holders) and all(
            folder
            and folder not in self._roots
            and folder not in self._script_folders
            and name not in self._anywhere_below.get(folder, ())
            and "__init__" in self._children.get(folder, ())
            for folder in holders
        )

    def _only_in_sub_packages(self, directory: str, name: str) -> bool:
        """Every folder on the search path holding ``name`` lies above ``directory`` and is a sub-package of the
        project's (named so by its dotted imports) that no script runs from and no file adds to ``sys.path``."""
        holders = [folder for folder in self._search_path(directory) if self._holds(folder, name)]
        return bool(holders) and all(
            folder != directory and self._off_the_path(folder, name) and self._is_sub_package(folder)
            for folder in holders
        )

    def may_hide(self, path: str, name: str) -> bool:
        """Before the project's dotted imports are known (``qualified`` not given): could they make ``import name``
        in ``path`` the library rather than a folder above the file (``_only_in_sub_packages``)? Then the import is
        kept until they are. Only folders two levels deep or more can be a sub-package."""
        if self._qualified is not None:
            return False
        directory = path.rpartition("/")[0]
        holders = [folder for folder in self._search_path(directory) if self._holds(folder, name)]
        return bool(holders) and all(
            folder != directory and "/" in folder and self._off_the_path(folder, name) for folder in holders
        )

    def _off_the_path(self, folder: str, name: str) -> bool:
        """No script runs from ``folder`` and it is no import root: it is on ``sys.path`` only as a folder above."""
        return (
            folder not in self._roots
            and folder not in self._script_folders
            and name not in self._anywhere_below.get(folder, ())
        )

    def _is_sub_package(self, folder: str) -> bool:
        """The project imports ``folder`` (or the folders ending it) by a dotted name of two parts or more, with a
        module or package it holds after it: ``opentelemetry.instrumentation.aio_pika`` for
        ``.../opentelemetry/instrumentation/`` holding ``aio_pika/`` (cached)."""
        known = self._sub_packages.get(folder)
        if known is None:
            parts = folder.split("/")
            held = self._children.get(folder, set())
            qualified = self._qualified or {}
            known = any(
                not held.isdisjoint(qualified.get(".".join(parts[start:]), ())) for start in range(len(parts) - 1)
            )
            self._sub_packages[folder] = known
        return known

    def _holds(self, folder: str, name: str) -> bool:
        return name in self._children.get(folder, ()) or name in self._anywhere_below.get(folder, ())

    def _elsewhere_than(self, directory: str, name: str) -> bool:
        """``flask.py`` importing ``flask`` means the real package (a file importing itself is a known pitfall, never
        the intent): local only when another folder on the search path has the name."""
        return any(self._holds(folder, name) for folder in self._search_path(directory)[1:])

    def _visible_from(self, directory: str) -> frozenset[str]:
        """Every name importable from a file in ``directory``: one set per folder, so each lookup is one test."""
        search = self._search_path(directory)
        names: set[str] = set()
        for folder in search:
            names |= self._children.get(folder, set())
            names |= self._anywhere_below.get(folder, set())
        return frozenset(names)

    def _search_path(self, directory: str) -> tuple[str, ...]:
        """The file's folder and every folder above it up to the root, then ``src/`` and the added roots."""
        above = [directory]
        while directory:
            directory = directory.rpartition("/")[0]
            above.append(directory)
        return tuple(dict.fromkeys((*above, *self._roots)))

    def is_package(self, folder: str) -> bool:
        """Does ``folder`` ("" = the root) hold an ``__init__.py``?"""
        return "__init__" in self._children.get(folder, ())

    def names_in(self, folder: str) -> frozenset[str]:
        """The names ``import`` finds in ``folder`` ("" = the root) itself: its modules and sub-folders."""
        return frozenset(self._children.get(folder, ())) | self._anywhere_below.get(folder, frozenset())

    def module_in(self, folder: str, name: str) -> str | None:
        """The file (``folder/name.py``) or package folder (``folder/name/``) that ``import name`` finds in
        ``folder`` ("" = the root), if the folder holds one."""
        if not self._holds(folder, name):
            return None
        path = f"{folder}/{name}" if folder else name
        return f"{path}/" if path in self._children else f"{path}.py"

    def found_from(self, path: str, name: str) -> str | None:
        """The file or package folder that ``import name`` in the file ``path`` finds first on its search path
        (``module_in``), if a folder there holds one."""
        directory = path.rpartition("/")[0]
        return next(filter(None, (self.module_in(folder, name) for folder in self._search_path(directory))), None)

    def anywhere(self, name: str) -> str | None:
        """A folder of the tree ("" for the root) holding a module or package ``name``, if any does."""
        return self._where.get(name)
