"""The import index reads modules that a distribution's .pth file puts on sys.path (pywin32's win32/lib)."""

from __future__ import annotations

import pytest

from pipreqs_action.mapping import ImportNames, load_import_names
from pipreqs_action.metadata.import_index import PATH_ENTRY, Provider
from pipreqs_action.metadata.index_build import path_entry_modules

PYWIN32_PATH_ENTRY_MODULES = ["winioctlcon", "win32con", "win32evtlogutil", "pywintypes", "win32timezone", "sspi"]
PYWIN32_TOP_LEVEL = ["win32api", "win32gui", "pythoncom", "win32com", "win32file", "servicemanager"]


@pytest.fixture
def names() -> ImportNames:
    return load_import_names()


def test_modules_listed_under_a_folder_that_is_no_package_arepath_entry_modules() -> None:
    listed = ["win32api", "win32comext", "win32\\lib\\win32con", "win32\\lib\\pywintypes", "win32\\winxpgui"]
    assert list(path_entry_modules("pywin32", listed)) == ["win32con", "pywintypes", "winxpgui"]


@pytest.mark.parametrize(
    ("key", "listed"),
    [
        ("slixmppfix", ["slixmpp", "slixmpp\\plugins\\google"]),  # a sub-package of a listed package
        ("funcsforspo", ["FuncsForSPO\\fpdf"]),  # a folder named after the distribution itself
        ("createai", ["C:\\MyUse\\code\\python\\createai"]),  # a build machine's absolute path
        ("lettuce", ["lettuce.django\\tests"]),  # not a folder of identifiers
        ("plain", ["plain"]),  # no folder at all
    ],
)
def test_sub_packages_and_junk_paths_are_notpath_entry_modules(key, listed) -> None:
    assert list(path_entry_modules(key, listed)) == []


def test_a_path_entry_module_ranks_like_a_listed_one() -> None:
    assert Provider("pywin32", "pywin32", PATH_ENTRY).rank == 0
    assert Provider("google-cloud-x", "google-cloud-x", 1).rank == 1


@pytest.mark.parametrize("module", PYWIN32_PATH_ENTRY_MODULES + PYWIN32_TOP_LEVEL)
def test_a_declared_pywin32_provides_every_module_it_installs(names, module) -> None:
    assert names.satisfies(names.provides("pywin32"), module)


@pytest.mark.parametrize("module", PYWIN32_PATH_ENTRY_MODULES)
def test_a_path_entry_module_suggests_its_distribution(names, module) -> None:
    assert names.suggest(module).package == "pywin32"
