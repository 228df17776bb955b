"""The engine in one place: source tree -> scan -> declared -> mapping -> compare -> versions -> Report.

It never prints and never exits; each front door (cli, action, server) turns the Report into its own terms.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from pipreqs_action.compare import compare, compare_inferred, exit_status, with_requirements
from pipreqs_action.declared import read_declared, read_text
from pipreqs_action.elsewhere import resolve_elsewhere
from pipreqs_action.mapping import load_import_names
from pipreqs_action.model import Declared, Report
from pipreqs_action.scan import scan
from pipreqs_action.settings import Settings

__all__ = ["exit_status", "run", "run_inferred"]


def run(settings: Settings) -> Report:
    """Check the tree at ``settings.path``: what its code imports against what it declares."""
    declared = read_declared(settings.path, settings.requirements)
    scanned = scan(
        settings.path, exclude=settings.exclude, full_parse=settings.full_parse, declared_in=declared.sources
    )
    names = load_import_names(settings.overrides)
    report = compare(resolve_elsewhere(scanned, names), declared, names)
    return _finish(report, declared, settings)


def run_inferred(settings: Settings, generated_requirements: str) -> Report:
    """Check ``settings.path``'s declarations against requirements generated elsewhere (a pipreqs HTTP API)."""
    with tempfile.TemporaryDirectory(prefix="pipreqs-action-api-") as tmp:
        generated = Path(tmp) / "generated-requirements.txt"
        generated.write_text(generated_requirements, "utf-8")
        inferred = read_declared(Path(tmp), [generated])
    declared = read_declared(settings.path, settings.requirements)
    report = compare_inferred(inferred, declared, load_import_names(settings.overrides))
    return _finish(report, declared, settings)


def _finish(report: Report, declared: Declared, settings: Settings) -> Report:
    """Versions for the lines to add (only when asked to pin and allowed online), then the suggested file."""
    base = _requirements_file_text(settings.path, declared)
    wanted = [item.package for item in report.required_missing if item.known]
    if settings.mode == "no-pin" or settings.offline or not wanted:
        return with_requirements(report, declared, {}, settings.mode, base)
    from pipreqs_action.versions import latest_versions  # requests is slow to import; offline runs never need it

    lookup = latest_versions(wanted, index_url=settings.index_url)
    report = with_requirements(report, declared, lookup.versions, settings.mode, base)
    return dataclasses.replace(report, warnings=(*report.warnings, *lookup.warnings))


def _requirements_file_text(root: Path, declared: Declared) -> str | None:
    """The first requirements file as written, to suggest it back with additions; None for pyproject-only."""
    if not declared.sources or declared.sources[0].endswith(".toml"):
        return None
    first = Path(declared.sources[0])
    return read_text(first if first.is_absolute() else root / first)
