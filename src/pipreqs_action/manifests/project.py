"""The project a folder holds: its distribution name (from its own metadata) and the import names it provides.

Used for ``-e .``, ``.`` and local path requirement lines, and for the checked project itself: its own import
names are first-party, whatever folder layout its packaging configuration chose. Metadata is read, never run:
pyproject ``[project]`` / ``[tool.poetry]`` name, ``setup.cfg`` ``[metadata] name``, a literal ``setup(name=...)``.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import NamedTuple

from pipreqs_action.manifests.base import Unreadable, load_text, real, table

_NOT_MODULES = frozenset({"setup", "conftest", "noxfile", "fabfile", "tasks", "manage"})
_NOT_PACKAGES = frozenset({"tests", "test", "testing", "docs", "doc", "examples", "scripts", "benchmarks"})


class Project(NamedTuple):
    name: str  # "" when the folder's metadata does not say
    import_names: tuple[str, ...]


def identify(folder: Path, fence: Path) -> Project:
    """Name and import names of the project in ``folder`` (inside ``fence``, the checked tree)."""
    name = _name(folder, fence)
    found = set(_top_level(folder)) | set(_top_level(folder / "src"))
    if name:
        found.add(name.replace("-", "_").replace(".", "_").lower())
    return Project(name, tuple(sorted(found)))


def _name(folder: Path, fence: Path) -> str:
    for reader in (_pyproject_name, _setup_cfg_name, _setup_py_name):
        try:
            name = reader(folder, fence)
        except (Unreadable, ValueError, SyntaxError, RecursionError, MemoryError):
            continue  # an unreadable file names nothing; its own reader reports why
        if name:
            return name
    return ""


def _pyproject_name(folder: Path, fence: Path) -> str:
    path = folder / "pyproject.toml"
    if not path.is_file():
        return ""
    from pipreqs_action.reading.toml_documents import loads  # only a folder with a pyproject.toml needs it

    data = loads(load_text(real(path), fence))
    name = table(data, "project").get("name") or table(data, "tool", "poetry").get("name")
    return name if isinstance(name, str) else ""


def _setup_cfg_name(folder: Path, fence: Path) -> str:
    path = folder / "setup.cfg"
    if not path.is_file():
        return ""
    import configparser  # only a folder with a setup.cfg needs it (start-up)

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(load_text(real(path), fence))
        return parser.get("metadata", "name", fallback="").strip()
    except configparser.Error:
        return ""  # names nothing; the setup.cfg reader reports why


def _setup_py_name(folder: Path, fence: Path) -> str:
    path = folder / "setup.py"
    if not path.is_file():
        return ""
    for node in ast.walk(ast.parse(load_text(real(path), fence))):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                    value = keyword.value.value
                    return value if isinstance(value, str) else ""
    return ""


def _top_level(folder: Path) -> list[str]:
    """Packages (folders with ``__init__.py``) and modules directly in ``folder``: what ``import x`` finds."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    names = []
    for entry in entries:
        stem, _, suffix = entry.name.rpartition(".")
        if entry.is_file() and suffix in ("py", "pyw") and stem.isidentifier() and stem not in _NOT_MODULES:
            names.append(stem)
        elif _is_package(entry):
            names.append(entry.name)
    return names


def _is_package(entry: os.DirEntry[str]) -> bool:
    name = entry.name
    return (
        entry.is_dir()
        and name.isidentifier()
        and name not in _NOT_PACKAGES
        and Path(entry.path, "__init__.py").is_file()
    )
