"""Build the action's image and run it the way GitHub's runner runs a Docker container action.

What ``actions/runner`` does for ``runs.using: docker`` (ContainerActionHandler + DockerCommandManager.DockerRun),
and what ``run_action_container`` repeats with podman (or docker, where a Docker engine runs):

* ``docker run --name <image>_<6 hex> --label <6 hex> --workdir /github/workspace --rm``;
* ``-e NAME`` for every variable, the value coming from the engine process's environment, never from the
  command line, so names GitHub makes from inputs (``INPUT_GITHUB-TOKEN``, hyphen kept) pass as they are;
  then ``-e GITHUB_ACTIONS=true`` and ``-e CI=true``;
* the runner's docker socket at ``/var/run/docker.sock`` and four bind mounts of the runner's temp directory
  and workspace: ``/github/home``, ``/github/workflow`` (``event.json``), ``/github/file_commands``
  (``GITHUB_OUTPUT``, ``GITHUB_STEP_SUMMARY``, ... one fresh file each per step) and ``/github/workspace``;
* environment values naming those host paths are translated to the container paths (``RUNNER_TEMP`` is not:
  it names a host directory the container cannot see, as on GitHub);
* the workspace is an actions/checkout-style clone owned by the runner's user (uid 1001), while the
  container runs as root: git inside the container then refuses the repository unless told it is safe.

Afterwards the file commands are read back with the runner's own rules (``parse_file_commands``) and
``::command::`` lines of stdout are parsed, so tests check what a workflow would see.

Differences, on purpose: ``--network host`` (the runner makes a bridge network per job; tests keep all traffic
on loopback, where the fake GitHub listens) and no ``--entrypoint`` unless asked.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

log = logging.getLogger("container.harness")

RUNNER_UID = RUNNER_GID = 1001  # the `runner` user of GitHub's hosted Ubuntu images
WORKSPACE = "/github/workspace"
HOME = "/github/home"
WORKFLOW = "/github/workflow"
FILE_COMMANDS = "/github/file_commands"
DOCKER_SOCKET = "/var/run/docker.sock"
STEP_SUMMARY_LIMIT = 128 * 1024  # the runner refuses a bigger step summary
# The runner's file commands: environment variable -> file name prefix in _runner_file_commands.
FILE_COMMAND_PREFIXES = {
    "GITHUB_OUTPUT": "set_output_",
    "GITHUB_STEP_SUMMARY": "step_summary_",
    "GITHUB_ENV": "set_env_",
    "GITHUB_PATH": "add_path_",
    "GITHUB_STATE": "save_state_",
}
_FIXED_DATE = "2024-01-01T00:00:00Z"
_GIT_ENV = {
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Fixture",
    "GIT_AUTHOR_EMAIL": "fixture@example.invalid",
    "GIT_COMMITTER_NAME": "Fixture",
    "GIT_COMMITTER_EMAIL": "fixture@example.invalid",
    "GIT_AUTHOR_DATE": _FIXED_DATE,
    "GIT_COMMITTER_DATE": _FIXED_DATE,
}


class HarnessError(RuntimeError):
    """The engine could not do what the test needs (build, run, parse); the message has the engine's words."""


class FileCommandError(ValueError):
    """A file command the runner would refuse (the step fails on GitHub); the message names the line."""


# --- engines -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Engine:
    """A docker-compatible CLI: ``argv`` plus the environment its every call needs."""

    name: str
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    docker_socket: Path | None = None  # host socket mounted at /var/run/docker.sock, as the runner does

    def command(self, *args: str) -> list[str]:
        return [*self.argv, *args]

    def call(self, *args: str, timeout: float = 120, what: str = "") -> str:
        """Run an engine command that must succeed; its stdout."""
        proc = subprocess.run(
            self.command(*args), env={**os.environ, **self.env}, capture_output=True, text=True,
            timeout=timeout, check=False,
        )  # fmt: skip
        if proc.returncode != 0:
            raise HarnessError(f"{what or args[0]}: {self.name} exit {proc.returncode}: {proc.stderr.strip()[-3000:]}")
        return proc.stdout


def podman_engine(env: Mapping[str, str], docker_socket: Path | None = None) -> Engine:
    """podman with a private configuration (see setup_engine.PodmanPaths.engine_env)."""
    return Engine(name="podman", argv=("podman",), env=dict(env), docker_socket=docker_socket)


def docker_engine() -> Engine:
    """A real Docker engine, as on GitHub's hosted runners."""
    return Engine(name="docker", argv=("docker",), docker_socket=Path(DOCKER_SOCKET))


# --- building --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Build:
    image: str
    seconds: float
    size_bytes: int


def build_image(
    engine: Engine, context: Path, tag: str, *, dockerfile: Path | None = None, no_cache: bool = False,
    timeout: float = 1800,
) -> Build:  # fmt: skip
    """Build like the runner (``build -t tag -f Dockerfile dir``); with podman the base must already be local."""
    args = ["build", "-t", tag, "-f", str(dockerfile or context / "Dockerfile")]
    if engine.name == "podman":
        args += ["--pull=never", "--format=docker"]  # docker's image format, like `docker build`
    if no_cache:
        args.append("--no-cache")
    started = time.monotonic()
    proc = subprocess.run(
        engine.command(*args, str(context)), env={**os.environ, **engine.env}, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        raise HarnessError(f"build of {tag} failed after {seconds:.0f} s:\n{(proc.stdout + proc.stderr)[-6000:]}")
    return Build(image=tag, seconds=seconds, size_bytes=image_size(engine, tag))


def image_size(engine: Engine, image: str) -> int:
    return int(engine.call("image", "inspect", "--format", "{{.Size}}", image, what="image inspect").strip())


def image_id(engine: Engine, image: str) -> str:
    return engine.call("image", "inspect", "--format", "{{.Id}}", image, what="image inspect").strip()


def _registry_options(engine: Engine, reference: str) -> list[str]:
    """docker treats registries on 127.0.0.0/8 as insecure (plain HTTP) by default; podman must be told so."""
    host = reference.split("/", 1)[0]
    return ["--tls-verify=false"] if engine.name == "podman" and host.startswith("127.") else []


def push_image(engine: Engine, image: str, reference: str) -> None:
    """Tag ``image`` as ``reference`` and push it, as the release job's build-push step does."""
    engine.call("tag", image, reference, what="tag")
    engine.call("push", *_registry_options(engine, reference), reference, timeout=600, what="push")


def pull_action_image(engine: Engine, image: str) -> str:
    """What the runner does for ``runs.image: docker://REF`` at job set-up: ``docker pull REF``; returns REF."""
    if not image.startswith("docker://"):
        raise HarnessError(f"runs.image {image!r} is not a docker:// reference")
    reference = image.removeprefix("docker://")
    engine.call("pull", *_registry_options(engine, reference), reference, timeout=600, what="pull")
    return reference


# --- the workspace -----------------------------------------------------------------------------------------------


def git(*args: str, cwd: Path) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **_GIT_ENV}, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise HarnessError(f"git {' '.join(args)} in {cwd}: {proc.stderr.strip()}")
    return proc.stdout.strip()


def chown_tree(root: Path, uid: int = RUNNER_UID, gid: int = RUNNER_GID) -> None:
    """Give a tree to the runner's user. As root: chown. As that user (GitHub's runner): it is already theirs."""
    if os.geteuid() != 0:
        if os.geteuid() != uid:
            raise HarnessError(f"{root} must belong to uid {uid}: run the container test as root or as uid {uid}")
        return
    os.chown(root, uid, gid, follow_symlinks=False)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [*dirnames, *filenames]:
            os.chown(Path(dirpath, name), uid, gid, follow_symlinks=False)


def make_workspace(fixture: Path, dest: Path, *, repository: str = "octo/repo", branch: str = "main") -> str:
    """An actions/checkout-like workspace of ``fixture``'s files: a depth-1 clone, owned by uid 1001.

    Returns the commit's sha (GITHUB_SHA). The origin URL is GitHub's, as checkout leaves it.
    """
    with tempfile.TemporaryDirectory(prefix="pipreqs-action-origin-") as tmp:
        origin = Path(tmp, "origin")
        shutil.copytree(fixture, origin, symlinks=True)
        git("init", "-q", "-b", branch, cwd=origin)
        git("add", "-A", cwd=origin)
        git("commit", "-q", "-m", "fixture", cwd=origin)
        git("clone", "-q", "--depth", "1", "--branch", branch, "--", f"file://{origin}", str(dest), cwd=Path(tmp))
    git("remote", "set-url", "origin", f"https://github.com/{repository}", cwd=dest)
    sha = git("rev-parse", "HEAD", cwd=dest)
    chown_tree(dest)
    return sha


# --- GitHub's environment and events ---------------------------------------------------------------------------


def github_env(
    *, event_name: str, repository: str, sha: str, ref: str, api_url: str, server_url: str = "https://github.com",
    actor: str = "octocat",
) -> dict[str, str]:  # fmt: skip
    """The GITHUB_*/RUNNER_* variables a hosted runner gives a step (paths are added by run_action_container).

    tests/events.py's ``actions_env`` serves in-process runs; this one leaves every path to the container run.
    """
    ref_name = ref.removeprefix("refs/heads/").removeprefix("refs/tags/")
    return {
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_REPOSITORY": repository,
        "GITHUB_REPOSITORY_OWNER": repository.split("/")[0],
        "GITHUB_SHA": sha,
        "GITHUB_REF": ref,
        "GITHUB_REF_NAME": ref_name,
        "GITHUB_REF_TYPE": "tag" if ref.startswith("refs/tags/") else "branch",
        "GITHUB_BASE_REF": "",
        "GITHUB_HEAD_REF": "",
        "GITHUB_ACTOR": actor,
        "GITHUB_TRIGGERING_ACTOR": actor,
        "GITHUB_API_URL": api_url,
        "GITHUB_SERVER_URL": server_url,
        "GITHUB_GRAPHQL_URL": f"{api_url.rstrip('/')}/graphql",
        "GITHUB_WORKFLOW": "pipreqs",
        "GITHUB_WORKFLOW_REF": f"{repository}/.github/workflows/pipreqs.yml@{ref}",
        "GITHUB_JOB": "check",
        "GITHUB_ACTION": "__self",
        "GITHUB_ACTION_REPOSITORY": "",
        "GITHUB_ACTION_REF": "",
        "GITHUB_RUN_ID": "1000000001",
        "GITHUB_RUN_NUMBER": "7",
        "GITHUB_RUN_ATTEMPT": "1",
        "GITHUB_RETENTION_DAYS": "90",
        "RUNNER_OS": "Linux",
        "RUNNER_ARCH": "X64",
        "RUNNER_NAME": "GitHub Actions 2",
        "RUNNER_ENVIRONMENT": "github-hosted",
        "RUNNER_TOOL_CACHE": "/opt/hostedtoolcache",
        "ACTIONS_RUNTIME_URL": "http://127.0.0.1:9/runtime/",  # nothing listens: the action must not need it
        "ACTIONS_RUNTIME_TOKEN": "fake-runtime-token",
    }


# --- action.yml: inputs, args and env as the runner evaluates them ---------------------------------------------------

_EXPRESSION = re.compile(r"\$\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """The parts of action.yml the runner uses to start a Docker action."""

    inputs: Mapping[str, str | None]  # name -> default (None: no default)
    outputs: tuple[str, ...]
    image: str
    entrypoint: str | None
    args: tuple[str, ...]
    env: Mapping[str, str]


def _text(value: object) -> str:
    """YAML scalars as the runner sees them: booleans lower-case, everything else its string form."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def load_action(path: Path) -> ActionSpec:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    runs = data.get("runs") or {}
    if runs.get("using") != "docker":
        raise HarnessError(f"{path}: runs.using is {runs.get('using')!r}, not docker")
    inputs = {
        name: None if (spec or {}).get("default") is None else _text(spec["default"])
        for name, spec in (data.get("inputs") or {}).items()
    }
    return ActionSpec(
        inputs=inputs, outputs=tuple(data.get("outputs") or ()), image=str(runs.get("image", "")),
        entrypoint=runs.get("entrypoint"), args=tuple(_text(a) for a in runs.get("args") or ()),
        env={str(k): _text(v) for k, v in (runs.get("env") or {}).items()},
    )  # fmt: skip


def evaluate(text: str, context: Mapping[str, str]) -> str:
    """``${{ name }}`` expressions from ``context`` (``github.token``, ``inputs.path``); anything else is an error."""

    def value(match: re.Match[str]) -> str:
        if match[1] not in context:
            raise HarnessError(f"cannot evaluate {match[0]!r}: the harness knows {sorted(context)}")
        return context[match[1]]

    return _EXPRESSION.sub(value, text)


def input_env(spec: ActionSpec, with_: Mapping[str, str], context: Mapping[str, str]) -> dict[str, str]:
    """``INPUT_<NAME>`` for every declared input, as the runner sets them: ``with:`` value, else the evaluated
    default, else empty; spaces become underscores, hyphens stay. An undeclared ``with:`` key is an error here
    (the runner only warns), so a test cannot pass an input the action never reads."""
    unknown = sorted(set(with_) - set(spec.inputs))
    if unknown:
        raise HarnessError(f"inputs not declared in action.yml: {', '.join(unknown)}")
    env = {}
    for name, default in spec.inputs.items():
        value = with_[name] if name in with_ else evaluate(default or "", context)
        env[f"INPUT_{name.replace(' ', '_').upper()}"] = value
    return env


def action_step(
    spec: ActionSpec, with_: Mapping[str, str], context: Mapping[str, str]
) -> tuple[dict[str, str], str | None, tuple[str, ...]]:
    """Environment, entrypoint and args of the step, with ``inputs.*`` and ``github.*`` evaluated."""
    inputs = input_env(spec, with_, context)
    scope = {**context, **{f"inputs.{name}": inputs[f"INPUT_{name.replace(' ', '_').upper()}"] for name in spec.inputs}}
    env = {**inputs, **{name: evaluate(value, scope) for name, value in spec.env.items()}}
    return env, spec.entrypoint, tuple(evaluate(arg, scope) for arg in spec.args)


# --- the runner's file commands and workflow commands -------------------------------------------------------------


def parse_file_commands(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STATE as the runner reads them: ``name=value`` or a heredoc
    ``name<<DELIM`` ... ``DELIM``. A later name wins. Raises FileCommandError where the runner fails the step."""
    values: dict[str, str] = {}
    lines = text.split("\n")  # LF only, as the runner splits on Linux
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        eq, heredoc = line.find("="), line.find("<<")
        if eq >= 0 and (heredoc < 0 or eq < heredoc):
            name, value = line.split("=", 1)
            values[name] = value
            continue
        if heredoc < 0:
            raise FileCommandError(f"invalid file command line {line!r}")
        name, delimiter = line.split("<<", 1)
        if not name or not delimiter:
            raise FileCommandError(f"empty name or delimiter in {line!r}")
        body: list[str] = []
        while i < len(lines) and lines[i] != delimiter:
            body.append(lines[i])
            i += 1
        if i == len(lines):
            raise FileCommandError(f"matching delimiter {delimiter!r} not found for {name!r}")
        i += 1
        values[name] = "\n".join(body)
    return values


@dataclass(frozen=True, slots=True)
class WorkflowCommand:
    """A ``::name key=value,...::message`` line of the step's stdout, unescaped."""

    name: str
    properties: Mapping[str, str]
    message: str


_COMMAND = re.compile(r"^::(?P<name>[A-Za-z0-9_-]+)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def _unescape(value: str, *, prop: bool) -> str:
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else [])
    for code, char in [*pairs, ("%25", "%")]:
        value = value.replace(code, char)
    return value


def parse_workflow_commands(stdout: str) -> tuple[WorkflowCommand, ...]:
    found = []
    for line in stdout.splitlines():
        match = _COMMAND.match(line.strip())
        if not match:
            continue
        props = {}
        for item in filter(None, (match["props"] or "").split(",")):
            key, _, value = item.partition("=")
            props[key.strip()] = _unescape(value, prop=True)
        found.append(WorkflowCommand(match["name"], props, _unescape(match["message"], prop=False)))
    return tuple(found)


# --- running -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContainerRun:
    """What a workflow sees of one container step."""

    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str
    env_file: dict[str, str]
    path_file: tuple[str, ...]
    commands: tuple[WorkflowCommand, ...]
    seconds: float

    def log(self) -> str:
        """The step's log as a workflow shows it, less ``::add-mask::`` lines, which the runner consumes."""
        lines = (self.stdout + self.stderr).splitlines()
        return "\n".join(line for line in lines if not line.strip().startswith("::add-mask::"))

    def masked(self) -> tuple[str, ...]:
        """Values the step asked the runner to mask."""
        return tuple(command.message for command in self.commands if command.name == "add-mask")

    def annotations(self, level: str) -> list[WorkflowCommand]:
        """``error`` / ``warning`` / ``notice`` annotations the step printed."""
        return [command for command in self.commands if command.name == level]


@dataclass(frozen=True, slots=True)
class _RunnerTemp:
    """The runner's temp directory for one step: host paths, and the file command files."""

    root: Path
    files: Mapping[str, Path]  # GITHUB_OUTPUT -> host path, ...

    @property
    def home(self) -> Path:
        return self.root / "_github_home"

    @property
    def workflow(self) -> Path:
        return self.root / "_github_workflow"

    @property
    def file_commands(self) -> Path:
        return self.root / "_runner_file_commands"


@contextmanager
def _runner_temp(event: Mapping[str, Any], home_files: Mapping[str, str]) -> Iterator[_RunnerTemp]:
    # ignore_cleanup_errors: the container (root) may leave files a non-root harness cannot delete
    with tempfile.TemporaryDirectory(prefix="pipreqs-action-runner-", ignore_cleanup_errors=True) as tmp:
        root = Path(tmp, "_temp")
        suffix = str(uuid.uuid4())
        files = {
            name: root / "_runner_file_commands" / f"{prefix}{suffix}" for name, prefix in FILE_COMMAND_PREFIXES.items()
        }
        temp = _RunnerTemp(root=root, files=files)
        for directory in (temp.home, temp.workflow, temp.file_commands):
            directory.mkdir(parents=True)
        for path in files.values():
            path.touch()
        (temp.workflow / "event.json").write_text(json.dumps(event, indent=2), encoding="utf-8")
        for name, text in home_files.items():
            (temp.home / name).write_text(text, encoding="utf-8")
        chown_tree(root)
        yield temp


def _container_env(env: Mapping[str, str], temp: _RunnerTemp) -> dict[str, str]:
    """The step's variables, host paths translated to container paths like the runner's TranslateToContainerPath."""
    values = {
        **env,
        "HOME": HOME,
        "GITHUB_WORKSPACE": WORKSPACE,
        "GITHUB_EVENT_PATH": f"{WORKFLOW}/event.json",
        "RUNNER_TEMP": str(temp.root),
        "RUNNER_WORKSPACE": str(temp.root.parent),
    }
    for name, path in temp.files.items():
        values[name] = f"{FILE_COMMANDS}/{path.name}"
    return values


def docker_run_argv(
    engine: Engine, image: str, names: Sequence[str], temp: _RunnerTemp, workspace: Path, *,
    network: str, entrypoint: str | None, args: Sequence[str], container_name: str,
) -> list[str]:  # fmt: skip
    """The runner's ``docker run`` line, option for option (values stay in the environment: ``-e NAME``)."""
    label = hashlib.sha256(b"pipreqs-action container test").hexdigest()[:6]
    argv = ["run", "--name", container_name, "--label", label, "--workdir", WORKSPACE, "--rm"]
    for name in names:
        argv += ["-e", name]
    argv += ["-e", "GITHUB_ACTIONS=true"]
    if "CI" not in names:
        argv += ["-e", "CI=true"]
    if entrypoint:
        argv += ["--entrypoint", entrypoint]
    argv += ["--network", network]
    if engine.docker_socket is not None:
        argv += ["-v", f"{engine.docker_socket}:{DOCKER_SOCKET}"]
    mounts = ((temp.home, HOME), (temp.workflow, WORKFLOW), (temp.file_commands, FILE_COMMANDS), (workspace, WORKSPACE))
    for source, target in mounts:
        argv += ["-v", f"{source}:{target}"]
    return engine.command(*argv, image, *args)


def _container_name(image: str) -> str:
    sanitized = re.sub(r"[^A-Za-z0-9_.-]", "", image.rsplit("/", 1)[-1].replace(":", "")) or "image"
    return f"{sanitized}_{uuid.uuid4().hex[:6]}"


def _read_back(temp: _RunnerTemp) -> dict[str, str]:
    return {name: path.read_text(encoding="utf-8-sig") for name, path in temp.files.items()}


def run_action_container(
    image: str, workspace: Path, env: Mapping[str, str], event: Mapping[str, Any], *, engine: Engine | None = None,
    entrypoint: str | None = None, args: Sequence[str] = (), network: str = "host",
    home_files: Mapping[str, str] | None = None, timeout: float = 600,
) -> ContainerRun:  # fmt: skip
    """Run one container step as GitHub's runner does and read back what the workflow would see.

    ``env`` holds the step's variables (GITHUB_*, INPUT_*; see ``github_env`` and ``action_step``); the runner's
    own paths (HOME, GITHUB_WORKSPACE, GITHUB_EVENT_PATH, GITHUB_OUTPUT, ...) are set here and win. ``engine``
    defaults to the one run_container_test.py chose (``engine_from_env``).
    """
    engine = engine or engine_from_env()
    with _runner_temp(event, home_files or {}) as temp:
        container_env = _container_env(env, temp)
        name = _container_name(image)
        argv = docker_run_argv(
            engine, image, list(container_env), temp, workspace, network=network, entrypoint=entrypoint,
            args=args, container_name=name,
        )  # fmt: skip
        started = time.monotonic()
        try:
            proc = subprocess.run(
                argv, env={**os.environ, **engine.env, **container_env}, capture_output=True, text=True,
                timeout=timeout, check=False, stdin=subprocess.DEVNULL,
            )  # fmt: skip
        except subprocess.TimeoutExpired as exc:
            subprocess.run(engine.command("rm", "-f", name), env={**os.environ, **engine.env}, check=False)
            raise HarnessError(f"container {name} ran over {timeout:.0f} s") from exc
        seconds = time.monotonic() - started
        log.info("%s: exit %d after %.2f s", name, proc.returncode, seconds)
        files = _read_back(temp)
    return ContainerRun(
        argv=tuple(argv), returncode=proc.returncode, stdout=proc.stdout, stderr=proc.stderr,
        outputs=parse_file_commands(files["GITHUB_OUTPUT"]), summary=files["GITHUB_STEP_SUMMARY"],
        env_file=parse_file_commands(files["GITHUB_ENV"]),
        path_file=tuple(line for line in files["GITHUB_PATH"].split("\n") if line),
        commands=parse_workflow_commands(proc.stdout), seconds=seconds,
    )  # fmt: skip


# --- choosing the engine in tests ----------------------------------------------------------------------------------

ENGINE_ENV = "PIPREQS_ACTION_CONTAINER_ENGINE"  # podman | docker
SOCKET_ENV = "PIPREQS_ACTION_CONTAINER_SOCKET"  # host socket to mount at /var/run/docker.sock
IMAGE_ENV = "PIPREQS_ACTION_CONTAINER_IMAGE"  # the image the tests run
_PODMAN_CONF_ENV = ("CONTAINERS_CONF", "CONTAINERS_STORAGE_CONF")


def engine_from_env(environ: Mapping[str, str] | None = None) -> Engine:
    """The engine run_container_test.py chose, rebuilt from the variables it hands the test process."""
    env = os.environ if environ is None else environ
    socket = Path(env[SOCKET_ENV]) if env.get(SOCKET_ENV) else None
    if env.get(ENGINE_ENV, "podman") == "docker":
        return dataclasses.replace(docker_engine(), docker_socket=socket or Path(DOCKER_SOCKET))
    return podman_engine({key: env[key] for key in _PODMAN_CONF_ENV if key in env}, docker_socket=socket)
