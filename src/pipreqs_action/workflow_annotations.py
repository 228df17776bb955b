"""``check --format github``: the warnings the Action writes, for the CLI run in a plain workflow step.

The lines come from ``runner.annotate`` (the one writer of the runner's ``::warning file=...`` syntax, with its
escaping of untrusted file names), captured as text so ``--output FILE`` can hold them too.
"""

from __future__ import annotations

import contextlib
import io

from pipreqs_action import render, runner
from pipreqs_action.model import Report

MAX_ANNOTATIONS = 50  # GitHub shows 10 per step and 50 per job; more only adds noise to the log
TITLE = "Missing from requirements.txt: {package}"


def annotate_missing(report: Report, prefix: str = "") -> None:
    """A warning at each importing line of a package missing at run time (at most ``MAX_ANNOTATIONS``), written
    to stdout through ``runner.annotate``. ``prefix`` is where the checked folder sits in the repository."""
    shown = 0
    for item in report.required_missing:
        for location in item.locations[: MAX_ANNOTATIONS - shown]:
            file = render.repository_path(prefix, location.path)
            runner.annotate(
                "warning", item.message, title=TITLE.format(package=item.package), file=file, line=location.line
            )
            shown += 1


def to_github(report: Report, prefix: str = "") -> str:
    """``annotate_missing``'s lines as text, then the verdict as a plain line."""
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        annotate_missing(report, prefix)
    return captured.getvalue() + render.headline(report) + "\n"
