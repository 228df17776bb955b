"""One exception tree, so every front door can turn a failure into a one-line message.

* PipreqsActionError          anything we expect and can explain to a user
  x SettingsError             a bad option, input or request value (exit 2 / HTTP 400)
  x SourceError               the code to check could not be had (clone, API, path)
    x NoPythonFiles           the checked path holds no Python file at all (a typo, no checkout)
  x RequirementsError         a requirements file could not be read at all
  x MappingError              the import-name data could not be loaded
  x IssueError                GitHub refused or failed an issue operation
  x LimitExceeded             a check ran out of its time or memory (exit 2 / HTTP 504 or 413)
"""

from __future__ import annotations


class PipreqsActionError(Exception):
    """Base class: the message is meant for the user, one line, no traceback."""


class SettingsError(PipreqsActionError, ValueError):
    """A value given by the user is unusable; the message names the option or input."""


class SourceError(PipreqsActionError):
    """The repository or path to check could not be obtained."""


class NoPythonFiles(SourceError):
    """Nothing to check: reporting "in sync" for an empty tree would hide a wrong path or a missing checkout."""


class RequirementsError(PipreqsActionError):
    """A requirements file could not be read at all (missing, unreadable)."""


class MappingError(PipreqsActionError):
    """The import-name <-> distribution data could not be loaded."""


class IssueError(PipreqsActionError):
    """GitHub refused or failed an operation on the tracking issue."""


class LimitExceeded(PipreqsActionError):
    """A check stopped at its time or memory limit (``limits.ScanLimits``): the message says which, never a hang."""
