"""Test modules by their content: a file of test functions under a name no test convention covers.

Tests are found by name first (``tests/``, ``test_*.py``, ``conftest.py``: ``layout``), but a project can point its
runner at any file (``pytest clai/update_readme.py`` in a pre-commit hook: a test that regenerates the README from
``--help``). Such a file says what it is: it imports the test framework and defines, at its top level, what that
framework collects (``def test_help(...)``, ``class TestCli(unittest.TestCase)``). Both are required: a module that
only imports pytest may be a plugin the package ships, and a function named ``test_connection`` alone may be the
app's own.
"""

from __future__ import annotations

import re

from pipreqs_action.reading.lazy_regex import LazyPattern
from pipreqs_action.reading.line_search import line_matches

__all__ = ["TEST_MODULE", "is_test_module"]

TEST_MODULE = "tests (test functions run by pytest or unittest)"
# One line holding "pytest" or "unittest": searched with line_matches.
_FRAMEWORK = re.compile(r"^[ \t]*(?:import[ \t]+(?:pytest|unittest)\b|from[ \t]+(?:pytest|unittest)\b)", re.MULTILINE)
_TEST_FUNCTION = re.compile(r"^(?:async[ \t]+)?def[ \t]+test_\w*[ \t]*\(", re.MULTILINE)
_TEST_CASE = LazyPattern(r"^class[ \t]+\w+[ \t]*\([^)]*\bTestCase\b", re.MULTILINE)


def is_test_module(text: str) -> bool:
    """Whether Python source is a test module: the framework imported, test functions or cases at its top level."""
    if "def test_" not in text and "TestCase" not in text:  # most files: no regular expression run at all
        return False
    framework = any(next(line_matches(_FRAMEWORK, text, word), None) for word in ("pytest", "unittest"))
    return framework and bool(_TEST_FUNCTION.search(text) or _TEST_CASE.search(text))
