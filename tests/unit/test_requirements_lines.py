"""Requirements files read without importing pip's reader when they need nothing of it, with pip's results.

The reader splits a file into logical lines itself (pip's own steps) and hands a plain ``name==1.0`` line to
packaging directly; every other line still goes through pip-requirements-parser. These tests compare both ways
on random text and lines: the shortcut must never give another result than the library.
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pip_requirements_parser
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipreqs_action.manifests import read_declared, requirements_txt
from pipreqs_action.manifests.base import Manifest
from pipreqs_action.manifests.requirements_txt import RequirementsReader, _logical_lines, _plain_requirement
from pipreqs_action.model import Location

# what makes pip's line splitting and reading differ: comments, continuations, spaces of every kind, options,
# markers, extras, URLs, paths, archive names
_TEXT = st.text(alphabet=list("ab1.=<>~!#\\ \t\r\n\x0b\x0c\x1c\u2028\u3000;[]@:/-_,*+$"), max_size=60)
_LINE = st.text(alphabet=list("aZ09.-_=<>~!*+,;[]@:/ #$\\"), min_size=1, max_size=30)


def _by_pip(text: str) -> list[tuple[int, str, bool]]:
    return [
        (line.line_number, line.line, isinstance(line, pip_requirements_parser.CommentLine))
        for line in pip_requirements_parser.preprocess(text)
    ]


@given(_TEXT)
@example("a==1 \\\nb  # c\n\\\n#d\\\n  e\\")
@example("a==1\r\n\n  # only a comment\nb>=2 #x # y\n-r other.txt\n")
def test_logical_lines_are_pips_own(text: str) -> None:
    assert _logical_lines(text) == _by_pip(text)


def _read_line(raw: str, *, shortcut: bool) -> Manifest:
    """One line read into a fresh manifest, with or without the plain-line shortcut."""
    manifest = Manifest("requirements.txt", "requirements")
    reader = RequirementsReader(Path("/nowhere"), manifest)
    with mock.patch.object(requirements_txt, "_plain_requirement", _plain_requirement if shortcut else lambda _: None):
        reader.line(Path("/nowhere/requirements.txt"), Location("requirements.txt", 3), raw, fence=None)
    return manifest


def _assert_same_reading(raw: str) -> None:
    fast, pip = _read_line(raw, shortcut=True), _read_line(raw, shortcut=False)
    assert (fast.requirements, fast.problems) == (pip.requirements, pip.problems)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.from_regex(requirements_txt._PLAIN, fullmatch=True))
@example("streamlit==1.39.0")
@example("Zope.Interface~=5.0,!=5.1.*")
@example("a===1.0+local")
@example("a==1!2.0.post1-1")
@example("archive.tar.gz")  # pip reads a line ending like an archive as a file: the shortcut leaves it to pip
@example("a==1.0+build.tar")
@example("wheel.WHL")
@example("celery[redis]==5.2.7")
@example("python-telegram-bot[job-queue,rate-limiter]")
@example("foo.zip[a]")
@example("foo.tar[a]==1")
@example("a==")  # packaging refuses it: pip's reader words the problem
@example("a==1.0.*.0")
def test_a_plain_line_is_read_as_pip_reads_it(raw: str) -> None:
    _assert_same_reading(raw)


@given(_LINE)
@example("a[b]==1")
@example("a[B]==1")
@example("a[b__c]")
@example("a[b_c]==1")
@example("a; python_version < '3'")
@example("a @ https://example.com/a.zip")
@example("./local")
@example("-e .")
@example("a==1 --hash=sha256:00")
@example("a >= 1")
def test_any_line_is_read_as_pip_reads_it(raw: str) -> None:
    _assert_same_reading(raw.strip())


@pytest.mark.parametrize(
    "raw",
    ["a[B]==1", "a[b_c]", "a;python_version<'3'", "a@https://x/a.zip", "./local", "a>=1 --hash=sha256:0", "a==1+b.tar"],
)
def test_lines_with_more_than_a_name_and_versions_are_pips(raw: str) -> None:
    assert _plain_requirement(raw) is None


def test_a_whole_file_is_declared_the_same_with_and_without_the_shortcut(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(
        "# pinned\nrequests==2.31.0  # http\nPyYAML>=6.0\nnumpy \\\n  >=1.26\n-r dev.txt\n"
        "torch==2.2; sys_platform == 'linux'\nrich[jupyter]==13.0\n# tensorrt>=8  # left out\nbad==\n",
        "utf-8",
    )
    (tmp_path / "dev.txt").write_text("pytest==8.0\n-e .\n", "utf-8")
    (tmp_path / "setup.py").write_text("from setuptools import setup\nsetup(name='app')\n", "utf-8")
    fast = read_declared(tmp_path)
    with mock.patch.object(requirements_txt, "_plain_requirement", lambda _: None):
        pip = read_declared(tmp_path)
    assert fast == pip
    assert [req.key for req in fast.requirements][:3] == ["requests", "pyyaml", "numpy"]
