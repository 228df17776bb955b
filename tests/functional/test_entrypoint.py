"""``entrypoint.py`` run the way GitHub's runner runs a Docker container action, as a subprocess.

What the runner does for ``runs.using: docker`` and what is recreated here under ``tmp_path``:

* ``/github/home`` (HOME), ``/github/workflow/event.json`` (GITHUB_EVENT_PATH), ``/github/file_commands/``
  with a fresh ``set_output_<id>`` and ``step_summary_<id>`` per step, and ``/github/workspace``, the cwd;
* the workspace is an actions/checkout clone owned by the runner's user (uid 1001) while the action runs as
  root, so git refuses it ("dubious ownership"): a spy on PATH records every git the action runs;
* every input of action.yml as ``INPUT_<NAME>``, hyphens kept, its default filled in when the step gives none
  (``${{ github.token }}`` is the fake's token), beside the GITHUB_* variables and the image's own ENV;
* nothing else from the test process: the environment is built from scratch. Proxy variables point at a port
  where nothing listens, so a request for anything but 127.0.0.1 fails at once instead of reaching the internet.

The step's log, GITHUB_OUTPUT and the summary are read back with the runner's rules (tests/unit/test_runner.py),
and the annotation lines are compared with what @actions/core writes for the same message and properties.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipreqs_action.github.issue import MARKER, fit_body, issue_key, marker
from pipreqs_action.model import Missing
from tests.events import actions_env, event_payload, pull_request_payload, schedule_event
from tests.fakegithub.server import FakeGitHub
from tests.git_server import GitServer, basic_auth, git
from tests.pypi_stub import PyPIStub
from tests.unit.test_runner import Command, actions_core, parse_file_commands, runner_commands

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "entrypoint.py"
ACTION = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
RUNNER_UID = RUNNER_GID = 1001  # the `runner` user of GitHub's hosted images
REPO = "octo/repo"
NOWHERE = "http://127.0.0.1:9"  # the discard port: nothing listens
IMAGE_ENV = {"PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"}  # the Dockerfile's ENV
TITLE = "Missing from requirements.txt: {package}"
PROJECT = {
    "app.py": "import os\nimport requests\nimport yaml\n",
    "pkg/__init__.py": "",
    "pkg/jobs.py": '"""Jobs."""\n\nfrom yaml import safe_load\n',
    "requirements.txt": "requests==2.31.0\n",
}
IMPORTS_YAML = re.compile(r"^\s*(?:import yaml|from yaml import)\b")


@dataclass(frozen=True)
class Step:
    """What one run left: exit status, log, outputs and summary as the runner reads them, and git's calls."""

    code: int
    out: str
    err: str
    outputs: dict[str, str]
    summary: str
    git_calls: tuple[str, ...]

    @property
    def commands(self) -> list[Command]:
        return runner_commands(self.out)

    def lines(self, prefix: str) -> list[str]:
        return [line for line in self.out.splitlines() if line.startswith(prefix)]


class Runner:
    """The runner's /github layout under one directory, and steps run in it."""

    def __init__(self, root: Path, token: str) -> None:
        self.root, self.token = root, token
        self.home, self.workflow, self.file_commands = root / "home", root / "workflow", root / "file_commands"
        self.workspace, self.bin = root / "workspace", root / "bin"
        for directory in (self.home, self.workflow, self.file_commands, self.workspace, self.bin):
            directory.mkdir(parents=True)
        self.git_log = root / "git-calls.log"
        spy = self.bin / "git"  # records cwd and argv, then runs the real git
        spy.write_text(
            f'#!/bin/sh\nprintf "%s\\t%s\\n" "$PWD" "$*" >> {self.git_log}\nexec {shutil.which("git")} "$@"\n'
        )
        spy.chmod(0o755)

    def checkout(self, files: Mapping[str, str | None]) -> str:
        """Commit ``files`` (None deletes) in the workspace as actions/checkout leaves it: owned by the runner."""
        safe = ("-c", f"safe.directory={self.workspace}")
        if not (self.workspace / ".git").exists():
            git("init", "-q", "-b", "main", self.workspace)
        for rel, text in files.items():
            target = self.workspace / rel
            if text is None:
                target.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
        git(*safe, "add", "-A", cwd=self.workspace)
        git(*safe, "commit", "-q", "--allow-empty", "-m", "change", cwd=self.workspace)
        sha = git(*safe, "rev-parse", "HEAD", cwd=self.workspace)
        for path in (self.workspace, *self.workspace.rglob("*")):
            os.lchown(path, RUNNER_UID, RUNNER_GID)
        return sha

    def env(
        self, event: str, payload: dict[str, Any], *, sha: str, server: str, api: str, inputs: Mapping[str, str]
    ) -> dict[str, str]:
        """A fresh step environment: event file, file-command files, GITHUB_*, INPUT_* and the image's ENV."""
        for stale in self.workflow.iterdir():
            stale.unlink()
        env = actions_env(
            self.workflow,
            event,
            payload,
            repository=REPO,
            api_url=api,
            server_url=server,
            sha=sha,
            workspace=self.workspace,
        )
        for name in ("step_summary.md", "github_output"):  # actions_env's own files: the runner's live elsewhere
            (self.workflow / name).unlink()
        step = uuid.uuid4()
        files = {"GITHUB_OUTPUT": "set_output", "GITHUB_STEP_SUMMARY": "step_summary", "GITHUB_ENV": "set_env"}
        files |= {"GITHUB_PATH": "add_path", "GITHUB_STATE": "save_state"}
        for variable, prefix in files.items():
            path = self.file_commands / f"{prefix}_{step}"
            path.touch()
            env[variable] = str(path)
        env |= {"HOME": str(self.home), "RUNNER_TEMP": str(self.root / "host-only" / "_temp"), **IMAGE_ENV}
        env |= {"PATH": f"{self.bin}:/usr/local/bin:/usr/bin:/bin"}
        env |= {name: NOWHERE for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")}
        env |= {"NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
        return env | action_inputs(inputs, self.token)

    def run(self, env: Mapping[str, str]) -> Step:
        self.git_log.unlink(missing_ok=True)
        done = subprocess.run(
            [sys.executable, str(ENTRYPOINT)], cwd=self.workspace, env=dict(env), capture_output=True, timeout=120
        )
        out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
        assert "Traceback" not in out + err, err
        outputs = parse_file_commands(Path(env["GITHUB_OUTPUT"]).read_text("utf-8"))
        summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text("utf-8")
        calls = tuple(self.git_log.read_text().splitlines()) if self.git_log.exists() else ()
        return Step(done.returncode, out, err, outputs, summary, calls)


def action_inputs(given: Mapping[str, str], token: str) -> dict[str, str]:
    """INPUT_<NAME> for every input of action.yml, as the runner sets them: the step's value or the default."""
    unknown = set(given) - set(ACTION["inputs"])
    assert not unknown, f"not inputs of action.yml: {unknown}"
    env = {}
    for name, spec in ACTION["inputs"].items():
        value = given.get(name, str(spec.get("default", "")))
        env[f"INPUT_{name.replace(' ', '_').upper()}"] = value.replace("${{ github.token }}", token)
    return env


@pytest.fixture
def workspace_runner(tmp_path: Path, fake_github: FakeGitHub) -> Runner:
    return Runner(tmp_path / "github", fake_github.token)


def yaml_imports(root: Path) -> list[dict[str, Any]]:
    """Where the workspace imports yaml, read from the files themselves."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if IMPORTS_YAML.match(line):
                found.append({"path": path.relative_to(root).as_posix(), "line": number})
    return found


def expected_warnings(package: str, locations: list[dict[str, Any]]) -> list[str]:
    """@actions/core's own annotation lines for a missing package at these locations."""
    message = Missing(package, (), ()).message
    calls = [
        {"kind": "warning", "message": message, "properties": {"title": TITLE.format(package=package), **where}}
        for where in ({"file": loc["path"], "startLine": loc["line"]} for loc in locations)
    ]
    return actions_core(calls).decode().splitlines()


def assert_no_git_in(step: Step, workspace: Path) -> None:
    assert not [call for call in step.git_calls if str(workspace) in call], step.git_calls


# --- push on GitHub Enterprise Server: the whole life of the issue ------------------------------------------------


@pytest.fixture
def ghes(fake_github_factory: Any) -> FakeGitHub:
    return fake_github_factory(base_path="/api/v3")


def test_push_on_ghes_opens_keeps_closes_and_reopens_one_issue(tmp_path: Path, ghes: FakeGitHub) -> None:
    runner = Runner(tmp_path / "github", ghes.token)
    sha = runner.checkout(PROJECT)
    assert "dubious ownership" in _git_status(runner)  # git would refuse this workspace

    def push(commit: str) -> Step:
        payload = event_payload("push", repository=REPO, sha=commit)
        inputs = {"mode": "no-pin"}
        return runner.run(runner.env("push", payload, sha=commit, server=ghes.web_url, api=ghes.api_url, inputs=inputs))

    before = _snapshot(runner.workspace)
    first = push(sha)
    locations = yaml_imports(runner.workspace)
    assert first.code == 0  # fail-on defaults to never: the issue is the signal
    _check_first_run(first, ghes, runner, sha, locations)
    assert _snapshot(runner.workspace) == before and first.git_calls == ()

    ghes.clear_requests()
    again = push(sha)
    assert again.code == 0 and ghes.writes() == [] and len(ghes.issues(REPO)) == 1
    assert again.outputs["issue-number"] == first.outputs["issue-number"]

    fixed_sha = runner.checkout({"requirements.txt": PROJECT["requirements.txt"] + "PyYAML\n"})
    fixed = push(fixed_sha)
    [issue] = ghes.issues(REPO)
    assert fixed.code == 0 and fixed.outputs["in-sync"] == "true" and issue.state == "closed"
    assert [fixed_sha[:12] in c.body for c in ghes.comments(REPO, issue.number)] == [True]
    assert fixed.lines("::warning") == [] and fixed.outputs["issue-number"] == str(issue.number)

    broken = push(runner.checkout({"requirements.txt": PROJECT["requirements.txt"]}))
    [reopened] = ghes.issues(REPO)
    assert (reopened.number, reopened.state, broken.outputs["issue-number"]) == (
        issue.number,
        "open",
        str(issue.number),
    )
    assert broken.git_calls == fixed.git_calls == again.git_calls == ()


def _check_first_run(step: Step, fake: FakeGitHub, runner: Runner, sha: str, locations: list[dict[str, Any]]) -> None:
    token = fake.token
    assert step.out.splitlines()[0] == f"::add-mask::{token}"
    assert step.out.count(token) == 1 and token not in step.err + step.summary + json.dumps(step.outputs)
    assert step.lines("::warning") == expected_warnings("PyYAML", locations)

    outputs, report = step.outputs, json.loads(step.outputs["report"])
    assert outputs["in-sync"] == "false" and report["in_sync"] is False
    assert json.loads(outputs["missing"]) == report["missing"]
    assert [(m["package"], m["locations"]) for m in report["missing"]] == [("PyYAML", locations)]
    assert json.loads(outputs["unused"]) == report["unused"] == []
    assert outputs["requirements"] == report["requirements"] == PROJECT["requirements.txt"] + "PyYAML\n"
    [issue] = fake.issues(REPO)
    assert (outputs["issue-number"], outputs["issue-url"]) == (str(issue.number), f"{fake.web_url}/{REPO}/issues/1")
    assert issue.title == ACTION["inputs"]["issue-title"]["default"] and issue.body.startswith(MARKER[:-4] + " key=")
    assert issue.labels == [ACTION["inputs"]["issue-labels"]["default"]] == ["pipreqs-action"]

    assert step.summary.startswith("### :warning: ")
    for where in locations:
        link = f"{fake.web_url}/{REPO}/blob/{sha}/{where['path']}#L{where['line']}"
        assert f"[`{where['path']}:{where['line']}`]({link})" in step.summary and link in issue.body
    assert "```text\nPyYAML\n```" in step.summary


def _git_status(runner: Runner) -> str:
    env = {"HOME": str(runner.home), "PATH": "/usr/bin:/bin", "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", "status"], cwd=runner.workspace, env=env, capture_output=True, text=True)
    return done.stderr


def _snapshot(root: Path) -> list[tuple[str, int, int]]:
    return sorted((str(p), p.stat().st_mtime_ns, p.stat().st_uid) for p in root.rglob("*"))


# --- other events, exit statuses, refusals ----------------------------------------------------------------------


def test_a_scheduled_run_pins_from_the_index_and_fails_on_missing(
    workspace_runner: Runner, fake_github: FakeGitHub, pypi: PyPIStub
) -> None:
    pypi.add_project("PyYAML", ["6.0.1", "6.0.2", "7.0.0b1"])
    sha = workspace_runner.checkout(PROJECT)
    inputs = {"index-url": pypi.url, "fail-on": "missing"}
    env = workspace_runner.env(
        "schedule", schedule_event(), sha=sha, server="https://github.com", api=fake_github.api_url, inputs=inputs
    )
    step = workspace_runner.run(env)

    assert step.code == 1 and step.lines("::error") == []
    assert step.outputs["requirements"].endswith("\nPyYAML==6.0.2\n")
    [issue] = fake_github.issues(REPO)
    assert "PyYAML==6.0.2" in issue.body and step.outputs["issue-number"] == str(issue.number)
    assert f"https://github.com/{REPO}/blob/{sha}/app.py#L3" in step.summary
    assert pypi.count("PyYAML") == 1 and all("authorization" not in seen.headers for seen in pypi.seen)


def test_never_fails_even_out_of_sync_and_missing_fails(workspace_runner: Runner, fake_github: FakeGitHub) -> None:
    sha = workspace_runner.checkout(PROJECT)
    codes = {}
    for fail_on in ("never", "missing"):
        inputs = {"fail-on": fail_on, "mode": "no-pin", "create-issue": "false", "close-when-fixed": "false"}
        env = workspace_runner.env(
            "push", event_payload("push", repository=REPO, sha=sha), sha=sha, server=NOWHERE, api=NOWHERE, inputs=inputs
        )
        step = workspace_runner.run(env)
        assert step.outputs["in-sync"] == "false" and len(step.lines("::warning")) == 2
        codes[fail_on] = step.code
    assert codes == {"never": 0, "missing": 1} and fake_github.requests == []


@pytest.mark.parametrize(("fail_on", "code"), [("never", 0), ("missing", 1)])
def test_a_push_with_issues_read_only_warns_and_fail_on_decides(
    tmp_path: Path, fake_github: FakeGitHub, fail_on: str, code: int
) -> None:
    """`permissions: issues: read` on an ordinary push: GitHub refuses the write with 403; a warning that says the
    token is read-only (and which permission to grant), the result still arrives, the exit status is fail-on's."""
    fake_github.add_token("ghs_readOnlyToken", write=False)
    runner = Runner(tmp_path / "github", "ghs_readOnlyToken")
    sha = runner.checkout(PROJECT)
    payload = event_payload("push", repository=REPO, ref="refs/heads/main", sha=sha, default_branch="main")
    inputs = {"mode": "no-pin", "fail-on": fail_on}
    step = runner.run(
        runner.env("push", payload, sha=sha, server="https://github.com", api=fake_github.api_url, inputs=inputs)
    )

    assert step.code == code and step.lines("::error") == []
    [warning] = [c for c in step.commands if c.name == "warning" and "file" not in c.properties]
    assert "token is read-only for issues" in warning.message and "`permissions: issues: write`" in warning.message
    assert step.outputs["in-sync"] == "false" and json.loads(step.outputs["missing"])[0]["package"] == "PyYAML"
    assert (step.outputs["issue-number"], step.outputs["issue-url"]) == ("", "")
    assert "PyYAML" in step.summary and fake_github.issues(REPO) == []
    assert [(r.method, r.status) for r in fake_github.writes()] == [("POST", 403)]


@pytest.mark.parametrize(("name", "value"), [("fail-on", "sometimes"), ("path", "../x"), ("create-issue", "perhaps")])
def test_a_bad_input_is_one_error_naming_it(workspace_runner: Runner, fake_github: FakeGitHub, name, value) -> None:
    sha = workspace_runner.checkout(PROJECT)
    payload = event_payload("push", repository=REPO, sha=sha)
    env = workspace_runner.env(
        "push", payload, sha=sha, server="https://github.com", api=fake_github.api_url, inputs={name: value}
    )
    step = workspace_runner.run(env)

    assert step.code == 1 and not step.err
    assert [c.name for c in step.commands] == ["add-mask", "error"]
    [error] = step.lines("::error")
    assert error.startswith(f"::error::{name}: ") and value in error
    assert fake_github.requests == [] and step.outputs == {}


def test_dry_run_writes_nothing(workspace_runner: Runner, fake_github: FakeGitHub) -> None:
    sha = workspace_runner.checkout(PROJECT)
    payload = event_payload("push", repository=REPO, sha=sha)
    inputs = {"dry-run": "true", "mode": "no-pin", "fail-on": "missing"}
    step = workspace_runner.run(
        workspace_runner.env(
            "push", payload, sha=sha, server="https://github.com", api=fake_github.api_url, inputs=inputs
        )
    )

    assert step.code == 1 and "would create issue" in step.out
    assert fake_github.writes() == [] and fake_github.issues(REPO) == []
    assert fake_github.requests  # it did look


# --- workflow_dispatch: another repository, from the runner's own (http) GitHub ---------------------------------

LIB = [{"lib.py": "import yaml\n", "requirements.txt": "pyyaml\n"}, {"lib.py": "import yaml\n\nimport toml\n"}]


@pytest.fixture
def github_git(fake_github: FakeGitHub) -> Iterator[GitServer]:
    """The runner's GitHub as a git host (GITHUB_SERVER_URL), wanting the workflow's token like a private repo."""
    with GitServer(token=fake_github.token) as server:
        yield server


def test_workflow_dispatch_checks_another_repository(
    workspace_runner: Runner, fake_github: FakeGitHub, github_git: GitServer
) -> None:
    lib = github_git.create_repo("someone/lib", LIB, tags={"v1": 0})
    os.lchown(workspace_runner.workspace, RUNNER_UID, RUNNER_GID)  # no checkout step: empty, still the runner's
    payload = event_payload("workflow_dispatch", repository=REPO, ref="refs/heads/main")
    payload["inputs"] = {"repository": "someone/lib", "ref": "main"}
    inputs = {"mode": "no-pin", "repository": "someone/lib", "ref": "main"}  # as README's example passes them
    env = workspace_runner.env(
        "workflow_dispatch", payload, sha="0" * 40, server=github_git.base_url, api=fake_github.api_url, inputs=inputs
    )
    step = workspace_runner.run(env)

    assert step.code == 0 and step.lines("::warning") == []  # another repository's lines are not annotated here
    assert [m["package"] for m in json.loads(step.outputs["missing"])] == ["toml"]
    link = f"{github_git.base_url}/someone/lib/blob/{lib.head}/lib.py#L3"
    [issue] = fake_github.issues(REPO)
    assert link in step.summary and link in issue.body
    assert set(github_git.state.authorizations) == {basic_auth(fake_github.token)}  # the token, to that host only
    assert step.git_calls and all(github_git.host in call for call in step.git_calls if " fetch " in f" {call} ")
    assert_no_git_in(step, workspace_runner.workspace)
    assert list(workspace_runner.workspace.iterdir()) == []


def test_dispatch_inputs_the_step_does_not_pass_never_reach_the_action(
    workspace_runner: Runner, fake_github: FakeGitHub
) -> None:
    """A dispatch form with inputs named `repository` and `ref`: without `repository: ${{ inputs.repository }}`
    on the step, the workspace is checked, and nothing is cloned."""
    sha = workspace_runner.checkout(PROJECT)
    payload = event_payload("workflow_dispatch", repository=REPO, ref="refs/heads/main", default_branch="main")
    payload["inputs"] = {"repository": "someone/lib", "ref": "v1"}
    env = workspace_runner.env(
        "workflow_dispatch", payload, sha=sha, server=NOWHERE, api=fake_github.api_url, inputs={"mode": "no-pin"}
    )
    step = workspace_runner.run(env)

    assert step.code == 0 and step.git_calls == ()
    assert [m["package"] for m in json.loads(step.outputs["missing"])] == ["PyYAML"]
    [issue] = fake_github.issues(REPO)  # the workspace's own issue, on the default branch
    assert step.outputs["issue-number"] == str(issue.number) and "someone/lib" not in (issue.body or "")


# --- which events keep the issue, and which only report (issue 9) -----------------------------------------------

FIXED = {"requirements.txt": PROJECT["requirements.txt"] + "PyYAML\n"}
LABEL = ACTION["inputs"]["issue-labels"]["default"]


def seed_issue(fake: FakeGitHub, missing: tuple[str, ...] = ("PyYAML",), *, path: str = ".") -> int:
    """An open tracking issue of this workflow's step, as a push run on the default branch left it."""
    body = fit_body("### :warning: requirements.txt is missing packages", marker(issue_key(REPO, path)), missing)
    return fake.add_issue(REPO, "requirements.txt is out of sync with the code", body, labels=[LABEL])


def report_only_events() -> dict[str, tuple[str, dict[str, Any]]]:
    """Real payloads of every event that must leave the issue alone (default branch: main)."""
    fork = "someone/fork"
    return {
        "pull_request": ("pull_request", pull_request_payload(REPO, 2)),
        "fork pull_request": ("pull_request", pull_request_payload(REPO, 2, head_repository=fork)),
        "dependabot pull_request": ("pull_request", pull_request_payload(REPO, 2, author="dependabot[bot]")),
        # GitHub sends pull_request_target the pull_request payload; the token may write, the rule is the same
        "pull_request_target": ("pull_request_target", pull_request_payload(REPO, 2, head_repository=fork)),
        "merge_group": ("merge_group", event_payload("merge_group", repository=REPO, default_branch="main")),
        "tag push": ("push", event_payload("tag_push", repository=REPO, default_branch="main")),
        "push to a feature branch": (
            "push",
            event_payload("push", repository=REPO, ref="refs/heads/feature", default_branch="main"),
        ),
        "dispatch on a feature branch": (
            "workflow_dispatch",
            event_payload("workflow_dispatch", repository=REPO, ref="refs/heads/feature", default_branch="main"),
        ),
        "release": ("release", event_payload("release", repository=REPO, default_branch="main")),
    }


READ_ONLY_RUNS = frozenset({"fork pull_request", "dependabot pull_request"})


def run_event(runner: Runner, fake: FakeGitHub, event: str, payload: dict[str, Any], **inputs: str) -> Step:
    sha = runner.checkout({})
    return runner.run(
        runner.env(
            event, payload, sha=sha, server="https://github.com", api=fake.api_url, inputs={"mode": "no-pin", **inputs}
        )
    )


@pytest.mark.parametrize("case", list(report_only_events()))
def test_other_events_only_report_and_leave_the_issue_alone(
    workspace_runner: Runner, fake_github: FakeGitHub, case: str
) -> None:
    event, payload = report_only_events()[case]
    if case in READ_ONLY_RUNS:  # the token GitHub gives such a run, whatever the workflow's `permissions:`
        workspace_runner.token = fake_github.add_token("ghs_readOnlyByDesign", write=False).value
    number = seed_issue(fake_github)
    workspace_runner.checkout(PROJECT | FIXED)  # the PR fixes requirements.txt: the default branch is still broken
    step = run_event(workspace_runner, fake_github, event, payload)

    assert step.code == 0 and step.outputs["in-sync"] == "true" and ":white_check_mark:" in step.summary
    [why] = [line for line in step.out.splitlines() if line.startswith("tracking issue left alone: ")]
    assert event in why or "only reports" in why
    assert fake_github.writes() == [] and fake_github.issue(REPO, number).state == "open"
    assert (step.outputs["issue-number"], step.outputs["issue-url"]) == ("", "")
    assert step.lines("::error") == step.lines("::warning") == []


@pytest.mark.parametrize(("fail_on", "code"), [("never", 0), ("missing", 1)])
def test_on_a_pull_request_the_exit_status_follows_fail_on_alone(
    workspace_runner: Runner, fake_github: FakeGitHub, fail_on: str, code: int
) -> None:
    workspace_runner.checkout(PROJECT)
    step = run_event(
        workspace_runner, fake_github, "pull_request", pull_request_payload(REPO, 2), **{"fail-on": fail_on}
    )

    assert step.code == code and step.lines("::error") == [] and fake_github.writes() == []
    assert step.outputs["in-sync"] == "false" and len(step.lines("::warning")) == 2


def test_the_issue_branch_input_names_the_branch_that_keeps_the_issue(
    workspace_runner: Runner, fake_github: FakeGitHub
) -> None:
    workspace_runner.checkout(PROJECT)
    payload = event_payload("push", repository=REPO, ref="refs/heads/release", default_branch="main")
    step = run_event(workspace_runner, fake_github, "push", payload, **{"issue-branch": "release"})

    [issue] = fake_github.issues(REPO)
    assert step.outputs["issue-number"] == str(issue.number) and issue.state == "open"


def test_a_pull_request_marks_the_packages_it_makes_missing_and_keeps_one_comment(
    workspace_runner: Runner, fake_github: FakeGitHub
) -> None:
    tracking = seed_issue(fake_github, ("PyYAML",))  # the default branch already misses PyYAML
    pull = fake_github.add_issue(REPO, "Add a TOML reader", "", pull_request=True)
    workspace_runner.checkout(PROJECT | {"pkg/conf.py": "import toml\n"})
    payload = pull_request_payload(REPO, pull)
    step = run_event(workspace_runner, fake_github, "pull_request", payload, **{"pr-comment": "true"})

    assert (
        step.out.splitlines()[1]
        == "requirements.txt is missing 2 packages the code imports (1 new in this pull request)."
    )
    assert "| `toml` **new in this pull request** |" in step.summary and "| `PyYAML` |" in step.summary
    titles = {c.properties["title"] for c in step.commands if c.name == "warning"}
    assert titles == {"New in this pull request, missing from requirements.txt: toml", TITLE.format(package="PyYAML")}
    [comment] = fake_github.comments(REPO, pull)
    assert (
        comment.body.startswith("<!-- pipreqs-action pr-comment key=")
        and "**new in this pull request**" in comment.body
    )
    assert fake_github.comments(REPO, tracking) == [] and fake_github.issue(REPO, tracking).body.count("toml") == 0
    assert "new in this pull request: compared with the open tracking issue" in step.out  # no base tarball here
    next_push = run_event(workspace_runner, fake_github, "pull_request", payload, **{"pr-comment": "true"})
    [again] = fake_github.comments(REPO, pull)  # the next push to the PR (a new commit) edits the same comment
    assert again.id == comment.id and again.body != comment.body
    assert f"pull request comment: updated the comment on pull request #{pull}" in next_push.out.splitlines()


def test_a_pull_request_is_compared_with_its_base_commit_when_github_serves_it(
    workspace_runner: Runner, fake_github: FakeGitHub
) -> None:
    """The base commit is the truth: the tracking issue here is stale (it lists toml too), and the base commit,
    fetched as the host's tarball (actions/checkout leaves only the merge commit), misses PyYAML alone."""
    base = fake_github.add_commit(REPO, PROJECT)
    seed_issue(fake_github, ("PyYAML", "toml"))
    workspace_runner.checkout(PROJECT | {"pkg/conf.py": "import toml\n"})
    step = run_event(workspace_runner, fake_github, "pull_request", pull_request_payload(REPO, 2, base_sha=base))

    lines = step.out.splitlines()
    assert lines[1:3] == [
        "requirements.txt is missing 2 packages the code imports (1 new in this pull request).",
        f"new in this pull request: compared with its base commit {base[:12]}",
    ]
    assert "| `toml` **new in this pull request** |" in step.summary and "| `PyYAML` |" in step.summary
    fetched = [(r.path, r.status) for r in fake_github.requests if "tar" in r.path]
    assert fetched == [(f"/repos/{REPO}/tarball/{base}", 302), (f"/_codeload/{REPO}/legacy.tar.gz/{base}", 200)]
    assert fake_github.writes() == [] and step.git_calls == ()


@pytest.mark.parametrize("author", ["fork", "dependabot[bot]"])
def test_a_read_only_token_is_a_warning_and_fail_on_never_holds(
    tmp_path: Path, fake_github: FakeGitHub, author: str
) -> None:
    """GitHub gives fork and Dependabot pull requests a read-only token, whatever `permissions:` says."""
    fake_github.add_token("ghs_readOnlyPullRequestToken", write=False)
    runner = Runner(tmp_path / "github", "ghs_readOnlyPullRequestToken")
    pull = fake_github.add_issue(REPO, "Bump things", "", pull_request=True)
    payload = (
        pull_request_payload(REPO, pull, head_repository="someone/fork")
        if author == "fork"
        else pull_request_payload(REPO, pull, author=author)
    )
    payload["pull_request"]["base"]["sha"] = fake_github.add_commit(REPO, PROJECT)
    runner.checkout(PROJECT | {"pkg/conf.py": "import toml\n"})
    step = run_event(runner, fake_github, "pull_request", payload, **{"pr-comment": "true"})

    assert step.code == 0 and step.lines("::error") == []
    [warning] = [c for c in step.commands if c.name == "warning" and "file" not in c.properties]
    assert "read-only by GitHub's design" in warning.message and "pull request comment" in warning.message
    assert [r.status for r in fake_github.writes()] == [403] and fake_github.comments(REPO) == []
    assert "| `toml` **new in this pull request** |" in step.summary  # the read-only token reads the base


# --- an empty or wrong workspace never touches the issue ----------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "path"), [({}, "."), ({"tools/build.py": "import yaml\n", "srv/api/README": "x"}, "srv/api")]
)
def test_no_python_files_is_an_error_and_the_issue_stays(
    workspace_runner: Runner, fake_github: FakeGitHub, files: dict[str, str], path: str
) -> None:
    number = seed_issue(fake_github, path=path)
    workspace_runner.checkout(files)
    step = run_event(workspace_runner, fake_github, "push", event_payload("push", repository=REPO), path=path)

    assert step.code == 1
    [error] = step.lines("::error")
    assert error == f"::error::no Python files under path '{path}': did the job run actions/checkout?"
    assert fake_github.requests == [] and fake_github.issue(REPO, number).state == "open"


# --- the log: a verdict first, details folded, each thing said once ------------------------------------------------


def test_the_log_starts_with_a_verdict_and_folds_the_details(workspace_runner: Runner, fake_github: FakeGitHub) -> None:
    workspace_runner.checkout(PROJECT)
    step = run_event(workspace_runner, fake_github, "push", event_payload("push", repository=REPO))

    lines = step.out.splitlines()
    assert lines[0].startswith("::add-mask::")
    assert lines[1] == "requirements.txt is missing 1 package the code imports."
    assert lines.count(lines[1]) == 1 and not [line for line in lines if "is missing" in line and line != lines[1]]
    start, end = lines.index("::group::Report"), lines.index("::endgroup::")
    assert start < end and all(not line.startswith("::warning") for line in lines[start:end])
    assert lines[end + 1 :] == ["tracking issue: created issue #1"]


# --- nothing from the environment reaches what the Action writes ---------------------------------------------------

PLANTED = {
    "DEPLOY_TOKEN": "s3cr3tDeployToken0123456789abcdef",
    "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMIK7MDENGbPxRfiCYPLANTEDKEY",
    "PIP_INDEX_URL": "https://user:p1pIndexPassw0rdPlanted@pypi.internal/simple",
    "GITHUB_TOKEN": "ghs_plantedRunnerTokenNotAnInput000000",
}
REFERENCES = (
    "requests==2.31.0\n"
    "${DEPLOY_TOKEN}\n"
    "${AWS_SECRET_ACCESS_KEY}==1.0\n"
    "--extra-index-url https://__token__:${DEPLOY_TOKEN}@pypi.internal/simple\n"
    "private-lib @ https://${DEPLOY_TOKEN}@git.internal/lib.tar.gz\n"
)


def test_no_byte_from_the_environment_reaches_anything_the_action_writes(
    workspace_runner: Runner, fake_github: FakeGitHub
) -> None:
    """Secrets in the runner's environment, referenced from requirements files (`${VAR}`) of the checked tree:
    the log, the outputs, the summary, the issue, the PR comment and every request to GitHub stay clean."""
    pull = fake_github.add_issue(REPO, "Change", "", pull_request=True)
    workspace_runner.checkout(PROJECT | {"requirements.txt": REFERENCES, "extra/requirements-dev.txt": REFERENCES})
    written: list[str] = []
    for event, payload in (
        ("push", event_payload("push", repository=REPO)),
        ("pull_request", pull_request_payload(REPO, pull)),
    ):
        sha = workspace_runner.checkout({})
        inputs = {
            "mode": "no-pin",
            "pr-comment": "true",
            "requirements": "requirements.txt\nextra/requirements-dev.txt",
        }
        env = workspace_runner.env(
            event, payload, sha=sha, server=fake_github.web_url, api=fake_github.api_url, inputs=inputs
        )
        step = workspace_runner.run(env | PLANTED)
        assert step.code == 0 and step.outputs["in-sync"] == "false"
        files = [Path(env[name]).read_bytes().decode("utf-8") for name in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY")]
        written += [step.out, step.err, *files]
    [issue] = [i for i in fake_github.issues(REPO) if not i.pull_request]
    written += [issue.title, issue.body or "", *(c.body for c in fake_github.comments(REPO))]
    written += [json.dumps(r.body) + json.dumps(r.query) + r.path for r in fake_github.requests]

    assert len(fake_github.comments(REPO, pull)) == 1
    assert "${DEPLOY_TOKEN}\n" in step.outputs["requirements"]  # the line as written, never filled in
    everything = "\n".join(written)
    for name, value in PLANTED.items():
        assert value not in everything, name
        assert value[4:-4] not in everything, f"part of {name}"
