"""The project's configuration on the command line: found, applied, overridden by flags, refused when wrong."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from pipreqs_action.cli import main
from tests.functional.expect import check_report, copy_project, expectations, project

SCHEMA = json.loads(Path(__file__).with_name("report.schema.json").read_text("utf-8"))


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def report_of(capsys, root: Path, *args) -> tuple[int, dict]:
    code, out, err = run(capsys, "check", root, "--offline", "--format", "json", *args)
    assert "Traceback" not in err
    report = json.loads(out)
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    return code, report


def test_the_configured_fixture_is_checked_with_its_configuration(capsys) -> None:
    root = project("configured")
    code, report = report_of(capsys, root)
    check_report(report, expectations(root))
    assert report["config"] == "pyproject.toml"
    assert [item["package"] for item in report["unused"]] == ["rich"]  # gunicorn: ignore-unused
    assert report["files_scanned"] == 1  # legacy/ excluded by the file
    assert code == 1  # fail-on = "any" in the file, and there is a finding


def test_the_text_and_markdown_reports_name_the_configuration_file(capsys) -> None:
    root = project("configured")
    _, text, _ = run(capsys, "check", root, "--offline")
    assert "Configuration: pyproject.toml." in text.splitlines()
    _, markdown, _ = run(capsys, "check", root, "--offline", "--format", "markdown")
    assert "Configuration: `pyproject.toml`." in markdown.splitlines()


def test_without_a_configuration_the_report_says_none(capsys) -> None:
    _, report = report_of(capsys, project("clean"))
    assert report["config"] is None


def test_flags_win_over_the_file(capsys) -> None:
    root = project("configured")
    code, report = report_of(capsys, root, "--fail-on", "never", "--map", "acme=acme-client")
    assert code == 0
    assert [item["package"] for item in report["missing"]] == ["acme-client"]


def test_an_ignored_import_is_left_out_of_the_suggested_requirements(capsys) -> None:
    _, report = report_of(capsys, project("configured"))
    assert "PyYAML" not in report["requirements"] and "internal" not in report["requirements"]
    assert report["requirements"].splitlines()[-1] == "acme-sdk"


def test_without_the_configuration_the_same_code_reports_everything(capsys, tmp_path) -> None:
    root = copy_project("configured", tmp_path)
    (root / "pyproject.toml").unlink()
    _, report = report_of(capsys, root)
    assert report["config"] is None
    missing = {item["package"] for item in report["missing"]}
    assert {"PyYAML", "Flask"} <= missing  # not ignored, legacy/ not excluded
    assert "acme-sdk" not in missing  # no map
    assert "acme_shared" in {item["import"] for item in report["unresolved"]}  # not first-party: no data maps it
    assert {item["package"] for item in report["unused"]} == {"gunicorn", "rich"}


def test_an_explicit_config_file_replaces_the_projects_own(capsys, tmp_path) -> None:
    given = tmp_path / "ci-pipreqs.toml"
    given.write_text('ignore-missing = ["acme"]\nfail-on = "missing"\n', "utf-8")
    code, report = report_of(capsys, project("configured"), "--config", given)
    assert report["config"] == str(given)
    assert {item["package"] for item in report["missing"]} >= {"PyYAML", "Flask"}
    assert "acme" not in {imp for item in report["missing"] for imp in item["imports"]}
    assert code == 1


@pytest.mark.parametrize(
    ("name", "text", "start"),
    [
        ("pyproject.toml", '[tool.pipreqs-action]\nignore = ["x"]\n', "pyproject.toml:2: unknown key 'ignore'"),
        ("pipreqs-action.toml", 'exclude = "legacy/"\n', "pipreqs-action.toml:1: 'exclude' must be a list"),
        (".pipreqs-action.toml", "fail-on = [\n", ".pipreqs-action.toml:2: invalid TOML"),
    ],
)
def test_a_bad_configuration_exits_2_with_one_line_naming_file_line_and_key(capsys, tmp_path, name, text, start):
    root = copy_project("configured", tmp_path)
    (root / "pyproject.toml").unlink()
    (root / name).write_text(text, "utf-8")
    code, out, err = run(capsys, "check", root, "--offline")
    assert code == 2
    assert out == ""  # nothing half-applied: no report at all
    assert err.splitlines() == [err.rstrip("\n")]
    assert err.startswith(f"pipreqs-action: error: {start}")


def test_a_dedicated_file_is_found_beside_the_code(capsys, tmp_path) -> None:
    root = copy_project("configured", tmp_path)
    shutil.move(root / "pyproject.toml", root / ".pipreqs-action.toml")
    text = (root / ".pipreqs-action.toml").read_text("utf-8").replace("[tool.pipreqs-action]\n", "")
    (root / ".pipreqs-action.toml").write_text(text, "utf-8")
    _, report = report_of(capsys, root)
    assert report["config"] == ".pipreqs-action.toml"
    check_report(report, expectations(root))


def test_secondary_and_app_paths_of_the_configuration_reach_the_scan(capsys, tmp_path) -> None:
    files = {
        "app.py": "import requests\n",
        "tools/server/run.py": "import flask\n",
        "scripts/deploy/push.py": "import boto3\n",
    }
    for rel, text in {**files, "requirements.txt": "requests\n"}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, "utf-8")
    code, before = report_of(capsys, tmp_path)
    assert code == 0 and all(item["optional"] for item in before["missing"])  # tools/ and scripts/: secondary
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pipreqs-action]\nsecondary = ["scripts/deploy/"]\napp = ["tools/server/"]\n', "utf-8"
    )
    code, after = report_of(capsys, tmp_path)
    assert code == 1
    assert {item["package"]: item["optional"] for item in after["missing"]} == {"Flask": False, "boto3": True}
