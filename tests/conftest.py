"""Shared fixtures: the contract-checked fake GitHub, a local git server and a PyPI stand-in, all on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["tests.fakegithub.plugin", "tests.pypi_stub", "git_server"]


@pytest.fixture(scope="session")
def import_index() -> Path:
    """The import index shipped in the package: every run reads it in place, nothing is built."""
    from pipreqs_action.import_index import SHIPPED_INDEX

    return SHIPPED_INDEX
