"""The action's image, run as GitHub's runner runs it (``harness.run_action_container``).

Run through ``python tests/container/run_container_test.py``, which builds the image and names it in
PIPREQS_ACTION_CONTAINER_IMAGE. ``test_runner_contract`` starts the image with ``probe.py`` in place of the
action to check what a step gets: user, working directory, mounts, environment (hyphenated input names too),
an untouched workspace owned by uid 1001 that git refuses until told it is safe, host loopback.

The scenarios run the real action (inputs from action.yml, as the runner derives them) on a sample project for
push, schedule and workflow_dispatch events against the fake GitHub on 127.0.0.1, and check what a workflow
sees: exit code, outputs (declared ones only), step summary, the tracking issue, nothing leaked or left behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from harness import (
    IMAGE_ENV,
    RUNNER_UID,
    STEP_SUMMARY_LIMIT,
    ActionSpec,
    ContainerRun,
    Engine,
    action_step,
    engine_from_env,
    git,
    github_env,
    load_action,
    make_workspace,
    run_action_container,
)
from tests.events import event_payload
from tests.fakegithub import FakeGitHub
from tests.pypi_stub import PyPIStub

PROBE = Path(__file__).with_name("probe.py")
ACTION_YML = Path(__file__).resolve().parents[2] / "action.yml"
METRICS_ENV = "PIPREQS_ACTION_CONTAINER_METRICS"
STUBBED_ENV = "PIPREQS_ACTION_CONTAINER_STUBBED"
MARKER = "<!-- pipreqs-action key="  # the tracking issue's hidden, keyed marker (pipreqs_action.issue.marker)
PYYAML = "6.0.1"  # the release the PyPI stand-in offers, so the suggested line is known
REPOSITORY = "octo/repo"
TOKEN = "ghs_containerTestToken0000000000000000"  # a fake, in GitHub's token shape
SAMPLE = {
    "app.py": "import requests\nimport yaml\n\nfrom sample import util\n",
    "sample/__init__.py": "",
    "sample/util.py": "import os\n",
    "requirements.txt": "requests==2.31.0\nflask==3.0.0\n",
}


@pytest.fixture(scope="session")
def image() -> str:
    name = os.environ.get(IMAGE_ENV)
    if not name:
        pytest.fail(f"no image: run `python tests/container/run_container_test.py` (it sets {IMAGE_ENV})")
    return name


@pytest.fixture(scope="session")
def engine() -> Engine:
    return engine_from_env()


@pytest.fixture
def sample_tree(tmp_path: Path) -> Path:
    root = tmp_path / "sample"
    for rel, text in SAMPLE.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


class _Ok(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def loopback_url() -> Iterator[str]:
    """A server on the host's 127.0.0.1: a container sees it only through --network host."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def record(test: str, run: ContainerRun) -> None:
    """Hand the run's duration to run_container_test.py's closing report."""
    if os.environ.get(METRICS_ENV):
        line = {"test": test, "seconds": run.seconds, "returncode": run.returncode}
        with Path(os.environ[METRICS_ENV]).open("a") as out:
            out.write(json.dumps(line) + "\n")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def not_runner_owned(root: Path) -> list[str]:
    """Paths in the workspace the container left behind as root (a later checkout step could not clean them)."""
    return [str(path.relative_to(root)) for path in root.rglob("*") if path.lstat().st_uid != RUNNER_UID]


def test_runner_contract(image: str, engine: Engine, sample_tree: Path, tmp_path: Path, loopback_url: str) -> None:
    workspace = tmp_path / "workspace"
    sha = make_workspace(sample_tree, workspace, repository=REPOSITORY)
    event = event_payload("push", repository=REPOSITORY, sha=sha, ref="refs/heads/main")
    inputs = {"INPUT_GITHUB-TOKEN": TOKEN, "INPUT_PATH": ".", "INPUT_FAIL-ON": "missing", "INPUT_EMPTY": ""}
    env = {
        **github_env(event_name="push", repository=REPOSITORY, sha=sha, ref="refs/heads/main", api_url=loopback_url),
        **inputs,
        "PROBE_URL": loopback_url,
    }

    run = run_action_container(
        image, workspace, env, event, engine=engine, entrypoint="/opt/venv/bin/python",
        args=["/github/home/probe.py"], home_files={"probe.py": PROBE.read_text()},
    )  # fmt: skip
    record("probe (runner contract)", run)

    assert run.returncode == 0, run.stderr
    out = run.outputs
    assert out["probe"] == "done"
    assert (out["uid"], out["cwd"], out["home"]) == ("0", "/github/workspace", "/github/home")
    assert out["python"] == "/opt/venv/bin/python"
    assert out["python_version"].startswith("3.11.")
    assert out["pipreqs_action"].startswith("/opt/venv/lib/python3.11/site-packages/")
    assert int(out["index_bytes"]) > 0  # built into the image, not at run time
    assert out["git_version"].startswith("git version ")
    assert out["workspace_uid"] == str(RUNNER_UID)
    assert out["git_plain_rc"] != "0" and "dubious ownership" in out["git_plain"]
    assert (out["git_safe_rc"], out["git_safe_head"]) == ("0", sha)
    assert out["event_keys"] == ",".join(sorted(event))
    assert json.loads(out["inputs"]) == {name: sha256(value) for name, value in inputs.items()}
    assert out["flags"] == "GITHUB_ACTIONS=true,CI=true,PYTHONDONTWRITEBYTECODE=1"
    assert out["loopback"] == "200"
    assert out["runner_temp_visible"] == "false"
    assert out["docker_sock"] == ("socket" if engine.docker_socket else "absent")
    assert run.summary.startswith("### probe\n") and "| uid | 0 |" in run.summary
    assert [(c.properties, c.message) for c in run.annotations("notice")] == [
        ({"title": "probe"}, "ran as uid 0 in /github/workspace")
    ]
    seen = run.stdout + run.stderr + run.summary + json.dumps(run.outputs) + " ".join(run.argv)
    assert TOKEN not in seen  # values travel in the environment only
    assert not_runner_owned(workspace) == []  # before git status, which may rewrite .git/index as root
    assert git("-c", f"safe.directory={workspace}", "status", "--porcelain", cwd=workspace) == ""


# --- the real action ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def action() -> ActionSpec:
    if os.environ.get(STUBBED_ENV):
        pytest.skip(f"smoke build: the image has stand-ins for {os.environ[STUBBED_ENV]}, not the action")
    if not ACTION_YML.is_file():
        pytest.fail(f"{ACTION_YML} is missing: the scenarios run the action as action.yml declares it")
    return load_action(ACTION_YML)


@pytest.fixture
def index_url() -> Iterator[str]:
    """PyPI's JSON API on 127.0.0.1 (the action looks up versions for the lines it suggests)."""
    with PyPIStub() as pypi:
        pypi.add_project("PyYAML", ["5.4.1", PYYAML])
        pypi.add_project("requests", ["2.31.0"])
        pypi.add_project("Flask", ["3.0.0"])
        yield pypi.url


def run_action(
    event_name: str, with_: dict[str, str], *, image: str, engine: Engine, action: ActionSpec, workspace: Path,
    sample_tree: Path, fake: FakeGitHub,
) -> ContainerRun:  # fmt: skip
    """One workflow step `uses: ./` with `with_` on a checkout of the sample, on the given event."""
    ref = "refs/heads/main"
    sha = make_workspace(sample_tree, workspace, repository=REPOSITORY)
    event = event_payload(event_name, repository=REPOSITORY, ref=ref, sha=sha, default_branch="main")  # issue runs
    context = github_env(
        event_name=event_name, repository=REPOSITORY, sha=sha, ref=ref, api_url=fake.api_url, server_url=fake.web_url
    )
    step_env, entrypoint, args = action_step(action, with_, {"github.token": fake.token})
    run = run_action_container(
        image, workspace, {**context, **step_env}, event, engine=engine, entrypoint=entrypoint, args=args
    )
    record(f"action on {event_name}{' (dry-run)' if with_.get('dry-run') == 'true' else ''}", run)
    return run


def packages(output: str) -> list[str]:
    """Package names of the `missing` / `unused` outputs (JSON lists)."""
    return sorted(item["package"] if isinstance(item, dict) else str(item) for item in json.loads(output))


def assert_clean_step(run: ContainerRun, action: ActionSpec, workspace: Path, token: str) -> None:
    """What holds for every run: declared outputs only, no secret anywhere, the checkout left as it was."""
    assert set(run.outputs) <= set(action.outputs), f"outputs not declared in action.yml: {sorted(run.outputs)}"
    assert len(run.summary.encode()) <= STEP_SUMMARY_LIMIT  # the runner refuses a bigger step summary
    assert token in run.masked()  # registered as a secret before anything could print it
    assert token not in run.log() + run.summary + json.dumps(run.outputs)
    assert not_runner_owned(workspace) == []
    assert git("-c", f"safe.directory={workspace}", "status", "--porcelain", cwd=workspace) == ""


def assert_reported_pyyaml(run: ContainerRun) -> None:
    assert run.returncode == 0, run.stdout + run.stderr  # fail-on defaults to never: the issue is the signal
    assert run.outputs["in-sync"] == "false"
    assert packages(run.outputs["missing"]) == ["PyYAML"]
    assert [name.lower() for name in packages(run.outputs["unused"])] == ["flask"]
    assert f"PyYAML=={PYYAML}" in run.outputs["requirements"].splitlines()
    assert json.loads(run.outputs["report"])  # the whole report, as JSON
    assert "PyYAML" in run.summary
    warnings = [
        (c.properties.get("file"), c.properties.get("line"), c.properties.get("title"))
        for c in run.annotations("warning")
    ]
    assert warnings == [("app.py", "2", "Missing from requirements.txt: PyYAML")]  # `import yaml` is line 2


@pytest.mark.parametrize("event_name", ["push", "schedule", "workflow_dispatch"])
def test_action_reports_the_missing_package(
    event_name: str, image: str, engine: Engine, action: ActionSpec, sample_tree: Path, tmp_path: Path,
    fake_github: FakeGitHub, index_url: str,
) -> None:  # fmt: skip
    workspace = tmp_path / "workspace"
    run = run_action(
        event_name, {"index-url": index_url}, image=image, engine=engine, action=action, workspace=workspace,
        sample_tree=sample_tree, fake=fake_github,
    )  # fmt: skip

    assert_reported_pyyaml(run)
    assert_clean_step(run, action, workspace, fake_github.token)
    ours = [issue for issue in fake_github.issues(REPOSITORY) if MARKER in (issue.body or "")]
    assert [(str(issue.number), issue.state, "PyYAML" in (issue.body or "")) for issue in ours] == [
        (run.outputs["issue-number"], "open", True)
    ]
    assert run.outputs["issue-url"].endswith(f"/{REPOSITORY}/issues/{run.outputs['issue-number']}")


def test_dry_run_writes_nothing_to_github(
    image: str, engine: Engine, action: ActionSpec, sample_tree: Path, tmp_path: Path, fake_github: FakeGitHub,
    index_url: str,
) -> None:  # fmt: skip
    workspace = tmp_path / "workspace"
    run = run_action(
        "push", {"index-url": index_url, "dry-run": "true"}, image=image, engine=engine, action=action,
        workspace=workspace, sample_tree=sample_tree, fake=fake_github,
    )  # fmt: skip

    assert_reported_pyyaml(run)
    assert fake_github.writes() == []
    assert_clean_step(run, action, workspace, fake_github.token)
