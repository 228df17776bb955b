"""A project inside the checked tree imports the modules of the folders above it, as its enclosing project's code does.

``request_llms/`` holding its own requirements files is checked as a project of its own, but its code runs from the
repository's root like every other file there (``python main.py`` imports ``request_llms.bridge_all``, whose
``import core_functional`` finds the root's ``core_functional.py``). ``local_modules`` already searches every folder
above a file up to the checked root; a project checked on its own keeps that: what the folders between it and the
checked root hold (and what the checked root's own enclosing folders hold, for a project nested deeper) is
importable last, after its own folders, each with the path it was found at relative to the project.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from pipreqs_action.local.local_modules import LocalModules
from pipreqs_action.model import ImportRef, LocalImport

__all__ = ["Above", "above", "resolve"]


class Above(NamedTuple):
    """A module or package of a folder above the project: where (relative to the project), and, for a folder without
    ``__init__.py``, the names it holds. Such a namespace folder never hides an installed package of its name (Python
    takes a regular package or module anywhere on ``sys.path`` first), so it counts only for an import of something
    it holds (``shared_utils.doc_loader``, ``from request_llms import bridge_all``): a sibling project's folder named
    ``anthropic/`` is no ``anthropic``."""

    path: str
    holds: frozenset[str] | None = None  # None: a module or a regular package


def above(modules: LocalModules | None, outer: Mapping[str, Above], folder: str) -> dict[str, Above]:
    """What the project in ``folder`` (relative to the checked root) imports from the folders above it, nearest
    first, each with its file or package folder relative to the project (``../core_functional.py``); ``outer``: the
    same for the checked root itself, when it is a project inside another."""
    parts = folder.split("/")
    found: dict[str, Above] = {}
    for depth in range(len(parts) - 1, -1, -1):
        ancestor = "/".join(parts[:depth])
        up = "../" * (len(parts) - depth)
        for name in sorted(modules.names_in(ancestor) if modules else ()):
            path = modules.module_in(ancestor, name) if modules and name != "__init__" else None
            if modules is None or path is None or name in found:
                continue
            folder_path = path.removesuffix("/")
            holds = None if path.endswith(".py") or modules.is_package(folder_path) else modules.names_in(folder_path)
            found[name] = Above(up + (path[len(ancestor) + 1 :] if ancestor else path), holds)
    for name, item in outer.items():
        found.setdefault(name, item._replace(path="../" * len(parts) + item.path))
    return found


def resolve(refs: Sequence[ImportRef], modules_above: Mapping[str, Above]) -> tuple[list[ImportRef], list[LocalImport]]:
    """The imports that still look third-party, and those a folder above the project holds (with where)."""
    if not modules_above:
        return list(refs), []
    kept: list[ImportRef] = []
    found: list[LocalImport] = []
    for ref in refs:
        item = modules_above.get(ref.root)
        if item is None or (item.holds is not None and not _held(ref, item.holds)):
            kept.append(ref)
        else:
            reason = f"{item.path}: a module of the enclosing project, whose code runs from there"
            found.append(LocalImport(ref.module, ref.location, reason))
    return kept, found


def _held(ref: ImportRef, holds: frozenset[str]) -> bool:
    """Whether the import names something the namespace folder holds: its next dotted part, or a name it takes."""
    below = ref.module.split(".")[1:2]
    return any(name in holds for name in below or ref.names)
