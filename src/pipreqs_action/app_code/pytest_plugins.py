"""Pytest plugins a project ships inside its package: modules registered under the ``pytest11`` entry point.

Red-DiscordBot's pyproject.toml says::

    [project.entry-points.pytest11]
    red-discordbot = "redbot.pytest"

so pytest, and only pytest, loads ``redbot.pytest`` (fixtures for the bot's cog authors) when it starts; the bot
itself never imports it. What those files import is needed when the tests run, in the environment a test extra
describes: an import there that only a development declaration provides (``pytest`` in the ``test`` extra) is
satisfied the way a test's import is (``roles.believed``), never a run-time alarm. An import there that nothing
declares stays as it is: a plugin distribution (pytest-django) ships its plugin to its users.

Read from the project's packaging files as text, never run: ``[project.entry-points.pytest11]`` (and Poetry's
``[tool.poetry.plugins."pytest11"]``, or an inline ``pytest11 = { ... }``) in pyproject.toml, ``pytest11 =`` under
``[options.entry_points]`` in setup.cfg, and a literal ``"pytest11": [...]`` (or a string) in setup.py's
``entry_points``. A module covers itself and, when it is a package, every module below it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from pipreqs_action.manifests.base import Unreadable, load_text, real
from pipreqs_action.reading.lazy_regex import LazyPattern

__all__ = ["PytestPlugins", "find"]

_MODULE = r"(?P<module>[A-Za-z_][\w.]*)(?:[ \t]*:[ \t]*[\w.]+)?"
# compiled when a project registers a plugin is looked for (only for a development declaration: start-up)
_TABLE = LazyPattern(
    r"^[ \t]*\[[ \t]*(?:project\.entry-points|tool\.poetry\.plugins)[ \t]*\.[ \t]*([\"']?)pytest11\1[ \t]*\][ \t]*$",
    re.M,
)
_TABLE_ENTRY = LazyPattern(rf"^[ \t]*[\"']?[\w.-]+[\"']?[ \t]*=[ \t]*[\"']{_MODULE}[\"']", re.M)
_INLINE = LazyPattern(r"^[ \t]*[\"']?pytest11[\"']?[ \t]*=[ \t]*\{(?P<body>[^}]*)\}", re.M)
_QUOTED_VALUE = LazyPattern(rf"=[ \t]*[\"']{_MODULE}[\"']")
_CFG_KEY = LazyPattern(r"^pytest11[ \t]*[=:](?P<rest>[^\n]*)$", re.M)  # a key of [options.entry_points]
_CFG_ENTRY = LazyPattern(rf"^[ \t]*[\w.-]+[ \t]*=[ \t]*{_MODULE}[ \t]*$")
_SETUP_PY = LazyPattern(r"[\"']pytest11[\"'][ \t]*:[ \t]*(?P<body>\[[^\]]*\]|\([^)]*\)|[\"'][^\"'\n]*[\"'])")
_STRING_ENTRY = LazyPattern(rf"[\"'][ \t]*[\w.-]+[ \t]*=[ \t]*{_MODULE}[ \t]*[\"']")


class PytestPlugins(NamedTuple):
    """The plugin modules a project registers, each with where (``pyproject.toml:43``)."""

    modules: Mapping[str, str] = MappingProxyType({})

    def where(self, path: str) -> str:
        """Where the plugin holding the file at ``path`` (relative to the project) is registered, or ""."""
        if not self.modules or not path.endswith(".py"):
            return ""
        parts = path[: -len(".py")].split("/")
        if parts[-1] == "__init__":
            parts.pop()
        for dotted in {".".join(parts), ".".join(parts[1:]) if parts[0] == "src" else ""}:
            for module, location in self.modules.items():
                if dotted and (dotted == module or dotted.startswith(f"{module}.")):
                    return location
        return ""


def find(root: Path) -> PytestPlugins:
    """The ``pytest11`` plugins the packaging files at ``root`` register (none when there is no such file)."""
    found: dict[str, str] = {}
    for name, reader in (("pyproject.toml", _pyproject), ("setup.cfg", _setup_cfg), ("setup.py", _setup_py)):
        text = _text(root / name, root)
        if text and "pytest11" in text:
            for module, offset in reader(text):
                found.setdefault(module, f"{name}:{text.count(chr(10), 0, offset) + 1}")
    return PytestPlugins(found)


def _text(path: Path, root: Path) -> str:
    try:
        return load_text(real(path), real(root)) if path.is_file() else ""
    except (Unreadable, OSError):
        return ""  # the manifest readers report an unreadable file; here it only means no plugin is known


def _pyproject(text: str) -> list[tuple[str, int]]:
    """``[project.entry-points.pytest11]`` entries up to the next table, and inline ``pytest11 = { ... }`` tables."""
    found = []
    for header in _TABLE.finditer(text):
        following = re.search(r"^[ \t]*\[", text[header.end() :], re.M)
        end = header.end() + following.start() if following else len(text)
        found += [(entry["module"], entry.start("module")) for entry in _TABLE_ENTRY.finditer(text, header.end(), end)]
    for inline in _INLINE.finditer(text):
        found += [
            (value["module"], inline.start("body") + value.start("module"))
            for value in _QUOTED_VALUE.finditer(inline["body"])
        ]
    return found


def _setup_cfg(text: str) -> list[tuple[str, int]]:
    """``pytest11 =`` at the start of a line and its indented continuation lines, one ``name = module`` each."""
    found = []
    for key in _CFG_KEY.finditer(text):
        lines = [(key["rest"], key.start("rest"))]
        position = key.end() + 1
        for line in text[position:].split("\n"):
            if line.strip() and not line[0].isspace():
                break
            lines.append((line, position))
            position += len(line) + 1
        for line, start in lines:
            entry = _CFG_ENTRY.match(line)
            if entry:
                found.append((entry["module"], start + entry.start("module")))
    return found


def _setup_py(text: str) -> list[tuple[str, int]]:
    """A literal ``"pytest11": ["name = module", ...]`` (or one string) in ``entry_points``."""
    return [
        (entry["module"], value.start("body") + entry.start("module"))
        for value in _SETUP_PY.finditer(text)
        for entry in _STRING_ENTRY.finditer(value["body"])
    ]
