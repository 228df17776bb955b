"""What the fake GitHub remembers: repositories, their issues (and pull requests), labels and comments.

Plain data with one lock, so tests can seed and inspect it while the server thread serves PyGithub.
Numbers follow GitHub: one counter per repository shared by issues and pull requests, global ids.
"""

from __future__ import annotations

import copy
import itertools
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

_EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)


@dataclass(slots=True)
class Label:
    id: int
    name: str
    color: str = "ededed"
    description: str | None = None
    default: bool = False


@dataclass(slots=True)
class Comment:
    id: int
    issue_number: int
    body: str
    user: str
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class Issue:
    id: int
    number: int
    title: str
    body: str | None
    user: str
    created_at: datetime
    updated_at: datetime
    state: str = "open"
    state_reason: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    labels: list[str] = field(default_factory=list)
    comments: int = 0
    locked: bool = False
    pull_request: bool = False


@dataclass(slots=True)
class Repo:
    id: int
    owner: str
    name: str
    private: bool = False
    has_issues: bool = True
    default_branch: str = "main"
    created_at: datetime = _EPOCH
    issues: dict[int, Issue] = field(default_factory=dict)
    labels: dict[str, Label] = field(default_factory=dict)  # key: lower-cased name (GitHub matches labels so)
    comments: list[Comment] = field(default_factory=list)
    next_number: int = 1
    tarballs: dict[str, bytes] = field(default_factory=dict)  # commit SHA -> the host's tarball of that commit

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass(frozen=True, slots=True)
class Token:
    """A credential: ``write`` False is a read-only token; ``repos`` None reaches every repository."""

    value: str
    login: str = "github-actions[bot]"
    write: bool = True
    repos: frozenset[str] | None = None

    def reaches(self, repo: Repo) -> bool:
        return self.repos is None or repo.full_name.lower() in self.repos


class Store:
    """All state behind one re-entrant lock; returned objects are copies, safe to read in tests."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._repos: dict[str, Repo] = {}
        self._ids = itertools.count(1001)
        self._ticks = itertools.count(1)

    def next_id(self) -> int:
        return next(self._ids)

    def now(self) -> datetime:
        """A clock that moves one second per event, so ordering by time is strict and repeatable."""
        return _EPOCH + timedelta(seconds=next(self._ticks))

    def add_repo(self, full_name: str, *, private: bool = False, has_issues: bool = True) -> Repo:
        owner, _, name = full_name.partition("/")
        with self.lock:
            repo = Repo(self.next_id(), owner, name, private=private, has_issues=has_issues, created_at=self.now())
            self._repos[full_name.lower()] = repo
            return repo

    def repo(self, full_name: str) -> Repo | None:
        with self.lock:
            return self._repos.get(full_name.lower())

    def add_issue(
        self,
        repo: Repo,
        *,
        title: str,
        body: str | None,
        user: str,
        labels: Iterable[str] = (),
        pull_request: bool = False,
    ) -> Issue:
        with self.lock:
            now = self.now()
            issue = Issue(self.next_id(), repo.next_number, title, body, user, now, now, pull_request=pull_request)
            issue.labels = [self.ensure_label(repo, name).name for name in labels]
            repo.issues[issue.number] = issue
            repo.next_number += 1
            return issue

    def ensure_label(self, repo: Repo, name: str) -> Label:
        """The label of that name, created with GitHub's default colour when missing (as issue creation does)."""
        with self.lock:
            label = repo.labels.get(name.lower())
            if label is None:
                label = Label(self.next_id(), name)
                repo.labels[name.lower()] = label
            return label

    def set_state(self, issue: Issue, state: str, reason: str | None, actor: str) -> None:
        """Apply a state change the way GitHub records it (closed_at/closed_by, reason only on change)."""
        with self.lock:
            if state == issue.state:
                return
            issue.state = state
            if state == "closed":
                issue.closed_at, issue.closed_by = self.now(), actor
                issue.state_reason = reason or "completed"
            else:
                issue.closed_at, issue.closed_by = None, None
                issue.state_reason = "reopened"

    def add_comment(self, repo: Repo, issue: Issue, body: str, user: str) -> Comment:
        with self.lock:
            now = self.now()
            comment = Comment(self.next_id(), issue.number, body, user, now, now)
            repo.comments.append(comment)
            issue.comments += 1
            issue.updated_at = now
            return comment

    def snapshot_issues(self, full_name: str) -> list[Issue]:
        with self.lock:
            repo = self._repos[full_name.lower()]
            return [copy.deepcopy(i) for i in sorted(repo.issues.values(), key=lambda i: i.number)]

    def snapshot_comments(self, full_name: str, number: int | None = None) -> list[Comment]:
        with self.lock:
            repo = self._repos[full_name.lower()]
            return [copy.deepcopy(c) for c in repo.comments if number is None or c.issue_number == number]
