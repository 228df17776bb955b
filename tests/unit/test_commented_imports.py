"""Imports the author commented out (``commented_imports``): code taken out names no module; words still do."""

from __future__ import annotations

from pipreqs_action.intent.commented_imports import commented_imports, without_commented_imports

TEXT = """\
def plugins():
    # try:
    #     from app.plugins.optimize import 优化, Helper as H
    #import app.legacy as old  # the old one
    # run by hand: python -m app.tools.replot
    # import this file to register it
    x = 1  # from app.inline import nothing
"""


def test_commented_out_import_statements_name_their_modules_at_their_lines() -> None:
    assert commented_imports(TEXT) == (
        ("app.plugins.optimize", 3),
        ("app.plugins.optimize.优化", 3),
        ("app.plugins.optimize.Helper", 3),
        ("app.legacy", 4),
    )


def test_only_those_lines_are_blanked_so_words_in_comments_still_name_modules() -> None:
    lines = without_commented_imports(TEXT).split("\n")
    assert lines[2] == "" and lines[3] == ""
    assert "app.tools.replot" in lines[4] and "import this file" in lines[5] and "app.inline" in lines[6]
    assert len(lines) == len(TEXT.split("\n"))


def test_a_text_without_comments_is_returned_as_it_is() -> None:
    text = "from app import x\n"
    assert without_commented_imports(text) is text and commented_imports(text) == ()
