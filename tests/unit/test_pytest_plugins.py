"""Pytest plugins a project registers under the ``pytest11`` entry point, read from its packaging files as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipreqs_action.app_code.pytest_plugins import PytestPlugins, find


def plugins_of(tmp_path: Path, name: str, text: str) -> dict[str, str]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return find(tmp_path).modules


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "pyproject.toml",
            '[project]\nname = "bot"\n\n[project.entry-points.pytest11]\nbot = "bot.pytest"\n\n[tool.x]\ny = "z.w"\n',
            {"bot.pytest": "pyproject.toml:5"},
        ),
        (
            "pyproject.toml",
            "[project.entry-points.\"pytest11\"]\n'one' = 'pkg.plugin:Plugin'\ntwo = \"pkg.more\"\n",
            {"pkg.plugin": "pyproject.toml:2", "pkg.more": "pyproject.toml:3"},
        ),
        (
            "pyproject.toml",
            '[tool.poetry.plugins."pytest11"]\n"pkg" = "pkg.testing"\n',
            {"pkg.testing": "pyproject.toml:2"},
        ),
        (
            "pyproject.toml",
            '[project.entry-points]\nconsole_scripts = { a = "pkg.cli:main" }\npytest11 = { pkg = "pkg.fixtures" }\n',
            {"pkg.fixtures": "pyproject.toml:3"},
        ),
        (
            "setup.cfg",
            "[options.entry_points]\nconsole_scripts =\n    app = pkg.cli:main\npytest11 =\n    pkg = pkg.plugin\n"
            "    other = pkg.other:Hooks\n\n[flake8]\nmax-line-length = 99\n",
            {"pkg.plugin": "setup.cfg:5", "pkg.other": "setup.cfg:6"},
        ),
        (
            "setup.py",
            'setup(\n    name="pkg",\n    entry_points={\n        "pytest11": ["pkg = pkg.plugin"],\n    },\n)\n',
            {"pkg.plugin": "setup.py:4"},
        ),
        ("setup.py", "setup(entry_points={'pytest11': 'pkg = pkg.plugin'})\n", {"pkg.plugin": "setup.py:1"}),
        ("pyproject.toml", '[project.scripts]\npytest11 = "pkg.cli:main"\n', {}),  # a script named so, not the group
        ("setup.cfg", "[options.entry_points]\nconsole_scripts =\n    pytest11 = pkg.cli:main\n", {}),
    ],
)
def test_each_way_of_registering_a_plugin_is_read(tmp_path: Path, name: str, text: str, expected: dict) -> None:
    assert plugins_of(tmp_path, name, text) == expected


def test_without_packaging_files_there_is_no_plugin(tmp_path: Path) -> None:
    assert find(tmp_path).modules == {}


def test_a_plugin_covers_its_module_and_the_modules_below_it_only() -> None:
    plugins = PytestPlugins({"bot.pytest": "pyproject.toml:43", "tool.plugin": "setup.cfg:7"})
    assert plugins.where("bot/pytest/__init__.py") == "pyproject.toml:43"
    assert plugins.where("bot/pytest/alias.py") == "pyproject.toml:43"
    assert plugins.where("src/tool/plugin.py") == "setup.cfg:7"
    assert plugins.where("bot/pytest_helpers.py") == ""  # a name that starts the same, not a module below
    assert plugins.where("bot/core.py") == ""
    assert plugins.where("bot/pytest/data.json") == ""
