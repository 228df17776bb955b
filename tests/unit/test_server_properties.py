"""Property-based tests of the HTTP API (hypothesis): whatever the query, the answer is one the server's own
OpenAPI description allows, never a 500, never a reset connection, and a refused request clones nothing."""

from __future__ import annotations

import string

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
from tests.api_server import WAIT, local_config, running

from git_server import GitServer
from pipreqs_action.pins import MODES
from pipreqs_action.server.docs import OPENAPI

SPEC = OpenAPI.from_dict(OPENAPI)
DOCUMENTED = {int(status) for status in OPENAPI["paths"]["/check"]["get"]["responses"]}

url_like = st.builds(
    lambda scheme, host, path: f"{scheme}{host}{path}",
    st.sampled_from(["https://", "http://", "ssh://", "file://", "git://", "", "-", "ext::"]),
    st.sampled_from(["127.0.0.1", "127.1", "2130706433", "0x7f000001", "[::1]", "github.com", "localhost", "a@b"]),
    st.text(alphabet=string.printable + "\uff0f\u2044\u0000\u202e", max_size=40),
)
any_text = st.text(max_size=60)
queries = st.fixed_dictionaries(
    {},
    optional={
        "code_url": st.one_of(url_like, any_text),
        "mode": st.one_of(st.sampled_from(MODES), any_text),
        "format": st.one_of(st.sampled_from(["text", "json"]), any_text),
        "ref": st.one_of(st.sampled_from(["main", "v1", "--upload-pack=x", "../x", "@{-1}"]), any_text),
        "unknown": any_text,
    },
)


def test_any_query_gets_a_documented_answer_and_bad_ones_clone_nothing() -> None:
    with GitServer() as git_server, running(local_config(ttl=300)) as base:

        @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(path=st.sampled_from(["/pipreqs", "/check"]), query=queries)
        def check(path: str, query: dict[str, str]) -> None:
            before = len(git_server.state.paths)
            response = requests.get(f"{base}{path}", params=query, timeout=WAIT)
            assert response.status_code in DOCUMENTED, response.text
            assert response.status_code != 500, response.text
            SPEC.validate_response(RequestsOpenAPIRequest(response.request), RequestsOpenAPIResponse(response))
            if response.status_code == 400:
                assert response.json()["detail"].split(":")[0] in {"code_url", "mode", "format", "ref"}
                assert len(git_server.state.paths) == before  # refused before any clone

        check()


def test_valid_queries_for_a_real_repository_always_answer_200() -> None:
    with GitServer() as git_server, running(local_config(ttl=300)) as base:
        repo = git_server.create_repo("owner/p", [{"a.py": "import yaml\n"}], tags={"v1": 0})

        @settings(max_examples=30, deadline=None)
        @given(
            path=st.sampled_from(["/pipreqs", "/check"]),
            mode=st.sampled_from(MODES),
            form=st.sampled_from(["text", "json", None]),
            ref=st.sampled_from([None, "main", "v1", repo.head]),
            url=st.sampled_from([repo.url, repo.url.removesuffix(".git"), repo.url.removesuffix(".git") + "/"]),
        )
        def check(path: str, mode: str, form: str | None, ref: str | None, url: str) -> None:
            query = {
                "code_url": url,
                "mode": mode,
                **({"format": form} if form else {}),
                **({"ref": ref} if ref else {}),
            }
            response = requests.get(f"{base}{path}", params=query, timeout=WAIT)
            assert response.status_code == 200, response.text
            SPEC.validate_response(RequestsOpenAPIRequest(response.request), RequestsOpenAPIResponse(response))
            text = (
                response.text
                if response.headers["Content-Type"].startswith("text/")
                else response.json()["requirements"]
            )
            assert "PyYAML" in text

        check()
        # the three spellings of the URL and the four refs share clones: at most one per distinct ref and mode
        assert sum(p.endswith("info/refs?service=git-upload-pack") for p in git_server.state.paths) <= 4 * len(MODES)
