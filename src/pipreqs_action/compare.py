"""The ``compare`` stage: what the code imports against what the project declares, as a typed report.

An import is satisfied when any declared distribution provides it (``PyYAML`` provides ``yaml``), whatever the
names look like; only otherwise is it missing, under the distribution a correct requirements.txt would name.
Imports that cannot break the application at run time (guarded by ``except ImportError``, under
``if TYPE_CHECKING:``, or made only by secondary code: tests, examples, tools, vendored code, see ``layout``) are
still reported, flagged ``optional`` (and ``scope="secondary"`` with a reason for secondary code), and never make
the project out of sync on their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from pipreqs_action import ignores, roles, script_metadata
from pipreqs_action.intent.guards import TYPE_CHECKING_ONLY, best_reason
from pipreqs_action.mapping import ImportNames
from pipreqs_action.model import (
    Declared,
    ImportRef,
    Location,
    Missing,
    Report,
    Requirement,
    ScanResult,
    Suggestion,
    Unresolved,
    Unused,
)
from pipreqs_action.pep508 import canonical_name
from pipreqs_action.pins import Mode, format_requirement


def compare(scan: ScanResult, declared: Declared, names: ImportNames) -> Report:
    """Find the missing and the unused distributions; versions and the suggested file come later."""
    providers = _providers(declared, names)
    dev = roles.providers(declared.dev, names)
    own = _script_providers(declared, names)
    used: set[str] = set()
    unsatisfied: dict[str, list[ImportRef]] = defaultdict(list)
    silenced: set[Location] = set()  # inline ignore markers that kept an import out of the report
    dev_only: dict[str, list[tuple[str, ImportRef]]] = defaultdict(list)
    satisfying: dict[str, list[str]] = {}  # import path -> the declared keys providing it (a big app repeats paths)
    for ref in scan.imports:
        if ref.root in declared.first_party:
            continue  # the project itself, or a local project it installs (-e ., ./libs/x)
        for path in names.import_paths(ref):
            keys = satisfying.get(path)
            if keys is None:
                keys = satisfying[path] = [
                    key for key, provided in providers.items() if names.satisfies(provided, path)
                ]
            if keys:
                used.update(keys)
            elif any(names.satisfies(provided, path) for provided in own.get(ref.location.path, ())):
                continue  # the script's own inline metadata declares it
            elif ref.ignore_line:
                silenced.add(ignores.marker_location(ref))
            elif dev_key := roles.provider_of(path, dev, names):
                if _needed_at_run_time(ref):
                    dev_only[dev_key].append((path, ref))
            else:
                unsatisfied[path].append(ref)
    missing = _missing(unsatisfied, names, providers.keys(), used)
    unused = _unused(declared.requirements, used)
    return Report(
        missing=roles.commented_out(missing, declared, names),
        unused=unused,
        skipped=tuple(sorted(scan.skipped)),
        requirements="",
        declared_sources=declared.sources,
        files_scanned=scan.files_scanned,
        local=scan.local,
        unresolved=_unresolved(unsatisfied, names, providers.keys()),
        declared_by=(*declared.declared_by, *script_metadata.contributions(declared)),
        dev_only=roles.dev_only(dev_only, declared),
        unusable_requirements=tuple(sorted(declared.problems)),
        stale_ignores=ignores.stale(scan.imports, scan.stale_ignores, silenced),
        warnings=declared.warnings,
    )


def _providers(declared: Declared, names: ImportNames) -> dict[str, frozenset[str]]:
    """Import paths each declared distribution provides; optional groups count as declared."""
    requirements = [*declared.requirements, *(req for _, group in declared.optional_groups for req in group)]
    requirements += declared.inherited  # a project inside another runs with the enclosing one installed
    requirements += declared.installed  # the image or dev container the app runs in installs them
    return {req.key: names.provides(req.name) for req in requirements}


def _script_providers(declared: Declared, names: ImportNames) -> dict[str, list[frozenset[str]]]:
    """Import paths each script's inline metadata provides, by the script's path: they satisfy its imports only."""
    return {script.path: [names.provides(req.name) for req in script.requirements] for script in declared.scripts}


def _missing(
    unsatisfied: Mapping[str, list[ImportRef]],
    names: ImportNames,
    declared_keys: Iterable[str],
    used: set[str],
) -> tuple[Missing, ...]:
    declared = set(declared_keys)
    by_package: dict[str, list[tuple[str, ImportRef]]] = defaultdict(list)
    suggestions: dict[str, Suggestion] = {}
    for path, refs in unsatisfied.items():
        suggestion = names.suggest(path)
        keys = {canonical_name(name) for name in (suggestion.package, *suggestion.candidates)}
        if keys & declared:  # declared under the suggested name even though no data links the two
            used.update(keys & declared)
            continue
        if not suggestion.known:  # no data names a distribution: listed by _unresolved, never an alarm
            continue
        package_key = canonical_name(suggestion.package)
        suggestions[package_key] = suggestion
        by_package[package_key].extend((path, ref) for ref in refs)
    found = [_one_missing(suggestions[key], refs) for key, refs in by_package.items()]
    return tuple(sorted(found, key=lambda item: item.package.lower()))


def _one_missing(suggestion: Suggestion, refs: Sequence[tuple[str, ImportRef]]) -> Missing:
    needed = [ref for _, ref in refs if _needed_at_run_time(ref)]
    secondary = sorted({ref.secondary for _, ref in refs})
    return Missing(
        package=suggestion.package,
        imports=tuple(sorted({path for path, _ in refs})),
        locations=tuple(sorted({ref.location for _, ref in refs})),
        optional=not needed,
        candidates=suggestion.candidates,
        known=suggestion.known,
        scope="app" if "" in secondary else "secondary",
        reason=_reason(refs, needed, secondary),
        marker=_only_where(needed),
    )


def _reason(refs: Sequence[tuple[str, ImportRef]], needed: Sequence[ImportRef], secondary: Sequence[str]) -> str:
    """Why an item is optional: only secondary code imports it, or the most informative guard in the app's code."""
    if needed:
        return ""
    if "" not in secondary:
        return "only in " + ", ".join(secondary)
    return best_reason([ref.reason or (TYPE_CHECKING_ONLY if ref.type_only else "") for _, ref in refs])


def _only_where(needed: Sequence[ImportRef]) -> str:
    """A marker when every run-time import sits in a platform or Python-version branch (PEP 508 ``or``)."""
    markers = sorted({ref.marker for ref in needed})
    if not markers or "" in markers:
        return ""
    return markers[0] if len(markers) == 1 else " or ".join(f"({marker})" for marker in markers)


def _unresolved(
    unsatisfied: Mapping[str, list[ImportRef]], names: ImportNames, declared_keys: Iterable[str]
) -> tuple[Unresolved, ...]:
    """Imports no data maps to any distribution (and not declared under their own name): listed, never missing."""
    declared = set(declared_keys)
    found = []
    for path, refs in unsatisfied.items():
        suggestion = names.suggest(path)
        if suggestion.known or canonical_name(suggestion.package) in declared:
            continue
        required = any(_needed_at_run_time(ref) for ref in refs)
        found.append(Unresolved(path, tuple(sorted({ref.location for ref in refs})), optional=not required))
    return tuple(sorted(found, key=lambda item: item.module.lower()))


def _needed_at_run_time(ref: ImportRef) -> bool:
    return not (ref.optional or ref.type_only or ref.secondary)


def _unused(requirements: Sequence[Requirement], used: set[str]) -> tuple[Unused, ...]:
    seen: dict[str, Unused] = {}
    for req in requirements:
        if req.key not in used and req.key not in seen and not req.local:
            seen[req.key] = Unused(package=req.name, location=req.location)
    return tuple(sorted(seen.values(), key=lambda item: item.package.lower()))


def with_requirements(
    report: Report, declared: Declared, versions: Mapping[str, str], mode: Mode, base_text: str | None = None
) -> Report:
    """Attach versions to the missing packages and the suggested requirements.txt text.

    The user's file is kept exactly as written (comments, ``-r``/``-c`` lines, and pins: a declared pin is never
    "corrected" because PyPI has a newer release) and the packages missing at run time are appended, one line
    each. Without a requirements file (``base_text`` None) the declared requirements are listed first.
    """
    missing = tuple(item._replace(version=versions.get(canonical_name(item.package), "")) for item in report.missing)
    added = [
        format_requirement(item.package, item.version or None, mode) + (f"; {item.marker}" if item.marker else "")
        for item in missing
        if not item.optional and not item.via  # what a declared distribution installs is suggested, not added
    ]
    if base_text is None:
        kept = "".join(f"{line}\n" for line in dict.fromkeys(req.line for req in declared.requirements))
    else:
        kept = base_text if not base_text or base_text.endswith("\n") else base_text + "\n"
    return report._replace(missing=missing, requirements=kept + "".join(f"{line}\n" for line in added))


def exit_status(report: Report, fail_on: str) -> int:
    """0 in sync, 1 out of sync by the user's measure: `missing` (needed at run time), `any`, or `never`."""
    if fail_on == "never":
        return 0
    if fail_on == "any":
        return int(bool(report.missing or report.unused) or any(exit_status(p.report, "any") for p in report.projects))
    return int(not report.in_sync)


def compare_inferred(inferred: Declared, declared: Declared, names: ImportNames) -> Report:
    """Compare a requirements list generated elsewhere (a pipreqs HTTP API) with what the project declares.

    There are no import locations here; a generated distribution counts as declared when the project declares
    it by any spelling, or declares another distribution providing the same modules (opencv-python vs
    opencv-python-headless).
    """
    providers = _providers(declared, names)
    used: set[str] = set()
    missing: dict[str, Missing] = {}
    for req in inferred.requirements:
        paths = sorted(names.provides(req.name))
        keys = {req.key} & providers.keys() or {
            key for key, provided in providers.items() for path in paths if names.satisfies(provided, path)
        }
        if keys:
            used.update(keys)
        elif req.key not in missing:
            missing[req.key] = Missing(package=names.canonical(req.name), imports=tuple(paths), locations=())
    return Report(
        missing=tuple(sorted(missing.values(), key=lambda item: item.package.lower())),
        unused=_unused(declared.requirements, used),
        skipped=(),
        requirements="",
        declared_sources=declared.sources,
        declared_by=declared.declared_by,
        unusable_requirements=tuple(sorted(declared.problems)),
    )
