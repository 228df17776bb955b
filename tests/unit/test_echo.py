"""Nothing echoed that should not be (issue 11 item 5): control characters from a checked tree, URLs holding
credentials, a symlinked `path`, a TOML file nested thousands deep, odd Unicode in a URL."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest
from tests.unit.test_action import base_inputs, make_step, run

from pipreqs_action import cli, render
from pipreqs_action.errors import SettingsError
from pipreqs_action.github import runner
from pipreqs_action.sources import source
from pipreqs_action.terminal import EscapingFormatter, escape_controls, has_controls, json_safe

ESC_NAME = "evil\x1b]0;owned\x07\x1b[2J.py"
HOSTILE_LINE = "requests\x1b[8m==1.0 \u202e"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def no_raw_controls(text: str) -> bool:
    return not any(char in text for char in RAW)


def hostile_tree(root: Path) -> Path:
    (root / "app.py").write_text("import yaml\n")
    (root / ESC_NAME).write_text("import requests\n")
    (root / "bidi\u202eyp.py").write_text("import toml\n")
    (root / "requirements.txt").write_text(f"{HOSTILE_LINE}\nflask\x9b==1.0\n")
    return root


def test_escape_controls_makes_them_visible() -> None:
    assert escape_controls("a\x1b[31mb\x9bc\u202ed\x7f\ne\tf") == "a\\x1b[31mb\\x9bc\\u202ed\\x7f\ne\tf"
    assert escape_controls("a\nb\tc", keep_lines=False) == "a\\x0ab\\x09c"
    assert escape_controls("plain ümlaut/日本.py") == "plain ümlaut/日本.py"
    assert has_controls("a\x1bb") and has_controls("\u202e") and not has_controls("a b\nc\td")
    text = json.dumps({"k": "\x9b\u202e\x1b"}, ensure_ascii=False)
    assert json.loads(json_safe(text)) == json.loads(text) and no_raw_controls(json_safe(text))


@pytest.mark.parametrize("output_format", ["text", "markdown", "json", "github"])
def test_no_report_format_carries_a_control_character(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], output_format: str
) -> None:
    cli.main(["check", str(hostile_tree(tmp_path)), "--offline", "--format", output_format, "--exit-zero"])
    out, err = capsys.readouterr()
    assert no_raw_controls(out) and no_raw_controls(err)
    assert "Traceback" not in err


def test_a_file_named_with_control_characters_is_skipped_with_a_reason(tmp_path: Path) -> None:
    from pipreqs_action.reading import discovery

    files, skipped = discovery.discover(hostile_tree(tmp_path))
    assert files == ["app.py"]
    assert {(item.path, item.reason) for item in skipped} == {
        ("evil\\x1b]0;owned\\x07\\x1b[2J.py", "file name holds control characters"),
        ("bidi\\u202eyp.py", "file name holds control characters"),
    }


def test_annotations_and_log_lines_escape_them(capsys: pytest.CaptureFixture[str]) -> None:
    runner.annotate("warning", "bad\x1b[2J", title="t\x9b", file="a\nb\x1b.py", line=3)
    record = logging.LogRecord("pipreqs_action", logging.WARNING, __file__, 1, "%s: odd", (ESC_NAME,), None)
    handler = runner.CommandLogHandler()
    handler.emit(record)
    out = capsys.readouterr().out
    assert no_raw_controls(out)
    assert "::warning title=t\\x9b,file=a%0Ab\\x1b.py,line=3::bad\\x1b[2J" in out
    assert no_raw_controls(EscapingFormatter("%(message)s").format(record))


def test_render_escapes_reasons_from_requirement_lines(tmp_path: Path) -> None:
    from pipreqs_action import pipeline
    from pipreqs_action.settings import engine_settings

    report = pipeline.run(engine_settings(path=hostile_tree(tmp_path), offline=True))
    for text in (render.to_text(report), render.to_markdown(report), render.to_json(report)):
        assert no_raw_controls(text)


@pytest.mark.parametrize(
    "value",
    [
        "https://github.com/owner/name?access_token=ghp_SECRET",
        "https://github.com/owner/name#ghp_SECRET",
        "https://ghp_SECRET@github.com/owner/name",
        "https://x:ghp_SECRET@github.com/owner/name",
        "owner/name?ghp_SECRET",
        "ghp_SECRET@github.com:owner/name",
        "-ghp_SECRET@x",
        "https://github.com:bad@port/o/n",
        "ext::ghp_SECRET@x",
    ],
)
def test_a_repository_error_never_echoes_a_credential(value: str) -> None:
    with pytest.raises(SettingsError) as caught:
        source.parse_repository(value)
    assert "SECRET" not in str(caught.value)
    assert str(caught.value).startswith("repository: ")


def test_odd_unicode_in_a_url_is_a_clear_refusal() -> None:
    with pytest.raises(SettingsError, match=r"^repository: 'https://github.com\uff0fowner/name' is not a valid URL$"):
        source.parse_repository("https://github.com\uff0fowner/name")
    with pytest.raises(SettingsError, match="no valid host name"):
        source.parse_repository("https://gith\u00fcb.com/owner/name")


def test_within_workspace_refuses_a_link_that_leaves_it(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    (workspace / "sub").mkdir(parents=True)
    (workspace / "inside").symlink_to(workspace / "sub")
    (workspace / "outside").symlink_to(tmp_path)
    assert source.within_workspace(workspace, "inside") == workspace / "inside"
    with pytest.raises(SettingsError, match=r"^path: 'outside' leads outside the checked repository"):
        source.within_workspace(workspace, "outside")


def test_the_action_refuses_a_symlinked_path_out_of_the_workspace(tmp_path, fake_github, capsys) -> None:
    secret = tmp_path / "elsewhere"
    secret.mkdir()
    (secret / "private.py").write_text("import secret_sdk\n")
    step = make_step(tmp_path, fake_github, base_inputs(fake_github, path="linked"))
    os.symlink(secret, step.workspace / "linked")
    run(step, capsys)
    assert step.code == 1
    [error] = step.annotations("error")
    assert error.message == "path: 'linked' leads outside the checked repository (a symbolic link?)"
    assert "secret_sdk" not in step.out + step.summary


def test_a_pyproject_nested_5000_deep_is_a_reason_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "app.py").write_text("import requests\n")
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ' + "[" * 5000 + "]" * 5000)
    code = cli.main(["check", str(tmp_path), "--offline"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "RecursionError" not in err
    assert "pyproject.toml (unusable: nested too deeply to read)" in out
    assert code == 0


def test_a_configuration_nested_5000_deep_is_a_settings_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "app.py").write_text("import requests\n")
    (tmp_path / "pyproject.toml").write_text("[tool.pipreqs-action]\nmap = " + "[" * 5000 + "]" * 5000)
    assert cli.main(["check", str(tmp_path), "--offline"]) == 2
    assert capsys.readouterr().err == "pipreqs-action: error: pyproject.toml: invalid TOML: nested too deeply to read\n"


def test_no_manifest_fills_variables_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked: requirements files, their includes and conda's pip entries keep ${VAR} as written, in every format."""
    monkeypatch.setenv("DEPLOYTOKEN", "s3cr3t-value")
    (tmp_path / "app.py").write_text("import requests\nimport yaml\n")
    (tmp_path / "requirements.txt").write_text("requests==${DEPLOYTOKEN}\n-r ${DEPLOYTOKEN}.txt\n")
    (tmp_path / "environment.yml").write_text(
        "dependencies:\n  - pip:\n    - pyyaml @ https://${DEPLOYTOKEN}@h/x.whl\n"
    )
    for output_format in ("text", "markdown", "json"):
        cli.main(["check", str(tmp_path), "--offline", "--format", output_format, "--exit-zero"])
        out, err = capsys.readouterr()
        assert "s3cr3t" not in out + err
        assert "${DEPLOYTOKEN}" in out
