"""Monorepos: which folders are projects of their own, what they inherit, and their paths from the root."""

from __future__ import annotations

from pathlib import Path

from pipreqs_action import projects
from pipreqs_action.model import (
    Declared,
    DeclaredBy,
    ImportRef,
    Location,
    Missing,
    Report,
    Requirement,
    ScanResult,
    Skipped,
    Unused,
)


def ref(path: str, secondary: str = "") -> ImportRef:
    return ImportRef("attrs", Location(path, 1), secondary=secondary)


def req(name: str) -> Requirement:
    return Requirement(name, name, Location("requirements.txt", 1), name)


def test_folders_with_a_manifest_holding_app_code_are_projects_and_leave_the_root(tmp_path: Path) -> None:
    for folder in ("services/api", "examples/demo", "requirements"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "requirements.txt").write_text("attrs\n")
    scanned = ScanResult(
        (
            ref("main.py"),
            ref("services/api/app/main.py"),
            ref("services/api/tests/test_main.py", secondary="tests"),
            ref("examples/demo/run.py", secondary="examples/"),
            ref("web/server.py", secondary="web/, a project of its own"),
        )
    )
    kept, folders = projects.split(scanned, tmp_path, ["requirements.txt"])

    assert folders == ("services/api", "web")
    assert [r.location.path for r in kept.imports] == ["main.py", "examples/demo/run.py"]


def test_a_folder_with_any_requirements_file_of_its_own_declares_what_its_code_imports(tmp_path: Path) -> None:
    (tmp_path / "ch05" / "bonus").mkdir(parents=True)
    (tmp_path / "ch05" / "bonus" / "requirements-extra.txt").write_text("transformers\n")
    (tmp_path / "ch05" / "notes.txt").write_text("not a manifest\n")
    scanned = ScanResult((ref("ch05/main.py"), ref("ch05/bonus/finetune.py")))
    kept, folders = projects.split(scanned, tmp_path, ["pyproject.toml"])

    assert folders == ("ch05/bonus",)
    assert [r.location.path for r in kept.imports] == ["ch05/main.py"]


def test_a_project_inside_another_inherits_its_declarations_and_first_party_names() -> None:
    own = Declared((req("flask"),), first_party=("api",))
    enclosing = Declared(
        (req("torch"),),
        first_party=("app",),
        inherited=(req("numpy"),),
        optional_groups=(("bonus", (req("transformers"),)),),
        dev=(req("pytest"),),
    )
    merged = projects.inherit(own, enclosing)

    assert [r.key for r in merged.requirements] == ["flask"]  # only its own can be unused
    assert [r.key for r in merged.inherited] == ["torch", "numpy"]
    assert merged.first_party == ("api", "app")
    assert [name for name, _ in merged.optional_groups] == ["bonus"]  # the enclosing project's optional features
    assert merged.dev == ()
    assert projects.inherit(own, None) is own


def test_a_projects_report_is_rebased_onto_the_checked_root() -> None:
    report = Report(
        missing=(Missing("redis", ("redis",), (Location("app/main.py", 2),)),),
        unused=(Unused("flask", Location("requirements.txt", 1)),),
        skipped=(Skipped("bad.py", "not valid Python 3"),),
        requirements="",
        declared_sources=("requirements.txt",),
        declared_by=(DeclaredBy("requirements.txt", count=1),),
        unusable_requirements=(Skipped("requirements.txt:3", "bad line"),),
    )
    moved = projects.rebase(report, "services/api")

    assert moved.missing[0].locations == (Location("services/api/app/main.py", 2),)
    assert moved.unused[0].location == Location("services/api/requirements.txt", 1)
    assert moved.skipped[0].path == "services/api/bad.py"
    assert moved.unusable_requirements[0].path == "services/api/requirements.txt:3"
    assert moved.declared_sources == ("services/api/requirements.txt",)
    assert moved.declared_by[0].file == "services/api/requirements.txt"
