"""PEP 621 ``[project]``: ``dependencies`` (runtime) and ``optional-dependencies`` (extras; test/dev/docs extras
are development declarations). A ``dependencies = []`` is a declaration of nothing, not an absent table."""

from __future__ import annotations

from typing import Any

from pipreqs_action.manifests.base import Lines, Manifest, is_dev_name, table
from pipreqs_action.manifests.context import Context


def read(data: dict[str, Any], lines: Lines, manifest: Manifest, context: Context) -> None:
    project = table(data, "project")
    start = lines.header("project")
    if "dependencies" in project:
        found = lines.pep508_list(project["dependencies"], lines.key("dependencies", start), manifest)
        manifest.add("[project]", found)
    groups = table(project, "optional-dependencies")
    groups_start = lines.find("optional-dependencies", start)
    for group in sorted(groups):
        found = lines.pep508_list(groups[group], lines.key(group, groups_start), manifest)
        manifest.add(f"[project.optional-dependencies] {group}", found, dev=is_dev_name(group), extra=group)
