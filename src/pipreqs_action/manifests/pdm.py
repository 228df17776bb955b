"""PDM's ``[tool.pdm.dev-dependencies]``: groups of PEP 508 strings, development only. ``-e`` entries point at
local folders (``-e file:///${PROJECT_ROOT}/libs/x``): the project's own code, not distributions to match."""

from __future__ import annotations

from typing import Any

from pipreqs_action.manifests.base import Lines, Manifest, table
from pipreqs_action.manifests.context import Context


def read(data: dict[str, Any], lines: Lines, manifest: Manifest, context: Context) -> None:
    groups = table(data, "tool", "pdm", "dev-dependencies")
    start = lines.header("tool.pdm.dev-dependencies")
    for group in sorted(groups):
        values = groups[group]
        named = [value for value in values if not str(value).startswith("-e")] if isinstance(values, list) else []
        found = lines.pep508_list(named, lines.key(group, start), manifest)
        manifest.add(f"[tool.pdm.dev-dependencies] {group}", found, dev=True)
