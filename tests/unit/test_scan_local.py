"""Local code resolved as Python does when scripts run: ancestors, sys.path literals, written and ignored modules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipreqs_action.local.elsewhere import resolve_elsewhere
from pipreqs_action.local.local_modules import LocalModules
from pipreqs_action.local.syspath import import_roots
from pipreqs_action.mapping import ImportNames
from pipreqs_action.model import ImportRef, Location, ScanResult, Suggestion
from pipreqs_action.scan import scan


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def modules(root: Path) -> list[str]:
    return sorted(ref.module for ref in scan(root).imports)


# --- LocalModules ---------------------------------------------------------------------------------------------------


def test_siblings_and_every_folder_above_are_searched_even_inside_a_package() -> None:
    local = LocalModules(["bot/__init__.py", "bot/main.py", "bot/settings.py", "svc/src/utils/x.py", "svc/src/a/b.py"])
    assert local.is_local("bot/main.py", "settings")  # python bot/main.py puts bot/ first on sys.path
    assert local.is_local("svc/src/a/b.py", "utils")  # a service started from svc/src/
    assert not local.is_local("main.py", "settings")  # but never a folder below the file
    assert not local.is_local("svc/src/a/b.py", "settings")


def test_a_package_module_sees_package_folders_only_when_a_script_runs_from_them() -> None:
    files = ["pkg/__init__.py", "pkg/redis.py", "pkg/core/__init__.py", "pkg/core/x.py", "tools/yaml.py"]
    files += ["tools/run.py", "app/__init__.py", "app/cli.py", "app/toml.py", "app/h.py"]
    local = LocalModules(files, package_modules=["pkg/core/x.py", "app/h.py"], script_folders=["app"])
    assert not local.is_local("pkg/core/x.py", "redis")  # loaded as pkg.core.x: pkg/ is not on sys.path
    assert local.is_local("pkg/core/y.py", "redis")  # no relative import: it may run as a script from pkg/core/
    assert local.is_local("pkg/core/x.py", "pkg")  # the folder holding the package is
    assert local.is_local("app/h.py", "toml")  # python app/cli.py puts app/ first for the whole process
    assert local.is_local("tools/a.py", "yaml", package_module=True)  # no __init__.py: a folder of scripts
    assert not local.is_local("pkg/y.py", "redis", package_module=True)


def test_added_roots_and_ignored_modules_are_importable() -> None:
    local = LocalModules(
        ["run/main.py", "lib/helper.py", "web/app.py"],
        import_roots=["lib"],
        ignored_modules=["**/config.py", "web/local_settings.py", "api/**/secrets.py"],
    )
    assert local.is_local("run/main.py", "helper")
    assert local.is_local("run/main.py", "config")  # a bare pattern: at any depth
    assert local.is_local("web/app.py", "local_settings")
    assert not local.is_local("run/main.py", "local_settings")
    assert local.is_local("api/v1/x.py", "secrets")
    assert not local.is_local("web/app.py", "secrets")


def test_anywhere_finds_a_module_in_any_folder() -> None:
    local = LocalModules(["components/core/__init__.py", "a/b/tool.py"])
    assert local.anywhere("core") == "components"
    assert local.anywhere("tool") == "a/b"
    assert local.anywhere("requests") is None


# --- sys.path literals ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "rel", "expected"),
    [
        ('sys.path.append(os.path.join(os.path.dirname(__file__), "lib"))', "bot/main.py", ("bot/lib",)),
        ('sys.path.insert(0, str(Path(__file__).parent / "src"))', "svc/run.py", ("svc/src",)),
        ('sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))', "svc/bin/run.py", ("svc/src",)),
        ('sys.path.append(os.path.join(os.path.dirname(__file__), "..", "lib"))', "pkg/a.py", ("lib",)),
        ('sys.path.append(Path(__file__).parents[1] / "common")', "a/b/c.py", ("a/common",)),
        ('site.addsitedir("vendor")', "app.py", ("vendor",)),
        ('sys.path[0:0] = ["lib", os.getcwd()]', "app.py", ("lib", "")),
        ('sys.path.extend(["a", "b"])', "app.py", ("a", "b")),
        ('sys.path.append("..")', "app.py", ()),  # outside the checked root
        ("sys.path.append(some_call())", "app.py", ()),  # not a literal: passed over
        ('# sys.path.append("lib")', "app.py", ()),
    ],
)
def test_literal_sys_path_calls_give_import_roots(line: str, rel: str, expected: tuple[str, ...]) -> None:
    assert import_roots(f"import os, sys, site\n{line}\n", rel) == expected


def test_a_name_assigned_above_the_call_is_followed() -> None:
    text = (
        "BASE = os.path.dirname(os.path.abspath(__file__))\n"
        "LIB = os.path.join(BASE, 'third')\n"
        "if LIB not in sys.path:\n"
        "    sys.path.insert(\n"
        "        0, LIB\n"
        "    )\n"
    )
    assert import_roots(text, "tools/run.py") == ("tools/third",)


def test_scan_resolves_imports_through_folders_put_on_sys_path(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "run/main.py": "import sys, os\nsys.path.append(os.path.join(os.path.dirname(__file__), '..', 'shared'))\n"
            "import helpers\nimport requests\n",
            "shared/helpers.py": "",
        },
    )
    assert modules(root) == ["requests"]


# --- notebooks and .gitignore ---------------------------------------------------------------------------------------


def notebook(*cells: str) -> str:
    return json.dumps(
        {"cells": [{"cell_type": "code", "source": cell, "metadata": {}} for cell in cells], "nbformat": 4}
    )


def test_a_module_a_notebook_writes_is_local_and_its_imports_are_read(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {"nb/train.ipynb": notebook("%%writefile model_utils.py\nimport torch\n", "import model_utils\nimport numpy")},
    )
    assert modules(root) == ["numpy", "torch"]


def test_modules_the_gitignore_names_are_local(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            ".gitignore": "config.py\n/web/local_settings.py\n*.pyc\n!keep.py\n",
            "app.py": "import config\nimport local_settings\n",
            "web/views.py": "import local_settings\nimport config\n",
        },
    )
    found = sorted((ref.location.path, ref.module) for ref in scan(root).imports)
    assert found == [("app.py", "local_settings")]


# --- after mapping: a module elsewhere in the tree ------------------------------------------------------------------


class FakeNames(ImportNames):
    """Knows the distributions in ``known``; nothing else (no index is opened)."""

    def __init__(self, known: set[str]) -> None:
        self.known = known

    def import_paths(self, ref: ImportRef) -> tuple[str, ...]:
        return (ref.root,)

    def suggest(self, import_path: str) -> Suggestion:
        return Suggestion(package=import_path, known=import_path in self.known)


def test_an_unknown_import_matching_a_module_elsewhere_in_the_tree_is_local(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "web/app.py": "import corelib\nimport redis\nimport nowhere\n",
            "components/corelib/__init__.py": "",
            "tools/redis.py": "",
        },
    )
    scanned = scan(root)
    assert dict(scanned.elsewhere) == {"corelib": "components", "redis": "tools"}
    resolved = resolve_elsewhere(scanned, FakeNames({"redis"}))
    assert sorted(ref.module for ref in resolved.imports) == ["nowhere", "redis"]  # redis is a real distribution
    (local,) = resolved.local
    assert (local.module, local.location) == ("corelib", Location("web/app.py", 1))
    assert "components/corelib" in local.reason


def test_nothing_elsewhere_leaves_the_scan_as_it_is() -> None:
    scanned = ScanResult((ImportRef("x", Location("a.py", 1)),))
    assert resolve_elsewhere(scanned, FakeNames(set())) is scanned


def test_a_file_named_like_the_package_it_imports_means_the_package() -> None:
    """``adapters/flask.py`` doing ``import flask`` wants Flask, not itself."""
    local = LocalModules(["pkg/adapters/flask.py", "pkg/adapters/other.py", "tools/redis.py", "redis/__init__.py"])
    assert not local.is_local("pkg/adapters/flask.py", "flask")
    assert local.is_local("pkg/adapters/other.py", "flask")  # a sibling still finds the file
    assert local.is_local("tools/redis.py", "redis")  # another folder on the path has it


def test_a_sub_package_named_like_the_library_it_wraps_imports_the_library() -> None:
    """``mylib/integrations/graphrag/search.py`` doing ``import graphrag`` wants GraphRAG, not its own package."""
    tree = [
        "mylib/__init__.py",
        "mylib/integrations/__init__.py",
        "mylib/integrations/graphrag/__init__.py",
        "mylib/integrations/graphrag/search.py",
        "mylib/integrations/helpers.py",
        "scripts/graphrag/run.py",
    ]
    local = LocalModules(tree)
    assert not local.is_local("mylib/integrations/graphrag/search.py", "graphrag")
    assert not local.is_local("mylib/integrations/graphrag/__init__.py", "graphrag")
    assert local.is_local("mylib/integrations/helpers.py", "graphrag")  # a sibling of the package finds it
    assert local.is_local("mylib/integrations/graphrag/search.py", "mylib")  # a top-level package is itself
    assert local.is_local("scripts/graphrag/run.py", "graphrag")  # no __init__.py: a folder of scripts
    namespace = LocalModules([path for path in tree if path != "mylib/integrations/__init__.py"])
    assert not namespace.is_local("mylib/integrations/graphrag/search.py", "graphrag")  # PEP 420 folder between
    shadowed = LocalModules([*tree, "mylib/integrations/graphrag/graphrag.py"])
    assert shadowed.is_local("mylib/integrations/graphrag/search.py", "graphrag")  # a module inside has the name


def test_a_folder_the_project_imports_as_a_sub_package_is_never_on_sys_path() -> None:
    """``src/acme/instrument/redis/client.py`` doing ``import redis`` while the project imports
    ``acme.instrument.redis.client``: ``src/acme/instrument/`` (namespace folders, no ``__init__.py``) is the
    sub-package ``acme.instrument``, so Python never searches it for ``redis``: the import is the library."""
    tree = [
        "src/acme/instrument/redis/__init__.py",
        "src/acme/instrument/redis/client.py",
        "src/acme/instrument/celery/__init__.py",
        "src/acme/instrument/compat.py",
        "svc/src/utils/x.py",
        "svc/src/a/b.py",
    ]
    qualified = ["acme.instrument.redis.client", "svc.models.base"]
    local = LocalModules(tree, qualified=qualified)
    assert not local.is_local("src/acme/instrument/redis/client.py", "redis")
    assert not local.is_local("src/acme/instrument/celery/__init__.py", "redis")  # a sibling sub-package too
    assert local.is_local("src/acme/instrument/compat.py", "redis")  # its own folder: it may run as a script
    assert local.is_local("src/acme/instrument/redis/client.py", "acme")  # src/ is an import root
    assert local.is_local("svc/src/a/b.py", "utils")  # no dotted import names svc/src/: a service run from there
    assert LocalModules(tree).is_local("src/acme/instrument/redis/client.py", "redis")  # no dotted import known
    assert LocalModules(tree, qualified=["acme.instrument"]).is_local("src/acme/instrument/redis/client.py", "redis")
    scripts = LocalModules(tree, qualified=qualified, script_folders=["src/acme/instrument"])
    assert scripts.is_local("src/acme/instrument/redis/client.py", "redis")  # a script runs from the folder
    added = LocalModules(tree, qualified=qualified, import_roots=["src/acme/instrument"])
    assert added.is_local("src/acme/instrument/redis/client.py", "redis")  # a file puts it on sys.path


def test_before_the_dotted_imports_are_known_an_import_a_sub_package_may_hide_is_kept() -> None:
    tree = ["src/acme/instrument/redis/__init__.py", "src/acme/instrument/redis/client.py", "tools/redis.py"]
    unknown = LocalModules(tree)
    assert unknown.may_hide("src/acme/instrument/redis/client.py", "redis")
    assert not unknown.may_hide("tools/redis.py", "redis")  # its own folder holds it
    assert not unknown.may_hide("tools/x/run.py", "redis")  # tools/ is one level deep: never a sub-package
    assert not LocalModules(tree, qualified=[]).may_hide("src/acme/instrument/redis/client.py", "redis")


def test_a_writefile_cell_resolves_its_imports_from_the_file_it_writes(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "course/05_modular.ipynb": notebook(
                "%%writefile going_modular/data_setup.py\nimport torchvision\n",
                "%%writefile going_modular/train.py\nimport data_setup\nimport torch\n",
            )
        },
    )
    assert modules(root) == ["torch", "torchvision"]


def test_a_sys_path_folder_of_published_packages_is_vendored_code(tmp_path: Path) -> None:
    """``pip install --target deps`` then ``sys.path.insert(0, "deps")``: no licence file, no dist-info left."""
    root = write(
        tmp_path,
        {
            "main.py": "import sys\nsys.path.insert(0, 'deps')\nimport requests\nimport click\n",
            "deps/requests/__init__.py": "import urllib3\n",
            "own/helpers/__init__.py": "import rich\n",
            "tool.py": "import sys\nsys.path.append('own')\nimport helpers\n",
        },
    )
    scanned = scan(root)
    assert dict(scanned.import_roots) == {"deps": ("requests",), "own": ("helpers",)}
    resolved = resolve_elsewhere(scanned, FakeNames({"requests", "click", "urllib3", "rich"}))
    found = {ref.module: ref.secondary for ref in resolved.imports}
    assert found == {"click": "", "urllib3": "vendored in deps/", "rich": ""}  # helpers is no published package
