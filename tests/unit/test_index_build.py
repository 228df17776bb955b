"""The shipped import index: built from pigar's database by a developer's script, read in place by every run.

Each test builds a small index from a database in pigar's own layout (``distributions``,
``top_level_module_names``), so the writer and the reader are checked together without pigar installed.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
from pathlib import Path

import pytest

from pipreqs_action import mapping
from pipreqs_action.errors import MappingError
from pipreqs_action.metadata import import_index, index_build
from pipreqs_action.metadata.import_index import PATH_ENTRY, Index, Provider

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("refresh_import_index", ROOT / "scripts" / "refresh_import_index.py")
assert _spec and _spec.loader
refresh = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(refresh)

# (name, version, top-level modules) as pigar lists them
PIGAR_ROWS = [
    ("PyYAML", "6.0.2", ["yaml", "_yaml"]),
    ("pyyaml", "3.10", ["yaml"]),  # an older spelling of the same project
    ("requests", "2.32.3", ["requests"]),
    ("requests2", "2.16.0", ["requests"]),
    ("google-cloud-storage", "2.18.0", ["google"]),  # a bare namespace root: the path comes from the name
    ("pywin32", "308", ["win32api", "win32\\lib\\win32con"]),  # a .pth folder's module
    ("no-modules", "1.0", []),
]


def pigar_database(path: Path, rows: list[tuple[str, str, list[str]]] = PIGAR_ROWS) -> Path:
    con = sqlite3.connect(path)
    try:
        con.execute("CREATE TABLE distributions (id INTEGER PRIMARY KEY, name TEXT, version TEXT)")
        con.execute("CREATE TABLE top_level_module_names (id INTEGER PRIMARY KEY, name TEXT, distribution_id INT)")
        for number, (name, version, modules) in enumerate(rows, start=1):
            con.execute("INSERT INTO distributions VALUES (?, ?, ?)", (number, name, version))
            con.executemany(
                "INSERT INTO top_level_module_names (name, distribution_id) VALUES (?, ?)",
                [(module, number) for module in modules],
            )
        con.commit()
    finally:
        con.close()
    return path


@pytest.fixture
def built(tmp_path: Path) -> Path:
    database = pigar_database(tmp_path / ".db.sqlite3")
    return index_build.write_index(index_build.read_pigar(database), tmp_path / "index.bin", {"pigar": "2.2.0"})


def test_providers_come_back_with_their_published_names_and_kinds(built: Path) -> None:
    index = Index(built)
    assert index.providers("yaml") == [Provider("PyYAML", "pyyaml", 0)]  # one key, the newest release's name
    assert index.providers("requests") == [Provider("requests", "requests", 0), Provider("requests2", "requests2", 0)]
    assert index.providers("win32con") == [Provider("pywin32", "pywin32", PATH_ENTRY)]
    assert index.providers("google.cloud.storage") == [Provider("google-cloud-storage", "google-cloud-storage", 1)]
    assert index.providers("google") == [] and index.providers("nothing_provides_this") == []


def test_distributions_are_found_by_their_normalised_name(built: Path) -> None:
    index = Index(built)
    assert index.display_name("pyyaml") == "PyYAML"
    assert sorted(index.paths("pyyaml")) == ["_yaml", "yaml"]
    assert index.paths("requests") == ["requests"] and index.display_name("requests") == "requests"
    assert "google.cloud.storage" in index.paths("google-cloud-storage")
    assert index.display_name("unknown-project") is None and index.paths("unknown-project") == []
    assert index.knows_path("win32api") and not index.knows_path("win32")


def test_lookups_across_many_blocks_find_every_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_build, "BLOCK_BYTES", 64)  # a few lines per block
    rows = [(f"project-{number:04d}", "1.0", [f"module_{number:04d}"]) for number in range(500)]
    database = pigar_database(tmp_path / ".db.sqlite3", rows)
    index = Index(index_build.write_index(index_build.read_pigar(database), tmp_path / "index.bin", {}))
    for number in range(0, 500, 7):
        assert index.providers(f"module_{number:04d}") == [
            Provider(f"project-{number:04d}", f"project-{number:04d}", 0)
        ]
        assert index.paths(f"project-{number:04d}") == [f"module_{number:04d}"]
    assert index.providers("module_") == [] and index.providers("module_9999") == [] and index.providers("a") == []


def test_the_header_says_what_the_data_is_from(built: Path) -> None:
    about = Index(built).about()
    assert about["pigar"] == "2.2.0" and about["schema"] == str(import_index.SCHEMA)


def test_the_shipped_data_comes_from_the_pinned_pipreqs_and_pigar() -> None:
    pins = dict(re.findall(r"^([a-z]+)==(\S+)$", (ROOT / "requirements" / "data.txt").read_text("utf-8"), re.M))
    about = Index(import_index.SHIPPED_INDEX).about()
    assert {name: about[name] for name in pins} == pins == {"pipreqs": "0.5.0", "pigar": "2.2.0"}
    licenses = import_index.SHIPPED_INDEX.parent / "licenses"
    assert "Apache License" in (licenses / "pipreqs-LICENSE.txt").read_text("utf-8")
    assert "BSD 3-Clause" in (licenses / "pigar-LICENSE.txt").read_text("utf-8")


def test_the_shipped_pipreqs_mapping_is_pipreqs_own_file() -> None:
    spec = importlib.util.find_spec("pipreqs")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("pipreqs is a test extra on Python < 3.13 only")
    installed = Path(next(iter(spec.submodule_search_locations))) / "mapping"
    shipped = import_index.SHIPPED_INDEX.with_name("pipreqs_mapping.txt")
    assert shipped.read_bytes() == installed.read_bytes()


def test_an_index_of_another_schema_is_refused_by_name(built: Path) -> None:
    data = built.read_bytes()
    older = built.with_name("old.bin")
    older.write_bytes(data.replace(b'"schema":3', b'"schema":2', 1))
    with pytest.raises(MappingError) as caught:
        Index(older).knows_path("yaml")
    assert str(older) in str(caught.value) and "schema 2" in str(caught.value)
    assert mapping.INDEX_ENV in str(caught.value)


@pytest.mark.parametrize("content", [None, b"", b"SQLite format 3\x00", b"PRAI\xff\xff\x00\x00{"])
def test_a_missing_or_foreign_index_is_a_clear_error(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "index.bin"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(MappingError, match=re.escape(str(path))):
        Index(path).providers("yaml")


def test_the_env_var_names_another_index_used_as_it_is(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(mapping.INDEX_ENV, str(built))
    before = built.read_bytes()
    assert mapping.default_index_path() == built
    assert Index(mapping.default_index_path()).providers("yaml")[0].name == "PyYAML"
    assert built.read_bytes() == before


def test_the_refresh_script_rewrites_the_data_from_installed_releases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    (site / "pigar").mkdir(parents=True)
    (site / "pipreqs").mkdir()
    pigar_database(site / "pigar" / ".db.sqlite3")
    (site / "pipreqs" / "mapping").write_text("yaml:PyYAML\n", "utf-8")
    (site / "pigar-2.2.0.dist-info" / "licenses").mkdir(parents=True)
    (site / "pigar-2.2.0.dist-info" / "licenses" / "LICENSE").write_text("BSD 3-Clause License\n", "utf-8")
    (site / "pipreqs-0.5.0.dist-info").mkdir()
    (site / "pipreqs-0.5.0.dist-info" / "LICENSE").write_text("Apache License\n", "utf-8")
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setattr(refresh, "DATA", data)

    written = refresh.refresh_index(site)

    assert sorted(path.relative_to(data).as_posix() for path in written) == [
        "import_index.bin",
        "licenses/pigar-LICENSE.txt",
        "licenses/pipreqs-LICENSE.txt",
        "pipreqs_mapping.txt",
    ]
    assert (
        Index(data / "import_index.bin").about() | {"pipreqs": "0.5.0", "pigar": "2.2.0"}
        == Index(data / "import_index.bin").about()
    )
    assert (data / "pipreqs_mapping.txt").read_text("utf-8") == "yaml:PyYAML\n"


def test_the_download_ranking_records_its_source_and_snapshot_date(tmp_path: Path, monkeypatch) -> None:
    ranking = tmp_path / "top-pypi-packages-30-days.min.json"
    rows = [{"download_count": 5, "project": "Flask_SQLAlchemy"}, {"download_count": 9, "project": "boto3"}]
    ranking.write_text(json.dumps({"last_update": "2026-11-01 09:13:14", "rows": rows}), "utf-8")
    monkeypatch.setattr(refresh, "DATA", tmp_path)

    assert refresh.main(["popular", str(ranking)]) == 0

    header, *names = (tmp_path / "popular.txt").read_text("utf-8").splitlines()
    assert names == ["boto3", "flask-sqlalchemy"]
    assert "in the 30 days to 2026-11-01" in header and "https://hugovk.github.io/top-pypi-packages/" in header


def test_a_csv_ranking_needs_its_date(tmp_path: Path) -> None:
    ranking = tmp_path / "top.csv"
    ranking.write_text("project,download_count\nboto3,9\n", "utf-8")
    with pytest.raises(SystemExit) as exited:
        refresh.main(["popular", str(ranking)])
    assert exited.value.code == 2
