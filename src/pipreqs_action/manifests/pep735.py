"""PEP 735 ``[dependency-groups]`` (what ``uv add --dev`` and ``uv add --group NAME`` write), never installed
with the package. ``{include-group = "x"}`` pulls another group's entries in.

A group named for development (``dev``, ``test``, ``lint``, ``docs``, ``typing``, ``ci``...: ``is_dev_name``)
holds tools: its entries satisfy tests and tooling, and an application import only it provides is "declared for
development only". Any other group (``bonus``, ``gpu``, ``prod``, ``server``) is the author declaring an optional
feature, like an extra: the code that needs it is installed with ``--group NAME``, so its entries satisfy imports."""

from __future__ import annotations

from typing import Any

from pipreqs_action.manifests.base import Lines, Manifest, is_dev_name, table
from pipreqs_action.manifests.context import Context
from pipreqs_action.model import Requirement


def read(data: dict[str, Any], lines: Lines, manifest: Manifest, context: Context) -> None:
    groups = table(data, "dependency-groups")
    start = lines.header("dependency-groups")
    own = {name: lines.pep508_list(groups[name], lines.key(name, start), manifest) for name in sorted(groups)}
    for name in sorted(groups):
        found = _with_includes(name, groups, own, (), manifest, lines, start)
        dev = is_dev_name(name)
        manifest.add(f"[dependency-groups] {name}", found, dev=dev, extra="" if dev else name)


def _with_includes(
    name: str,
    groups: dict[str, Any],
    own: dict[str, list[Requirement]],
    seen: tuple[str, ...],
    manifest: Manifest,
    lines: Lines,
    start: int,
) -> list[Requirement]:
    found = list(own.get(name, []))
    entries = groups.get(name)
    for entry in entries if isinstance(entries, list) else []:
        included = entry.get("include-group") if isinstance(entry, dict) else None
        if not isinstance(included, str):
            continue
        where = lines.location(lines.find(r"include-group", lines.key(name, start)))
        if included in seen or included == name:
            manifest.problem(where, f"include-group {included!r}: cycle")
        elif included not in groups:
            manifest.problem(where, f"include-group {included!r}: no such group")
        else:
            found += _with_includes(included, groups, own, (*seen, name), manifest, lines, start)
    return found
