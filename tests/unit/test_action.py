"""The Action front door, in process: ``main(env)`` with a runner environment built from real webhook payloads,
against the contract-checked fake GitHub, a local git server and a PyPI stand-in. No test touches the internet.

What a workflow sees is read back with the runner's own rules (tests/unit/test_runner.py): the step's log as
workflow commands, GITHUB_OUTPUT as file commands, GITHUB_STEP_SUMMARY as markdown.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.events import actions_env, event_payload, schedule_event
from tests.fakegithub.server import FakeGitHub
from tests.git_server import GitServer, basic_auth
from tests.pypi_stub import PyPIStub
from tests.unit.test_runner import Command, parse_file_commands, runner_commands

from pipreqs_action import action, issue, source
from pipreqs_action.issue import MARKER

REPO = "octo/repo"
SHA = "5" * 40
OUT_OF_SYNC = {"app.py": "import requests\nimport yaml\n", "pkg/__init__.py": "", "pkg/util.py": "\n\nimport yaml\n"}
REQUIREMENTS = "requests\n"
NO_ISSUE = {"create-issue": "false", "close-when-fixed": "false"}  # no GitHub at all


@dataclass
class Step:
    """One run of the action: the environment the runner gave it and what it left behind."""

    env: dict[str, str]
    workspace: Path
    code: int | None = None
    out: str = ""
    err: str = ""

    @property
    def outputs(self) -> dict[str, str]:
        return parse_file_commands(Path(self.env["GITHUB_OUTPUT"]).read_text("utf-8"))

    @property
    def summary(self) -> str:
        return Path(self.env["GITHUB_STEP_SUMMARY"]).read_text("utf-8")

    @property
    def commands(self) -> list[Command]:
        return runner_commands(self.out)

    def annotations(self, kind: str) -> list[Command]:
        return [command for command in self.commands if command.name == kind]


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    return root


def make_step(
    tmp_path: Path,
    fake: FakeGitHub | None,
    inputs: Mapping[str, str],
    *,
    files: Mapping[str, str] | None = None,
    event: str = "push",
    payload: dict[str, Any] | None = None,
    server_url: str = "https://github.com",
) -> Step:
    """The step's environment: runner variables, the event file and INPUT_<NAME> with hyphens kept."""
    runner_dir = tmp_path / "runner"
    runner_dir.mkdir(exist_ok=True)
    workspace = write_tree(tmp_path / "workspace", {**OUT_OF_SYNC, "requirements.txt": REQUIREMENTS, **(files or {})})
    if payload is None:
        payload = schedule_event() if event == "schedule" else event_payload(event, repository=REPO, sha=SHA)
    api_url = fake.api_url if fake else "http://127.0.0.1:9"  # port 9 (discard): nothing listens
    env = actions_env(
        runner_dir,
        event,
        payload,
        repository=REPO,
        api_url=api_url,
        server_url=server_url,
        sha=SHA,
        workspace=workspace,
    )
    env.update({f"INPUT_{name.upper()}": value for name, value in inputs.items()})
    return Step(env, workspace)


def run(step: Step, capsys: pytest.CaptureFixture[str]) -> Step:
    step.code = action.main(step.env)
    step.out, step.err = capsys.readouterr()
    assert "Traceback" not in step.out + step.err
    return step


@pytest.fixture(autouse=True)
def quick_github(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyGithub's pauses between requests (GitHub's advice) cost seconds and prove nothing here."""
    connect = issue.connect
    monkeypatch.setattr(
        issue, "connect", lambda token, api_url: connect(token, api_url, request_interval=0, write_interval=0)
    )


def base_inputs(fake: FakeGitHub, **extra: str) -> dict[str, str]:
    return {"github-token": fake.token, "mode": "no-pin", **extra}


# --- a push: every channel carries the result ---------------------------------------------------------------------


def test_push_reports_in_outputs_summary_annotations_and_one_issue(tmp_path, fake_github, capsys) -> None:
    step = run(make_step(tmp_path, fake_github, base_inputs(fake_github)), capsys)

    assert step.code == 0  # fail-on defaults to never: the issue is the signal
    outputs = step.outputs
    report = json.loads(outputs["report"])
    assert outputs["in-sync"] == "false" and report["in_sync"] is False
    assert json.loads(outputs["missing"]) == report["missing"]
    assert [(m["package"], m["locations"]) for m in report["missing"]] == [
        ("PyYAML", [{"path": "app.py", "line": 2}, {"path": "pkg/util.py", "line": 3}])
    ]
    assert json.loads(outputs["unused"]) == report["unused"] == []
    assert outputs["requirements"] == report["requirements"] == "requests\nPyYAML\n"
    [made] = fake_github.issues(REPO)
    assert (outputs["issue-number"], outputs["issue-url"]) == (
        str(made.number),
        f"{fake_github.web_url}/{REPO}/issues/1",
    )
    assert made.body.startswith(MARKER) and made.labels == ["dependencies"]
    assert f"https://github.com/{REPO}/blob/{SHA}/pkg/util.py#L3" in step.summary
    assert f"https://github.com/{REPO}/blob/{SHA}/pkg/util.py#L3" in made.body


def test_a_warning_sits_at_each_import_line_of_a_missing_package(tmp_path, fake_github, capsys) -> None:
    files = {f"svc/{rel}": text for rel, text in OUT_OF_SYNC.items()} | {"svc/requirements.txt": REQUIREMENTS}
    step = run(make_step(tmp_path, None, {"path": "svc", "mode": "no-pin", **NO_ISSUE}, files=files), capsys)

    title = "Missing from requirements.txt: PyYAML"
    message = "'PyYAML' is imported but not declared"
    assert step.annotations("warning") == [
        Command("warning", {"title": title, "file": "svc/app.py", "line": "2"}, message),
        Command("warning", {"title": title, "file": "svc/pkg/util.py", "line": "3"}, message),
    ]
    assert f"/blob/{SHA}/svc/app.py#L2" in step.summary


@pytest.mark.parametrize(
    ("fail_on", "files", "code"),
    [
        ("never", {}, 0),
        ("missing", {}, 1),
        ("missing", {"requirements.txt": "requests\nPyYAML\nflask\n"}, 0),  # unused only
        ("any", {"requirements.txt": "requests\nPyYAML\nflask\n"}, 1),
        ("any", {"requirements.txt": "requests\nPyYAML\n"}, 0),
    ],
)
def test_exit_status_follows_fail_on(tmp_path, capsys, fail_on, files, code) -> None:
    inputs = {"fail-on": fail_on, "mode": "no-pin", **NO_ISSUE}
    step = run(make_step(tmp_path, None, inputs, files=files), capsys)
    assert step.code == code
    assert step.annotations("error") == []
    assert step.outputs["in-sync"] == ("true" if "PyYAML" in files.get("requirements.txt", "") else "false")


def test_the_token_is_masked_first_and_never_shown(tmp_path, fake_github, capsys) -> None:
    step = run(make_step(tmp_path, fake_github, base_inputs(fake_github)), capsys)

    assert step.out.splitlines()[0] == f"::add-mask::{fake_github.token}"
    assert step.out.count(fake_github.token) == 1
    everything = step.err + step.summary + Path(step.env["GITHUB_OUTPUT"]).read_text("utf-8")
    assert fake_github.token not in everything + "".join(i.body or "" for i in fake_github.issues(REPO))


def test_main_reads_os_environ_by_default(tmp_path, monkeypatch, capsys) -> None:
    step = make_step(tmp_path, None, {"mode": "no-pin", "fail-on": "missing", **NO_ISSUE})
    for name, value in step.env.items():
        monkeypatch.setenv(name, value)
    assert action.main() == 1
    assert parse_file_commands(Path(step.env["GITHUB_OUTPUT"]).read_text("utf-8"))["in-sync"] == "false"


# --- bad inputs and refusals: one line, no traceback --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("fail-on", "sometimes"),
        ("path", "../x"),
        ("path", "/etc"),
        ("requirements", "../secrets.txt"),
        ("mode", "exact"),
        ("dry-run", "maybe"),
        ("index-url", "ftp://mirror.example/pypi"),
    ],
)
def test_a_bad_input_is_one_error_naming_it(tmp_path, fake_github, capsys, name, value) -> None:
    step = run(make_step(tmp_path, fake_github, base_inputs(fake_github, **{name: value})), capsys)

    assert step.code == 1
    [error] = [c for c in step.commands if c.name != "add-mask"]
    assert error.name == "error" and error.message.startswith(f"{name}: ")
    assert len(step.out.splitlines()) == 2 and not step.err
    assert fake_github.requests == [] and step.outputs == {}


def test_a_path_that_is_not_there_is_one_error_in_log_and_summary(tmp_path, fake_github, capsys) -> None:
    step = run(make_step(tmp_path, fake_github, base_inputs(fake_github, path="nowhere")), capsys)

    assert step.code == 1
    [error] = step.annotations("error")
    assert error.message.startswith("path: ") and "nowhere" in error.message
    assert "could not run" in step.summary and fake_github.requests == []


def test_without_issues_write_one_error_and_the_result_still_arrives(tmp_path, fake_github, capsys) -> None:
    fake_github.add_token("ghs_readOnly", write=False)
    step = run(make_step(tmp_path, fake_github, base_inputs(fake_github, **{"github-token": "ghs_readOnly"})), capsys)

    assert step.code == 1
    [error] = step.annotations("error")
    assert "issues: write" in error.message and REPO in error.message
    assert step.outputs["in-sync"] == "false" and json.loads(step.outputs["missing"])[0]["package"] == "PyYAML"
    assert (step.outputs["issue-number"], step.outputs["issue-url"]) == ("", "")
    assert "PyYAML" in step.summary and fake_github.issues(REPO) == []


def test_dry_run_writes_nothing(tmp_path, fake_github, capsys) -> None:
    step = run(make_step(tmp_path, fake_github, base_inputs(fake_github, **{"dry-run": "true"})), capsys)
    assert "would create issue" in step.out
    number = fake_github.add_issue(REPO, "old", f"{MARKER}\nold", labels=["dependencies"])
    fixed = {"requirements.txt": "requests\nPyYAML\n"}
    again = run(make_step(tmp_path, fake_github, base_inputs(fake_github, **{"dry-run": "true"}), files=fixed), capsys)

    assert f"would close issue #{number}" in again.out and again.outputs["issue-number"] == str(number)
    assert fake_github.writes() == [] and fake_github.issue(REPO, number).state == "open"
    assert step.code == again.code == 0


# --- other events and other repositories ------------------------------------------------------------------------


def test_a_scheduled_run_pins_from_the_index_and_opens_the_issue(tmp_path, fake_github, pypi: PyPIStub, capsys) -> None:
    pypi.add_project("PyYAML", ["6.0.1", "6.0.2", "7.0.0rc1"])
    inputs = {"github-token": fake_github.token, "index-url": pypi.url}
    step = run(make_step(tmp_path, fake_github, inputs, event="schedule"), capsys)

    assert step.code == 0 and step.outputs["requirements"] == "requests\nPyYAML==6.0.2\n"
    assert "PyYAML==6.0.2" in fake_github.issues(REPO)[0].body
    assert all("authorization" not in seen.headers for seen in pypi.seen)  # the token goes to GitHub only


LIB_HISTORY = [{"lib.py": "import yaml\n", "requirements.txt": "pyyaml\n"}, {"lib.py": "\nimport toml\n"}]


@pytest.fixture
def private_git(fake_github: FakeGitHub) -> Iterator[GitServer]:
    """A git host that, like GitHub for a private repository, wants the workflow's token."""
    with GitServer(token=fake_github.token) as server:
        yield server


def dispatched(tmp_path, fake, server: GitServer, inputs: Mapping[str, str], event_inputs: Mapping[str, str]) -> Step:
    payload = event_payload("workflow_dispatch", repository=REPO, ref="refs/heads/main")
    payload["inputs"] = dict(event_inputs)
    return make_step(tmp_path, fake, inputs, event="workflow_dispatch", payload=payload, server_url=server.base_url)


def test_workflow_dispatch_checks_the_repository_input_at_its_ref(tmp_path, fake_github, private_git, capsys) -> None:
    private_git.create_repo("someone/lib", LIB_HISTORY, tags={"v1": 0})
    inputs = base_inputs(fake_github, repository="someone/lib", ref="v1")
    step = run(
        dispatched(tmp_path, fake_github, private_git, inputs, {"repository": "other/one", "ref": "main"}), capsys
    )

    assert step.code == 0 and step.outputs["in-sync"] == "true"  # v1 declares what it imports
    assert json.loads(step.outputs["unused"]) == []  # main's tip would leave pyyaml unused and toml missing
    assert private_git.state.paths and set(private_git.state.authorizations) == {basic_auth(fake_github.token)}
    assert fake_github.writes() == []


def test_workflow_dispatch_reads_the_repository_from_the_event(tmp_path, fake_github, private_git, capsys) -> None:
    lib = private_git.create_repo("someone/lib", LIB_HISTORY, tags={"v1": 0})
    step = run(
        dispatched(tmp_path, fake_github, private_git, base_inputs(fake_github), {"repository": "someone/lib"}), capsys
    )

    assert step.code == 0
    assert [m["package"] for m in json.loads(step.outputs["missing"])] == ["toml"]
    assert step.annotations("warning") == []  # lines of another repository are not this workflow's
    link = f"{private_git.base_url}/someone/lib/blob/{lib.head}/lib.py#L2"
    [made] = fake_github.issues(REPO)  # the issue lives with the workflow
    assert link in step.summary and link in made.body
    assert set(private_git.state.authorizations) == {basic_auth(fake_github.token)}


def test_http_is_refused_for_another_port_of_the_servers_host(tmp_path, fake_github, private_git, capsys) -> None:
    other = f"http://127.0.0.1:{fake_github.web_url.rsplit(':', 1)[1]}/someone/lib"
    step = run(dispatched(tmp_path, fake_github, private_git, base_inputs(fake_github, repository=other), {}), capsys)

    assert step.code == 1
    [error] = step.annotations("error")
    assert error.message.startswith("repository: http:// is refused")
    assert private_git.state.paths == [] and fake_github.requests == []


def test_a_repository_that_cannot_be_cloned_is_one_error(tmp_path, fake_github, private_git, capsys) -> None:
    step = run(
        dispatched(tmp_path, fake_github, private_git, base_inputs(fake_github, repository="someone/gone"), {}), capsys
    )

    assert step.code == 1
    [error] = step.annotations("error")
    assert "someone/gone" in error.message and "could not run" in step.summary


@contextlib.contextmanager
def _recorded_clone(
    calls: list[tuple[str, str | None]],
    root: Path,
    repo: source.RepoRef,
    ref: str | None,
    *,
    token: str | None = None,
    api_url: str | None = None,
) -> Iterator[source.Checkout]:
    calls.append((repo.url, token))
    yield source.Checkout(root=root, repository=repo.slug, ref=ref, commit=SHA)


@pytest.mark.parametrize(
    ("repository", "url", "gets_token", "web"),
    [
        ("octo/lib", "https://github.com/octo/lib.git", True, "https://github.com"),
        ("https://github.com/octo/lib", "https://github.com/octo/lib.git", True, "https://github.com"),
        ("https://ghes.example/octo/lib.git", "https://ghes.example/octo/lib.git", False, "https://ghes.example"),
    ],
)
def test_the_token_goes_only_to_the_runners_own_host(
    tmp_path, monkeypatch, capsys, repository, url, gets_token, web
) -> None:
    calls: list[tuple[str, str | None]] = []
    tree = write_tree(tmp_path / "clone", {"lib.py": "import yaml\n"})
    monkeypatch.setattr(source, "clone", lambda *a, **k: _recorded_clone(calls, tree, *a, **k))
    inputs = {"github-token": "ghs_secret", "repository": repository, "mode": "no-pin", **NO_ISSUE}
    step = run(make_step(tmp_path, None, inputs), capsys)

    assert calls == [(url, "ghs_secret" if gets_token else None)]
    assert f"]({web}/octo/lib/blob/{SHA}/lib.py#L1)" in step.summary


def test_the_pipreqs_api_is_asked_about_the_repository_as_given(tmp_path, monkeypatch, capsys) -> None:
    asked: list[tuple[str, str]] = []

    def fetch(api_url: str, code_url: str) -> str:
        asked.append((api_url, code_url))
        return "requests\nPyYAML\n"

    monkeypatch.setattr(source, "fetch_requirements_from_api", fetch)
    for repository in ("", "other/repo", "https://gitlab.example/group/repo"):
        inputs = {"api-url": "https://pipreqs.example/", "repository": repository, **NO_ISSUE}
        step = run(make_step(tmp_path, None, inputs | {"mode": "no-pin"}), capsys)
        assert json.loads(step.outputs["missing"])[0]["package"] == "PyYAML"
    assert asked == [
        ("https://pipreqs.example", f"https://github.com/{REPO}"),
        ("https://pipreqs.example", "https://github.com/other/repo"),
        ("https://pipreqs.example", "https://gitlab.example/group/repo"),
    ]


# --- the checked tree is untrusted ------------------------------------------------------------------------------


def test_file_names_from_the_tree_cannot_issue_workflow_commands(tmp_path, capsys) -> None:
    hostile = "bad\n::error::from a file name.py"
    step = make_step(tmp_path, None, {"mode": "no-pin", **NO_ISSUE}, files={hostile: "import yaml\n"})
    (step.workspace / "::add-mask::x.py").symlink_to("/etc/passwd")  # skipped: the reason line starts with its name
    (step.workspace / "::warning::nb.ipynb").write_text("{not json")
    step = run(step, capsys)

    assert "  - ::add-mask::x.py: " in step.out and "  - ::warning::nb.ipynb: " in step.out  # printed, as text
    names = [c.name for c in step.commands]
    assert names[:4] == ["warning", "warning", "warning", "stop-commands"] and len(names) == 5
    assert step.commands[4].name == step.commands[3].message  # resumed with the token, nothing in between
    assert {c.properties["file"] for c in step.annotations("warning")} == {"app.py", "pkg/util.py", hostile}


def test_the_action_leaves_the_workspace_as_it_found_it(tmp_path, capsys) -> None:
    step = make_step(tmp_path, None, {"mode": "no-pin", **NO_ISSUE})
    before = sorted((str(p), p.stat().st_mtime_ns) for p in step.workspace.rglob("*"))
    run(step, capsys)
    assert sorted((str(p), p.stat().st_mtime_ns) for p in step.workspace.rglob("*")) == before
