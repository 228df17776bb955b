from __future__ import annotations

import base64
import json
import logging
import socket
from datetime import datetime

import pytest
import requests
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_sdist_filename, parse_wheel_filename
from packaging.version import Version
from tests.pypi_stub import PyPIStub, project_document, pypi_fixture  # noqa: F401  (registers the `pypi` fixture)

from pipreqs_action import versions
from pipreqs_action.errors import SettingsError
from pipreqs_action.versions import (
    DEFAULT_INDEX_URL,
    MODES,
    VersionLookup,
    format_requirement,
    latest_versions,
)

FAST = 2.0  # timeout for tests that expect every answer; generous, since nothing here is slow


def lookup(pypi: PyPIStub, *names: str, **kwargs) -> VersionLookup:
    kwargs.setdefault("timeout", FAST)
    return latest_versions(names, index_url=pypi.url, **kwargs)


def info_only(version: str, *, yanked: bool = False, **extra) -> dict:
    """A document from an index that lists no files: only ``info`` says what the latest version is."""
    return {"info": {"name": "demo", "version": version, "yanked": yanked}, **extra}


@pytest.fixture
def refused_url():
    """An index URL whose port is bound but not listening, so connecting is refused (and nothing else can take it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/pypi"


# --- format_requirement -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("pin", "demo==1.2.3"), ("compat", "demo~=1.2.3"), ("gt", "demo>=1.2.3"), ("no-pin", "demo")],
)
def test_each_mode_writes_its_operator(mode, expected):
    line = format_requirement("demo", "1.2.3", mode)
    assert line == expected
    assert Requirement(line).name == "demo"


@pytest.mark.parametrize("mode", MODES)
def test_without_a_version_every_mode_writes_the_bare_name(mode):
    assert format_requirement("Demo_Pkg", None, mode) == "Demo_Pkg"
    assert format_requirement("Demo_Pkg", "", mode) == "Demo_Pkg"


@pytest.mark.parametrize(
    ("version", "mode", "expected"),
    [
        ("5", "compat", "demo~=5.0"),  # `~=5` is not a valid specifier: ~= needs two release segments
        ("1!5rc1", "compat", "demo~=1!5.0rc1"),
        ("2.0+local.7", "pin", "demo==2.0+local.7"),  # == may carry a local label
        ("2.0+local.7", "compat", "demo~=2.0"),  # ~= and >= may not
        ("2.0+local.7", "gt", "demo>=2.0"),
        ("2.0-POST1", "pin", "demo==2.0.post1"),
    ],
)
def test_specifiers_stay_valid_pep_440(version, mode, expected):
    line = format_requirement("demo", version, mode)
    assert line == expected
    assert str(Requirement(line).specifier) == line.removeprefix("demo")


def test_a_version_that_is_not_pep_440_is_left_out_rather_than_written():
    assert format_requirement("demo", "1.0\n--index-url http://evil.invalid", "pin") == "demo"
    assert format_requirement("demo", "dev-master", "gt") == "demo"


def test_an_unknown_mode_is_a_settings_error():
    with pytest.raises(SettingsError, match="exact"):
        format_requirement("demo", "1.0", "exact")  # type: ignore[arg-type]


def test_modes_are_the_four_the_options_accept():
    assert MODES == ("pin", "compat", "gt", "no-pin")
    assert DEFAULT_INDEX_URL == "https://pypi.org/pypi"


# --- choosing the version -----------------------------------------------------------------------------------------


def test_latest_final_release_wins_over_pre_dev_and_yanked_releases(pypi):
    # info.version says 2.0rc1 (what pipreqs would pin); pip would install 1.1.
    pypi.add_project("demo", ["1.0", "1.1", "1.2", "2.0.dev3", "2.0rc1"], yanked=["1.2"], info_version="2.0rc1")
    result = lookup(pypi, "demo")
    assert result.versions == {"demo": "1.1"}
    assert result.warnings == ()


def test_versions_compare_as_versions_not_as_strings(pypi):
    pypi.add_project("demo", ["1.10.0", "1.9.0", "1.2.0"])
    assert lookup(pypi, "demo").versions == {"demo": "1.10.0"}


def test_a_release_with_one_live_file_counts_and_one_without_files_does_not(pypi):
    pypi.add_project("demo", ["1.0", "1.1", "1.2"], partly_yanked=["1.1"], no_files=["1.2"])
    assert lookup(pypi, "demo").versions == {"demo": "1.1"}


def test_only_pre_releases_gives_the_newest_pre_release_as_pip_would(pypi):
    pypi.add_project("demo", ["0.1a1", "0.1b2", "0.2.dev1"])
    assert lookup(pypi, "demo").versions == {"demo": "0.2.dev1"}


def test_every_release_yanked_gives_no_version_and_says_so(pypi):
    pypi.add_project("demo", ["1.0", "1.1"], yanked=["1.0", "1.1"])
    result = lookup(pypi, "demo")
    assert result.versions == {}
    assert len(result.warnings) == 1
    assert "No installable release" in result.warnings[0]
    assert "demo" in result.warnings[0]


@pytest.mark.parametrize("releases", [{}, {"releases": {}}, {"releases": None}, {"releases": {"1.0": []}}])
def test_without_file_lists_info_version_is_used(pypi, releases):
    pypi.set_document("demo", info_only("3.1", **releases))
    assert lookup(pypi, "demo").versions == {"demo": "3.1"}


def test_a_yanked_info_version_is_not_used(pypi):
    pypi.set_document("demo", info_only("3.1", yanked=True))
    result = lookup(pypi, "demo")
    assert result.versions == {}
    assert "demo" in result.warnings[0]


def test_legacy_and_hostile_version_keys_are_skipped_and_others_normalised(pypi):
    good = project_document("demo", ["1.0"])["releases"]["1.0"]
    releases = {"9.9\n--index-url http://evil.invalid": good, "dev-master": good, " 2.0-RC1 ": good, "1.0": good}
    pypi.set_document("demo", {"info": {"name": "demo", "version": "1.0"}, "releases": releases})
    assert lookup(pypi, "demo").versions == {"demo": "1.0"}
    pypi.set_document("demo", {"info": {"name": "demo", "version": "1.0"}, "releases": {" 2.0-RC1\n": good}})
    assert lookup(pypi, "demo").versions == {"demo": "2.0rc1"}


# --- requests: URL, names, headers --------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "/"])
def test_index_url_with_or_without_trailing_slash_asks_for_name_json(pypi, suffix):
    pypi.add_project("demo", ["1.0"])
    result = latest_versions(["demo"], index_url=pypi.url + suffix, timeout=FAST)
    assert result.versions == {"demo": "1.0"}
    assert pypi.paths == ["/pypi/demo/json"]


def test_names_are_deduplicated_by_canonical_key_and_asked_for_canonically(pypi):
    pypi.add_project("demo-pkg", ["1.0"])
    pypi.add_project("other", ["2.0"])
    result = lookup(pypi, "Demo_Pkg", "demo-pkg", "DEMO.PKG", "other")
    assert result.versions == {"demo-pkg": "1.0", "other": "2.0"}
    assert sorted(pypi.paths) == ["/pypi/demo-pkg/json", "/pypi/other/json"]


def test_requests_name_pipreqs_action_and_ask_for_json(pypi):
    pypi.add_project("demo", ["1.0"])
    lookup(pypi, "demo")
    (seen,) = pypi.seen
    assert seen.headers["user-agent"].startswith("pipreqs-action/")
    assert "application/json" in seen.headers["accept"]


def test_invalid_names_are_not_asked_for_and_are_named_in_a_warning(pypi):
    pypi.add_project("demo", ["1.0"])
    result = lookup(pypi, "demo", "not a name!", "-dash", "long " + "x" * 100)
    assert result.versions == {"demo": "1.0"}
    assert pypi.paths == ["/pypi/demo/json"]
    shown = "'not a name!', '-dash', '" + "long " + "x" * 55 + "'"  # quoted, and cut at 60 characters
    assert result.warnings == (f"Not valid package names, versions left out: {shown}",)


def test_no_names_means_no_request(pypi):
    assert lookup(pypi) == VersionLookup({}, ())
    assert pypi.count() == 0


def test_a_given_session_is_used(pypi):
    pypi.add_project("demo", ["1.0"])
    sent = []

    class Recording(requests.adapters.HTTPAdapter):
        def send(self, request, **kwargs):
            sent.append(request.url)
            return super().send(request, **kwargs)

    with requests.Session() as session:
        session.mount("http://", Recording())
        result = lookup(pypi, "demo", session=session)
    assert result.versions == {"demo": "1.0"}
    assert sent == [f"{pypi.url}/demo/json"]


# --- failures degrade ---------------------------------------------------------------------------------------------


def test_not_found_gives_no_version_and_names_package_and_host(pypi):
    pypi.add_project("demo", ["1.0"])
    result = lookup(pypi, "demo", "nosuchpkg")
    assert result.versions == {"demo": "1.0"}
    assert result.warnings == (f"Not found on {pypi.host}, versions left out: nosuchpkg",)


def test_server_error_gives_no_version_and_one_warning(pypi):
    pypi.add_project("demo", ["1.0"])
    pypi.set_answer("broken", status=500, body=b"<html>oops</html>", content_type="text/html")
    result = lookup(pypi, "demo", "broken")
    assert result.versions == {"demo": "1.0"}
    (warning,) = result.warnings
    assert "HTTP 500" in warning
    assert pypi.host in warning
    assert warning.endswith("1 package: broken")


def test_a_passing_gateway_error_is_retried(pypi):
    pypi.add_project("demo", ["1.0"])
    pypi.set_answer("demo", status=503, times=1)
    result = lookup(pypi, "demo")
    assert result.versions == {"demo": "1.0"}
    assert result.warnings == ()
    assert pypi.count("demo") == 2


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe\x00garbage",
        b"[]",
        b'"a string"',
        b'{"releases": []}',
        b'{"releases": {"1.0": {"filename": "x"}}}',
        b'{"releases": {"1.0": ["not a file"]}}',
        b'{"info": null}',
        b'{"info": {"version": 3}}',
        b"[" * 100_000 + b"]" * 100_000,  # deep nesting: RecursionError in the JSON parser
    ],
)
def test_malformed_answers_give_no_version_and_one_warning(pypi, body):
    pypi.set_answer("demo", body=body)
    result = lookup(pypi, "demo")
    assert result.versions == {}
    (warning,) = result.warnings
    assert warning.endswith("versions left out for 1 package: demo")


def test_many_failures_of_different_kinds_make_one_summarising_warning(pypi):
    pypi.add_project("good", ["1.0"])
    pypi.set_answer("a", status=500)
    pypi.set_answer("b", body=b"{oops")
    pypi.set_answer("c", status=500)
    result = lookup(pypi, "good", "a", "b", "c")
    assert result.versions == {"good": "1.0"}
    (warning,) = result.warnings
    assert "HTTP 500: 2" in warning
    assert "invalid JSON: 1" in warning
    assert warning.endswith("versions left out for 3 packages: a, b, c")


def test_a_long_list_of_failures_is_shortened(pypi):
    names = [f"pkg{n}" for n in range(8)]
    for name in names:
        pypi.set_answer(name, status=500)
    (warning,) = lookup(pypi, *names).warnings
    assert warning.endswith("8 packages: pkg0, pkg1, pkg2, pkg3, pkg4 and 3 more")


def test_an_oversized_answer_is_dropped(pypi, monkeypatch):
    monkeypatch.setattr(versions, "_MAX_BODY", 10_000)
    pypi.add_project("demo", [f"1.{n}" for n in range(50)])
    result = lookup(pypi, "demo")
    assert result.versions == {}
    assert "answer too large" in result.warnings[0]


def test_connection_refused_gives_no_versions_and_one_warning(refused_url):
    result = latest_versions(["a", "b", "c"], index_url=refused_url, timeout=FAST)
    assert result.versions == {}
    (warning,) = result.warnings
    assert "connection refused" in warning
    assert warning.endswith("versions left out for 3 packages: a, b, c")


def test_a_name_slower_than_the_timeout_gets_no_version(pypi):
    pypi.add_project("fast", ["1.0"])
    pypi.add_project("slow", ["1.0"], delay=5.0)
    result = lookup(pypi, "fast", "slow", timeout=0.3)
    assert result.versions == {"fast": "1.0"}
    (warning,) = result.warnings
    assert "timed out" in warning
    assert warning.endswith("1 package: slow")


def test_the_batch_deadline_drops_names_still_queued(pypi):
    # One worker, each answer 0.4 s (within the 0.5 s request timeout): the fourth is due at 1.6 s,
    # well past the 1.0 s deadline for the batch, so it must be given up rather than waited for.
    names = ["n1", "n2", "n3", "n4"]
    for name in names:
        pypi.add_project(name, ["1.0"], delay=0.4)
    result = lookup(pypi, *names, timeout=0.5, max_workers=1)
    assert result.versions.get("n1") == "1.0"
    assert "n4" not in result.versions
    (warning,) = result.warnings
    assert "timed out" in warning
    assert "n4" in warning


def test_lookups_run_concurrently_within_max_workers(pypi):
    names = [f"pkg{n}" for n in range(8)]
    for name in names:
        pypi.add_project(name, ["1.0"], delay=0.2)
    result = lookup(pypi, *names, max_workers=4)
    assert result.versions == dict.fromkeys(names, "1.0")
    assert 1 < pypi.max_in_flight <= 4


def test_offline_makes_no_request_at_all(pypi, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("offline lookup touched the network")

    pypi.add_project("demo", ["1.0"])
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    result = lookup(pypi, "demo", "other", offline=True)
    monkeypatch.undo()
    assert result == VersionLookup({}, ())
    assert pypi.count() == 0


# --- credentials in the index URL ---------------------------------------------------------------------------------


def test_credentials_are_sent_as_basic_auth_and_never_shown(pypi, caplog):
    caplog.set_level(logging.DEBUG)
    pypi.add_project("demo", ["1.0"])
    pypi.set_answer("broken", status=500)
    url = pypi.url.replace("http://", "http://us%40er:s3cr%2Ft@")
    result = latest_versions(["demo", "broken", "missing"], index_url=url, timeout=FAST)
    assert result.versions == {"demo": "1.0"}
    assert len(result.warnings) == 2
    assert all(pypi.host in w for w in result.warnings)
    expected = "Basic " + base64.b64encode(b"us@er:s3cr/t").decode()
    assert {s.headers.get("authorization") for s in pypi.seen} == {expected}
    shown = " ".join(result.warnings) + caplog.text
    for secret in ("s3cr", "us%40er", "us@er"):
        assert secret not in shown


def test_credentials_are_not_shown_when_the_index_is_unreachable(refused_url, caplog):
    caplog.set_level(logging.DEBUG)
    url = refused_url.replace("http://", "http://user:hunter2@")
    result = latest_versions(["demo"], index_url=url, timeout=FAST)
    assert result.versions == {}
    assert "connection refused" in result.warnings[0]
    assert "hunter2" not in " ".join(result.warnings) + caplog.text


@pytest.mark.parametrize("url", ["ftp://user:hunter2@example.invalid/pypi", "user:hunter2@example.invalid", ""])
def test_a_bad_index_url_is_a_settings_error_without_credentials(url):
    with pytest.raises(SettingsError, match="index-url") as caught:
        latest_versions(["demo"], index_url=url)
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize("options", [{"timeout": 0}, {"timeout": -1.0}, {"max_workers": 0}])
def test_nonsense_limits_are_settings_errors(options):
    with pytest.raises(SettingsError):
        latest_versions(["demo"], offline=True, **options)


# --- the stub keeps PyPI's contract -------------------------------------------------------------------------------


def test_stub_documents_are_shaped_like_pypi_json_api(pypi):
    pypi.add_project("Demo_Pkg", ["1.0", "1.1", "2.0b1"], yanked=["1.1"])
    document = requests.get(f"{pypi.url}/demo-pkg/json", timeout=FAST).json()
    assert set(document) == {"info", "last_serial", "releases", "urls", "vulnerabilities"}
    info = document["info"]
    assert (info["name"], info["version"], info["yanked"]) == ("Demo_Pkg", "1.0", False)
    assert document["urls"] == document["releases"]["1.0"]
    for version, files in document["releases"].items():
        wheel, sdist = files
        assert parse_wheel_filename(wheel["filename"])[:2] == ("demo-pkg", Version(version))
        assert parse_sdist_filename(sdist["filename"]) == ("demo-pkg", Version(version))
        for file in files:
            assert file["yanked"] is (version == "1.1")
            assert (file["yanked_reason"] is not None) is file["yanked"]
            assert datetime.fromisoformat(file["upload_time_iso_8601"].replace("Z", "+00:00")).tzinfo
            assert set(file["digests"]) == {"blake2b_256", "md5", "sha256"}
            assert file["url"].endswith("/" + file["filename"])


def test_stub_redirects_other_spellings_and_404s_unknown_projects_like_pypi(pypi):
    pypi.add_project("demo-pkg", ["1.0"])
    moved = requests.get(f"{pypi.url}/Demo_Pkg/json", timeout=FAST, allow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["Location"] == "/pypi/demo-pkg/json"
    followed = requests.get(f"{pypi.url}/Demo_Pkg/json", timeout=FAST)
    assert canonicalize_name(followed.json()["info"]["name"]) == "demo-pkg"
    missing = requests.get(f"{pypi.url}/nope/json", timeout=FAST)
    assert (missing.status_code, json.loads(missing.content)) == (404, {"message": "Not Found"})
    assert pypi.count("demo-pkg") == 3


# --- simple repository indexes (PEP 503 HTML, PEP 691 JSON), as pip users configure them ------------------------


@pytest.mark.parametrize("only", ["", "html", "json"])
def test_a_simple_index_gives_the_version_pip_would_pick(only):
    from tests.simple_index import SimpleIndex

    with SimpleIndex(only=only) as index:
        index.add_project("Acme_SDK", ["1.0", "1.10", "1.9", "2.0rc1", "1.11"], yanked=["1.11"])
        index.add_project("only-pre", ["0.1a1", "0.1b2"])
        index.add_project("all-gone", ["1.0"], yanked=["1.0"])
        found = latest_versions(["acme-sdk", "only_pre", "all-gone", "absent"], index_url=index.url, timeout=FAST)
        paths = sorted(path for path, _ in index.seen)
        accepts = {accept for _, accept in index.seen}
    assert found.versions == {"acme-sdk": "1.10", "only-pre": "0.1b2"}
    assert paths == ["/simple/absent/", "/simple/acme-sdk/", "/simple/all-gone/", "/simple/only-pre/"]
    assert accepts == {versions._SIMPLE_ACCEPT}
    assert any("Not found on 127.0.0.1" in warning and "absent" in warning for warning in found.warnings)
    assert any("all yanked" in warning and "all-gone" in warning for warning in found.warnings)


@pytest.mark.parametrize("suffix", ["/simple", "/simple/", "/root/pypi/+simple/"])
def test_an_index_url_ending_in_simple_is_a_simple_index(suffix):
    assert versions._parse_index(f"https://pypi.example{suffix}").simple is True
    assert versions._parse_index("https://pypi.example/pypi").simple is False


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("acme_sdk-1.2-py3-none-any.whl", "1.2"),
        ("acme-sdk-1.2.tar.gz", "1.2"),
        ("acme_sdk-1.2.zip", "1.2"),
        ("acme_sdk-1.2-py2.7.egg", None),
        ("other-1.2.tar.gz", None),
        ("acme_sdk-notaversion.tar.gz", None),
    ],
)
def test_versions_come_from_wheel_and_sdist_file_names_of_the_project(filename, expected):
    version = versions._file_version(filename, "acme-sdk")
    assert (str(version) if version else None) == expected


def test_a_malformed_simple_answer_costs_the_version_not_the_run():
    from tests.simple_index import SimpleIndex

    with SimpleIndex(only="json") as index:
        index.projects["broken"] = []
        index.body = lambda key, as_json: b'{"files": "nope"}'  # type: ignore[method-assign]
        found = latest_versions(["broken"], index_url=index.url, timeout=FAST)
    assert found.versions == {}
    assert "unexpected JSON" in found.warnings[0]
