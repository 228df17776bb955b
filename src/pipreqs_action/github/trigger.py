"""Which runs may touch the tracking issue: the event and branch a workflow run was started by.

The issue describes the default branch. A pull request's merge commit, a feature branch, a tag or a merge
queue entry is not that branch, so such runs only report (summary, annotations, outputs): a PR that fixes
requirements.txt must not close the issue while the default branch is still broken. Scheduled runs always run
on the default branch; a reusable workflow (`workflow_call`) sees its caller's event name, so the rule follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ISSUE_EVENTS = frozenset({"push", "schedule", "workflow_dispatch", "workflow_call"})
PULL_REQUEST_EVENTS = frozenset({"pull_request", "pull_request_target"})
DEPENDABOT = "dependabot[bot]"


@dataclass(frozen=True, slots=True)
class Trigger:
    """What the run may do on GitHub, read from the event."""

    syncs_issue: bool
    reason: str = ""  # why the issue is left alone ("" when it is synced)
    pull_request: int | None = None  # the PR's number on pull_request / pull_request_target
    read_only: bool = False  # GitHub gives this run a read-only token by design (fork PRs, Dependabot)


def classify(
    event_name: str, payload: Mapping[str, Any], github_ref: str, *, issue_branch: str = "", actor: str = ""
) -> Trigger:
    """The run's rights from its event name, payload, GITHUB_REF and the `issue-branch` input."""
    number = _pr_number(payload) if event_name in PULL_REQUEST_EVENTS else None
    read_only = _read_only(event_name, payload, actor)
    if event_name not in ISSUE_EVENTS:
        why = f"a {event_name or 'local'} run only reports; the issue follows runs on the default branch"
        return Trigger(False, why, number, read_only)
    ref = github_ref or str(payload.get("ref") or "")
    branch = issue_branch or _default_branch(payload)
    if event_name == "schedule" and not issue_branch:
        return Trigger(True, read_only=read_only)  # GitHub runs schedules on the default branch only
    if not branch or ref == f"refs/heads/{branch}":
        return Trigger(True, read_only=read_only)
    what = f"tag {ref.removeprefix('refs/tags/')}" if ref.startswith("refs/tags/") else _ref_name(ref)
    which = "the `issue-branch`" if issue_branch else "the default branch"
    return Trigger(False, f"{event_name} on {what} only reports; the issue follows {which} ({branch})", None, read_only)


def base_sha(payload: Mapping[str, Any]) -> str:
    """The PR's base commit, if the event is a pull request."""
    base = _dict(_dict(payload.get("pull_request")).get("base"))
    return str(base.get("sha") or "")


def _ref_name(ref: str) -> str:
    return f"branch {ref.removeprefix('refs/heads/')}" if ref.startswith("refs/heads/") else (ref or "no ref")


def _default_branch(payload: Mapping[str, Any]) -> str:
    return str(_dict(payload.get("repository")).get("default_branch") or "")


def _pr_number(payload: Mapping[str, Any]) -> int | None:
    number = _dict(payload.get("pull_request")).get("number", payload.get("number"))
    return number if isinstance(number, int) and number > 0 else None


def _read_only(event_name: str, payload: Mapping[str, Any], actor: str) -> bool:
    """GitHub's rule: `pull_request` from a fork, and any run Dependabot triggers, get a read-only token."""
    if actor == DEPENDABOT or _dict(payload.get("sender")).get("login") == DEPENDABOT:
        return True
    if event_name != "pull_request":
        return False
    pull = _dict(payload.get("pull_request"))
    head = _dict(_dict(pull.get("head")).get("repo")).get("full_name")
    base = _dict(_dict(pull.get("base")).get("repo")).get("full_name")
    return bool(head and base and str(head).lower() != str(base).lower()) or not head  # a deleted fork: no head repo


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
