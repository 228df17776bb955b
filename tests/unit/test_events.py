"""Real webhook payloads for end-to-end tests: loaded from @octokit/webhooks-examples, retargeted on request."""

from __future__ import annotations

import json

import pytest
from tests.events import (
    actions_env,
    event_payload,
    github_ref,
    pull_request_payload,
    schedule_event,
    webhook_examples,
)


def test_push_payload_is_a_real_branch_push_retargeted():
    payload = event_payload("push", repository="octo/repo", sha="a" * 40)

    assert payload["ref"].startswith("refs/heads/") and payload["deleted"] is False
    assert payload["repository"]["full_name"] == "octo/repo" and payload["repository"]["owner"]["login"] == "octo"
    assert payload["repository"]["html_url"].endswith("/octo/repo")
    assert payload["after"] == payload["head_commit"]["id"] == "a" * 40
    assert {"before", "commits", "pusher", "sender"} <= payload.keys()


def test_workflow_dispatch_payload_has_inputs_and_workflow():
    payload = event_payload("workflow_dispatch", repository="octo/repo", ref="refs/heads/dev")

    assert payload["ref"] == "refs/heads/dev" and payload["inputs"] == {}
    assert payload["workflow"].startswith(".github/workflows/")


def test_schedule_event_carries_only_the_cron():
    assert event_payload("schedule", cron="0 0 * * *") == {"schedule": "0 0 * * *"} == schedule_event("0 0 * * *")


def test_examples_are_fresh_copies():
    webhook_examples("push")[0]["ref"] = "changed"

    assert webhook_examples("push")[0]["ref"] != "changed"


def test_unknown_event_is_refused():
    with pytest.raises(KeyError, match="no webhook examples"):
        webhook_examples("not_an_event")


def test_actions_env_points_at_a_written_event_file(tmp_path):
    payload = event_payload("push", repository="octo/repo", sha="b" * 40)

    env = actions_env(tmp_path, "push", payload, repository="octo/repo", api_url="http://127.0.0.1:9/api/v3")

    with open(env["GITHUB_EVENT_PATH"], encoding="utf-8") as handle:
        assert json.load(handle) == payload
    assert (env["GITHUB_EVENT_NAME"], env["GITHUB_SHA"], env["GITHUB_REF"]) == ("push", "b" * 40, payload["ref"])
    assert env["GITHUB_API_URL"] == "http://127.0.0.1:9/api/v3"
    assert (tmp_path / "step_summary.md").exists() and (tmp_path / "github_output").exists()


def test_pull_request_payloads_from_a_branch_a_fork_or_dependabot() -> None:
    same = pull_request_payload("octo/repo", 5)
    fork = pull_request_payload("octo/repo", 5, head_repository="someone/fork")
    bot = pull_request_payload("octo/repo", 5, author="dependabot[bot]")

    assert same["action"] == "opened" and same["number"] == same["pull_request"]["number"] == 5
    assert same["pull_request"]["base"]["repo"]["full_name"] == same["pull_request"]["head"]["repo"]["full_name"]
    assert fork["pull_request"]["head"]["repo"]["full_name"] == "someone/fork"
    assert fork["pull_request"]["head"]["repo"]["fork"] is True
    assert bot["sender"]["login"] == bot["pull_request"]["user"]["login"] == "dependabot[bot]"
    assert {repo["default_branch"] for repo in (same["repository"], same["pull_request"]["base"]["repo"])} == {"main"}


@pytest.mark.parametrize(
    ("event", "example", "ref"),
    [
        ("pull_request", "pull_request", "refs/pull/5/merge"),
        ("pull_request_target", "pull_request", "refs/heads/main"),
        ("merge_group", "merge_group", "refs/heads/gh-readonly-queue/"),
        ("push", "tag_push", "refs/tags/"),
        ("release", "release", "refs/tags/"),
    ],
)
def test_github_ref_is_what_the_runner_sets_for_the_event(tmp_path, event, example, ref) -> None:
    payload = pull_request_payload("octo/repo", 5) if example == "pull_request" else event_payload(example)
    env = actions_env(tmp_path, event, payload, repository="octo/repo")

    assert env["GITHUB_REF"].startswith(ref) and env["GITHUB_REF"] == github_ref(event, payload)
    assert env["GITHUB_ACTOR"] == payload["sender"]["login"]
