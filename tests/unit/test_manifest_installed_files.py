"""Requirements files the project's own setup installs (dev containers, Dockerfiles, Binder) read as manifests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipreqs_action.cli import main
from pipreqs_action.manifests import read_declared
from pipreqs_action.manifests.dockerfiles import installed_files
from pipreqs_action.manifests.jsonc import loads
from pipreqs_action.pip_commands import installed_names, requirement_files
from pipreqs_action.pipeline import run
from pipreqs_action.render import as_dict
from pipreqs_action.settings import Settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "projects"


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    return root


def _declared_in(root: Path) -> list[str]:
    return [str(item) for item in read_declared(root).declared_by]


@pytest.mark.parametrize(
    ("dockerfile", "folders", "expected"),
    [
        ("COPY requirements.txt /tmp/\nRUN pip install -r /tmp/requirements.txt\n", (), ["requirements.txt"]),
        ("COPY requirements.txt /tmp\nRUN pip install -r /tmp/requirements.txt\n", (), ["requirements.txt"]),
        ("COPY deps/base.txt /opt/r.txt\nRUN pip install -r /opt/r.txt\n", (), ["deps/base.txt"]),
        ("WORKDIR /app\nCOPY . .\nRUN pip install -r reqs/base.txt\n", (), ["reqs/base.txt"]),
        ("WORKDIR /app\nCOPY pip ./pip\nRUN pip install -r pip/base.txt\n", ("pip",), ["pip/base.txt"]),
        ('COPY ["deps/app.txt", "deps/dev.txt", "/opt/"]\nRUN pip install -r /opt/app.txt\n', (), ["deps/app.txt"]),
        (
            "WORKDIR /w\nCOPY deps/requirements*.txt ./\nRUN pip install -r requirements-prod.txt\n",
            (),
            ["deps/requirements-prod.txt"],
        ),
        ("RUN --mount=type=bind,source=deps/r.txt,target=/r.txt pip install -r /r.txt\n", (), ["deps/r.txt"]),
        ("COPY --from=builder /out/r.txt /r.txt\nRUN pip install -r /r.txt\n", (), []),
        ("RUN pip install -r /made/in/the/image.txt\n", (), []),
        ("COPY r.txt /r.txt\nCOPY other.txt /r.txt\nRUN pip install -r /r.txt\n", (), ["other.txt"]),
        ("COPY ${DIR}/r.txt /r.txt\nRUN pip install -r /r.txt\n", (), ["${DIR}/r.txt"]),
    ],
)
def test_a_run_step_s_file_is_followed_back_through_workdir_copy_and_bind_mounts(
    dockerfile: str, folders: tuple[str, ...], expected: list[str]
) -> None:
    found = installed_files(dockerfile, lambda path: path in folders)
    assert [item.source for item in found] == expected


def test_a_variable_in_a_copied_path_is_never_filled_so_no_file_of_the_tree_is_named(tmp_path: Path) -> None:
    _write(tmp_path, {"Dockerfile": "COPY ${DIR}/r.txt /r.txt\nRUN pip install -r /r.txt\n", "r.txt": "flask\n"})
    declared = read_declared(tmp_path)
    assert declared.requirements == ()
    assert declared.warnings == ("Dockerfile:2 installs ${DIR}/r.txt, which is not in the checked tree",)


def test_a_conda_environment_a_dockerfile_creates_is_read_as_that_environment(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "docker/Dockerfile": "COPY env/analysis.yml /tmp/\nRUN mamba env create -f /tmp/analysis.yml\n",
            "env/analysis.yml": "dependencies:\n  - numpy\n  - pip:\n    - altair\n",
        },
    )
    declared = read_declared(tmp_path)
    assert sorted(req.key for req in declared.requirements) == ["altair", "numpy"]
    assert "env/analysis.yml dependencies (1, installed by docker/Dockerfile:2)" in _declared_in(tmp_path)


def test_the_report_names_the_file_and_who_installs_it_in_text_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(
        tmp_path,
        {
            ".devcontainer/devcontainer.json": '{"build": {"dockerfile": "Dockerfile"}}',
            ".devcontainer/Dockerfile": "COPY requirements.txt /tmp/\nRUN pip install -r /tmp/requirements.txt\n",
            ".devcontainer/requirements.txt": "seaborn\nkaggle\n",
            "lesson.py": "import seaborn\n",
        },
    )
    assert _declared_in(tmp_path)[0] == ".devcontainer/requirements.txt (2, installed by .devcontainer/Dockerfile:2)"
    assert main(["check", str(tmp_path), "--offline", "--format", "json", "--exit-zero"]) == 0
    assert json.loads(capsys.readouterr().out)["declared_by"][0] == {
        "file": ".devcontainer/requirements.txt",
        "table": "",
        "count": 2,
        "dev": False,
        "installed_by": ".devcontainer/Dockerfile:2",
    }


def test_a_dev_container_s_build_context_decides_where_its_dockerfile_copies_from(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            ".devcontainer/devcontainer.json": '{"build": {"dockerfile": "../docker/dev.Dockerfile", "context": ".."}}',
            "docker/dev.Dockerfile": "COPY requirements/ /reqs/\nRUN pip install -r /reqs/course.txt\n",
            "requirements/course.txt": "numpy\n",
            ".devcontainer/requirements/course.txt": "not-this-one\n",
        },
    )
    assert [req.key for req in read_declared(tmp_path).requirements] == ["numpy"]


def test_a_file_named_by_a_dev_container_command_is_relative_to_the_workspace_and_dev_by_its_name(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            ".devcontainer/devcontainer.json": (
                '{"postCreateCommand": "pip install -r env/base.txt && pip install -r env/requirements-test.txt"}'
            ),
            "env/base.txt": "rich\n",
            "env/requirements-test.txt": "pytest\n",
        },
    )
    declared = read_declared(tmp_path)
    assert [req.key for req in declared.requirements] == ["rich"]
    assert [req.key for req in declared.dev] == ["pytest"]
    assert declared.target is not None and declared.target.file == "env/base.txt"


def test_a_file_already_read_by_its_name_is_read_once_and_keeps_the_project_s_target(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "Dockerfile": "COPY requirements.txt .\nRUN pip install -r requirements.txt\n",
            "requirements.txt": "flask\n",
        },
    )
    assert _declared_in(tmp_path) == ["requirements.txt (1)", "Dockerfile RUN pip install (0)"]


@pytest.mark.parametrize(
    ("files", "warning"),
    [
        (
            {".devcontainer.json": '{"postCreateCommand": "pip install -r env/gone.txt"}'},
            ".devcontainer.json:1 installs env/gone.txt, which is not in the checked tree",
        ),
        (
            {".devcontainer/devcontainer.json": '{"build": {"dockerfile": "Dockerfile"}} }'},
            ".devcontainer/devcontainer.json: not read (not JSON with comments (Extra data: line 1 column 41 "
            "(char 40)))",
        ),
        (
            {".devcontainer/devcontainer.json": '{"build": {"dockerfile": "Missing.Dockerfile"}}'},
            ".devcontainer/Missing.Dockerfile: not read (file not found)",
        ),
        (
            {
                ".devcontainer/devcontainer.json": '{"build": {"dockerfile": "Dockerfile", "context": "../.."}}',
                ".devcontainer/Dockerfile": "COPY r.txt /r.txt\nRUN pip install -r /r.txt\n",
            },
            ".devcontainer/Dockerfile:2 installs ../r.txt, outside the checked tree",
        ),
        (
            {"Dockerfile": "COPY app/requirements.txt /r.txt\nRUN pip install -r /r.txt\n"},
            "Dockerfile:2 installs app/requirements.txt, which is not in the checked tree",
        ),
    ],
)
def test_a_named_file_or_configuration_that_cannot_be_read_is_a_warning_naming_it(
    tmp_path: Path, files: dict[str, str], warning: str
) -> None:
    _write(tmp_path, {**files, "requirements.txt": "flask\n"})
    declared = read_declared(tmp_path)
    assert declared.warnings == (warning,)
    assert [req.key for req in declared.requirements] == ["flask"]


def test_an_installed_file_that_is_not_text_is_named_unusable_with_its_installer(tmp_path: Path) -> None:
    _write(tmp_path, {"Dockerfile": "COPY deps.txt /d.txt\nRUN pip install -r /d.txt\n", "requirements.txt": "x\n"})
    (tmp_path / "deps.txt").write_bytes(b"\xff\xfe\x00bad\x00")
    assert _declared_in(tmp_path)[1].startswith("deps.txt (unusable: ")
    assert _declared_in(tmp_path)[1].endswith(", installed by Dockerfile:2)")


@pytest.mark.parametrize("folder", ["binder", ".binder"])
def test_binder_s_requirements_file_is_the_repository_s_manifest(tmp_path: Path, folder: str) -> None:
    _write(tmp_path, {f"{folder}/requirements.txt": "pandas\n"})
    assert _declared_in(tmp_path) == [f"{folder}/requirements.txt (1, installed by Binder)"]


@pytest.mark.parametrize(
    ("command", "files"),
    [
        (
            'su - vscode -c "pip install -r /tmp/requirements.txt" && apt-get install -y graphviz',
            ("/tmp/requirements.txt",),
        ),
        ("pip install -qr a.txt --requirement=b.txt -r ${REQ_FILE}", ("a.txt", "b.txt")),
        ("uv pip install --system -r requirements/base.txt && tool -r not-pip.txt", ("requirements/base.txt",)),
        ("python -m pip install -e . -r dev.txt", ("dev.txt",)),
        ("pip download -r wheels.txt", ()),
        ("echo 'pip install -r quoted.txt'", ()),
    ],
)
def test_the_requirements_files_of_pip_install_commands_are_read_from_the_words(
    command: str, files: tuple[str, ...]
) -> None:
    assert requirement_files(command) == files


def test_a_shell_s_command_string_is_split_in_turn_for_the_names_it_installs() -> None:
    assert installed_names('bash -lc "pip install flask; pip install rich"') == ("flask", "rich")


def test_jsonc_comments_and_trailing_commas_go_and_strings_stay_as_written() -> None:
    text = '{\n  // "x": {\n  // },\n  "a": "http://h//p /* kept */", /* b ] */\n  "b": [1, 2, /* ] */ ],\n}\n'
    assert loads(text) == {"a": "http://h//p /* kept */", "b": [1, 2]}


def test_a_makefile_target_s_name_and_a_script_s_name_give_the_scope_of_what_they_install(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "Makefile": (
                "VAR := x\ninstall:\n\tpip install -r deploy/app.txt\n"
                "docs: install\n\t@pip install \\\n\t  -r deploy/docs.txt\n"
            ),
            "run_tests.sh": "# the checks\npip install \\\n  -r deploy/checks.txt\n",
            "deploy/app.txt": "flask\n",
            "deploy/docs.txt": "sphinx\n",
            "deploy/checks.txt": "pytest\n",
        },
    )
    declared = read_declared(tmp_path)
    assert [req.key for req in declared.requirements] == ["flask"]
    assert sorted(req.key for req in declared.dev) == ["pytest", "sphinx"]
    assert _declared_in(tmp_path)[0] == "deploy/app.txt (1, installed by Makefile:3)"


def test_tasks_may_make_the_file_they_install_so_a_missing_one_is_no_warning(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "Makefile": "lock:\n\tuv export > gen.txt && pip install -r gen.txt\n",
            "install.sh": "[ -f local_requirements.txt ] && pip install -r local_requirements.txt\n",
            "requirements.txt": "flask\n",
        },
    )
    declared = read_declared(tmp_path)
    assert declared.warnings == ()
    assert _declared_in(tmp_path) == ["requirements.txt (1)"]


def test_a_requirements_file_of_a_folder_that_is_a_project_of_its_own_is_left_to_that_project(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "Dockerfile": "COPY api/requirements.txt deploy/extra.txt /srv/\nRUN pip install -r /srv/requirements.txt"
            " -r /srv/extra.txt\n",
            "api/requirements.txt": "fastapi\n",
            "api/main.py": "import fastapi\n",
            "deploy/extra.txt": "uvicorn\n",
        },
    )
    assert [req.key for req in read_declared(tmp_path).requirements] == ["uvicorn"]


def test_a_project_template_s_dev_container_is_read_as_far_as_it_goes_and_never_named_unreadable() -> None:
    """``{{cookiecutter.project_slug}}/.devcontainer/devcontainer.json`` holds template markup until it is rendered:
    the command values that decode are followed like any dev container's, and no warning calls the file broken."""
    report = as_dict(run(Settings(path=FIXTURES / "template_devcontainer", offline=True)))
    (template,) = report["projects"]
    slug = "{{cookiecutter.project_slug}}"
    assert template["path"] == slug
    assert report["warnings"] == template["warnings"] == []
    installed = {item["file"]: item.get("installed_by") for item in template["declared_by"]}
    assert installed[f"{slug}/.devcontainer/requirements.txt"] == f"{slug}/.devcontainer/devcontainer.json:4"
    assert template["missing"] == []


def test_a_configuration_outside_a_template_folder_that_is_no_json_is_still_named(tmp_path: Path) -> None:
    """Only a folder named with ``{{ }}`` placeholders makes a template: markup elsewhere is a broken file."""
    _write(tmp_path, {"{cookie}/.devcontainer/devcontainer.json": '{"name": "{{ name }}", {% if x %}}'})
    warnings = read_declared(tmp_path / "{cookie}").warnings
    assert [warning.partition(": ")[0] for warning in warnings] == [".devcontainer/devcontainer.json"]
