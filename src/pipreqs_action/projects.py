"""Monorepos: every folder below the checked path with a manifest of its own is a project of its own.

The scan already marks such a folder's files as secondary code of the checked project ("a project of its own",
see ``layout``). Here those files are taken out of the root project's check, and each such folder is checked on its
own, against its own declarations (nested projects the same way, below it). The root report keeps its own findings
in its top-level fields, and carries each project's report, its paths rebased onto the checked root, so links,
annotations and the one issue of the checked path can name every project.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath

from pipreqs_action.errors import PipreqsActionError
from pipreqs_action.layout import MANIFEST_NAMES, SECONDARY_DIRS, TEST_DIRS, VENDOR_DIRS
from pipreqs_action.manifests import is_requirements_file
from pipreqs_action.model import (
    Advice,
    Declared,
    Location,
    Missing,
    ProjectReport,
    Report,
    Requirement,
    ScanResult,
    Skipped,
    Unused,
)

_OWN_PROJECT = ", a project of its own"
_SECONDARY_NAMES = SECONDARY_DIRS | TEST_DIRS | VENDOR_DIRS


def split(scanned: ScanResult, root: Path, declared_in: Sequence[str]) -> tuple[ScanResult, tuple[str, ...]]:
    """The root project's imports, and the folders (relative, outermost) that are projects of their own.

    A folder is one when the scan says so (the root has a manifest), or when app code of the root lies in a folder
    with a manifest (a root without one: ``libs/a/pyproject.toml``, ``services/api/requirements.txt``). Code the
    root's layout calls secondary for another reason (tests, examples, vendored code) stays the root's.
    """
    declared_folders = {PurePosixPath(source).parent.as_posix() for source in declared_in}
    finder = _ManifestFolders(root, declared_folders)
    folders: set[str] = set()
    for ref in scanned.imports:
        if ref.secondary.endswith(_OWN_PROJECT):
            folders.add(ref.secondary.removesuffix(_OWN_PROJECT).rstrip("/"))
        elif not ref.secondary:
            folders.update(finder.outermost(ref.location.path))
    folders = {folder for folder in folders if not _secondary_folder(folder)}
    kept = tuple(ref for ref in scanned.imports if not any(_under(ref.location.path, f) for f in folders))
    return dataclasses.replace(scanned, imports=kept), tuple(sorted(folders))


def _secondary_folder(folder: str) -> bool:
    """``examples/demo/`` or ``tests/fixtures/app/`` with a manifest: still secondary code of the project holding
    it (reported apart, never an alarm), not a project whose findings would open the issue."""
    return any(part in _SECONDARY_NAMES for part in folder.split("/"))


def _under(path: str, folder: str) -> bool:
    return path.startswith(f"{folder}/")


class _ManifestFolders:
    """The outermost folder above a file (below the root) holding a manifest, cached per folder."""

    def __init__(self, root: Path, declared_folders: set[str]) -> None:
        self._root = root
        self._declared = declared_folders
        self._has: dict[str, bool] = {}

    def outermost(self, path: str) -> list[str]:
        parts = path.split("/")[:-1]
        folders = ("/".join(parts[: depth + 1]) for depth in range(len(parts)))
        return next(([folder] for folder in folders if self._holds_manifest(folder)), [])

    def _holds_manifest(self, folder: str) -> bool:
        if folder not in self._has:
            where = self._root / folder
            found = folder not in self._declared and any((where / name).is_file() for name in _manifests_in(where))
            self._has[folder] = found
        return self._has[folder]


def _manifests_in(folder: Path) -> list[str]:
    """The manifest names to look for in a folder: the usual ones, and any requirements file it holds
    (``ch05/bonus/requirements-extra.txt`` declares what that chapter's code imports, beside the root's)."""
    try:
        names = [entry.name for entry in folder.iterdir()]
    except OSError:
        return []
    return [name for name in names if name in MANIFEST_NAMES or is_requirements_file(name)]


def attach(report: Report, root: Path, folders: Sequence[str], check: Callable[[Path], Report]) -> Report:
    """Check each project folder with ``check`` and attach its report (and its own projects), rebased."""
    found: list[ProjectReport] = []
    for folder in folders:
        sub = check(root / folder)
        found.append(ProjectReport(folder, rebase(dataclasses.replace(sub, projects=()), folder)))
        found += [ProjectReport(f"{folder}/{item.path}", rebase(item.report, folder)) for item in sub.projects]
    return dataclasses.replace(report, projects=tuple(found)) if found else report


def inherit(declared: Declared, enclosing: Declared | None) -> Declared:
    """A project inside another one (an app's plugin folder, a service of a monorepo with a root manifest) runs
    with the enclosing project installed: what that one declares satisfies its imports too (never "unused" here),
    and the enclosing project's own modules are first-party to it."""
    if enclosing is None:
        return declared
    inherited = (*enclosing.requirements, *enclosing.inherited)
    first_party = tuple(sorted({*declared.first_party, *enclosing.first_party}))
    return dataclasses.replace(
        declared,
        inherited=inherited,
        first_party=first_party,
        # the enclosing project's optional features (``[dependency-groups] bonus`` for its bonus chapters) are
        # declarations its author made for such code: they satisfy imports here too, never as this one's runtime
        optional_groups=(*declared.optional_groups, *enclosing.optional_groups),
    )


def nested_declarations(
    root: Path, folders: Sequence[str], read: Callable[[Path], Declared]
) -> tuple[Requirement, ...]:
    """What the projects inside the checked one declare (runtime and optional features, not development), located
    from the checked root: the app's on-demand imports of them are those parts' optional features (``roles``).
    A project whose manifests cannot be read declares nothing here; its own check says why."""
    found: list[Requirement] = []
    for folder in folders:
        try:
            declared = read(root / folder)
        except PipreqsActionError:
            continue
        grouped = [req for _, group in declared.optional_groups for req in group]
        found += [_located(req, folder) for req in (*declared.requirements, *grouped)]
    return tuple(found)


def _located(req: Requirement, folder: str) -> Requirement:
    return dataclasses.replace(req, location=Location(f"{folder}/{req.location.path}", req.location.line))


def rebase(report: Report, folder: str) -> Report:
    """Paths of a project's report made relative to the checked root instead of the project's folder."""

    def at(location: Location) -> Location:
        return Location(f"{folder}/{location.path}", location.line)

    def missing(items: Sequence[Missing]) -> tuple[Missing, ...]:
        return tuple(dataclasses.replace(item, locations=tuple(map(at, item.locations))) for item in items)

    def skipped(items: Sequence[Skipped]) -> tuple[Skipped, ...]:
        return tuple(Skipped(f"{folder}/{item.path}", item.reason) for item in items)

    return dataclasses.replace(
        report,
        missing=missing(report.missing),
        dev_only=missing(report.dev_only),
        unused=tuple(Unused(item.package, at(item.location) if item.location else None) for item in report.unused),
        skipped=skipped(report.skipped),
        unusable_requirements=skipped(report.unusable_requirements),
        declared_sources=tuple(f"{folder}/{source}" for source in report.declared_sources),
        declared_by=tuple(dataclasses.replace(item, file=f"{folder}/{item.file}") for item in report.declared_by),
        advice=_advice(report.advice, folder),
        unresolved=tuple(
            dataclasses.replace(item, locations=tuple(map(at, item.locations))) for item in report.unresolved
        ),
    )


def _advice(advice: Advice | None, folder: str) -> Advice | None:
    return dataclasses.replace(advice, file=f"{folder}/{advice.file}") if advice else None


__all__ = ["attach", "rebase", "split"]
