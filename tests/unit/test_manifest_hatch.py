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
