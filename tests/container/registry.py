"""A real container registry on 127.0.0.1 for the release test: Debian's ``docker-registry`` (the reference
implementation, distribution 2.8), with its own configuration file and storage in a temporary directory.

The release workflow pushes to ghcr.io and the release's action.yml names the image ``docker://...``; the
container test repeats that against this registry (push, rewrite with scripts/release_action_yml.py, pull by the
rewritten reference, run), so what users pull is what the tests ran. Listens on loopback only, plain HTTP (docker
treats 127.0.0.0/8 registries as insecure by default; podman is told with ``--tls-verify=false``).
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger("container.registry")

PACKAGE = "docker-registry"
START_SECONDS = 15.0


class RegistryError(RuntimeError):
    """The registry could not be installed or started; the message says why."""


def ensure_installed() -> None:
    """apt-get install Debian's registry when it is missing (root on Debian/Ubuntu, as the container test runs)."""
    if shutil.which(PACKAGE):
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        raise RegistryError(f"{PACKAGE} is not installed (as root on Debian: apt-get install {PACKAGE})")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for argv in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "--no-install-recommends", PACKAGE]):
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise RegistryError(f"{' '.join(argv)} failed: {proc.stderr.strip()[-2000:]}")


def config(port: int, storage: Path) -> str:
    """distribution's YAML configuration: loopback only, filesystem storage, no auth (nothing leaves the host)."""
    return (
        "version: 0.1\n"
        "log:\n  level: warn\n"
        f"storage:\n  filesystem:\n    rootdirectory: {storage}\n  delete:\n    enabled: true\n"
        f"http:\n  addr: 127.0.0.1:{port}\n"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(address: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://{address}/v2/", timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


@contextmanager
def local_registry() -> Iterator[str]:
    """Start the registry; yields its address (``127.0.0.1:PORT``); stops it and deletes its storage on exit."""
    ensure_installed()
    with tempfile.TemporaryDirectory(prefix="pipreqs-action-registry-") as tmp:
        port = _free_port()
        conf = Path(tmp, "config.yml")
        conf.write_text(config(port, Path(tmp, "storage")))
        proc = subprocess.Popen(
            [shutil.which(PACKAGE) or PACKAGE, "serve", str(conf)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        address = f"127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + START_SECONDS
            while not _answers(address):
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                    raise RegistryError(f"{PACKAGE} did not answer on {address}: {err.strip()[-2000:]}")
                time.sleep(0.1)
            log.info("registry (%s) listening on %s", PACKAGE, address)
            yield address
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
