"""The few runner-protocol details actions-toolkit gets wrong or leaves out, covered in one place.

- Inputs: read from the environment the caller hands in (not always ``os.environ``), by @actions/core's rule:
  ``INPUT_`` + the name with spaces as ``_``, upper-cased, hyphens kept (``INPUT_GITHUB-TOKEN``), trimmed.
- Outputs: appended to the file the runner named in GITHUB_OUTPUT, in its heredoc form (``name<<delim``).
- Annotations: actions-toolkit writes every property, empty ones too (``endLine=,col=``), where @actions/core
  leaves out the unset ones; we pass only the set properties through the toolkit's own command writer, in
  @actions/core's order (title, file, line, endLine, col, endColumn), so the line is byte-for-byte the same.
- The job summary: actions-toolkit has no summary support; the runner reads markdown appended to the file
  named by GITHUB_STEP_SUMMARY.
- Limits: the runner drops a step summary over 1 MiB (with an error) and caps outputs near 1 MB; ``fit_text``
  cuts at a line boundary and says so, instead of losing everything.
- Untrusted text: the runner reads a workflow command from any log line (stdout or stderr) that starts with
  ``::`` once leading blanks are gone, so text holding names from the checked repository (a file called
  ``::error::x.py``) is printed with commands stopped, and log records become escaped commands.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from actions_toolkit import core
from actions_toolkit.command import issue_command
from actions_toolkit.file_command import prepare_key_value_message

from pipreqs_action.terminal import escape_for_command

_ORDER = ("title", "file", "line", "endLine", "col", "endColumn")
MAX_SUMMARY_BYTES = 1024 * 1024  # GitHub's limit for one step's summary
MAX_OUTPUT_BYTES = 1_000_000  # GitHub's limit for a job's outputs (all of them together)


def input_reader(env: Mapping[str, str]) -> Callable[[str], str]:
    """@actions/core's ``getInput`` over ``env``: the runner keeps hyphens in the names it makes from inputs."""

    def get_input(name: str) -> str:
        return env.get(f"INPUT_{name.replace(' ', '_').upper()}", "").strip()

    return get_input


def set_output(output_file: str, name: str, value: str) -> None:
    """A step output, if the runner gave us an output file (there is none outside Actions, and the old
    ``::set-output`` command is deprecated)."""
    if output_file:
        with Path(output_file).open("a", encoding="utf-8", newline="") as outputs:
            outputs.write(prepare_key_value_message(name, value) + os.linesep)


def annotate(kind: str, message: str, *, title: str = "", file: str = "", line: int | None = None) -> None:
    """``::warning file=app.py,line=3,title=...::message`` exactly as @actions/core prints it."""
    given = {"title": escape_for_command(title), "file": escape_for_command(file), "line": str(line or "")}
    issue_command(kind, {key: given[key] for key in _ORDER if given.get(key)}, escape_for_command(message))


def append_summary(summary_file: str, markdown: str) -> None:
    """Append to the job summary, if the runner gave us one (it is absent outside Actions)."""
    if summary_file:
        with Path(summary_file).open("a", encoding="utf-8") as summary:
            summary.write(markdown if markdown.endswith("\n") else markdown + "\n")


def fit_text(text: str, limit: int, note: str) -> str:
    """``text`` if it fits in ``limit`` UTF-8 bytes, else its first whole lines and ``note`` on a line of its own."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    room = max(limit - len(note.encode("utf-8")) - 2, 0)
    head = data[:room].decode("utf-8", "ignore")
    cut = head.rfind("\n")
    return f"{head[: cut + 1] if cut >= 0 else ''}\n{note}\n"


@contextlib.contextmanager
def group(title: str) -> Iterator[None]:
    """A folded section of the log (``::group::``); the title must be our own text, never the tree's."""
    core.start_group(title)
    try:
        yield
    finally:
        core.end_group()


def log_untrusted(text: str) -> None:
    """Print text with workflow commands stopped (``::stop-commands::``), under a token nobody can guess."""
    token = uuid.uuid4().hex
    issue_command("stop-commands", {}, token)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    issue_command(token, {}, "")


class CommandLogHandler(logging.Handler):
    """Log records in the runner's terms: warnings and errors as annotations, debug lines only in debug runs.

    Every record becomes one escaped command or one plain line, so a name in a message cannot start a command.
    """

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = escape_for_command(self.format(record))
        except Exception:  # logging's own rule: a bad record is reported, never raised
            self.handleError(record)
            return
        if record.levelno >= logging.ERROR:
            core.error(message)
        elif record.levelno >= logging.WARNING:
            core.warning(message)
        elif record.levelno >= logging.INFO:
            core.info(message.replace("\r", "\\r").replace("\n", "\\n"))
        else:
            core.debug(message)


@contextlib.contextmanager
def logging_to_runner(logger_name: str, *, debug: bool = False) -> Iterator[None]:
    """Send the package's log records through ``CommandLogHandler`` for the length of one run."""
    logger = logging.getLogger(logger_name)
    handler = CommandLogHandler()
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if debug else logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
