"""Imports in a Python-version branch that no Python the project supports ever takes.

``if sys.version_info >= (3, 10): import importlib.metadata`` / ``else: import importlib_metadata`` keeps a backport
for old Pythons. ``guards`` gives the ``else`` import the marker ``python_version < "3.10"``, so without more it is
reported as needed there, with that marker on the suggested line. When the project declares the Pythons it supports
(``requires-python >=3.10``: ``manifests.requires_python``) and none of them satisfies the marker, on any platform,
the branch is dead code: the import is reported optional, ``"only for Python < 3.10; requires-python >=3.10"``.
Without a declaration, or when some supported Python takes the branch, it stays as ``guards`` left it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

from pipreqs_action.manifests.requires_python import RequiresPython
from pipreqs_action.model import ImportRef, ScanResult
from pipreqs_action.reading.lazy_regex import LazyPattern

__all__ = ["apply"]

# Every Python release line a specifier may admit (a patch level early and late in each line, for ">=3.10.2").
_RELEASES = ((2, 7), *((3, minor) for minor in range(31)))
_PATCHES = (0, 99)
# sys_platform, platform_system and os_name of the platforms a branch may be written for.
_PLATFORMS = (("linux", "Linux", "posix"), ("win32", "Windows", "nt"), ("darwin", "Darwin", "posix"))
_ONE_VERSION_TEST = LazyPattern(r'python_(?:full_)?version\s*(?P<op>[<>=!~]=?)\s*"(?P<version>[\d.*]+)"')


def apply(
    scan: ScanResult,
    read_supported: Callable[[], RequiresPython | None],
    per_file: Mapping[str, RequiresPython] | None = None,
) -> ScanResult:
    """The scan with imports in branches the project's supported Pythons rule out marked optional; those are read
    (``read_supported``) only when some import sits in a version branch. ``per_file`` overrides them for a file
    that declares its own Pythons (a script's inline metadata)."""
    if not any("python_" in ref.marker for ref in scan.imports):
        return scan
    per_file = per_file or {}
    supported = read_supported()
    imports = tuple(_judged(ref, per_file.get(ref.location.path, supported)) for ref in scan.imports)
    return scan._replace(imports=imports)


def _judged(ref: ImportRef, supported: RequiresPython | None) -> ImportRef:
    if supported is None or ref.optional or "python_" not in ref.marker:
        return ref
    if not _never_taken(ref.marker, supported.specifier):
        return ref
    reason = f"only for {_described(ref.marker)}; requires-python {supported.specifier}"
    if supported.location.path == ref.location.path:
        reason += " in its inline script metadata"
    return ref._replace(optional=True, reason=reason)


@functools.cache
def _never_taken(marker: str, specifier: str) -> bool:
    """Whether no release ``specifier`` admits satisfies ``marker`` on any platform (False when in doubt)."""
    from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName
    from packaging.specifiers import SpecifierSet  # both only for a project with a version branch

    versions = SpecifierSet(specifier)
    releases = [
        (f"{major}.{minor}", f"{major}.{minor}.{patch}")
        for major, minor in _RELEASES
        for patch in _PATCHES
        if versions.contains(f"{major}.{minor}.{patch}", prereleases=True)
    ]
    if not releases:
        return False  # a specifier no known release meets says nothing we can use
    try:
        condition = Marker(marker)
        return not any(
            condition.evaluate(
                {
                    "python_version": short,
                    "python_full_version": full,
                    "sys_platform": platform,
                    "platform_system": system,
                    "os_name": os_name,
                }
            )
            for short, full in releases
            for platform, system, os_name in _PLATFORMS
        )
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
        return False


def _described(marker: str) -> str:
    """``Python < 3.9`` for a single version test, else the marker itself."""
    match = _ONE_VERSION_TEST.fullmatch(marker.strip())
    return f"Python {match['op']} {match['version']}" if match else marker
