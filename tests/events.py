"""Real GitHub webhook payloads for end-to-end tests of the action, and the environment a runner sets.

Payloads come from the npm package ``@octokit/webhooks-examples`` (installed by ``npm ci --prefix tests/node``):
examples GitHub's SDK team collected from real deliveries. A scheduled run has no webhook behind it; its
event file holds only ``{"schedule": "<cron>"}``, which ``schedule_event`` provides.

    payload = event_payload("push", repository="octo/repo", sha="0" * 40)
    env = actions_env(tmp_path, "push", payload, repository="octo/repo", api_url=fake_github.api_url)
    pr = pull_request_payload("octo/repo", 12, head_repository="someone/fork")  # a fork's pull request
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


def _tag_push(payload: Payload) -> bool:
    return str(payload.get("ref", "")).startswith("refs/tags/") and not payload.get("deleted", False)


def _any(_payload: Payload) -> bool:
    return True


def _opened(payload: Payload) -> bool:
    return payload.get("action") == "opened"


def _published(payload: Payload) -> bool:
    return payload.get("action") == "published"


_CHOICE: dict[str, Callable[[Payload], bool]] = {
    "push": _branch_push,
    "tag_push": _tag_push,
    "pull_request": _opened,
    "release": _published,
}


def event_payload(
    name: str,
    *,
    repository: str | None = None,
    ref: str | None = None,
    sha: str | None = None,
    cron: str = DEFAULT_CRON,
    default_branch: str | None = None,
) -> Payload:
    """One realistic payload of event ``name``, retargeted at ``repository``/``ref``/``sha`` when given.

    ``push`` picks a push to a branch (the examples also hold tag pushes and deletions), ``tag_push`` a push of
    a tag (event name ``push``), ``pull_request`` an opened one, ``release`` a published one. ``schedule``
    returns ``{"schedule": cron}``, all a scheduled run's event file holds. ``default_branch`` sets the
    repository's default branch (the examples say ``master`` or ``main``).
    """
    if name == "schedule":
        return schedule_event(cron)
    choose = _CHOICE.get(name, _any)
    examples = webhook_examples("push" if name == "tag_push" else name)
    payload = next((p for p in examples if choose(p)), None)
    if payload is None:
        raise KeyError(f"no suitable {name!r} example in {EXAMPLES_PATH.name}")
    if repository is not None:
        _retarget_repository(payload, repository)
    if ref is not None:
        payload["ref"] = ref
    if sha is not None:
        _retarget_commit(payload, sha)
    if default_branch is not None:
        for repo in _repositories(payload):
            repo["default_branch"] = default_branch
    return payload


def pull_request_payload(
    repository: str,
    number: int,
    *,
    head_repository: str | None = None,
    author: str = "Codertocat",
    base_sha: str = "b" * 40,
    head_sha: str = "c" * 40,
    default_branch: str = "main",
) -> Payload:
    """A real `pull_request` (opened) payload: from a branch of ``repository``, or from ``head_repository`` (a
    fork); ``author`` ``dependabot[bot]`` makes it Dependabot's (it opens PRs and is their sender)."""
    payload = event_payload("pull_request", repository=repository, default_branch=default_branch)
    pull = payload["pull_request"]
    payload["number"] = pull["number"] = number
    pull["base"].update(sha=base_sha, ref=default_branch)
    pull["head"]["sha"] = head_sha
    _retarget_repository(pull["base"], repository)
    _retarget_repository(pull["head"], head_repository or repository)
    pull["head"]["repo"]["fork"] = head_repository is not None
    if author == "dependabot[bot]":  # Dependabot pushes a branch of the repository itself, named after the bump
        branch = "dependabot/pip/requests-2.32.3"
        pull["head"].update(ref=branch, label=f"{repository.partition('/')[0]}:{branch}")
    for who in (pull["user"], payload["sender"]):
        who.update(login=author, type="Bot" if author.endswith("[bot]") else "User")
    return payload


def _repositories(payload: Payload) -> list[dict[str, Any]]:
    """Every repository object of a payload: the event's, and a pull request's base and head."""
    found = [payload.get("repository")]
    pull = payload.get("pull_request")
    if isinstance(pull, dict):
        found += [pull.get("base", {}).get("repo"), pull.get("head", {}).get("repo")]
    return [repo for repo in found if isinstance(repo, dict)]


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
    commit = sha or str(payload.get("after") or (payload.get("head_commit") or {}).get("id") or "0" * 40)
    return {
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_REPOSITORY": repository,
        "GITHUB_REPOSITORY_OWNER": repository.partition("/")[0],
        "GITHUB_SHA": commit,
        "GITHUB_REF": ref or github_ref(event_name, payload),
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
        "GITHUB_ACTOR": str((payload.get("sender") or {}).get("login") or "octocat"),
        "RUNNER_OS": "Linux",
        "RUNNER_TEMP": str(directory),
    }


def github_ref(event_name: str, payload: Payload) -> str:
    """GITHUB_REF as the runner sets it for the event: a PR's merge ref, a merge queue's branch, a release's tag."""
    if event_name in ("pull_request", "pull_request_target"):
        return f"refs/pull/{payload['number']}/merge" if event_name == "pull_request" else _base_ref(payload)
    if event_name == "merge_group":
        return str(payload["merge_group"]["head_ref"])
    if event_name == "release":
        return f"refs/tags/{payload['release']['tag_name']}"
    return str(payload.get("ref") or "refs/heads/main")


def _base_ref(payload: Payload) -> str:
    return f"refs/heads/{payload['pull_request']['base']['ref']}"


def _retarget_repository(payload: Payload, full_name: str) -> None:
    owner, _, name = full_name.partition("/")
    repo = payload.get("repository", payload.get("repo"))
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
