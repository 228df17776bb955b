"""A cached answer for a branch is checked with ``git ls-remote`` before it is served: a push is seen at once, an
unchanged branch costs no clone, and a request that names a commit is never checked."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
import requests
from tests.api_server import WAIT, local_config, running

from git_server import LOCAL_HOSTS, GitServer, Repo
from pipreqs_action.server.checks import Engine
from pipreqs_action.server.freshness import Revalidator, commit_in, remote_commit
from pipreqs_action.server.policy import UrlPolicy
from pipreqs_action.sources import source

A, B, C, D = ("a" * 40, "b" * 40, "c" * 40, "d" * 40)
LISTING = "\n".join(
    [
        f"{A}\tHEAD",
        f"{A}\trefs/heads/main",
        f"{B}\trefs/heads/feature/main",
        f"{C}\trefs/tags/v1",  # an annotated tag: the tag object, then the commit it marks
        f"{D}\trefs/tags/v1^{{}}",
        f"{B}\trefs/heads/both",
        f"{C}\trefs/tags/both",
    ]
)


@pytest.mark.parametrize(
    ("ref", "commit"),
    [
        (None, A),  # the default branch
        ("main", A),  # refs/heads/main, not the longer refs/heads/feature/main that also ends in main
        ("feature/main", B),
        ("v1", D),  # peeled: the commit a clone checks out, not the tag object
        ("refs/tags/v1", D),
        ("both", C),  # as git reads a short name: a tag before a branch
        ("missing", None),
    ],
)
def test_the_commit_is_read_from_ls_remote_as_git_reads_a_ref(ref: str | None, commit: str | None) -> None:
    assert commit_in(LISTING, ref) == commit


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[GitServer, Repo]]:
    with GitServer() as server:
        repo = server.create_repo(
            "owner/moving",
            [{"a.py": "import requests\n"}, {"b.py": "import yaml\n"}],
            tags={"v1": 0},
            branches={"feature": [{"f.py": "import attrs\n"}]},
        )
        yield server, repo


def test_ls_remote_tells_where_each_ref_points_without_fetching(served: tuple[GitServer, Repo]) -> None:
    server, repo = served
    policy = UrlPolicy.build(LOCAL_HOSTS, allow_http=True)
    target = policy.check(repo.url)
    before = len(server.state.commands)
    assert remote_commit(policy, target, None, Engine()) == repo.head
    assert remote_commit(policy, target, "v1", Engine()) == repo.commits[0]
    assert remote_commit(policy, target, "feature", Engine()) == server.rev(repo, "feature")
    assert remote_commit(policy, target, "nope", Engine()) is None
    assert set(server.state.commands[before:]) == {"ls-refs"}  # nothing fetched


def test_ls_remote_never_takes_a_ref_as_an_option(served: tuple[GitServer, Repo]) -> None:
    server, repo = served
    policy = UrlPolicy.build(LOCAL_HOSTS, allow_http=True)
    before = len(server.state.paths)
    assert remote_commit(policy, policy.check(repo.url), "--upload-pack=touch /tmp/x", Engine()) is None
    with pytest.raises(source.SettingsError):
        source.ls_remote(policy.check(repo.url), "-h")
    assert len(server.state.paths) == before  # refused before git ran


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_recent_answer_is_not_checked_and_concurrent_checks_share_one() -> None:
    clock, gate, calls = Clock(), threading.Event(), []
    fresh = Revalidator(10.0, clock)

    def resolve() -> str | None:
        calls.append(1)
        assert gate.wait(WAIT)
        return B

    async def scenario() -> tuple[bool, list[bool]]:
        recent = await fresh.current("k", A, since=95.0, resolve=resolve)  # made 5 s ago: served as is
        checks = [asyncio.create_task(fresh.current("k", A, since=80.0, resolve=resolve)) for _ in range(20)]
        await asyncio.sleep(0.1)
        gate.set()
        return recent, list(await asyncio.gather(*checks))

    try:
        recent, moved = asyncio.run(scenario())
    finally:
        fresh.close()
    assert recent is True
    assert moved == [False] * 20  # the branch moved from A to B
    assert calls == [1]


def test_a_confirmed_answer_waits_a_full_period_and_an_unknown_commit_keeps_the_answer() -> None:
    clock = Clock()
    fresh = Revalidator(10.0, clock)
    answers = iter([A, None])

    async def scenario() -> list[bool]:
        results = [await fresh.current("k", A, since=0.0, resolve=lambda: next(answers))]  # checked: still A
        clock.now += 5
        results.append(await fresh.current("k", A, since=0.0, resolve=lambda: next(answers)))  # confirmed 5 s ago
        clock.now += 6
        results.append(await fresh.current("k", A, since=0.0, resolve=lambda: next(answers)))  # host silent
        return results

    try:
        assert asyncio.run(scenario()) == [True, True, True]
    finally:
        fresh.close()
    assert fresh.checks == 2


def fetches(server: GitServer) -> int:
    return server.state.commands.count("fetch")


def test_a_push_is_seen_by_the_next_request_and_an_unchanged_branch_is_not_cloned_again(
    git_server: GitServer,
) -> None:
    repo = git_server.create_repo("owner/pushed", [{"a.py": "import requests\n"}])
    with running(local_config(ttl=300, revalidate_after=0)) as base:

        def names(**params: str) -> str:
            query = {"code_url": repo.url, "mode": "no-pin", **params}
            return requests.get(f"{base}/pipreqs", params=query, timeout=WAIT).text

        assert names() == "requests\n"
        assert names() == "requests\n"
        assert (fetches(git_server), git_server.state.commands.count("ls-refs")) == (1, 2)  # the clone, one check
        git_server.push(repo, {"b.py": "import yaml\n"})
        assert names() == "PyYAML\nrequests\n"
        assert fetches(git_server) == 2
        checks = git_server.state.commands.count("ls-refs")
        assert names(ref=repo.head) == "requests\n"  # a commit: from the cache (the first clone), never checked
        assert git_server.state.commands.count("ls-refs") == checks


def test_within_the_period_a_cached_answer_is_served_unchecked(git_server: GitServer) -> None:
    repo = git_server.create_repo("owner/quiet", [{"a.py": "import requests\n"}])
    with running(local_config(ttl=300, revalidate_after=300)) as base:
        params = {"code_url": repo.url, "mode": "no-pin"}
        assert requests.get(f"{base}/pipreqs", params=params, timeout=WAIT).text == "requests\n"
        git_server.push(repo, {"b.py": "import yaml\n"})
        assert requests.get(f"{base}/pipreqs", params=params, timeout=WAIT).text == "requests\n"
    assert git_server.state.commands == ["ls-refs", "fetch"]  # one clone, no check
