"""The engine in one place: source tree -> scan -> declared -> mapping -> compare -> versions -> Report.

It never prints and never exits; each front door (cli, action, server) turns the Report into its own terms.
"""

from __future__ import annotations

import dataclasses

from pipreqs_action.compare import compare, exit_status, with_requirements
from pipreqs_action.declared import read_declared
from pipreqs_action.mapping import load_import_names
from pipreqs_action.model import Report
from pipreqs_action.scan import scan
from pipreqs_action.settings import Settings
from pipreqs_action.versions import latest_versions

__all__ = ["exit_status", "run"]


def run(settings: Settings) -> Report:
    scanned = scan(settings.path, exclude=settings.exclude, full_parse=settings.full_parse)
    declared = read_declared(settings.path, settings.requirements)
    report = compare(scanned, declared, load_import_names(settings.overrides))
    wanted = [] if settings.mode == "no-pin" else [item.package for item in report.required_missing if item.known]
    lookup = latest_versions(wanted, index_url=settings.index_url, offline=settings.offline)
    report = with_requirements(report, declared, lookup.versions, settings.mode)
    return dataclasses.replace(report, warnings=(*report.warnings, *lookup.warnings))
