"""``pyproject.toml``: every table that declares dependencies, each read by its own module.

[project] (PEP 621) and its optional dependencies, [dependency-groups] (PEP 735, what ``uv add --dev`` writes),
Poetry's main, group and legacy dev tables (also next to [project]), PDM's and uv's dev-dependencies,
setuptools' ``dynamic`` dependencies read from requirements files, and Hatch metadata hooks' dynamic ones.
A commented-out entry of a dependency list (``# "tensorrt>=8",``) names a package left out on purpose.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pipreqs_action.manifests import hatch_dynamic, pdm, pep621, pep735, poetry, setuptools_dynamic, uv
from pipreqs_action.manifests.base import Lines, Manifest, from_pep508, load_toml, table
from pipreqs_action.manifests.context import Context
from pipreqs_action.pep508 import parse_or_none

_COMMENTED_ENTRY = re.compile(r"^\s*#+\s*[\"'](?P<text>[^\"']+)[\"']\s*,?\s*(?:#.*)?$")


def read(path: Path, context: Context) -> Manifest:
    label = context.label(path)
    manifest = Manifest(label, "pyproject")
    loaded = load_toml(path, manifest, context.fence)
    if loaded is None:
        return manifest
    data, lines = loaded
    for reader in (pep621, setuptools_dynamic, hatch_dynamic, pep735, poetry, pdm, uv):
        reader.read(data, lines, manifest, context)
    manifest.project_name = _name(data)
    manifest.tool = _tool(data, path.parent)
    manifest.commented.extend(_commented(lines))
    return manifest


def _name(data: dict[str, Any]) -> str:
    name = table(data, "project").get("name") or table(data, "tool", "poetry").get("name")
    return name if isinstance(name, str) else ""


def _tool(data: dict[str, Any], folder: Path) -> str:
    """The installer that manages the project: its lock file, else its own table in pyproject.toml."""
    for tool in ("uv", "poetry", "pdm"):
        if (folder / f"{tool}.lock").is_file():
            return tool
    return next((tool for tool in ("uv", "poetry", "pdm") if tool in table(data, "tool")), "")


def _commented(lines: Lines) -> list[Any]:
    found = []
    for index, line in enumerate(lines.lines):
        match = _COMMENTED_ENTRY.match(line)
        if match is None:
            continue
        req = parse_or_none(match["text"])
        if req is None:
            continue
        found.append(from_pep508(req, lines.location(index), match["text"]))
    return found
