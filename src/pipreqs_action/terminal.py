"""What the command line does only for a person at a terminal: colour, and a status line while something is slow.

Both follow the conventions other tools taught users: colour only on a TTY unless asked (``--color always``),
``NO_COLOR`` (https://no-color.org) turns it off and ``FORCE_COLOR`` on for ``--color auto``; the status line goes
to stderr, only when stderr is a TTY, and is erased before anything else is printed, so pipes and CI logs never
see it.

Text from a checked repository (file names, requirement lines quoted in reasons) can hold control characters: an
escape sequence that recolours, hides or rewrites what a terminal or a log viewer shows, or a bidirectional
override that reorders it. ``escape_controls`` writes them as visible ``\x1b``/``\u202e`` escapes; every text
report, log line and annotation goes through it (``json_safe`` does the same for JSON text).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from types import TracebackType
from typing import Literal, TextIO

from pipreqs_action.reading.lazy_regex import LazyPattern

Color = Literal["auto", "always", "never"]
COLORS: tuple[Color, ...] = ("auto", "always", "never")

_RESET = "\x1b[0m"
_GREEN, _RED, _YELLOW, _BOLD = "\x1b[32m", "\x1b[31m", "\x1b[33m", "\x1b[1m"
_ERASE = "\r\x1b[K"
STATUS_DELAY = 0.5  # seconds before a run counts as slow enough to show what it is doing

# C0 controls but tab and newline, DEL, C1 controls, and Unicode's bidirectional embeddings, overrides and isolates.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = LazyPattern("[\n\t]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str, *, keep_lines: bool = True) -> str:
    """``text`` with control characters written as escapes; ``keep_lines=False`` escapes tab and newline too
    (for one field of a line, such as a file name)."""
    escaped = _CONTROLS.sub(_visible, text)
    return escaped if keep_lines else _LINE_BREAKS.sub(_visible, escaped)


def escape_for_command(text: str) -> str:
    """For a workflow command: the runner's own escaping (``%0D``, ``%0A``, which @actions/core applies and the
    runner reverses) keeps CR and LF; every other control character is written as an escape."""
    return _CONTROLS.sub(lambda match: match[0] if match[0] == "\r" else _visible(match), text)


def json_safe(text: str) -> str:
    """JSON text whose strings hold no raw C1 or bidirectional control (``json.dumps`` escapes only C0)."""
    return _CONTROLS.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


def has_controls(text: str) -> bool:
    """Escape sequences, DEL, C1 or bidirectional controls (a line break alone is handled where lines are made)."""
    return _CONTROLS.search(text) is not None


class EscapingFormatter(logging.Formatter):
    """A log formatter whose lines cannot carry a checked repository's control characters to a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        return escape_controls(super().format(record))


def wants_color(choice: Color, stream: TextIO, env: Mapping[str, str]) -> bool:
    """``always``/``never`` are the user's word; ``auto`` is NO_COLOR, then FORCE_COLOR, then "is it a TTY"."""
    if choice != "auto":
        return choice == "always"
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    return _is_tty(stream) and env.get("TERM") != "dumb"


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


def paint(text: str, *, in_sync: bool) -> str:
    """Colour the text report: the verdict green or red, section titles bold, warnings yellow."""
    lines = text.split("\n")
    painted = []
    for number, line in enumerate(lines):
        if number == 0 and line:
            painted.append(f"{_BOLD}{_GREEN if in_sync else _RED}{line}{_RESET}")
        elif line.startswith("warning: "):
            painted.append(f"{_YELLOW}{line}{_RESET}")
        elif line.endswith(":") and line[:1].isupper():
            painted.append(f"{_BOLD}{line}{_RESET}")
        else:
            painted.append(line)
    return "\n".join(painted)


class StatusLine(logging.Handler):
    """One line on a terminal's stderr saying what a slow run is doing; a no-op anywhere else.

    It shows ``message`` once the run has taken ``STATUS_DELAY`` seconds, replaces it with each progress
    (INFO) record of the package's log, and erases itself when the run ends. Used as a context manager.
    """

    def __init__(self, stream: TextIO, message: str, *, enabled: bool = True, logger: str = "pipreqs_action") -> None:
        super().__init__(logging.INFO)
        self.stream = stream
        self.message = message
        self.enabled = enabled and _is_tty(stream)
        self._logger = logging.getLogger(logger)
        self._lock = threading.Lock()
        self._shown = False
        self._timer = threading.Timer(STATUS_DELAY, self._show, (message,))
        self._timer.daemon = True
        self._level = self._logger.level

    def __enter__(self) -> StatusLine:
        if self.enabled:
            self._timer.start()
            self._logger.addHandler(self)
            if self._logger.getEffectiveLevel() > logging.INFO:
                self._logger.setLevel(logging.INFO)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if not self.enabled:
            return
        self._timer.cancel()
        self._logger.removeHandler(self)
        self._logger.setLevel(self._level)
        with self._lock:
            if self._shown:
                self.stream.write(_ERASE)
                self.stream.flush()
            self._shown = False

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.WARNING:
            self._show(record.getMessage())
        else:  # printed for good by the usual handler, which runs next: make room for it
            self.clear_for_output()

    def _show(self, message: str) -> None:
        line = " ".join(message.split())[:200]
        with self._lock:
            self.stream.write(f"{_ERASE}pipreqs-action: {line}")
            self.stream.flush()
            self._shown = True

    def clear_for_output(self) -> None:
        """Erase the line before another message is written to the same stream."""
        with self._lock:
            if self._shown:
                self.stream.write(_ERASE)
                self.stream.flush()
                self._shown = False
