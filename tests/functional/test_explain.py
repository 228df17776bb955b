"""`pipreqs-action explain IMPORT [PATH]`: the distribution, the source that named it, the candidates, what the
project already declares and what its configuration says. Expected names come from the mapping's own API."""

from __future__ import annotations

import pytest

from pipreqs_action.cli import main
from pipreqs_action.mapping import load_import_names
from tests.functional.expect import project


def explain(capsys, *args) -> tuple[int, list[str]]:
    code = main(["explain", *map(str, args)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out.splitlines()


def test_the_answer_is_the_one_the_check_would_give_with_its_candidates(capsys) -> None:
    names = load_import_names()
    suggestion = names.suggest("cv2")
    code, lines = explain(capsys, "cv2", project("clean"))
    assert code == 0
    assert lines[0] == f"cv2 -> {suggestion.package}"
    assert lines[1].startswith("  why: ")
    assert f"  other candidates: {', '.join(suggestion.candidates)}" in lines


@pytest.mark.parametrize(
    ("source", "words"),
    [("curated", "curated data"), ("pipreqs", "pipreqs' import-name mapping"), ("none", "no data source knows")],
)
def test_the_why_names_the_data_source(capsys, monkeypatch, source, words) -> None:
    monkeypatch.setattr("pipreqs_action.mapping.ImportNames.source_of", lambda self, path: source)
    _, lines = explain(capsys, "yaml")
    assert words in lines[1]


def test_an_unknown_import_says_so(capsys, tmp_path) -> None:
    _, lines = explain(capsys, "zz_no_such_module_anywhere", tmp_path)
    assert lines[0] == "zz_no_such_module_anywhere -> zz_no_such_module_anywhere"
    assert "no data source knows" in lines[1]
    assert any("check the name on PyPI" in line for line in lines)


def test_the_configuration_of_path_is_the_reason_when_it_maps_the_import(capsys) -> None:
    _, lines = explain(capsys, "acme", project("configured"))
    assert lines[0] == "acme -> acme-sdk"
    assert lines[1] == "  why: your map (map in pyproject.toml or --map)"
    assert "  configuration: pyproject.toml" in lines


def test_a_map_flag_wins_and_is_the_reason(capsys, tmp_path) -> None:
    _, lines = explain(capsys, "yaml", tmp_path, "--map", "yaml=ruamel.yaml")
    assert lines[:2] == ["yaml -> ruamel.yaml", "  why: your map (--map)"]


def test_first_party_ignored_and_declared_are_said(capsys) -> None:
    _, lines = explain(capsys, "acme_shared.util", project("configured"))
    assert any(line.startswith("  listed in first-party (pyproject.toml)") for line in lines)
    _, lines = explain(capsys, "yaml", project("configured"))
    assert any(line.startswith("  listed in ignore-missing (pyproject.toml)") for line in lines)
    _, lines = explain(capsys, "requests", project("configured"))
    assert "  already declared: requests (requirements.txt:1) provides it" in lines


def test_a_namespace_import_is_explained_at_the_path_the_check_matches(capsys) -> None:
    _, lines = explain(capsys, "google.cloud.storage.blob")
    assert lines[0].startswith("google.cloud.storage.blob (matched as google.cloud.storage) -> ")


def test_a_name_that_is_not_an_import_is_a_usage_error(capsys) -> None:
    code = main(["explain", "not an import"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("pipreqs-action: error: IMPORT: ")
