"""Which distributions a declared one installs: its ``requires_dist``, followed through a few levels.

``import pydantic`` in a project that declares only ``fastapi`` works, because fastapi requires pydantic; it is
still worth declaring (fastapi may drop it), but it is not the alarm a truly missing package is. The
dependency data is each distribution's own metadata (``Requires-Dist``), from four places:

- the manifest of a project installed from a folder of the checked tree (a uv workspace member, a path
  requirement: ``local_metadata``), which describes the very code installed;
- the project's own lock file (``uv.lock``, ``poetry.lock``, ``pdm.lock``: ``lock_dependencies``), which records
  what the very releases it installs require;
- a snapshot bundled with the package, ``data/requires_dist.json``: the latest release's requirements of the
  most downloaded distributions (``scripts/refresh_requires_snapshot.py`` writes it), so ``--offline`` runs know
  the common cases;
- the index's JSON API (``{index}/{name}/json``, ``requires_client``) for the rest, unless offline.

A declaration is judged by the releases its specifier allows, never by a newer one it excludes (tensorflow-hub
0.16 requires tf-keras, 0.15 does not).

Requirements are followed ``MAX_DEPTH`` levels down. One that applies only to an extra counts only when the
requirement that led to it asked for that extra (``uvicorn[standard]``); an environment marker counts when it
holds on any of the usual platforms with any supported Python (``colorama; platform_system == "Windows"`` is
installed through click on Windows, so importing it is "via click", not missing).
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from pipreqs_action import model
from pipreqs_action.metadata.lock_dependencies import Locked, LockedDependencies
from pipreqs_action.metadata.requires_snapshot import Snapshot
from pipreqs_action.pep508 import Requirement, allows, canonical_name, parse_or_none

__all__ = [
    "MAX_DEPTH",
    "SNAPSHOT",
    "Dependencies",
    "DependencySource",
    "allows",
    "dependencies_of",
    "encode_snapshot",
    "installed_through",
    "lock_lookup",
    "requirement_names",
    "requires_of",
    "snapshot_lookup",
    "snapshot_newest_lookup",
    "snapshot_version",
    "split_key",
]

log = logging.getLogger(__name__)

SNAPSHOT = Path(__file__).parent.parent / "data" / "requires_dist.json"
NEWEST = "snapshot, newest release"  # a lookup's name: the snapshot answering for a release the range excludes
MAX_DEPTH = 3  # declared -> its requirements -> theirs -> theirs: deeper chains are rare and change often

# The environments a marker is tried in: a requirement installed on any of them counts.
_PLATFORMS = (
    {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64"},
    {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64"},
    {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix", "platform_machine": "arm64"},
)
_PYTHONS = ("3.9", "3.10", "3.11", "3.12", "3.13", "3.14")
_SNAPSHOT_FORM = re.compile(
    r"""[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9._,-]*\])?(; extra == "[^"]+"( or extra == "[^"]+")*)?\Z"""
)
_KEY = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_EXTRA_NAMES = re.compile(r"""\bextra\s*==\s*['"]([^'"]+)['"]""")

DependencySource = Callable[[Sequence[str]], Mapping[str, Sequence[str]]]
"""Looks up ``requires_dist`` for normalised names; answers only the names it knows."""


class Dependencies(NamedTuple):
    """What the declared distributions install: installed key -> the declared keys it comes through."""

    through: Mapping[str, tuple[str, ...]]
    sources: Mapping[str, str]  # installed key -> "local", "lock", "snapshot" or "index": whence the edge finding it
    unknown: tuple[str, ...] = ()  # declarations (as ``name<specifier>``) no source knew: what they install is unknown
    newer: tuple[str, ...] = ()  # declarations judged by the snapshot's newer release than their range allows
    # declared key -> the version of that newer release (``newer``'s declarations), for the report to name it
    newer_versions: Mapping[str, str] = MappingProxyType({})


def dependencies_of(
    requirements: Sequence[model.Requirement],
    *,
    index_url: str,
    offline: bool,
    lock: LockedDependencies | None = None,
    local: DependencySource | None = None,
    optional: Sequence[model.Requirement] = (),
) -> tuple[Dependencies, tuple[str, ...]]:
    """What the declared requirements install, and warnings; each declaration judged by the releases it allows.

    Sources, in turn: the project's lock file (the very releases it installs), the bundled snapshot when the
    release it describes is one the declaration allows, the index unless offline (the newest allowed release's
    own metadata: ``{index}/{name}/{version}/json``, asked only for declarations the first two cannot answer),
    and last the snapshot's newer release (``Dependencies.newer`` names the declarations judged so, for the report
    to say: a newer release may have added a requirement, tensorflow-hub 0.16 tf-keras, or dropped one, gradio 4
    matplotlib). A declaration none of them knows installs nothing as far as this check can tell: a warning names
    it, so an alarm it may explain is read with that in mind, and no alarm is hidden on a guess.

    Before all of them, ``local`` answers for projects installed from a folder of the checked tree (their own
    manifests, see ``local_metadata``). ``optional`` are the declarations of the project's optional features (its
    extras): followed too, so ``via`` can tell what they install, but a plain install leaves them out, so ``via``
    decides when that counts, and one no source knows is not warned about.
    """
    warnings: list[str] = list(lock.warnings) if lock else []
    every = [*requirements, *optional]
    declared = [(req.name, tuple(req.extras)) for req in every]
    ranges = {key: req.specifier for req in every if req.specifier and (key := _key(req.name))}
    found = installed_through(declared, _lookups(index_url, offline, warnings, lock, local), ranges)
    # the project itself (``-e .``) and local projects: nothing to know; optional features: not what an install gets
    plain = {_key(req.name) for req in requirements if not req.local}
    unknown = [wanted for wanted in found.unknown if split_key(wanted)[0] in plain]
    if unknown:
        warnings.append(_unknown_warning(unknown, offline))
    return found, tuple(warnings)


def _unknown_warning(unknown: Sequence[str], offline: bool) -> str:
    shown = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
    one = len(unknown) == 1
    where = "not in the bundled snapshot nor a lock file" if offline else "no lock file, snapshot or index knew"
    hint = "; run without --offline to ask the index" if offline else ""
    return (
        f"dependency data: what {shown} install{'s' if one else ''} is unknown ({where}): a package reported "
        f"missing may come through {'it' if one else 'them'}{hint}"
    )


def requires_of(
    keys: Sequence[str], *, index_url: str, offline: bool
) -> tuple[dict[str, Sequence[str]], tuple[str, ...]]:
    """``requires_dist`` of each normalised name that the snapshot or (unless offline) the index knows."""
    warnings: list[str] = []
    known: dict[str, tuple[str, Sequence[str]]] = {}
    _look_up(sorted(set(keys)), _lookups(index_url, offline, warnings, None, None), known)
    return {key: requires for key, (_, requires) in known.items()}, tuple(warnings)


def requirement_names(requirements: Iterable[str]) -> set[str]:
    """Normalised names of the requirements that apply without asking for an extra."""
    return {key for key, _ in _applicable(list(requirements), frozenset())}


def _lookups(
    index_url: str,
    offline: bool,
    warnings: list[str],
    lock: LockedDependencies | None,
    local: DependencySource | None,
) -> list[tuple[str, DependencySource]]:
    def from_index(keys: Sequence[str]) -> Mapping[str, Sequence[str]]:
        from pipreqs_action.metadata.requires_client import fetch_requires  # requests is slow to import

        lookup = fetch_requires(keys, index_url=index_url)
        warnings.extend(lookup.warnings)
        return lookup.requires

    lookups: list[tuple[str, DependencySource]] = [("snapshot", snapshot_lookup)]
    if lock is not None and lock.known:
        lookups.insert(0, ("lock", functools.partial(lock_lookup, lock.known)))
    if local is not None:
        lookups.insert(0, ("local", local))
    if not offline:
        lookups.append(("index", from_index))
    return [*lookups, (NEWEST, snapshot_newest_lookup)]


def installed_through(
    declared: Iterable[tuple[str, Sequence[str]]],
    lookups: Sequence[tuple[str, DependencySource]],
    ranges: Mapping[str, str] | None = None,
) -> Dependencies:
    """Follow ``requires_dist`` from each declared ``(name, extras)``, asking each named lookup in turn.

    A declaration with a specifier (``ranges``: key -> ``~=0.15.0``) is asked as ``name<specifier>``: a lookup
    answers it only for a release the specifier allows. The distributions found below it are asked by name.
    """
    through: dict[str, set[str]] = {}
    sources: dict[str, str] = {}
    known: dict[str, tuple[str, Sequence[str]]] = {}
    frontier: set[tuple[str, frozenset[str], str]] = {
        (_key(name), frozenset(_key(extra) for extra in extras), _key(name)) for name, extras in declared
    }
    declared_keys = {key for key, _, _ in frontier}
    asked = {key: key + (ranges or {}).get(key, "") for key in declared_keys}
    _look_up(sorted(asked.values()), lookups, known)
    known = {key: known[wanted] for key, wanted in asked.items() if wanted in known}
    unknown = tuple(sorted(wanted for key, wanted in asked.items() if key not in known))
    newer = tuple(sorted(asked[key] for key, (source, _) in known.items() if source == NEWEST))
    newer_versions = {key: snapshot_version(key) for key, (source, _) in known.items() if source == NEWEST}
    known.update((key, ("snapshot", requires)) for key, (source, requires) in list(known.items()) if source == NEWEST)
    for _ in range(MAX_DEPTH):
        _look_up(sorted({key for key, _, _ in frontier} - known.keys() - declared_keys), lookups, known)
        following: set[tuple[str, frozenset[str], str]] = set()
        # in a fixed order: the first path to a distribution names its source, which must not vary between runs
        for key, extras, root in sorted(frontier, key=lambda item: (item[0], sorted(item[1]), item[2])):
            source, requirements = known.get(key, ("", ()))
            for dep, dep_extras in _applicable(requirements, extras):
                if dep in declared_keys or root in through.get(dep, ()):
                    continue
                through.setdefault(dep, set()).add(root)
                sources.setdefault(dep, source)
                following.add((dep, dep_extras, root))
        frontier = following
    return Dependencies(
        {key: tuple(sorted(roots)) for key, roots in through.items()}, sources, unknown, newer, newer_versions
    )


def _look_up(
    keys: Sequence[str], lookups: Sequence[tuple[str, DependencySource]], known: dict[str, tuple[str, Sequence[str]]]
) -> None:
    wanted = list(keys)
    for name, lookup in lookups:
        if not wanted:
            return
        answers = lookup(wanted)
        known.update((key, (name, answers[key])) for key in wanted if key in answers)
        wanted = [key for key in wanted if key not in answers]


def _applicable(requirements: Sequence[str], extras: frozenset[str]) -> list[tuple[str, frozenset[str]]]:
    found: list[tuple[str, frozenset[str]]] = []
    for text in requirements:
        item = _simple(text, extras) if _SNAPSHOT_FORM.match(text) else _parsed(text, extras)
        if item is not None:
            found.append(item)
    return found


def _simple(text: str, extras: frozenset[str]) -> tuple[str, frozenset[str]] | None:
    """The snapshot's own forms (``name``, ``name[x,y]``, ``name; extra == "a" or extra == "b"``), read without
    packaging's parser: a run reads thousands of them, and only a few would ever need a real marker evaluation."""
    head, _, marker = text.partition(";")
    if marker and not extras & {_key(extra) for extra in _EXTRA_NAMES.findall(marker)}:
        return None
    name, _, rest = head.strip().partition("[")
    return _key(name), frozenset(_key(extra) for extra in rest.rstrip("]").split(",") if extra.strip())


def _parsed(text: str, extras: frozenset[str]) -> tuple[str, frozenset[str]] | None:
    parsed = _parse(text)
    if parsed is None or (parsed.marker is not None and not _holds(parsed.marker, extras)):
        return None
    return _key(parsed.name), frozenset(_key(extra) for extra in parsed.extras)


def _key(name: str) -> str:
    return canonical_name(name)


@functools.lru_cache(maxsize=4096)
def _parse(text: str) -> Requirement | None:
    return parse_or_none(text)


@functools.lru_cache(maxsize=4096)
def _holds(marker: str, extras: frozenset[str]) -> bool:
    """True when ``marker`` holds somewhere: on a usual platform, with a supported Python, for an asked extra."""
    from packaging.markers import Marker, UndefinedComparison, UndefinedEnvironmentName  # only for a marker

    parsed = Marker(marker)
    for extra in (*sorted(extras), ""):
        for platform in _PLATFORMS:
            for python in _PYTHONS:
                environment = {**platform, "python_version": python, "python_full_version": f"{python}.0"}
                try:
                    if parsed.evaluate({**environment, "extra": extra}):
                        return True
                except (UndefinedComparison, UndefinedEnvironmentName):
                    return False
    return False


@functools.cache
def snapshot() -> Mapping[str, Sequence[object]]:
    """The bundled requirements of the most downloaded distributions, as stored (see ``encode_snapshot``); each
    entry is decoded when first looked up (``requires_snapshot``)."""
    try:
        text = SNAPSHOT.read_text("utf-8")
    except (OSError, ValueError) as exc:
        log.warning("%s: cannot read the dependency snapshot: %s", SNAPSHOT, exc)
        return {}
    return Snapshot(text, str(SNAPSHOT))


def _decode(entry: Sequence[object]) -> tuple[str, ...]:
    """``[version, "a b[x]", {"extra": "c d"}]`` -> ``("a", "b[x]", 'c; extra == "extra"', ...)``."""
    plain = str(entry[1]).split() if len(entry) > 1 else []
    groups = entry[2] if len(entry) > 2 and isinstance(entry[2], dict) else {}
    extras = [f'{name}; extra == "{extra}"' for extra, names in groups.items() for name in str(names).split()]
    return (*plain, *extras)


def snapshot_lookup(keys: Sequence[str]) -> Mapping[str, Sequence[str]]:
    """``requires_dist`` (as requirement strings) of the names the snapshot knows, decoded only when asked; a
    ``name<specifier>`` key only when the release the snapshot describes is one the specifier allows."""
    data = snapshot()
    found = {}
    for key in keys:
        name, specifier = split_key(key)
        entry = data.get(name)
        if entry and allows(specifier, str(entry[0])):
            found[key] = _decode(entry)
    return found


def snapshot_newest_lookup(keys: Sequence[str]) -> Mapping[str, Sequence[str]]:
    """The last resort for a declaration whose range excludes the release the snapshot describes: that newer
    release's requirements, which mostly still hold (starlette through fastapi 0.112 as through 0.165) but not
    always (tensorflow-hub 0.16 added tf-keras, which 0.15 never installed). Its answers are labelled
    ``NEWEST``, so the report can say which declarations were judged this way."""
    data = snapshot()
    return {key: _decode(entry) for key in keys if split_key(key)[1] and (entry := data.get(split_key(key)[0]))}


def snapshot_version(key: str) -> str:
    """The release the snapshot describes for a normalised name ("" when it has none)."""
    entry = snapshot().get(key)
    return str(entry[0]) if entry else ""


def lock_lookup(locked: Mapping[str, Locked], keys: Sequence[str]) -> Mapping[str, Sequence[str]]:
    """What the lock file says, for a ``name<specifier>`` key only when the locked version is allowed (a lock
    older than the manifest describes another release)."""
    found = {}
    for key in keys:
        name, specifier = split_key(key)
        entry = locked.get(name)
        if entry and (not entry.version or allows(specifier, entry.version)):
            found[key] = entry.requires
    return found


def split_key(key: str) -> tuple[str, str]:
    """``"tensorflow-hub~=0.15.0"`` -> ``("tensorflow-hub", "~=0.15.0")``; a plain name has no specifier."""
    match = _KEY.match(key)
    return (match[1], key[match.end() :].strip()) if match else (key, "")


def encode_snapshot(about: Mapping[str, str], projects: Mapping[str, tuple[str, Sequence[str]]]) -> str:
    """The snapshot file, a project a line: ``"uvicorn": ["0.32.0", "click h11", {"standard": "httptools ..."}]``.

    Only which distribution a requirement installs matters here, so version specifiers are dropped and each
    marker is reduced to what ``_holds`` answers: always (listed plainly), for some extras (grouped under each
    extra), or never (left out). That keeps the file a fraction of the size of the raw metadata.
    """
    lines = []
    for key, (version, requires) in sorted(projects.items()):
        plain: set[str] = set()
        by_extra: dict[str, set[str]] = {}
        for text in requires:
            head, extras = _compact(text)
            if head and not extras:
                plain.add(head)
            for extra in extras:
                by_extra.setdefault(extra, set()).add(head)
        entry: list[object] = [version, " ".join(sorted(plain))]
        if by_extra:
            entry.append({extra: " ".join(sorted(names)) for extra, names in sorted(by_extra.items())})
        lines.append(f"  {json.dumps(key)}: {json.dumps(entry)}")
    return '{\n "_about": ' + json.dumps(dict(about)) + ',\n "projects": {\n' + ",\n".join(lines) + "\n }\n}\n"


def _compact(text: str) -> tuple[str, tuple[str, ...]]:
    """``name[extras]`` and the extras of the declaring project it applies to: ``()`` for always; ``""`` for never.

    The marker is reduced to what ``_holds`` would answer at run time, so the snapshot needs no platform or Python
    markers: holds somewhere without an extra (always), holds only for some extras, or never holds.
    """
    parsed = _parse(text)
    if parsed is None:
        return "", ()
    head = parsed.name + (f"[{','.join(sorted(parsed.extras))}]" if parsed.extras else "")
    if parsed.marker is None or _holds(parsed.marker, frozenset()):
        return head, ()
    marker = parsed.marker
    extras = sorted({_key(extra) for extra in _EXTRA_NAMES.findall(marker)})
    wanted = tuple(extra for extra in extras if _holds(marker, frozenset({extra})))
    return (head, wanted) if wanted else ("", ())
