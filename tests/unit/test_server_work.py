"""One clone per repository: identical requests share a job, outcomes are cached, the work is bounded.

The Coalescer alone (asyncio, a fake clock, jobs that block until told), then the server over real HTTP
against the local git server, counting the clones it serves.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from tests.api_server import WAIT, local_config, running

from git_server import GitServer
from pipreqs_action.server.work import Busy, Coalescer, Limits


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def coalescer(clock: Clock | None = None, **limits: float) -> Coalescer[str]:
    return Coalescer(Limits(**limits), lambda value: value.startswith("error"), clock or time.monotonic)  # type: ignore[arg-type]


def blocking_job(gate: threading.Event, value: str, calls: list[str]) -> Callable[[], str]:
    def job() -> str:
        calls.append(value)
        assert gate.wait(WAIT)
        return value

    return job


def test_identical_requests_in_flight_share_one_job() -> None:
    async def scenario() -> list[str]:
        work, gate, calls = coalescer(), threading.Event(), []
        waiting = [asyncio.create_task(work.get("key", blocking_job(gate, "report", calls))) for _ in range(50)]
        await asyncio.sleep(0.05)
        gate.set()
        results = await asyncio.gather(*waiting)
        assert (work.jobs_started, work.joined) == (1, 49)
        work.close()
        return [*results, *calls]

    assert asyncio.run(scenario()) == ["report"] * 50 + ["report"]


def test_outcomes_are_cached_for_the_ttl_failures_only_briefly() -> None:
    async def scenario() -> None:
        clock, calls = Clock(), []
        work = coalescer(clock, ttl=300, failure_ttl=10)
        done = threading.Event()
        done.set()
        assert await work.get("ok", blocking_job(done, "report", calls)) == "report"
        assert await work.get("bad", blocking_job(done, "error: not found", calls)) == "error: not found"
        clock.now = 11
        assert await work.get("ok", blocking_job(done, "new", calls)) == "report"  # cached
        assert await work.get("bad", blocking_job(done, "error: again", calls)) == "error: again"  # expired
        clock.now = 301
        assert await work.get("ok", blocking_job(done, "new", calls)) == "new"
        assert calls == ["report", "error: not found", "error: again", "new"]
        assert work.hits == 1
        work.close()

    asyncio.run(scenario())


def test_the_cache_keeps_at_most_max_entries_dropping_the_least_recently_used() -> None:
    async def scenario() -> None:
        work, calls, done = coalescer(max_entries=2), [], threading.Event()
        done.set()
        for key in ("a", "b"):
            await work.get(key, blocking_job(done, key, calls))
        await work.get("a", blocking_job(done, "a2", calls))  # a is fresh again
        await work.get("c", blocking_job(done, "c", calls))  # evicts b
        assert await work.get("a", blocking_job(done, "a3", calls)) == "a"
        assert await work.get("b", blocking_job(done, "b2", calls)) == "b2"
        work.close()

    asyncio.run(scenario())


def test_past_the_slots_and_the_queue_new_work_is_busy_but_joining_is_free() -> None:
    async def scenario() -> None:
        work, gate, calls = coalescer(max_clones=1, max_queue=1, retry_after=7), threading.Event(), []
        running = asyncio.create_task(work.get("a", blocking_job(gate, "a", calls)))
        queued = asyncio.create_task(work.get("b", blocking_job(gate, "b", calls)))
        await asyncio.sleep(0.05)
        with pytest.raises(Busy) as busy:
            await work.get("c", blocking_job(gate, "c", calls))
        assert busy.value.retry_after == 7
        joined = asyncio.create_task(work.get("b", blocking_job(gate, "never", calls)))
        await asyncio.sleep(0.05)
        assert calls == ["a"]  # one slot: b waits in the queue
        gate.set()
        assert await asyncio.gather(running, queued, joined) == ["a", "b", "b"]
        assert await work.get("c", blocking_job(gate, "c", calls)) == "c"  # room again
        work.close()

    asyncio.run(scenario())


def test_a_job_never_blocks_the_event_loop() -> None:
    async def scenario() -> None:
        work, gate, calls = coalescer(), threading.Event(), []
        slow = asyncio.create_task(work.get("slow", blocking_job(gate, "slow", calls)))
        started = time.monotonic()
        await asyncio.sleep(0.05)  # the loop is free while the job's thread waits
        assert time.monotonic() - started < 1
        assert not slow.done()
        gate.set()
        assert await slow == "slow"
        work.close()

    asyncio.run(scenario())


def test_a_client_that_leaves_does_not_cancel_the_others_job() -> None:
    async def scenario() -> None:
        work, gate, calls = coalescer(), threading.Event(), []
        first = asyncio.create_task(work.get("k", blocking_job(gate, "report", calls)))
        second = asyncio.create_task(work.get("k", blocking_job(gate, "never", calls)))
        await asyncio.sleep(0.05)
        first.cancel()
        gate.set()
        assert await second == "report"
        work.close()

    asyncio.run(scenario())


# --- over HTTP -------------------------------------------------------------------------------------------------


def clones(server: GitServer) -> int:
    return sum(path.endswith("info/refs?service=git-upload-pack") for path in server.state.paths)


def test_fifty_identical_requests_make_one_clone_and_a_later_one_none() -> None:
    gate, arrived = threading.Event(), threading.Event()

    def hold(path: str) -> None:
        if path.endswith("info/refs?service=git-upload-pack"):
            arrived.set()
            gate.wait(WAIT)

    with GitServer(on_request=hold) as git_server, running(local_config(ttl=300)) as base:
        repo = git_server.create_repo("owner/popular", [{"a.py": "import requests\n"}])
        params = {"code_url": repo.url, "mode": "no-pin"}

        def ask(_: int) -> requests.Response:
            return requests.get(f"{base}/pipreqs", params=params, timeout=WAIT)

        with ThreadPoolExecutor(max_workers=50) as pool:
            answers = pool.map(ask, range(50))
            assert arrived.wait(WAIT)
            time.sleep(0.3)  # let the other requests arrive and join
            assert requests.get(f"{base}/health", timeout=5).status_code == 200  # while the clone is held
            gate.set()
            statuses = [answer.status_code for answer in answers]
        assert statuses == [200] * 50
        assert clones(git_server) == 1
        again = requests.get(f"{base}/check", params=params, timeout=WAIT)  # the other format, from the cache
        assert again.status_code == 200 and again.json()["files_scanned"] == 1
        assert clones(git_server) == 1


def test_a_failure_is_cached_only_briefly(git_server: GitServer) -> None:
    with running(local_config(ttl=300, failure_ttl=0.5)) as base:
        params = {"code_url": f"{git_server.base_url}/owner/later", "mode": "no-pin"}
        assert requests.get(f"{base}/pipreqs", params=params, timeout=WAIT).status_code == 404
        git_server.create_repo("owner/later", [{"a.py": "import yaml\n"}])
        assert requests.get(f"{base}/pipreqs", params=params, timeout=WAIT).status_code == 404  # cached
        time.sleep(0.6)
        answer = requests.get(f"{base}/pipreqs", params=params, timeout=WAIT)
        assert answer.status_code == 200 and answer.text == "PyYAML\n"


def test_a_branch_answer_also_serves_requests_for_the_commit_it_resolved_to(git_server: GitServer) -> None:
    repo = git_server.create_repo("owner/pinned", [{"a.py": "import requests\n"}, {"a.py": "import yaml\n"}])
    with running(local_config(ttl=300)) as base:

        def names(**params: str) -> str:
            query = {"code_url": repo.url, "mode": "no-pin", **params}
            return requests.get(f"{base}/pipreqs", params=query, timeout=WAIT).text

        assert names() == "PyYAML\n"
        assert names(ref=repo.head) == "PyYAML\n"
        assert clones(git_server) == 1  # the default branch's answer, found by its commit
        assert names(ref=repo.commits[0]) == "requests\n"
        assert clones(git_server) == 2
