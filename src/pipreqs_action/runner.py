"""The few runner-protocol details actions-toolkit gets wrong or leaves out, covered in one place.

- Annotations: actions-toolkit writes every property, empty ones too (``endLine=,col=``), where @actions/core
  leaves out the unset ones; we pass only the set properties through the toolkit's own command writer, in
  @actions/core's order (title, file, line, endLine, col, endColumn), so the line is byte-for-byte the same.
- The job summary: actions-toolkit has no summary support; the runner reads markdown appended to the file
  named by GITHUB_STEP_SUMMARY.
"""

from __future__ import annotations

from pathlib import Path

from actions_toolkit.command import issue_command

_ORDER = ("title", "file", "line", "endLine", "col", "endColumn")


def annotate(kind: str, message: str, *, title: str = "", file: str = "", line: int | None = None) -> None:
    """``::warning file=app.py,line=3,title=...::message`` exactly as @actions/core prints it."""
    given = {"title": title, "file": file, "line": str(line) if line else ""}
    issue_command(kind, {key: given[key] for key in _ORDER if given.get(key)}, message)


def append_summary(summary_file: str, markdown: str) -> None:
    """Append to the job summary, if the runner gave us one (it is absent outside Actions)."""
    if summary_file:
        with Path(summary_file).open("a", encoding="utf-8") as summary:
            summary.write(markdown if markdown.endswith("\n") else markdown + "\n")
