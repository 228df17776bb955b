"""Ignore patterns come from strangers: matching must take linear time, and what cannot be matched safely is refused
with a warning naming the file and pattern, never a hang."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from pathspec import GitIgnoreSpec

from pipreqs_action.errors import SettingsError
from pipreqs_action.reading import discovery, ignore_rules

# Python's re needs 3.5 s for 28 characters and minutes for 40 (issue 11); a linear matcher needs microseconds.
BACKTRACKING = "*a" * 16 + "*b"
MATCHING = "*a" * 16 + "*.py"  # the same shape, but it does match a long name of a's


def write(root: Path, rel: str, text: str = "import os\n") -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def without_re2(monkeypatch: pytest.MonkeyPatch) -> None:
    """A platform without a google-re2 wheel: patterns go through Python's backtracking re."""
    monkeypatch.setattr(ignore_rules, "_re2_error", lambda: None)


def test_re2_is_the_matcher_here() -> None:
    assert ignore_rules.linear_matching()


def test_a_backtracking_gitignore_is_walked_in_linear_time(tmp_path: Path) -> None:
    write(tmp_path, ".gitignore", f"{BACKTRACKING}\n{MATCHING}\n!keep*.py\n")
    long_name = "a" * 200
    write(tmp_path, f"{long_name}.py")
    write(tmp_path, f"keep{long_name}.py")
    write(tmp_path, f"sub/{'a' * 60}.txt.py")
    write(tmp_path, "app.py")
    started = time.perf_counter()
    files, skipped = discovery.discover(tmp_path)
    assert time.perf_counter() - started < 2
    # the MATCHING pattern ignores names with 16 a's that end in .py; the ! line brings keep* back
    assert files == ["app.py", f"keep{long_name}.py"]
    assert skipped == []


def test_the_same_verdicts_as_pathspecs_own_matcher() -> None:
    """RE2 changes the speed, never the answer: compared with pathspec's Python matcher on cheap patterns."""
    lines = ["*.py[cod]", "build/", "/top.py", "!keep.py", "docs/**/gen_*.py", "**/fixtures", "deep/**", "a*b*c.py"]
    paths = ["m.pyc", "build/", "src/build/", "top.py", "sub/top.py", "keep.py", "docs/a/gen_x.py", "x/fixtures/"]
    paths += ["deep/er/most.py", "aXbYc.py", "abc.py", "acb.py", "plain.py"]
    linear = ignore_rules.ignore_file("", ignore_rules.compile_patterns(lines))
    simple = GitIgnoreSpec.from_lines(lines, backend="simple")
    assert [linear.verdict(path) for path in paths] == [simple.check_file(path).include for path in paths]


def test_an_exclude_pattern_that_backtracks_is_matched_quickly(tmp_path: Path) -> None:
    write(tmp_path, f"{'a' * 200}.py")
    write(tmp_path, "app.py")
    started = time.perf_counter()
    assert discovery.discover(tmp_path, (MATCHING, BACKTRACKING))[0] == ["app.py"]
    assert time.perf_counter() - started < 2


def test_without_re2_costly_patterns_are_refused_by_name(
    tmp_path: Path, without_re2: None, caplog: pytest.LogCaptureFixture
) -> None:
    write(tmp_path, ".gitignore", f"{BACKTRACKING}\nbuild_*.py\n")
    write(tmp_path, f"{'a' * 200}.py")
    write(tmp_path, "build_x.py")
    with caplog.at_level(logging.WARNING):
        started = time.perf_counter()
        files, _ = discovery.discover(tmp_path)
    assert time.perf_counter() - started < 2
    assert files == [f"{'a' * 200}.py"]  # the cheap pattern still applies
    assert f".gitignore: ignoring pattern {BACKTRACKING!r}: more than 3 wildcards" in caplog.text


def test_without_re2_a_costly_exclude_is_a_settings_error(tmp_path: Path, without_re2: None) -> None:
    write(tmp_path, "app.py")
    with pytest.raises(SettingsError, match=r"exclude pattern '\*a\*a.*' has more than 3 wildcards"):
        discovery.discover(tmp_path, (BACKTRACKING,))


def test_only_the_first_patterns_of_a_huge_file_are_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(ignore_rules, "MAX_PATTERNS", 3)
    write(tmp_path, ".gitignore", "# a comment is not a pattern\none.py\ntwo.py\nthree.py\nfour.py\n")
    for name in ("one", "two", "three", "four"):
        write(tmp_path, f"{name}.py")
    with caplog.at_level(logging.WARNING):
        assert discovery.discover(tmp_path)[0] == ["four.py"]
    assert ".gitignore: only the first 3 patterns are used" in caplog.text


def test_patterns_re2_cannot_compile_cost_their_file_only(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A thousand hostile patterns exceed RE2's memory budget: that file's patterns are dropped, the walk goes on."""
    write(tmp_path, ".gitignore", "ignored.py\n")
    write(tmp_path, "sub/.gitignore", "".join(f"{BACKTRACKING}{index}\n" for index in range(1000)))
    for rel in ("ignored.py", "app.py", "sub/ignored.py", "sub/kept.py"):
        write(tmp_path, rel)
    with caplog.at_level(logging.WARNING):
        files, _ = discovery.discover(tmp_path)
    assert files == ["app.py", "sub/kept.py"]
    assert "sub/.gitignore: ignoring the file: too many or too complex patterns" in caplog.text


def test_a_path_longer_than_path_max_is_skipped_with_a_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discovery, "MAX_PATH_CHARS", 40)
    write(tmp_path, f"{'d' * 30}/{'f' * 20}.py")
    write(tmp_path, "app.py")
    files, skipped = discovery.discover(tmp_path)
    assert files == ["app.py"]
    assert [entry.reason for entry in skipped] == ["path longer than 40 characters"]
