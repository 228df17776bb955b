"""Plain requirement strings and specifiers read without packaging, with exactly packaging's results.

``pep508`` reads a plain string itself (start-up: packaging's parser and what it imports were a fifth of a small
check) and hands every other one to packaging; these tests compare both ways on generated strings, plain and
not, so the shortcut can never answer differently from the library.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from packaging.requirements import InvalidRequirement as Refused
from packaging.requirements import Requirement as Packaging
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from pipreqs_action import pep508

_NAMES = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,6}[A-Za-z0-9])?", fullmatch=True)
_RELEASES = st.from_regex(r"0?[0-9]{1,2}(\.[0-9]{1,2}){0,3}", fullmatch=True)
_CLAUSES = st.builds(
    lambda pad, op, release, after: f"{pad}{op}{pad}{release}{after}",
    st.sampled_from(["", " ", "\t"]),
    st.sampled_from(["==", "!=", ">=", "<=", "~=", ">", "<", "===", "=", "=="]),
    _RELEASES,
    st.sampled_from(["", "", " ", ".*", "rc1", ".post1", "+local", "a"]),
)
_PLAINISH = st.builds(
    lambda lead, name, extras, clauses, tail: lead + name + extras + ",".join(clauses) + tail,
    st.sampled_from(["", " "]),
    _NAMES,
    st.sampled_from(["", "[a]", "[a,B_c]", "[ a ]", "[]", "[a,]"]),
    st.lists(_CLAUSES, max_size=3),
    st.sampled_from(["", " ", "\t", ",", "; python_version < '3.10'", " @ https://x/y.whl", "#", " extra"]),
)
# anything at all, from the characters PEP 508 gives a meaning
_ANY = st.text(alphabet=list("aZ09.-_=<>~!*+,;[]@:/ \t'\"()"), max_size=30)


def _packaging(text: str) -> pep508.Requirement | str:
    try:
        parsed = Packaging(text)
    except Refused as error:
        return f"refused: {error}"
    marker = str(parsed.marker) if parsed.marker is not None else None
    return pep508.Requirement(parsed.name, frozenset(parsed.extras), str(parsed.specifier), marker, parsed.url)


def _ours(text: str) -> pep508.Requirement | str:
    try:
        return pep508.parse(text)
    except pep508.InvalidRequirement as error:
        return f"refused: {error}"


@settings(max_examples=600)
@given(st.one_of(_PLAINISH, _ANY, st.from_regex(pep508._PLAIN, fullmatch=True)))
@example("streamlit==1.39.0")
@example("uvicorn[standard] >= 0.30 , <1,>=0.30")
@example("a~=1")
@example("a~=1.0,~=1")
@example("a==01.0")
def test_a_requirement_reads_as_packaging_reads_it(text: str) -> None:
    assert _ours(text) == _packaging(text)


@settings(max_examples=600)
@given(st.one_of(_PLAINISH, _ANY, st.text(max_size=12)))
@example("A Streamlit app whose requirements.txt has drifted from its code.")
@example("a_")
@example("a_ ; python_version < '3'")
def test_what_is_not_read_as_a_requirement_is_what_packaging_refuses(text: str) -> None:
    expected = _packaging(text)
    assert pep508.parse_or_none(text) == (None if isinstance(expected, str) else expected)


def test_a_plain_requirement_is_read_without_packaging() -> None:
    """Here is the point of the module: the plain forms never import packaging, the others do."""
    code = (
        "import sys; from pipreqs_action import pep508;"
        "pep508.parse('uvicorn[standard]>=0.30,<1'); pep508.allows('~=1.4.2,!=1.4.3', '1.4.9');"
        "pep508.canonical_name('Zope.Interface'); pep508.parse_or_none('Pinned on purpose: see the README');"
        "print(any(name.startswith('packaging') for name in sys.modules));"
        "pep508.parse('a; python_version < \"3.10\"');"
        "print(any(name.startswith('packaging') for name in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == ["False", "True"]


def _allowed_by_packaging(specifier: str, version: str) -> bool:
    """The answer before ``pep508``: no specifier allows every version, else packaging's (an unreadable one: none)."""
    if not specifier:
        return True
    try:
        return SpecifierSet(specifier).contains(Version(version), prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return False


@settings(max_examples=600)
@given(st.lists(_CLAUSES, max_size=3).map(",".join), st.one_of(_RELEASES, st.sampled_from(["1.0rc1", "2!1", "x"])))
@example("~=1.0.0", "1")
@example("~=1.4.5", "1.4")
@example("~=2.2", "2.9.1")
@example("==1.0", "1.0.0")
@example(">1.0", "1.0.0.0")
@example("~=1", "1.0")
def test_a_specifier_allows_what_packaging_allows(specifier: str, version: str) -> None:
    assert pep508.allows(specifier, version) == _allowed_by_packaging(specifier, version)


@given(st.text(alphabet=list("aZ09.-_ÄİK"), max_size=12))
@example("Zope.Interface")
@example("a--_.b")
def test_a_canonical_name_is_packagings(name: str) -> None:
    assert pep508.canonical_name(name) == canonicalize_name(name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PyYAML>=6.0", ("PyYAML", frozenset(), ">=6.0")),
        ("a[x,y] <2, >=1 ,>=1", ("a", frozenset({"x", "y"}), "<2,>=1")),
    ],
)
def test_the_values_read(text: str, expected: tuple[str, frozenset[str], str]) -> None:
    assert pep508.parse(text)[:3] == expected
