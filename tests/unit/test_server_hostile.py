"""Hostile repositories through the HTTP API, as the review behind issue 11 built them against 127.0.0.1: each one
gets an answer (never a hang or a 500), /health keeps answering meanwhile, nothing of the server's environment
comes back, and nothing is left in the temporary folder."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import requests
from tests.api_server import WAIT, local_config, running

from git_server import GitServer, Repo
from hostile_http import HostileServer
from pipreqs_action.limits import ScanLimits


@pytest.fixture
def api(temp_root: Path) -> Iterator[str]:
    with running(local_config(index_url="http://127.0.0.1:9/pypi")) as base:
        yield base


def ask(base: str, repo: Repo, path: str = "/check") -> requests.Response:
    return requests.get(f"{base}{path}", params={"code_url": repo.url, "mode": "no-pin"}, timeout=WAIT)


def leftovers(temp_root: Path) -> list[str]:
    """What requests left in the temporary folder: not the test's git server, nor multiprocessing's one folder
    for the forkserver's socket (per server process, not per request; removed when the process ends)."""
    return [path.name for path in temp_root.iterdir() if not path.name.startswith(("git-server-", "pymp-"))]


def asked_while_health_answers(base: str, code_url: str) -> requests.Response:
    """``/check`` for ``code_url``, polling ``/health`` all the while: each of those answers in under 2 s."""
    answers: list[requests.Response] = []
    params = {"code_url": code_url, "mode": "no-pin"}
    asking = threading.Thread(target=lambda: answers.append(requests.get(f"{base}/check", params=params, timeout=WAIT)))
    asking.start()
    polls = 0
    while asking.is_alive():
        health_started = time.monotonic()
        assert requests.get(f"{base}/health", timeout=WAIT).status_code == 200
        assert time.monotonic() - health_started < 2
        polls += 1
        time.sleep(0.05)
    asking.join()
    assert polls > 0
    return answers[0]


def test_a_backtracking_ignore_pattern_answers_quickly_and_health_stays_up(api: str, git_server: GitServer) -> None:
    pattern = "*a" * 20 + "*b"  # backtracks exponentially in a matcher that backtracks (git's own included:
    files = {"a" * 60 + ".py": "import yaml\n", "app.py": "import requests\n"}  # so the files come first)
    repo = git_server.create_repo("owner/redos", [files, {".gitignore": f"{pattern}\n"}])
    started = time.monotonic()
    answer = asked_while_health_answers(api, repo.url)
    assert time.monotonic() - started < WAIT
    assert answer.status_code in {200, 422}, answer.text


@pytest.mark.parametrize("mode", ["endless", "gzip"])
def test_an_endless_or_gzip_bombed_clone_is_a_413_and_leaves_nothing(mode: str, temp_root: Path) -> None:
    """Issue 11: such a git reply drove git to 3.9 GB. Through the API: git stops at its memory cap (the request's,
    256 MB here), the client is told 413 without git's words, /health answers all along, the clone is gone."""
    config = local_config()
    config = replace(config, engine=replace(config.engine, limits=ScanLimits(seconds=60, memory_mb=256)))
    with running(config) as base, HostileServer(mode) as hostile:
        started = time.monotonic()
        answer = asked_while_health_answers(base, f"{hostile.url}/owner/bomb")
        assert time.monotonic() - started < WAIT
        assert hostile.requests  # git did ask it
    assert (answer.status_code, answer.json()) == (413, {"detail": "too big"})
    assert leftovers(temp_root) == []


def test_a_tree_a_thousand_folders_deep_is_answered_and_removed(
    api: str, git_server: GitServer, temp_root: Path
) -> None:
    """Issue 11: a 1,000-level-deep tree crashed the clean-up (a 500) and stayed in the temporary folder. Now it
    is checked like any other tree (the module at the bottom is read), /health answering meanwhile, and removed."""
    repo = git_server.create_repo("owner/deep", [{"app.py": "import requests\n"}])
    git_server.push(repo, {"/".join(["d"] * 1000 + ["deep.py"]): "import yaml\n"})  # deeper than mkdir can make
    answer = asked_while_health_answers(api, repo.url)
    assert answer.status_code == 200, answer.text
    missing = {item["package"]: item["locations"][0]["path"] for item in answer.json()["missing"]}
    assert missing == {"requests": "app.py", "PyYAML": "/".join(["d"] * 1000 + ["deep.py"])}
    assert leftovers(temp_root) == []


def test_the_servers_environment_never_reaches_an_answer(
    api: str, git_server: GitServer, monkeypatch: pytest.MonkeyPatch, temp_root: Path
) -> None:
    monkeypatch.setenv("PIPREQS_TEST_SECRET", "s3cr3t-value")
    files = {
        "app.py": "import requests\n",
        "requirements.txt": "requests\n--index-url https://${PIPREQS_TEST_SECRET}@pypi.example/simple\n",
        "pyproject.toml": '[project]\nname = "x"\nversion = "1"\ndependencies = ["pkg @ file://${PIPREQS_TEST_SECRET}"]\n',
    }
    repo = git_server.create_repo("owner/env", [files])
    for path in ("/check", "/pipreqs"):
        response = ask(api, repo, path)
        assert response.status_code != 500
        assert "s3cr3t-value" not in response.text
    assert leftovers(temp_root) == []  # the clone and the scratch folders are gone


def test_a_deep_pyproject_is_not_a_500(api: str, git_server: GitServer) -> None:
    deep = "a = " + "[" * 5000 + "]" * 5000 + "\n"
    repo = git_server.create_repo("owner/deeptoml", [{"app.py": "import requests\n", "pyproject.toml": deep}])
    for path in ("/check", "/pipreqs"):
        response = ask(api, repo, path)
        assert response.status_code in {200, 422}, response.text
        if response.status_code == 422:
            assert "nested too deeply" in response.json()["detail"]


def test_a_scan_past_its_deadline_is_a_504_saying_so(git_server: GitServer) -> None:
    config = local_config()
    config = replace(config, engine=replace(config.engine, limits=ScanLimits(seconds=1e-6)))
    repo = git_server.create_repo("owner/slowscan", [{f"m{n}.py": "import yaml\n" for n in range(20)}])
    with running(config) as base:
        response = ask(base, repo)
        assert requests.get(f"{base}/health", timeout=WAIT).status_code == 200
    assert response.status_code == 504
    assert response.json()["detail"].startswith("stopped after ")


def test_a_scan_past_its_memory_cap_is_a_413_saying_so(git_server: GitServer, temp_root: Path) -> None:
    """The scans run in a process of their own capped per request: one that cannot have the memory it needs is
    stopped and told so, and the server, which shares nothing with it, goes on."""
    config = local_config()
    config = replace(config, engine=replace(config.engine, limits=ScanLimits(seconds=60, memory_mb=64)))
    cell = {
        "cell_type": "code",
        "metadata": {},
        "outputs": [],
        "source": ["import yaml\n", f"x = '{'a' * 24_000_000}'\n"],
    }
    notebook = json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})  # 24 MB
    repo = git_server.create_repo("owner/hungry", [{"app.py": "import requests\n", "big.ipynb": notebook}])
    with running(config) as base:
        response = ask(base, repo)
        assert requests.get(f"{base}/health", timeout=WAIT).status_code == 200
    assert response.status_code == 413, response.text
    assert "64 MB" in response.json()["detail"]
    assert leftovers(temp_root) == []
