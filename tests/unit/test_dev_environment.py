"""A project that declares development dependencies and nothing for run time is a development environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipreqs_action.app_code import dev_environment
from pipreqs_action.manifests import read_declared
from pipreqs_action.model import ImportRef, Location, ScanResult

WORKSPACE_ROOT = '[dependency-groups]\ndev = ["rich"]\n\n[tool.uv.workspace]\nmembers = ["packages/*"]\n'


def reason_for(root: Path, files: dict[str, str]) -> str:
    for name, text in files.items():
        (root / name).write_text(text, "utf-8")
    return dev_environment.reason(root, read_declared(root))


@pytest.mark.parametrize(
    "pyproject",
    [
        WORKSPACE_ROOT,  # a virtual workspace root
        '[dependency-groups]\ndev = ["rich"]\n',  # no [project] at all
        '[project]\nname = "env"\nversion = "0"\n\n[tool.uv]\npackage = false\ndev-dependencies = ["rich"]\n',
        '[tool.poetry]\npackage-mode = false\n\n[tool.poetry.dependencies]\npython = "^3.11"\n\n'
        '[tool.poetry.group.dev.dependencies]\nrich = "*"\n',
        '[project]\nname = "env"\nversion = "0"\n\n[tool.pdm]\ndistribution = false\n\n'
        '[tool.pdm.dev-dependencies]\ndev = ["rich"]\n',
    ],
)
def test_development_declarations_and_no_run_time_make_a_development_environment(
    tmp_path: Path, pyproject: str
) -> None:
    assert reason_for(tmp_path, {"pyproject.toml": pyproject}).startswith(
        "a development environment (pyproject.toml declares only "
    )


def test_the_reason_names_the_development_tables(tmp_path: Path) -> None:
    text = '[dependency-groups]\ndev = ["rich"]\ndocs = ["sphinx"]\nlint = ["ruff"]\ntest = ["pytest"]\n'
    assert reason_for(tmp_path, {"pyproject.toml": text}) == (
        "a development environment (pyproject.toml declares only [dependency-groups] dev, "
        "[dependency-groups] docs, [dependency-groups] lint, ...)"
    )


@pytest.mark.parametrize(
    "files",
    [
        # a distribution: a [project] table that is installed, even without dependencies
        {"pyproject.toml": '[project]\nname = "lib"\nversion = "0"\n\n[dependency-groups]\ndev = ["rich"]\n'},
        # `dependencies = []` (as `uv init` writes it) declares "nothing needed at run time": a statement
        {
            "pyproject.toml": '[project]\nname = "app"\nversion = "0"\ndependencies = []\n\n'
            '[tool.uv]\npackage = false\n\n[dependency-groups]\ndev = ["rich"]\n'
        },
        # run-time declarations
        {
            "pyproject.toml": '[project]\nname = "a"\nversion = "0"\ndependencies = ["flask"]\n\n'
            '[tool.uv]\npackage = false\n\n[dependency-groups]\ndev = ["rich"]\n'
        },
        # a non-development group is an optional feature: the project is more than an environment
        {"pyproject.toml": '[dependency-groups]\ndev = ["rich"]\nbonus = ["torch"]\n'},
        # another manifest beside it: a requirements file is a run time
        {"pyproject.toml": WORKSPACE_ROOT, "requirements.txt": ""},
        {"pyproject.toml": WORKSPACE_ROOT, "setup.py": "from setuptools import setup\nsetup(name='x')\n"},
        # a Poetry project that is a package
        {"pyproject.toml": '[tool.poetry]\nname = "p"\n\n[tool.poetry.group.dev.dependencies]\nrich = "*"\n'},
        # nothing for development either
        {"pyproject.toml": "[tool.ruff]\nline-length = 100\n"},
        # only a development requirements file: its includes and siblings cannot be told apart from a run time
        {"requirements-dev.txt": "rich\n"},
    ],
)
def test_anything_that_has_a_run_time_is_not_a_development_environment(tmp_path: Path, files: dict[str, str]) -> None:
    assert reason_for(tmp_path, files) == ""


def test_its_own_code_becomes_tooling_except_what_the_user_claims_for_the_app() -> None:
    def ref(path: str, secondary: str = "") -> ImportRef:
        return ImportRef("rich", Location(path, 1), secondary=secondary)

    scanned = ScanResult((ref("run.py"), ref("tests/test_x.py", "tests"), ref("serve/app.py")))
    marked = dev_environment.as_tooling(scanned, "a development environment (x)", claimed=["serve/"])
    assert [item.secondary for item in marked.imports] == ["a development environment (x)", "tests", ""]
    assert dev_environment.as_tooling(scanned, "") is scanned
