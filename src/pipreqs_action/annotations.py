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


def to_github(report: Report, prefix: str = "") -> str:
    """A warning at each importing line of a package missing at run time, then the verdict as a plain line.

    ``prefix`` is where the checked folder sits in the repository, so the runner finds the files.
    """
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        shown = 0
        for item in report.required_missing:
            for location in item.locations[: MAX_ANNOTATIONS - shown]:
                file = render.repository_path(prefix, location.path)
                runner.annotate(
                    "warning", item.message, title=TITLE.format(package=item.package), file=file, line=location.line
                )
                shown += 1
    return captured.getvalue() + render.headline(report) + "\n"
