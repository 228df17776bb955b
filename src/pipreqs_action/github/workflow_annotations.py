"""The warnings a workflow step writes at the importing lines of undeclared packages: the Action's, and
``check --format github`` for the CLI run in a plain workflow step. One function decides which lines get one.

GitHub keeps 10 warning annotations per step (and 50 per job) and drops the rest without a word, so one package
imported from forty files would take all ten. The places are dealt out in rounds instead: one line of each
package first (packages a pull request introduces first of all), then a second line of each, and so on; the
lines left over are returned, for the caller to list elsewhere (the Action's summary, plain lines of the CLI).
Every project of a monorepo takes part, and each warning names the manifest that takes the fix
(``services/api/requirements.txt``, ``pyproject.toml``), as the reports do.

The lines come from ``runner.annotate`` (the one writer of the runner's ``::warning file=...`` syntax, with its
escaping of untrusted file names).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass

from pipreqs_action import render
from pipreqs_action.github import runner
from pipreqs_action.model import Location, Missing, Report

MAX_WARNINGS = 10  # GitHub keeps 10 warning annotations per step (and 50 per job)
TITLE = "Missing from {manifest}: {package}"
DEV_TITLE = "Declared for development only in {manifest}: {package}"
NEW_TITLE = "New in this pull request, missing from {manifest}: {package}"
_NOT_SHOWN = "- not annotated (GitHub shows {limit} warnings per step): {package} at {place}"


@dataclass(frozen=True, slots=True)
class Place:
    """One importing line of one finding, with the manifest it is missing from (paths from the checked root)."""

    finding: Missing
    location: Location
    manifest: str
    dev_only: bool = False

    def title(self, new: frozenset[str] = frozenset()) -> str:
        if self.finding.package in new and not self.dev_only:
            template = NEW_TITLE
        else:
            template = DEV_TITLE if self.dev_only else TITLE
        return template.format(manifest=self.manifest, package=self.finding.package)


def places(report: Report, new: frozenset[str] = frozenset()) -> list[Place]:
    """Every importing line that breaks the project (missing at run time, or declared for development only), in
    the order warnings are given: one per finding first (new ones first), then further lines in turn."""
    findings = list(_findings(report))
    findings.sort(key=lambda found: found[0].package not in new)  # stable: each project's order is kept
    rounds = max((len(item.locations) for item, _, _ in findings), default=0)
    return [
        Place(item, item.locations[n], manifest, dev)
        for n in range(rounds)
        for item, manifest, dev in findings
        if n < len(item.locations)
    ]


def _findings(report: Report) -> Iterator[tuple[Missing, str, bool]]:
    for each in (report, *(project.report for project in report.projects)):
        manifest = render.manifest_name(each)
        yield from ((item, manifest, False) for item in each.required_missing)
        yield from ((item, manifest, True) for item in each.dev_only)


def annotate(
    report: Report, prefix: str = "", new: frozenset[str] = frozenset(), *, limit: int = MAX_WARNINGS
) -> tuple[Place, ...]:
    """Write at most ``limit`` warnings to stdout; returns the places left without one. ``prefix`` is where the
    checked folder sits in the repository (annotations take paths from the repository's root)."""
    ordered = places(report, new)
    for place in ordered[:limit]:
        file = render.repository_path(prefix, place.location.path)
        runner.annotate("warning", place.finding.message, title=place.title(new), file=file, line=place.location.line)
    return tuple(ordered[limit:])


def to_github(report: Report, prefix: str = "") -> str:
    """``annotate``'s lines as text, a plain line for each importing line left without a warning, then the
    verdict. Plain lines start with ``- ``: the runner reads no command from them, whatever a file is called."""
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        rest = annotate(report, prefix)
    lines = [
        _NOT_SHOWN.format(
            limit=MAX_WARNINGS,
            package=place.finding.package,
            place=render.repository_path(prefix, str(place.location)),
        )
        for place in rest
    ]
    return captured.getvalue() + "".join(f"{line}\n" for line in lines) + render.headline(report) + "\n"
