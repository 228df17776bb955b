"""The container test, in one command: ``.venv/bin/python tests/container/run_container_test.py``.

Builds the project's own Dockerfile with a real container engine and runs the image the way GitHub's runner
runs a Docker container action (see ``harness.py``), starts a real registry on 127.0.0.1 for the release test
(``registry.py``), then runs ``test_container_action.py`` against it and prints what it cost. With a Docker
engine (GitHub's hosted runners) it uses docker; otherwise it sets up podman as root (``setup_engine.py``:
packages, configuration, a debian:bookworm-slim recreated from Debian's mirror). A machine that cannot run
containers fails the command (exit 1) with the reason; nothing is skipped.

Options: ``--engine podman|docker`` (default: docker when a Docker engine answers, else podman), ``--no-cache``
(a cold build, as on GitHub; also the default when CI=true), ``--allow-stubs`` (build even though entrypoint.py
or README.md is missing, with throwaway stand-ins in a copy of the build context: a smoke run of the harness),
and anything after ``--`` goes to pytest.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from harness import (  # this folder is on sys.path: the script runs from it
    ENGINE_ENV,
    IMAGE_ENV,
    SOCKET_ENV,
    Build,
    Engine,
    HarnessError,
    build_image,
    docker_engine,
    podman_engine,
)
from registry import RegistryError, local_registry
from setup_engine import PodmanPaths, SetupError, SetupReport, setup

log = logging.getLogger("container-test")

REPO = Path(__file__).resolve().parents[2]
TAG = "localhost/pipreqs-action-test:latest"
TEST_FILE = Path(__file__).resolve().parent / "test_container_action.py"
METRICS_ENV = "PIPREQS_ACTION_CONTAINER_METRICS"
REGISTRY_ENV = "PIPREQS_ACTION_CONTAINER_REGISTRY"
STUBBED_ENV = "PIPREQS_ACTION_CONTAINER_STUBBED"
NEEDED = (
    "Dockerfile",
    ".dockerignore",
    "entrypoint.py",
    "README.md",
    "pyproject.toml",
    "requirements",
    "src",
    "scripts",
)
STUBS = {
    "entrypoint.py": 'import sys\nprint("::error::stub entrypoint: the real entrypoint.py was missing")\nsys.exit(1)\n',
    "README.md": "# stand-in README for a smoke build\n",
}


class ContainerTestError(RuntimeError):
    """The container test could not run; the message says why."""


def docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        proc = subprocess.run(["docker", "info"], capture_output=True, timeout=20, check=False)
    except subprocess.TimeoutExpired:
        return False
    return proc.returncode == 0


@contextmanager
def api_socket(paths: PodmanPaths) -> Iterator[Path]:
    """podman's Docker-compatible API socket, standing in for the runner's /var/run/docker.sock."""
    socket = paths.api_socket
    socket.unlink(missing_ok=True)
    proc = subprocess.Popen(
        ["podman", "system", "service", "--time=0", f"unix://{socket}"],
        env={**os.environ, **paths.engine_env()}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 15
        while not socket.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                raise ContainerTestError(f"podman system service gave no socket at {socket}: {err.strip()}")
            time.sleep(0.1)
        yield socket
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def build_context(allow_stubs: bool) -> Iterator[tuple[Path, list[str]]]:
    """The repository itself, or, with --allow-stubs and files missing, a copy with throwaway stand-ins."""
    missing = [name for name in NEEDED if not (REPO / name).exists()]
    if not missing:
        yield REPO, []
        return
    stubbable = set(missing) <= set(STUBS)
    if not allow_stubs or not stubbable:
        raise ContainerTestError(f"the build context lacks {', '.join(missing)} (a smoke run: --allow-stubs)")
    with tempfile.TemporaryDirectory(prefix="pipreqs-action-context-") as tmp:
        context = Path(tmp)
        for name in NEEDED:
            source = REPO / name
            if source.is_dir():
                shutil.copytree(source, context / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
            elif source.exists():
                shutil.copy2(source, context / name)
            else:
                (context / name).write_text(STUBS[name])
        log.warning("SMOKE BUILD: stand-ins for %s (not the real action)", ", ".join(missing))
        yield context, missing


def prepare_engine(choice: str) -> tuple[Engine, SetupReport | None]:
    if choice == "docker" or (choice == "auto" and docker_answers()):
        return docker_engine(), None
    report = setup()
    return podman_engine(report.paths.engine_env()), report


def disk_used(path: Path) -> int:
    proc = subprocess.run(["du", "-sxb", str(path)], capture_output=True, text=True, check=False)
    return int(proc.stdout.split()[0]) if proc.returncode == 0 and proc.stdout else 0


def run_pytest(
    engine: Engine, image: str, socket: Path | None, metrics: Path, stubbed: list[str], extra: Sequence[str]
) -> int:
    """The scenarios, with a real registry on 127.0.0.1 for the release test (registry.py)."""
    with local_registry() as registry:
        return _pytest(engine, image, socket, metrics, stubbed, extra, registry)


def _pytest(
    engine: Engine, image: str, socket: Path | None, metrics: Path, stubbed: list[str], extra: Sequence[str],
    registry: str,
) -> int:  # fmt: skip
    env = {**os.environ, **engine.env, ENGINE_ENV: engine.name, IMAGE_ENV: image, METRICS_ENV: str(metrics)}
    env[REGISTRY_ENV] = registry
    if socket is not None:
        env[SOCKET_ENV] = str(socket)
    if stubbed:
        env[STUBBED_ENV] = ",".join(stubbed)
    argv = [sys.executable, "-m", "pytest", str(TEST_FILE), "-p", "no:cacheprovider", "-rA", *extra]
    return subprocess.run(argv, cwd=REPO, env=env, check=False).returncode


def report(setup_report: SetupReport | None, build: Build, metrics: Path, engine: Engine) -> None:
    lines = [f"engine: {engine.name}"]
    if setup_report is not None:
        install = setup_report.install_seconds
        base = setup_report.base_seconds
        lines.append(f"podman packages installed in: {'already there' if install is None else f'{install:.1f} s'}")
        lines.append(f"base image created in: {'already there' if base is None else f'{base:.1f} s'}")
        lines.append(f"podman storage on disk: {disk_used(setup_report.paths.state) / 1e6:.0f} MB")
    lines.append(f"image {build.image}: built in {build.seconds:.1f} s, size {build.size_bytes / 1e6:.1f} MB")
    if metrics.exists():
        for line in metrics.read_text().splitlines():
            item = json.loads(line)
            lines.append(f"run {item['test']}: {item['seconds']:.2f} s (exit {item['returncode']})")
    for line in lines:
        log.info("%s", line)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("auto", "podman", "docker"), default="auto")
    parser.add_argument("--no-cache", action="store_true", default=os.environ.get("CI") == "true")
    parser.add_argument("--allow-stubs", action="store_true")
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    started = time.monotonic()
    try:
        code = run(args)
    except (ContainerTestError, SetupError, HarnessError, RegistryError) as exc:
        log.error("FAILED: cannot run the container test on this machine: %s", exc)
        return 1
    log.info("container test finished in %.0f s, exit %d", time.monotonic() - started, code)
    return code


def run(args: argparse.Namespace) -> int:
    engine, setup_report = prepare_engine(args.engine)
    with (
        tempfile.TemporaryDirectory(prefix="pipreqs-action-metrics-") as tmp,
        build_context(args.allow_stubs) as (
            context,
            stubbed,
        ),
    ):
        build = build_image(engine, context, TAG, no_cache=args.no_cache)
        metrics = Path(tmp, "metrics.jsonl")
        if setup_report is None:
            code = run_pytest(engine, TAG, None, metrics, stubbed, args.pytest_args)
        else:
            with api_socket(setup_report.paths) as socket:
                code = run_pytest(engine, TAG, socket, metrics, stubbed, args.pytest_args)
            engine.call("image", "prune", "-f", what="image prune")  # earlier builds' layers, now dangling
        report(setup_report, build, metrics, engine)
    return code


if __name__ == "__main__":
    sys.exit(main())
