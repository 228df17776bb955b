"""Scripts nobody is told to run (``unnamed_scripts``): what names a script, and which scripts are candidates."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipreqs_action.app_code import unnamed_scripts
from pipreqs_action.app_code.reachability import Packages
from pipreqs_action.app_code.unnamed_scripts import TOOLING, named_scripts, stand_alone_scripts
from pipreqs_action.scan import scan

SCRIPT = 'import simplejson\n\nif __name__ == "__main__":\n    print(simplejson.dumps({}))\n'
REPO = {
    "redash/__init__.py": "import flask\n",
    "redash/app.py": "import flask\n",
    "manage.py": "from redash import app\n",
    "bin/release_manager.py": SCRIPT,
}


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    return root


def reason(root: Path, module: str) -> str:
    return next(ref.secondary for ref in scan(root).imports if ref.module == module)


@pytest.mark.parametrize(
    "text",
    [
        "python bin/release_manager.py --tag v1",  # a path ending in its file name
        "cd bin && ./release_manager.py",
        "run: python -m bin.release_manager",  # its dotted name
        "python -m release_manager",  # -m and its module name, run from its folder
        'importlib.import_module("release_manager")',  # its module name quoted
    ],
)
def test_a_text_naming_the_script_in_any_way_keeps_it(tmp_path: Path, text: str) -> None:
    write(tmp_path, {**REPO, "docs/releasing.md": text})
    assert named_scripts(tmp_path, ["bin/release_manager.py"]) == {"bin/release_manager.py"}


@pytest.mark.parametrize(
    "text",
    [
        "python bin/old_release_manager.py",  # another file whose name ends in the same words
        "python bin/release_manager.pyc",
        "release_manager is how we ship",  # a bare word: prose, not a name that runs it
        "python -m tools.release_manager_v2",
    ],
)
def test_a_text_naming_something_else_does_not(tmp_path: Path, text: str) -> None:
    write(tmp_path, {**REPO, "README.md": text})
    assert named_scripts(tmp_path, ["bin/release_manager.py"]) == frozenset()


def test_the_script_s_own_text_names_nothing(tmp_path: Path) -> None:
    write(tmp_path, {**REPO, "bin/release_manager.py": '"""Run: python bin/release_manager.py"""\n' + SCRIPT})
    assert named_scripts(tmp_path, ["bin/release_manager.py"]) == frozenset()


@pytest.mark.parametrize(
    "where",
    [".github/workflows/release.yml", "docs/deep/page.rst", "Makefile", "Dockerfile.release", "tools/run.sh"],
)
def test_texts_are_read_at_any_depth_hidden_folders_too(tmp_path: Path, where: str) -> None:
    write(tmp_path, {**REPO, where: "python bin/release_manager.py\n"})
    assert named_scripts(tmp_path, ["bin/release_manager.py"]) == {"bin/release_manager.py"}


def test_a_link_is_never_followed(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside", {"notes.md": "python bin/release_manager.py\n"})
    root = write(tmp_path / "repo", REPO)
    os.symlink(outside / "notes.md", root / "notes.md")
    os.symlink(outside, root / "linked")
    assert named_scripts(root, ["bin/release_manager.py"]) == frozenset()


def test_a_tree_with_more_texts_than_are_read_keeps_every_script(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {**REPO, "a.md": "nothing", "b.md": "nothing", "c.md": "nothing"})
    monkeypatch.setattr(unnamed_scripts, "MAX_TEXT_FILES", 2)
    assert named_scripts(tmp_path, ["bin/release_manager.py"]) == {"bin/release_manager.py"}


def test_a_huge_text_is_not_read(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {**REPO, "log.txt": "x" * 100 + " python bin/release_manager.py"})
    monkeypatch.setattr(unnamed_scripts, "MAX_TEXT_BYTES", 50)
    assert named_scripts(tmp_path, ["bin/release_manager.py"]) == frozenset()


def candidates(files: dict[str, str], imported: dict[str, list[str]]) -> list[str]:
    scripts = [path for path, text in files.items() if "__main__" in text]
    return stand_alone_scripts(scripts, paths=list(files), packages=Packages(files), imported=imported)


def test_a_script_outside_the_packages_using_none_of_their_code_is_a_candidate() -> None:
    assert candidates(REPO, {"manage.py": ["redash"], "bin/release_manager.py": ["simplejson"]}) == [
        "bin/release_manager.py"
    ]


@pytest.mark.parametrize(
    ("files", "imported"),
    [
        ({**REPO}, {"bin/release_manager.py": ["redash", "simplejson"]}),  # it runs the app's code
        ({**REPO, "config.py": ""}, {"bin/release_manager.py": ["config"]}),  # a module at the root is the app's
        ({**REPO}, {"bin/publish.py": ["release_manager"]}),  # something imports it
        ({**REPO}, {"bin/publish.py": ["bin"]}),  # `from bin import release_manager`
        ({"train.py": "", "bin/release_manager.py": SCRIPT}, {}),  # no packages: a collection of scripts
    ],
)
def test_anything_tying_the_script_to_the_app_keeps_it(files: dict[str, str], imported: dict[str, list[str]]) -> None:
    assert "bin/release_manager.py" not in candidates(files, imported)


def test_a_script_at_the_root_is_the_app_s_own() -> None:
    files = {key: value for key, value in REPO.items() if not key.startswith("bin/")}
    assert candidates({**files, "release_manager.py": SCRIPT}, {}) == []


def test_a_script_in_a_package_is_judged_by_reachability_not_here() -> None:
    files = {**REPO, "bin/__init__.py": ""}
    assert candidates(files, {}) == []


def test_an_unnamed_stand_alone_script_is_tooling_and_a_named_one_is_not(tmp_path: Path) -> None:
    write(tmp_path, {**REPO, "requirements.txt": "flask\n"})
    assert reason(tmp_path, "simplejson") == f"bin/release_manager.py, {TOOLING}"
    write(tmp_path, {"README.md": "Cut a release with `python bin/release_manager.py`.\n"})
    assert reason(tmp_path, "simplejson") == ""


def test_an_unnamed_script_of_an_application_s_package_is_tooling_a_named_one_an_entry_point(tmp_path: Path) -> None:
    app = {
        "run.py": "from shop import server\n",
        "shop/__init__.py": "",
        "shop/server.py": "import flask\n",
        "shop/profile_queries.py": 'import pyinstrument\n\nif __name__ == "__main__":\n    pass\n',
    }
    write(tmp_path, app)
    assert reason(tmp_path, "pyinstrument") == f"shop/profile_queries.py, {TOOLING}"
    write(tmp_path, {"shop/README.md": "Profile with `python profile_queries.py`.\n"})
    assert reason(tmp_path, "pyinstrument") == ""
