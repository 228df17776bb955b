"""The container harness's own logic, without a container engine: the runner's file-command and workflow-command
rules, the ``docker run`` line, the runner's temp directory, and the podman set-up's pure parts."""

from __future__ import annotations

import json
import os
import re
import resource
from pathlib import Path

import pytest
import setup_engine
from harness import (
    FILE_COMMAND_PREFIXES,
    Engine,
    FileCommandError,
    HarnessError,
    _container_env,
    _runner_temp,
    action_step,
    docker_run_argv,
    engine_from_env,
    load_action,
    parse_file_commands,
    parse_workflow_commands,
)

# --- file commands (GITHUB_OUTPUT, GITHUB_ENV), read as actions/runner reads them -------------------------------


def test_plain_and_heredoc_values() -> None:
    text = "count=2\nreport<<EOF_1\nline one\n\nkey=value inside\nEOF_1\nempty=\n"
    assert parse_file_commands(text) == {"count": "2", "report": "line one\n\nkey=value inside", "empty": ""}


def test_later_value_wins_and_blank_lines_are_skipped() -> None:
    assert parse_file_commands("a=1\n\n\na=2\n") == {"a": "2"}


def test_whichever_marker_comes_first_decides() -> None:
    assert parse_file_commands("a=b<<c\n") == {"a": "b<<c"}
    assert parse_file_commands("a<<E=1\nvalue\nE=1\n") == {"a": "value"}


def test_heredoc_at_end_of_file_without_newline() -> None:
    assert parse_file_commands("a<<E\nx\nE") == {"a": "x"}


def test_carriage_returns_are_kept_as_the_linux_runner_keeps_them() -> None:
    assert parse_file_commands("a=1\r\n") == {"a": "1\r"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a<<EOF\nno end\n", "matching delimiter 'EOF' not found"),
        ("just words\n", "invalid file command line"),
        ("<<EOF\nx\nEOF\n", "empty name or delimiter"),
        ("name<<\nx\n\n", "empty name or delimiter"),
    ],
)
def test_lines_the_runner_refuses(text: str, message: str) -> None:
    with pytest.raises(FileCommandError, match=message):
        parse_file_commands(text)


# --- action.yml, evaluated as the runner evaluates it --------------------------------------------------------------

ACTION_YML = """\
name: sample
inputs:
  path:
    default: "."
  github-token:
    default: ${{ github.token }}
  dry-run:
    default: false
  report title:
    required: false
outputs:
  missing:
    description: packages imported but not declared
runs:
  using: docker
  image: Dockerfile
  args: ["--path", "${{ inputs.path }}"]
  env:
    TOKEN_COPY: ${{ inputs.github-token }}
"""


@pytest.fixture
def action_yml(tmp_path: Path) -> Path:
    path = tmp_path / "action.yml"
    path.write_text(ACTION_YML)
    return path


def test_inputs_get_defaults_evaluated_and_names_as_the_runner_makes_them(action_yml: Path) -> None:
    spec = load_action(action_yml)
    env, entrypoint, args = action_step(spec, {"path": "src"}, {"github.token": "tok"})
    assert env == {
        "INPUT_PATH": "src",
        "INPUT_GITHUB-TOKEN": "tok",
        "INPUT_DRY-RUN": "false",
        "INPUT_REPORT_TITLE": "",
        "TOKEN_COPY": "tok",
    }
    assert (entrypoint, args, spec.outputs, spec.image) == (None, ("--path", "src"), ("missing",), "Dockerfile")


def test_undeclared_inputs_and_unknown_expressions_fail(action_yml: Path) -> None:
    spec = load_action(action_yml)
    with pytest.raises(HarnessError, match=re.escape("not declared in action.yml: fail-on")):
        action_step(spec, {"fail-on": "never"}, {"github.token": "tok"})
    with pytest.raises(HarnessError, match=re.escape("cannot evaluate '${{ github.token }}'")):
        action_step(spec, {}, {})


def test_only_docker_actions_are_run(tmp_path: Path) -> None:
    path = tmp_path / "action.yml"
    path.write_text("name: js\nruns:\n  using: node20\n  main: index.js\n")
    with pytest.raises(HarnessError, match="not docker"):
        load_action(path)


# --- workflow commands on stdout --------------------------------------------------------------------------------


def test_workflow_commands_are_parsed_and_unescaped() -> None:
    stdout = (
        "plain log line\n"
        "::error file=app.py,line=3,title=Missing%3A yaml%2C PyYAML::'PyYAML' is imported%0Abut not declared%25\n"
        "  ::notice::indented\n"
        "::add-mask::s3cret\n"
        ":: not a command\n"
    )
    commands = parse_workflow_commands(stdout)
    assert [(c.name, dict(c.properties), c.message) for c in commands] == [
        (
            "error",
            {"file": "app.py", "line": "3", "title": "Missing: yaml, PyYAML"},
            "'PyYAML' is imported\nbut not declared%",
        ),
        ("notice", {}, "indented"),
        ("add-mask", {}, "s3cret"),
    ]


# --- the runner's temp directory and docker run line ------------------------------------------------------------


@pytest.fixture
def runner_user() -> None:
    if os.geteuid() not in (0, 1001):
        pytest.skip("the runner's temp directory belongs to uid 1001: needs root or uid 1001")


@pytest.mark.usefixtures("runner_user")
def test_runner_temp_files_and_translated_paths() -> None:
    event = {"ref": "refs/heads/main"}
    caller = {"HOME": "/root", "GITHUB_WORKSPACE": "/elsewhere", "INPUT_GITHUB-TOKEN": "t"}
    with _runner_temp(event, {"note.txt": "hello"}) as temp:
        env = _container_env(caller, temp)
        assert json.loads((temp.workflow / "event.json").read_text()) == event
        assert (temp.home / "note.txt").read_text() == "hello"
        assert all(path.stat().st_size == 0 and path.stat().st_uid == 1001 for path in temp.files.values())
        suffixes = {path.name.removeprefix(FILE_COMMAND_PREFIXES[name]) for name, path in temp.files.items()}
        runner_temp = str(temp.root)
    assert len(suffixes) == 1  # one step: one suffix for all its files, as the runner does
    assert env["HOME"] == "/github/home" and env["GITHUB_WORKSPACE"] == "/github/workspace"
    assert env["GITHUB_EVENT_PATH"] == "/github/workflow/event.json"
    assert env["GITHUB_OUTPUT"] == f"/github/file_commands/set_output_{suffixes.pop()}"
    assert env["RUNNER_TEMP"] == runner_temp  # a host path, not translated: the container cannot see it
    assert env["INPUT_GITHUB-TOKEN"] == "t"


@pytest.mark.usefixtures("runner_user")
def test_docker_run_line_passes_names_not_values() -> None:
    engine = Engine(name="docker", argv=("docker",), docker_socket=Path("/var/run/docker.sock"))
    with _runner_temp({}, {}) as temp:
        argv = docker_run_argv(
            engine, "img:1", ["INPUT_GITHUB-TOKEN", "HOME"], temp, Path("/ws"), network="host",
            entrypoint="/bin/sh", args=["-c", "true"], container_name="img1_abcdef",
        )  # fmt: skip
        mounts = [argv[i + 1] for i, item in enumerate(argv) if item == "-v"]
        home = str(temp.home)
    assert argv[:8] == ["docker", "run", "--name", "img1_abcdef", "--label", argv[5], "--workdir", "/github/workspace"]
    assert argv[8] == "--rm"
    envs = [argv[i + 1] for i, item in enumerate(argv) if item == "-e"]
    assert envs == ["INPUT_GITHUB-TOKEN", "HOME", "GITHUB_ACTIONS=true", "CI=true"]
    assert mounts[0] == "/var/run/docker.sock:/var/run/docker.sock"
    assert [m.split(":")[1] for m in mounts[1:]] == [
        "/github/home", "/github/workflow", "/github/file_commands", "/github/workspace",
    ]  # fmt: skip
    assert mounts[1] == f"{home}:/github/home" and mounts[4] == "/ws:/github/workspace"
    assert argv[-3:] == ["img:1", "-c", "true"]
    assert argv[argv.index("--entrypoint") + 1] == "/bin/sh" and argv[argv.index("--network") + 1] == "host"


@pytest.mark.usefixtures("runner_user")
def test_ci_is_not_added_twice() -> None:
    with _runner_temp({}, {}) as temp:
        argv = docker_run_argv(
            Engine(name="podman", argv=("podman",)), "i", ["CI"], temp, Path("/ws"), network="host",
            entrypoint=None, args=(), container_name="n",
        )  # fmt: skip
    assert [argv[i + 1] for i, item in enumerate(argv) if item == "-e"] == ["CI", "GITHUB_ACTIONS=true"]
    assert "--entrypoint" not in argv and not any(m.endswith(":/var/run/docker.sock") for m in argv)


def test_engine_from_env() -> None:
    podman = engine_from_env({"CONTAINERS_CONF": "/c", "CONTAINERS_STORAGE_CONF": "/s", "OTHER": "x"})
    assert (podman.name, dict(podman.env), podman.docker_socket) == (
        "podman", {"CONTAINERS_CONF": "/c", "CONTAINERS_STORAGE_CONF": "/s"}, None,
    )  # fmt: skip
    docker = engine_from_env({"PIPREQS_ACTION_CONTAINER_ENGINE": "docker"})
    assert (docker.argv, docker.docker_socket) == (("docker",), Path("/var/run/docker.sock"))


# --- podman set-up: configuration and the slim base tree ----------------------------------------------------------


def test_ulimits_stay_within_hard_limits() -> None:
    items = dict(item.split("=") for item in setup_engine.default_ulimits())
    nofile_soft, nofile_hard = map(int, items["nofile"].split(":"))
    nproc_soft, nproc_hard = map(int, items["nproc"].split(":"))
    hard_nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    assert nofile_soft == nofile_hard and (hard_nofile == resource.RLIM_INFINITY or nofile_hard <= hard_nofile)
    assert nproc_soft == nproc_hard <= setup_engine.NPROC_CAP


def test_storage_configuration_is_written_once(tmp_path: Path) -> None:
    paths = setup_engine.PodmanPaths(state=tmp_path / "state", run=tmp_path / "run")
    setup_engine.write_configs(paths)
    assert 'runtime = "runc"' in paths.containers_conf.read_text()
    first = paths.storage_conf.read_text()
    assert f'graphroot = "{tmp_path / "state" / "storage"}"' in first
    paths.storage_conf.write_text('[storage]\ndriver = "kept"\n')
    setup_engine.write_configs(paths)
    assert 'driver = "kept"' in paths.storage_conf.read_text()  # never rewritten under existing storage
    assert paths.engine_env() == {
        "CONTAINERS_CONF": str(paths.containers_conf), "CONTAINERS_STORAGE_CONF": str(paths.storage_conf),
    }  # fmt: skip


def _tree(root: Path, files: list[str]) -> None:
    for rel in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x")


def test_slim_tree_matches_the_official_slim_layout(tmp_path: Path) -> None:
    root = tmp_path / "rootfs"
    _tree(root, [
        "usr/share/doc/bash/copyright", "usr/share/doc/bash/README", "usr/share/man/man1/ls.1.gz",
        "usr/share/locale/locale.alias", "usr/share/locale/de/LC_MESSAGES/apt.mo", "usr/share/info/dir",
        "var/lib/apt/lists/deb.debian.org_dists_bookworm_InRelease", "var/cache/apt/pkgcache.bin",
        "var/cache/apt/archives/bash.deb", "var/log/apt/history.log", "var/log/dpkg.log", "etc/apt/sources.list",
        "etc/hostname", "etc/resolv.conf", "dev/null", "usr/bin/bash",
    ])  # fmt: skip
    for rel in ("etc/apt/apt.conf.d", "etc/dpkg/dpkg.cfg.d", "etc/apt/sources.list.d"):
        (root / rel).mkdir(parents=True, exist_ok=True)

    setup_engine.slim_tree(root)

    left = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert "usr/share/doc/bash/copyright" in left and "usr/share/locale/locale.alias" in left
    for gone in ("usr/share/doc/bash/README", "usr/share/man/man1/ls.1.gz", "usr/share/locale/de/LC_MESSAGES/apt.mo"):
        assert gone not in left
    assert not any(p.startswith(("var/log/", "var/cache/apt/", "var/lib/apt/lists/", "dev/")) for p in left)
    assert (root / "var/lib/apt/lists/partial").is_dir() and (root / "var/cache/apt/archives").is_dir()
    assert not (root / "etc/apt/sources.list").exists() and not (root / "etc/hostname").exists()
    assert "bookworm-security" in (root / "etc/apt/sources.list.d/debian.sources").read_text()
    dpkg = (root / "etc/dpkg/dpkg.cfg.d/docker").read_text()
    assert "path-exclude /usr/share/man/*" in dpkg and "path-include /usr/share/doc/*/copyright" in dpkg
    assert 'Dir::Cache::pkgcache "";' in (root / "etc/apt/apt.conf.d/docker-clean").read_text()
    assert "usr/bin/bash" in left


def test_test_ca_is_added_only_when_the_host_has_extra_cas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra, bundle, root = tmp_path / "extra", tmp_path / "bundle.pem", tmp_path / "rootfs"
    extra.mkdir()
    (root / "etc").mkdir(parents=True)
    bundle.write_text("BUNDLE")
    monkeypatch.setattr(setup_engine, "EXTRA_CA_DIR", extra)
    monkeypatch.setenv("PIP_CERT", str(bundle))
    assert setup_engine.add_test_ca(root) is False and not (root / "etc/pip.conf").exists()

    (extra / "proxy.crt").write_text("CERT")
    assert setup_engine.add_test_ca(root) is True
    assert (root / "usr/local/share/ca-certificates/proxy.crt").read_text() == "CERT"
    assert (root / setup_engine.TEST_CA_BUNDLE).read_text() == "BUNDLE"
    assert f"cert = /{setup_engine.TEST_CA_BUNDLE}" in (root / "etc/pip.conf").read_text()
