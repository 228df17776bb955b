"""limits: one check's time, memory and index lookups are bounded, and running out says so in one line."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.pypi_stub import PyPIStub, pypi_fixture  # noqa: F401  (registers the `pypi` fixture)

from pipreqs_action import cli, limits, pipeline
from pipreqs_action.errors import LimitExceeded, SettingsError
from pipreqs_action.github.action_settings import ActionSettings
from pipreqs_action.limits import ScanLimits
from pipreqs_action.metadata import requires_client
from pipreqs_action.settings import engine_settings
from pipreqs_action.versions import latest_versions

ROOT = Path(__file__).resolve().parents[2]


def tree(root: Path, count: int = 3) -> Path:
    for index in range(count):
        (root / f"m{index}.py").write_text("import requests\n")
    return root


def test_a_check_past_its_deadline_stops_with_a_message(tmp_path: Path) -> None:
    settings = engine_settings(path=tree(tmp_path), offline=True, limits=ScanLimits(seconds=1e-6))
    with pytest.raises(LimitExceeded, match=r"^stopped after 1e-06 s: the check did not finish within its time"):
        pipeline.run(settings)


def test_within_its_deadline_a_check_is_unchanged(tmp_path: Path) -> None:
    settings = engine_settings(path=tree(tmp_path), offline=True, limits=ScanLimits(seconds=60))
    assert [item.package for item in pipeline.run(settings).missing] == ["requests"]


def test_check_deadline_only_applies_inside_a_check() -> None:
    limits.check_deadline()  # no check running: nothing to stop
    with limits.bounded(ScanLimits(seconds=0.05)):
        limits.check_deadline()
        time.sleep(0.06)
        with pytest.raises(LimitExceeded):
            limits.check_deadline()


def test_a_nested_check_keeps_the_outer_budget() -> None:
    with limits.bounded(ScanLimits(index_lookups=3)):
        assert limits.take_lookups(2) == 2
        with limits.bounded(ScanLimits(index_lookups=100)):  # a project inside the checked one
            assert limits.take_lookups(5) == 1
        assert limits.take_lookups(1) == 0
    assert limits.take_lookups(7) == 7  # outside a check: no budget


def test_running_out_of_memory_is_a_limit_not_a_crash() -> None:
    with (
        pytest.raises(LimitExceeded, match="needed more than 256 MB of memory"),
        limits.bounded(ScanLimits(memory_mb=256)),
    ):
        raise MemoryError


@pytest.mark.parametrize(
    ("seconds", "memory", "message"),
    [("soon", None, "timeout: expected a number, got 'soon'"), (None, "-5", "max-memory: expected a positive")],
)
def test_bad_limit_values_name_the_option(seconds: str | None, memory: str | None, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        limits.parse_limits(seconds=seconds, memory_mb=memory)
    assert limits.parse_limits(seconds="", memory_mb="") == limits.DEFAULT_LIMITS


def test_the_action_reads_timeout_and_max_memory_inputs() -> None:
    inputs = {"timeout": "90", "max-memory": "1024"}
    env = {"GITHUB_REPOSITORY": "o/r", "GITHUB_WORKSPACE": "/tmp"}
    settings = ActionSettings.from_action_env(lambda name: inputs.get(name, ""), env)
    assert settings.limits == ScanLimits(seconds=90, memory_mb=1024)


def test_the_cli_reports_a_timeout_in_one_line_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", str(tree(tmp_path)), "--offline", "--timeout", "0.000001"]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith("pipreqs-action: error: stopped after 1e-06 s")
    assert "Traceback" not in err


def test_the_watchdog_ends_a_process_whose_check_does_not_come_back() -> None:
    """A step stuck where check_deadline is never reached (C code) still ends, with the same message."""
    code = (
        "import time; from pipreqs_action import limits\n"
        "with limits.stop_process_after(0.2, grace=0.1):\n    time.sleep(30)\n"
    )
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20)
    assert time.monotonic() - started < 10
    assert done.returncode == 2
    assert (
        done.stderr
        == "pipreqs-action: error: stopped after 0.2 s: the check did not finish within its time limit (timeout)\n"
    )


def test_the_cli_process_caps_its_own_memory(tmp_path: Path) -> None:
    """With --max-memory the CLI's own process cannot grow past it: the check stops with a message instead."""
    code = (
        "import resource, sys; from pipreqs_action import cli\n"
        "sys.argv = ['pipreqs-action', 'check', sys.argv[1], '--offline', '--max-memory', '300']\n"
        "status = cli.main()\n"
        "print(resource.getrlimit(resource.RLIMIT_AS)[0] // 2**20, status)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tree(tmp_path))], capture_output=True, text=True, timeout=60)
    assert done.stdout.split()[-2:] == ["300", "1"]


def test_index_lookups_past_the_limit_are_left_unpinned_with_a_warning(pypi: PyPIStub) -> None:
    for name in ("alpha", "beta", "gamma", "delta"):
        pypi.add_project(name, ["1.0"])
    with limits.bounded(ScanLimits(index_lookups=2)):
        lookup = latest_versions(["alpha", "beta", "gamma", "delta"], index_url=pypi.url, timeout=2.0)
    assert lookup.versions == {"alpha": "1.0", "beta": "1.0"}
    assert pypi.count() == 2
    assert lookup.warnings == ("Index lookup limit (2 per check) reached, versions left out: gamma, delta",)


def test_dependency_data_lookups_share_the_same_budget(pypi: PyPIStub, tmp_path: Path) -> None:
    with limits.bounded(ScanLimits(index_lookups=1)):
        assert limits.take_lookups(1) == 1  # spent on versions already
        lookup = requires_client.fetch_requires(["alpha", "beta"], index_url=pypi.url, cache_dir=tmp_path)
    assert pypi.count() == 0
    assert lookup.warnings == ("dependency data: index lookup limit (1 per check) reached, 2 not asked",)


def test_a_backtracking_gitignore_repository_is_checked_well_within_a_small_deadline(tmp_path: Path) -> None:
    """Issue 11's hostile repository: three files, one .gitignore line, one long name; the CLI as users run it."""
    (tmp_path / ".gitignore").write_text("*a" * 16 + "*b\n")
    (tmp_path / f"{'a' * 40}.py").write_text("import requests\n")
    (tmp_path / "app.py").write_text("import yaml\n")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "pipreqs_action.cli", "check", str(tmp_path), "--offline", "--timeout", "20", "-q"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert time.monotonic() - started < 20
    assert done.returncode == 1, done.stderr
    assert "missing 2 packages" in done.stdout
