"""Imports that a declared distribution probably provides, judged by its name when no data knows its modules.

Our module data (pigar's index, pipreqs' mapping, the curated table) is older than some distributions: Griffe 2
ships its ``griffe`` module in the distribution ``griffelib``, and ``fastmcp-slim`` is the lighter build of
``fastmcp`` that installs the ``fastmcp`` module. A project declaring ``griffelib`` and importing ``griffe`` would
be told that ``griffe`` (the namesake distribution) is missing, and that ``griffelib`` is unused: both wrong.

The rule is narrow on purpose. A declared distribution counts only when no source has any module data for it
(``ImportNames.knows``: then what it provides is unknown, not known to be something else), and an import counts
only when its name is that distribution's name less a packaging affix: a build qualifier after it
(``fastmcp-slim``, ``foo-lite``, ``foo-client``, ``griffelib``, a CUDA build tag: ``cuml-cu11``, a brand suffix:
``haystack-ai`` installs ``haystack``) or a language marker before it (``python-foo``, ``py-foo``, ``pyfoo``), or
the name with its separators removed (``foo-bar`` -> ``foobar``). Such an import is reported optional, with the
reason ("probably provided by declared fastmcp-slim (pyproject.toml:131): no data knows its modules"), never an
alarm; the declaration is then used, not unused.
Anything else an unknown distribution might provide stays missing: its name says nothing about it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from pipreqs_action.mapping import NAMESPACE_ROOTS, ImportNames
from pipreqs_action.model import Declared, Report, Requirement
from pipreqs_action.pep508 import canonical_name
from pipreqs_action.reading.lazy_regex import LazyPattern

__all__ = ["probably_provided", "suggested_modules"]

# Build qualifiers written after the project's own name, after a hyphen: a lighter, a client-only, a binary build.
_QUALIFIERS_AFTER = frozenset(
    {
        "slim",
        "lite",
        "light",
        "lib",
        "core",
        "client",
        "sdk",
        "python",
        "py",
        "binary",
        "bin",
        "headless",
        "api",
        "minimal",
        "mini",
        "base",
        "ng",
        "next",
        "fork",
        "community",
        "plus",
        "ai",
    }
)
# A CUDA build tag after the name: ``cuml-cu11``, ``cudf-cu12``, ``cupy-cuda11x`` (NVIDIA publishes one distribution
# per CUDA release, each installing the same module; the data may know one build and not the one declared).
_CUDA_BUILD = LazyPattern(r"^cu(?:da)?\d+x?$")
_QUALIFIERS_BEFORE = ("python", "py")  # python-foo, py-foo
_JOINED_AFTER = ("lib",)  # griffelib: written without the hyphen
_JOINED_BEFORE = ("py",)  # pyfoo
_SHORTEST = 3  # what an affix leaves, shorter than this, is no name of its own


def suggested_modules(key: str) -> frozenset[str]:
    """The import names a normalised distribution name suggests besides its own, in the same form (lower case,
    hyphens): ``fastmcp-slim`` -> ``fastmcp``, ``griffelib`` -> ``griffe``, ``python-foo`` -> ``foo``."""
    found = {key.replace("-", "")} if "-" in key else set()
    head, _, last = key.rpartition("-")
    if head and (last in _QUALIFIERS_AFTER or _CUDA_BUILD.match(last)):
        found.add(head)
    first, _, tail = key.partition("-")
    if tail and first in _QUALIFIERS_BEFORE:
        found.add(tail)
    if "-" not in key:  # joined affixes only in a one-word name: ``python-foo`` is no ``py`` + ``thon-foo``
        found.update(key[: -len(affix)] for affix in _JOINED_AFTER if key.endswith(affix))
        found.update(key[len(affix) :] for affix in _JOINED_BEFORE if key.startswith(affix))
    return frozenset(name for name in found if _a_name(name) and name != key)


def _a_name(name: str) -> bool:
    """What an affix leaves is a name of its own: long enough, and not an affix itself (``pylib`` -> ``lib``)."""
    return len(name) >= _SHORTEST and name not in _QUALIFIERS_AFTER and name not in _QUALIFIERS_BEFORE


def probably_provided(report: Report, declared: Declared, names: ImportNames) -> Report:
    """The report with missing imports that a declared distribution unknown to our data probably provides (by the
    rule of the module docstring) made optional, saying which one; those declarations are no longer unused."""
    unknown = _unknown_declarations(declared, names)
    if not unknown or not report.missing:
        return report
    used: set[str] = set()
    missing = []
    for item in report.missing:
        req = None if item.optional else _provider(item.imports, unknown)
        if req is not None:
            used.add(req.key)
            reason = f"probably provided by declared {req.name} ({req.location}): no data knows its modules"
            item = item._replace(optional=True, reason=reason)
        missing.append(item)
    unused = tuple(item for item in report.unused if canonical_name(item.package) not in used)
    return report._replace(missing=tuple(missing), unused=unused)


def _unknown_declarations(declared: Declared, names: ImportNames) -> Mapping[str, Requirement]:
    """The declarations (runtime, optional features, inherited, installed) no source has module data for, by each
    import name their name suggests."""
    grouped = (req for _, group in declared.optional_groups for req in group)
    every: Iterable[Requirement] = (*declared.requirements, *grouped, *declared.inherited, *declared.installed)
    found: dict[str, Requirement] = {}
    for req in every:
        if req.local or names.knows(req.name):
            continue
        for module in suggested_modules(req.key):
            found.setdefault(module, req)
    return found


def _provider(imports: Sequence[str], unknown: Mapping[str, Requirement]) -> Requirement | None:
    """The one unknown declaration suggesting every top-level import of a missing item, if any."""
    roots = {path.partition(".")[0] for path in imports}
    if not roots or roots & NAMESPACE_ROOTS:
        return None  # ``google``, ``azure``: a name shared by many distributions says nothing
    providers = {unknown.get(root.lower().replace("_", "-")) for root in roots}
    if len(providers) != 1:
        return None
    (req,) = providers
    return req
