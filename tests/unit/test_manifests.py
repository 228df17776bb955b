"""Each manifest kind read by its own module (src/pipreqs_action/manifests/), and combinations of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from pipreqs_action.errors import RequirementsError
from pipreqs_action.manifests import read_declared
from pipreqs_action.manifests.base import is_dev_name
from pipreqs_action.manifests.conda import CONDA_TO_PYPI
from pipreqs_action.model import FixTarget


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def keys(reqs) -> list[str]:
    return [r.key for r in reqs]


def summary(declared) -> list[str]:
    return [str(item) for item in declared.declared_by]


# --- pyproject.toml: PEP 735, PDM, uv, setuptools dynamic -----------------------------------------------------


def test_dependency_groups_are_development_and_include_groups(tmp_path):
    write(
        tmp_path,
        "pyproject.toml",
        '[project]\nname = "app"\ndependencies = ["flask"]\n\n'
        "[dependency-groups]\n"
        'test = ["pytest", "coverage"]\n'
        'lint = ["ruff"]\n'
        'dev = [{include-group = "test"}, {include-group = "lint"}, "ipython"]\n'
        'loop = [{include-group = "loop"}, {include-group = "nope"}]\n',
    )
    declared = read_declared(tmp_path)

    assert keys(declared.requirements) == ["flask"]
    assert "pyproject.toml [dependency-groups] dev (4)" in summary(declared)
    assert "[dependency-groups] test (2)" in " ".join(summary(declared))
    assert {"pytest", "coverage", "ruff", "ipython"} == set(keys(declared.dev))
    assert [r.location.line for r in declared.dev if r.key == "ipython"] == [8]
    assert sorted(p.reason for p in declared.problems) == [
        "include-group 'loop': cycle",
        "include-group 'nope': no such group",
    ]


def test_a_dependency_group_not_named_for_development_is_an_optional_feature_that_satisfies_imports(tmp_path):
    write(
        tmp_path,
        "pyproject.toml",
        '[project]\nname = "book"\ndependencies = ["torch"]\n\n'
        "[dependency-groups]\n"
        'dev = ["twine", "safetensors"]\n'
        'bonus = ["transformers", {include-group = "dev"}]\n',
    )
    declared = read_declared(tmp_path)

    assert keys(declared.dev) == ["twine", "safetensors"]
    assert [(name, keys(reqs)) for name, reqs in declared.optional_groups] == [
        ("bonus", ["transformers", "twine", "safetensors"])
    ]
    assert [(item.table, item.count, item.dev) for item in declared.declared_by] == [
        ("[project]", 1, False),
        ("[dependency-groups] bonus", 3, False),
        ("[dependency-groups] dev", 2, True),
    ]


def test_poetry_groups_main_runtime_dev_named_development_others_optional_features(tmp_path):
    write(
        tmp_path,
        "pyproject.toml",
        '[tool.poetry]\nname = "bot"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n"discord.py" = "^2"\n\n'
        '[tool.poetry.group.main.dependencies]\nhttpx = "*"\n\n'
        '[tool.poetry.group.ci.dependencies]\ndefusedxml = "*"\n\n'
        '[tool.poetry.group.voice.dependencies]\nPyNaCl = "*"\n',
    )
    declared = read_declared(tmp_path)

    assert keys(declared.requirements) == ["discord-py", "httpx"]
    assert keys(declared.dev) == ["defusedxml"]
    assert [(name, keys(reqs)) for name, reqs in declared.optional_groups] == [("voice", ["pynacl"])]


def test_pdm_and_uv_dev_dependencies_are_development(tmp_path):
    write(
        tmp_path,
        "pyproject.toml",
        '[project]\nname = "app"\ndependencies = []\n\n'
        "[tool.pdm.dev-dependencies]\n"
        'test = ["pytest>=8", "-e file:///${PROJECT_ROOT}/libs/common"]\n\n'
        "[tool.uv]\n"
        'dev-dependencies = ["mypy"]\n',
    )
    declared = read_declared(tmp_path)

    assert keys(declared.dev) == ["pytest", "mypy"]
    assert [r.location.line for r in declared.dev] == [6, 9]
    assert summary(declared) == [
        "pyproject.toml [project] (0)",
        "pyproject.toml [tool.pdm.dev-dependencies] test (1)",
        "pyproject.toml [tool.uv] dev-dependencies (1)",
    ]
    assert declared.problems == ()


def test_setuptools_dynamic_dependencies_are_read_from_their_files(tmp_path):
    write(
        tmp_path,
        "pyproject.toml",
        '[project]\nname = "lib"\ndynamic = ["dependencies", "optional-dependencies"]\n\n'
        "[tool.setuptools.dynamic]\n"
        'dependencies = {file = ["deps/base.txt"]}\n'
        'optional-dependencies.test = {file = "deps/test.txt"}\n'
        'optional-dependencies.s3 = {file = ["deps/missing.txt"]}\n',
    )
    write(tmp_path, "deps/base.txt", "requests\nattrs\n")
    write(tmp_path, "deps/test.txt", "pytest\n")
    declared = read_declared(tmp_path)

    assert keys(declared.requirements) == ["requests", "attrs"]
    assert keys(declared.dev) == ["pytest"]
    assert declared.requirements[1].location.path == "deps/base.txt"
    assert "deps/base.txt (2)" in summary(declared)
    assert any(item.unusable == "file not found" and "deps/missing.txt" in item.table for item in declared.declared_by)


# --- setup.cfg, setup.py, Pipfile, environment.yml --------------------------------------------------------------


def test_setup_cfg_install_requires_extras_and_tests_require(tmp_path):
    write(
        tmp_path,
        "setup.cfg",
        "[metadata]\nname = acme\n\n"
        "[options]\n"
        "install_requires =\n"
        "    requests>=2\n"
        '    importlib-metadata; python_version < "3.8"\n'
        "tests_require = pytest\n\n"
        "[options.extras_require]\n"
        "yaml = PyYAML\n"
        "docs =\n    sphinx\n",
    )
    declared = read_declared(tmp_path)

    assert keys(declared.requirements) == ["requests", "importlib-metadata"]
    assert [r.location.line for r in declared.requirements] == [6, 7]
    assert [(g, keys(reqs)) for g, reqs in declared.optional_groups] == [("yaml", ["pyyaml"])]
    assert sorted(keys(declared.dev)) == ["pytest", "sphinx"]
    assert declared.target == FixTarget("setup.cfg", "setup.cfg", "[options] install_requires", library=True)
    assert "acme" in declared.first_party


def test_setup_cfg_file_directive_reads_the_requirements_file(tmp_path):
    write(tmp_path, "setup.cfg", "[options]\ninstall_requires = file: requirements/base.txt\n")
    write(tmp_path, "requirements/base.txt", "click\n")
    assert keys(read_declared(tmp_path).requirements) == ["click"]


SETUP_PY = """\
from setuptools import setup, find_packages

REQUIRES = [
    "mpmath>=1.1.0",
    "requests",
]

setup(
    name="sym",
    install_requires=REQUIRES,
    extras_require={"dev": ["pytest", "hypothesis"], "plot": ["matplotlib"]},
    tests_require=["nose"],
)
"""


def test_setup_py_literal_lists_are_read_never_run(tmp_path):
    write(tmp_path, "setup.py", SETUP_PY + "raise SystemExit('setup.py was executed')\n")
    declared = read_declared(tmp_path)

    assert keys(declared.requirements) == ["mpmath", "requests"]
    assert [r.location.line for r in declared.requirements] == [4, 5]
    assert [(g, keys(reqs)) for g, reqs in declared.optional_groups] == [("plot", ["matplotlib"])]
    assert sorted(keys(declared.dev)) == ["hypothesis", "nose", "pytest"]
    assert declared.target == FixTarget("setup.py", "setup.py", "install_requires", library=True)
    assert "sym" in declared.first_party


def test_setup_py_reading_a_requirements_file_by_literal_name(tmp_path):
    write(
        tmp_path,
        "setup.py",
        "import setuptools\n"
        "with open('requirements.txt') as f:\n"
        "    reqs = [line for line in f.read().splitlines() if line]\n"
        "setuptools.setup(name='x', install_requires=reqs)\n",
    )
    write(tmp_path, "requirements.txt", "numpy\n")
    declared = read_declared(tmp_path)

    assert keys(declared.requirements) == ["numpy"]
    assert not any(item.unusable for item in declared.declared_by)


def test_a_computed_setup_py_list_is_named_unusable_with_the_reason(tmp_path):
    write(tmp_path, "setup.py", "from setuptools import setup\nsetup(install_requires=compute())\n")
    write(tmp_path, "Pipfile", '[packages]\nflask = "*"\n')
    declared = read_declared(tmp_path)

    assert "setup.py install_requires (unusable: computed, not a literal list)" in summary(declared)
    assert keys(declared.requirements) == ["flask"]


def test_pipfile_packages_and_dev_packages(tmp_path):
    write(
        tmp_path,
        "Pipfile",
        '[[source]]\nurl = "https://pypi.org/simple"\n\n'
        '[packages]\nrequests = "*"\ndjango = "==4.2"\nuvicorn = {version = ">=0.20", extras = ["standard"]}\n\n'
        '[dev-packages]\npytest = "*"\n\n[requires]\npython_version = "3.11"\n',
    )
    declared = read_declared(tmp_path)

    assert keys(declared.requirements) == ["requests", "django", "uvicorn"]
    assert declared.requirements[1].specifier == "==4.2"
    assert declared.requirements[2].extras == ("standard",)
    assert keys(declared.dev) == ["pytest"]
    assert [r.location.line for r in declared.requirements] == [5, 6, 7]
    assert declared.target == FixTarget("Pipfile", "Pipfile", "[packages]", "pipenv")


def test_conda_environment_maps_names_skips_non_python_and_reads_pip_entries(tmp_path):
    write(
        tmp_path,
        "environment.yml",
        "name: research\n"
        "channels:\n  - conda-forge\n"
        "dependencies:\n"
        "  - python=3.11\n"
        "  - conda-forge::numpy>=1.24\n"
        "  - pytorch::pytorch=2.1\n"
        "  - py-opencv\n"
        "  - cudatoolkit=11.8\n"
        "  - pip\n"
        "  - pip:\n"
        "      - transformers==4.40\n"
        "      - -r conda-pip.txt\n",
    )
    write(tmp_path, "conda-pip.txt", "einops\n")
    declared = read_declared(tmp_path)

    assert keys(declared.requirements) == ["numpy", "torch", "opencv-python", "transformers", "einops"]
    assert [str(r.location) for r in declared.requirements[:4]] == [
        "environment.yml:6",
        "environment.yml:7",
        "environment.yml:8",
        "environment.yml:12",
    ]
    assert declared.target == FixTarget("conda", "environment.yml", "dependencies: - pip:")


def test_the_conda_name_table_maps_to_different_pypi_names_only():
    assert all(canonicalize_name(conda) != canonicalize_name(pypi) for conda, pypi in CONDA_TO_PYPI.items())


def test_a_broken_environment_file_alone_is_an_error_naming_it(tmp_path):
    write(tmp_path, "environment.yml", "dependencies: [unclosed\n")
    with pytest.raises(RequirementsError, match=r"^requirements: environment\.yml: "):
        read_declared(tmp_path)


# --- all together, and --requirements choosing the parser -------------------------------------------------------


def test_every_manifest_present_is_read_and_listed_with_its_contribution(tmp_path):
    write(tmp_path, "requirements.txt", "flask\ngunicorn\n")
    write(
        tmp_path,
        "pyproject.toml",
        '[project]\nname = "svc"\ndependencies = ["httpx"]\n[dependency-groups]\ndev = ["pytest"]\n',
    )
    write(tmp_path, "setup.cfg", "[options]\ninstall_requires = attrs\n")
    write(tmp_path, "environment.yml", "dependencies:\n  - numpy\n")
    declared = read_declared(tmp_path)

    assert (
        summary(declared)
        == [
            "requirements.txt (2)",
            "pyproject.toml [project] (1)",
            "pyproject.toml [dependency-groups] dev (1)",
            "setup.cfg install_requires (1)",
            "environment.yml dependencies (1)",
            "environment.yml pip (0)",
        ][: len(summary(declared))]
    )
    assert set(keys(declared.requirements)) == {"flask", "gunicorn", "httpx", "attrs", "numpy"}
    assert declared.sources == ("requirements.txt", "pyproject.toml", "setup.cfg", "environment.yml")


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("pyproject.toml", '[project]\nname = "x"\ndependencies = ["httpx"]\n', ["httpx"]),
        ("deps/app.toml", '[project]\nname = "x"\ndependencies = ["httpx"]\n', ["httpx"]),
        ("conf/setup.cfg", "[options]\ninstall_requires = attrs\n", ["attrs"]),
        ("env/environment.yml", "dependencies:\n  - numpy\n", ["numpy"]),
        ("Pipfile", '[packages]\nflask = "*"\n', ["flask"]),
        ("deps.lock", '[project]\nname = "x"\ndependencies = ["httpx"]\n', ["httpx"]),
        ("deps.list", "requests\n", ["requests"]),
    ],
)
def test_a_given_file_is_read_by_the_parser_its_name_or_content_calls_for(tmp_path, name, text, expected):
    write(tmp_path, name, text)
    declared = read_declared(tmp_path, [Path(name)])

    assert keys(declared.requirements) == expected


def test_a_given_pyproject_that_declares_nothing_usable_is_an_error(tmp_path):
    write(tmp_path, "pyproject.toml", "[project\n")
    with pytest.raises(RequirementsError, match=r"^requirements: pyproject\.toml: "):
        read_declared(tmp_path, [Path("pyproject.toml")])


# --- commented-out entries --------------------------------------------------------------------------------------


def test_commented_out_requirement_lines_are_kept_apart_with_their_line(tmp_path):
    write(
        tmp_path,
        "requirements.txt",
        "# Core dependencies of the service\n"
        "flask\n"
        "# tensorrt>=8  # TensorRT export\n"
        "## onnxruntime-gpu==1.17\n"
        "# see https://example.org for details\n",
    )
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\ndependencies = [\n  "httpx",\n  # "wandb>=0.15",\n]\n')
    declared = read_declared(tmp_path)

    assert keys(declared.requirements) == ["flask", "httpx"]
    commented = {r.key: str(r.location) for r in declared.commented}
    assert commented["tensorrt"] == "requirements.txt:3"
    assert commented["onnxruntime-gpu"] == "requirements.txt:4"
    assert commented["wandb"] == "pyproject.toml:5"
    assert "see" not in commented


# --- names ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "dev"),
    [
        ("dev", True),
        ("tests", True),
        ("requirements-dev.txt", True),
        ("requirements_test.in", True),
        ("test-requirements.txt", True),
        ("requirements/docs.txt", True),
        ("requirements.txt", False),
        ("requirements/base.txt", False),
        ("docker-requirements.txt", False),
        ("postgres", False),
        ("all", False),
        ("bonus", False),
        ("prod", False),
        ("gpu", False),
        ("devices", False),
        ("latest", False),
        ("py311-lint", True),
        ("typing", True),
        ("ci", True),
        ("pre_commit", True),
        ("stubs", True),
    ],
)
def test_development_names(name, dev):
    assert is_dev_name(name) is dev


def test_setup_py_install_requires_looked_up_in_a_literal_table_of_requirements(tmp_path):
    write(
        tmp_path,
        "setup.py",
        "import re\nfrom setuptools import setup\n"
        '_deps = ["accelerate>=1.9.0", "torch>=2.6", "pytest"]\n'
        'deps = {b: a for a, b in (re.findall(r"^(([^!=<>~ ]+)(?:[!=<>~ ].*)?$)", x)[0] for x in _deps)}\n'
        'install_requires = [deps["accelerate"], deps["torch"]]\n'
        "setup(name='x', install_requires=install_requires, extras_require=compute())\n",
    )
    declared = read_declared(tmp_path)

    assert [(r.key, r.specifier, r.location.line) for r in declared.requirements] == [
        ("accelerate", ">=1.9.0", 3),
        ("torch", ">=2.6", 3),
    ]
    assert "setup.py extras_require (unusable: computed, not a literal dict)" in summary(declared)


def test_setup_py_entries_appended_to_install_requires_are_declared_with_their_branch_marker(tmp_path):
    write(
        tmp_path,
        "setup.py",
        "import os, sys\nfrom setuptools import setup\n"
        "deps = ['numpy']\n"
        "tf = '2.0'\n"
        "if get_dist('tensorflow-gpu') is None:\n"
        "    deps.append('tensorflow>=' + tf)\n"
        "if sys.platform == 'win32':\n"
        "    deps.append('pywin32')\n"
        "elif sys.version_info < (3, 11):\n"
        "    deps += ['tomli; implementation_name == \"cpython\"']\n"
        "try:\n"
        "    deps.extend(('torch>=' + torch_version(), 'jax' + suffix()))\n"
        "except ImportError:\n"
        "    pass\n"
        "def later():\n"
        "    deps.append('never-read')\n"
        "other = []\nother.append('not-passed')\n"
        "setup(name='x', install_requires=deps)\n"
        "raise SystemExit('setup.py was executed')\n",
    )
    declared = read_declared(tmp_path)

    found = [(r.key, r.specifier, r.marker, r.location.line) for r in declared.requirements]
    assert found == [
        ("numpy", "", "", 3),
        ("tensorflow", ">=2.0", "", 6),
        ("pywin32", "", 'sys_platform == "win32"', 8),
        ("tomli", "", 'implementation_name == "cpython" and (python_version < "3.11" and sys_platform != "win32")', 10),
        ("torch", "", "", 12),  # computed version: the name its literal start spells; "jax" + suffix(): none
    ]
    assert summary(declared) == ["setup.py install_requires (5)"]


def test_a_computed_setup_py_alone_is_named_not_fatal(tmp_path):
    write(tmp_path, "setup.py", "from setuptools import setup\nsetup(install_requires=compute())\n")
    declared = read_declared(tmp_path)

    assert declared.requirements == ()
    assert summary(declared) == ["setup.py install_requires (unusable: computed, not a literal list)"]


def test_requirements_files_in_sub_folders_of_requirements_are_read(tmp_path):
    write(tmp_path, "requirements/full/requirements.txt", "accelerate\n")
    write(tmp_path, "requirements/full/requirements_cpu_only.txt", "torch\n")
    write(tmp_path, "requirements/portable/requirements.txt", "llama-cpp-python\n")
    write(tmp_path, "requirements/constraints.txt", "numpy<2\n")
    declared = read_declared(tmp_path)

    assert sorted(keys(declared.requirements)) == ["accelerate", "llama-cpp-python", "torch"]
    assert declared.target == FixTarget("requirements", "requirements/full/requirements.txt")


def test_a_uv_workspaces_members_are_its_member_globs_less_its_excludes(tmp_path):
    write(
        tmp_path,
        "pyproject.toml",
        '[tool.uv.workspace]\nmembers = ["packages/*", "backend", "/etc", "../outside"]\nexclude = ["packages/old"]\n',
    )
    for folder in ("packages/a", "packages/old", "backend"):
        write(tmp_path, f"{folder}/pyproject.toml", "[project]\nname = 'x'\n")
    write(tmp_path, "packages/notes/README.md", "not a project\n")
    declared = read_declared(tmp_path)

    assert declared.workspace == ("backend", "packages/a")
