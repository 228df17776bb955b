"""A pull request's base commit, read as the host's tarball (the fake GitHub serves it as GitHub does: a 302 from
the REST API to codeload), checked like the head; None whenever that is not possible, for the caller's fallback."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.events import event_payload, pull_request_payload
from tests.fakegithub.server import FakeGitHub

from pipreqs_action.github import pr_base
from pipreqs_action.settings import Settings, engine_settings

REPO = "octo/repo"
BASE = {"app.py": "import requests\nimport yaml\n", "requirements.txt": "requests\n"}


def engine(root: Path) -> Settings:
    return engine_settings(path=root, offline=True)


def missing_on(fake: FakeGitHub, commit: str, *, token: str | None = None) -> frozenset[str] | None:
    return pr_base.missing_on_base(
        REPO, commit, server_url=fake.web_url, api_url=fake.api_url, token=token or fake.token, engine=engine
    )


def test_the_base_commit_comes_from_the_pull_request_payload() -> None:
    payload = pull_request_payload(REPO, 3, head_repository="someone/fork", base_sha="a" * 40)
    assert pr_base.base_commit(payload) == (REPO, "a" * 40)
    payload["pull_request"]["base"]["sha"] = "--upload-pack=x"
    assert pr_base.base_commit(payload) is None
    assert pr_base.base_commit(event_payload("push", repository=REPO)) is None


def test_what_is_missing_on_the_base_commit(fake_github: FakeGitHub) -> None:
    commit = fake_github.add_commit(REPO, BASE | {"svc/requirements.txt": "", "svc/main.py": "import toml\n"})
    assert missing_on(fake_github, commit) == {"pyyaml", "toml"}  # every project's findings count


def test_a_base_without_python_makes_everything_new(fake_github: FakeGitHub) -> None:
    assert missing_on(fake_github, fake_github.add_commit(REPO, {"README.md": "hello\n"})) == frozenset()


def test_a_read_only_token_reads_the_base(fake_github: FakeGitHub) -> None:
    fake_github.add_token("ghs_readOnly", write=False)
    assert missing_on(fake_github, fake_github.add_commit(REPO, BASE), token="ghs_readOnly") == {"pyyaml"}


@pytest.mark.parametrize("case", ["unknown commit", "private, out of the token's reach"])
def test_a_base_that_cannot_be_fetched_is_none(fake_github: FakeGitHub, case: str) -> None:
    commit = "f" * 40
    if case != "unknown commit":
        fake_github.add_repo("octo/secret", private=True)
        commit = fake_github.add_commit("octo/secret", BASE)
        fake_github.add_token("ghs_otherRepo", repos=[REPO])
    known = pr_base.missing_on_base(
        "octo/secret" if case != "unknown commit" else REPO,
        commit,
        server_url=fake_github.web_url,
        api_url=fake_github.api_url,
        token="ghs_otherRepo" if case != "unknown commit" else fake_github.token,
        engine=engine,
    )
    assert known is None
