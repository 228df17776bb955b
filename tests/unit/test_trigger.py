"""Which runs keep the issue: decided from real webhook payloads (tests/events.py), GITHUB_REF and inputs."""

from __future__ import annotations

import pytest
from tests.events import event_payload, github_ref, pull_request_payload

from pipreqs_action.github.trigger import base_sha, classify

REPO = "octo/repo"


def decide(event: str, payload: dict, **options: str):
    return classify(event, payload, github_ref(event, payload), **options)


@pytest.mark.parametrize(
    ("event", "payload"),
    [
        ("push", event_payload("push", repository=REPO, ref="refs/heads/main", default_branch="main")),
        (
            "workflow_dispatch",
            event_payload("workflow_dispatch", repository=REPO, ref="refs/heads/main", default_branch="main"),
        ),
        ("schedule", event_payload("schedule")),
        (
            "workflow_call",
            event_payload("workflow_dispatch", repository=REPO, ref="refs/heads/main", default_branch="main"),
        ),
    ],
)
def test_runs_on_the_default_branch_keep_the_issue(event, payload) -> None:
    decided = decide(event, payload)
    assert decided.syncs_issue and decided.reason == "" and not decided.read_only


@pytest.mark.parametrize(
    ("event", "payload", "said"),
    [
        ("pull_request", pull_request_payload(REPO, 3), "a pull_request run only reports"),
        ("merge_group", event_payload("merge_group", repository=REPO, default_branch="main"), "a merge_group run"),
        (
            "push",
            event_payload("tag_push", repository=REPO, default_branch="main"),
            "push on tag simple-tag only reports",
        ),
        (
            "push",
            event_payload("push", repository=REPO, ref="refs/heads/dev", default_branch="main"),
            "push on branch dev",
        ),
        ("release", event_payload("release", repository=REPO, default_branch="main"), "a release run only reports"),
    ],
)
def test_everything_else_only_reports_and_says_why(event, payload, said) -> None:
    decided = decide(event, payload)
    assert not decided.syncs_issue and decided.reason.startswith(said)


def test_the_issue_branch_input_replaces_the_default_branch() -> None:
    payload = event_payload("push", repository=REPO, ref="refs/heads/release", default_branch="main")
    assert decide("push", payload, issue_branch="release").syncs_issue
    on_main = event_payload("push", repository=REPO, ref="refs/heads/main", default_branch="main")
    assert "`issue-branch` (release)" in decide("push", on_main, issue_branch="release").reason
    assert not classify("schedule", event_payload("schedule"), "refs/heads/main", issue_branch="release").syncs_issue


@pytest.mark.parametrize(
    ("payload", "read_only"),
    [
        (pull_request_payload(REPO, 3), False),
        (pull_request_payload(REPO, 3, head_repository="someone/fork"), True),
        (pull_request_payload(REPO, 3, author="dependabot[bot]"), True),
    ],
)
def test_fork_and_dependabot_pull_requests_have_a_read_only_token(payload, read_only) -> None:
    decided = decide("pull_request", payload)
    assert (decided.pull_request, decided.read_only) == (3, read_only)
    assert base_sha(payload) == "b" * 40


def test_pull_request_target_may_write_but_still_only_reports() -> None:
    decided = decide("pull_request_target", pull_request_payload(REPO, 4, head_repository="someone/fork"))
    assert (decided.syncs_issue, decided.read_only, decided.pull_request) == (False, False, 4)


def test_a_push_triggered_by_dependabot_is_read_only() -> None:
    payload = event_payload("push", repository=REPO, ref="refs/heads/main", default_branch="main")
    assert classify("push", payload, "refs/heads/main", actor="dependabot[bot]").read_only
