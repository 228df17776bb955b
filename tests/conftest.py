"""Shared fixtures: the contract-checked fake GitHub, a local git server and a PyPI stand-in, all on 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.fakegithub.plugin", "tests.pypi_stub", "git_server"]


@pytest.fixture(scope="session", autouse=True)
def import_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Build the import-name index (from pigar's database on disk) once per session, outside the user's cache."""
    from pipreqs_action.mapping import INDEX_ENV, build_index

    previous = os.environ.get(INDEX_ENV)
    path = os.environ.get("PIPREQS_ACTION_TEST_INDEX")  # reuse a prebuilt index (CI builds it once)
    index = Path(path) if path else build_index(tmp_path_factory.mktemp("index") / "import-index.sqlite3")
    os.environ[INDEX_ENV] = str(index)
    yield index
    if previous is None:
        os.environ.pop(INDEX_ENV, None)
    else:
        os.environ[INDEX_ENV] = previous
