"""The command-line conventions users type without thinking: -V, -q, --exit-zero, --format github, --output,
--color with NO_COLOR/FORCE_COLOR, a status line only on a terminal, --help with defaults, exit codes and an
example, and a warning for an --exclude pattern that left nothing out."""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipreqs_action import __version__, render, terminal
from pipreqs_action.cli import main
from pipreqs_action.github import runner
from pipreqs_action.model import Location, Missing, Report
from tests.functional.expect import copy_project, expectations, project, required_packages

CONSOLE_SCRIPT = Path(sys.executable).with_name("pipreqs-action")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(flag, capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main([flag])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"pipreqs-action {__version__}\n"


def test_quiet_prints_only_the_verdict_when_out_of_sync_and_nothing_in_sync(capsys) -> None:
    code, out, err = run(capsys, "check", project("omissions"), "--offline", "-q")
    assert code == 1
    assert out.splitlines() == [out.splitlines()[0]]
    assert out.startswith("requirements.txt is missing ")
    code, out, err = run(capsys, "check", project("clean"), "--offline", "--quiet")
    assert (code, out, err) == (0, "", "")


def test_exit_zero_keeps_findings_but_not_errors(capsys, tmp_path) -> None:
    code, out, _ = run(capsys, "check", project("omissions"), "--offline", "--exit-zero")
    assert code == 0
    assert out.startswith("requirements.txt is missing ")
    code, _, _ = run(capsys, "check", tmp_path / "no-such-dir", "--exit-zero")
    assert code == 2


def annotations(report: Report, prefix: str) -> str:
    """What the Action's own writer (runner.annotate) prints for these findings (one package: no reordering)."""
    captured = io.StringIO()
    stdout, sys.stdout = sys.stdout, captured
    try:
        for item in report.required_missing:
            for location in item.locations:
                runner.annotate(
                    "warning",
                    item.message,
                    title=f"Missing from requirements.txt: {item.package}",
                    file=render.repository_path(prefix, location.path),
                    line=location.line,
                )
    finally:
        sys.stdout = stdout
    return captured.getvalue()


def test_format_github_writes_the_actions_annotations_at_each_importing_line(capsys, monkeypatch) -> None:
    root = project("omissions")
    monkeypatch.chdir(root.parents[1])  # as in a workflow: run from the repository root
    code, out, _ = run(capsys, "check", "projects/omissions", "--offline", "--format", "github")
    assert code == 1
    lines = out.splitlines()
    warnings = [line for line in lines if line.startswith("::warning ")]
    expected = expectations(root)
    wanted = {
        (e.path, e.line) for e in expected if e.package in required_packages(expected) and e.verdict != "optional"
    }
    found = {
        (m["file"], int(m["line"]))
        for m in (re.search(r"file=(?P<file>[^,]+),line=(?P<line>\d+)", w) for w in warnings)
        if m
    }
    listed = {  # beyond GitHub's 10 warnings per step: a plain line each, so none is lost
        (m["file"], int(m["line"]))
        for m in (re.search(r" at (?P<file>\S+):(?P<line>\d+)$", line) for line in lines if line.startswith("- "))
        if m
    }
    assert len(warnings) == min(len(wanted), 10) and not found & listed
    assert found | listed == {(f"projects/omissions/{path}", line) for path, line in wanted}
    assert lines[-1].startswith("requirements.txt is missing ")


def test_format_github_uses_the_runners_own_writer(capsys, monkeypatch, tmp_path) -> None:
    report = Report(
        missing=(Missing("PyYAML", ("yaml",), (Location("a,b:c.py", 3), Location("app.py", 1))),),
        unused=(),
        skipped=(),
        requirements="PyYAML\n",
    )
    from pipreqs_action.github.workflow_annotations import to_github

    assert to_github(report, "sub") == annotations(report, "sub") + render.headline(report) + "\n"
    assert "file=sub/a%2Cb%3Ac.py,line=3" in to_github(report, "sub")


def test_output_writes_the_report_to_a_file_and_nothing_to_stdout(capsys, tmp_path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = run(capsys, "check", project("omissions"), "--offline", "--format", "json", "--output", target)
    assert (code, out) == (1, "")
    assert target.read_text("utf-8").startswith("{\n")
    code, out, err = run(capsys, "check", project("clean"), "--offline", "-o", tmp_path / "no-dir" / "r.txt")
    assert code == 2 and err.startswith("pipreqs-action: error: output: ")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("choice", "env", "tty", "colored"),
    [
        ("auto", {}, False, False),
        ("auto", {}, True, True),
        ("auto", {"NO_COLOR": "1"}, True, False),
        ("auto", {"FORCE_COLOR": "1"}, False, True),
        ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
        ("auto", {"TERM": "dumb"}, True, False),
        ("always", {"NO_COLOR": "1"}, False, True),
        ("never", {"FORCE_COLOR": "1"}, True, False),
    ],
)
def test_colour_follows_the_flag_then_no_color_then_force_color_then_the_tty(choice, env, tty, colored) -> None:
    stream = Terminal() if tty else io.StringIO()
    assert terminal.wants_color(choice, stream, env) is colored


def test_colour_on_the_command_line(capsys, monkeypatch) -> None:
    root = project("omissions")
    _, plain, _ = run(capsys, "check", root, "--offline", "--color", "never")
    _, painted, _ = run(capsys, "check", root, "--offline", "--color", "always")
    assert not ANSI.search(plain)
    assert ANSI.search(painted.splitlines()[0])
    assert ANSI.sub("", painted) == plain
    monkeypatch.setenv("FORCE_COLOR", "1")
    _, forced, _ = run(capsys, "check", root, "--offline")
    assert forced == painted
    _, json_out, _ = run(capsys, "check", root, "--offline", "--format", "json", "--color", "always")
    assert not ANSI.search(json_out)


def test_the_status_line_shows_on_a_terminal_after_a_moment_and_is_erased(monkeypatch) -> None:
    monkeypatch.setattr(terminal, "STATUS_DELAY", 0.01)
    stream = Terminal()
    with terminal.StatusLine(stream, "checking app ..."):
        time.sleep(0.2)
        logging.getLogger("pipreqs_action.mapping").info("building the import index (once)")
    text = stream.getvalue()
    assert "pipreqs-action: checking app ..." in text
    assert "pipreqs-action: building the import index (once)" in text
    assert text.endswith("\r\x1b[K")


def test_no_status_line_off_a_terminal_or_for_a_quick_run(monkeypatch) -> None:
    piped = io.StringIO()
    monkeypatch.setattr(terminal, "STATUS_DELAY", 0.01)
    with terminal.StatusLine(piped, "checking app ..."):
        time.sleep(0.1)
    assert piped.getvalue() == ""
    monkeypatch.setattr(terminal, "STATUS_DELAY", 5)
    quick = Terminal()
    with terminal.StatusLine(quick, "checking app ..."):
        pass
    assert quick.getvalue() == ""


def test_help_shows_defaults_exit_codes_and_an_example() -> None:
    result = subprocess.run([str(CONSOLE_SCRIPT), "check", "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "version style for added lines (default: pin)" in text
    assert "exit status: 0 in sync" in text and "2 usage error" in text
    assert "pipreqs-action check . --format github --exit-zero" in text
    assert "[tool.pipreqs-action]" in text


def test_serve_options_are_on_its_help_and_reach_the_server(capsys, monkeypatch) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    text = capsys.readouterr().out
    options = ("--clone-timeout", "--scan-timeout", "--max-clones", "--max-queue", "--cache-ttl", "--offline")
    options += ("--recheck-after", "--max-memory")
    for option in (*options, "--allow-host", "--allow-http", "--allow-http-host", "--server-url"):
        assert option in text
    seen = {}

    def fake_serve(host, port, config, workers=1):
        seen.update(host=host, port=port, config=config, workers=workers)

    monkeypatch.setattr("pipreqs_action.server.http.serve", fake_serve)
    argv = ["serve", "--port", "0", "--clone-timeout", "5", "--max-clones", "3", "--max-queue", "7", "--offline"]
    argv += ["--scan-timeout", "9", "--recheck-after", "0", "--max-memory", "256"]
    assert main([*argv, "--allow-host", "git.internal", "--index-url", "http://127.0.0.1:9/simple"]) == 0
    config = seen["config"]
    assert config.engine.clone_timeout == 5.0 and config.engine.offline is True
    assert config.engine.limits.seconds == 9.0 and config.engine.limits.memory_mb == 256
    assert config.limits.revalidate_after == 0.0
    assert config.limits.max_clones == 3 and config.limits.max_queue == 7
    assert config.policy.hosts == frozenset({"git.internal"}) and config.policy.explicit
    assert config.policy.allow_http is False
    assert config.engine.index_url == "http://127.0.0.1:9/simple"
    assert main(["serve", "--allow-http-host", "git.internal"]) == 0
    assert seen["config"].policy.allow_http is True and seen["config"].policy.hosts == frozenset({"git.internal"})
    assert main(["serve"]) == 0
    assert seen["config"].policy.hosts == {"github.com", "gitlab.com", "bitbucket.org", "codeberg.org"}
    assert not seen["config"].policy.explicit
    assert seen["config"].engine.limits.memory_mb == 1024 and seen["config"].limits.revalidate_after == 10.0


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--max-memory", "32", "expected at least 64, got '32'"),
        ("--max-memory", "1.5", "expected a whole number, got '1.5'"),
        ("--recheck-after", "-1", "expected at least 0, got '-1'"),
        ("--recheck-after", "inf", "expected at least 0, got 'inf'"),
        ("--recheck-after", "soon", "expected a number, got 'soon'"),
    ],
)
def test_a_bad_serve_limit_is_a_usage_error_naming_the_option(capsys, option: str, value: str, said: str) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["serve", option, value])
    assert stopped.value.code == 2
    assert f"argument {option}: {said}" in capsys.readouterr().err


def test_an_exclude_pattern_that_matched_nothing_is_a_warning(capsys, caplog, tmp_path) -> None:
    root = copy_project("omissions", tmp_path)
    code, _, _ = run(capsys, "check", root, "--offline", "--exclude", "no_such_dir/", "--exclude", "*.py")
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert warnings == ["exclude pattern 'no_such_dir/' matched no file"]
    assert code == 0  # every file excluded: nothing imported, nothing missing


def test_the_exclude_warning_reaches_stderr_of_the_console_script(tmp_path) -> None:
    root = copy_project("clean", tmp_path)
    argv = [str(CONSOLE_SCRIPT), "check", str(root), "--offline", "-q", "--exclude", "vendor/"]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout == ""
    assert result.stderr == "pipreqs-action: WARNING: exclude pattern 'vendor/' matched no file\n"


def test_long_names_and_many_locations_keep_the_columns(capsys) -> None:
    many = tuple(Location(f"pkg/module_{n}.py", n) for n in range(1, 9))
    report = Report(
        missing=(
            Missing("a-distribution-with-a-very-long-name-indeed", ("long_import_name",), many[:1]),
            Missing("short", ("short",), many),
        ),
        unused=(),
        skipped=(),
        requirements="x\n",
    )
    rows = [line for line in render.to_text(report).splitlines() if "pkg/module_1.py:1" in line]
    assert len(rows) == 2
    assert len({row.index("pkg/module_1.py:1") for row in rows}) == 1  # the location column lines up
    assert rows[1].endswith("pkg/module_5.py:5 (+3 more)")


# --- the package index pip is configured with -----------------------------------------------------------------------


def private_index_env(monkeypatch, tmp_path, url: str) -> None:
    """A user whose pip.conf names a private index; nothing else configured."""
    for name in ("PIP_INDEX_URL", "PIP_CONFIG_FILE", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "none"))
    monkeypatch.setattr("pipreqs_action.pipconf.SYSTEM_DIR", tmp_path / "etc")
    monkeypatch.setattr("pipreqs_action.pipconf.sys.prefix", str(tmp_path / "venv"))
    conf = tmp_path / "home" / ".config" / "pip" / "pip.conf"
    conf.parent.mkdir(parents=True)
    conf.write_text(f"[global]\nindex-url = {url}\n", "utf-8")


def test_pip_conf_index_url_is_used_and_public_pypi_never_asked(capsys, monkeypatch, tmp_path, pypi) -> None:
    from tests.simple_index import SimpleIndex

    monkeypatch.setattr("pipreqs_action.settings.DEFAULT_INDEX_URL", pypi.url)  # "public PyPI" would be the stub
    monkeypatch.setattr("pipreqs_action.cli.DEFAULT_INDEX_URL", pypi.url)
    root = project("versions")
    wanted = required_packages(expectations(root))
    with SimpleIndex() as index:
        for name in wanted:
            index.add_project(name, ["1.0", "1.2"])
        private_index_env(monkeypatch, tmp_path, index.url)
        code, out, _ = run(capsys, "check", root, "--format", "json")
        asked = {path for path, _ in index.seen}
    report = json.loads(out)
    assert {item["package"]: item["version"] for item in report["missing"] if not item["optional"]} == dict.fromkeys(
        wanted, "1.2"
    )
    assert asked == {f"/simple/{canonicalize(name)}/" for name in wanted}
    assert pypi.count() == 0
    assert code == 1


def test_pip_index_url_beats_pip_conf_and_the_flag_beats_both(capsys, monkeypatch, tmp_path) -> None:
    from tests.simple_index import SimpleIndex

    root = project("versions")
    with SimpleIndex() as conf_index, SimpleIndex() as env_index, SimpleIndex() as flag_index:
        private_index_env(monkeypatch, tmp_path, conf_index.url)
        monkeypatch.setenv("PIP_INDEX_URL", env_index.url)
        run(capsys, "check", root)
        assert env_index.seen and not conf_index.seen
        run(capsys, "check", root, "--index-url", flag_index.url)
        assert flag_index.seen and len(env_index.seen) == len(flag_index.seen)


def canonicalize(name: str) -> str:
    from packaging.utils import canonicalize_name

    return canonicalize_name(name)


def test_a_local_folder_as_pips_index_means_no_lookups_never_public_pypi(capsys, caplog, monkeypatch, tmp_path, pypi):
    monkeypatch.setattr("pipreqs_action.cli.DEFAULT_INDEX_URL", pypi.url)  # "public PyPI" would be the stub
    private_index_env(monkeypatch, tmp_path, "file:///srv/wheels/simple")
    code, out, _ = run(capsys, "check", project("versions"), "--format", "json")
    assert code == 1
    assert all(item["version"] is None for item in json.loads(out)["missing"])
    assert pypi.count() == 0
    assert "pip's index-url is not an http(s) URL" in caplog.text
