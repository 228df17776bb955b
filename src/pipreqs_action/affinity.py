"""Ambiguous imports resolved toward what the project already uses.

``import haystack`` is provided by haystack-ai and by django-haystack; in a project that declares Django it is
django-haystack. Two general signals, over the declared distributions and each candidate's own metadata, make a
candidate fit the project, strongest first:

1. its own ``requires_dist`` names a declared distribution (django-haystack requires Django);
2. when its metadata is unknown (offline, beyond the snapshot): it belongs to a declared distribution's family by
   name, ``django-*`` with Django declared, ``flask-*`` with Flask (``flask_x`` imports, ``Flask-X`` projects).

The best fitting candidate becomes the suggestion; on a tie (or when none fits) the data's own order stands.
Runs in the pipeline's finishing step, since candidates' metadata may come from the index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from pipreqs_action.metadata.dependency_metadata import requirement_names
from pipreqs_action.model import Missing, Report
from pipreqs_action.pep508 import canonical_name

__all__ = ["candidate_keys", "prefer_project_affinity"]


def candidate_keys(report: Report) -> list[str]:
    """Normalised names of every distribution offered for an ambiguous import: their metadata is needed."""
    names = {name for item in report.missing if item.candidates and not item.via for name in _options(item)}
    return sorted(canonical_name(name) for name in names)


def prefer_project_affinity(report: Report, declared: Iterable[str], requires: Mapping[str, Sequence[str]]) -> Report:
    """The report with each ambiguous suggestion replaced by the candidate that fits the declared set best."""
    keys = {canonical_name(name) for name in declared}
    if not keys:
        return report
    missing = tuple(_preferred(item, keys, requires) for item in report.missing)
    return report._replace(missing=missing)


def _options(item: Missing) -> tuple[str, ...]:
    return (item.package, *item.candidates)


def _preferred(item: Missing, declared: set[str], requires: Mapping[str, Sequence[str]]) -> Missing:
    if not item.candidates or item.via:
        return item
    options = _options(item)
    best = max(options, key=lambda name: _fit(name, declared, requires))  # max keeps the first of equals
    if best == item.package:
        return item
    return item._replace(package=best, candidates=tuple(name for name in options if name != best))


def _fit(name: str, declared: set[str], requires: Mapping[str, Sequence[str]]) -> tuple[bool, bool]:
    key = canonical_name(name)
    if key in requires:  # its own metadata decides; a family name adds nothing (Bootstrap-Flask requires Flask too)
        return bool(requirement_names(requires[key]) & declared), False
    return False, any(key.startswith(f"{root}-") for root in declared)
