"""A workspace member the lock file locks on its own is judged by its own declarations (``member_lock``)."""

from __future__ import annotations

from pathlib import Path

from packaging.utils import canonicalize_name

from pipreqs_action.metadata.member_lock import as_member, locked_member
from pipreqs_action.model import Declared, Location, Requirement

LOCK = """\
version = 1

[[package]]
name = "acme-evals"
version = "0.1.0"
source = { editable = "packages/evals" }
dependencies = [{ name = "acme-client" }]
"""


def requirement(text: str, extras: tuple[str, ...] = ()) -> Requirement:
    return Requirement(text, canonicalize_name(text), Location("pyproject.toml", 1), text, extras=extras)


def member_of(root: Path, folder: str, name: str) -> tuple[Declared, Path]:
    path = root / folder
    path.mkdir(parents=True)
    declared = Declared(
        requirements=(requirement("acme-client"),),
        inherited=(requirement("acme-client", ("async",)), requirement(name, ("extra",))),
        local_projects=((name, str(path.resolve())),),
        workspace_root=str(root.resolve()),
    )
    return declared, path


def test_a_member_the_lock_locks_under_its_own_name_is_one(tmp_path: Path) -> None:
    (tmp_path / "uv.lock").write_text(LOCK, "utf-8")
    declared, path = member_of(tmp_path, "packages/evals", "acme-evals")
    assert locked_member(declared, path) == "acme-evals"
    assert locked_member(declared._replace(inherited=()), path) == ""  # nothing inherited: nothing to set apart


def test_a_folder_the_lock_does_not_lock_is_part_of_the_enclosing_project(tmp_path: Path) -> None:
    (tmp_path / "uv.lock").write_text(LOCK, "utf-8")
    declared, path = member_of(tmp_path, "packages/tools", "acme-tools")
    assert locked_member(declared, path) == ""
    declared, path = member_of(tmp_path / "unlocked", "packages/evals", "acme-evals")
    assert locked_member(declared, path) == ""  # no lock file at all


def test_a_member_keeps_only_the_enclosing_declarations_naming_itself(tmp_path: Path) -> None:
    declared, _ = member_of(tmp_path, "packages/evals", "acme-evals")
    own = as_member(declared, "acme-evals")
    assert [(req.key, req.extras) for req in own.inherited] == [("acme-evals", ("extra",))]
    assert own.requirements == declared.requirements
