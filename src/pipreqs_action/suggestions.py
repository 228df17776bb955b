"""Which distribution to suggest for an import that nothing declared provides.

The first of these rules that answers wins:

1. a user override, then a curated entry (a curated list means "truly ambiguous": the first entry is the
   suggestion, the rest its ``candidates``), then pipreqs' entry;
2. a namespace package path (``google.cloud.storage``): the distributions pigar-derived data says provide the
   longest known prefix of the path (named after the path first, then the most downloaded); when none do, the
   path with dots made dashes (``google-cloud-storage``), ``known`` only if pigar knows such a distribution.
   A bare root or sub-namespace (``google``, ``google.cloud``) is never pinned on one distribution;
3. the distribution whose normalised name equals the import name, if pigar says it provides it (or, for one of
   the 15,000 most downloaded, if pigar lists other modules or none: ``flasgger`` is listed with only
   ``flasgger_package``) -- unless that namesake is obscure
   and a popular distribution provides the import: ``grpc`` -> ``grpcio``, not the unrelated ``grpc``;
4. the only distribution pigar says provides it;
5. several: the most downloaded (``data/popular.txt``), other popular ones as ``candidates``; when none is
   popular, names containing the import name first, shortest first, with up to five others as candidates;
6. a generic name (shipped by ten or more distributions, none of them among the 3,000 most downloaded: ``utils``,
   ``config``, ``settings``) or nothing: ``known=False`` and the import name itself (reported as unresolved,
   never as missing). Rules 3 to 5 are only tried for a name that is not generic.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from pipreqs_action.metadata.import_index import Index, Provider
from pipreqs_action.metadata.name_tables import NameTable, popularity
from pipreqs_action.metadata.namespaces import NAMESPACE_ROOTS, is_namespace, normalise, prefixes, root_of, unversioned
from pipreqs_action.model import Suggestion

__all__ = ["MAX_CANDIDATES", "Sources", "suggest", "suggestion_source"]

MAX_CANDIDATES = 5
CROWDED = 10  # distributions shipping one top-level name: from here on the name is generic (see _crowded)
OWNER_RANK = 3000  # download rank a generic name's owner must reach to be trusted


class Sources:
    """The data a suggestion is drawn from, most trusted first."""

    __slots__ = ("curated", "index", "overrides", "pipreqs")

    def __init__(self, overrides: NameTable, curated: NameTable, pipreqs: NameTable, index: Index) -> None:
        self.overrides = overrides
        self.curated = curated
        self.pipreqs = pipreqs
        self.index = index

    def canonical(self, dist: str) -> str:
        """The name as published (``scikit_learn`` -> ``scikit-learn``, ``pyyaml`` -> ``PyYAML``) when known."""
        key = normalise(dist)
        return self.curated.names.get(key) or self.index.display_name(key) or dist


def suggest(sources: Sources, import_path: str) -> Suggestion:
    """The distribution to declare for ``import_path`` (rules: module docstring)."""
    namespace = root_of(import_path) in NAMESPACE_ROOTS
    path = import_path if namespace else root_of(import_path)
    shortest = 2 if namespace else 1  # a curated answer for a bare namespace root would match every path
    for table, depth in ((sources.overrides, 1), (sources.curated, shortest)):  # the trusted tables
        found = _from_table(sources, table, path, shortest=depth, canonical=False)
        if found:
            return found
    if namespace:
        return _from_table(sources, sources.pipreqs, path, shortest=2, canonical=True) or _namespace_suggestion(
            sources, path
        )
    found = _from_table(sources, sources.pipreqs, path, shortest=1, canonical=True) or _module_suggestion(sources, path)
    return found if not found.known or _owned(sources, path, found) else Suggestion(package=path, known=False)


def suggestion_source(sources: Sources, import_path: str, *, known: bool) -> str:
    """Which rule ``suggest`` answered by, for ``pipreqs-action explain``: ``override``, ``curated`` or
    ``pipreqs`` (rule 1), ``pigar`` (rules 2-5, pigar's module index) or ``none`` (rule 6); ``known`` is the
    suggestion's own flag."""
    if not known:  # also a generic name a table named but nobody owns (rule 6)
        return "none"
    namespace = root_of(import_path) in NAMESPACE_ROOTS
    path = import_path if namespace else root_of(import_path)
    shortest = 2 if namespace else 1
    tables = (("override", sources.overrides, 1), ("curated", sources.curated, shortest))
    for name, table, depth in (*tables, ("pipreqs", sources.pipreqs, shortest)):
        if _from_table(sources, table, path, shortest=depth, canonical=False):
            return name
    return "pigar"


def _from_table(sources: Sources, table: NameTable, path: str, *, shortest: int, canonical: bool) -> Suggestion | None:
    for prefix in prefixes(path, shortest=shortest):
        for candidate in dict.fromkeys((prefix, unversioned(prefix))):
            dists = table.imports.get(candidate)
            if dists:
                names = [sources.canonical(dist) if canonical else dist for dist in dists]
                return Suggestion(package=names[0], candidates=tuple(names[1 : MAX_CANDIDATES + 1]))
    return None


def _namespace_suggestion(sources: Sources, path: str) -> Suggestion:
    if is_namespace(path):  # `import google`: no distribution provides it whole
        return Suggestion(package=normalise(path), known=False)
    for prefix in prefixes(path, shortest=2):
        for candidate in dict.fromkeys((prefix, unversioned(prefix))):
            providers = [] if is_namespace(candidate) else sources.index.providers(candidate)
            if providers:
                return choose(root_of(path), providers)
    guess = normalise(unversioned(path))
    known = sources.index.display_name(guess)
    return Suggestion(package=known or guess, known=known is not None)


def _module_suggestion(sources: Sources, name: str) -> Suggestion:
    providers = sources.index.providers(name)
    key = normalise(name)
    ranks = popularity()
    same = next((provider for provider in providers if provider.key == key), None)
    if same is None and key in ranks and name not in sources.index.paths(key):  # pigar lists other modules only
        same = Provider(sources.canonical(key), key, 0)  # (or none): the popular namesake still ships `name`
    if same and (same.key in ranks or not any(provider.key in ranks for provider in providers)):
        return Suggestion(package=same.name)  # else a popular provider beats an obscure namesake: grpc
    if providers:
        return choose(name, providers)
    return Suggestion(package=name, known=False)


def _owned(sources: Sources, name: str, suggestion: Suggestion) -> bool:
    """False for a generic name that many distributions ship and none owns: the project's own module, most likely.

    ``utils``, ``config``, ``settings``, ``helpers``, ``models``: packaging accidents copy such modules into
    wheels at top level, so pigar lists tens or hundreds of distributions for them (and pipreqs' table copied
    some: ``models`` -> ``asposebarcode``), and naming one of those names an unrelated project. A name that
    ``CROWDED`` or more distributions ship is trusted only when the suggestion is among the ``OWNER_RANK`` most
    downloaded and named after the import: ``requests`` (shipped by 36) is the 6th most downloaded project,
    ``discord`` is discord.py's; ``tools`` is not cron-descriptor's, however popular that is.
    """
    if len(sources.index.providers(name)) < CROWDED:
        return True
    key = normalise(suggestion.package)
    return popularity().get(key, sys.maxsize) <= OWNER_RANK and normalise(name) in key


def choose(name: str, providers: Sequence[Provider]) -> Suggestion:
    """Several providers: the most downloaded; else names containing the import name first, shortest first."""
    if len(providers) == 1:
        return Suggestion(package=providers[0].name)
    ranks = popularity()
    wanted = normalise(name)

    def order(provider: Provider) -> tuple[int, int, bool, int, str]:
        return (
            provider.rank,
            ranks.get(provider.key, sys.maxsize),
            wanted not in provider.key,
            len(provider.key),
            provider.key,
        )

    best, *rest = sorted(providers, key=order)
    plausible = [provider for provider in rest if provider.key in ranks] if best.key in ranks else rest
    return Suggestion(package=best.name, candidates=tuple(provider.name for provider in plausible[:MAX_CANDIDATES]))
