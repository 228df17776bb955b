"""The fix in the target manifest's own terms: entries as that file writes them, and its tool's command."""

from __future__ import annotations

import shlex

import pytest
from packaging.requirements import Requirement

from pipreqs_action.advice import advise
from pipreqs_action.model import FixTarget, Missing

MISSING = (
    Missing("attrs", ("attrs",), (), version="23.2.0"),
    Missing("rich", ("rich",), ()),
)


def test_nothing_declared_means_lines_for_requirements_txt() -> None:
    advice = advise(None, MISSING, "pin")
    assert (advice.file, advice.kind, advice.entries, advice.command) == (
        "requirements.txt",
        "requirements",
        ("attrs==23.2.0", "rich"),
        "",
    )


@pytest.mark.parametrize(
    ("tool", "command"),
    [("uv", "uv add 'attrs>=23.2.0' rich"), ("pdm", "pdm add 'attrs>=23.2.0' rich"), ("", "")],
)
def test_a_pyproject_library_gets_lower_bounds_and_its_tools_command(tool, command) -> None:
    target = FixTarget("pyproject", "pyproject.toml", "[project] dependencies", tool, library=True)
    advice = advise(target, MISSING, "pin")
    assert advice.entries == ('"attrs>=23.2.0",', '"rich",')
    assert (advice.table, advice.syntax, advice.command) == ("[project] dependencies", "toml", command)
    for word in shlex.split(command)[2:]:
        Requirement(word)  # each argument is one valid requirement


def test_poetry_and_pipenv_get_table_entries() -> None:
    poetry = advise(
        FixTarget("pyproject", "pyproject.toml", "[tool.poetry.dependencies]", "poetry", True), MISSING, "pin"
    )
    assert poetry.entries == ('attrs = ">=23.2.0"', 'rich = "*"')
    assert poetry.command == "poetry add 'attrs>=23.2.0' rich"
    pipfile = advise(FixTarget("Pipfile", "Pipfile", "[packages]", "pipenv"), MISSING, "pin")
    assert pipfile.entries == ('attrs = "==23.2.0"', 'rich = "*"')
    assert pipfile.command == "pipenv install attrs==23.2.0 rich"


@pytest.mark.parametrize(
    ("kind", "table", "entries", "syntax"),
    [
        ("setup.cfg", "[options] install_requires", ("    attrs>=23.2.0", "    rich"), "ini"),
        ("setup.py", "install_requires", ('"attrs>=23.2.0",', '"rich",'), "python"),
        ("conda", "dependencies: - pip:", ("- attrs==23.2.0", "- rich"), "yaml"),
    ],
)
def test_other_manifests_get_entries_written_their_way(kind, table, entries, syntax) -> None:
    library = kind in ("setup.cfg", "setup.py")
    advice = advise(FixTarget(kind, f"{kind}-file", table, library=library), MISSING, "pin")
    assert (advice.entries, advice.syntax, advice.table, advice.file) == (entries, syntax, table, f"{kind}-file")


def test_no_missing_package_means_no_command() -> None:
    assert (
        advise(FixTarget("pyproject", "pyproject.toml", "[project] dependencies", "uv", True), (), "pin").command == ""
    )
