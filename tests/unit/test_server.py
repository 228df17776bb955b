from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
from packaging.requirements import Requirement
from tests.api_server import WAIT, local_config, running
from tests.pypi_stub import PyPIStub

from git_server import GitServer, Repo
from pipreqs_action.server import checks, http
from pipreqs_action.server.docs import OPENAPI

APP = "import os\nimport requests\nimport yaml\nfrom flask import Flask\nfrom . import sibling\n"
VERSIONS = {"requests": "2.31.0", "PyYAML": "6.0.1", "Flask": "3.0.3"}
SPEC = OpenAPI.from_dict(OPENAPI)


@pytest.fixture
def pypi_with_versions(pypi: PyPIStub) -> PyPIStub:
    for name, version in VERSIONS.items():
        pypi.add_project(name, ["0.1", version])
    return pypi


@pytest.fixture
def api(pypi_with_versions: PyPIStub) -> Iterator[str]:
    with running(local_config(index_url=pypi_with_versions.url)) as base:
        yield base


@pytest.fixture
def repo(git_server: GitServer) -> Repo:
    """The declared file names Flask only (pinned old) and Django, which nothing imports."""
    files = {"app.py": APP, "sibling.py": "", "requirements.txt": "Flask==2.0.0\nDjango>=4\n"}
    return git_server.create_repo("owner/project", [files])


def get(base: str, path: str, params: dict[str, str] | None = None, **kwargs: Any) -> requests.Response:
    """GET, and check the answer against the server's own OpenAPI description (for the paths it describes)."""
    response = requests.get(f"{base}{path}", params=params, timeout=WAIT, **kwargs)
    if path in OPENAPI["paths"]:
        SPEC.validate_response(RequestsOpenAPIRequest(response.request), RequestsOpenAPIResponse(response))
    return response


def requirement_lines(text: str) -> dict[str, str]:
    """Canonical-ish name -> specifier, from a requirements.txt body (every line must be valid PEP 508)."""
    parsed = [Requirement(line) for line in text.splitlines()]
    return {req.name.lower(): str(req.specifier) for req in parsed}


def detail(response: requests.Response) -> str:
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail"}
    return str(body["detail"])


# --- GET /pipreqs: the pipreqs-api contract --------------------------------------------------------------------


def test_text_answer_is_every_third_party_import_pinned_to_the_latest_release(api: str, repo: Repo) -> None:
    response = get(api, "/pipreqs", {"code_url": repo.url})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/plain")
    # Like pipreqs, the answer ignores what the repository declares: Flask comes at PyPI's version, Django not at all.
    expected = {name.lower(): f"=={version}" for name, version in VERSIONS.items()}
    assert requirement_lines(response.text) == expected
    assert response.text.endswith("\n")


def test_text_answer_names_the_same_distributions_as_pipreqs_for_the_same_tree(
    api: str, repo: Repo, tmp_path: Path
) -> None:
    pipreqs = pytest.importorskip("pipreqs.pipreqs")
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "sibling.py").write_text("")
    theirs = {name.lower() for name in pipreqs.get_pkg_names(pipreqs.get_all_imports(str(tmp_path)))}
    response = get(api, "/pipreqs", {"code_url": repo.url, "mode": "no-pin"})
    assert set(requirement_lines(response.text)) == theirs


@pytest.mark.parametrize(("mode", "operator"), [("pin", "=="), ("compat", "~="), ("gt", ">=")])
def test_mode_chooses_the_version_operator(api: str, repo: Repo, mode: str, operator: str) -> None:
    response = get(api, "/pipreqs", {"code_url": repo.url, "mode": mode})
    assert response.status_code == 200, response.text
    assert requirement_lines(response.text)["requests"] == f"{operator}{VERSIONS['requests']}"


def test_no_pin_mode_writes_bare_names_without_asking_the_index(
    api: str, repo: Repo, pypi_with_versions: PyPIStub
) -> None:
    response = get(api, "/pipreqs", {"code_url": repo.url, "mode": "no-pin"})
    assert response.status_code == 200, response.text
    assert requirement_lines(response.text) == {name.lower(): "" for name in VERSIONS}
    latest = [path for path in pypi_with_versions.paths if path.count("/") == 3]  # /pypi/<name>/json: versions
    assert latest == []  # (a declared pin's own release may be asked for what it installs: via)


def test_short_owner_name_form_is_cloned_from_the_configured_server(
    git_server: GitServer, repo: Repo, pypi_with_versions: PyPIStub
) -> None:
    with running(local_config(server_url=git_server.base_url, index_url=pypi_with_versions.url)) as base:
        response = get(base, "/pipreqs", {"code_url": "owner/project", "mode": "no-pin"})
    assert response.status_code == 200, response.text
    assert "requests" in requirement_lines(response.text)


def test_ref_selects_a_tag_a_branch_or_a_commit(git_server: GitServer, api: str) -> None:
    repo = git_server.create_repo(
        "owner/history",
        [{"a.py": "import requests\n"}, {"a.py": "import yaml\n"}],
        tags={"v1": 0},
        branches={"feature": [{"a.py": "from flask import Flask\n"}]},
    )

    def names(**params: str) -> set[str]:
        response = get(api, "/pipreqs", {"code_url": repo.url, "mode": "no-pin", **params})
        assert response.status_code == 200, response.text
        return set(requirement_lines(response.text))

    assert names() == {"pyyaml"}
    assert names(ref="v1") == {"requests"}
    assert names(ref=repo.commits[0]) == {"requests"}
    assert names(ref="feature") == {"flask"}


# --- format=json: our full report against the repository's own declarations --------------------------------------


def assert_full_report(body: dict[str, Any]) -> None:
    assert body["in_sync"] is False
    assert {item["package"].lower() for item in body["missing"]} == {"requests", "pyyaml"}
    assert [item["package"] for item in body["unused"]] == ["Django"]
    assert body["declared_in"] == ["requirements.txt"]
    lines = requirement_lines(body["requirements"])
    assert lines["flask"] == "==2.0.0"  # the repository's own pin is kept, not "corrected"
    assert lines["requests"] == f"=={VERSIONS['requests']}"


def test_format_json_returns_the_report_checked_against_the_repository_requirements(api: str, repo: Repo) -> None:
    response = get(api, "/pipreqs", {"code_url": repo.url, "format": "json"})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/json"
    assert_full_report(response.json())


def test_accept_header_asks_for_json_and_format_text_overrides_it(api: str, repo: Repo) -> None:
    accept = {"Accept": "application/json"}
    assert_full_report(get(api, "/pipreqs", {"code_url": repo.url}, headers=accept).json())
    text = get(api, "/pipreqs", {"code_url": repo.url, "format": "text"}, headers=accept)
    assert text.headers["Content-Type"].startswith("text/plain")
    assert "django" not in requirement_lines(text.text)


# --- refusals --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code_url",
    [
        "--upload-pack=touch /tmp/pwned",
        "-oProxyCommand=x",
        "file:///etc",
        "/srv/git/owner/project.git",
        "../owner/project",
        "ext::sh -c touch% /tmp/pwned",
        "ssh://git@127.0.0.1/owner/project.git",
        "git@127.0.0.1:owner/project.git",
        "http://example.com/owner/project",  # http only for hosts the operator allowed
        "https://user:ghp_SECRET@127.0.0.1/owner/project",
        "",
    ],
)
def test_code_url_that_is_not_an_allowed_repository_url_is_refused_before_git_runs(
    api: str, git_server: GitServer, code_url: str
) -> None:
    response = get(api, "/pipreqs", {"code_url": code_url})
    assert response.status_code == 400
    assert detail(response).startswith("code_url: ")
    assert "ghp_SECRET" not in response.text
    assert git_server.state.paths == []


def test_local_bare_repository_path_is_refused(api: str, repo: Repo) -> None:
    for code_url in (str(repo.path), repo.path.as_uri()):
        response = get(api, "/pipreqs", {"code_url": code_url})
        assert response.status_code == 400, code_url
        assert detail(response).startswith("code_url: ")


def test_missing_code_url_is_refused(api: str) -> None:
    response = get(api, "/pipreqs")
    assert response.status_code == 400
    assert detail(response).startswith("code_url: ")


@pytest.mark.parametrize(
    ("params", "named"),
    [({"mode": "exact"}, "mode"), ({"format": "xml"}, "format"), ({"ref": "--upload-pack=x"}, "ref")],
)
def test_bad_option_is_a_400_naming_it_and_clones_nothing(
    api: str, repo: Repo, git_server: GitServer, params: dict[str, str], named: str
) -> None:
    response = get(api, "/pipreqs", {"code_url": repo.url, **params})
    assert response.status_code == 400
    assert detail(response).startswith(f"{named}: ")
    assert git_server.state.paths == []


def test_repository_that_does_not_exist_is_a_404_without_git_output(api: str, git_server: GitServer) -> None:
    response = get(api, "/pipreqs", {"code_url": f"{git_server.base_url}/owner/absent"})
    assert response.status_code == 404
    assert detail(response) == "repository not found"


def test_unknown_ref_is_a_404_naming_it(api: str, repo: Repo) -> None:
    response = get(api, "/pipreqs", {"code_url": repo.url, "ref": "no-such-branch"})
    assert response.status_code == 404
    assert detail(response) == "ref 'no-such-branch' not found"


def test_a_repository_without_python_files_is_a_422(api: str, git_server: GitServer) -> None:
    empty = git_server.create_repo("owner/docs-only", [{"README.md": "# docs\n"}])
    response = get(api, "/check", {"code_url": empty.url})
    assert response.status_code == 422
    assert "no Python files" in detail(response)


# --- GET /check: the JSON report without format= ------------------------------------------------------------------


def test_check_is_the_json_report(api: str, repo: Repo) -> None:
    response = get(api, "/check", {"code_url": repo.url})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/json"
    assert_full_report(response.json())


def test_check_refuses_what_pipreqs_refuses(api: str, git_server: GitServer) -> None:
    response = get(api, "/check", {"code_url": "file:///etc"})
    assert response.status_code == 400
    assert detail(response).startswith("code_url: ")
    assert git_server.state.paths == []


# --- the rest of the surface -----------------------------------------------------------------------------------


def test_health_answers_get_and_head(api: str) -> None:
    response = get(api, "/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    head = requests.head(f"{api}/health", timeout=WAIT)
    assert head.status_code == 200
    assert head.content == b""


def test_no_answer_names_the_server_software(api: str, repo: Repo) -> None:
    for response in (get(api, "/health"), get(api, "/nope"), get(api, "/pipreqs", {"code_url": repo.url})):
        assert "Server" not in response.headers
        assert "uvicorn" not in response.text.lower() and "python" not in response.text.lower()


def test_openapi_description_and_docs_page(api: str) -> None:
    described = get(api, "/openapi.json").json()
    assert described == OPENAPI
    assert {"/pipreqs", "/check", "/health"} <= set(described["paths"])
    docs = get(api, "/docs")
    assert docs.status_code == 200
    assert docs.headers["Content-Type"].startswith("text/html")
    for path in ("GET /pipreqs", "GET /check", "GET /health", "code_url", "Retry-After"):
        assert path in docs.text


@pytest.mark.parametrize("path", ["/pipreqs/extra", "/health/", "/nope", "/static/../server.py", "/static/x.js"])
def test_unknown_path_is_404(api: str, path: str) -> None:
    response = get(api, path)
    assert response.status_code == 404
    assert detail(response) == "Not Found"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_other_methods_are_405_with_allow(api: str, method: str) -> None:
    response = requests.request(method, f"{api}/pipreqs", timeout=WAIT)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD"}
    assert detail(response) == "Method Not Allowed"
    assert requests.post(f"{api}/nowhere", timeout=WAIT).status_code == 404


def raw_exchange(base: str, request_bytes: bytes) -> bytes:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=WAIT) as conn:
        conn.sendall(request_bytes)
        return b"".join(iter(lambda: conn.recv(4096), b""))


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /pipreqs?code_url=ghp_SECRET HTTP/1.1x\r\n\r\n",
        b"GET /pipreqs?code_url=ghp_SECRET HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n",
    ],
    ids=["bad request line", "bad content-length"],
)
def test_malformed_request_is_a_400_without_an_echo(api: str, request_bytes: bytes) -> None:
    raw = raw_exchange(api, request_bytes)
    assert raw.startswith(b"HTTP/1.1 400 ")
    assert b"SECRET" not in raw


def test_a_connection_that_never_sends_its_request_head_is_closed(
    api: str, monkeypatch: pytest.MonkeyPatch, pypi_with_versions: PyPIStub
) -> None:
    monkeypatch.setattr(http._TimedH11, "header_timeout", 0.5)
    with running(local_config(index_url=pypi_with_versions.url)) as base:
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=WAIT) as conn:
            conn.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
            started = time.monotonic()
            assert conn.recv(4096) == b""  # closed by the server
            assert 0.3 < time.monotonic() - started < 10
        # a request that arrives in time is answered, and so is the next one on the same connection
        assert raw_exchange(base, b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startswith(
            b"HTTP/1.1 200 "
        )


def test_hundreds_of_idle_connections_do_not_stop_health(api: str) -> None:
    host, port = api.removeprefix("http://").split(":")
    idle = [socket.create_connection((host, int(port)), timeout=WAIT) for _ in range(300)]
    try:
        started = time.monotonic()
        assert get(api, "/health").status_code == 200
        assert time.monotonic() - started < 5
    finally:
        for conn in idle:
            conn.close()


def test_unexpected_error_is_a_generic_500_logged_with_traceback_and_the_server_goes_on(
    api: str, repo: Repo, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug in this process (here: rendering the report; the scans' own process is isolation's tests)."""

    def explode(report: object) -> str:
        raise RuntimeError("internal state /secret/path")

    monkeypatch.setattr(checks, "to_json", explode)
    with caplog.at_level(logging.ERROR, logger="pipreqs_action.server"):
        response = get(api, "/pipreqs", {"code_url": repo.url})
    assert response.status_code == 500
    assert detail(response) == "Internal Server Error"
    assert "secret" not in response.text
    assert any(record.exc_info and "internal state" in str(record.exc_info[1]) for record in caplog.records)
    assert get(api, "/health").status_code == 200


def test_query_is_never_logged(api: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        get(api, "/pipreqs", {"code_url": "https://x:ghp_SECRET@127.0.0.1/o/n"})
    server_side = [record for record in caplog.records if record.name.startswith(("pipreqs_action", "uvicorn"))]
    assert any("/pipreqs" in record.getMessage() for record in server_side)
    assert not any("ghp_SECRET" in record.getMessage() for record in server_side)


# --- concurrency -----------------------------------------------------------------------------------------------


def test_jobs_beyond_the_slots_and_the_queue_are_told_503_with_retry_after(pypi_with_versions: PyPIStub) -> None:
    """Two clones of two repositories are held inside the git server until a third has been refused."""
    arrived, gate = threading.Semaphore(0), threading.Event()

    def hold(path: str) -> None:
        if path.endswith("info/refs?service=git-upload-pack"):
            arrived.release()
            gate.wait(WAIT)

    results: list[int] = []
    config = local_config(index_url=pypi_with_versions.url, max_clones=2, max_queue=0)
    with GitServer(on_request=hold) as git_server, running(config) as base:
        repos = [git_server.create_repo(f"owner/slow{n}", [{"a.py": "import requests\n"}]) for n in range(3)]

        def request(repo: Repo) -> None:
            results.append(get(base, "/pipreqs", {"code_url": repo.url}).status_code)

        held = [threading.Thread(target=request, args=(repo,)) for repo in repos[:2]]
        for thread in held:
            thread.start()
        try:
            assert arrived.acquire(timeout=WAIT) and arrived.acquire(timeout=WAIT)
            busy = get(base, "/pipreqs", {"code_url": repos[2].url})
            assert get(base, "/health").status_code == 200  # the server still answers while full
        finally:
            gate.set()
            for thread in held:
                thread.join(WAIT)
        assert busy.status_code == 503
        assert busy.headers["Retry-After"].isdigit()
        assert "retry" in detail(busy)
        assert results == [200, 200]
        assert get(base, "/pipreqs", {"code_url": repos[2].url}).status_code == 200  # the slots came back
