"""Which files a project's container image holds, read from the COPY steps of the Dockerfiles at its root."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.test_shipped import tree

from pipreqs_action.app_code.image_files import IMAGE, find, find_shipped
from pipreqs_action.app_code.shipped import Shipped
from pipreqs_action.manifests.dockerfiles import copied_sources

BASE = "FROM python:3.12-slim\nWORKDIR /code\n"


def test_copy_steps_name_their_context_sources_and_skip_other_stages() -> None:
    text = (
        "FROM python:3.12 AS build\nCOPY --chown=app:app pyproject.toml uv.lock ./\n"
        "COPY --from=build /venv /venv\nADD https://example.invalid/model.bin /models/\n"
        'COPY ["serve.py", "/code/"]\nCOPY app/ /code/app/\n'
    )
    assert copied_sources(text) == ("pyproject.toml", "uv.lock", "serve.py", "app")
    assert copied_sources(BASE + "COPY $SRC /code/\n") is None
    assert copied_sources(BASE + "COPY . .\n") == (".",)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # named files: only the code is kept, a model file the build makes need not be in git
        (
            {"Dockerfile": BASE + "COPY pyproject.toml ./\nCOPY serve.py model.bin ./\n", "serve.py": "", "cli.py": ""},
            Shipped((), ("serve.py",), by=IMAGE),
        ),
        # a folder, and a glob over the root
        (
            {"Dockerfile": BASE + "COPY app ./app\nCOPY *.py ./\n", "app/main.py": "", "wsgi.py": ""},
            Shipped(("app",), ("wsgi.py",), by=IMAGE),
        ),
        # every Dockerfile at the root counts (Dockerfile.worker copies the worker too)
        (
            {
                "Dockerfile": BASE + "COPY serve.py ./\n",
                "Dockerfile.worker": BASE + "COPY worker.py ./\n",
                "serve.py": "",
                "worker.py": "",
            },
            Shipped((), ("serve.py", "worker.py"), by=IMAGE),
        ),
    ],
)
def test_the_image_holds_what_its_copy_steps_name(tmp_path: Path, files: dict[str, str], expected: Shipped) -> None:
    assert find(tree(tmp_path, files)) == expected


@pytest.mark.parametrize(
    "files",
    [
        {"serve.py": ""},  # no Dockerfile
        {"Dockerfile": BASE + "COPY . .\n", "serve.py": ""},  # the whole context: nothing is left out
        {"Dockerfile": BASE + "COPY serve.py ./\n", "Dockerfile.dev": BASE + "COPY . .\n", "serve.py": ""},
        {"Dockerfile": BASE + "COPY service/serve.py ./\n", "serve.py": ""},  # the context is elsewhere
        {"Dockerfile": BASE + "COPY src ./src\n", "serve.py": ""},  # a folder that is not there
        {"Dockerfile": BASE + "COPY nginx.conf /etc/nginx/\n", "nginx.conf": "", "serve.py": ""},  # no code
        {"Dockerfile": BASE + "COPY $APP ./\n", "serve.py": ""},  # unknown sources
        {"Dockerfile": BASE + "COPY ../serve.py ./\n", "serve.py": ""},
    ],
)
def test_nothing_is_said_when_the_image_may_hold_every_file(tmp_path: Path, files: dict[str, str]) -> None:
    assert find(tree(tmp_path, files)) is None


def test_a_distribution_says_what_ships_before_the_image_does(tmp_path: Path) -> None:
    pyproject = (
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "acme"\n'
    )
    root = tree(
        tmp_path, {"pyproject.toml": pyproject, "acme/__init__.py": "", "Dockerfile": BASE + "COPY run.py ./\n"}
    )
    (root / "run.py").write_text("", "utf-8")
    assert find_shipped(root) == Shipped(("acme",))
    (root / "acme" / "__init__.py").unlink()
    (root / "acme").rmdir()
    assert find_shipped(root) == Shipped((), ("run.py",), by=IMAGE)
