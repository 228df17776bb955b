"""PEP 508 requirement strings and PEP 440 specifiers, read without importing packaging when they are plain.

WHY: ``packaging.requirements`` with what it imports (markers, specifiers, ``packaging.tags`` and through it
``platform``, ``subprocess`` and ``sysconfig``) was about a fifth of the instructions of a whole check of a small
project, yet most requirement strings are plain: a name, perhaps extras, perhaps specifiers of a release number
(``streamlit==1.39.0``, ``uvicorn[standard]>=0.30,<1``). Those are read here, to exactly the values packaging
gives (a property test compares both on generated strings); any other string (a marker, a URL, a pre-release,
``==1.*``) goes to packaging, imported then. The same holds for asking whether a specifier allows a version.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["InvalidRequirement", "Requirement", "allows", "canonical_name", "parse", "parse_or_none"]

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_CLAUSE = r"[ \t]*(?:==|!=|>=|<=|~=|>|<)[ \t]*[0-9]+(?:\.[0-9]+)*[ \t]*"
_PLAIN = re.compile(
    rf"[ \t]*(?P<name>{_NAME})(?:\[(?P<extras>{_NAME}(?:,{_NAME})*)\])?"
    rf"(?P<specifier>{_CLAUSE}(?:,{_CLAUSE})*)?[ \t]*"
)
# What every requirement packaging accepts starts with: a name, then what may follow one (extras, a version in
# parentheses, a URL, a specifier, a marker) or the end. Text that does not (a comment's prose) is refused by
# packaging, so a reader that only asks "is this a requirement?" needs no packaging to hear no.
_STARTS_LIKE_ONE = re.compile(r"[ \t]*[A-Za-z0-9][A-Za-z0-9._-]*[ \t]*(?:[\[(@;<>=!~]|\Z)")
_PLAIN_CLAUSE = re.compile(r"[ \t]*(==|!=|>=|<=|~=|>|<)[ \t]*([0-9]+(?:\.[0-9]+)*)[ \t]*\Z")
_RELEASE = re.compile(r"[0-9]+(?:\.[0-9]+)*\Z")


class InvalidRequirement(ValueError):
    """A string packaging refuses; its message is packaging's own."""


class Requirement(NamedTuple):
    """What the checks read of a requirement: packaging's ``Requirement`` with its specifier and marker as text."""

    name: str
    extras: frozenset[str]
    specifier: str  # as packaging writes a ``SpecifierSet``: sorted, no duplicates, comma-separated
    marker: str | None  # as packaging writes a ``Marker``; None without one
    url: str | None


def canonical_name(name: str) -> str:
    """The PEP 503 normalised name, as ``packaging.utils.canonicalize_name`` writes it (``Foo_Bar`` -> ``foo-bar``)."""
    value = name.lower().replace("_", "-").replace(".", "-")
    while "--" in value:
        value = value.replace("--", "-")
    return value


def parse(text: str) -> Requirement:
    """``text`` as packaging's ``Requirement`` reads it; ``InvalidRequirement`` (packaging's message) if it refuses."""
    match = _PLAIN.fullmatch(text)
    if match is not None:
        clauses = [clause.replace(" ", "").replace("\t", "") for clause in (match["specifier"] or "").split(",")]
        if not any(clause.startswith("~=") and "." not in clause for clause in clauses):  # ``~=1``: refused
            extras = frozenset(match["extras"].split(",")) if match["extras"] else frozenset()
            return Requirement(match["name"], extras, _specifier_text(clauses), None, None)
    from packaging.requirements import InvalidRequirement as Refused
    from packaging.requirements import Requirement as Parsed

    try:
        parsed = Parsed(text)
    except Refused as error:
        raise InvalidRequirement(str(error)) from None
    marker = str(parsed.marker) if parsed.marker is not None else None
    return Requirement(parsed.name, frozenset(parsed.extras), str(parsed.specifier), marker, parsed.url)


def _specifier_text(clauses: list[str]) -> str:
    """Plain clauses as packaging writes their set: sorted, and of clauses that mean the same (``==1.0`` and
    ``==1``, ``>=01`` and ``>=1``) only the first."""
    kept: dict[tuple[str, tuple[int, ...]], str] = {}
    for clause in sorted(set(clauses) - {""}):
        operator = clause[:2] if clause[1] == "=" else clause[:1]
        release = _release(clause[len(operator) :])
        while operator != "~=" and release and release[-1] == 0:  # packaging: trailing zeros mean nothing but in ~=
            release = release[:-1]
        kept.setdefault((operator, release), clause)
    return ",".join(kept.values())


def parse_or_none(text: str) -> Requirement | None:
    """``parse(text)``, or None where packaging refuses it (found without packaging for text that cannot be one)."""
    if not _STARTS_LIKE_ONE.match(text):
        return None
    try:
        return parse(text)
    except InvalidRequirement:
        return None


def allows(specifier: str, version: str) -> bool:
    """Whether ``specifier`` allows ``version`` (pre-releases included); an unreadable one allows nothing."""
    if not specifier:
        return True
    plain = _plain_allows(specifier, version)
    if plain is not None:
        return plain
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        return SpecifierSet(specifier).contains(Version(version), prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return False


def _plain_allows(specifier: str, version: str) -> bool | None:
    """The answer for release numbers only (``>=1.2,<2`` and ``1.4.0``), as PEP 440 compares them (missing
    trailing parts are zeros); None for anything else."""
    if not _RELEASE.match(version):
        return None
    release = _release(version)
    answers = []
    for clause in specifier.split(","):
        if not clause.strip():
            continue
        match = _PLAIN_CLAUSE.match(clause)
        if match is None:
            return None
        operator, bound = match[1], _release(match[2])
        if operator == "~=" and len(bound) < 2:
            return None
        width = max(len(release), len(bound))
        if operator == "~=":  # at least the bound, and the same release up to its last part
            padded, prefix = _padded(release, width), bound[:-1]
            answers.append(padded >= _padded(bound, width) and padded[: len(prefix)] == prefix)
            continue
        left, right = _padded(release, width), _padded(bound, width)
        answers.append(_COMPARE[operator](left, right))
    return all(answers)


def _release(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _padded(release: tuple[int, ...], width: int) -> tuple[int, ...]:
    return release + (0,) * (width - len(release))


_COMPARE = {
    "==": tuple.__eq__,
    "!=": tuple.__ne__,
    ">=": tuple.__ge__,
    "<=": tuple.__le__,
    ">": tuple.__gt__,
    "<": tuple.__lt__,
}
