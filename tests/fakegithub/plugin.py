"""pytest fixtures for the fake GitHub; register with ``pytest_plugins = ["tests.fakegithub.plugin"]``.

* ``github_openapi``: GitHub's OpenAPI description as a validator, read once per session.
* ``fake_github``: a started fake (github.com layout) with repository ``octo/repo`` (public), token ``fake.token``.
* ``fake_github_factory``: ``factory(base_path="/api/v3")`` starts more fakes (GHES layout).

Every fake is stopped at teardown and the test fails if any request or answer broke GitHub's contract.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from .server import FakeGitHub
from .spec import INSTALL_HINT, SpecValidator, load_validator

DEFAULT_REPO = "octo/repo"
FakeFactory = Callable[..., FakeGitHub]


@pytest.fixture(scope="session")
def github_openapi() -> SpecValidator:
    try:
        return load_validator()
    except FileNotFoundError as exc:
        pytest.fail(f"GitHub's OpenAPI description is not installed: {exc} ({INSTALL_HINT})")


@pytest.fixture
def fake_github_factory(github_openapi: SpecValidator) -> Iterator[FakeFactory]:
    started: list[FakeGitHub] = []

    def factory(*, base_path: str = "", repo: str | None = DEFAULT_REPO) -> FakeGitHub:
        fake = FakeGitHub(github_openapi, base_path=base_path).start()
        started.append(fake)
        if repo:
            fake.add_repo(repo)
        return fake

    yield factory
    for fake in started:
        fake.stop()
    broken = [str(v) for fake in started for v in fake.violations]
    assert not broken, "fake GitHub saw requests/answers outside GitHub's contract:\n" + "\n".join(broken)


@pytest.fixture
def fake_github(fake_github_factory: FakeFactory) -> FakeGitHub:
    return fake_github_factory()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say what loading the description cost, when a test used it."""
    if load_validator.cache_info().currsize == 0:
        return
    stats = load_validator().stats
    if stats is not None:
        terminalreporter.write_line(
            f"fake GitHub: OpenAPI description ({stats.size_bytes / 1e6:.1f} MB, {stats.paths} paths) read in "
            f"{stats.read_seconds:.2f} s, validator built in {stats.build_seconds:.2f} s, "
            f"first check {stats.first_check_seconds:.2f} s"
        )
