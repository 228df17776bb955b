"""Optional integrations of a library: modules no entry point of the package reaches."""

from __future__ import annotations

from pathlib import Path

from pipreqs_action.reachability import Packages, console_scripts, optional_integrations, package_imports
from pipreqs_action.scan import scan

FILES = [
    "src/lib/__init__.py",
    "src/lib/core.py",
    "src/lib/_util.py",
    "src/lib/cli.py",
    "src/lib/contrib/__init__.py",
    "src/lib/contrib/flask.py",
    "src/lib/contrib/django.py",
    "src/lib/contrib/shared.py",
    "manage.py",
]


def test_module_names_and_the_files_an_import_runs() -> None:
    packages = Packages(FILES)
    assert packages.names == {"lib"}
    assert packages.module_of("src/lib/contrib/flask.py") == "lib.contrib.flask"
    assert packages.module_of("src/lib/__init__.py") == "lib"
    assert packages.module_of("manage.py") is None
    assert packages.path_of("lib.contrib.flask") == [
        "src/lib/__init__.py",
        "src/lib/contrib/__init__.py",
        "src/lib/contrib/flask/__init__.py",
        "src/lib/contrib/flask.py",
    ]


def test_absolute_and_relative_imports_of_the_package_are_gathered() -> None:
    packages = Packages(FILES)
    text = "from . import _util\nfrom .contrib import (  # adapters\n    shared,  # one\n)\nfrom ..x import y\n"
    modules = [("lib.core", ("Client",)), ("requests", ())]
    found = package_imports(text, "src/lib/cli.py", modules, packages)
    assert set(found) == {"lib.core", "lib._util", "lib", "lib.contrib", "lib.contrib.shared"}  # Client: no module


GRAPH = {
    "src/lib/__init__.py": ["lib.core"],
    "src/lib/core.py": ["lib._util"],
    "src/lib/contrib/django.py": ["lib.contrib.shared"],
    "manage.py": [],
}


def judge(graph: dict[str, list[str]], manifests: list[str], scripts: tuple[str, ...] = ()) -> dict[str, str]:
    return optional_integrations(
        FILES, graph, packages=Packages(FILES), app_code=FILES, manifests=manifests, scripts=scripts
    )


def test_modules_no_entry_point_reaches_are_optional_integrations() -> None:
    found = judge(GRAPH, ["pyproject.toml"], scripts=("lib.cli",))
    assert sorted(found) == [
        "src/lib/contrib/__init__.py",
        "src/lib/contrib/django.py",
        "src/lib/contrib/flask.py",
        "src/lib/contrib/shared.py",
    ]
    assert found["src/lib/contrib/flask.py"] == (
        "src/lib/contrib/flask.py, which nothing in the package imports (an optional integration)"
    )


def test_without_the_console_script_the_cli_is_unreached_too() -> None:
    assert "src/lib/cli.py" in judge(GRAPH, ["setup.cfg"])


def test_an_app_not_a_library_is_never_judged() -> None:
    assert judge(GRAPH, ["requirements.txt"]) == {}


def test_a_package_whose_init_imports_nothing_of_its_own_is_never_judged() -> None:
    graph = {**GRAPH, "src/lib/__init__.py": ["requests"]}
    assert judge(graph, ["pyproject.toml"]) == {}


def test_console_scripts_are_read_from_packaging_files() -> None:
    texts = {
        "pyproject.toml": '[project.scripts]\nlib = "lib.cli:main"\n[build-system]\nbuild-backend = "x.y"\n',
        "setup.py": "setup(entry_points={'console_scripts': ['lib-admin=lib.admin:run']})\n",
    }
    assert console_scripts(texts) == ("lib.cli", "lib.admin")


def test_scan_marks_the_imports_of_an_unreached_adapter_as_secondary(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "lib"\n',
        "lib/__init__.py": "from .core import run\n",
        "lib/core.py": "import rich\n",
        "lib/adapters/__init__.py": "",
        "lib/adapters/flask.py": "import flask\nfrom lib.core import run\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, "utf-8")
    found = {ref.module: ref.secondary for ref in scan(tmp_path).imports}
    assert found["rich"] == ""
    assert found["flask"].startswith("lib/adapters/flask.py, which nothing in the package imports")
