"""scripts/release_action_yml.py: the release's action.yml names the pushed image and nothing else changes."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "release_action_yml.py"
_spec = importlib.util.spec_from_file_location("release_action_yml", SCRIPT)
assert _spec and _spec.loader
release = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(release)

REF = "ghcr.io/octo/pipreqs-action:1.2.3"


def test_only_runs_image_changes_in_the_real_action_yml() -> None:
    text = (ROOT / "action.yml").read_text(encoding="utf-8")

    rewritten = release.rewrite(text, REF)

    before, after = yaml.safe_load(text), yaml.safe_load(rewritten)
    assert after["runs"]["image"] == f"docker://{REF}"
    after["runs"]["image"] = before["runs"]["image"]
    assert after == before
    changed = [(a, b) for a, b in zip(text.splitlines(), rewritten.splitlines(), strict=True) if a != b]
    assert changed == [("  image: 'Dockerfile'", f"  image: 'docker://{REF}'")]


def test_an_image_key_outside_runs_is_left_alone() -> None:
    text = "inputs:\n  image:\n    default: 'Dockerfile'\nruns:\n  using: 'docker'\n  image: Dockerfile\n"
    assert release.rewrite(text, REF).splitlines()[-1] == f"  image: 'docker://{REF}'"
    assert release.rewrite(text, REF).splitlines()[:5] == text.splitlines()[:5]


@pytest.mark.parametrize(
    "text",
    [
        "runs:\n  using: 'docker'\n  image: 'docker://x/y:1.0.0'\n",
        "name: x\n",
        "runs:\n  image: Dockerfile\n  image: Dockerfile\n",
    ],
    ids=["already-released", "no-runs", "two-image-lines"],
)
def test_anything_but_one_dockerfile_line_is_refused(text: str) -> None:
    with pytest.raises(release.ReleaseError, match=r"action\.yml"):
        release.rewrite(text, REF)


@pytest.mark.parametrize(
    ("image", "version"),
    [
        ("ghcr.io/Octo/pipreqs-action", "1.2.3"),  # registries want lower case
        ("ghcr.io/octo/pipreqs-action:1.2.3", "1.2.3"),  # the tag comes from --version only
        ("ghcr.io/octo/pipreqs action", "1.2.3"),
        ("ghcr.io/octo/pipreqs-action", "latest"),  # moving tags are not a release
        ("ghcr.io/octo/pipreqs-action", "v1"),
        ("ghcr.io/octo/pipreqs-action", "1.2.3'\n  x: y"),
    ],
)
def test_references_that_are_not_one_exact_release_are_refused(image: str, version: str) -> None:
    with pytest.raises(release.ReleaseError):
        release.image_reference(image, version)


def test_the_command_rewrites_in_place_and_checks_the_package_version(tmp_path: Path) -> None:
    action = tmp_path / "action.yml"
    shutil.copy(ROOT / "action.yml", action)
    version = release.pyproject_version(ROOT / "pyproject.toml")
    argv = [sys.executable, str(SCRIPT), "--image", "127.0.0.1:5000/octo/pipreqs-action", "--action", str(action)]

    wrong = subprocess.run([*argv, "--version", "99.0.0", "--check-pyproject", str(ROOT / "pyproject.toml")],
                           capture_output=True, text=True, check=False)  # fmt: skip
    assert wrong.returncode == 1 and "bump it first" in wrong.stderr
    assert action.read_text() == (ROOT / "action.yml").read_text()  # untouched on refusal

    done = subprocess.run([*argv, "--version", version, "--check-pyproject", str(ROOT / "pyproject.toml")],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (
        yaml.safe_load(action.read_text())["runs"]["image"] == f"docker://127.0.0.1:5000/octo/pipreqs-action:{version}"
    )
