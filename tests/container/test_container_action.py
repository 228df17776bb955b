"""The action's image, run as GitHub's runner runs it (``harness.run_action_container``).

Run through ``python tests/container/run_container_test.py``, which builds the image and names it in
PIPREQS_ACTION_CONTAINER_IMAGE. ``test_runner_contract`` starts the image with ``probe.py`` in place of the
action to check what a step gets: user, working directory, mounts, environment (hyphenated input names too),
an untouched workspace owned by uid 1001 that git refuses until told it is safe, host loopback.

The scenarios run the real action (inputs from action.yml, as the runner derives them) on a sample project for
push, schedule and workflow_dispatch events against the fake GitHub on 127.0.0.1, and check what a workflow
sees: exit code, outputs (declared ones only), step summary, the tracking issue, nothing leaked or left behind.
Then: the `repository` input through the host's tarball (the image has no git), a `uses: docker://` step (no
action.yml defaults: the token from GITHUB_TOKEN), and the release: the image pushed to the registry on
127.0.0.1, action.yml rewritten by scripts/release_action_yml.py, the image pulled by that reference and run.
Last, the same image as the HTTP API: `serve`, asked for a repository on a local forge, then stopped.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import tomllib
from harness import (
    IMAGE_ENV,
    RUNNER_UID,
    STEP_SUMMARY_LIMIT,
    ActionSpec,
    ContainerRun,
    Engine,
    action_step,
    chown_tree,
    engine_from_env,
    git,
    github_env,
    image_id,
    image_size,
    load_action,
    make_workspace,
    pull_action_image,
    push_image,
    run_action_container,
)
from tests.events import event_payload
from tests.fakegithub import FakeGitHub
from tests.pypi_stub import PyPIStub

PROBE = Path(__file__).with_name("probe.py")
ACTION_YML = Path(__file__).resolve().parents[2] / "action.yml"
METRICS_ENV = "PIPREQS_ACTION_CONTAINER_METRICS"
STUBBED_ENV = "PIPREQS_ACTION_CONTAINER_STUBBED"
REGISTRY_ENV = "PIPREQS_ACTION_CONTAINER_REGISTRY"  # 127.0.0.1:PORT of the registry run_container_test.py started
MARKER = "<!-- pipreqs-action key="  # the tracking issue's hidden, keyed marker (pipreqs_action.github.issue.marker)
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
    assert int(out["index_bytes"]) > 0  # shipped inside the package, never built at run time
    assert out["git_version"] == "absent"  # no git (nor perl): `repository` downloads the host's tarball
    assert (out["shell"], out["pip"], out["pigar_database"]) == ("absent", "absent", "absent")
    assert out["workspace_uid"] == str(RUNNER_UID)
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


def test_image_size_is_at_most_150_mb(image: str, engine: Engine) -> None:
    """`podman images` shows the size in decimal MB; the image GitHub's runner pulls is this one."""
    assert image_size(engine, image) <= 150_000_000


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "projects"
_COMPARE = """
import json, os, subprocess, sys
reports = {}
for name in sorted(os.listdir("/projects")):
    if os.path.isdir(f"/projects/{name}"):
        argv = ["/opt/venv/bin/pipreqs-action", "check", "--offline", "--format", "json", f"/projects/{name}"]
        done = subprocess.run(argv, capture_output=True, text=True)
        reports[name] = [done.returncode, done.stdout.replace(f"/projects/{name}", "ROOT")]
print(json.dumps(reports))
"""


def test_the_image_reports_what_the_cli_reports_outside_it(image: str, engine: Engine) -> None:
    """Identical results: every fixture project checked in the image (no pigar database, a prebuilt index, Debian's
    python3.11) gives the JSON report the CLI of this checkout gives, byte for byte."""
    out = engine.call(
        "run", "--rm", "--network", "none", "-v", f"{FIXTURES}:/projects:ro", "--entrypoint", "/opt/venv/bin/python",
        image, "-c", _COMPARE, timeout=600, what="fixture reports in the image",
    )  # fmt: skip
    in_image = json.loads(out)
    outside = {}
    for name in in_image:
        path = FIXTURES / name
        argv = [sys.executable, "-m", "pipreqs_action.cli", "check", "--offline", "--format", "json", str(path)]
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        outside[name] = [done.returncode, done.stdout.replace(str(path), "ROOT")]

    assert len(in_image) >= 10 and set(in_image) == {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert in_image == outside


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


def test_uses_docker_url_takes_the_token_from_github_token(
    image: str, engine: Engine, sample_tree: Path, tmp_path: Path, fake_github: FakeGitHub, index_url: str
) -> None:  # fmt: skip
    """`uses: docker://IMAGE` skips action.yml: only `with:` inputs arrive (no defaults), plus the step's `env:`
    (here `GITHUB_TOKEN: ${{ github.token }}`, as the README says)."""
    workspace = tmp_path / "workspace"
    sha = make_workspace(sample_tree, workspace, repository=REPOSITORY)
    event = event_payload("push", repository=REPOSITORY, ref="refs/heads/main", sha=sha, default_branch="main")
    context = github_env(
        event_name="push", repository=REPOSITORY, sha=sha, ref="refs/heads/main", api_url=fake_github.api_url,
        server_url=fake_github.web_url,
    )  # fmt: skip
    env = {**context, "INPUT_INDEX-URL": index_url, "GITHUB_TOKEN": fake_github.token}
    run = run_action_container(image, workspace, env, event, engine=engine)
    record("action as uses: docker:// (GITHUB_TOKEN env)", run)

    assert run.returncode == 0, run.stdout + run.stderr
    assert packages(run.outputs["missing"]) == ["PyYAML"]
    assert fake_github.token in run.masked()
    assert fake_github.token not in run.log() + run.summary + json.dumps(run.outputs)
    ours = [issue for issue in fake_github.issues(REPOSITORY) if MARKER in (issue.body or "")]
    assert [str(issue.number) for issue in ours] == [run.outputs["issue-number"]]  # the token reached GitHub


# --- the `repository` input, without git: the host's tarball --------------------------------------------------------

TARBALL_SHA = "89abcdef0123456789abcdef0123456789abcdef"


def sample_tarball(tree: Path) -> bytes:
    """The sample as GitHub's tarball endpoint serves it: one top folder, the commit in the pax header."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz", format=tarfile.PAX_FORMAT, pax_headers={"comment": TARBALL_SHA}) as tar:
        tar.add(tree, arcname="someone-lib-89abcde")
    return out.getvalue()


@pytest.fixture
def tarball_host(sample_tree: Path) -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
    """GitHub's web and REST API on one 127.0.0.1 port (GHES-style /api/v3), serving the sample's tarball."""
    body, seen = sample_tarball(sample_tree), []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append((self.path, self.headers.get("Authorization")))
            found = self.path == "/api/v3/repos/someone/lib/tarball/main"
            self.send_response(200 if found else 404)
            self.send_header("Content-Length", str(len(body) if found else 0))
            self.end_headers()
            if found:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def test_repository_input_is_fetched_as_a_tarball_without_git(
    image: str, engine: Engine, action: ActionSpec, tmp_path: Path, tarball_host, index_url: str
) -> None:  # fmt: skip
    web, seen = tarball_host
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    chown_tree(workspace)  # no checkout step: an empty workspace, still the runner's
    event = event_payload("workflow_dispatch", repository=REPOSITORY, ref="refs/heads/main")
    context = github_env(
        event_name="workflow_dispatch", repository=REPOSITORY, sha="0" * 40, ref="refs/heads/main",
        api_url=f"{web}/api/v3", server_url=web,
    )  # fmt: skip
    with_ = {"repository": "someone/lib", "ref": "main", "index-url": index_url, "create-issue": "false",
             "close-when-fixed": "false"}  # fmt: skip
    step_env, entrypoint, args = action_step(action, with_, {"github.token": TOKEN})
    run = run_action_container(
        image, workspace, {**context, **step_env}, event, engine=engine, entrypoint=entrypoint, args=args
    )
    record("action on workflow_dispatch (repository, tarball)", run)

    assert run.returncode == 0, run.stdout + run.stderr
    assert packages(run.outputs["missing"]) == ["PyYAML"]
    assert f"{web}/someone/lib/blob/{TARBALL_SHA}/app.py#L2" in run.summary  # the commit the tarball named
    assert seen == [("/api/v3/repos/someone/lib/tarball/main", f"Bearer {TOKEN}")]  # to its own host only
    assert TOKEN not in run.log() + run.summary + json.dumps(run.outputs)
    assert list(workspace.iterdir()) == []


# --- the release: the image pulled by the reference the release's action.yml names ---------------------------------

RELEASE_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "release_action_yml.py"
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


@pytest.fixture(scope="session")
def registry() -> str:
    address = os.environ.get(REGISTRY_ENV)
    if not address:
        pytest.fail(f"no registry: run `python tests/container/run_container_test.py` (it sets {REGISTRY_ENV})")
    return address


def test_the_release_image_is_pulled_by_the_reference_its_action_yml_names(
    image: str, engine: Engine, registry: str, sample_tree: Path, tmp_path: Path, fake_github: FakeGitHub,
    index_url: str,
) -> None:  # fmt: skip
    if os.environ.get(STUBBED_ENV):
        pytest.skip(f"smoke build: the image has stand-ins for {os.environ[STUBBED_ENV]}, not the action")
    with PYPROJECT.open("rb") as file:
        version = tomllib.load(file)["project"]["version"]
    repository = f"{registry}/octo/pipreqs-action"
    push_image(engine, image, f"{repository}:{version}")  # what the release job's build-push step does
    engine.call("rmi", f"{repository}:{version}", what="rmi")  # the run below must use what it pulls
    release_yml = tmp_path / "action.yml"
    shutil.copy(ACTION_YML, release_yml)
    rewrite = subprocess.run(
        [sys.executable, str(RELEASE_SCRIPT), "--image", repository, "--version", version, "--action",
         str(release_yml), "--check-pyproject", str(PYPROJECT)], capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert rewrite.returncode == 0, rewrite.stderr
    released = load_action(release_yml)

    pulled = pull_action_image(engine, released.image)  # the runner's `docker pull` at job set-up
    try:
        assert released.image == f"docker://{repository}:{version}"
        assert image_id(engine, pulled) == image_id(engine, image)
        run = run_action(
            "push", {"index-url": index_url}, image=pulled, engine=engine, action=released,
            workspace=tmp_path / "workspace", sample_tree=sample_tree, fake=fake_github,
        )  # fmt: skip
    finally:
        engine.call("rmi", pulled, what="rmi")  # the registry (and its port) are gone after this run

    assert_reported_pyyaml(run)
    assert_clean_step(run, released, tmp_path / "workspace", fake_github.token)
    assert run.argv[-1 - len(released.args)] == pulled  # `docker run ... <the pulled reference>`


# --- `serve`: the same image runs the HTTP API ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str, method: str = "GET", timeout: float = 60) -> tuple[int, str]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@contextmanager
def serving(engine: Engine, image: str, logs: list[str], *args: str) -> Iterator[str]:
    """``docker run -d IMAGE serve ...`` on the host's loopback (``--network host``) until it answers /health;
    stopped with SIGTERM at the end of the block (PID 1 in the container), its log then added to ``logs``."""
    port = free_port()
    name = f"pipreqs-action-serve-{uuid.uuid4().hex[:6]}"
    argv = ["run", "-d", "--name", name, "--network", "host", image, "serve", "--host", "127.0.0.1"]
    engine.call(*argv, "--port", str(port), *args, what="run serve")
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(f"{base}/health", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            state = engine.call("inspect", "--format", "{{.State.Running}}", name, what="inspect").strip()
            assert state == "true" and time.monotonic() < deadline, engine.call("logs", name, what="logs")
            time.sleep(0.2)
        yield base
    finally:
        engine.call("stop", "--time", "20", name, what="stop serve")
        log = subprocess.run(engine.command("logs", name), env={**os.environ, **engine.env}, capture_output=True)
        engine.call("rm", "--force", name, what="rm serve")
        logs.append(log.stdout.decode(errors="replace") + log.stderr.decode(errors="replace"))
        sys.stderr.write(logs[-1])


def test_serve_in_the_image_answers_health_and_pipreqs_from_a_local_forge(
    image: str, engine: Engine, tarball_host
) -> None:  # fmt: skip
    """The image's `serve` (no git in it: the repository comes as the host's tarball) against a GHES-style forge on
    127.0.0.1, named by the operator: /health (GET and HEAD), the pipreqs-compatible text, the JSON report, one
    download for both (one job per repository), and a page at /."""
    web, seen = tarball_host
    code_url = urllib.parse.quote(f"{web}/someone/lib", safe="")
    logs: list[str] = []
    with serving(engine, image, logs, "--allow-http-host", "127.0.0.1", "--offline") as base:
        assert get(f"{base}/health") == (200, '{"status":"ok"}')
        assert get(f"{base}/health", method="HEAD")[0] == 200
        text = get(f"{base}/pipreqs?code_url={code_url}&ref=main&mode=no-pin")
        status, report = get(f"{base}/check?code_url={code_url}&ref=main&mode=no-pin")
        page = get(f"{base}/")
        refused = get(f"{base}/pipreqs?code_url=https%3A%2F%2Fgithub.com%2Fo%2Fn")  # --allow-http-host replaced it
    assert text == (200, "PyYAML\nrequests\n")
    assert status == 200, report
    assert [item["package"] for item in json.loads(report)["missing"]] == ["PyYAML"]
    assert seen == [("/api/v3/repos/someone/lib/tarball/main", None)]  # one download served both answers
    assert page[0] == 200 and "<form" in page[1]
    assert refused == (400, '{"detail":"code_url: host not allowed"}')
    assert "GET /pipreqs -> 200" in logs[0] and "Traceback" not in logs[0]  # stopped cleanly by SIGTERM
