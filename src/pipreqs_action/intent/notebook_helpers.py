"""Install on demand one notebook away: a helper module that only notebooks import, each installing its needs first.

A course's notebook runs ``!pip install gym pyvirtualdisplay``, then ``import helpers``; ``helpers.py`` imports
pyvirtualdisplay. The module runs only in those kernels, after the install: the notebooks are where the author
declares what it needs (``notebook_imports`` covers the notebook's own imports the same way). So an import of a
project's own module (a ``.py`` file, or every module of a package) is optional, saying which notebook installs it,
when every file that imports that module is a notebook that pip-installs the package at or above its import of the
module. One ``.py`` file importing the module (a script, a test, another helper outside the package) and it is
not: the module then runs without the notebooks' installs.

The kernel one notebook away: a book's ``preamble.py`` that every chapter notebook starts with (``from preamble
import *``) runs in the notebooks' IPython kernel, so its ``from IPython.display import display`` is provided by
the kernel, as in the notebooks themselves (``runtime_provided``). This holds for a module that only notebooks, or
modules that only notebooks load, import (``kernel_modules``): the book's own plotting package imported by the
notebooks and by the preamble. Not in a project that builds a distribution (its users import its modules from plain
Python), nor for a module run as a script (``if __name__ == "__main__":``), nor when a ``.py`` file outside that set
imports it.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from pipreqs_action.intent.notebook_imports import INSTALLED_BY_NOTEBOOK, spellings
from pipreqs_action.intent.runtime_provided import KERNEL_MODULES, KERNEL_REASON
from pipreqs_action.model import ImportRef

__all__ = ["LOCAL_IMPORT", "NotebookUses", "apply", "in_kernel", "kernel_imports", "kernel_modules"]

# The top-level name of each import statement (``import x.y``, ``from x import y``): cheap enough for every file.
LOCAL_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(\w+)|import[ \t]+(\w+))", re.MULTILINE)


class NotebookUses(NamedTuple):
    """A file's imports of the project's own modules: (top-level name, file line); a notebook's pip installs too."""

    path: str
    modules: tuple[tuple[str, int], ...]
    installs: tuple[tuple[int, str], ...] = ()
    script: bool = False  # a .py file with an ``if __name__ == "__main__":`` block: it runs on its own too

    @property
    def notebook(self) -> bool:
        return self.path.endswith(".ipynb")


class _Importer(NamedTuple):
    path: str
    line: int  # where it imports the module; 0 for a .py file (never installs)
    installs: tuple[tuple[int, str], ...]


def apply(refs: list[ImportRef], uses: Sequence[NotebookUses], files: Sequence[str]) -> list[ImportRef]:
    """``refs`` with the imports of helper modules that only installing notebooks import marked optional."""
    if not any(use.notebook and use.installs for use in uses):
        return refs
    importers = _importers(uses, set(files))
    return [_judged(ref, importers.get(ref.location.path, ())) for ref in refs]


def _importers(uses: Sequence[NotebookUses], files: set[str]) -> Mapping[str, list[_Importer]]:
    """For each module file of the project that a notebook imports, every file importing it (its package's own
    modules left out)."""
    found: dict[str, list[_Importer]] = defaultdict(list)
    units: dict[str, str] = {}  # module file -> what an import of it reaches: the package folder, or the file
    for use in uses:
        if use.notebook:
            for name, line in use.modules:
                unit, paths = _module_files(use.path, name, files)
                for path in paths:
                    found[path].append(_Importer(use.path, line, use.installs))
                    units[path] = unit
    for use in uses:
        if use.notebook:
            continue
        for name, _ in use.modules:
            unit, paths = _module_files(use.path, name, files)
            for path in paths:
                if path in found and not use.path.startswith(units[path]) and use.path != path:
                    found[path].append(_Importer(use.path, 0, ()))  # a package's own modules do not count
    return found


def kernel_imports(refs: Sequence[ImportRef]) -> bool:
    """Whether an app ``.py`` file imports the kernel's modules where nothing else provides them: only then is
    ``in_kernel`` worth the project's modules being read."""
    python = (ref for ref in refs if not ref.location.path.endswith(".ipynb"))
    return any(ref.root in KERNEL_MODULES and not _not_app(ref) for ref in python)


def in_kernel(refs: list[ImportRef], uses: Sequence[NotebookUses], files: Sequence[str]) -> list[ImportRef]:
    """``refs`` with the kernel's modules (IPython, ipykernel) optional in the modules only notebooks load."""
    modules = kernel_modules(uses, files)
    return [
        ref._replace(optional=True, reason=f"{KERNEL_REASON}: only notebooks load this module ({modules[path]})")
        if (path := ref.location.path) in modules and ref.root in KERNEL_MODULES and not _not_app(ref)
        else ref
        for ref in refs
    ]


def kernel_modules(uses: Sequence[NotebookUses], files: Sequence[str]) -> dict[str, str]:
    """The ``.py`` files that run only in a notebook's kernel, each with the notebook or module that loads it:
    reached from a notebook through such files alone, imported by no other ``.py`` file, and none run as a script.
    A package's own modules importing each other do not count (importing the package may run any of them)."""
    importers = _all_importers(uses, set(files))
    scripts = {use.path for use in uses if use.script}
    kernel: dict[str, str] = {}
    while True:
        found = _reached_from_notebooks(importers, scripts, kernel)
        if found == kernel:
            return dict(sorted(kernel.items()))
        kernel = found


def _reached_from_notebooks(
    importers: Mapping[str, Sequence[str]], scripts: set[str], kernel: Mapping[str, str]
) -> dict[str, str]:
    """One round: the modules all of whose importers are notebooks or last round's kernel modules, with one of
    them (a notebook first), leaving out scripts; the first round starts from the notebooks alone."""
    found: dict[str, str] = {}
    for path, by in importers.items():
        if path in scripts or not by or not all(importer.endswith(".ipynb") or importer in kernel for importer in by):
            continue
        notebooks = [importer for importer in by if importer.endswith(".ipynb")]
        found[path] = min(notebooks) if notebooks else min(by)
    return found


def _all_importers(uses: Sequence[NotebookUses], files: set[str]) -> dict[str, list[str]]:
    """For each module file of the project, the files importing it (its package's own modules left out)."""
    found: dict[str, list[str]] = defaultdict(list)
    for use in uses:
        for name, _ in use.modules:
            unit, paths = _module_files(use.path, name, files)
            for path in paths:
                if use.path != path and not (unit.endswith("/") and use.path.startswith(unit)):
                    found[path].append(use.path)
    return found


def _not_app(ref: ImportRef) -> bool:
    return ref.optional or ref.type_only or bool(ref.secondary)


def _module_files(importer: str, name: str, files: set[str]) -> tuple[str, tuple[str, ...]]:
    """What ``import name`` reaches from ``importer``'s folder or one above it: ``name.py``, or every module of the
    package ``name/`` (importing a package may run any of its modules), with the package folder ("" for a file)."""
    folder = posixpath.dirname(importer)
    while True:
        base = posixpath.join(folder, name)
        if f"{base}.py" in files:
            return f"{base}.py", (f"{base}.py",)
        if f"{base}/__init__.py" in files:
            return f"{base}/", tuple(path for path in files if path.startswith(f"{base}/") and path.endswith(".py"))
        if not folder:
            return "", ()
        folder = posixpath.dirname(folder)


def _judged(ref: ImportRef, importers: Sequence[_Importer]) -> ImportRef:
    if not importers or ref.optional or ref.type_only or ref.secondary:
        return ref
    names = spellings(ref)
    lines: list[tuple[str, int]] = []
    for importer in importers:
        installed = [line for line, name in importer.installs if name in names and line <= importer.line]
        if not installed:
            return ref
        lines.append((importer.path, min(installed)))
    path, line = min(lines)
    reason = f"{INSTALLED_BY_NOTEBOOK}s that import this module ({path}: pip install at line {line})"
    return ref._replace(optional=True, reason=reason)
