from __future__ import annotations

from pathlib import Path

import pytest

from pipreqs_action.manifests import read_declared
from pipreqs_action.pip_commands import installed_names

DOCKERFILE = """\
FROM python:3.12-slim
# RUN pip install commented-out
RUN apt-get update && apt-get install -y libpq-dev
RUN pip install --no-cache-dir -r requirements.txt \\
    && pip install \\
       discord.py==2.4.0 aiohttp
ENV PIP_NO_CACHE_DIR=1
RUN --mount=type=cache,target=/root/.cache/pip ["python", "-m", "pip", "install", "redis"]
CMD ["pip", "install", "not-a-build-step"]
"""


def _installed(root: Path) -> dict[str, str]:
    return {req.key: str(req.location) for req in read_declared(root).installed}


def test_a_dockerfile_run_step_installs_names_at_the_instruction_line_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE, "utf-8")
    assert _installed(tmp_path) == {"discord-py": "Dockerfile:4", "aiohttp": "Dockerfile:4", "redis": "Dockerfile:8"}


def test_install_command_names_are_never_declarations_unused_or_the_fix_target(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python\nRUN pip install gunicorn\n", "utf-8")
    (tmp_path / "requirements.txt").write_text("flask\n", "utf-8")
    declared = read_declared(tmp_path)
    assert [req.key for req in declared.requirements] == ["flask"]
    assert [req.key for req in declared.installed] == ["gunicorn"]
    assert declared.target is not None and declared.target.file == "requirements.txt"
    assert [str(item) for item in declared.declared_by] == ["requirements.txt (1)", "Dockerfile RUN pip install (1)"]


@pytest.mark.parametrize("name", ["Dockerfile.prod", "api.Dockerfile", "docker/Dockerfile", ".devcontainer/Dockerfile"])
def test_dockerfiles_are_found_by_their_conventional_names_and_folders(tmp_path: Path, name: str) -> None:
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text("RUN pip3 install uvicorn\n", "utf-8")
    assert _installed(tmp_path) == {"uvicorn": f"{name}:1"}


def test_a_dev_container_with_comments_and_trailing_commas_gives_each_lifecycle_commands_names(tmp_path: Path) -> None:
    (tmp_path / ".devcontainer").mkdir()
    (tmp_path / ".devcontainer" / "devcontainer.json").write_text(
        "{\n"
        "  // a comment, as containers.dev allows\n"
        '  "image": "mcr.microsoft.com/devcontainers/python:3",\n'
        '  "updateContentCommand": "pip3 install --user -r requirements.txt; pip3 install --user streamlit",\n'
        '  "postCreateCommand": {"a": ["pip", "install", "rich"], "b": "pip install psycopg2-binary"},\n'
        '  "postStartCommand": ["echo", "pip", "install"],\n'
        '  "remoteEnv": {"X": "pip install not-a-command"},\n'
        "}\n",
        "utf-8",
    )
    assert _installed(tmp_path) == {
        "streamlit": ".devcontainer/devcontainer.json:4",
        "rich": ".devcontainer/devcontainer.json:5",
        "psycopg2-binary": ".devcontainer/devcontainer.json:5",
    }


def test_a_comment_between_a_key_and_its_value_is_jsonc_and_the_value_is_read(tmp_path: Path) -> None:
    (tmp_path / ".devcontainer.json").write_text(
        '{"onCreateCommand": /* a comment */ "pip install first", "postCreateCommand": "pip install second",}', "utf-8"
    )
    assert _installed(tmp_path) == {"first": ".devcontainer.json:1", "second": ".devcontainer.json:1"}


def test_in_a_file_that_is_not_jsonc_each_value_that_decodes_is_still_read_and_the_file_is_named(
    tmp_path: Path,
) -> None:
    (tmp_path / ".devcontainer.json").write_text(
        '{"onCreateCommand": pip install skipped, "postCreateCommand": "pip install kept"}', "utf-8"
    )
    declared = read_declared(tmp_path)
    assert {req.key: str(req.location) for req in declared.installed} == {"kept": ".devcontainer.json:1"}
    assert len(declared.warnings) == 1
    assert declared.warnings[0].startswith(".devcontainer.json: not read (not JSON with comments (Expecting value")


def test_an_unreadable_environment_file_is_named_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("flask\n", "utf-8")
    (tmp_path / "Dockerfile").mkdir()
    items = [str(item) for item in read_declared(tmp_path).declared_by]
    assert items == ["requirements.txt (1)", "Dockerfile RUN pip install (unusable: not a regular file)"]


def test_an_environment_file_outside_the_checked_tree_is_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.write_text("RUN pip install secret-name\n", "utf-8")
    root = tmp_path / "root"
    root.mkdir()
    (root / "Dockerfile").symlink_to(outside)
    declared = read_declared(root)
    assert declared.installed == ()
    assert [str(item) for item in declared.declared_by] == [
        "Dockerfile RUN pip install (unusable: points outside the checked tree)"
    ]


@pytest.mark.parametrize(
    ("command", "names"),
    [
        ("pip3 install --user -r requirements.txt; pip3 install --user streamlit; echo ok", ("streamlit",)),
        ("pip install a&&pip install b|tee log", ("a", "b")),
        ("pip install x  # pip install commented", ("x",)),
        ("echo 'pip install quoted; pip install y'", ()),
    ],
)
def test_shell_separators_end_a_pip_command_even_without_spaces(command: str, names: tuple[str, ...]) -> None:
    assert installed_names(command) == names
