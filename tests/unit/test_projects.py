"""Monorepos: which folders are projects of their own, what they inherit, and their paths from the root."""

from __future__ import annotations

from pathlib import Path

from pipreqs_action.app_code import projects
from pipreqs_action.model import (
    Declared,
    DeclaredBy,
    ImportRef,
    LocalImport,
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

    assert folders == ("examples/demo", "services/api", "web")  # an example's findings stay secondary (as_secondary)
    assert [r.location.path for r in kept.imports] == ["main.py"]


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
        local=(LocalImport("gutenberg.src", Location("prep/run.py", 4), "a repository cloned beside it"),),
        stale_ignores=(Location("app/main.py", 9),),
    )
    moved = projects.rebase(report, "services/api")

    assert moved.missing[0].locations == (Location("services/api/app/main.py", 2),)
    assert moved.unused[0].location == Location("services/api/requirements.txt", 1)
    assert moved.skipped[0].path == "services/api/bad.py"
    assert moved.unusable_requirements[0].path == "services/api/requirements.txt:3"
    assert moved.declared_sources == ("services/api/requirements.txt",)
    assert moved.declared_by[0].file == "services/api/requirements.txt"
    assert moved.local[0].location == Location("services/api/prep/run.py", 4)
    assert moved.stale_ignores == (Location("services/api/app/main.py", 9),)


def test_a_uv_workspaces_members_are_first_party_to_each_other_and_declarations_naming_them_are_local(
    tmp_path: Path,
) -> None:
    for folder, name in (("packages/core", "acme-core"), ("packages/api", "acme-api")):
        package = tmp_path / folder / "src" / name.replace("-", "_")
        package.mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (tmp_path / folder / "pyproject.toml").write_text(f'[project]\nname = "{name}"\n')
    root = projects.with_workspace(
        Declared((req("acme-api"), req("pydantic")), workspace=("packages/api", "packages/core")), tmp_path
    )
    assert {"acme_api", "acme_core"} <= set(root.first_party)
    assert root.workspace_names == ("acme-api", "acme-core")
    assert [(r.key, r.local) for r in root.requirements] == [("acme-api", True), ("pydantic", False)]

    member = projects.inherit(Declared((req("acme-core"), req("fastapi"))), root)
    assert [(r.key, r.local) for r in member.requirements] == [("acme-core", True), ("fastapi", False)]
    assert "acme_core" in member.first_party
    assert projects.with_workspace(Declared(()), tmp_path).first_party == ()


def test_an_example_with_a_manifest_of_its_own_is_a_project_whose_findings_stay_secondary(tmp_path: Path) -> None:
    (tmp_path / "examples" / "demo").mkdir(parents=True)
    (tmp_path / "examples" / "demo" / "pyproject.toml").write_text('[project]\nname = "demo"\n')
    (tmp_path / "tests" / "fixtures" / "app").mkdir(parents=True)
    (tmp_path / "tests" / "fixtures" / "app" / "requirements.txt").write_text("attrs\n")
    scanned = ScanResult(
        (
            ref("examples/demo/app.py", secondary="examples/"),
            ref("tests/fixtures/app/main.py", secondary="tests"),
        ),
        skipped=(Skipped("examples/demo/old.py", "not valid Python 3"),),
    )
    kept, folders = projects.split(scanned, tmp_path, ["requirements.txt"])
    assert folders == ("examples/demo",)
    assert [r.location.path for r in kept.imports] == ["tests/fixtures/app/main.py"]
    assert kept.skipped == ()  # listed once, by the project that holds the file
    assert projects.example_reason("examples/demo/app.py") == "examples/"
    assert projects.example_reason("tests/examples/app.py") == ""

    sub = Report(
        missing=(Missing("seaborn", ("seaborn",), (Location("app.py", 3),)),),
        unused=(),
        skipped=(),
        requirements="",
        dev_only=(Missing("pytest", ("pytest",), (Location("app.py", 4),)),),
    )
    secondary = projects.as_secondary(sub, "examples/")
    assert secondary.in_sync
    assert [(m.optional, m.scope, m.reason) for m in secondary.missing] == [(True, "secondary", "only in examples/")]


def test_each_file_is_counted_once_in_the_project_that_holds_it(tmp_path: Path) -> None:
    def report(files: int) -> Report:
        return Report(missing=(), unused=(), skipped=(), requirements="", files_scanned=files)

    root = projects.attach(report(10), tmp_path, ["services/api"], lambda path: report(4))
    assert root.files_scanned == 6
    assert [(p.path, p.report.files_scanned) for p in root.projects] == [("services/api", 4)]


def test_a_folder_whose_manifests_declare_nothing_usable_is_no_project_and_its_code_is_the_apps(tmp_path: Path) -> None:
    (tmp_path / "config" / "settings").mkdir(parents=True)
    (tmp_path / "config" / "settings" / "setup.py").write_text("DEBUG_TOOLBAR = True\n")  # a settings module
    own = "config/settings/, a project of its own"
    scanned = ScanResult((ref("config/settings/base.py", own), ref("config/settings/setup.py", own)))
    kept, folders = projects.split(scanned, tmp_path, ["requirements.txt"], lambda folder: folder.name != "settings")

    assert folders == ()
    assert [(r.location.path, r.secondary) for r in kept.imports] == [
        ("config/settings/base.py", ""),
        ("config/settings/setup.py", "setup.py"),  # what the layout says of such a file anywhere
    ]


def test_an_enclosing_group_declaring_all_a_project_declares_is_installed_with_it() -> None:
    enclosing = Declared(
        (req("torch"),),
        optional_groups=(("bonus", (req("openai"), req("scikit-learn"), req("tqdm"))), ("docs", (req("sphinx"),))),
    )
    covered = projects.inherit(Declared((req("openai"), req("tqdm"))), enclosing)
    assert [r.key for r in covered.inherited] == ["torch", "openai", "scikit-learn", "tqdm"]
    assert [r.key for r in covered.requirements] == ["openai", "tqdm"]  # only its own can be unused
    assert covered.installed_with == (("bonus", ("openai", "scikit-learn", "tqdm")),)  # for the report to say so
    partly = projects.inherit(Declared((req("openai"), req("rich"))), enclosing)
    assert [r.key for r in partly.inherited] == ["torch"]  # rich is not in the group: not how it is installed
    assert partly.installed_with == ()
    assert [r.key for r in projects.inherit(Declared(()), enclosing).inherited] == ["torch"]  # declares nothing
