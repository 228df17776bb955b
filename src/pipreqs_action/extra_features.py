"""Which of the project's optional features (its extras) each module of the app needs to run at all.

A module that imports, at run time, a distribution declared only in the extra ``video-surfer`` (``import cv2``
with ``video-surfer = ["opencv-python"]``) runs only where that extra is installed. Whatever the extra's
distributions install is then present wherever the module runs: its ``import numpy`` is installed through
opencv-python, a ``via`` and not an alarm. A module needing no extra gets nothing from one: a plain install leaves
every extra out, so its ``import numpy`` stays an alarm however many extras would install numpy.

The need follows local imports: a private module of a library (``_types.py``, or any module below a folder whose
name starts with ``_``) that only such modules import (``agents/azure/_types.py``, imported by nothing but the
agent module that needs the ``azure`` extra) is loaded only where that extra is installed, so it needs the extra
too (``through`` says from which modules). A public module is not followed into: its users may import it directly,
without the module that needs the extra.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from pipreqs_action.mapping import ImportNames
from pipreqs_action.model import Declared, ImportRef, Location, Requirement, ScanResult
from pipreqs_action.reading.definitions import Definition

__all__ = ["FeatureFiles", "feature_files"]


class FeatureFiles(NamedTuple):
    """The app's modules with what each needs of the extras (``needs``: path -> one set per import that only
    extras provide, the extras providing it: the module needs one of each set; every app module that imports
    something at run time is there, most with no set), and each extra's declarations (``groups``)."""

    needs: Mapping[str, tuple[frozenset[str], ...]] = {}
    groups: Mapping[str, tuple[Requirement, ...]] = {}
    through: Mapping[str, tuple[str, ...]] = {}  # path -> the modules it gets needs from
    # path -> line -> one set per import path only extras provide (the extras providing it), for each import inside
    # a function that runs when called; and path -> lines of imports that need nothing (guarded, typing-only)
    calls: Mapping[str, Mapping[int, tuple[frozenset[str], ...]]] = {}
    guarded: Mapping[str, frozenset[int]] = {}
    definitions: Callable[[str], Sequence[Definition]] = lambda path: ()  # a module's top-level defs and classes

    def requirements(self) -> tuple[Requirement, ...]:
        """The declarations of the extras some module or function needs: the only ones worth following."""
        called = (sets for lines in self.calls.values() for sets in lines.values())
        used = {name for alternatives in (*self.needs.values(), *called) for names in alternatives for name in names}
        return tuple(req for name in sorted(used) for req in self.groups.get(name, ()))

    def certain_at(self, location: Location, declaring: frozenset[str]) -> tuple[frozenset[str], str] | None:
        """The extras, among ``declaring``, that the import at ``location`` certainly runs with, and the top-level
        definition that makes it so ("" when the module itself does); None when it may run without them all.

        An import needing nothing (guarded, typing-only) runs with none: ``(frozenset(), "")``. One inside a
        function runs only when called: with what any import inside the same top-level definition needs (a class
        whose ``fetch()`` imports boto3 of the ``s3`` extra runs ``init_config()``'s ``import botocore`` only where
        that extra is installed)."""
        if location.line in self.guarded.get(location.path, ()):
            return frozenset(), ""
        module = self.certain(location.path, declaring)
        if module:
            return module, ""
        calls = self.calls.get(location.path, {})
        if location.line not in calls:
            return None
        for definition in self.definitions(location.path):
            if definition.first <= location.line <= definition.last:
                inside = [
                    names
                    for line, sets in calls.items()
                    if definition.first <= line <= definition.last
                    for names in sets
                    if names <= declaring
                ]
                found = frozenset(name for names in inside for name in names)
                return (found, definition.name) if found else None
        return None

    def certain(self, module: str, declaring: frozenset[str]) -> frozenset[str]:
        """The extras, among ``declaring``, that an import of the module needs whichever way it is satisfied: every
        extra that could provide that import is one of them. Empty when the module can run without all of them."""
        found = [names for names in self.needs.get(module, ()) if names <= declaring]
        return frozenset(name for names in found for name in names)

    def extras_of(self, key: str) -> frozenset[str]:
        """The extras declaring a distribution (normalised name)."""
        return frozenset(name for name, group in self.groups.items() if any(req.key == key for req in group))


def feature_files(
    scan: ScanResult,
    declared: Declared,
    names: ImportNames,
    definitions: Callable[[str], Sequence[Definition]] = lambda path: (),
) -> FeatureFiles:
    """For each app module importing something at run time, the extras whose declarations (and nothing the plain
    install gets) provide one of its imports; the same for each import inside a function. ``definitions``: a
    module's top-level functions and classes (``definitions.top_level_definitions``), asked only by ``via``."""
    every = (*declared.requirements, *declared.inherited, *declared.installed)  # what every install gets (``via``)
    plain = {req.key: names.provides(req.name) for req in every}
    groups = {name: group for name, group in declared.optional_groups if group}
    provided = {
        name: [names.provides(req.name) for req in group if req.key not in plain] for name, group in groups.items()
    }
    needs: dict[str, set[frozenset[str]]] = {}
    calls: dict[str, dict[int, set[frozenset[str]]]] = {}
    guarded: dict[str, set[int]] = {}
    for ref in scan.imports:
        if ref.root in declared.first_party:
            continue
        if not _needed_at_run_time(ref):
            if not ref.secondary:
                guarded.setdefault(ref.location.path, set()).add(ref.location.line)
            continue
        found = needs.setdefault(ref.location.path, set())
        if ref.in_function:  # only a call needs it, not the module: the module's own imports get nothing from it
            found = calls.setdefault(ref.location.path, {}).setdefault(ref.location.line, set())
        for path in names.import_paths(ref):
            if any(names.satisfies(paths, path) for paths in plain.values()):
                continue
            extras = frozenset(name for name, each in provided.items() if any(names.satisfies(p, path) for p in each))
            if extras:
                found.add(extras)
    through = _along_imports(needs, dict(scan.module_imports))
    in_calls = {path: {line: _sorted(sets) for line, sets in lines.items()} for path, lines in calls.items()}
    return FeatureFiles(
        {path: _sorted(sets) for path, sets in needs.items()},
        groups,
        through,
        in_calls,
        {path: frozenset(lines) for path, lines in guarded.items()},
        definitions,
    )


def _sorted(sets: set[frozenset[str]]) -> tuple[frozenset[str], ...]:
    return tuple(sorted(sets, key=sorted))


def _along_imports(
    needs: dict[str, set[frozenset[str]]], graph: Mapping[str, Sequence[str]]
) -> dict[str, tuple[str, ...]]:
    """Give each module the needs that every app module importing it shares (it is loaded only through them), until
    nothing changes; the modules each one got needs from. ``graph``: app file -> the project files it loads."""
    importers: dict[str, list[str]] = {}
    for path, loaded in graph.items():
        for target in loaded:
            importers.setdefault(target, []).append(path)
    working = {path: set(needs.get(path, ())) for path in {*needs, *graph}}
    through: dict[str, tuple[str, ...]] = {}
    changed = True
    while changed:
        changed = False
        for path, by in sorted(importers.items()):
            if path not in working or not _private(path):
                continue
            shared = set.intersection(*(working.get(importer, set()) for importer in by))
            if not shared <= working[path]:
                working[path] |= shared
                through[path] = tuple(sorted(by))
                changed = True
    for path in needs:
        needs[path] = working[path]
    return {path: importers_of for path, importers_of in through.items() if path in needs}


def _private(path: str) -> bool:
    """``pkg/_types.py``, ``pkg/_internal/x.py``: a module its package's users do not import themselves."""
    return any(part.startswith("_") and part not in ("__init__.py", "__main__.py") for part in path.split("/"))


def _needed_at_run_time(ref: ImportRef) -> bool:
    return not (ref.optional or ref.type_only or ref.secondary)
