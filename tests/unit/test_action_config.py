"""The Action and the project's configuration: the file in the checked tree applies, the `ignore` and `map`
inputs add to it and win, an empty `fail-on` input leaves the file's choice, a bad file is one error line."""

from __future__ import annotations

import json

from tests.unit.test_action import NO_ISSUE, make_step, run

from pipreqs_action import render
from pipreqs_action.model import Report

CONFIG = '[tool.pipreqs-action]\nignore-missing = ["PyYAML"]\nfail-on = "any"\n'


def sub(tmp_path, name: str):
    (tmp_path / name).mkdir()
    return tmp_path / name


def missing(step) -> list[str]:
    return [item["package"] for item in json.loads(step.outputs["report"])["missing"]]


def test_the_configuration_in_the_checked_tree_applies(tmp_path, capsys) -> None:
    step = run(make_step(tmp_path, None, {"mode": "no-pin", **NO_ISSUE}, files={"pyproject.toml": CONFIG}), capsys)
    report = json.loads(step.outputs["report"])
    assert report["missing"] == [] and report["config"] == "pyproject.toml"
    assert step.code == 0


def test_an_empty_fail_on_input_takes_the_files_then_never(tmp_path, capsys) -> None:
    files = {"pyproject.toml": CONFIG, "requirements.txt": "requests\nflask\n"}  # flask unused: "any" fails
    step = run(make_step(sub(tmp_path, "a"), None, {"mode": "no-pin", "fail-on": "", **NO_ISSUE}, files=files), capsys)
    assert step.code == 1
    given = {"mode": "no-pin", "fail-on": "never", **NO_ISSUE}
    assert run(make_step(sub(tmp_path, "b"), None, given, files=files), capsys).code == 0
    bare = run(make_step(sub(tmp_path, "c"), None, {"mode": "no-pin", "fail-on": "", **NO_ISSUE}), capsys)
    assert (bare.code, missing(bare)) == (0, ["PyYAML"])


def test_the_ignore_and_map_inputs(tmp_path, capsys) -> None:
    files = {"app.py": "import requests\nimport yaml\nimport acme\n"}
    inputs = {"mode": "no-pin", "map": "acme=acme-sdk\n", **NO_ISSUE}
    assert missing(run(make_step(sub(tmp_path, "a"), None, inputs, files=files), capsys)) == ["acme-sdk", "PyYAML"]
    inputs["ignore"] = "PyYAML, acme"
    assert missing(run(make_step(sub(tmp_path, "b"), None, inputs, files=files), capsys)) == []


def test_a_bad_map_input_or_configuration_is_one_error_line(tmp_path, capsys) -> None:
    step = run(make_step(sub(tmp_path, "a"), None, {"map": "cv2", **NO_ISSUE}), capsys)
    assert step.code == 1
    assert [c.message for c in step.annotations("error")] == ["map: expected IMPORT=DISTRIBUTION, got 'cv2'"]
    bad = {"pyproject.toml": "[tool.pipreqs-action]\nignore = [1]\n"}
    step = run(make_step(sub(tmp_path, "b"), None, {"mode": "no-pin", **NO_ISSUE}, files=bad), capsys)
    assert step.code == 1
    [error] = step.annotations("error")
    assert error.message.startswith("pyproject.toml:2: unknown key 'ignore'")


def test_the_issue_body_says_how_to_configure_and_silence_concretely() -> None:
    body = render.issue_body(Report(missing=(), unused=(), skipped=(), requirements=""))
    for words in ("[tool.pipreqs-action]", "ignore-missing", "# pipreqs-action: ignore", "`ignore`", "`map`"):
        assert words in body
