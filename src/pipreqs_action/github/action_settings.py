"""The Action's inputs and the runner's environment, read and checked once into ``ActionSettings`` (see action.yml).

Apart from ``settings`` so that only the Action creates this class: a frozen dataclass of thirty fields is
compiled method by method when its module is imported, a cost a command-line check has no reason to pay.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, cast

from pipreqs_action.config import FAIL_ON, FailOn
from pipreqs_action.errors import SettingsError
from pipreqs_action.limits import DEFAULT_LIMITS, ScanLimits, parse_limits
from pipreqs_action.pins import DEFAULT_INDEX_URL, MODES, Mode
from pipreqs_action.settings import choice, http_url, parse_bool, parse_overrides

__all__ = ["DEFAULT_LABEL", "ActionSettings"]

DEFAULT_LABEL = "pipreqs-action"  # distinctive: Dependabot's `dependencies` label is on hundreds of its PRs


@dataclass(frozen=True, slots=True)
class ActionSettings:
    """The Action's inputs and the runner's environment, read and checked once (see action.yml)."""

    workspace: Path
    path: str  # relative to the checked tree
    requirements: tuple[str, ...]
    exclude: tuple[str, ...]
    mode: Mode
    fail_on: FailOn
    index_url: str
    repository: str  # another repository to check ("" = the workspace)
    ref: str
    api_url: str
    create_issue: bool
    close_when_fixed: bool
    issue_title: str
    issue_labels: tuple[str, ...]
    issue_repository: str
    dry_run: bool
    github_repository: str
    sha: str
    server_url: str
    github_api_url: str
    event_name: str
    output_file: str
    summary_file: str
    token: str = field(default="", repr=False)
    github_ref: str = ""  # GITHUB_REF: the branch or tag the run is on
    actor: str = ""  # GITHUB_ACTOR: dependabot[bot] runs get a read-only token
    event: Mapping[str, Any] = field(default_factory=dict, repr=False)  # the webhook payload
    issue_branch: str = ""  # the branch whose runs keep the issue ("" = the repository's default branch)
    issue_key: str = ""  # what tells this step's issue from other steps' ("" = repository, path, requirements)
    pr_comment: bool = False
    repository_token: str = field(default="", repr=False)  # for cloning `repository` (github-token: the issue)
    ignore: tuple[str, ...] = ()  # names never reported missing or unused, added to the project's configuration
    overrides: tuple[str, ...] = ()  # IMPORT=DIST lines, winning over the configuration's map
    fail_on_given: bool = True  # False: the step left fail-on empty, so the configuration's (else never) applies
    limits: ScanLimits = DEFAULT_LIMITS  # the timeout and max-memory inputs

    @classmethod
    def from_action_env(cls, get_input: Callable[[str], str], env: Mapping[str, str]) -> ActionSettings:
        """``get_input`` reads ``INPUT_<NAME>`` (hyphens kept); ``env`` is the runner's environment."""
        # Only declared inputs count: a workflow_dispatch input named `repository` reaches the Action only when
        # the workflow passes it (`repository: ${{ inputs.repository }}`), never straight from the event.
        event = read_event(env.get("GITHUB_EVENT_PATH", ""))
        repository = get_input("repository")
        github_repository = env.get("GITHUB_REPOSITORY", "")
        return cls(
            workspace=Path(env.get("GITHUB_WORKSPACE") or "."),
            path=relative_path("path", get_input("path") or "."),
            requirements=requirement_inputs(get_input("requirements")),
            exclude=tuple(split_list(get_input("exclude"))),
            mode=cast(Mode, choice("mode", get_input("mode") or "pin", MODES)),
            fail_on=cast(FailOn, choice("fail-on", get_input("fail-on") or "never", FAIL_ON)),
            index_url=http_url("index-url", get_input("index-url") or DEFAULT_INDEX_URL),
            repository=repository,
            ref=get_input("ref") if repository else "",
            api_url=http_url("api-url", get_input("api-url")) if get_input("api-url") else "",
            create_issue=parse_bool("create-issue", get_input("create-issue") or "true"),
            close_when_fixed=parse_bool("close-when-fixed", get_input("close-when-fixed") or "true"),
            issue_title=get_input("issue-title") or "Declared dependencies are out of sync with the code",
            issue_labels=tuple(split_list(get_input("issue-labels") or DEFAULT_LABEL)),
            issue_repository=get_input("issue-repository") or github_repository,
            dry_run=parse_bool("dry-run", get_input("dry-run") or "false"),
            github_repository=github_repository,
            sha=env.get("GITHUB_SHA", ""),
            server_url=http_url("GITHUB_SERVER_URL", env.get("GITHUB_SERVER_URL") or "https://github.com"),
            github_api_url=http_url("GITHUB_API_URL", env.get("GITHUB_API_URL") or "https://api.github.com"),
            event_name=env.get("GITHUB_EVENT_NAME", ""),
            output_file=env.get("GITHUB_OUTPUT", ""),
            summary_file=env.get("GITHUB_STEP_SUMMARY", ""),
            token=get_input("github-token"),
            github_ref=env.get("GITHUB_REF", ""),
            actor=env.get("GITHUB_ACTOR", ""),
            event=event,
            issue_branch=get_input("issue-branch").removeprefix("refs/heads/"),
            issue_key=get_input("issue-key"),
            pr_comment=parse_bool("pr-comment", get_input("pr-comment") or "false"),
            repository_token=get_input("repository-token"),
            ignore=tuple(split_list(get_input("ignore"))),
            overrides=tuple(parse_map_input(get_input("map"))),
            fail_on_given=bool(get_input("fail-on")),
            limits=parse_limits(seconds=get_input("timeout"), memory_mb=get_input("max-memory")),
        )

    @property
    def wants_issue(self) -> bool:
        return self.create_issue or self.close_when_fixed


def read_event(event_path: str) -> dict[str, Any]:
    """The webhook payload that triggered the run (push, workflow_dispatch, {"schedule": ...}); {} if none."""
    if not event_path:
        return {}
    try:
        data = json.loads(Path(event_path).read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise SettingsError(f"GITHUB_EVENT_PATH: {event_path} is not a readable JSON file ({error})") from None
    return data if isinstance(data, dict) else {}


def split_list(value: str) -> list[str]:
    """A list input: one item per line or comma-separated, blanks dropped."""
    return [item.strip() for line in value.splitlines() for item in line.split(",") if item.strip()]


def parse_map_input(value: str) -> list[str]:
    """The `map` input: `IMPORT=DIST` one per line (commas also separate), checked here so the error names it."""
    items = split_list(value)
    parse_overrides("map", items)
    return items


def relative_path(name: str, value: str) -> str:
    """A path inside the checked tree: absolute paths and `..` would let an input read outside it."""
    pure = PurePosixPath(value.strip())
    if pure.is_absolute() or ".." in pure.parts:
        raise SettingsError(f"{name}: {value!r} must be a path inside the repository")
    return str(pure)


def requirement_inputs(value: str) -> tuple[str, ...]:
    """The `requirements` input; its default (requirements.txt) means "find the declarations": requirements.txt,
    else pyproject.toml, so a project without requirements.txt is not an error."""
    items = tuple(relative_path("requirements", item) for item in split_list(value))
    return () if items in ((), ("requirements.txt",)) else items
