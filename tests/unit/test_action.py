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
from tests.events import actions_env, event_payload, pull_request_payload, schedule_event
from tests.fakegithub.server import FakeGitHub
from tests.git_server import GitServer, basic_auth
from tests.pypi_stub import PyPIStub
from tests.unit.test_runner import Command, parse_file_commands, runner_commands

from pipreqs_action import action
from pipreqs_action.github import issue, runner
from pipreqs_action.github import issue as issue_module
from pipreqs_action.github.issue import MARKER
from pipreqs_action.model import Location, Missing, Report, Skipped
from pipreqs_action.sources import source

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
    assert made.body.startswith("<!-- pipreqs-action key=") and made.labels == ["pipreqs-action"]
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


@pytest.mark.parametrize(("fail_on", "code"), [("never", 0), ("missing", 1)])
def test_a_read_only_token_on_a_push_is_a_warning_and_fail_on_decides(tmp_path, fake_github, capsys, fail_on, code):
    """A workflow with `permissions: issues: read`: GitHub answers 403 to the write; the steering team's rule
    makes that a warning saying the token is read-only, and the exit status is fail-on's alone."""
    fake_github.add_token("ghs_readOnly", write=False)
    inputs = base_inputs(fake_github, **{"github-token": "ghs_readOnly", "fail-on": fail_on})
    step = run(make_step(tmp_path, fake_github, inputs), capsys)

    assert step.code == code and step.annotations("error") == []
    [warning] = [w for w in step.annotations("warning") if "file" not in w.properties]
    assert warning.message.startswith("tracking issue left alone: this run's token is read-only for issues here: ")
    assert "`permissions: issues: write`" in warning.message and REPO in warning.message
    assert step.outputs["in-sync"] == "false" and json.loads(step.outputs["missing"])[0]["package"] == "PyYAML"
    assert (step.outputs["issue-number"], step.outputs["issue-url"]) == ("", "")
    assert "PyYAML" in step.summary and fake_github.issues(REPO) == []
    assert [(r.method, r.status) for r in fake_github.writes()] == [("POST", 403)]


def test_a_pr_comment_refused_on_a_same_repository_pr_is_a_warning(tmp_path, fake_github, capsys) -> None:
    """`pr-comment: true` with `permissions: pull-requests: read`: the comment is left out with a warning that says
    the token is read-only for pull requests, and the run goes on (the report still arrives; fail-on decides)."""
    fake_github.add_token("ghs_readOnly", write=False)
    pull = fake_github.add_issue(REPO, "Change", "", pull_request=True)
    inputs = base_inputs(fake_github, **{"github-token": "ghs_readOnly", "pr-comment": "true"})
    step = run(
        make_step(tmp_path, fake_github, inputs, event="pull_request", payload=pull_request_payload(REPO, pull)), capsys
    )

    assert step.code == 0 and step.annotations("error") == []
    [warning] = [w for w in step.annotations("warning") if "file" not in w.properties]
    assert warning.message.startswith("pull request comment left out: this run's token is read-only for pull requests")
    assert "`permissions: pull-requests: write`" in warning.message and fake_github.comments(REPO) == []
    assert step.outputs["in-sync"] == "false"


def test_a_bad_token_is_still_an_error(tmp_path, fake_github, capsys) -> None:
    step = run(make_step(tmp_path, fake_github, base_inputs(fake_github, **{"github-token": "ghs_revoked"})), capsys)

    assert step.code == 1
    [error] = step.annotations("error")
    assert "GitHub rejected the token (401" in error.message and step.outputs["in-sync"] == "false"


def test_dry_run_writes_nothing(tmp_path, fake_github, capsys) -> None:
    step = run(make_step(tmp_path, fake_github, base_inputs(fake_github, **{"dry-run": "true"})), capsys)
    assert "would create issue" in step.out
    number = fake_github.add_issue(REPO, "old", f"{MARKER}\nold", labels=["dependencies"], user=issue.LEGACY_CREATOR)
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


def test_dispatch_inputs_reach_the_action_only_through_its_inputs(tmp_path, fake_github, private_git, capsys) -> None:
    private_git.create_repo("someone/lib", LIB_HISTORY, tags={"v1": 0})
    step = run(
        dispatched(tmp_path, fake_github, private_git, base_inputs(fake_github), {"repository": "someone/lib"}), capsys
    )

    assert step.code == 0 and private_git.state.paths == []  # the event's `repository` input is not ours
    assert [m["package"] for m in json.loads(step.outputs["missing"])] == ["PyYAML"]  # the workspace was checked


def test_another_repository_is_checked_when_the_workflow_passes_it(tmp_path, fake_github, private_git, capsys) -> None:
    lib = private_git.create_repo("someone/lib", LIB_HISTORY, tags={"v1": 0})
    inputs = base_inputs(fake_github, repository="someone/lib")
    step = run(dispatched(tmp_path, fake_github, private_git, inputs, {"repository": "someone/lib"}), capsys)

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
    assert names == ["warning", "warning", "warning", "group", "stop-commands", names[5], "endgroup"]
    assert step.commands[5].name == step.commands[4].message  # resumed with the token, nothing in between
    assert {c.properties["file"] for c in step.annotations("warning")} == {"app.py", "pkg/util.py", hostile}


def test_the_action_leaves_the_workspace_as_it_found_it(tmp_path, capsys) -> None:
    step = make_step(tmp_path, None, {"mode": "no-pin", **NO_ISSUE})
    before = sorted((str(p), p.stat().st_mtime_ns) for p in step.workspace.rglob("*"))
    run(step, capsys)
    assert sorted((str(p), p.stat().st_mtime_ns) for p in step.workspace.rglob("*")) == before


# --- one issue per project: the keyed marker ----------------------------------------------------------------------

MONOREPO = {
    "api/app.py": "import yaml\n",
    "api/requirements.txt": "requests\n",
    "web/app.py": "import toml\n",
    "web/requirements.txt": "requests\n",
}


def test_two_steps_with_different_paths_keep_two_issues(tmp_path, fake_github, capsys) -> None:
    for _ in range(2):  # and the second round changes nothing
        for path in ("api", "web"):
            run(make_step(tmp_path, fake_github, base_inputs(fake_github, path=path), files=MONOREPO), capsys)

    issues = fake_github.issues(REPO)
    assert [(i.number, i.state) for i in issues] == [(1, "open"), (2, "open")]
    assert ["`PyYAML`" in (i.body or "") for i in issues] == [True, False]
    assert ["`toml`" in (i.body or "") for i in issues] == [False, True]
    assert issues[0].body.partition("\n")[0] != issues[1].body.partition("\n")[0]


def test_the_issue_key_input_lets_steps_share_or_split_an_issue(tmp_path, fake_github, capsys) -> None:
    for path in ("api", "web"):
        inputs = base_inputs(fake_github, path=path, **{"issue-key": "monorepo"})
        run(make_step(tmp_path, fake_github, inputs, files=MONOREPO), capsys)

    [issue] = fake_github.issues(REPO)  # one issue, last written by the `web` step
    assert "`toml`" in (issue.body or "") and issue.body.startswith(
        issue_module.marker(issue_module.issue_key("monorepo"))
    )


def test_checking_another_repository_keeps_its_own_issue(tmp_path, fake_github, private_git, capsys) -> None:
    private_git.create_repo("someone/lib", LIB_HISTORY, tags={"v1": 0})
    run(make_step(tmp_path, fake_github, base_inputs(fake_github)), capsys)  # the workflow's own repository
    other = base_inputs(fake_github, repository="someone/lib")
    run(dispatched(tmp_path, fake_github, private_git, other, {}), capsys)
    run(
        make_step(tmp_path, fake_github, base_inputs(fake_github), files={"requirements.txt": "requests\nPyYAML\n"}),
        capsys,
    )

    own, lib = fake_github.issues(REPO)
    assert (own.state, "PyYAML" in (own.body or "")) == ("closed", True)  # its own fix closes only its own issue
    assert (lib.state, "`toml`" in (lib.body or "")) == ("open", True)


def test_an_issue_with_the_old_bare_marker_is_adopted_once(tmp_path, fake_github, capsys) -> None:
    title = "requirements.txt is out of sync with the code"
    old = fake_github.add_issue(REPO, title, f"{MARKER}\nold", labels=["dependencies"], user=issue.LEGACY_CREATOR)
    fake_github.add_issue(REPO, "Bump requests", f"{MARKER}\nnot ours", labels=["dependencies"], pull_request=True)
    first = run(make_step(tmp_path, fake_github, base_inputs(fake_github)), capsys)
    fake_github.clear_requests()
    again = run(make_step(tmp_path, fake_github, base_inputs(fake_github)), capsys)

    adopted = fake_github.issue(REPO, old)
    assert len([i for i in fake_github.issues(REPO) if not i.pull_request]) == 1
    assert first.outputs["issue-number"] == again.outputs["issue-number"] == str(old)
    assert adopted.body.startswith("<!-- pipreqs-action key=") and adopted.labels == ["dependencies", "pipreqs-action"]
    assert fake_github.writes() == []  # found by its new marker and label: nothing left to adopt
    assert [r.query.get("labels") for r in fake_github.requests if r.path.endswith("/issues")] == ["pipreqs-action"]


def test_looking_for_an_old_issue_lists_ours_not_dependabots(tmp_path, fake_github, capsys) -> None:
    """Until our keyed issue exists (a project in sync never opens one), every run looks for an old issue to
    adopt; Dependabot's hundreds of `dependencies` pull requests must not be listed each time."""
    for n in range(250):
        fake_github.add_issue(REPO, f"Bump dep{n}", "Bumps dep", labels=["dependencies"], pull_request=True)
    fixed = {"requirements.txt": "requests\nPyYAML\n"}
    step = run(make_step(tmp_path, fake_github, base_inputs(fake_github), files=fixed), capsys)

    listings = [r for r in fake_github.requests if r.method == "GET" and r.path.endswith("/issues")]
    assert step.code == 0 and fake_github.writes() == []
    assert [(r.query["labels"], r.query.get("creator")) for r in listings] == [
        ("pipreqs-action", None),
        ("dependencies", issue.LEGACY_CREATOR),
    ]


def test_listing_asks_for_our_label_only(tmp_path, fake_github, capsys) -> None:
    for n in range(30):
        fake_github.add_issue(REPO, f"Bump dependency {n}", "", labels=["dependencies"], pull_request=True)
    run(make_step(tmp_path, fake_github, base_inputs(fake_github, **{"issue-labels": "deps-check"})), capsys)
    fake_github.clear_requests()
    run(make_step(tmp_path, fake_github, base_inputs(fake_github, **{"issue-labels": "deps-check"})), capsys)

    listings = [r for r in fake_github.requests if r.method == "GET" and r.path.endswith("/issues")]
    assert [r.query["labels"] for r in listings] == ["deps-check"]


# --- GitHub's limits ----------------------------------------------------------------------------------------------


def test_ten_warnings_at_most_spread_over_packages_the_rest_in_the_summary(tmp_path, capsys) -> None:
    files = {f"m{n}.py": "import yaml\nimport toml\nimport attr\n" for n in range(6)}
    step = run(make_step(tmp_path, None, {"mode": "no-pin", **NO_ISSUE}, files=files), capsys)

    warnings = step.annotations("warning")
    packages = [w.properties["title"].rpartition(" ")[2] for w in warnings]
    assert len(warnings) == 10 and sorted(packages[:3]) == ["PyYAML", "attrs", "toml"]
    assert [packages.count(p) for p in packages[:3]] == [4, 3, 3]  # then a second line of each, in turn
    report = json.loads(step.outputs["report"])
    total = sum(len(m["locations"]) for m in report["missing"])
    assert f"{total - 10} more importing lines" in step.summary
    shown = {(w.properties["file"], int(w.properties["line"])) for w in warnings}
    listed = {(loc["path"], loc["line"]) for m in report["missing"] for loc in m["locations"]} - shown
    assert all(f"/blob/{SHA}/{path}#L{line})" in step.summary for path, line in listed)


def test_every_project_of_a_monorepo_is_annotated_in_its_manifests_terms(tmp_path, capsys) -> None:
    files = {
        "services/api/requirements.txt": "flask\n",
        "services/api/app.py": "import flask\nimport redis\n",
        "services/worker/pyproject.toml": '[project]\nname = "worker"\nversion = "1"\ndependencies = []\n',
        "services/worker/worker/tasks.py": "import celery\n",
    }
    step = run(make_step(tmp_path, None, {"mode": "no-pin", **NO_ISSUE}, files=files), capsys)

    titled = {(w.properties["title"], w.properties["file"]) for w in step.annotations("warning")}
    assert titled == {
        ("Missing from requirements.txt: PyYAML", "app.py"),
        ("Missing from requirements.txt: PyYAML", "pkg/util.py"),
        ("Missing from services/api/requirements.txt: redis", "services/api/app.py"),
        ("Missing from services/worker/pyproject.toml: celery", "services/worker/worker/tasks.py"),
    }


def test_a_pull_request_marks_new_packages_in_every_project(tmp_path, fake_github, capsys) -> None:
    base_files = {
        **OUT_OF_SYNC,
        "requirements.txt": REQUIREMENTS,
        "services/api/requirements.txt": "flask\n",
        "services/api/app.py": "import flask\nimport redis\n",
    }
    base = fake_github.add_commit(REPO, base_files)
    files = {**base_files, "services/api/jobs.py": "import celery\n"}
    payload = pull_request_payload(REPO, 5, base_sha=base)
    step = run(
        make_step(tmp_path, fake_github, base_inputs(fake_github), files=files, event="pull_request", payload=payload),
        capsys,
    )

    titles = {w.properties["title"] for w in step.annotations("warning")}
    assert titles == {
        "Missing from requirements.txt: PyYAML",
        "Missing from services/api/requirements.txt: redis",
        "New in this pull request, missing from services/api/requirements.txt: celery",
    }
    project = step.summary.partition("## Project `services/api/`")[2]
    assert "| `celery` **new in this pull request** |" in project and "| `redis` |" in project
    assert fake_github.writes() == []


def test_the_issue_remembers_what_every_project_misses_for_pull_requests(tmp_path, fake_github, capsys) -> None:
    """The issue's hidden list is the fallback when a PR's base cannot be read: it holds every project's packages,
    so a PR run does not call a project's old finding new."""
    files = {"services/api/requirements.txt": "flask\n", "services/api/app.py": "import flask\nimport redis\n"}
    run(make_step(tmp_path, fake_github, base_inputs(fake_github), files=files), capsys)
    [tracking] = fake_github.issues(REPO)
    assert issue.listed_missing(tracking.body or "") == {"PyYAML", "redis"}

    pr = pull_request_payload(REPO, 5)  # its base commit is not served: the issue's list answers
    step = run(
        make_step(tmp_path, fake_github, base_inputs(fake_github), files=files, event="pull_request", payload=pr),
        capsys,
    )
    assert "new in this pull request: compared with the open tracking issue" in step.out
    assert not [w for w in step.annotations("warning") if w.properties.get("title", "").startswith("New ")]


def test_a_summary_over_the_limit_is_cut_at_a_line_with_a_note(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(runner, "MAX_SUMMARY_BYTES", 2_000)
    files = {f"bad/{'x' * 60}_{n}.py": "print 'python 2'\n" for n in range(60)}
    step = run(make_step(tmp_path, None, {"mode": "no-pin", **NO_ISSUE}, files=files), capsys)

    summary = step.summary.encode("utf-8")
    assert len(summary) <= 2_000 and step.summary.endswith(
        "1 MiB limit for a step summary; the `report` output has more._\n"
    )
    assert len(json.loads(step.outputs["report"])["skipped"]) == 60  # the outputs still hold everything


def test_outputs_over_the_limit_drop_skipped_files_first_and_say_so(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(runner, "MAX_OUTPUT_BYTES", 160_000)
    files = {f"bad/{'x' * 60}_{n}.py": "print 'python 2'\n" for n in range(200)}
    step = run(make_step(tmp_path, None, {"mode": "no-pin", **NO_ISSUE}, files=files), capsys)

    report = json.loads(step.outputs["report"])
    assert report["skipped"] == [] and report["missing"][0]["package"] == "PyYAML"
    assert "200 skipped files left out" in report["warnings"][-1]
    assert sum(len(value.encode()) for value in step.outputs.values()) <= 160_000
    assert "200 files" not in step.summary and len(step.summary) > 10_000  # the summary keeps them


def huge_report(skipped: int, locations: int) -> Report:
    """What a very large tree gives: thousands of unreadable files and a package imported from everywhere."""
    reason = "not valid Python 3 (line 2: Missing parentheses in call to 'print'. Did you mean print(...)?)"
    spots = tuple(Location(f"src/{'deep/' * 8}module_{n}.py", n + 1) for n in range(locations))
    return Report(
        missing=(Missing("PyYAML", ("yaml",), spots), Missing("toml", ("toml",), spots[:3])),
        unused=(),
        skipped=tuple(Skipped(f"legacy/{'old_' * 10}{n}.py", reason) for n in range(skipped)),
        requirements="requests\nPyYAML\ntoml\n",
        declared_sources=("requirements.txt",),
        files_scanned=skipped + locations,
    )


def test_at_githubs_real_limits_summary_outputs_and_annotations_hold(tmp_path, monkeypatch, capsys) -> None:
    """GitHub's real limits (1 MiB summary, 1 MB outputs, 10 warnings), not lowered ones: the engine is replaced
    by a report as large as a huge tree gives, which no test tree could produce quickly."""
    monkeypatch.setattr(action.pipeline, "run", lambda settings: huge_report(20_000, 5_000))
    step = run(make_step(tmp_path, None, {"mode": "no-pin", "fail-on": "missing", **NO_ISSUE}), capsys)

    assert step.code == 1 and len(step.annotations("warning")) == 10
    summary = Path(step.env["GITHUB_STEP_SUMMARY"]).read_bytes()
    assert 1024 * 1024 - 1_000 < len(summary) <= 1024 * 1024
    assert summary.decode().endswith("1 MiB limit for a step summary; the `report` output has more._\n")
    outputs = Path(step.env["GITHUB_OUTPUT"]).read_bytes()
    assert len(outputs) <= 1_000_000
    report = json.loads(step.outputs["report"])
    assert report["skipped"] == [] and "20000 skipped files left out" in report["warnings"][0]
    assert [len(m["locations"]) for m in report["missing"]] == [5, 3]
    assert "beyond five per package" in report["warnings"][1]


# --- where the code sits: checkout path, notebooks, tokens -----------------------------------------------------------


def test_a_checkout_into_a_subfolder_keeps_annotations_and_links_repository_relative(tmp_path, capsys) -> None:
    files = {f"src/{rel}": text for rel, text in OUT_OF_SYNC.items()} | {"src/requirements.txt": REQUIREMENTS}
    step = make_step(tmp_path, None, {"path": "src", "mode": "no-pin", **NO_ISSUE}, files=files)
    (step.workspace / "src" / ".git").mkdir()  # actions/checkout with `path: src`
    step = run(step, capsys)

    assert {w.properties["file"] for w in step.annotations("warning")} == {"app.py", "pkg/util.py"}
    assert f"/{REPO}/blob/{SHA}/pkg/util.py#L3" in step.summary and "/src/pkg" not in step.summary


def test_notebook_links_point_at_the_source_line(tmp_path, capsys) -> None:
    cell = {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": ["import seaborn\n"]}
    notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    files = {"nb/explore.ipynb": json.dumps(notebook, indent=1)}
    step = run(make_step(tmp_path, None, {"mode": "no-pin", **NO_ISSUE}, files=files), capsys)

    [line] = [
        loc["line"] for m in json.loads(step.outputs["missing"]) if m["package"] == "seaborn" for loc in m["locations"]
    ]
    assert f"/blob/{SHA}/nb/explore.ipynb?plain=1#L{line})" in step.summary
    assert json.dumps(notebook, indent=1).splitlines()[line - 1].strip().startswith('"import seaborn')


def test_the_repository_token_clones_and_the_github_token_keeps_the_issue(tmp_path, fake_github, capsys) -> None:
    with GitServer(token="ghp_cloneOnly") as server:
        server.create_repo("someone/lib", LIB_HISTORY)
        inputs = base_inputs(fake_github, repository="someone/lib", **{"repository-token": "ghp_cloneOnly"})
        step = run(dispatched(tmp_path, fake_github, server, inputs, {}), capsys)
        assert set(server.state.authorizations) == {basic_auth("ghp_cloneOnly")}
    assert step.code == 0 and fake_github.issues(REPO)[0].state == "open"
    assert step.out.count("ghp_cloneOnly") == 1 and "::add-mask::ghp_cloneOnly" in step.out


def test_a_private_repository_out_of_reach_names_the_real_cause(tmp_path, fake_github, capsys) -> None:
    with GitServer(token="ghp_onlyThisOneReads") as server:
        server.create_repo("someone/private", LIB_HISTORY)
        step = run(
            dispatched(tmp_path, fake_github, server, base_inputs(fake_github, repository="someone/private"), {}),
            capsys,
        )

    assert step.code == 1
    [error] = step.annotations("error")
    assert "GITHUB_TOKEN can read only octo/repo" in error.message and "`repository-token`" in error.message
    assert fake_github.writes() == []
