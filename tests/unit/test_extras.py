"""The light install: the command-line check runs without the Action's extra; its front doors say what to install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import entrypoint
import pytest

from pipreqs_action import extras
from pipreqs_action.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample-app"
# a process in which the Action's distributions cannot be imported, as after `pip install pipreqs-action`
WITHOUT_ACTION = "import sys; sys.modules.update(github=None, actions_toolkit=None);"


@pytest.fixture
def action_extra_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(extras.EXTRAS, "action", ("github", "pipreqs_action_test_not_installed"))


def test_the_installed_extras_need_no_message() -> None:
    assert extras.missing("action") == []
    assert extras.missing_message("action", "The GitHub Action") is None


def test_a_missing_extra_is_named_with_the_command_that_installs_it(action_extra_missing: None) -> None:
    message = extras.missing_message("action", "The GitHub Action")
    assert message == (
        "The GitHub Action needs the [action] extra of pipreqs-action (pipreqs_action_test_not_installed not"
        " installed): pip install 'pipreqs-action[action]'"
    )


def test_format_github_without_the_extra_is_a_usage_error_before_any_check(action_extra_missing, capsys) -> None:
    assert main(["check", str(SAMPLE), "--offline", "--format", "github"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pipreqs-action: error: --format github needs the [action] extra") and "Traceback" not in err


def test_the_entrypoint_without_the_extra_prints_one_error_annotation(action_extra_missing, capsys) -> None:
    assert entrypoint.run({"INPUT_PATH": "."}) == 1
    out = capsys.readouterr().out
    assert out.startswith("::error::The GitHub Action needs the [action] extra") and out.count("\n") == 1


def test_the_check_runs_without_the_action_extra_installed() -> None:
    code = (
        f"{WITHOUT_ACTION} from pipreqs_action.cli import main; sys.exit(main(['check', {str(SAMPLE)!r}, '--offline']))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr  # the sample app is out of sync on purpose
    assert "scikit-learn" in done.stdout and not done.stderr


def test_a_check_imports_neither_github_nor_actions_toolkit() -> None:
    code = (
        f"from pipreqs_action.cli import main; main(['check', {str(SAMPLE)!r}, '--offline', '-q']);"
        "import sys; print(sorted(m for m in ('github', 'actions_toolkit', 'requests') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr
