"""Top-level definitions by the lines they span: which function or class an import inside one sits in."""

from __future__ import annotations

from pathlib import Path

from pipreqs_action.reading.definitions import Definition, top_level_definitions


def test_each_top_level_function_and_class_spans_its_lines(tmp_path: Path) -> None:
    (tmp_path / "backends.py").write_text(
        "import os\n\n\n@decorated\nclass S3:\n    def fetch(self):\n        import boto3\n\n\n"
        "async def pull():\n    def inner():\n        pass\n",
        "utf-8",
    )
    assert top_level_definitions(tmp_path, "backends.py") == (Definition("S3", 5, 7), Definition("pull", 10, 12))


def test_a_file_that_cannot_be_parsed_or_is_a_notebook_has_none(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def f(:\n", "utf-8")
    (tmp_path / "book.ipynb").write_text('{"cells": []}', "utf-8")
    assert top_level_definitions(tmp_path, "broken.py") == ()
    assert top_level_definitions(tmp_path, "book.ipynb") == ()
    assert top_level_definitions(tmp_path, "absent.py") == ()
    assert top_level_definitions(tmp_path, "../outside.py") == ()
