"""``setup.cfg``: ``[options] install_requires`` (runtime), ``[options.extras_require]`` (extras; test/dev/docs
ones are development) and ``tests_require``, with ``configparser`` as setuptools reads it. A value
``file: requirements.txt`` names requirements files."""

from __future__ import annotations

from pathlib import Path

from pipreqs_action.manifests.base import Lines, Manifest, Unreadable, is_dev_name, load_text, message, real
from pipreqs_action.manifests.context import Context
from pipreqs_action.model import Requirement


def read(path: Path, context: Context) -> Manifest:
    import configparser  # only a project with a setup.cfg needs it (start-up)

    label = context.label(path)
    manifest = Manifest(label, "setup.cfg")
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        text = load_text(real(path), context.fence)
        parser.read_string(text, source=label)
    except (Unreadable, configparser.Error) as exc:
        manifest.unusable("", message(exc))
        return manifest
    manifest.sources.append(label)
    lines = Lines(text, label)
    manifest.project_name = parser.get("metadata", "name", fallback="").strip()
    if parser.has_option("options", "install_requires"):
        _value(parser.get("options", "install_requires"), "install_requires", lines, manifest, context)
    if parser.has_option("options", "tests_require"):
        _value(parser.get("options", "tests_require"), "tests_require", lines, manifest, context, dev=True)
    if parser.has_section("options.extras_require"):
        for extra in sorted(parser.options("options.extras_require")):
            value = parser.get("options.extras_require", extra)
            _value(value, f"extras_require {extra}", lines, manifest, context, extra=extra, dev=is_dev_name(extra))
    return manifest


def _value(
    value: str, key: str, lines: Lines, manifest: Manifest, context: Context, *, extra: str = "", dev: bool = False
) -> None:
    if value.strip().startswith("file:"):
        folder = (context.root / manifest.file).parent
        for name in value.strip().removeprefix("file:").replace(",", " ").split():
            try:
                context.read_requirements(Path(folder, name), dev=dev)
            except Unreadable as exc:
                manifest.unusable(f"{key} ({name})", str(exc))
        return
    start = lines.key(key.split()[-1], 0)
    entries = [line.strip() for line in value.replace(";\n", "\n").splitlines()]
    found: list[Requirement] = lines.pep508_list([e for e in entries if e and not e.startswith("#")], start, manifest)
    manifest.add(key, found, dev=dev, extra=extra)
