"""``pipreqs-action serve`` as the process an operator starts: several workers on one port, and a stop (SIGTERM)
that waits for the running clone and leaves no temporary tree behind."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from git_server import HOST, GitServer, Repo
from processes import children_by_parent

WAIT = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(tmp_path: Path, *args: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = free_port()
    tmp_path.mkdir(exist_ok=True)
    argv = [sys.executable, "-m", "pipreqs_action.cli", "serve", "--port", str(port), "--allow-host", HOST]
    env = {**os.environ, "TMPDIR": str(tmp_path)}  # the clones go here, where the test can look
    proc = subprocess.Popen([*argv, "--allow-http", "--offline", *args], env=env, stderr=subprocess.PIPE)
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + WAIT
        while True:
            try:
                if requests.get(f"{base}/health", timeout=1).ok:
                    break
            except requests.ConnectionError:
                assert time.monotonic() < deadline and proc.poll() is None, "serve did not start"
                time.sleep(0.1)
        yield proc, base
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(WAIT)
        assert proc.stderr is not None
        proc.stderr.close()


def test_workers_share_the_port_and_stop_together(tmp_path: Path) -> None:
    with serve(tmp_path, "--workers", "2") as (proc, base):
        workers = children_by_parent()[proc.pid]
        assert len(workers) == 2
        assert all(requests.get(f"{base}/health", timeout=WAIT).ok for _ in range(20))
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(WAIT) == 0
        assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


def test_sigterm_waits_for_the_running_clone_and_leaves_no_tree_behind(tmp_path: Path) -> None:
    arrived, gate = threading.Event(), threading.Event()

    def hold(path: str) -> None:
        if path.endswith("git-upload-pack") and not path.endswith("service=git-upload-pack"):
            arrived.set()  # the clone's pack request: its temporary tree exists now
            gate.wait(WAIT)

    with GitServer(on_request=hold) as git_server, serve(tmp_path / "tmp") as (proc, base):
        repo = git_server.create_repo("owner/slow", [{"a.py": "import yaml\n"}])
        answers: list[requests.Response] = []
        asking = threading.Thread(
            target=lambda: answers.append(requests.get(f"{base}/pipreqs", params={"code_url": repo.url}, timeout=WAIT))
        )
        asking.start()
        assert arrived.wait(WAIT)
        assert any((tmp_path / "tmp").iterdir())  # the clone in progress
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        gate.set()
        asking.join(WAIT)
        assert proc.wait(WAIT) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal once it has shut down
    assert [answer.status_code for answer in answers] == [200]  # the request in flight was answered
    assert list((tmp_path / "tmp").iterdir()) == []


def test_the_operators_memory_cap_and_recheck_period_reach_each_request(tmp_path: Path) -> None:
    """``--max-memory 64``: a request whose scan needs more is a 413 naming 64 MB (the default, 1024, would let it
    through). ``--recheck-after 0`` with answers kept 300 s: a push is seen by the very next request (the default
    period, 10 s, would serve the kept answer)."""
    source = ["import yaml\n", f"x = '{'a' * 24_000_000}'"]
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "source": source}
    big = json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})  # 24 MB
    limits = ("--max-memory", "64", "--recheck-after", "0", "--cache-ttl", "300")
    with GitServer() as git_server, serve(tmp_path, *limits) as (_, base):
        hungry = git_server.create_repo("owner/hungry", [{"a.py": "import requests\n", "big.ipynb": big}])
        pushed = git_server.create_repo("owner/pushed", [{"a.py": "import requests\n"}])

        def ask(repo: Repo) -> requests.Response:
            return requests.get(f"{base}/pipreqs", params={"code_url": repo.url, "mode": "no-pin"}, timeout=WAIT)

        too_big = ask(hungry)
        assert too_big.status_code == 413 and "64 MB" in too_big.json()["detail"]
        assert ask(pushed).text == "requests\n"
        git_server.push(pushed, {"b.py": "import yaml\n"})
        assert ask(pushed).text == "PyYAML\nrequests\n"


def test_ctrl_c_stops_serve_without_a_traceback_and_leaves_nothing(tmp_path: Path) -> None:
    """SIGINT (Ctrl-C; and in a container, where SIGTERM to PID 1 also ends in a normal exit): the server stops
    with no traceback, and multiprocessing's own clean-up removes its folder for the forkserver's socket."""
    with serve(tmp_path / "tmp") as (proc, base):
        assert requests.get(f"{base}/health", timeout=WAIT).ok
        proc.send_signal(signal.SIGINT)
        assert proc.wait(WAIT) in (0, 130)  # 130 when uvicorn passes the interrupt on after stopping, else 0
        assert proc.stderr is not None
        assert "Traceback" not in proc.stderr.read().decode()
    assert list((tmp_path / "tmp").iterdir()) == []
