"""Pipenv's ``Pipfile`` (TOML): ``[packages]`` (runtime) and ``[dev-packages]`` (development). Entries are
``name = "*"``, ``name = "==1.2"`` or tables with ``version``, ``extras``, ``markers``, ``git``, ``path``."""

from __future__ import annotations

import sys
from pathlib import Path

from pipreqs_action.manifests.base import Lines, Manifest, Unreadable, load_text, message, real
from pipreqs_action.manifests.context import Context
from pipreqs_action.manifests.poetry import entries

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def read(path: Path, context: Context) -> Manifest:
    label = context.label(path)
    manifest = Manifest(label, "Pipfile")
    try:
        text = load_text(real(path), context.fence)
        data = tomllib.loads(text)
    except (Unreadable, tomllib.TOMLDecodeError) as exc:
        manifest.unusable("", message(exc))
        return manifest
    manifest.sources.append(label)
    lines = Lines(text, label)
    for header, dev in (("packages", False), ("dev-packages", True)):
        if header in data:
            manifest.add(f"[{header}]", entries(lines, data[header], header, manifest), dev=dev)
    return manifest
