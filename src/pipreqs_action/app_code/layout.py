"""Which code is the app's, and which is secondary code whose imports never open the issue.

A repository holds more than the application: tests, docs, examples and tutorials, maintainer scripts and
benchmarks, vendored copies of other projects, sub-projects with their own requirements. An import made only
there cannot break the deployed app, so it is reported in its own section with the reason ("only in examples/")
and never makes the report out of sync by default. Rules, outermost folder first:

- vendored code: ``vendor/``, ``_vendor/``, ``vendored/``, ``third_party/``, ``externals/`` at any depth, any
  folder the caller names as vendored (a ``lib/`` put on ``sys.path`` that holds other projects' packages), and
  files the caller names as copied from another project (``vendoring``);
- a sub-folder with a manifest of its own (``requirements.txt``, ``pyproject.toml``, ``setup.py``, ...) is a
  project of its own, unless it holds what the check declares;
- tests (``tests/``, ``test_*.py``, ``conftest.py``, Django's ``tests.py`` and ``test.py`` unless the README runs it:
  ``python test.py --weights x`` is how an ML repository evaluates its model), integration and end-to-end test
  folders (``integration_tests/``, ``e2e/`` anywhere; ``integration/`` beside a package and not a package itself),
  and packaging or task files (``setup.py``, ``noxfile.py``);
- folders whose name starts with a dot (``.github/scripts/``, ``.circleci/``, ``.devcontainer/``): CI and editor
  tooling, never what the app runs, at any depth;
- ``ci/`` (build and CI jobs), like the maintainer folders below, and ``static/`` when it is no package (the site's
  assets and the scripts that build them);
- ``examples/``, ``demos/``, ``samples/``, ``tutorials/``, ``benchmarks/``, ``tools/``, ``scripts/``, ``docs/``,
  ``extras/``, unless the folder is a sub-package of a package (``mypkg/tools/`` is the package's own code) or a
  package the app's code imports by its name (``imported_packages``: ``netbox/extras/`` is a Django app that the
  other apps import, ``from extras.models import Tag``), and for ``scripts/`` and ``tools/`` unless the README tells
  users to run a file in them (``python scripts/txt2img.py``: there they are the app's entry points);
- notebooks in ``notebooks/`` or ``examples/``, and notebooks at the root, when the repository's main code is
  ``.py`` files: a package, or scripts at the root (``train.py`` beside ``scaling_laws.ipynb``: the notebook is an
  analysis of the app, not the app). In a repository whose code *is* its notebooks (a book, a course, an
  analysis: no package, mostly ``.ipynb``) they are the app, wherever they sit, except in the secondary folders
  that are not more of the book (``docs/``, ``extras/``, ``tools/``...; ``examples/`` and ``tutorials/`` are)
  when the book has notebooks elsewhere.

When these folder names would leave no app code at all (a repository that *is* a set of examples), they are not
applied; code in a sub-project (not itself in such a folder) is app code there, of that project: a workspace root
whose code all lives in its members keeps its ``scripts/`` as tooling. The user's ``app`` patterns (gitignore
style) win over everything, then their ``secondary`` patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

    from pipreqs_action.local.local_modules import LocalModules

__all__ = ["MANIFEST_NAMES", "Layout", "imported_packages", "is_test_path"]

MANIFEST_NAMES = frozenset(
    {"requirements.txt", "pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "environment.yml", "environment.yaml"}
)
VENDOR_DIRS = frozenset({"vendor", "_vendor", "vendored", "third_party", "thirdparty", "externals"})
TEST_DIRS = frozenset({"tests", "test", "testing"})
# Integration and end-to-end test suites: tests by their name alone, at any depth.
E2E_DIRS = frozenset(
    {"integration_tests", "integration-tests", "e2e", "e2e_tests", "e2e-tests", "end_to_end", "end2end", "end-to-end"}
)
# ``integration/`` beside a package (``sdk/integration/`` next to ``sdk/mysdk/``) holds its integration tests; a
# package of that name (``mypkg/integration/``, or an ``integration/`` with an ``__init__.py``) is code.
INTEGRATION_DIR = "integration"
# A web app or a site serves ``static/`` as files: Python there builds them and is never imported by the app, unless
# the folder is a package (``static/__init__.py``) or a sub-package's (``mypkg/static/``).
ASSETS_DIR = "static"
SECONDARY_DIRS = frozenset(
    {
        "examples",
        "example",
        "demo",
        "demos",
        "samples",
        "sample",
        "tutorial",
        "tutorials",
        "benchmarks",
        "benchmark",
        "tools",
        "scripts",
        "docs",
        "doc",
        "bench",
        "extras",
        "devel",
        "ci",
    }
)
NOTEBOOK_DIRS = frozenset({"notebooks", "notebook", "nbs", "examples", "example"})
# In a repository of notebooks, notebooks in these folders are more of the book (its examples, demos, tutorials);
# in the other secondary folders (docs/, extras/, tools/, benchmarks/...) they are not.
BOOK_DIRS = frozenset({"examples", "example", "demo", "demos", "samples", "sample", "tutorial", "tutorials"})
ROOT_NOTEBOOK = "notebooks at the root (the app is the .py code)"
OWN_PROJECT = ", a project of its own"
_TOOLING_FILES = frozenset({"setup.py", "noxfile.py", "fabfile.py", "conftest.py"})
TESTS = "tests"
# Named like maintainer tooling, but the app's entry points when the README runs a file in them.
ENTRY_POINT_DIRS = frozenset({"scripts", "tools"})


def is_test_path(path: str) -> bool:
    """Tests, packaging and docs tooling by name alone: their imports (pytest, setuptools, sphinx) are not the app's."""
    pure = PurePosixPath(path)
    return _file_reason(pure.name) != "" or any(part in TEST_DIRS or part == "docs" for part in pure.parts[:-1])


def imported_packages(imports: Mapping[str, Iterable[str]], modules: LocalModules) -> frozenset[str]:
    """Package folders named like secondary code (``extras/``, ``tools/``...) that a file outside every folder named
    so, and outside tests, vendored code and dot-folders, imports by the folder's name, found from that file as Python
    finds it (``modules``): the app runs that package's code, so the name says nothing about it. ``imports``: each
    file with the top-level names it imports."""
    found: set[str] = set()
    for path, names in imports.items():
        wanted = [name for name in names if name in SECONDARY_DIRS]
        if not wanted or _named_apart(path):
            continue
        for name in wanted:
            module = modules.found_from(path, name) or ""
            if module.endswith("/") and modules.is_package(module.removesuffix("/")):
                found.add(module.removesuffix("/"))
    return frozenset(found)


def _named_apart(path: str) -> bool:
    """A file whose own path makes it secondary by name: in a folder named like tests, tooling, vendored code or a
    dot-folder, or named like a test or packaging file."""
    folders = PurePosixPath(path).parts[:-1]
    apart = SECONDARY_DIRS | TEST_DIRS | E2E_DIRS | VENDOR_DIRS
    return is_test_path(path) or any(part in apart or part.startswith(".") for part in folders)


def _is_manifest(path: str) -> bool:
    return path.rpartition("/")[2] in MANIFEST_NAMES


def _file_reason(name: str) -> str:
    if name in _TOOLING_FILES:
        return TESTS if name == "conftest.py" else name
    if (
        (name.startswith("test_") and name.endswith((".py", ".ipynb")))
        or name.endswith("_test.py")
        or name in ("tests.py", "test.py")
    ):
        return TESTS
    return ""


class Layout:
    """Classifies each file of one checked tree; answers are cached per folder, so a big tree stays linear."""

    def __init__(
        self,
        paths: Sequence[str],
        *,
        manifests: Iterable[str] = (),
        modules: Iterable[str] = (),
        declared_in: Iterable[str] = (),
        vendored: Iterable[str] = (),
        imported: Iterable[str] = (),
        copied: Mapping[str, str] | None = None,
        readme: str = "",
        secondary: Sequence[str] = (),
        app: Sequence[str] = (),
    ) -> None:
        self._packages = frozenset(path[: -len("/__init__.py")] for path in paths if path.endswith("/__init__.py"))
        self._package_parents = frozenset(folder.rpartition("/")[0] for folder in self._packages)
        self._vendored = frozenset(folder.strip("/") for folder in vendored if folder.strip("/"))
        self._imported = frozenset(imported)  # packages named like secondary code that the app imports
        self._copied = dict(copied or {})
        self._modules = frozenset(modules)  # files named like tooling (setup.py) that are the app's modules
        self._later: dict[str, str] = {}
        self._entry_folders = entry_folders(readme)
        self._entry_files = entry_files(readme)
        declared_folders = {PurePosixPath(source).parent.as_posix() for source in declared_in}
        manifests = list(manifests)
        root_manifest = any("/" not in path and _is_manifest(path) for path in manifests)
        self._projects = frozenset(
            folder
            for folder in (PurePosixPath(path).parent.as_posix() for path in manifests if _is_manifest(path))
            if folder != "." and folder not in declared_folders and (root_manifest or declared_folders)
        )
        self._app = _spec(app)
        self._secondary = _spec(secondary)
        has_package = any(folder.count("/") == 0 or folder.startswith("src/") for folder in self._packages)
        notebooks = [path for path in paths if path.endswith(".ipynb")]
        self._notebook_repo = not has_package and len(notebooks) * 2 >= len(paths) > 0
        code_repo = not self._notebook_repo and (has_package or _has_root_code(paths))
        self._notebook_dirs = NOTEBOOK_DIRS if code_repo else frozenset()
        self._root_notebooks_apart = code_repo
        self._book_dirs_only = self._notebook_repo and any(_in_the_book(path) for path in notebooks)
        self._folders: dict[tuple[str, bool], str] = {}
        self._by_name = True
        self._by_name = not all(self._apart_from_any_app(path) for path in paths)
        self._folders.clear()

    def _apart_from_any_app(self, path: str) -> bool:
        """Secondary code that is no project's app: a file of a sub-project outside the secondary folders
        (``libs/core/``, a workspace member) is that project's app code, so a repository holding it is no repository
        of examples."""
        reason = self.reason(path)
        if not reason.endswith(OWN_PROJECT):
            return bool(reason)
        folder = reason.removesuffix(OWN_PROJECT).rstrip("/")
        return any(part in SECONDARY_DIRS or part in TEST_DIRS for part in folder.split("/"))

    def add_reasons(self, reasons: Mapping[str, str]) -> None:
        """Reasons found later for single files of the app's code (an optional integration of a library)."""
        self._later.update(reasons)

    def claimed(self, path: str) -> bool:
        """The user's ``app`` patterns name ``path``: no rule, of this module or any other, makes it secondary."""
        return self._app is not None and bool(self._app.match_file(path))

    def reason(self, path: str) -> str:
        """Why ``path`` is secondary code ("examples/", "tests", "vendored in lib/"...), or "" for the app's code."""
        if self.claimed(path):
            return ""
        if self._secondary is not None and self._secondary.match_file(path):
            return "a configured secondary path"
        directory, _, name = path.rpartition("/")
        notebook = name.endswith(".ipynb")
        folder = self._folder_reason(directory, notebook)
        if folder:
            return folder
        if notebook and not directory and self._root_notebooks_apart and self._by_name:
            return ROOT_NOTEBOOK
        if path in self._later:
            return self._later[path]
        if path in self._copied:
            return f"a file copied from {self._copied[path]}"
        if name == "test.py" and path in self._entry_files:
            return ""  # `python test.py --checkpoint x` in the README: the model's evaluation, an entry point
        if path in self._modules:
            return ""  # a module named setup.py that is no packaging script (``setup_script``)
        return _file_reason(name)

    def _integration_tests(self, folder: str, name: str, parent: str) -> bool:
        """``integration/`` beside a package, not a package itself nor inside one: that package's integration
        tests (``sdk/integration/graph/*.py`` served to the tests by docker-compose)."""
        return (
            name == INTEGRATION_DIR
            and parent in self._package_parents
            and folder not in self._packages
            and parent not in self._packages
        )

    def _folder_reason(self, directory: str, notebook: bool) -> str:
        """Cached per folder: every file of a folder shares its answer."""
        key = (directory, notebook)
        if key not in self._folders:
            parts = directory.split("/") if directory else []
            found = (
                self._one_folder("/".join(parts[: depth + 1]), part, "/".join(parts[:depth]), notebook)
                for depth, part in enumerate(parts)
            )
            self._folders[key] = next((reason for reason in found if reason), "")
        return self._folders[key]

    def _one_folder(self, folder: str, name: str, parent: str, notebook: bool) -> str:
        if name in VENDOR_DIRS or folder in self._vendored:
            return f"vendored in {folder}/"
        if folder in self._projects:
            return f"{folder}/{OWN_PROJECT}"
        if name in TEST_DIRS or name in E2E_DIRS or self._integration_tests(folder, name, parent):
            return TESTS
        if name.startswith(".") and name not in (".", ".."):  # .github/, .circleci/, .devcontainer/: CI and tooling
            return f"{name}/"
        if not self._by_name or parent in self._packages:
            return ""
        if name == ASSETS_DIR and folder not in self._packages:
            return f"{name}/"  # files served as they are, and the scripts that build them (a PDF's post-processing)
        if notebook and self._notebook_repo and (name in BOOK_DIRS or not self._book_dirs_only):
            return ""
        if name in ENTRY_POINT_DIRS and folder in self._entry_folders:
            return ""
        if folder in self._imported:
            return ""  # a package the app's code imports by its name (a Django app named extras/)
        if name in SECONDARY_DIRS or (notebook and name in self._notebook_dirs):
            return f"{name}/"
        return ""


# `python scripts/txt2img.py --prompt ...` or `python -m tools.convert` in the README: how the app is run.
_RUN = re.compile(r"\bpython[\d.]*\s+(?:-[A-Za-z]+\s+)*(?:(?P<path>[\w./-]+)\.py\b|-m\s+(?P<module>[\w.]+))")


def entry_folders(readme: str) -> frozenset[str]:
    """Folders whose files the README tells users to run: there ``scripts/`` is the app, not maintainer tooling."""
    found = set()
    for match in _RUN.finditer(readme):
        path = match["path"] or (match["module"] or "").replace(".", "/")
        folder = path.removeprefix("./").rpartition("/")[0]
        if folder and not folder.startswith(("/", "..")):
            found.add(folder)
    return frozenset(found)


def entry_files(readme: str) -> frozenset[str]:
    """Files the README tells users to run (``python test.py --weights x``), relative to the root."""
    found = set()
    for match in _RUN.finditer(readme):
        if match["path"]:
            path = match["path"].removeprefix("./")
            if not path.startswith(("/", "..")):
                found.add(f"{path}.py")
    return frozenset(found)


def _has_root_code(paths: Sequence[str]) -> bool:
    """Python files at the root that are the app's (``train.py``), not tooling (``setup.py``) or tests."""
    return any("/" not in path and path.endswith((".py", ".pyw")) and not _file_reason(path) for path in paths)


def _in_the_book(notebook: str) -> bool:
    """A notebook of a notebook repository outside docs/, extras/, tools/... (the folders that are not the book)."""
    return not any(part in SECONDARY_DIRS - BOOK_DIRS for part in notebook.split("/")[:-1])


def _spec(patterns: Sequence[str]) -> GitIgnoreSpec | None:
    """The user's patterns (validated by settings); pathspec is imported only when there are some."""
    if not patterns:
        return None
    from pipreqs_action.reading.ignore_rules import compile_patterns

    return compile_patterns(patterns)
