"""The pre-commit hook, run for real: `pre-commit try-repo` installs this repository the way a user's
`.pre-commit-config.yaml` would (a fresh virtualenv, `pip install` of the hook repository) and runs the hook on a
fixture repository: the commit fails while a package is missing and passes once it is declared.

No internet: pip is given only a local wheelhouse re-packed from this venv's installed distributions
(tests/wheelhouse.py), with `PIP_NO_INDEX=1` and the user's pip configuration switched off, so the same test runs
on a CI machine that reaches PyPI and on one that does not.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.wheelhouse import build_wheelhouse

ROOT = Path(__file__).resolve().parents[2]
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))


def test_the_hook_is_declared_as_the_issue_asks() -> None:
    [hook] = HOOKS
    assert hook["id"] == "pipreqs-action"
    assert hook["entry"] == "pipreqs-action check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("pre_commit", reason="pre-commit is a test extra: pip install -e '.[test]'")
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: pre-commit try-repo needs one")
    return build_wheelhouse(tmp_path_factory.mktemp("wheelhouse"))[0].parent


def offline_env(tmp_path: Path, wheelhouse: Path) -> dict[str, str]:
    """The user's environment minus every pip/virtualenv setting, plus: only the wheelhouse, no index."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUALENV_", "PRE_COMMIT"))}
    env.update(
        HOME=str(tmp_path / "home"),
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-cache"),
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheelhouse),
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        VIRTUALENV_NO_DOWNLOAD="1",
        GIT_AUTHOR_NAME="test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
        NO_COLOR="1",
    )
    return env


def git(repo: Path, *args: str, env: dict[str, str]) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, timeout=60)


def try_repo(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "pipreqs-action", "--all-files"]
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=600, check=False)


def test_try_repo_fails_on_a_missing_package_and_passes_after_the_fix(tmp_path, wheelhouse) -> None:
    env = offline_env(tmp_path, wheelhouse)
    (tmp_path / "home").mkdir()
    repo = tmp_path / "project"
    repo.mkdir()
    (repo / "app.py").write_text("import requests\nimport yaml\n", "utf-8")
    (repo / "requirements.txt").write_text("requests\n", "utf-8")
    git(repo, "init", "-q", env=env)
    git(repo, "add", ".", env=env)
    git(repo, "commit", "-qm", "app", env=env)

    failed = try_repo(repo, env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "pipreqs-action" in failed.stdout and "Failed" in failed.stdout
    assert "PyYAML" in failed.stdout and "app.py:2" in failed.stdout

    (repo / "requirements.txt").write_text("requests\nPyYAML\n", "utf-8")
    git(repo, "add", ".", env=env)
    passed = try_repo(repo, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
