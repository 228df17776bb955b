"""The engine in one place: source tree -> scan -> declared -> mapping -> compare -> versions -> Report.

It never prints and never exits; each front door (cli, action, server) turns the Report into its own terms.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pipreqs_action import extractions, limits, roles, script_metadata
from pipreqs_action.advice import advise
from pipreqs_action.app_code import backends, dev_environment, editions, image_files, projects, pytest_plugins
from pipreqs_action.app_code.declared_notebooks import as_app_when_declared
from pipreqs_action.compare import compare, compare_inferred, exit_status, with_requirements
from pipreqs_action.errors import NoPythonFiles
from pipreqs_action.extra_features import FeatureFiles, feature_files
from pipreqs_action.filters import apply_config, drop_first_party
from pipreqs_action.intent import features, hinted_features, named_choices, version_branches
from pipreqs_action.local import cloned_repositories, enclosing_modules
from pipreqs_action.local.elsewhere import resolve_elsewhere
from pipreqs_action.local.enclosing_modules import Above
from pipreqs_action.manifests import read_declared, read_text, requires_python
from pipreqs_action.mapping import load_import_names
from pipreqs_action.metadata.declared_names import probably_provided
from pipreqs_action.metadata.local_metadata import located
from pipreqs_action.metadata.member_lock import as_member, lock_of, locked_member, said_own_extras, said_why_not_via
from pipreqs_action.model import Declared, Report
from pipreqs_action.reading.definitions import top_level_definitions
from pipreqs_action.scan import scan
from pipreqs_action.settings import Settings

if TYPE_CHECKING:  # the lock reader: only a check with something missing reads a lock
    from pipreqs_action.metadata.lock_dependencies import LockedDependencies

__all__ = ["exit_status", "run", "run_inferred"]


def run(settings: Settings, *, enclosing: Declared | None = None, above: Mapping[str, Above] | None = None) -> Report:
    """Check the tree at ``settings.path``: what its code imports against what it declares (and, for a project
    inside another one, what the enclosing project declares: they are installed together; and the modules of the
    folders above it, which its code imports as the enclosing project's code does: ``enclosing_modules``).

    Within ``settings.limits`` (time, memory, index lookups; nested projects share the outer check's budget):
    past them, ``LimitExceeded``."""
    extractions.forget()  # what this check's scans extract is kept for its projects' scans, not for the next check
    with limits.bounded(settings.limits):
        return _run(settings, enclosing, functools.cache(_read_project), above or {})


def _run(
    settings: Settings,
    enclosing: Declared | None,
    read_project: Callable[[Path], Declared],
    above: Mapping[str, Above],
) -> Report:
    """``read_project``: a folder's manifests, read once for the whole check (whether a folder is a project of its
    own is asked of the folder holding it; its own check reads the same manifests again). ``above``: the modules
    of the folders above a project of its own (``enclosing_modules``)."""
    config = settings.config
    own = read_declared(settings.path, settings.requirements) if settings.requirements else read_project(settings.path)
    declared = projects.inherit(own, enclosing)
    declared = projects.with_workspace(declared, settings.path)
    declared = located(declared, settings.path, enclosing)  # local projects it installs, for their own metadata
    scanned = scan(
        settings.path,
        exclude=settings.exclude,
        full_parse=settings.full_parse,
        secondary=config.secondary,
        app=config.app,
        declared_in=declared.sources,
        above=above,
    )
    names = load_import_names(settings.overrides)
    scanned = features.apply(drop_first_party(scanned, config.first_party))
    scanned = hinted_features.apply(scanned, names.provides, names.satisfies)  # extras an install hint names
    scanned = named_choices.apply(scanned, settings.path, settings.exclude)  # picked at run time: by name, by a value
    own_pythons = script_metadata.requires_python(scanned.scripts)  # a script's inline requires-python
    scanned = version_branches.apply(scanned, functools.partial(requires_python.read, settings.path), own_pythons)
    if not scanned.files_scanned and not settings.exclude:  # excluding every file is the user's own choice
        raise NoPythonFiles(f"no Python files under {str(settings.path)!r}: nothing to check")
    scanned, folders = projects.split(scanned, settings.path, declared.sources, projects.usable(read_project))
    declared = script_metadata.declare(declared, scanned.scripts, outside=folders)  # each for its own file
    if folders:
        nested = projects.nested_declarations(settings.path, folders, read_project)
        declared = declared._replace(nested=nested)
    scanned = as_app_when_declared(scanned, declared, names)
    tooling = dev_environment.reason(settings.path, declared)  # its code is tooling, its dev groups what it needs
    scanned = dev_environment.as_tooling(scanned, tooling, config.app)
    scanned = backends.apply(scanned, declared, names)
    scanned = cloned_repositories.apply(scanned, settings.path, declared, names)  # a README's git clone beside it
    scanned = editions.apply(scanned, settings.path, declared, names)
    scanned = resolve_elsewhere(scanned, names)
    find_shipped = functools.partial(image_files.find_shipped, settings.path)  # only when something is dev-declared
    scanned = roles.unshipped_tooling(scanned, declared, names, find_shipped, config.app)
    find_plugins = functools.partial(pytest_plugins.find, settings.path)  # read only when something is dev-declared
    scanned = roles.believed(scanned, declared, names, find_plugins, settings.path)
    report = compare(scanned, declared, names)
    report = probably_provided(report, declared, names)  # by an unknown declared distribution's name
    report = apply_config(report, config)
    member = locked_member(declared, settings.path)  # locked on its own: its own declarations install it
    definitions = functools.partial(top_level_definitions, settings.path)  # read only when via asks
    features_of = functools.partial(feature_files, scanned, names=names, definitions=definitions)
    report = _finish(report, declared, settings, features_of, member, read_project)
    modules_above = functools.partial(enclosing_modules.above, scanned.modules, above)
    check = lambda path: _run(  # noqa: E731
        _project_settings(settings, path), declared, read_project, modules_above(_relative(path, settings.path))
    )
    return projects.attach(report, settings.path, folders, check)


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _read_project(path: Path) -> Declared:
    return read_declared(path)


def _project_settings(settings: Settings, path: Path) -> Settings:
    """A project of its own is checked like the root, against its own manifests (never the ones given for the
    root with ``--requirements``)."""
    return settings._replace(path=path, requirements=())


def run_inferred(settings: Settings, generated_requirements: str) -> Report:
    """Check ``settings.path``'s declarations against requirements generated elsewhere (a pipreqs HTTP API)."""
    import tempfile  # only this front door needs it: a local check never imports it

    with tempfile.TemporaryDirectory(prefix="pipreqs-action-api-") as tmp:
        generated = Path(tmp) / "generated-requirements.txt"
        generated.write_text(generated_requirements, "utf-8")
        inferred = read_declared(Path(tmp), [generated])
    declared = read_declared(settings.path, settings.requirements)
    report = compare_inferred(inferred, declared, load_import_names(settings.overrides))
    report = apply_config(report, settings.config)
    with limits.bounded(settings.limits):
        return _finish(report, declared, settings)


def _finish(
    report: Report,
    declared: Declared,
    settings: Settings,
    features: Callable[[Declared], FeatureFiles] | None = None,
    member: str = "",
    read_project: Callable[[Path], Declared] | None = None,
) -> Report:
    """What declared distributions install, versions for the lines to add (only when asked to pin and allowed
    online), then the suggested file and the fix in the target manifest's own terms. ``features``: the app's
    modules and the extras each needs, for a set of declarations; ``member``: the name the lock file locks the
    project under, when it is a workspace member installed on its own (``member_lock``); ``read_project``: the
    check's cache of manifests read."""
    read = read_project or functools.cache(_read_project)
    report = _installed_through(report, declared, settings, features or _no_features, member, read)
    base = _requirements_file_text(settings.path, declared)
    wanted = [item.package for item in report.required_missing if item.known]
    if settings.mode == "no-pin" or settings.offline or not wanted:
        report = with_requirements(report, declared, {}, settings.mode, base)
    else:
        from pipreqs_action.versions import latest_versions  # requests is slow to import; offline runs skip it

        lookup = latest_versions(wanted, index_url=settings.index_url)
        report = with_requirements(report, declared, lookup.versions, settings.mode, base)
        report = report._replace(warnings=(*report.warnings, *lookup.warnings))
    return report._replace(advice=advise(declared.target, report.required_missing, settings.mode))


def _no_features(declared: Declared) -> FeatureFiles:
    del declared  # generated requirements name no modules
    return FeatureFiles()


def _installed_through(
    report: Report,
    declared: Declared,
    settings: Settings,
    features: Callable[[Declared], FeatureFiles],
    member: str,
    read_project: Callable[[Path], Declared],
) -> Report:
    """Package metadata for what is missing (local projects' manifests, the lock file, the bundled snapshot, then
    the index unless offline), asked only when something is: missing packages a declared distribution installs are
    marked ``via`` it, and an ambiguous one leans toward what the project already uses (``affinity``). A workspace
    member the lock locks on its own is judged by its own declarations; an alarm that the enclosing project's would
    have hidden says so."""
    if not report.dev_only and not any(not item.optional and item.known for item in report.missing):
        return report
    from pipreqs_action.affinity import candidate_keys, prefer_project_affinity
    from pipreqs_action.metadata.dependency_metadata import requires_of
    from pipreqs_action.via import declared_requirements

    lock = lock_of(declared, settings.path)
    own = as_member(declared, member) if member else declared
    judged, warnings = _with_via(report, own, settings, features(own), lock, read_project)
    judged = said_own_extras(judged, own, member) if member else judged
    if member and any(not item.via and not item.optional and item.known for item in judged.missing):
        broad = _with_via(report, declared, settings, features(declared), lock, read_project)[0]
        judged = said_why_not_via(judged, broad, declared, member, lock.file)
    report = judged
    requirements = declared_requirements(own)
    requires, more = requires_of(candidate_keys(report), index_url=settings.index_url, offline=settings.offline)
    report = prefer_project_affinity(report, [req.name for req in requirements], requires)
    return report._replace(warnings=tuple(dict.fromkeys((*report.warnings, *warnings, *more))))


def _with_via(
    report: Report,
    declared: Declared,
    settings: Settings,
    features: FeatureFiles,
    lock: LockedDependencies,
    read_project: Callable[[Path], Declared],
) -> tuple[Report, tuple[str, ...]]:
    """The report with what the declarations install marked ``via``, and the dependency data's warnings."""
    from pipreqs_action.metadata.dependency_metadata import dependencies_of
    from pipreqs_action.metadata.local_metadata import local_source
    from pipreqs_action.via import declared_requirements, with_via

    requirements = declared_requirements(declared)
    dependencies, warnings = dependencies_of(
        requirements,
        index_url=settings.index_url,
        offline=settings.offline,
        lock=lock,
        local=local_source(declared.local_projects, read_project),  # a monorepo's siblings: read for their checks
        optional=features.requirements(),
    )
    groups = {key: name for name, keys in declared.installed_with for key in keys}  # what an enclosing group adds
    return with_via(report, dependencies, requirements, features, groups), warnings


def _requirements_file_text(root: Path, declared: Declared) -> str | None:
    """The requirements file that takes the fix, as written, to suggest it back with additions; None when the
    fix goes to another manifest (the suggested file then lists the runtime declarations)."""
    if declared.target is None or declared.target.kind != "requirements":
        return None
    first = Path(declared.target.file)
    return read_text(first if first.is_absolute() else root / first)
