from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipreqs_action import scan
from pipreqs_action.app_code import reachability, test_modules
from pipreqs_action.intent import guarded_modules, project_guards
from pipreqs_action.reading.line_search import LineStarts, line_matches

ROOT = Path(__file__).resolve().parents[2]
# Each pattern searched with line_matches, and the words one of which every match holds (a line is tried per word).
SEARCHED = [
    (guarded_modules._INDENTED_IMPORT, ("import",)),
    (reachability._RELATIVE, ("import",)),
    (test_modules._FRAMEWORK, ("pytest", "unittest")),
    (project_guards._with_pattern(("guard", "optional_import_block", "suppress")), ("with",)),
]
CRAFTED = [
    "import os\n    import sys\n\tfrom . import a, b  # import c\nx = 'import'\n    from .m import (\n  y,\n)",
    "  from ..pkg.sub import name; import other\r\n  import pytest\r\nimport unittest",
    "def f():\n    import a; import b\n    from .x import y\n    from .x import z",
    "    import last_line_without_newline",
    "importlib\n  important = 1\n  from x import*\n",
    "from the docs:\n\n\nfrom .a import b\nimport c\n\n  from\tq import r\r\n\rimport lone_cr",
    "",
]
AT_LINE_STARTS = [scan._IMPORTED_NAME, scan._RELATIVE_IMPORT]  # each searched as LineStarts


def _spans(matches: object) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(match.span(), match.groups()) for match in matches]  # type: ignore[attr-defined]


def _texts() -> list[str]:
    files = [*sorted((ROOT / "src").rglob("*.py")), *sorted((ROOT / "tests").rglob("*.py"))]
    return [*CRAFTED, *(path.read_text("utf-8", errors="replace") for path in files)]


@pytest.mark.parametrize(("pattern", "words"), SEARCHED)
def test_line_matches_finds_what_finditer_finds(pattern: re.Pattern[str], words: tuple[str, ...]) -> None:
    texts = _texts()
    assert len(texts) > 300
    for text in texts:
        found = {match.span(): match for word in words for match in line_matches(pattern, text, word)}
        assert _spans(sorted(found.values(), key=lambda match: match.start())) == _spans(pattern.finditer(text))


@pytest.mark.parametrize(("pattern", "words"), SEARCHED)
def test_no_match_spans_a_newline_or_lacks_the_words(pattern: re.Pattern[str], words: tuple[str, ...]) -> None:
    """What makes line_matches exact for these patterns."""
    for text in _texts():
        for match in pattern.finditer(text):
            assert "\n" not in match.group() and any(word in match.group() for word in words)


@pytest.mark.parametrize("searched", AT_LINE_STARTS)
def test_line_starts_finds_what_the_multiline_pattern_finds(searched: LineStarts) -> None:
    anchored = re.compile(f"^(?:{searched.body})", re.MULTILINE)
    for text in _texts():
        found = anchored.findall(text)
        if anchored.groups:
            assert searched.findall(text) == found
        assert searched.found(text) == bool(found)
