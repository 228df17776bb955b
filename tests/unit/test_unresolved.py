"""Imports no data maps to a distribution: listed as unresolved, never missing, never an alarm."""

from __future__ import annotations

import json

import pytest
from tests.unit.test_compare import declared, ref, scanned

from pipreqs_action.compare import compare, exit_status
from pipreqs_action.mapping import ImportNames, load_import_names
from pipreqs_action.model import Location, Report, Unresolved
from pipreqs_action.render import UNRESOLVED_HINT, render

UNKNOWN = "zq_acme_billing_core"  # no distribution ships it


@pytest.fixture
def names() -> ImportNames:
    return load_import_names()


def test_an_import_no_data_maps_is_unresolved_and_keeps_the_project_in_sync(names) -> None:
    report = compare(scanned(ref(UNKNOWN, "app.py:3"), ref("requests", "app.py:4")), declared("requests"), names)
    assert report.missing == ()
    assert report.unresolved == (Unresolved(UNKNOWN, (Location("app.py", 3),)),)
    assert report.in_sync
    assert exit_status(report, "missing") == 0


@pytest.mark.parametrize("generic", ["utils", "config", "settings", "helpers", "models", "storage", "tools"])
def test_a_generic_module_name_is_never_pinned_on_an_unrelated_project(names, generic) -> None:
    report = compare(scanned(ref(generic, "bot/main.py:2")), declared(), names)
    assert [item.module for item in report.unresolved] == [generic]
    assert report.missing == ()


def test_an_unresolved_import_declared_under_its_own_name_is_satisfied(names) -> None:
    report = compare(scanned(ref(UNKNOWN)), declared(UNKNOWN.replace("_", "-")), names)
    assert report.unresolved == () and report.missing == () and report.unused == ()


def test_an_unresolved_import_made_only_by_tests_is_flagged_optional(names) -> None:
    report = compare(scanned(ref(UNKNOWN, "tests/test_app.py:1", secondary="tests")), declared(), names)
    assert report.unresolved[0].optional


def test_an_unknown_namespace_path_is_unresolved_not_a_guessed_distribution(names) -> None:
    report = compare(scanned(ref("google.zqnothing", "app.py:1")), declared(), names)
    assert report.missing == ()
    assert [item.module for item in report.unresolved] == ["google.zqnothing"]


def unresolved_report() -> Report:
    item = Unresolved("settings", (Location("bot/main.py", 2), Location("bot/jobs.py", 7)))
    return Report(
        missing=(),
        unused=(),
        skipped=(),
        requirements="",
        declared_sources=("requirements.txt",),
        files_scanned=2,
        unresolved=(item,),
    )


def test_text_and_markdown_list_unresolved_imports_with_the_hint() -> None:
    for fmt in ("text", "markdown"):
        out = render(unresolved_report(), fmt)
        assert "nresolved imports" in out
        assert "bot/main.py:2" in out and "bot/jobs.py:7" in out
        assert "--map IMPORT=DIST" in out and "first-party" in out
    assert UNRESOLVED_HINT in render(unresolved_report(), "text")


def test_json_lists_unresolved_imports_apart_from_missing() -> None:
    data = json.loads(render(unresolved_report(), "json"))
    assert data["in_sync"] is True and data["missing"] == []
    assert data["unresolved"] == [
        {
            "import": "settings",
            "locations": [{"path": "bot/main.py", "line": 2}, {"path": "bot/jobs.py", "line": 7}],
            "optional": False,
        }
    ]


def test_an_ignored_name_leaves_the_unresolved_list_too() -> None:
    from pipreqs_action.config import ProjectConfig
    from pipreqs_action.filters import apply_config

    report = apply_config(unresolved_report(), ProjectConfig(ignore_missing=("settings",)))
    assert report.unresolved == ()


def test_a_declared_distribution_provides_the_module_named_like_it(names) -> None:
    """pigar lists flasgger with only `flasgger_package`; the declared flasgger still satisfies `import flasgger`."""
    report = compare(scanned(ref("flasgger", "app.py:1")), declared("flasgger"), names)
    assert report.missing == () and report.unresolved == () and report.unused == ()
    assert names.suggest("flasgger").package == "flasgger"


def test_a_declared_namespace_meta_distribution_does_not_cover_the_namespace(names) -> None:
    report = compare(scanned(ref("google.cloud.storage", "app.py:1")), declared("google"), names)
    assert [item.package for item in report.missing] == ["google-cloud-storage"]
