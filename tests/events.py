"""Real GitHub webhook payloads for end-to-end tests of the action, and the environment a runner sets.

Payloads come from the npm package ``@octokit/webhooks-examples`` (installed by ``npm ci --prefix tests/node``):
examples GitHub's SDK team collected from real deliveries. A scheduled run has no webhook behind it; its
event file holds only ``{"schedule": "<cron>"}``, which ``schedule_event`` provides.

    payload = event_payload("push", repository="octo/repo", sha="0" * 40)
    env = actions_env(tmp_path, "push", payload, repository="octo/repo", api_url=fake_github.api_url)
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

EXAMPLES_PATH = (
    Path(__file__).resolve().parent
    / "node"
    / "node_modules"
    / "@octokit"
    / "webhooks-examples"
    / "api.github.com"
    / "index.json"
)
INSTALL_HINT = "run `npm ci --prefix tests/node` to install the webhook examples"
DEFAULT_CRON = "17 6 * * 1"

Payload = dict[str, Any]


@functools.cache
def _definitions() -> tuple[Mapping[str, Any], ...]:
    if not EXAMPLES_PATH.is_file():
        raise FileNotFoundError(f"{EXAMPLES_PATH} is missing: {INSTALL_HINT}")
    with EXAMPLES_PATH.open(encoding="utf-8") as handle:
        return tuple(json.load(handle))


def webhook_examples(name: str) -> list[Payload]:
    """Every example payload of one event (``push``, ``workflow_dispatch``, ...), as fresh copies."""
    for definition in _definitions():
        if definition["name"] == name:
            return copy.deepcopy(list(definition["examples"]))
    raise KeyError(f"no webhook examples for event {name!r} in {EXAMPLES_PATH.name}")


def _branch_push(payload: Payload) -> bool:
    return str(payload.get("ref", "")).startswith("refs/heads/") and not payload.get("deleted", False)


def _any(_payload: Payload) -> bool:
    return True


_CHOICE: dict[str, Callable[[Payload], bool]] = {"push": _branch_push}


def event_payload(
    name: str,
    *,
    repository: str | None = None,
    ref: str | None = None,
    sha: str | None = None,
    cron: str = DEFAULT_CRON,
) -> Payload:
    """One realistic payload of event ``name``, retargeted at ``repository``/``ref``/``sha`` when given.

    ``push`` picks a push to a branch (the examples also hold tag pushes and deletions). ``schedule``
    returns ``{"schedule": cron}``, all a scheduled run's event file holds.
    """
    if name == "schedule":
        return schedule_event(cron)
    choose = _CHOICE.get(name, _any)
    payload = next((p for p in webhook_examples(name) if choose(p)), None)
    if payload is None:
        raise KeyError(f"no suitable {name!r} example in {EXAMPLES_PATH.name}")
    if repository is not None:
        _retarget_repository(payload, repository)
    if ref is not None:
        payload["ref"] = ref
    if sha is not None:
        _retarget_commit(payload, sha)
    return payload


def schedule_event(cron: str = DEFAULT_CRON) -> Payload:
    """The event file of a ``schedule`` run: only the cron expression that fired."""
    return {"schedule": cron}


def write_event(directory: Path, payload: Payload, name: str = "event.json") -> Path:
    """Write the payload where GITHUB_EVENT_PATH can point at it."""
    path = directory / name
    path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return path


def actions_env(
    directory: Path,
    event_name: str,
    payload: Payload,
    *,
    repository: str,
    api_url: str = "https://api.github.com",
    server_url: str = "https://github.com",
    sha: str | None = None,
    ref: str | None = None,
    workspace: Path | None = None,
) -> dict[str, str]:
    """The variables a GitHub-hosted runner sets for a step (no token: pass that yourself, as INPUT_*).

    Files the runner provides (event, step summary, outputs) are created under ``directory``.
    """
    event_path = write_event(directory, payload)
    summary, output = directory / "step_summary.md", directory / "github_output"
    summary.touch()
    output.touch()
    commit = sha or str(payload.get("after") or payload.get("head_commit", {}).get("id") or "0" * 40)
    return {
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_REPOSITORY": repository,
        "GITHUB_REPOSITORY_OWNER": repository.partition("/")[0],
        "GITHUB_SHA": commit,
        "GITHUB_REF": ref or str(payload.get("ref") or "refs/heads/main"),
        "GITHUB_API_URL": api_url,
        "GITHUB_SERVER_URL": server_url,
        "GITHUB_GRAPHQL_URL": f"{api_url}/graphql",
        "GITHUB_WORKSPACE": str(workspace or directory),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_RUN_ID": "4242",
        "GITHUB_RUN_NUMBER": "7",
        "GITHUB_RUN_ATTEMPT": "1",
        "GITHUB_WORKFLOW": "requirements",
        "GITHUB_JOB": "check",
        "GITHUB_ACTOR": "octocat",
        "RUNNER_OS": "Linux",
        "RUNNER_TEMP": str(directory),
    }


def _retarget_repository(payload: Payload, full_name: str) -> None:
    owner, _, name = full_name.partition("/")
    repo = payload.get("repository")
    if not isinstance(repo, dict):
        return
    old = str(repo.get("full_name", ""))
    repo.update(name=name, full_name=full_name)
    if isinstance(repo.get("owner"), dict):
        repo["owner"].update(login=owner, name=owner)
    for key, value in list(repo.items()):  # URLs: .../Codertocat/Hello-World/... -> .../owner/name/...
        if isinstance(value, str) and old and old in value:
            repo[key] = value.replace(old, full_name)


def _retarget_commit(payload: Payload, sha: str) -> None:
    if "after" in payload:
        payload["after"] = sha
    head = payload.get("head_commit")
    if isinstance(head, dict):
        head["id"] = sha
