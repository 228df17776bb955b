"""Which distributions a declared one installs: its ``requires_dist``, followed through a few levels.

``import pydantic`` in a project that declares only ``fastapi`` works, because fastapi requires pydantic; it is
still worth declaring (fastapi may drop it), but it is not the alarm a truly missing package is. The
dependency data is each distribution's own metadata (``Requires-Dist``), from two places:

- a snapshot bundled with the package, ``data/requires_dist.json``: the latest release's requirements of the
  most downloaded distributions (``scripts/refresh_requires_snapshot.py`` writes it), so ``--offline`` runs know
  the common cases;
- the index's JSON API (``{index}/{name}/json``, ``requires_client``) for the rest, unless offline.

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
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker, UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from pipreqs_action import model

__all__ = [
    "MAX_DEPTH",
    "SNAPSHOT",
    "Dependencies",
    "DependencySource",
    "dependencies_of",
    "encode_snapshot",
    "installed_through",
    "requirement_names",
    "requires_of",
]

log = logging.getLogger(__name__)

SNAPSHOT = Path(__file__).with_name("data") / "requires_dist.json"
MAX_DEPTH = 3  # declared -> its requirements -> theirs -> theirs: deeper chains are rare and change often

# The environments a marker is tried in: a requirement installed on any of them counts.
_PLATFORMS = (
    {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64"},
    {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64"},
    {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix", "platform_machine": "arm64"},
)
_PYTHONS = ("3.9", "3.10", "3.11", "3.12", "3.13", "3.14")
_EXTRA_NAMES = re.compile(r"""\bextra\s*==\s*['"]([^'"]+)['"]""")

DependencySource = Callable[[Sequence[str]], Mapping[str, Sequence[str]]]
"""Looks up ``requires_dist`` for normalised names; answers only the names it knows."""


@dataclass(frozen=True, slots=True)
class Dependencies:
    """What the declared distributions install: installed key -> the declared keys it comes through."""

    through: Mapping[str, tuple[str, ...]]
    sources: Mapping[str, str]  # installed key -> "snapshot" or "index", where the edge that found it came from


def dependencies_of(
    requirements: Iterable[model.Requirement], *, index_url: str, offline: bool
) -> tuple[Dependencies, tuple[str, ...]]:
    """What the declared requirements install, from the snapshot, then (unless offline) the index; and warnings."""
    warnings: list[str] = []
    declared = [(req.name, tuple(req.extras)) for req in requirements]
    return installed_through(declared, _lookups(index_url, offline, warnings)), tuple(warnings)


def requires_of(
    keys: Sequence[str], *, index_url: str, offline: bool
) -> tuple[dict[str, Sequence[str]], tuple[str, ...]]:
    """``requires_dist`` of each normalised name that the snapshot or (unless offline) the index knows."""
    warnings: list[str] = []
    known: dict[str, tuple[str, Sequence[str]]] = {}
    _look_up(sorted(set(keys)), _lookups(index_url, offline, warnings), known)
    return {key: requires for key, (_, requires) in known.items()}, tuple(warnings)


def requirement_names(requirements: Iterable[str]) -> set[str]:
    """Normalised names of the requirements that apply without asking for an extra."""
    return {key for key, _ in _applicable(list(requirements), frozenset())}


def _lookups(index_url: str, offline: bool, warnings: list[str]) -> list[tuple[str, DependencySource]]:
    def from_index(keys: Sequence[str]) -> Mapping[str, Sequence[str]]:
        from pipreqs_action.requires_client import fetch_requires  # requests is slow to import

        lookup = fetch_requires(keys, index_url=index_url)
        warnings.extend(lookup.warnings)
        return lookup.requires

    lookups: list[tuple[str, DependencySource]] = [("snapshot", snapshot_lookup)]
    return lookups if offline else [*lookups, ("index", from_index)]


def installed_through(
    declared: Iterable[tuple[str, Sequence[str]]], lookups: Sequence[tuple[str, DependencySource]]
) -> Dependencies:
    """Follow ``requires_dist`` from each declared ``(name, extras)``, asking each named lookup in turn."""
    through: dict[str, set[str]] = {}
    sources: dict[str, str] = {}
    known: dict[str, tuple[str, Sequence[str]]] = {}
    frontier: set[tuple[str, frozenset[str], str]] = {
        (_key(name), frozenset(_key(extra) for extra in extras), _key(name)) for name, extras in declared
    }
    declared_keys = {key for key, _, _ in frontier}
    for _ in range(MAX_DEPTH):
        _look_up(sorted({key for key, _, _ in frontier} - known.keys()), lookups, known)
        following: set[tuple[str, frozenset[str], str]] = set()
        for key, extras, root in frontier:
            source, requirements = known.get(key, ("", ()))
            for dep, dep_extras in _applicable(requirements, extras):
                if dep in declared_keys or root in through.get(dep, ()):
                    continue
                through.setdefault(dep, set()).add(root)
                sources.setdefault(dep, source)
                following.add((dep, dep_extras, root))
        frontier = following
    return Dependencies({key: tuple(sorted(roots)) for key, roots in through.items()}, sources)


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
        parsed = _parse(text)
        if parsed is not None and (parsed.marker is None or _holds(str(parsed.marker), extras)):
            found.append((_key(parsed.name), frozenset(_key(extra) for extra in parsed.extras)))
    return found


def _key(name: str) -> str:
    return str(canonicalize_name(name))


@functools.lru_cache(maxsize=4096)
def _parse(text: str) -> Requirement | None:
    try:
        return Requirement(text)
    except InvalidRequirement:
        return None


@functools.lru_cache(maxsize=4096)
def _holds(marker: str, extras: frozenset[str]) -> bool:
    """True when ``marker`` holds somewhere: on a usual platform, with a supported Python, for an asked extra."""
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
def snapshot() -> Mapping[str, Sequence[str]]:
    """The bundled requirements of the most downloaded distributions (normalised name -> requires_dist)."""
    try:
        data = json.loads(SNAPSHOT.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("%s: cannot read the dependency snapshot: %s", SNAPSHOT, exc)
        return {}
    return {key: _decode(entry) for key, entry in data.get("projects", {}).items()}


def _decode(entry: Sequence[object]) -> tuple[str, ...]:
    """``[version, "a b[x]", {"extra": "c d"}]`` -> ``("a", "b[x]", 'c; extra == "extra"', ...)``."""
    plain = str(entry[1]).split() if len(entry) > 1 else []
    groups = entry[2] if len(entry) > 2 and isinstance(entry[2], dict) else {}
    extras = [f'{name}; extra == "{extra}"' for extra, names in groups.items() for name in str(names).split()]
    return (*plain, *extras)


def snapshot_lookup(keys: Sequence[str]) -> Mapping[str, Sequence[str]]:
    data = snapshot()
    return {key: data[key] for key in keys if key in data}


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
    if parsed.marker is None or _holds(str(parsed.marker), frozenset()):
        return head, ()
    marker = str(parsed.marker)
    extras = sorted({_key(extra) for extra in _EXTRA_NAMES.findall(marker)})
    wanted = tuple(extra for extra in extras if _holds(marker, frozenset({extra})))
    return (head, wanted) if wanted else ("", ())
