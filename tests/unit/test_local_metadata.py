"""Local projects as dependency data: a workspace member's or a path requirement's own manifest says what it
installs, extras included, whatever a snapshot says (or does not) of a release with that name."""

from __future__ import annotations

import json
from pathlib import Path

from pipreqs_action.manifests import read_declared
from pipreqs_action.metadata.dependency_metadata import installed_through
from pipreqs_action.metadata.local_metadata import local_source, located
from pipreqs_action.pipeline import run
from pipreqs_action.render import as_dict
from pipreqs_action.settings import Settings


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    return root


def test_a_path_requirement_is_located_and_its_manifest_answers_with_its_extras(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "requirements.txt": "-e ./libs/helpers[http]\n",
            "libs/helpers/pyproject.toml": (
                '[project]\nname = "zq-helpers"\ndependencies = ["click"]\n'
                '[project.optional-dependencies]\nhttp = ["requests"]\nplots = ["matplotlib"]\n'
            ),
        },
    )
    declared = located(read_declared(root), root, None)
    assert dict(declared.local_projects) == {"zq-helpers": str((root / "libs/helpers").resolve())}
    lookup = local_source(declared.local_projects, read_declared)
    assert lookup is not None
    answer = lookup(["zq-helpers>=9"])  # the folder is what is installed, whatever the range says
    assert answer == {"zq-helpers>=9": ("click", 'requests; extra == "http"', 'matplotlib; extra == "plots"')}
    found = installed_through([("zq-helpers", ("http",))], [("local", lookup)])
    assert set(found.through) == {"click", "requests"}  # plots was not asked for
    assert found.sources["requests"] == "local"


def test_a_folder_outside_the_checked_tree_or_absent_is_never_read(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside", {"pyproject.toml": '[project]\nname = "zq-out"\ndependencies = ["six"]\n'})
    root = write(tmp_path / "app", {"requirements.txt": f"-e {outside}\n"})
    declared = located(read_declared(root), root, None)
    assert declared.local_projects == ()
    assert local_source(declared.local_projects, read_declared) is None


def test_a_workspace_member_inherits_the_workspace_root_and_its_members(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "zq-root"\n[tool.uv.workspace]\nmembers = ["packages/*"]\n',
            "packages/a/pyproject.toml": '[project]\nname = "zq-a"\ndependencies = ["zq-b"]\n',
            "packages/b/pyproject.toml": '[project]\nname = "zq-b"\n',
            "samples/pyproject.toml": '[project]\nname = "zq-samples"\n',
        },
    )
    outer = located(read_declared(root), root, None)
    assert outer.workspace_root == str(root.resolve())
    assert {name for name, _ in outer.local_projects} == {"zq-a", "zq-b"}
    member = located(read_declared(root / "packages/a"), root / "packages/a", outer)
    assert member.workspace_root == outer.workspace_root  # installed from the workspace's one lock file
    other = located(read_declared(root / "samples"), root / "samples", outer)
    assert other.workspace_root == ""  # not a member: the lock does not install it
    assert other.local_projects == outer.local_projects


def test_a_workspace_member_reads_the_workspace_lock_for_what_no_snapshot_knows(tmp_path: Path) -> None:
    """The member has no lock of its own; the workspace's uv.lock knows zq-engine, which no snapshot does."""
    root = write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "zq-root"\n[tool.uv.workspace]\nmembers = ["packages/*"]\n',
            "packages/app/pyproject.toml": '[project]\nname = "zq-app"\ndependencies = ["zq-engine"]\n',
            "packages/app/zq_app/__init__.py": "import zq_engine\nimport zq_gears\n",
            "uv.lock": (
                'version = 1\n[[package]]\nname = "zq-engine"\nversion = "1.0"\n'
                'dependencies = [{ name = "zq-gears" }]\n[[package]]\nname = "zq-gears"\nversion = "2.0"\n'
            ),
        },
    )
    report = as_dict(run(Settings(path=root, offline=True, overrides={"zq_gears": "zq-gears"})))
    (app,) = (project for project in report["projects"] if project["path"] == "packages/app")
    gears = next(item for item in app["missing"] if item["package"] == "zq-gears")
    assert (gears["via"], gears["via_source"]) == (["zq-engine"], "lock")


def test_the_report_names_the_local_manifest_as_the_source(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "requirements.txt": "./libs/helpers\n",
            "libs/helpers/setup.cfg": "[metadata]\nname = zq-helpers\n[options]\ninstall_requires =\n    requests\n",
            "app.py": "import requests\n",
        },
    )
    report = json.loads(json.dumps(as_dict(run(Settings(path=root, offline=True)))))
    assert report["in_sync"]
    assert [(item["package"], item["via"], item["via_source"]) for item in report["missing"]] == [
        ("requests", ["zq-helpers"], "local")
    ]
