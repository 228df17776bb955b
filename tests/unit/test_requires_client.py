"""requires_dist from the index's JSON API: concurrent, cached on disk, time-limited; never asked for a simple index."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from tests.pypi_stub import project_document

from pipreqs_action.metadata.dependency_metadata import dependencies_of, snapshot
from pipreqs_action.metadata.requires_client import fetch_requires
from pipreqs_action.model import Location, Requirement


def document(requires: list[str] | None) -> dict[str, object]:
    return {"info": {"name": "x", "version": "1.0", "requires_dist": requires}, "releases": {}, "urls": []}


def test_the_index_answers_and_a_second_run_reads_the_cache(pypi, tmp_path) -> None:
    pypi.set_document("apscheduler", document(["pytz", "tzlocal>=2"]))
    pypi.set_document("tiny", document(None))
    first = fetch_requires(["apscheduler", "tiny"], index_url=pypi.url, cache_dir=tmp_path)
    assert first.requires == {"apscheduler": ["pytz", "tzlocal>=2"], "tiny": []}
    assert first.warnings == ()
    again = fetch_requires(["apscheduler", "tiny"], index_url=pypi.url, cache_dir=tmp_path)
    assert again.requires == first.requires
    assert pypi.count("apscheduler") == 1 and pypi.count("tiny") == 1


def test_unknown_names_and_broken_answers_are_unknown_with_a_warning(pypi, tmp_path) -> None:
    pypi.set_answer("broken", status=200, body=b"not json")
    found = fetch_requires(["broken", "nowhere"], index_url=pypi.url, cache_dir=tmp_path)
    assert found.requires == {}
    assert found.warnings and "1 of 2" in found.warnings[0]  # a 404 is an answer, a broken body is not


def test_lookups_run_concurrently_under_one_deadline(tmp_path) -> None:
    from tests.pypi_stub import PyPIStub

    with PyPIStub(delay=2.0) as slow:
        for name in ("a", "b", "c"):
            slow.set_document(name, document(["six"]))
        found = fetch_requires(["a", "b", "c"], index_url=slow.url, cache_dir=tmp_path, deadline=0.5)
        assert found.requires == {}
        assert found.warnings


def test_credentials_travel_as_a_header_and_never_in_a_message(pypi, tmp_path) -> None:
    pypi.set_document("private", document(["six"]))
    url = pypi.url.replace("http://", "http://user:s3cret@")
    found = fetch_requires(["private", "missing"], index_url=url, cache_dir=tmp_path)
    assert found.requires == {"private": ["six"]}
    assert "s3cret" not in " ".join(found.warnings)
    assert all("s3cret" not in seen.path for seen in pypi.seen)
    assert any(seen.headers.get("authorization", "").startswith("Basic ") for seen in pypi.seen)


def test_a_simple_index_has_no_json_api_and_is_not_asked(pypi, tmp_path) -> None:
    found = fetch_requires(["six"], index_url=pypi.url.replace("/pypi", "/simple"), cache_dir=tmp_path)
    assert found.requires == {} and found.warnings == ()
    assert pypi.count() == 0


class _Releases(BaseHTTPRequestHandler):
    """Answers ``/pypi/<name>/<version>/json`` (one release's metadata) and ``/pypi/<name>/json`` (the latest)."""

    documents: ClassVar[dict[str, dict[str, object]]] = {
        "/pypi/zq-scheduler/3.6.3/json": document(["pytz", "tzlocal>=1.2", "six>=1.4.0"]),
        "/pypi/zq-scheduler/json": document(["tzlocal>=3.0"]),
    }

    def do_GET(self) -> None:
        body = self.documents.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(body or {"message": "Not Found"}).encode())

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def releases() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Releases)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/pypi"
    server.shutdown()
    server.server_close()


def test_a_pinned_release_is_asked_for_its_own_metadata(releases, tmp_path) -> None:
    found = fetch_requires(["zq-scheduler==3.6.3", "zq-scheduler"], index_url=releases, cache_dir=tmp_path)
    assert found.requires["zq-scheduler==3.6.3"] == ["pytz", "tzlocal>=1.2", "six>=1.4.0"]
    assert found.requires["zq-scheduler"] == ["tzlocal>=3.0"]


def test_a_pinned_declaration_the_snapshot_does_not_know_follows_its_own_release(releases, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    pinned = Requirement(
        "zq-scheduler", "zq-scheduler", Location("requirements.txt", 1), "zq-scheduler==3.6.3", "==3.6.3"
    )
    dependencies, warnings = dependencies_of([pinned], index_url=releases, offline=False)
    assert dependencies.through["pytz"] == ("zq-scheduler",) and dependencies.sources["pytz"] == "index"
    assert warnings == ()  # pytz, tzlocal and six are unknown to this index: not found is an answer, not a failure
    latest = pinned._replace(line="zq-scheduler", specifier="")
    dependencies, _ = dependencies_of([latest], index_url=releases, offline=False)
    assert "pytz" not in dependencies.through and "tzlocal" in dependencies.through


def test_a_declaration_the_snapshot_describes_costs_no_request(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    current = str(snapshot()["fastapi"][0])  # the release the bundled snapshot describes
    pinned = Requirement("fastapi", "fastapi", Location("requirements.txt", 1), f"fastapi=={current}", f"=={current}")
    dependencies, warnings = dependencies_of([pinned], index_url="http://127.0.0.1:9/pypi", offline=False)
    assert dependencies.sources["pydantic"] == "snapshot" and warnings == ()


def hub_releases(pypi) -> None:
    """zq-hub 0.15.x requires numpy; 0.16.1, the latest, also requires tf-keras (as tensorflow-hub did)."""
    document = project_document("zq-hub", ["0.15.0", "0.15.1", "0.15.2", "0.16.1"], yanked=["0.15.2"])
    document["info"]["requires_dist"] = ["numpy", "tf-keras>=2.14"]  # type: ignore[index]
    pypi.set_document("zq-hub", document)
    old = {"info": {"name": "zq-hub", "version": "0.15.1", "requires_dist": ["numpy>=1.12"]}}
    pypi.set_release_document("zq-hub", "0.15.1", old)


def test_a_range_is_answered_by_the_newest_release_it_allows_not_yanked(pypi, tmp_path) -> None:
    hub_releases(pypi)
    found = fetch_requires(["zq-hub~=0.15.0", "zq-hub>=0.15"], index_url=pypi.url, cache_dir=tmp_path)
    assert found.requires["zq-hub~=0.15.0"] == ["numpy>=1.12"]  # 0.15.1: 0.15.2 is yanked, 0.16.1 excluded
    assert found.requires["zq-hub>=0.15"] == ["numpy", "tf-keras>=2.14"]  # the latest is allowed: one request
    assert "/pypi/zq-hub/0.15.1/json" in pypi.paths and "/pypi/zq-hub/0.16.1/json" not in pypi.paths
    again = fetch_requires(["zq-hub~=0.15.0"], index_url=pypi.url, cache_dir=tmp_path)
    assert again.requires == {"zq-hub~=0.15.0": ["numpy>=1.12"]} and pypi.count("zq-hub") == 3  # cached


def test_a_range_no_release_satisfies_is_not_found(pypi, tmp_path) -> None:
    hub_releases(pypi)
    found = fetch_requires(["zq-hub<0.1"], index_url=pypi.url, cache_dir=tmp_path)
    assert found.requires == {} and found.warnings == ()


def test_online_a_declaration_is_judged_by_the_release_its_range_allows(pypi, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    hub_releases(pypi)
    line = Requirement("zq-hub", "zq-hub", Location("requirements.txt", 1), "zq-hub~=0.15.0", "~=0.15.0")
    dependencies, _ = dependencies_of([line], index_url=pypi.url, offline=False)
    assert "numpy" in dependencies.through and "tf-keras" not in dependencies.through
    unpinned = line._replace(line="zq-hub", specifier="")
    dependencies, _ = dependencies_of([unpinned], index_url=pypi.url, offline=False)
    assert dependencies.through["tf-keras"] == ("zq-hub",) and dependencies.sources["tf-keras"] == "index"


def test_online_a_pin_the_snapshot_knows_only_by_a_newer_release_is_asked_for_its_own(pypi, tmp_path, monkeypatch):
    """A newer release may have dropped a requirement the pinned one has (gradio 4 dropped matplotlib)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    pinned = Requirement("fastapi", "fastapi", Location("requirements.txt", 1), "fastapi==0.1.0", "==0.1.0")
    pypi.set_release_document("fastapi", "0.1.0", {"info": {"requires_dist": ["starlette", "ujson"]}})
    asked, _ = dependencies_of([pinned], index_url=pypi.url, offline=False)
    assert pypi.paths == ["/pypi/fastapi/0.1.0/json"]
    assert asked.through["ujson"] == ("fastapi",) and asked.sources["ujson"] == "index" and asked.newer == ()
    offline, _ = dependencies_of([pinned], index_url=pypi.url, offline=True)
    assert "ujson" not in offline.through and offline.newer == ("fastapi==0.1.0",) and len(pypi.paths) == 1
