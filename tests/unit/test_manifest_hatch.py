from __future__ import annotations

from pathlib import Path

from pipreqs_action.manifests import read_declared

PYPROJECT = """\
[project]
name = "x"
dynamic = ["dependencies"]

[tool.hatch.metadata.hooks.custom]
dependencies = [
    "sibling=={{ version }}",
    "local @ {root:uri}/libs/local",
    "secret-{env:HOME}",
    "attrs>=23",
]
"""


def test_templated_entries_keep_their_name_and_a_template_is_never_filled_from_the_environment(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("HOME", "planted-value")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, "utf-8")
    declared = read_declared(tmp_path)
    names = sorted(req.name for req in declared.requirements)
    assert names == ["attrs", "local", "sibling"]
    assert "planted-value" not in repr(declared)
    lines = {req.name: req.location.line for req in declared.requirements}
    assert lines == {"sibling": 7, "local": 8, "attrs": 10}


def test_hooks_are_not_read_unless_the_project_says_its_dependencies_are_dynamic(tmp_path: Path) -> None:
    static = PYPROJECT.replace('dynamic = ["dependencies"]', "dependencies = []")
    (tmp_path / "pyproject.toml").write_text(static, "utf-8")
    assert read_declared(tmp_path).requirements == ()


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "projects"


def test_the_fix_goes_to_the_hook_list_without_an_installer_command() -> None:
    target = read_declared(FIXTURES / "manifest_hatch_dynamic").target
    assert target is not None
    assert (target.kind, target.file, target.table) == (
        "pyproject",
        "pyproject.toml",
        "[tool.hatch.metadata.hooks.uv-dynamic-versioning] dependencies",
    )
    assert target.tool == ""  # `uv add` cannot write to dependencies [project] marks dynamic
    assert target.library


def test_the_fix_goes_to_the_runtime_file_hatch_requirements_txt_names() -> None:
    declared = read_declared(FIXTURES / "manifest_hatch_requirements_txt")
    assert declared.target is not None
    assert (declared.target.kind, declared.target.file) == ("requirements", "deps/base.txt")
