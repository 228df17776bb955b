"""The API where git is not installed (the image): a repository comes as its host's tarball, from the host's REST
API and the download host it redirects to. Every host contacted passes the same address checks as the repository's
own, each connection is made at the addresses checked, and a redirect to any other host is not followed.

A stand-in resolver says where the ``.test`` names "resolve" (no real DNS server knows them, so an answer proves
the connection went to the checked address); the local tarball host is counted as public for these tests."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator

import pytest
from tests.unit.test_server_policy import fake_resolver
from tests.unit.test_tarball import GOOD, SHA, Host, make_tarball
from tests.unit.test_tarball import host as tarball_host

from pipreqs_action.server import policy as policy_module
from pipreqs_action.server.checks import Answer, Engine, run_job
from pipreqs_action.server.freshness import remote_commit
from pipreqs_action.server.policy import UrlPolicy
from pipreqs_action.sources import source, tarball

FORGE = "forge.test"
TARBALL = "/api/v3/repos/octo/lib/tarball"
PRIVATE = "10.0.0.7"


@pytest.fixture
def host() -> Iterator[Host]:
    """The tarball tests' GitHub stand-in on 127.0.0.1: routes by path, records what each request named."""
    yield from tarball_host.__wrapped__()


@pytest.fixture(autouse=True)
def without_git(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    public = policy_module.is_public
    monkeypatch.setattr(policy_module, "is_public", lambda address: address.is_loopback or public(address))


def forge_policy(table: dict[str, list[str]], asked: list[str], forge: str = FORGE) -> UrlPolicy:
    """The default checks (not hosts the operator trusts) for the one forge ``forge``, http allowed; the names
    looked up go into ``asked``."""
    resolve = fake_resolver(table)

    def recorded(name: str, port: int) -> list[str]:
        asked.append(name)
        return resolve(name, port)

    return UrlPolicy(frozenset({forge}), allow_http=True, resolver=recorded)


def ask(policy: UrlPolicy, host: Host) -> Answer:
    """The server's job for ``http://forge.test:PORT/octo/lib`` (the port is the stand-in's: a request naming it
    would be refused by the default policy before any job, so the job is run as a request's would be)."""
    return run_job(policy, forge_repo(host), None, "no-pin", Engine(offline=True, isolated=False)).text


def forge_repo(host: Host) -> source.RepoRef:
    return source.parse_repository(f"http://{FORGE}:{host.port}/octo/lib", allow_http_hosts=frozenset({FORGE}))


def redirect_to(host: Host, download_host: str) -> None:
    location = f"http://{download_host}:{host.port}/octo/lib/tar.gz/main?token=signed"
    host.routes[TARBALL] = (302, {"Location": location}, b"")
    host.routes["/octo/lib/tar.gz/main?token=signed"] = (200, {}, make_tarball(GOOD))


def test_the_download_host_is_reached_at_its_checked_address(host: Host) -> None:
    redirect_to(host, f"codeload.{FORGE}")
    asked: list[str] = []
    table = {FORGE: ["127.0.0.1"], f"codeload.{FORGE}": ["127.0.0.1"]}
    answer = ask(forge_policy(table, asked), host)
    assert (answer.status, answer.body) == (200, "PyYAML\n")
    assert [seen for seen, _ in host.seen] == [
        f"{FORGE}:{host.port}{TARBALL}",
        f"codeload.{FORGE}:{host.port}/octo/lib/tar.gz/main?token=signed",
    ]
    assert f"codeload.{FORGE}" in asked


def test_a_download_host_with_a_private_address_is_refused_before_connecting(host: Host) -> None:
    redirect_to(host, f"codeload.{FORGE}")
    asked: list[str] = []
    table = {FORGE: ["127.0.0.1"], f"codeload.{FORGE}": ["127.0.0.1", PRIVATE]}
    answer = ask(forge_policy(table, asked), host)
    assert (answer.status, json.loads(answer.body)) == (
        400,
        {"detail": "code_url: host resolves to an address that is not public"},
    )
    assert [seen for seen, _ in host.seen] == [f"{FORGE}:{host.port}{TARBALL}"]  # the API only
    assert PRIVATE not in answer.body


def test_a_redirect_to_another_host_is_not_followed(host: Host) -> None:
    redirect_to(host, "elsewhere.test")
    asked: list[str] = []
    table = {FORGE: ["127.0.0.1"], "elsewhere.test": ["127.0.0.1"]}
    answer = ask(forge_policy(table, asked), host)
    assert answer.status == 404
    assert "redirected" in json.loads(answer.body)["detail"]
    assert "elsewhere.test" not in asked  # not even looked up
    assert [seen for seen, _ in host.seen] == [f"{FORGE}:{host.port}{TARBALL}"]


def test_the_freshness_check_without_git_asks_only_a_checked_api_host(host: Host) -> None:
    """On github.com the REST API is another host (api.github.com): its addresses are checked too."""
    repo = UrlPolicy.build().check("https://github.com/octo/lib")
    asked: list[str] = []
    table = {"github.com": ["140.82.112.3"], "api.github.com": [PRIVATE]}
    checked = forge_policy(table, asked, forge="github.com")
    assert remote_commit(checked, repo, "main", Engine()) is None  # the cached answer stands
    assert asked == ["github.com", "api.github.com"]


def test_the_freshness_check_without_git_reaches_the_api_at_its_checked_address(host: Host) -> None:
    host.routes["/api/v3/repos/octo/lib/commits/main"] = (200, {}, SHA.encode())
    asked: list[str] = []
    assert remote_commit(forge_policy({FORGE: ["127.0.0.1"]}, asked), forge_repo(host), "main", Engine()) == SHA
    assert [seen for seen, _ in host.seen] == [f"{FORGE}:{host.port}/api/v3/repos/octo/lib/commits/main"]


@pytest.mark.parametrize(
    ("code_url", "endpoints"),
    [
        ("https://github.com/octo/lib", {("https", "api.github.com", 443), ("https", "codeload.github.com", 443)}),
        (
            "https://GHES.example:8443/octo/lib",
            {("https", "ghes.example", 8443), ("https", "codeload.ghes.example", 8443)},
        ),
    ],
)
def test_a_download_reaches_the_rest_api_and_its_download_host_only(
    code_url: str, endpoints: set[tuple[str, str, int]]
) -> None:
    assert tarball.download_endpoints(source.parse_repository(code_url)) == endpoints
