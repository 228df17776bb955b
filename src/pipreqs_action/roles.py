"""The role of a declaration for an import, beyond "declared at run time": development only, or commented out.

- A development declaration (dependency group, dev-dependencies, requirements-dev.txt, a test/docs extra)
  satisfies imports made by tests, docs and tooling. An application import that only such a declaration provides
  is its own finding: ``pip install`` of the application leaves it out, so it breaks at run time.
- A commented-out entry (``# tensorrt>=8  # TensorRT export``) names a package the author knowingly left out:
  its import is reported as optional, saying where the comment is, never as an alarm.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from pipreqs_action.mapping import ImportNames
from pipreqs_action.model import Declared, ImportRef, Missing, Requirement


def providers(requirements: Sequence[Requirement], names: ImportNames) -> dict[str, frozenset[str]]:
    """Import paths each requirement provides, by its normalised name."""
    return {req.key: names.provides(req.name) for req in requirements}


def provider_of(path: str, provided: Mapping[str, frozenset[str]], names: ImportNames) -> str:
    """The key of the first requirement that provides an import path, or ""."""
    return next((key for key, paths in provided.items() if names.satisfies(paths, path)), "")


def dev_only(found: Mapping[str, list[tuple[str, ImportRef]]], declared: Declared) -> tuple[Missing, ...]:
    """One finding per development declaration that application code imports (``found``: key -> imports)."""
    by_key = {req.key: req for req in reversed(declared.dev)}
    items = []
    for key, refs in found.items():
        req = by_key[key]
        items.append(
            Missing(
                package=req.name,
                imports=tuple(sorted({path for path, _ in refs})),
                locations=tuple(sorted({ref.location for _, ref in refs})),
                reason=f"declared for development only ({req.location})",
            )
        )
    return tuple(sorted(items, key=lambda item: item.package.lower()))


def commented_out(missing: Sequence[Missing], declared: Declared, names: ImportNames) -> tuple[Missing, ...]:
    """Missing packages whose entry the author commented out become optional, with where the comment is."""
    if not declared.commented:
        return tuple(missing)
    provided = providers(declared.commented, names)
    where = {req.key: str(req.location) for req in reversed(declared.commented)}
    result = []
    for item in missing:
        key = next(
            (provider_of(path, provided, names) for path in item.imports if provider_of(path, provided, names)), ""
        )
        if key:
            item = dataclasses.replace(item, optional=True, reason=item.reason or f"commented out in {where[key]}")
        result.append(item)
    return tuple(result)
