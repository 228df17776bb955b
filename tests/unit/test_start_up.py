"""Start-up: a check imports what its project needs, and nothing for files the project does not have.

Most of a small project's check is Python importing modules (issue 10: the sample app at Python's start-up
floor). packaging (``pep508`` reads a plain requirement string), pip's requirements reader (``urllib.request``,
``http.client``, ``email``, ``ssl``), ``tomllib`` and ``configparser`` are imported only when a line or a file
needs them, and the reader of each kind of manifest only for a project that has one; each test runs a check in a
fresh process and names what it must not have imported.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample-app"
_TOML = "tomllib" if sys.version_info >= (3, 11) else "tomli"  # Python 3.10 reads TOML with tomli
_READERS = tuple(
    f"pipreqs_action.manifests.{kind}" for kind in ("pyproject", "setup_cfg", "setup_py", "pipfile", "conda")
)
_WATCHED = (
    "dataclasses",  # a dataclass compiles its methods as it is made: the engine's values are NamedTuples (model)
    "packaging",  # its parser (markers, specifiers, tags, platform, subprocess): only for a string it alone reads
    "pip_requirements_parser",
    "shutil",  # argparse asks it the terminal's width: cli asks os, without shutil's compression modules
    "signal",  # its enums: only a large tree's forked helpers are signalled
    "urllib.request",
    "http.client",
    "email",
    "ssl",
    _TOML,
    "configparser",
    *_READERS,
)


def _watched_after(code: str, env: dict[str, str] | None = None) -> list[str]:
    """The watched modules imported once ``code`` has run, in a process of its own."""
    code += f";import sys; print('imported:' + ','.join(m for m in {_WATCHED!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    last = done.stdout.splitlines()[-1:]
    assert last and last[0].startswith("imported:"), done.stderr
    return [name for name in last[0].removeprefix("imported:").split(",") if name]


# What this interpreter's own argparse imports to read a command line is not the check's doing: Python 3.14's
# argparse colours its help with themes that are dataclasses, so there ``dataclasses`` comes with any CLI.
@functools.cache
def _by_argparse() -> frozenset[str]:
    parse = "import argparse; parser = argparse.ArgumentParser(); parser.add_argument('x'); parser.parse_args(['a'])"
    return frozenset(_watched_after(parse))


def _imported_by_check(project: Path, pip_config: str = os.devnull) -> list[str]:
    """The watched modules a whole offline check of ``project`` imports, beyond what argparse itself brings."""
    env = {**os.environ, "PIP_CONFIG_FILE": pip_config}  # no pip.conf of this machine: it is read with configparser
    code = f"from pipreqs_action.cli import main; main(['check', {str(project)!r}, '--offline', '-q'])"
    return [name for name in _watched_after(code, env) if name not in _by_argparse()]


def test_argparse_alone_brings_none_of_the_engines_readers() -> None:
    """The allowance above covers only what the standard library pulls in, never one of the readers watched."""
    assert not _by_argparse() & {"packaging", "pip_requirements_parser", _TOML, "configparser", *_READERS}


def _project(root: Path, requirements: str, **files: str) -> Path:
    (root / "requirements.txt").write_text(requirements, "utf-8")
    (root / "app.py").write_text("import requests\nimport yaml\n", "utf-8")
    for name, text in files.items():
        (root / name.replace("__", ".")).write_text(text, "utf-8")
    return root


def test_the_sample_app_imports_none_of_them() -> None:
    assert _imported_by_check(SAMPLE) == []


def test_plain_requirement_lines_need_neither_pips_reader_nor_toml_nor_ini(tmp_path: Path) -> None:
    assert _imported_by_check(_project(tmp_path, "# the app\nrequests==2.31.0\nPyYAML>=6.0  # config\n")) == []


def test_an_offline_check_reads_no_pip_configuration(tmp_path: Path) -> None:
    """pip's configuration names the index to ask for versions; an offline check asks none."""
    pip_conf = tmp_path / "pip.conf"
    pip_conf.write_text("[global]\nindex-url = https://index.example/simple\n", "utf-8")
    assert _imported_by_check(SAMPLE, str(pip_conf)) == []


def test_a_line_only_pips_reader_reads_imports_it(tmp_path: Path) -> None:
    imported = _imported_by_check(_project(tmp_path, "requests==2.31.0 --hash=sha256:00\nPyYAML\n"))
    assert "pip_requirements_parser" in imported and _TOML not in imported


def test_a_toml_or_ini_manifest_imports_its_parser(tmp_path: Path) -> None:
    project = _project(tmp_path, "requests\nPyYAML\n", pyproject__toml="[tool.black]\n", setup__cfg="[metadata]\n")
    assert set(_imported_by_check(project)) == {_TOML, "configparser", *_READERS[:2]}


def test_the_console_script_ends_a_check_without_pythons_teardown_and_with_all_its_output() -> None:
    """``cli.run`` skips the interpreter's teardown after a check (about 5 % of a small check): an exit handler
    never runs, yet every byte of the report arrives and the status is the check's. Other commands end as usual."""
    code = (
        "import atexit, sys; atexit.register(lambda: print('teardown', file=sys.stderr));"
        "from pipreqs_action.cli import run; sys.argv[0] = 'pipreqs-action'; run()"
    )
    check = [sys.executable, "-c", code, "check", str(SAMPLE), "--offline", "--format", "json"]
    done = subprocess.run(check, capture_output=True, text=True, timeout=120)
    ordinary = code.replace("import run", "import main").replace("run()", "sys.exit(main())")
    expected = subprocess.run([*check[:2], ordinary, *check[3:]], capture_output=True, text=True, timeout=120)
    assert (done.returncode, expected.returncode) == (1, 1)
    assert done.stdout == expected.stdout and done.stdout.rstrip().endswith("}")
    assert "teardown" not in done.stderr and "teardown" in expected.stderr
    explain = subprocess.run([*check[:3], "explain", "yaml"], capture_output=True, text=True, timeout=120)
    assert explain.returncode == 0 and "teardown" in explain.stderr


def test_a_check_builds_only_the_check_commands_parser(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The other subcommands' options are built only for them or for the top-level help (start-up)."""
    from pipreqs_action import cli

    def refuse(commands: object) -> None:
        raise AssertionError("built a parser the check does not use")

    monkeypatch.setattr(cli, "_add_explain", refuse)
    monkeypatch.setattr(cli, "_add_serve", refuse)
    assert cli.main(["check", str(SAMPLE), "--offline", "-q"]) == 1
    monkeypatch.undo()
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert "{check,explain,serve}" in capsys.readouterr().out


@pytest.mark.parametrize("columns", ["", "0", "abc", "57"])
def test_the_help_is_as_wide_as_shutil_says(monkeypatch: pytest.MonkeyPatch, columns: str) -> None:
    """cli asks the terminal's width without shutil, with shutil's answer (``COLUMNS``, else stdout's, else 80)."""
    import shutil

    from pipreqs_action import cli

    monkeypatch.setenv("COLUMNS", columns)
    cli._columns.cache_clear()
    try:
        assert cli._columns() == shutil.get_terminal_size().columns
    finally:
        cli._columns.cache_clear()
