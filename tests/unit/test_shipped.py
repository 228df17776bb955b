"""Which files a packaged project ships, read from its build configuration as each backend reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipreqs_action.app_code.shipped import Shipped, find

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "acme-cli"\n'
SETUPTOOLS = (
    '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "acme"\n'
)


def tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # hatch: the package named after the project, flat or src layout
        ({"pyproject.toml": HATCH, "acme_cli/__init__.py": ""}, Shipped(("acme_cli",))),
        ({"pyproject.toml": HATCH, "src/acme_cli/__init__.py": ""}, Shipped(("src/acme_cli",))),
        # hatch: the wheel target's packages / include
        (
            {
                "pyproject.toml": HATCH + '\n[tool.hatch.build.targets.wheel]\npackages = ["src/cli"]\n',
                "src/cli/__init__.py": "",
            },
            Shipped(("src/cli",)),
        ),
        (
            {
                "pyproject.toml": HATCH + '\n[tool.hatch.build.targets.wheel]\ninclude = ["acme"]\n',
                "acme/__init__.py": "",
            },
            Shipped(("acme",)),
        ),
        # hatch: force-include adds a file or folder to the selection
        (
            {
                "pyproject.toml": HATCH
                + '\n[tool.hatch.build.targets.wheel.force-include]\n"tool.py" = "acme_cli/tool.py"\n',
                "acme_cli/__init__.py": "",
                "tool.py": "",
            },
            Shipped(("acme_cli",), ("tool.py",)),
        ),
        # setuptools: explicit packages and py-modules, find with include, a single discovered package, src layout
        (
            {
                "pyproject.toml": SETUPTOOLS
                + '\n[tool.setuptools]\npackages = ["acme", "acme.sub"]\npy-modules = ["tool"]\n',
                "acme/__init__.py": "",
                "acme/sub/__init__.py": "",
                "tool.py": "",
            },
            Shipped(("acme", "acme/sub"), ("tool.py",)),
        ),
        (
            {
                "pyproject.toml": SETUPTOOLS + '\n[tool.setuptools.packages.find]\ninclude = ["acme*"]\n',
                "acme/__init__.py": "",
                "integration/__init__.py": "",
            },
            Shipped(("acme",)),
        ),
        ({"pyproject.toml": SETUPTOOLS, "acme/__init__.py": "", "tests/__init__.py": ""}, Shipped(("acme",))),
        ({"pyproject.toml": SETUPTOOLS, "src/acme/__init__.py": ""}, Shipped(("src/acme",))),
        # setup.py: a literal list, find_packages with exclude, py_modules; setup.cfg
        (
            {
                "setup.py": "from setuptools import setup\nsetup(name='a', packages=['acme'], py_modules=['cli'])\n",
                "acme/__init__.py": "",
                "cli.py": "",
            },
            Shipped(("acme",), ("cli.py",)),
        ),
        (
            {
                "setup.py": "from setuptools import find_packages, setup\n"
                "setup(packages=find_packages(exclude=['tests*']))\n",
                "acme/__init__.py": "",
                "tests/__init__.py": "",
            },
            Shipped(("acme",)),
        ),
        (
            {
                "setup.cfg": "[metadata]\nname = acme\n\n[options]\npackages = find:\npackage_dir =\n    =src\n",
                "src/acme/__init__.py": "",
            },
            Shipped(("src/acme",)),
        ),
        # Poetry packages with from, flit's module
        (
            {
                "pyproject.toml": '[build-system]\nbuild-backend = "poetry.core.masonry.api"\n\n'
                '[tool.poetry]\nname = "x"\npackages = [{include = "acme", from = "src"}]\n',
                "src/acme/__init__.py": "",
            },
            Shipped(("src/acme",)),
        ),
        (
            {
                "pyproject.toml": '[build-system]\nbuild-backend = "flit_core.buildapi"\n\n[project]\nname = "acme"\n',
                "acme.py": "",
            },
            Shipped((), ("acme.py",)),
        ),
    ],
)
def test_the_build_configuration_says_what_the_wheel_holds(
    tmp_path: Path, files: dict[str, str], expected: Shipped
) -> None:
    assert find(tree(tmp_path, files)) == expected


@pytest.mark.parametrize(
    "files",
    [
        {"requirements.txt": "flask\n", "app/__init__.py": ""},  # no distribution
        {"pyproject.toml": "[tool.ruff]\nline-length = 100\n", "app/__init__.py": ""},  # no build at all
        # a meta-package that ships nothing of its own
        {"pyproject.toml": HATCH + "\n[tool.hatch.build.targets.wheel]\nbypass-selection = true\n"},
        # hatch: nothing named after the project (the build would fail): unknown
        {"pyproject.toml": HATCH, "server/__init__.py": ""},
        # setuptools discovery with two top-level packages stops the build: unknown
        {"pyproject.toml": SETUPTOOLS, "models/__init__.py": "", "core/__init__.py": ""},
        # a computed package list
        {"setup.py": "from setuptools import setup\nPKGS = discover()\nsetup(packages=PKGS)\n", "a/__init__.py": ""},
        # a glob in an include list
        {"pyproject.toml": HATCH + '\n[tool.hatch.build.targets.wheel]\ninclude = ["acme/**/*.py"]\n'},
        # another backend
        {
            "pyproject.toml": '[build-system]\nbuild-backend = "maturin"\n\n[project]\nname = "acme"\n',
            "acme/__init__.py": "",
        },
    ],
)
def test_what_cannot_be_read_as_the_backend_reads_it_says_nothing(tmp_path: Path, files: dict[str, str]) -> None:
    assert find(tree(tmp_path, files)) is None


def test_ships_is_by_folder_and_module() -> None:
    shipped = Shipped(("src/acme",), ("tool.py",))
    assert shipped.ships("src/acme/sub/x.py") and shipped.ships("tool.py")
    assert not shipped.ships("generate_schema.py") and not shipped.ships("src/acme_extra/x.py")
    assert shipped.what == "src/acme/, tool.py"
