"""Missing packages that a declared distribution installs: marked ``via`` it, so they never break ``in_sync``.

Pure: the dependency data is looked up beforehand (``dependency_lookup``, in the pipeline's finishing step).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from packaging.utils import canonicalize_name

from pipreqs_action.dependency_metadata import Dependencies
from pipreqs_action.model import Declared, Missing, Report, Requirement

__all__ = ["declared_requirements", "with_via"]


def declared_requirements(declared: Declared) -> tuple[Requirement, ...]:
    """What every install of the project gets: not its optional groups (extras), whose own requirements a plain
    install leaves out (numpy comes through matplotlib only for users of the ``plot`` extra)."""
    return (*declared.requirements, *declared.inherited)  # inherited: the enclosing project's, installed too


def with_via(report: Report, dependencies: Dependencies, declared: Iterable[Requirement]) -> Report:
    """The report with each missing package that a declared distribution installs marked ``via`` that one."""
    names = {req.key: req.name for req in declared}
    missing = tuple(_marked(item, dependencies, names) for item in report.missing)
    return dataclasses.replace(report, missing=missing)


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
