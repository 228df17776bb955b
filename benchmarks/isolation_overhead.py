"""What running each API job's scans in a child process costs per request. A script, not a test.

It serves one repository from a local git server (git http-backend, tests/git_server.py) and asks the API for it
``--requests`` times in a row, uncached (every request clones and scans), once with the scans in this process
(``Engine(isolated=False)``: cooperative limits only) and once in a child process capped per request (the
default), alternating the two so a busy machine slows both alike. It prints the median and mean latency of each
and their difference: the price of the per-request memory cap and hard deadline.

The servers run in a ``python -c`` process: multiprocessing runs the parent's ``__main__`` again in every child,
and this script's imports (uvicorn, the test helpers) would be measured with it; ``pipreqs-action serve``'s own
``__main__`` is the command line, which the forkserver has imported already (``isolation._PRELOAD``).

    .venv/bin/python benchmarks/isolation_overhead.py [--requests 30] [--files 40]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from load_server import _repo_files  # noqa: E402
from tests.api_server import WAIT, local_config, running  # noqa: E402

from git_server import GitServer  # noqa: E402


def _timed(base: str, url: str) -> float:
    began = time.perf_counter()
    answer = requests.get(f"{base}/pipreqs", params={"code_url": url, "mode": "no-pin"}, timeout=WAIT)
    elapsed = time.perf_counter() - began
    if answer.status_code != 200:
        raise SystemExit(f"unexpected answer {answer.status_code}: {answer.text[:200]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--files", type=int, default=40, help="Python files in the repository")
    args = parser.parse_args()
    paths = [str(ROOT / "benchmarks"), str(ROOT / "tests"), str(ROOT)]
    code = f"import sys; sys.path[:0] = {paths!r}; import isolation_overhead; isolation_overhead.measure"
    subprocess.run([sys.executable, "-c", f"{code}({args.requests}, {args.files})"], check=True)


def measure(count: int, files: int) -> None:
    config = local_config()
    configs = {
        "in-process": replace(config, engine=replace(config.engine, offline=True, isolated=False)),
        "isolated": replace(config, engine=replace(config.engine, offline=True, isolated=True)),
    }
    times: dict[str, list[float]] = {name: [] for name in configs}
    with GitServer() as git:
        url = git.create_repo("owner/bench", [_repo_files(0, files)]).url
        with running(configs["in-process"]) as plain, running(configs["isolated"]) as isolated:
            bases = {"in-process": plain, "isolated": isolated}
            for base in bases.values():  # warm-up: first imports, the forkserver, git's caches
                _timed(base, url)
            for _ in range(count):
                for name, base in bases.items():
                    times[name].append(_timed(base, url))
    print(f"{count} sequential uncached requests each, one repository of {files} Python files")
    for name, values in times.items():
        median, mean = statistics.median(values) * 1000, statistics.mean(values) * 1000
        print(f"{name:11} median {median:7.1f} ms, mean {mean:7.1f} ms")
    median = statistics.median(times["isolated"]) - statistics.median(times["in-process"])
    mean = statistics.mean(times["isolated"]) - statistics.mean(times["in-process"])
    print(f"overhead    median {median * 1000:+7.1f} ms, mean {mean * 1000:+7.1f} ms per request (job)")


if __name__ == "__main__":
    main()
