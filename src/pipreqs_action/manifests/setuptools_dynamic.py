"""setuptools' ``dynamic`` dependencies: ``[tool.setuptools.dynamic] dependencies = {file = [...]}`` (and per
extra under ``optional-dependencies``) name requirements files, which are read as requirements files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipreqs_action.manifests.base import Lines, Manifest, Unreadable, is_dev_name, table
from pipreqs_action.manifests.context import Context


def read(data: dict[str, Any], lines: Lines, manifest: Manifest, context: Context) -> None:
    dynamic = table(data, "tool", "setuptools", "dynamic")
    declared = table(data, "project").get("dynamic")
    wanted = declared if isinstance(declared, list) else []
    if "dependencies" in wanted and "dependencies" in dynamic:
        read_files(dynamic["dependencies"], manifest, context, "[tool.setuptools.dynamic] dependencies")
    if "optional-dependencies" in wanted:
        extras = table(dynamic, "optional-dependencies")
        for extra in sorted(extras):
            where = f"[tool.setuptools.dynamic] optional-dependencies {extra}"
            read_files(extras[extra], manifest, context, where, dev=is_dev_name(extra))


def read_files(spec: Any, manifest: Manifest, context: Context, where: str, *, dev: bool = False) -> list[str]:
    """``{file = "a.txt"}`` or ``{file = ["a.txt", "b.txt"]}``, relative to the manifest's folder; the labels of
    the files read."""
    files = table({"x": spec}, "x").get("file")
    names = [files] if isinstance(files, str) else files if isinstance(files, list) else []
    if not names:
        manifest.unusable(where, "no file = [...] given")
    folder = (context.root / manifest.file).parent
    read = []
    for name in (str(item) for item in names):
        try:
            read.append(context.read_requirements(Path(folder, name), dev=dev))
        except Unreadable as exc:
            manifest.unusable(f"{where} ({name})", str(exc))
    return read
