"""requires_dist from the index's JSON API: concurrent, cached on disk, time-limited; never asked for a simple index."""

from __future__ import annotations

from pipreqs_action.requires_client import fetch_requires


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
    assert found.warnings and "2 of 2" in found.warnings[0]


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
