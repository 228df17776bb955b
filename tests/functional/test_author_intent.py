"""What the author meant, end to end on the `author_intent` fixture: markers, reasons, inline ignores, features.

Which packages are reported, and how, comes from the fixture's `# expect:` comments (test_cli runs every fixture
that way, in both scan modes); here are the parts those comments cannot say.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from pipreqs_action.cli import main
from tests.functional.expect import copy_project, expectations, project

ROOT = project("author_intent")


def run(capsys, root: Path, *args: str) -> tuple[int, str]:
    code = main(["check", str(root), "--offline", "--mode", "no-pin", *args])
    return code, capsys.readouterr().out


def report(capsys, root: Path = ROOT, *args: str) -> dict:
    return json.loads(run(capsys, root, "--format", "json", *args)[1])


def by_package(data: dict) -> dict[str, dict]:
    return {item["package"]: item for item in data["missing"]}


@pytest.mark.parametrize("mode", [[], ["--full-parse"]])
def test_platform_and_version_branches_carry_their_marker_into_the_suggested_lines(capsys, mode) -> None:
    data = report(capsys, ROOT, *mode)
    markers = {name: item["marker"] for name, item in by_package(data).items() if item["marker"]}
    assert markers == {
        "pywinauto": 'sys_platform == "win32"',
        "WMI": 'sys_platform == "win32"',
        "uvloop": 'sys_platform != "win32"',
        "distro": 'sys_platform == "linux"',
        "pyobjc-framework-Cocoa": 'sys_platform == "darwin"',
        "tomli": 'python_version < "3.11"',
    }
    lines = data["requirements"].splitlines()
    for name, marker in markers.items():
        assert f"{name}; {marker}" in lines
    assert "colorama" in lines  # no branch, no marker


def test_a_declared_line_with_the_marker_satisfies_the_branch(capsys, tmp_path) -> None:
    root = copy_project("author_intent", tmp_path)
    with (root / "requirements.txt").open("a", encoding="utf-8") as handle:
        handle.write('pywinauto==0.6.8; sys_platform == "win32"\ntomli>=2\n')
    missing = by_package(report(capsys, root))
    assert "pywinauto" not in missing and "tomli" not in missing  # with the marker, and without it
    assert "WMI" in missing


def test_every_optional_item_says_why_in_every_format(capsys) -> None:
    data = report(capsys)
    optional = [item for item in data["missing"] if item["optional"]]
    assert optional and all(item["reason"] for item in optional)
    assert all(item["reason"] is None for item in data["missing"] if not item["optional"])
    _, text = run(capsys, ROOT)
    _, markdown = run(capsys, ROOT, "--format", "markdown")
    rows = text.splitlines()
    for item in optional:
        assert any(row.strip() == item["reason"] for row in rows), item["package"]
    assert "| `ujson` (guarded by contextlib.suppress(ImportError)) |" in markdown
    assert "| `lxml` (guarded by find\\_spec('lxml')) |" in markdown  # escaped like all user-facing text
    assert '(only where `sys_platform == "win32"`)' in markdown


def test_inline_ignore_markers_silence_imports_and_stale_ones_are_listed(capsys) -> None:
    data = report(capsys)
    reported = {name for item in data["missing"] for name in item["imports"]}
    assert not {"boto3", "redis", "celery", "click", "attr"} & reported
    assert "arrow" in reported  # deptry's marker for another rule does not silence a missing import
    source = (ROOT / "app" / "ignored.py").read_text("utf-8").splitlines()
    stale = [(item["path"], item["line"]) for item in data["stale_ignores"]]
    assert [source[line - 1].split()[1] for _, line in stale] == ["os", "requests", "app"]  # stdlib, declared, local
    _, text = run(capsys, ROOT)
    assert "Inline ignore markers that silenced nothing" in text and "app/ignored.py:5" in text


def test_optional_features_make_lazy_imports_optional_but_not_top_level_ones(capsys) -> None:
    missing = by_package(report(capsys))
    assert missing["matplotlib"]["optional"] and missing["plotly"]["optional"]
    assert not missing["tqdm"]["optional"]  # imported at the top of a module without a guard
    expected = {(e.path, e.line) for e in expectations(ROOT) if e.module.startswith("matplotlib")}
    assert {(loc["path"], loc["line"]) for loc in missing["matplotlib"]["locations"]} == expected


def test_a_guard_only_in_tests_makes_nothing_optional(capsys, tmp_path) -> None:
    root = copy_project("author_intent", tmp_path)
    shutil.move(root / "app" / "charts.py", root / "tests_charts.py")
    (root / "tests").mkdir()
    shutil.move(root / "tests_charts.py", root / "tests" / "test_charts.py")
    missing = by_package(report(capsys, root))
    assert not missing["matplotlib"]["optional"]  # app/plots.py imports it lazily, and only tests guard it


NEWER = {  # each needs a newer Python than some we run on
    "type_alias.py": "import numpy  # expect: missing numpy\n\ntype Vector = list[float]\n",
    "generic.py": "import pandas  # expect: missing pandas\ndef first[T](items: list[T]) -> T:\n    return items[0]\n",
    "except_tuple.py": (
        "import redis  # expect: missing redis\ntry:\n    x = 0\nexcept ValueError, KeyError:\n    x = 1\n"
    ),
}


def _rejected(source: str) -> bool:
    try:
        compile(source, "<newer>", "exec")
    except SyntaxError:
        return True
    return False


@pytest.mark.parametrize("mode", [[], ["--full-parse"]])
@pytest.mark.parametrize("name", sorted(NEWER))
def test_a_file_in_newer_syntax_still_has_its_imports_read_and_says_so(capsys, tmp_path, name, mode) -> None:
    root = tmp_path / "newer"
    root.mkdir()
    (root / "requirements.txt").write_text("requests\n", "utf-8")
    (root / name).write_text(NEWER[name], "utf-8")
    data = report(capsys, root, *mode)
    assert {item["package"] for item in data["missing"]} == {e.package for e in expectations(root)}
    notes = [item["reason"] for item in data["skipped"]]
    if _rejected(NEWER[name]):
        assert len(notes) == 1 and notes[0].startswith("imports read, the rest not parsed: syntax newer than Python")
        assert f"{sys.version_info[0]}.{sys.version_info[1]}" in notes[0]
    else:
        assert notes == []


def test_python_2_files_are_still_skipped(capsys, tmp_path) -> None:
    root = tmp_path / "py2"
    root.mkdir()
    (root / "legacy.py").write_text('import requests\nprint "hello"\n', "utf-8")
    data = report(capsys, root)
    assert data["missing"] == []
    assert data["skipped"][0]["reason"].startswith("not valid Python 3")


@pytest.mark.parametrize("mode", [[], ["--full-parse"]])
def test_each_clause_of_an_elif_chain_holds_the_opposite_of_every_earlier_test(capsys, mode) -> None:
    found = by_package(report(capsys, project("elif_chains"), *mode))
    assert found["uvloop"]["marker"] == 'python_version >= "3.12" and sys_platform != "win32"'  # not Windows
    assert found["winloop"]["marker"] == 'sys_platform == "win32"'
    assert (found["tomli"]["reason"], found["toml"]["reason"]) == (  # a backport no supported Python takes
        'only for python_version < "3.11" and sys_platform == "win32"; requires-python >=3.11',
        'only for python_version < "3.11" and sys_platform != "win32"; requires-python >=3.11',
    )
