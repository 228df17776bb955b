"""Optional integrations of a library: modules no entry point of the package reaches."""

from __future__ import annotations

from pathlib import Path

from pipreqs_action.app_code.reachability import Packages, console_scripts, optional_integrations, package_imports
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


# --- modules loaded by name at run time (bots' extensions, plugins) -------------------------------------------------

EXTENSIONS = [*FILES, "src/lib/exts/__init__.py", "src/lib/exts/fun.py", "src/lib/exts/games/chess.py"]


def test_a_package_that_walks_its_own_path_reaches_all_its_modules() -> None:
    packages = Packages(EXTENSIONS)
    text = "import pkgutil\nEXTENSIONS = [m.name for m in pkgutil.iter_modules(__path__)]\n"
    found = package_imports(text, "src/lib/exts/__init__.py", [("pkgutil", ())], packages)
    assert {"lib.exts.fun", "lib.exts.games.chess"} <= set(found)


def test_a_package_handed_to_a_loader_reaches_all_its_modules() -> None:
    packages = Packages(EXTENSIONS)
    text = "from lib import exts\n\nasync def setup(bot):\n    await bot.load_extensions(exts)\n"
    found = package_imports(text, "src/lib/core.py", [("lib", ("exts",))], packages)
    assert {"lib.exts", "lib.exts.fun", "lib.exts.games.chess"} <= set(found)
    walked = (
        "import pkgutil\nfrom lib import exts\nfor m in pkgutil.walk_packages(exts.__path__, 'lib.exts.'):\n  pass\n"
    )
    assert "lib.exts.fun" in package_imports(walked, "src/lib/core.py", [("lib", ("exts",))], packages)


def test_a_module_named_as_text_is_reached_with_everything_under_it() -> None:
    packages = Packages(EXTENSIONS)
    for call in ('bot.load_extension("lib.exts.fun")', 'importlib.import_module(f"lib.exts.{name}")'):
        found = package_imports(f"import importlib\n{call}\n", "src/lib/core.py", [("importlib", ())], packages)
        assert "lib.exts.fun" in found, call
    other = package_imports('import_module("requests.adapters")\n', "src/lib/core.py", [], packages)
    assert other == ()  # not the project's own


def test_scan_counts_dynamically_loaded_extensions_as_app_code() -> None:
    root = Path(__file__).resolve().parents[1] / "fixtures" / "projects" / "dynamic_extensions"
    found = {ref.root: ref for ref in scan(root).imports}
    assert not found["arrow"].secondary and not found["requests"].secondary
    assert "optional integration" in found["flask"].secondary


# --- guards one local import away -------------------------------------------------------------------------------


def test_a_guarded_import_of_a_local_module_is_told_from_the_file_s_other_imports() -> None:
    from pipreqs_action.intent.guarded_modules import guarded_local_imports

    packages = Packages(FILES)
    text = (
        "from lib import core\n"
        "try:\n    from .contrib import flask\nexcept ImportError:\n    flask = None\n"
        "def f():\n    try:\n        from . import _util\n    except ImportError:\n        pass\n"
        "from . import _util as plain\n"
    )
    found = guarded_local_imports(text, "src/lib/__init__.py", [("lib", 1, ("core",))], packages)
    assert found is not None
    assert [(item.line, item.reason) for item in found.guarded] == [
        (3, "guarded by except ImportError"),
        (8, "guarded by except ImportError"),
    ]
    assert "lib.contrib.flask" in found.guarded[0].modules
    assert "lib._util" in found.unguarded and "lib.contrib.flask" not in found.unguarded  # line 11 imports it too
    assert guarded_local_imports("from . import core\n", "src/lib/__init__.py", [], packages) is None


def test_scan_makes_the_imports_of_a_module_behind_a_guard_optional() -> None:
    root = Path(__file__).resolve().parents[1] / "fixtures" / "projects" / "guard_one_import_away"
    found = {ref.root: ref for ref in scan(root).imports}
    assert found["greenlet"].optional and found["greenlet"].reason.startswith("guarded by except ImportError at")
    assert found["zope"].optional  # one more plain import away, behind the same guard
    assert not found["requests"].optional  # both.py is imported plainly too
    assert not found["attrs"].optional


# --- typing-only modules: reached only through `if TYPE_CHECKING:` --------------------------------------------------


def test_imports_under_type_checking_are_told_from_the_file_s_run_time_imports() -> None:
    from pipreqs_action.intent.guarded_modules import guarded_local_imports

    packages = Packages(FILES)
    text = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from .contrib import shared\n    from lib import core\n"
        "def f():\n    from . import _util\n"
    )
    found = guarded_local_imports(text, "src/lib/__init__.py", [("lib", 4, ("core",))], packages)
    assert found is not None and found.guarded == ()
    assert {"lib.contrib.shared", "lib.core"} <= set(found.typing)
    assert "lib._util" in found.unguarded and "lib.core" not in found.unguarded
    assert "lib.contrib.shared" not in found.run_time()


def test_a_module_also_imported_at_run_time_inside_a_function_is_not_typing_only(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "lib"\n',
        "lib/__init__.py": "from .core import run\n",
        "lib/core.py": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from .payloads import Payload\n    from .typed import Typed\n"
            "def run():\n    from .payloads import build\n    return build()\n"
        ),
        "lib/payloads.py": "import msgspec\n",
        "lib/typed.py": "import typing_extensions\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, "utf-8")
    found = {ref.module: ref for ref in scan(tmp_path).imports}
    assert not found["msgspec"].type_only and not found["msgspec"].optional
    assert found["typing_extensions"].type_only
    assert found["typing_extensions"].reason == "in typing-only module lib/typed.py (imported only under TYPE_CHECKING)"
