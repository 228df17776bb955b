"""The Python versions a project supports, as its metadata declares them: ``requires-python`` of pyproject's
``[project]``, ``python_requires`` of setup.cfg's ``[options]``, or a literal ``python_requires`` of setup.py's
``setup(...)`` call (directly or through a module-level name), the first one found in that order.

Only consulted (``version_branches``: an import in a branch no supported Python takes is never required), so a
file that cannot be read, or a specifier that is not PEP 440, simply says nothing here; the manifest's own reader
reports what is wrong with the file.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from pipreqs_action.manifests.base import Lines, Unreadable, load_text, real, table, toml_data
from pipreqs_action.model import Location

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet

__all__ = ["RequiresPython", "read"]


class RequiresPython(NamedTuple):
    """A PEP 440 specifier of supported Pythons as written (``>=3.10``), and where it is written."""

    specifier: str
    location: Location

    @property
    def versions(self) -> SpecifierSet:
        from packaging.specifiers import SpecifierSet

        return SpecifierSet(self.specifier)


def read(root: Path) -> RequiresPython | None:
    """What ``root``'s metadata says about the Pythons it supports; None when it says nothing usable."""
    readers: tuple[Callable[[Path], RequiresPython | None], ...] = (_pyproject, _setup_cfg, _setup_py)
    for reader in readers:
        try:
            found = reader(root)
        except (Unreadable, OSError, ValueError, SyntaxError, RecursionError, MemoryError):
            continue
        if found is not None:
            return found
    return None


def valid(specifier: object, location: Location) -> RequiresPython | None:
    """A ``RequiresPython`` when ``specifier`` is a PEP 440 specifier string, else None."""
    if not isinstance(specifier, str) or not specifier.strip():
        return None
    from packaging.specifiers import InvalidSpecifier, SpecifierSet  # read only when a version branch needs it

    try:
        SpecifierSet(specifier.strip())
    except InvalidSpecifier:
        return None
    return RequiresPython(specifier.strip(), location)


def _pyproject(root: Path) -> RequiresPython | None:
    data = toml_data(root / "pyproject.toml", real(root))
    specifier = table(data, "project").get("requires-python")
    if data is None or specifier is None:
        return None
    lines = Lines(load_text(real(root / "pyproject.toml"), real(root)), "pyproject.toml")
    return valid(specifier, lines.location(lines.key("requires-python", lines.header("project"))))


def _setup_cfg(root: Path) -> RequiresPython | None:
    path = root / "setup.cfg"
    if not path.is_file():
        return None
    import configparser  # only a project with a setup.cfg needs it (start-up)

    text = load_text(real(path), real(root))
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    lines = Lines(text, "setup.cfg")
    specifier = parser.get("options", "python_requires", fallback=None)
    return valid(specifier, lines.location(lines.key("python_requires", 0)))


def _setup_py(root: Path) -> RequiresPython | None:
    path = root / "setup.py"
    if not path.is_file():
        return None
    from pipreqs_action.manifests.setup_py import module_names  # only a project with a setup.py needs it (start-up)

    tree = ast.parse(load_text(real(path), real(root)))
    names = module_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "python_requires":
            value = names.get(node.value.id, node.value) if isinstance(node.value, ast.Name) else node.value
            if isinstance(value, ast.Constant):
                return valid(value.value, Location("setup.py", node.value.lineno))
    return None
