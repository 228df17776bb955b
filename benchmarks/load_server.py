"""Load on the HTTP API: 200 concurrent requests for 10 repositories, all at once. A script, not a test.

It starts a local git server (git http-backend, tests/git_server.py) with 10 repositories and ``pipreqs-action
serve`` as its own process, fires the requests from 200 threads released together, and prints: clones made
(goal: 10, one per repository), answers by status (goal: 200 OK, no reset connection), latency p50/p95/p99, and
the peak memory of the server with every process it started (git included), sampled every 20 ms.

    .venv/bin/python benchmarks/load_server.py [--requests 200] [--repos 10] [--files 40] [--max-clones 4]
"""

from __future__ import annotations

import argparse
import collections
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from git_server import HOST, GitServer  # noqa: E402
from processes import descendants, rss_bytes  # noqa: E402

IMPORTS = ["requests", "yaml", "flask", "numpy", "pandas", "click", "jinja2", "attr", "dateutil", "pytz"]


def _repo_files(index: int, files: int) -> dict[str, str]:
    tree = {"requirements.txt": "requests\nflask\n"}
    for n in range(files):
        first, second = IMPORTS[(index + n) % len(IMPORTS)], IMPORTS[(index * 3 + n) % len(IMPORTS)]
        tree[f"pkg{index}/module_{n}.py"] = (
            f"import os\nimport {first}\nfrom {second} import *\n\n\ndef f():\n    pass\n"
        )
    return tree


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class PeakMemory(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.02):
            self.peak = max(self.peak, sum(rss_bytes(pid) for pid in descendants(self.pid)))


def _start_server(port: int, max_clones: int) -> subprocess.Popen[bytes]:
    argv = [str(ROOT / ".venv/bin/pipreqs-action"), "serve", "--port", str(port), "--allow-host", HOST]
    argv += ["--allow-http", "--offline", "--max-clones", str(max_clones)]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://{HOST}:{port}/health", timeout=1).ok:
                return proc
        except requests.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def _fire(base: str, urls: list[str], count: int) -> tuple[list[float], collections.Counter[str]]:
    latencies: list[float] = []
    statuses: collections.Counter[str] = collections.Counter()
    lock, start = threading.Lock(), threading.Barrier(count)

    def one(n: int) -> None:
        start.wait()
        began = time.monotonic()
        try:
            answer = requests.get(f"{base}/pipreqs", params={"code_url": urls[n % len(urls)]}, timeout=300)
            outcome = str(answer.status_code)
        except requests.ConnectionError:
            outcome = "connection error"
        except requests.Timeout:
            outcome = "timeout"
        with lock:
            latencies.append(time.monotonic() - began)
            statuses[outcome] += 1

    threads = [threading.Thread(target=one, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses


def _percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--repos", type=int, default=10)
    parser.add_argument("--files", type=int, default=40, help="Python files per repository")
    parser.add_argument("--max-clones", type=int, default=4)
    args = parser.parse_args()
    with GitServer() as git:
        urls = [git.create_repo(f"owner/repo{n}", [_repo_files(n, args.files)]).url for n in range(args.repos)]
        port = _free_port()
        server = _start_server(port, args.max_clones)
        memory = PeakMemory(server.pid)
        memory.start()
        try:
            began = time.monotonic()
            latencies, statuses = _fire(f"http://{HOST}:{port}", urls, args.requests)
            wall = time.monotonic() - began
        finally:
            memory.stop.set()
            memory.join()
            server.terminate()
            server.wait(30)
        clones = sum(path.endswith("info/refs?service=git-upload-pack") for path in git.state.paths)
    print(
        f"{args.requests} concurrent requests for {args.repos} repositories ({args.files} files each), "
        f"--max-clones {args.max_clones}, CPUs {os.cpu_count()}"
    )
    print(f"clones made:       {clones} (goal: {args.repos})")
    print(f"answers by status: {dict(sorted(statuses.items()))} (goal: {{'200': {args.requests}}})")
    print(
        f"latency:           p50 {_percentile(latencies, 50):.2f} s, p95 {_percentile(latencies, 95):.2f} s, "
        f"p99 {_percentile(latencies, 99):.2f} s, max {max(latencies):.2f} s; all answered in {wall:.2f} s"
    )
    print(f"peak memory:       {memory.peak / 2**20:.0f} MiB (server and its git processes, RSS summed)")


if __name__ == "__main__":
    main()
