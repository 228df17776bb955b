"""Repositories a README clones beside the code (``cloned_repositories``): which commands make which folder, and
when an import of that folder is the project's own.

The fixture `cloned_beside` carries the end-to-end verdicts in its comments (test_cli checks them).
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.functional.expect import copy_project

from pipreqs_action.cli import main
from pipreqs_action.local.cloned_repositories import cloned_folders


def folders(text: str) -> list[tuple[int, str, str]]:
    return list(cloned_folders(text))


def test_git_names_the_folder_after_the_repository_or_takes_the_one_given() -> None:
    text = "\n".join(
        [
            "git clone https://github.com/pgcorpus/gutenberg.git",
            "$ git clone --depth 1 -b main https://gitlab.com/group/Tools/ && cd Tools",
            "Run `git clone git@github.com:owner/helpers.git my_helpers` first.",
            "!git clone --recursive https://github.com/owner/repo.git repo2/",
        ]
    )
    assert folders(text) == [
        (1, "gutenberg", "https://github.com/pgcorpus/gutenberg.git"),
        (2, "Tools", "https://gitlab.com/group/Tools/"),
        (3, "my_helpers", "git@github.com:owner/helpers.git"),
        (4, "repo2", "https://github.com/owner/repo.git"),
    ]


def test_prose_and_local_paths_are_no_clone_of_a_url() -> None:
    text = "We git clone the data later.\ngit clone ../mirror local_copy\ngit clone https://host/x.git $TARGET\n"
    assert folders(text) == []


def report(capsys, root: Path) -> dict:
    main(["check", str(root), "--offline", "--mode", "no-pin", "--format", "json"])
    return json.loads(capsys.readouterr().out)


def test_a_declared_distribution_of_that_name_is_what_the_code_imports(capsys, tmp_path) -> None:
    root = copy_project("cloned_beside", tmp_path)
    (root / "requirements.txt").write_text("tqdm\nGutenberg\n", "utf-8")
    found = report(capsys, root)
    assert not any(item["import"].startswith("gutenberg") for item in found["local"])
    assert not any(item["package"] == "Gutenberg" for item in found["missing"])  # declared: satisfied


def test_a_clone_described_in_another_folder_lands_there(capsys, tmp_path) -> None:
    root = copy_project("cloned_beside", tmp_path)
    (root / "pretraining" / "README.md").rename(root / "README.md")  # the root's README: clones land at the root
    missing = {item["package"]: item for item in report(capsys, root)["missing"]}
    assert [loc["path"] for loc in missing["Gutenberg"]["locations"]] == ["pretraining/prepare.py", "training/train.py"]
