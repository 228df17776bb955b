"""Pipenv's ``Pipfile`` (TOML): ``[packages]`` (runtime) and ``[dev-packages]`` (development). Entries are
``name = "*"``, ``name = "==1.2"`` or tables with ``version``, ``extras``, ``markers``, ``git``, ``path``."""

from __future__ import annotations

from pathlib import Path

from pipreqs_action.manifests.base import Manifest, load_toml
from pipreqs_action.manifests.context import Context
from pipreqs_action.manifests.poetry import entries


def read(path: Path, context: Context) -> Manifest:
    label = context.label(path)
    manifest = Manifest(label, "Pipfile")
    loaded = load_toml(path, manifest, context.fence)
    if loaded is None:
        return manifest
    data, lines = loaded
    for header, dev in (("packages", False), ("dev-packages", True)):
        if header in data:
            manifest.add(f"[{header}]", entries(lines, data[header], header, manifest), dev=dev)
    return manifest
