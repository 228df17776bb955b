"""Where a manifest's value or key stands is found with string methods, at exactly the line its pattern finds.

``Lines`` used to compile a regular expression for every value of a list (flask's pyproject.toml: 70 of them, a
tenth of its check); the string methods that replace it must agree with the pattern on every line, which these
tests check on generated lines, values and keys (whitespace of several kinds, quotes, dashes, comments, keys).
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipreqs_action.manifests.base import Lines, _holds_value, _is_key_line, key_pattern, value_pattern

_PIECES = st.sampled_from(
    ["flask", "a", "-", " ", "\t", "\r", "\x1c", "\u3000", '"', "'", "=", ":", "#", ";", "[", ">=1"]
)
_LINE = st.lists(_PIECES, max_size=9).map("".join)
_VALUE = st.lists(st.sampled_from(["flask", "a", "-", ">=1", " ", "=", "'", "#", ";", "-e ."]), max_size=3).map("".join)


@settings(max_examples=1500)
@given(_LINE, _VALUE)
@example('  "flask>=1",', "flask>=1")
@example("- flask  # web", "flask")
@example("dependencies = flask", "flask")
@example("-flask", "-flask")
@example("'flask\"", "flask")
@example("  - \u3000-e .", "-e .")
def test_a_value_is_found_where_its_pattern_finds_it(line: str, value: str) -> None:
    expected = bool(re.search(value_pattern(value), line))
    assert _holds_value(line, value.strip()) == expected


@settings(max_examples=1500)
@given(_LINE, st.sampled_from(["flask", "a", "dev", "a-b", "requires-python", "flask'", "a b"]))
@example(' "flask" = [', "flask")
@example("\tflask' :", "flask'")
@example("flask=", "flask")
@example("'flask", "flask")
def test_a_key_is_found_where_its_pattern_finds_it(line: str, name: str) -> None:
    assert _is_key_line(line, name) == bool(re.search(key_pattern(name), line))


@given(st.lists(_LINE, max_size=6), _VALUE, st.integers(0, 6))
def test_lines_answer_as_the_pattern_search_does(lines: list[str], value: str, start: int) -> None:
    found = Lines("\n".join(lines), "pyproject.toml")
    assert found._value_line(value.strip(), start) == found.find(value_pattern(value), start)
    assert found.key("a", start) == found.find(key_pattern("a"), start)
    assert found.key(" a", start) == found.find(key_pattern(" a"), start)
