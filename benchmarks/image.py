"""The action image's size and cold build time, for benchmarks/run.py, when podman is on the machine.

A cold build (``--no-cache``, the base image already present) is what GitHub's runner pays for
``image: 'Dockerfile'`` (``main``, ``uses: ./``); released action.yml files name the prebuilt image instead.
The size is the one ``podman images`` shows (decimal MB). Uses the private podman configuration of the
container test (tests/container/setup_engine.py) when it exists, so the recreated debian:bookworm-slim is
found; ``--pull=never``: nothing is fetched but what the Dockerfile itself installs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

TAG = "localhost/pipreqs-action-bench:latest"
PODMAN_DIR = Path(os.environ.get("PIPREQS_ACTION_PODMAN_DIR", "/var/lib/pipreqs-action-podman"))


def _podman_env() -> dict[str, str]:
    env = dict(os.environ)
    conf, storage = PODMAN_DIR / "containers.conf", PODMAN_DIR / "storage.conf"
    if conf.is_file() and storage.is_file():
        env.update(CONTAINERS_CONF=str(conf), CONTAINERS_STORAGE_CONF=str(storage))
    return env


def image_section(repo: Path) -> str | None:
    """One line with the image's size and cold build time; None when podman is not installed."""
    if shutil.which("podman") is None:
        return None
    env = _podman_env()
    argv = ["podman", "build", "--no-cache", "--pull=never", "--format=docker", "-t", TAG, str(repo)]
    started = time.perf_counter()
    built = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if built.returncode != 0:
        return f"image: podman build failed after {seconds:.0f} s: {(built.stderr.strip().splitlines() or [''])[-1]}"
    size = subprocess.run(
        ["podman", "image", "inspect", "--format", "{{.Size}}", TAG], env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    subprocess.run(["podman", "image", "prune", "-f"], env=env, capture_output=True, check=False)  # the builder stage
    mb = int(size.stdout.strip() or 0) / 1e6
    return f"image (podman): {mb:.1f} MB, cold build {seconds:.0f} s with the base image present"
