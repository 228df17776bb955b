"""PEP 723 inline script metadata end to end on the `inline_script_metadata` fixture: what each format says about
the scripts' own declarations. Which imports they satisfy comes from the fixture's `# expect:` comments."""

from __future__ import annotations

import json

import jsonschema

from pipreqs_action.cli import main
from tests.functional.expect import project
from tests.functional.test_cli import SCHEMA

ROOT = project("inline_script_metadata")


def test_each_script_block_is_named_in_declared_in_and_a_broken_one_is_a_warning(capsys) -> None:
    code = main(["check", str(ROOT), "--offline", "--mode", "no-pin"])
    text = capsys.readouterr().out
    assert code == 1  # wandb in app.py: the script's declaration is not the app's
    assert "declared in: requirements.txt (1), tools/bad_entry.py inline script metadata (1), train.py inline " in text
    assert "warning: tools/broken_block.py:2: inline script metadata not read: not valid TOML (" in text
    assert "Traceback" not in text


def test_the_json_report_keeps_its_contract(capsys) -> None:
    main(["check", str(ROOT), "--offline", "--mode", "no-pin", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    scripts = [item for item in data["declared_by"] if item["table"] == "inline script metadata"]
    assert [(item["file"], item["count"]) for item in scripts] == [("tools/bad_entry.py", 1), ("train.py", 3)]
    assert [item["path"] for item in data["unusable_requirements"]] == ["tools/bad_entry.py:2"]
    assert len(data["warnings"]) == 1 and data["warnings"][0].startswith("tools/broken_block.py:2: ")
