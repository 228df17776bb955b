import pytest

from app.utils import greet


def test_greet() -> None:
    assert greet("x") == "Hello, x"
    pytest.importorskip("yaml")
