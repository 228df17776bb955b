"""A fake GitHub REST API on 127.0.0.1, held to GitHub's OpenAPI description (see ``server``)."""

from __future__ import annotations

from .faults import Fault
from .server import DEFAULT_TOKEN, FakeGitHub, RecordedRequest, Violation
from .spec import INSTALL_HINT, SPEC_PATH, LoadStats, SpecValidator, load_validator
from .state import Comment, Issue, Label, Repo, Token

__all__ = [
    "DEFAULT_TOKEN",
    "INSTALL_HINT",
    "SPEC_PATH",
    "Comment",
    "FakeGitHub",
    "Fault",
    "Issue",
    "Label",
    "LoadStats",
    "RecordedRequest",
    "Repo",
    "SpecValidator",
    "Token",
    "Violation",
    "load_validator",
]
