from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from pipreqs_action.app_code.layout import is_test_path
from pipreqs_action.local.local_modules import LocalModules
from pipreqs_action.metadata import stdlib_names
from pipreqs_action.model import ImportRef, Location
from pipreqs_action.scan import scan, standard_library


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def modules(refs: tuple[ImportRef, ...]) -> list[str]:
    return [ref.module for ref in refs]


# --- what is third-party ------------------------------------------------------------------------------------------


def test_stdlib_relative_future_and_local_imports_are_left_out(tmp_path) -> None:
    root = write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/helpers.py": "",
            "pkg/main.py": (
                "from __future__ import annotations\n"
                "import os, sys\n"
                "from . import helpers\n"
                "from .helpers import x\n"
                "from pkg import helpers\n"
                "import requests\n"
                "from yaml import safe_load\n"
            ),
        },
    )
    result = scan(root)
    assert modules(result.imports) == ["requests", "yaml"]
    assert [ref.location for ref in result.imports] == [Location("pkg/main.py", 6), Location("pkg/main.py", 7)]
    assert result.imports[1].names == ("safe_load",)
    assert result.files_scanned == 3


def test_text_that_only_looks_like_an_import_is_not_one(tmp_path) -> None:
    root = write(
        tmp_path,
        {
            "app.py": (
                '"""Usage:\n\n    import not_a_module\n"""\n'
                "# import commented_out\n"
                "text = 'import in_a_string'\n"
                "import real_one\n"
            )
        },
    )
    assert modules(scan(root).imports) == ["real_one"]
    assert modules(scan(root, full_parse=True).imports) == ["real_one"]


def test_context_flags_travel_with_each_import(tmp_path) -> None:
    root = write(
        tmp_path,
        {
            "app.py": (
                "from typing import TYPE_CHECKING\n"
                "import importlib\n"
                "try:\n"
                "    import ujson\n"
                "except ImportError:\n"
                "    ujson = None\n"
                "if TYPE_CHECKING:\n"
                "    from boto3 import Session\n"
                "codec = importlib.import_module('msgpack')\n"
            )
        },
    )
    for full in (False, True):
        refs = {ref.module: ref for ref in scan(root, full_parse=full).imports}
        assert sorted(refs) == ["boto3", "msgpack", "ujson"]
        assert (refs["ujson"].optional, refs["ujson"].type_only, refs["ujson"].dynamic) == (True, False, False)
        assert (refs["boto3"].optional, refs["boto3"].type_only, refs["boto3"].dynamic) == (False, True, False)
        assert (refs["msgpack"].optional, refs["msgpack"].type_only, refs["msgpack"].dynamic) == (False, False, True)


def test_notebook_imports_are_located_in_the_ipynb_file(tmp_path) -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["import in_markdown\n"]},
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "source": ["%pip install pandas\n", "!ls\n", "import pandas as pd\n", "import numpy"],
            },
        ],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    text = json.dumps(notebook, indent=1)
    root = write(tmp_path, {"nb.ipynb": text})
    lines = text.splitlines()
    refs = scan(root).imports
    assert modules(refs) == ["pandas", "numpy"]
    for ref in refs:
        assert ref.location.path == "nb.ipynb"
        assert f"import {ref.module}" in lines[ref.location.line - 1]


def test_unreadable_files_are_skipped_sorted_and_the_rest_is_scanned(tmp_path) -> None:
    root = write(tmp_path, {"z_py2.py": 'print "hi"\n', "a_conflict.py": "<<<<<<< HEAD\n", "ok.py": "import attr\n"})
    (root / "m_nul.py").write_bytes(b"import x\0\n")
    result = scan(root)
    assert [item.path for item in result.skipped] == ["a_conflict.py", "m_nul.py", "z_py2.py"]
    assert all(item.reason for item in result.skipped)
    assert modules(result.imports) == ["attr"]
    assert result.files_scanned == 4


def test_excluded_paths_are_not_read(tmp_path) -> None:
    root = write(
        tmp_path, {"app.py": "import requests\n", "vendor/lib.py": "import six\n", "vendor/bad.py": "print 1\n"}
    )
    result = scan(root, exclude=["vendor/"])
    assert modules(result.imports) == ["requests"]
    assert result.skipped == ()
    assert result.files_scanned == 1


# --- the project's own modules ------------------------------------------------------------------------------------

TREE = [
    "utils.py",
    "app/__init__.py",
    "app/main.py",
    "app/views/__init__.py",
    "app/views/home.py",
    "src/mypkg/__init__.py",
    "src/mypkg/core.py",
    "nspkg/plugins/loader.py",
    "scripts/deploy.py",
    "scripts/notes.py",
    "tools/redis.py",
    "tools/other.py",
    "lib/shared.py",
    "lib/inner/__init__.py",
    "lib/inner/mod.py",
    "gui/window.pyw",
    "analysis/report.ipynb",
]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("app/main.py", "utils"),  # a module at the root
        ("scripts/deploy.py", "utils"),
        ("app/main.py", "mypkg"),  # src layout
        ("app/main.py", "app"),  # its own package
        ("app/views/home.py", "app"),
        ("app/main.py", "nspkg"),  # a namespace package: a directory without __init__.py
        ("scripts/deploy.py", "notes"),  # a script folder: its siblings
        ("tools/other.py", "redis"),
        ("lib/inner/mod.py", "shared"),  # the folder holding the top-level package is on sys.path
        ("app/main.py", "views"),  # `python app/main.py` puts app/ first on sys.path, __init__.py or not
        ("app/views/home.py", "main"),  # any folder above the file, up to the root
    ],
)
def test_names_the_file_can_import_from_the_project(path, name) -> None:
    assert LocalModules(TREE).is_local(path, name)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("app/main.py", "redis"),  # tools/redis.py is no help outside tools/
        ("utils.py", "redis"),
        ("app/main.py", "deploy"),  # script siblings are not importable from elsewhere
        ("app/main.py", "report"),  # a notebook is not a module
        ("app/main.py", "requests"),
    ],
)
def test_names_the_file_cannot_import_from_the_project(path, name) -> None:
    assert not LocalModules(TREE).is_local(path, name)


def test_a_pyw_module_is_importable_beside_it() -> None:
    assert LocalModules(TREE).is_local("gui/other.py", "window")
    assert not LocalModules(TREE).is_local("app/main.py", "window")


def test_a_deep_module_hides_a_package_only_beside_it_when_scanning(tmp_path) -> None:
    root = write(tmp_path, {"app/__init__.py": "", "app/main.py": "import redis\n", "tools/redis.py": ""})
    write(root, {"tools/other.py": "import redis\n"})
    assert [str(ref.location) for ref in scan(root).imports] == ["app/main.py:1"]


# --- helpers ----------------------------------------------------------------------------------------------------


def test_the_standard_library_list_covers_this_interpreter_and_older_releases() -> None:
    names = standard_library()
    assert names >= sys.stdlib_module_names
    assert "" not in names
    assert names.isdisjoint({"requests", "yaml", "numpy"})
    assert names == stdlib_names.standard_library()  # the list itself is tested in test_stdlib_names.py


@pytest.mark.parametrize(
    "path",
    [
        "tests/test_app.py",
        "test/helpers.py",
        "pkg/tests/data/factory.py",
        "testing/fixtures.py",
        "docs/conf.py",
        "conftest.py",
        "pkg/conftest.py",
        "setup.py",
        "noxfile.py",
        "fabfile.py",
        "test_app.py",
        "app_test.py",
        "app/tests.py",  # Django's convention: the app's tests module
    ],
)
def test_test_docs_and_packaging_paths(path) -> None:
    assert is_test_path(path)


@pytest.mark.parametrize(
    "path", ["app.py", "contest.py", "latest.py", "testsuite/app.py", "app/tested.py", "attest/x.py"]
)
def test_application_paths(path) -> None:
    assert not is_test_path(path)
