"""An index built ahead (the action's image builds it, then leaves pigar's 88 MB database out): a run reads it
without needing the database, and refuses, with a message naming the file, one this code cannot read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pipreqs_action import import_index, mapping
from pipreqs_action.errors import MappingError
from pipreqs_action.namespaces import NAMESPACE_ROOTS


def write_index(path: Path, *, schema: str) -> Path:
    """A tiny index in the real layout: one distribution whose import name differs from its own."""
    con = sqlite3.connect(path)
    try:
        con.executescript(import_index._INDEX_DDL)
        con.execute("INSERT INTO dist VALUES ('pyyaml', 'PyYAML', 'yaml')")
        con.execute("INSERT INTO module VALUES ('yaml', 'pyyaml', 0)")
        meta = {"schema": schema, "pigar": "2.2.0", "source_size": "1", "roots": ",".join(sorted(NAMESPACE_ROOTS))}
        con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        con.commit()
    finally:
        con.close()
    return path


@pytest.fixture
def no_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pigar's package as the image leaves it: installed, its .db.sqlite3 deleted."""
    pigar = tmp_path / "site-packages" / "pigar"
    pigar.mkdir(parents=True)
    (pigar / "version.py").write_text("__version__ = '2.2.0'\n")
    monkeypatch.setattr(import_index, "package_dir", lambda package: pigar)
    with pytest.raises(MappingError, match="database is missing"):
        import_index.pigar_database()


def test_a_prebuilt_index_is_read_without_pigars_database(tmp_path, monkeypatch, no_database):
    index = write_index(tmp_path / "index.sqlite3", schema=str(import_index._SCHEMA))
    monkeypatch.setenv(mapping.INDEX_ENV, str(index))
    before = index.read_bytes()

    names = import_index.Index(mapping.default_index_path())

    assert [(p.name, p.key) for p in names.providers("yaml")] == [("PyYAML", "pyyaml")]
    assert index.read_bytes() == before  # used as it is: nothing rebuilt or rewritten


def test_an_index_of_another_schema_is_refused_by_name(tmp_path, monkeypatch, no_database):
    index = write_index(tmp_path / "old.sqlite3", schema=str(import_index._SCHEMA - 1))
    monkeypatch.setenv(mapping.INDEX_ENV, str(index))

    with pytest.raises(MappingError) as caught:
        import_index.Index(index).knows_path("yaml")

    assert str(index) in str(caught.value)
    assert f"schema {import_index._SCHEMA - 1}" in str(caught.value)
    assert mapping.INDEX_ENV in str(caught.value)


def test_no_index_and_no_database_is_a_clear_error(tmp_path, no_database):
    missing = tmp_path / "nowhere.sqlite3"

    with pytest.raises(MappingError, match="import index missing, and pigar's database to build one"):
        import_index.Index(missing).knows_path("yaml")
    assert not missing.exists()
