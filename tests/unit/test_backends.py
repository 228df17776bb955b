"""Alternative backends (``backends``): what makes sibling modules named after frameworks a choice, and what not.

The fixture `alternative_backends` carries the expected verdicts in its comments (test_cli checks them); here are
the conditions that a change to the fixture's manifest or layout turns off.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.functional.expect import copy_project

from pipreqs_action.app_code.backends import candidates
from pipreqs_action.app_code.reachability import Packages
from pipreqs_action.cli import main


def missing(capsys, root: Path) -> dict[str, dict]:
    main(["check", str(root), "--offline", "--mode", "no-pin", "--format", "json"])
    return {item["package"]: item for item in json.loads(capsys.readouterr().out)["missing"]}


def test_the_fixtures_backends_are_optional_and_what_every_backend_imports_is_not(capsys, tmp_path) -> None:
    found = missing(capsys, copy_project("alternative_backends", tmp_path))
    assert found["torch"]["optional"] and found["torch"]["reason"].startswith("alternative backend module mlkit/torch")
    assert not found["tqdm"]["optional"]  # every backend imports it: needed whichever the user picks
    assert not found["scipy"]["optional"]  # the core imports it at its top level too
    assert not found["zarr"]["optional"]  # its sibling is imported by the app: one module alone is no choice


def test_a_framework_declared_at_run_time_is_the_default_not_an_alternative(capsys, tmp_path) -> None:
    root = copy_project("alternative_backends", tmp_path)
    manifest = root / "pyproject.toml"
    manifest.write_text(manifest.read_text("utf-8").replace('"matplotlib"]', '"matplotlib", "torch"]'), "utf-8")
    found = missing(capsys, root)
    assert "torch" not in found
    assert not found["torchvision"]["optional"]  # mlkit/torch.py is the default backend now: its imports count
    assert found["tensorflow"]["optional"] and "one of 2 in mlkit/" in found["tensorflow"]["reason"]


def test_without_a_packaging_manifest_nothing_is_taken_for_a_backend(capsys, tmp_path) -> None:
    root = copy_project("alternative_backends", tmp_path)
    (root / "pyproject.toml").unlink()
    (root / "requirements.txt").write_text("numpy\nmatplotlib\nbokeh\n", "utf-8")
    found = missing(capsys, root)
    assert not found["torch"]["optional"] and not found["jax"]["optional"]


def test_a_backend_the_app_imports_at_run_time_is_no_alternative(capsys, tmp_path) -> None:
    root = copy_project("alternative_backends", tmp_path)
    (root / "serve.py").write_text("def load():\n    from mlkit import jax\n    return jax\n", "utf-8")
    found = missing(capsys, root)
    assert not found["jax"]["optional"] and not found["optax"]["optional"]
    assert found["torch"]["optional"]  # torch and tensorflow are still two to choose from


def test_candidates_need_two_siblings_each_importing_its_namesake() -> None:
    files = ["pkg/__init__.py", "pkg/torch.py", "pkg/jax.py", "pkg/util.py", "other/__init__.py", "other/redis.py"]
    packages = Packages(files)
    edges = {path: () for path in files}
    imported = {"pkg/torch.py": ["torch"], "pkg/jax.py": ["numpy"], "pkg/util.py": ["numpy"], "other/redis.py": ["x"]}
    assert candidates(packages, edges, imported, files) == ()  # jax.py does not import jax
    imported["pkg/jax.py"] = ["jax", "numpy"]
    assert candidates(packages, edges, imported, files) == (("pkg/jax.py", "jax"), ("pkg/torch.py", "torch"))
    assert candidates(Packages(()), edges, imported, files) == ()  # not a library: no package is known
