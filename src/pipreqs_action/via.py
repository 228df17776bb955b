"""Missing packages that a declared distribution installs: marked ``via`` it, so they never break ``in_sync``.

Pure: the dependency data is looked up beforehand (``dependency_lookup``, in the pipeline's finishing step).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from packaging.utils import canonicalize_name

from pipreqs_action.dependency_metadata import Dependencies, split_key
from pipreqs_action.model import Declared, Missing, Report, Requirement

__all__ = ["declared_requirements", "with_via"]


def declared_requirements(declared: Declared) -> tuple[Requirement, ...]:
    """What every install of the project gets: not its optional groups (extras), whose own requirements a plain
    install leaves out (numpy comes through matplotlib only for users of the ``plot`` extra)."""
    # inherited: the enclosing project's, installed too; installed: by the project's Dockerfile or dev container
    return (*declared.requirements, *declared.inherited, *declared.installed)


def with_via(report: Report, dependencies: Dependencies, declared: Iterable[Requirement]) -> Report:
    """The report with each missing package that a declared distribution installs marked ``via`` that one."""
    names = {req.key: req.name for req in declared}
    missing = tuple(_marked(item, dependencies, names) for item in report.missing)
    warnings = _judged_by_newer_releases(missing, dependencies)
    return dataclasses.replace(report, missing=missing, warnings=(*report.warnings, *warnings))


def _judged_by_newer_releases(missing: Iterable[Missing], dependencies: Dependencies) -> tuple[str, ...]:
    """One warning naming the packages counted ``via`` declarations whose range excludes the release the snapshot
    describes: those claims rest on a newer release (tensorflow-hub 0.16 requires tf-keras, ~=0.15.0 does not)."""
    newer = {split_key(text)[0]: text for text in dependencies.newer}
    claims = []
    for item in missing:
        roots = dependencies.through.get(canonicalize_name(item.package), ()) if item.via else ()
        if roots and all(root in newer for root in roots):
            claims.append(f"{item.package} through {' or '.join(newer[root] for root in roots)}")
    if not claims:
        return ()
    return (
        f"dependency data: {'; '.join(sorted(claims))}: judged by the newest release the bundled snapshot "
        "describes, which the declared range excludes (its own releases may not install it); check without "
        "--offline",
    )


def _marked(item: Missing, dependencies: Dependencies, names: dict[str, str]) -> Missing:
    """The first of the package and its candidates that something declared installs: that is the one present."""
    if item.optional or not item.known:
        return item
    for package in (item.package, *item.candidates):
        key = canonicalize_name(package)
        if key in dependencies.through:
            via = tuple(names.get(root, root) for root in dependencies.through[key])
            others = tuple(name for name in (item.package, *item.candidates) if name != package)
            source = dependencies.sources.get(key, "")
            return dataclasses.replace(item, package=package, candidates=others, via=via, via_source=source)
    return item
