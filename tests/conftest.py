"""Shared fixtures: the contract-checked fake GitHub, a local git server and a PyPI stand-in, all on 127.0.0.1."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

pytest_plugins = ["tests.fakegithub.plugin", "tests.pypi_stub", "git_server"]


@pytest.fixture(scope="session")
def import_index() -> Path:
    """The import index shipped in the package: every run reads it in place, nothing is built."""
    from pipreqs_action.metadata.import_index import SHIPPED_INDEX

    return SHIPPED_INDEX


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where TemporaryDirectory puts clones during the test, so the test can see them go."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root
