"""Test modules by their content: the framework imported and tests defined at the top level."""

from __future__ import annotations

import pytest

from pipreqs_action.app_code.test_modules import is_test_module


@pytest.mark.parametrize(
    "text",
    [
        "import pytest\n\n\ndef test_help(capfd):\n    pass\n",
        "from pytest import raises\n\nasync def test_stream():\n    pass\n",
        "import unittest\n\n\nclass CliTests(unittest.TestCase):\n    def test_x(self):\n        pass\n",
        "from unittest import TestCase\n\nclass T(TestCase):\n    pass\n",
    ],
)
def test_a_module_of_tests_is_a_test_module(text: str) -> None:
    assert is_test_module(text)


@pytest.mark.parametrize(
    "text",
    [
        "import pytest\n\n\n@pytest.fixture\ndef client():\n    pass\n",  # a pytest plugin: fixtures, no test
        "def test_connection(url):\n    return True\n",  # a function named test_ without the framework
        "import pytest\n\nclass Checker:\n    def test_x(self):\n        pass\n",  # not at the top level
        "import unittest\n\nx = 1\n",
    ],
)
def test_other_modules_are_not(text: str) -> None:
    assert not is_test_module(text)
