"""Missing packages that a declared distribution installs: marked ``via`` it, so they never break ``in_sync``.

Pure: the dependency data is looked up beforehand (``dependency_lookup``, in the pipeline's finishing step).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence

from pipreqs_action.extra_features import FeatureFiles
from pipreqs_action.metadata.dependency_metadata import Dependencies, split_key
from pipreqs_action.model import Declared, Missing, Report, Requirement
from pipreqs_action.pep508 import canonical_name

__all__ = ["declared_requirements", "with_via"]


def declared_requirements(declared: Declared) -> tuple[Requirement, ...]:
    """What every install of the project gets: not its optional groups (extras), whose own requirements a plain
    install leaves out (numpy comes through matplotlib only for users of the ``plot`` extra)."""
    # inherited: the enclosing project's, installed too; installed: by the project's Dockerfile or dev container
    return (*declared.requirements, *declared.inherited, *declared.installed)


def with_via(
    report: Report,
    dependencies: Dependencies,
    declared: Iterable[Requirement],
    features: FeatureFiles | None = None,
    groups: Mapping[str, str] | None = None,
) -> Report:
    """The report with each missing package that a declared distribution installs marked ``via`` that one.

    ``declared`` is what every install gets; ``features`` the project's extras and the modules that need them: a
    distribution an extra declares counts for the imports of modules that need that extra (``extra_features``).
    An app import declared only for development (``dev_only``) that a runtime declaration installs is reported
    ``via`` it instead: production gets it, through that declaration. ``groups`` names, for the declarations an
    enclosing project's optional group installed with this one adds (key -> group name), that group, for the reason.
    """
    features = features or FeatureFiles()
    plain = {req.key: req.name for req in declared}
    names = {**{req.key: req.name for req in features.requirements()}, **plain}
    judge = functools.partial(
        _marked, dependencies=dependencies, names=names, plain=plain, features=features, groups=groups or {}
    )
    missing = [judge(item) for item in report.missing]
    dev_only = []
    for item in report.dev_only:
        marked = judge(item)
        if marked.via:
            missing.append(marked._replace(reason=_dev_reason(item, marked)))
        else:
            dev_only.append(item)
    found = tuple(sorted(missing, key=lambda item: item.package.lower()))
    warnings = _judged_by_newer_releases(found, dependencies)
    return report._replace(missing=found, dev_only=tuple(dev_only), warnings=(*report.warnings, *warnings))


def _dev_reason(item: Missing, marked: Missing) -> str:
    """``declared for development only (requirements-dev.txt:2)`` -> ``declared for development
    (requirements-dev.txt:2); installed at run time through fastapi``."""
    declared = item.reason.replace("declared for development only", "declared for development", 1)
    through = f"installed at run time through {', '.join(marked.via)}"
    if marked.reason:  # the extra it takes (which names the declarations), or what the claim rests on
        through = marked.reason if marked.reason.startswith("installed") else f"{through}; {marked.reason}"
    return f"{declared}; {through}" if declared else through


def _judged_by_newer_releases(missing: Iterable[Missing], dependencies: Dependencies) -> tuple[str, ...]:
    """One warning naming the packages counted ``via`` declarations whose range excludes the release the snapshot
    describes: those claims rest on a newer release (tensorflow-hub 0.16 requires tf-keras, ~=0.15.0 does not)."""
    newer = {split_key(text)[0]: text for text in dependencies.newer}
    claims = []
    for item in missing:
        roots = dependencies.through.get(canonical_name(item.package), ()) if item.via else ()
        if roots and all(root in newer for root in roots):
            claims.append(f"{item.package} through {' or '.join(newer[root] for root in roots)}")
    if not claims:
        return ()
    return (
        f"dependency data: {'; '.join(sorted(claims))}: judged by the newest release the bundled snapshot "
        "describes, which the declared range excludes (its own releases may not install it); check without "
        "--offline",
    )


def _marked(
    item: Missing,
    *,
    dependencies: Dependencies,
    names: Mapping[str, str],
    plain: Mapping[str, str],
    features: FeatureFiles,
    groups: Mapping[str, str],
) -> Missing:
    """The first of the package and its candidates that something declared installs: that is the one present."""
    if item.optional or not item.known:
        return item
    for package in (item.package, *item.candidates):
        key = canonical_name(package)
        roots, reason = _roots(item, dependencies.through.get(key, ()), plain, features)
        if roots:
            via = tuple(names.get(root, root) for root in roots)
            others = tuple(name for name in (item.package, *item.candidates) if name != package)
            source = dependencies.sources.get(key, "")
            notes = (reason, _group_note(roots, via, groups), _newer_caveat(roots, dependencies))
            reason = "; ".join(filter(None, notes))
            return item._replace(package=package, candidates=others, via=via, via_source=source, reason=reason)
    return item


def _group_note(roots: Sequence[str], via: Sequence[str], groups: Mapping[str, str]) -> str:
    """Where declarations this project does not name come from: ``installed through scikit-learn of the enclosing
    project's group 'bonus', which declares everything this project declares`` (``projects.inherit``)."""
    if not roots or not all(root in groups for root in roots):
        return ""
    named = ", ".join(repr(name) for name in sorted({groups[root] for root in roots}))
    return (
        f"installed through {', '.join(via)} of the enclosing project's group {named}, which declares everything "
        "this project declares"
    )


def _newer_caveat(roots: Sequence[str], dependencies: Dependencies) -> str:
    """Said on an item counted ``via`` only declarations judged by a release their range excludes: ``judged by the
    newest tensorflow-hub (0.16.1, bundled snapshot), which tensorflow-hub~=0.15.0 excludes: the release it allows
    may not install it``. Such claims mostly hold (measured on the field corpus, dropping them
    raised some twenty false alarms for one true one), so they stand, but each says what it rests on."""
    newer = {split_key(text)[0]: text for text in dependencies.newer}
    if not roots or not all(root in newer for root in roots):
        return ""
    releases = ", ".join(
        f"the newest {root} ({dependencies.newer_versions.get(root) or 'unknown version'}, bundled snapshot), "
        f"which {newer[root]} excludes"
        for root in roots
    )
    allowed = "the release it allows" if len(roots) == 1 else "the releases they allow"
    return f"judged by {releases}: {allowed} may not install it"


def _roots(
    item: Missing, roots: Iterable[str], plain: Mapping[str, str], features: FeatureFiles
) -> tuple[tuple[str, ...], str]:
    """The declarations that install the item wherever it is imported, and why when that takes an extra.

    Those every install gets count always. One an extra declares counts when every app import of the item runs
    only where that extra is installed (``features.certain_at``): in a module that imports, at top level, something
    only extras declaring that one provide, or inside a top-level function or class that imports such a thing
    (an import that needs nothing, guarded or typing-only, does not count against it)."""
    roots = tuple(roots)
    always = tuple(root for root in roots if root in plain)
    if always or not roots:
        return always, ""
    locations = [loc for loc in item.locations if loc.path in features.needs or loc.path in features.guarded]
    found: list[str] = []
    extras: set[str] = set()
    scopes: dict[str, set[str]] = {}  # path -> the definitions whose imports need the extra ("" for the module)
    for root in roots:
        declaring = features.extras_of(root)
        answers = [(loc.path, features.certain_at(loc, declaring)) for loc in locations]
        needed = [(path, answer) for path, answer in answers if answer and answer[0]]
        if not needed or any(answer is None for _, answer in answers):
            continue
        found.append(root)
        for path, (names, definition) in needed:
            extras.update(names)
            scopes.setdefault(path, set()).add(definition)
    if not found:
        return (), ""
    named = ", ".join(repr(name) for name in sorted(extras))
    modules = sorted(path for path, names in scopes.items() if "" in names)
    defined = sorted((path, name) for path, names in scopes.items() for name in names if name)
    if not defined:
        importing = "the module importing it needs" if len(modules) == 1 else "every module importing it needs"
        return tuple(found), (
            f"installed through {', '.join(found)} of the extra {named}, which {importing} ({_why(modules, features)})"
        )
    why = [_why(modules, features)] if modules else []
    why += [f"{name} in {path} imports what only that extra declares" for path, name in defined]
    return tuple(found), (
        f"installed through {', '.join(found)} of the extra {named}, which the code importing it needs "
        f"({'; '.join(why)})"
    )


def _why(modules: Sequence[str], features: FeatureFiles) -> str:
    """Why the modules need the extra: their own imports, or the modules that alone import them."""
    inherited = [module for module in modules if module in features.through]
    if not inherited:
        return "it imports what only that extra declares"
    if len(modules) > 1:
        return "it imports what only that extra declares, or is imported only by modules that do"
    importers = features.through[inherited[0]]
    return f"it is imported only by {', '.join(importers)}, which {'needs' if len(importers) == 1 else 'need'} it"
