"""Other projects' code copied into the tree, and git's own rules for which files are the project's."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from pipreqs_action.app_code.vendoring import copied_from, vendored_roots
from pipreqs_action.reading.discovery import discover, discover_tree
from pipreqs_action.reading.gitindex import tracked_paths
from pipreqs_action.scan import scan


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


# --- vendored sys.path folders and copied files ---------------------------------------------------------------------


def test_a_sys_path_folder_holding_licensed_packages_or_dist_info_is_vendored() -> None:
    markers = ["LICENSE", "lib/requests/LICENSE", "deps/six-1.16.0.dist-info/", "src/mypkg/README", "tools/COPYING"]
    assert vendored_roots(["lib", "deps", "src", ""], markers) == {"lib", "deps"}
    assert vendored_roots(["", "src"], markers) == frozenset()  # the root itself is never vendored


@pytest.mark.parametrize(
    ("header", "origin"),
    [
        (
            "# Taken from https://github.com/x/six/blob/main/six.py.\n# Licensed under the MIT License.\n",
            "https://github.com/x/six/blob/main/six.py",
        ),
        ('"""Helpers.\n\nVendored from pip 23.1 (MIT License).\n"""\n', "pip"),
        ("# Copyright (c) 2019 The Authors\n# Copied verbatim from the attrs project (MIT licence)\n", "attrs"),
        ("# Copyright 2020 Us. Licensed under Apache-2.0.\n", ""),  # our own licence header
        ("# Taken from a blog post\n", ""),  # no licence notice
        ("import os\n# copied from x. License: MIT\n", ""),  # not in the opening comment
    ],
)
def test_a_file_copied_from_another_project_says_so_in_its_header(header: str, origin: str) -> None:
    assert copied_from(header + "import os\n") == origin


def test_scan_marks_vendored_sys_path_packages_and_copied_files_as_secondary(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "app.py": "import sys\nsys.path.insert(0, 'lib')\nimport attr\nimport helper\nimport click\n",
            "lib/attr/__init__.py": "import cattrs\n",
            "lib/attr/LICENSE": "MIT",
            "helper.py": "# Taken from https://example.test/helper.py (MIT License)\nimport termcolor\n",
        },
    )
    found = {ref.module: ref.secondary for ref in scan(root).imports}
    assert found == {
        "click": "",
        "cattrs": "vendored in lib/",
        "termcolor": "a file copied from https://example.test/helper.py",
    }


# --- git: tracked files are scanned even when ignored ---------------------------------------------------------------

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


def git(root: Path, *args: str) -> None:
    subprocess.run([GIT or "git", "-C", str(root), *args], check=True, capture_output=True)


def init_repo(root: Path) -> None:
    git(root, "init", "-q")
    git(root, "config", "user.email", "t@example.test")
    git(root, "config", "user.name", "t")


@needs_git
@pytest.mark.parametrize("version", ["2", "3", "4"])
def test_the_index_lists_exactly_what_git_tracks(tmp_path: Path, version: str) -> None:
    write(
        tmp_path, {"a.py": "", "deep/er/b.py": "", "sp ace/é.py": "", "long/" + "n" * 200 + "/" + "m" * 200 + ".py": ""}
    )
    init_repo(tmp_path)
    git(tmp_path, "add", "-A")
    write(tmp_path, {"later.py": ""})
    git(tmp_path, "add", "-N", "later.py")  # intent to add: an extended-flags entry in version 3
    git(tmp_path, "update-index", "--index-version", version)
    listed = subprocess.run([GIT or "git", "-C", str(tmp_path), "ls-files", "-z"], capture_output=True, check=True)
    assert tracked_paths(tmp_path / ".git") == set(listed.stdout.decode().split("\0")) - {""}


def test_a_missing_or_foreign_index_gives_nothing(tmp_path: Path) -> None:
    assert tracked_paths(tmp_path) is None
    (tmp_path / "index").write_bytes(b"NOPE" + bytes(20))
    assert tracked_paths(tmp_path) is None
    (tmp_path / "index").write_bytes(b"DIRC\x00\x00\x00\x02\x00\x00\x00\x05")  # cut short
    assert tracked_paths(tmp_path) is None


@needs_git
def test_a_tracked_file_is_scanned_even_when_a_gitignore_pattern_matches_it(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".gitignore": "out/\nsettings.py\ngenerated/\n",
            "app.py": "import requests\n",
            "settings.py": "import yaml\n",  # tracked, then ignored: still the project's
            "out/tools/gen.py": "import jinja2\n",  # tracked inside an ignored folder
            "generated/out.py": "import nothing_tracked\n",  # ignored and untracked: stays out
        },
    )
    init_repo(tmp_path)
    git(tmp_path, "add", "-f", "app.py", "settings.py", "out/tools/gen.py", ".gitignore")
    write(tmp_path, {"untracked.py": "import untracked_dep\n"})  # untracked but not ignored: scanned, as git shows it
    assert discover(tmp_path)[0] == ["app.py", "out/tools/gen.py", "settings.py", "untracked.py"]
    assert discover(tmp_path, exclude=["settings.py"])[0] == ["app.py", "out/tools/gen.py", "untracked.py"]


def test_without_git_the_ignore_files_decide_alone(tmp_path: Path) -> None:
    write(tmp_path, {".gitignore": "settings.py\n", "app.py": "", "settings.py": ""})
    assert discover(tmp_path)[0] == ["app.py"]


def test_discovery_reports_manifests_licences_and_dist_info(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "requirements.txt": "",
            "web/pyproject.toml": "",
            "lib/pkg/LICENSE.txt": "",
            "lib/pkg/__init__.py": "",
            "lib/pkg-1.0.dist-info/METADATA": "",
            "lib/pkg-1.0.dist-info/hidden.py": "import never_scanned\n",
        },
    )
    tree = discover_tree(tmp_path)
    assert tree.markers == ("lib/pkg-1.0.dist-info/", "lib/pkg/LICENSE.txt", "requirements.txt", "web/pyproject.toml")
    assert tree.files == ["lib/pkg/__init__.py"]
