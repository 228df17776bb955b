"""Monorepos: every folder below the checked path with a manifest of its own is a project of its own.

The scan already marks such a folder's files as secondary code of the checked project ("a project of its own",
see ``layout``). Here those files are taken out of the root project's check, and each such folder is checked on its
own, against its own declarations (nested projects the same way, below it). The root report keeps its own findings
in its top-level fields, and carries each project's report, its paths rebased onto the checked root, so links,
annotations and the one issue of the checked path can name every project.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path, PurePosixPath

from pipreqs_action.app_code.layout import (
    _TOOLING_FILES,
    E2E_DIRS,
    MANIFEST_NAMES,
    OWN_PROJECT,
    SECONDARY_DIRS,
    TEST_DIRS,
    TESTS,
    VENDOR_DIRS,
    is_test_path,
)
from pipreqs_action.errors import PipreqsActionError
from pipreqs_action.manifests import is_requirements_file
from pipreqs_action.manifests.project import identify
from pipreqs_action.manifests.setup_script import is_manifest_file
from pipreqs_action.model import (
    Advice,
    Declared,
    ImportRef,
    Location,
    Missing,
    ProjectReport,
    Report,
    Requirement,
    ScanResult,
    Skipped,
    Unused,
)
from pipreqs_action.pep508 import canonical_name

_OWN_PROJECT = OWN_PROJECT
_SECONDARY_NAMES = SECONDARY_DIRS | TEST_DIRS | E2E_DIRS | VENDOR_DIRS
_EXAMPLE_DIRS = frozenset({"examples", "example", "demo", "demos", "samples", "sample", "tutorial", "tutorials"})


def split(
    scanned: ScanResult, root: Path, declared_in: Sequence[str], declares: Callable[[Path], bool] = lambda _: True
) -> tuple[ScanResult, tuple[str, ...]]:
    """The root project's imports, and the folders (relative, outermost) that are projects of their own.

    A folder is one when the scan says so (the root has a manifest), or when app code of the root lies in a folder
    with a manifest (a root without one: ``libs/a/pyproject.toml``, ``services/api/requirements.txt``). Code the
    root's layout calls secondary for another reason (tests, examples, vendored code) stays the root's. A folder
    whose manifests declare nothing usable (``config/settings/setup.py``, a settings module that only shares the
    name: ``declares`` says) is no project: its code is the root's.
    """
    scanned = _not_projects(scanned, root, declares)
    declared_folders = {PurePosixPath(source).parent.as_posix() for source in declared_in}
    finder = _ManifestFolders(root, declared_folders)
    folders: set[str] = set()
    for ref in scanned.imports:
        if ref.secondary.endswith(_OWN_PROJECT):
            folders.add(ref.secondary.removesuffix(_OWN_PROJECT).rstrip("/"))
        elif not ref.secondary or example_reason(ref.location.path):
            folders.update(finder.outermost(ref.location.path))
    folders = {folder for folder in folders if example_reason(folder + "/") or not _secondary_folder(folder)}
    folders = {folder for folder in folders if declares(root / folder)}
    kept = tuple(ref for ref in scanned.imports if not _in_any(ref.location.path, folders))
    skipped = tuple(item for item in scanned.skipped if not _in_any(item.path, folders))
    return scanned._replace(imports=kept, skipped=skipped), tuple(sorted(folders))


def _not_projects(scanned: ScanResult, root: Path, declares: Callable[[Path], bool]) -> ScanResult:
    """The scan with code the layout took for a project of its own given back to the app when that folder's
    manifests declare nothing (each folder asked once)."""
    answers: dict[str, bool] = {}

    def kept(ref: ImportRef) -> ImportRef:
        if not ref.secondary.endswith(_OWN_PROJECT):
            return ref
        folder = ref.secondary.removesuffix(_OWN_PROJECT).rstrip("/")
        if folder not in answers:
            answers[folder] = declares(root / folder)
        return ref if answers[folder] else ref._replace(secondary=_file_reason(ref.location.path))

    return scanned._replace(imports=tuple(kept(ref) for ref in scanned.imports))


def _file_reason(path: str) -> str:
    """What the layout says of the file itself, its folder not being a project: tests, ``setup.py``, or app code."""
    name = PurePosixPath(path).name
    if name in _TOOLING_FILES and name != "conftest.py":
        return name
    return TESTS if is_test_path(path) else ""


def usable(read: Callable[[Path], Declared]) -> Callable[[Path], bool]:
    """Whether a folder's manifests can be read (a project needs declarations to be checked against)."""

    def declares(folder: Path) -> bool:
        try:
            read(folder)
        except PipreqsActionError:
            return False
        return True

    return declares


def example_reason(path: str) -> str:
    """``examples/`` for a path in an example folder (not inside tests or vendored code), else "".

    An example with a manifest of its own (``examples/demo/pyproject.toml``) is a project of its own, checked against
    its own declarations, never the root's; its findings stay secondary code (``as_secondary``)."""
    parts = path.split("/")[:-1]
    if any(part in TEST_DIRS or part in VENDOR_DIRS for part in parts):
        return ""
    return next((f"{part}/" for part in parts if part in _EXAMPLE_DIRS), "")


def as_secondary(report: Report, reason: str) -> Report:
    """A project's report as secondary code of the project holding it: everything it lacks is reported, optional,
    "only in examples/"; what only its development declarations provide is fine there (as for tests)."""
    missing = tuple(
        item._replace(optional=True, scope="secondary", reason=f"only in {reason}") for item in report.missing
    )
    return report._replace(missing=missing, dev_only=())


def _secondary_folder(folder: str) -> bool:
    """``examples/demo/`` or ``tests/fixtures/app/`` with a manifest: still secondary code of the project holding
    it (reported apart, never an alarm), not a project whose findings would open the issue."""
    return any(part in _SECONDARY_NAMES for part in folder.split("/"))


def _in_any(path: str, folders: Collection[str]) -> bool:
    """Whether ``path`` lies below one of ``folders``: its own few parent folders looked up, not every folder
    compared (a monorepo has a hundred projects and tens of thousands of imports)."""
    position = path.find("/")
    while position != -1:
        if path[:position] in folders:
            return True
        position = path.find("/", position + 1)
    return False


class _ManifestFolders:
    """The outermost folder above a file (below the root) holding a manifest, cached per folder."""

    def __init__(self, root: Path, declared_folders: set[str]) -> None:
        self._root = root
        self._fence = root.resolve()
        self._declared = declared_folders
        self._has: dict[str, bool] = {}

    def outermost(self, path: str) -> list[str]:
        parts = path.split("/")[:-1]
        folders = ("/".join(parts[: depth + 1]) for depth in range(len(parts)))
        return next(([folder] for folder in folders if self._holds_manifest(folder)), [])

    def _holds_manifest(self, folder: str) -> bool:
        if folder not in self._has:
            where = self._root / folder
            names = _manifests_in(where)
            found = folder not in self._declared and any(
                (where / name).is_file() and is_manifest_file(where / name, self._fence) for name in names
            )
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
        if reason := example_reason(folder + "/"):
            nested = tuple(item._replace(report=as_secondary(item.report, reason)) for item in sub.projects)
            sub = as_secondary(sub, reason)._replace(projects=nested)
        found.append(ProjectReport(folder, rebase(sub._replace(projects=()), folder)))
        found += [ProjectReport(f"{folder}/{item.path}", rebase(item.report, folder)) for item in sub.projects]
    if not found:
        return report
    # each file is counted once: in the project that holds it (the root's count is its own files)
    own = max(0, report.files_scanned - sum(item.report.files_scanned for item in found))
    return report._replace(projects=tuple(found), files_scanned=own)


def with_workspace(declared: Declared, root: Path) -> Declared:
    """A uv workspace rooted here: uv installs every member into one environment, so each member's import names are
    first-party to the root and (inherited) to every other member, and a declaration naming a member is local (never
    "unused"). The root's own declarations reach the members as any enclosing project's do (``inherit``)."""
    if not declared.workspace:
        return declared
    fence = root.resolve()
    members = [identify(root / folder, fence) for folder in declared.workspace]
    names = {name for member in members for name in member.import_names}
    dists = {canonical_name(member.name) for member in members if member.name}
    return declared._replace(
        requirements=_local(declared.requirements, dists),
        first_party=tuple(sorted({*declared.first_party, *names})),
        workspace_names=tuple(sorted({*declared.workspace_names, *dists})),
    )


def _local(requirements: Sequence[Requirement], dists: Collection[str]) -> tuple[Requirement, ...]:
    return tuple(req._replace(local=True) if req.key in dists else req for req in requirements)


def inherit(declared: Declared, enclosing: Declared | None) -> Declared:
    """A project inside another one (an app's plugin folder, a service of a monorepo with a root manifest) runs
    with the enclosing project installed: what that one declares satisfies its imports too (never "unused" here),
    and the enclosing project's own modules are first-party to it."""
    if enclosing is None:
        return declared
    covering = _covering_groups(declared, enclosing)
    inherited = (*enclosing.requirements, *enclosing.inherited, *(req for _, group in covering for req in group))
    runtime = {req.key for req in (*enclosing.requirements, *enclosing.inherited)}
    groups = tuple((name, tuple(req.key for req in group if req.key not in runtime)) for name, group in covering)
    first_party = tuple(sorted({*declared.first_party, *enclosing.first_party}))
    return declared._replace(
        requirements=_local(declared.requirements, enclosing.workspace_names),
        workspace_names=tuple(sorted({*declared.workspace_names, *enclosing.workspace_names})),
        inherited=inherited,
        installed_with=(*enclosing.installed_with, *groups),
        first_party=first_party,
        # the enclosing project's optional features (``[dependency-groups] bonus`` for its bonus chapters) are
        # declarations its author made for such code: they satisfy imports here too, never as this one's runtime
        optional_groups=(*declared.optional_groups, *enclosing.optional_groups),
    )


def _covering_groups(declared: Declared, enclosing: Declared) -> tuple[tuple[str, tuple[Requirement, ...]], ...]:
    """The enclosing project's optional groups that declare everything this project declares (a bonus folder's
    ``requirements-extra.txt`` of openai and tqdm, both in the root's ``[dependency-groups] bonus``): its author
    made that group the way this project is installed, so what the whole group installs is there when this code
    runs (its ``import scipy`` comes through the group's scikit-learn: ``via``, not an alarm). A group missing any of
    this project's declarations, or a project declaring nothing, takes none."""
    own = {req.key for req in declared.requirements if not req.local}
    if not own:
        return ()
    return tuple(
        (name, _local(group, enclosing.workspace_names))
        for name, group in enclosing.optional_groups
        if own <= {req.key for req in group}
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
    return req._replace(location=Location(f"{folder}/{req.location.path}", req.location.line))


def rebase(report: Report, folder: str) -> Report:
    """Paths of a project's report made relative to the checked root instead of the project's folder."""

    def at(location: Location) -> Location:
        return Location(f"{folder}/{location.path}", location.line)

    def missing(items: Sequence[Missing]) -> tuple[Missing, ...]:
        return tuple(item._replace(locations=tuple(map(at, item.locations))) for item in items)

    def skipped(items: Sequence[Skipped]) -> tuple[Skipped, ...]:
        return tuple(Skipped(f"{folder}/{item.path}", item.reason) for item in items)

    return report._replace(
        missing=missing(report.missing),
        dev_only=missing(report.dev_only),
        unused=tuple(Unused(item.package, at(item.location) if item.location else None) for item in report.unused),
        skipped=skipped(report.skipped),
        unusable_requirements=skipped(report.unusable_requirements),
        declared_sources=tuple(f"{folder}/{source}" for source in report.declared_sources),
        declared_by=tuple(item.moved(folder) for item in report.declared_by),
        advice=_advice(report.advice, folder),
        unresolved=tuple(item._replace(locations=tuple(map(at, item.locations))) for item in report.unresolved),
        local=tuple(item._replace(location=at(item.location)) for item in report.local),
        stale_ignores=tuple(map(at, report.stale_ignores)),
    )


def _advice(advice: Advice | None, folder: str) -> Advice | None:
    return advice._replace(file=f"{folder}/{advice.file}") if advice else None


__all__ = ["attach", "rebase", "split"]
