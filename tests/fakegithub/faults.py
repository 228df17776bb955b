"""Planned misbehaviour for the fake: GitHub's own failure answers, at the moment a test chooses.

Messages, headers and bodies are the ones GitHub sends, because the client code under test recognises
failures by them (PyGithub keys rate limits and bad credentials on the message text).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .server import FakeGitHub

SECONDARY_RATE_LIMIT = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID 0000:1111:2222:3333:44444444."
)
PRIMARY_RATE_LIMIT = "API rate limit exceeded for installation ID 4242."
RATE_LIMIT_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
PRIMARY_RATE_LIMIT_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
NOT_ACCESSIBLE = "Resource not accessible by integration"
ISSUES_DISABLED = "Issues are disabled for this repo"

MESSAGES = {
    400: "Problems parsing JSON",
    401: "Bad credentials",
    403: NOT_ACCESSIBLE,
    404: "Not Found",
    410: ISSUES_DISABLED,
    422: "Validation Failed",
    500: "Server Error",
    502: "Server Error",
    503: "Service Unavailable",
    504: (
        "We couldn't respond to your request in time. Sorry about that. "
        "Please try resubmitting your request and contact us if the problem persists."
    ),
}
BODY_TOO_LONG = [
    {
        "resource": "Issue",
        "code": "custom",
        "field": "body",
        "message": "body is too long (maximum is 65536 characters)",
    }
]


@dataclass(slots=True)
class Fault:
    """What to do to the next ``times`` requests matching ``method`` and ``path`` (an fnmatch pattern).

    * ``status``: answer with GitHub's error of that status; ``apply`` first performs the request (GitHub made
      the issue, then its edge answered 502 or the client gave up waiting).
    * ``delay``: seconds before the answer leaves (longer than the client's timeout = a timeout).
    * ``before``: called with the fake before the request is handled (another run racing us).
    * ``tamper``: rewrites the JSON body of the answer (to prove the response check catches it).
    """

    method: str
    path: str
    status: int | None = None
    apply: bool = False
    times: int = 1
    delay: float = 0.0
    retry_after: int | None = None
    message: str | None = None
    errors: list[dict[str, Any]] | None = None
    primary_rate_limit: bool = False
    before: Callable[[FakeGitHub], None] | None = None
    tamper: Callable[[Any], Any] | None = None
    used: int = field(default=0)

    def matches(self, method: str, path: str) -> bool:
        return self.used < self.times and self.method in ("*", method) and fnmatch.fnmatchcase(path, self.path)

    def body_message(self) -> str:
        if self.message is not None:
            return self.message
        if self.retry_after is not None or self.primary_rate_limit:
            return PRIMARY_RATE_LIMIT if self.primary_rate_limit else SECONDARY_RATE_LIMIT
        assert self.status is not None
        return MESSAGES.get(self.status, "Server Error" if self.status >= 500 else "Error")

    def body_errors(self) -> list[dict[str, Any]] | None:
        if self.errors is not None:
            return self.errors
        return BODY_TOO_LONG if self.status == 422 else None
