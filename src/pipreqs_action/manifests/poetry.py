"""Poetry's tables: ``[tool.poetry.dependencies]`` (runtime), ``[tool.poetry.group.<name>.dependencies]``
(``main`` is runtime, a group named for development is development, any other one an optional feature, as
for PEP 735 groups) and the legacy ``[tool.poetry.dev-dependencies]``; read also next to a
``[project]`` table (Poetry 2 keeps its groups here)."""

from __future__ import annotations

from typing import Any

from pipreqs_action.manifests.base import Lines, Manifest, from_pep508, is_dev_name, message, short, table
from pipreqs_action.manifests.context import Context
from pipreqs_action.model import Location, Requirement
from pipreqs_action.pep508 import InvalidRequirement, parse


def read(data: dict[str, Any], lines: Lines, manifest: Manifest, context: Context) -> None:
    poetry = table(data, "tool", "poetry")
    if "dependencies" in poetry:
        manifest.add(
            "[tool.poetry.dependencies]", entries(lines, poetry["dependencies"], "tool.poetry.dependencies", manifest)
        )
    if "dev-dependencies" in poetry:
        header = "tool.poetry.dev-dependencies"
        manifest.add(f"[{header}]", entries(lines, poetry["dev-dependencies"], header, manifest), dev=True)
    groups = table(poetry, "group")
    for group in sorted(groups):
        header = f"tool.poetry.group.{group}.dependencies"
        found = entries(lines, table(groups, group, "dependencies"), header, manifest)
        if group == "main":
            manifest.add(f"[{header}]", found)
        else:
            manifest.add(f"[{header}]", found, dev=is_dev_name(group), extra=group)


def entries(lines: Lines, values: Any, header: str, manifest: Manifest) -> list[Requirement]:
    """Entries of a ``name = spec`` table (Poetry, Pipfile), each at its line; ``python`` is the interpreter."""
    from packaging.utils import InvalidName  # only a project with such a table imports packaging

    start = lines.header(header)
    found: list[Requirement] = []
    for name, spec in (values if isinstance(values, dict) else {}).items():
        if name.lower() == "python":
            continue
        location = lines.location(lines.key(name, start))
        try:
            found.append(from_table_entry(name, spec, location))
        except (InvalidName, InvalidRequirement) as exc:
            manifest.problem(location, f"{short(name)}: {message(exc)}")
    return found


def from_table_entry(name: str, spec: Any, location: Location) -> Requirement:
    """An entry (``"^1.2"`` or ``{version, extras, markers, git|url|path, develop|editable}``) as a PEP 508 value.

    Poetry's own ranges (``^``, ``~``, ``*``, a bare version) are not PEP 440, so they are left out of the
    specifier and the line; the name is what matching needs.
    """
    details = spec if isinstance(spec, dict) else {"version": spec}
    extras = details.get("extras") if isinstance(details.get("extras"), list) else []
    text = f"{name}[{','.join(map(str, extras))}]" if extras else name
    text += _pep440(details.get("version"))
    if isinstance(details.get("markers"), str):
        text += f"; {details['markers']}"
    from packaging.utils import canonicalize_name

    canonicalize_name(name, validate=True)
    req = parse(text)
    url = next((str(details[k]) for k in ("git", "url", "path", "file") if k in details), "")
    local = "path" in details
    editable = bool(details.get("develop") or details.get("editable"))
    return from_pep508(req, location, text)._replace(url=url, editable=editable, local=local)


def _pep440(version: Any) -> str:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return str(SpecifierSet(version)) if isinstance(version, str) else ""
    except InvalidSpecifier:
        return ""
