"""``pipreqs-action explain IMPORT [PATH]``: which distribution an import maps to, and why.

When the check names a surprising distribution, the user needs the reason before they can fix or configure
it: which data source answered (their own map, our curated data, pipreqs' mapping, pigar's module index), the
other candidates, what the project declares that already provides the import, and whether its configuration
silences it. Everything is read from data on disk; nothing is installed or asked over the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipreqs_action.declared import read_declared
from pipreqs_action.errors import PipreqsActionError, SettingsError
from pipreqs_action.mapping import ImportNames, load_import_names
from pipreqs_action.model import ImportRef, Location
from pipreqs_action.pep508 import canonical_name
from pipreqs_action.settings import Settings

__all__ = ["Explanation", "explain", "render_explanation"]

_IMPORT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\Z")
_SOURCES = {
    "override": "your map ({where})",
    "curated": "pipreqs-action's curated data (data/import_names.json)",
    "pipreqs": "pipreqs' import-name mapping",
    "pigar": "pigar's index of the top-level modules of every PyPI distribution (named after the import, "
    "else the most downloaded provider)",
    "none": "no data source knows this import: the import name itself is the guess",
}


@dataclass(frozen=True, slots=True)
class Explanation:
    """The answer for one import name, in the terms the report uses."""

    module: str
    import_path: str  # what is matched: the top-level name, or a dotted path under a namespace package
    package: str
    source: str  # a key of _SOURCES
    why: str
    candidates: tuple[str, ...] = ()
    known: bool = True
    declared_by: tuple[str, ...] = ()  # declared requirements (name and place) that provide the import
    first_party: bool = False
    ignored: bool = False
    config_file: str = ""


def explain(module: str, settings: Settings, names: ImportNames | None = None) -> Explanation:
    """Explain ``module`` as the check of ``settings.path`` would see it."""
    module = module.strip()
    if not _IMPORT.match(module):
        raise SettingsError(f"IMPORT: {module[:80]!r} is not an import name such as yaml or google.cloud.storage")
    names = names or load_import_names(settings.overrides)
    path = names.import_path(ImportRef(module, Location("<explain>", 1)))
    suggestion = names.suggest(path)
    source = names.source_of(path)
    config = settings.config
    where = f"map in {config.source} or --map" if config.source else "--map"
    return Explanation(
        module=module,
        import_path=path,
        package=suggestion.package,
        source=source,
        why=_SOURCES[source].format(where=where),
        candidates=suggestion.candidates,
        known=suggestion.known,
        declared_by=_declared_by(settings, names, path),
        first_party=any(module == name or module.startswith(f"{name}.") for name in config.first_party),
        ignored=_ignored(config.ignore_missing, module, path, suggestion.package),
        config_file=config.source,
    )


def _declared_by(settings: Settings, names: ImportNames, path: str) -> tuple[str, ...]:
    try:
        declared = read_declared(settings.path, settings.requirements)
    except PipreqsActionError:  # nothing declared, or unreadable: the mapping is still worth explaining
        return ()
    return tuple(
        f"{req.name} ({req.location})"
        for req in declared.requirements
        if names.satisfies(names.provides(req.name), path)
    )


def _ignored(ignore: tuple[str, ...], module: str, path: str, package: str) -> bool:
    keys = {canonical_name(name) for name in ignore}
    return bool(keys & {canonical_name(item) for item in (module, path, path.partition(".")[0], package)})


def render_explanation(found: Explanation) -> str:
    shown = found.module if found.module == found.import_path else f"{found.module} (matched as {found.import_path})"
    lines = [f"{shown} -> {found.package}", f"  why: {found.why}"]
    if not found.known:
        lines.append("  no known distribution provides it: check the name on PyPI, or map it in the configuration")
    if found.candidates:
        lines.append(f"  other candidates: {', '.join(found.candidates)}")
    if found.declared_by:
        lines.append(f"  already declared: {', '.join(found.declared_by)} provides it")
    if found.first_party:
        lines.append(f"  listed in first-party ({found.config_file}): the project's own code, never reported")
    if found.ignored:
        lines.append(f"  listed in ignore-missing ({found.config_file or 'ignore input'}): never reported missing")
    if found.config_file:
        lines.append(f"  configuration: {found.config_file}")
    return "".join(f"{line}\n" for line in lines)
