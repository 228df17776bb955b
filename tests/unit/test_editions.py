"""Editions of one notebook (``editions``): which names, imports and prose make two notebooks editions.

The fixture `notebook_editions` carries the end-to-end verdicts in its comments (test_cli checks them).
"""

from __future__ import annotations

import json

from pipreqs_action.app_code.editions import Edition, edition_pairs, same_prose, split_name
from pipreqs_action.reading.files import read_bytes
from pipreqs_action.reading.notebooks import notebook_prose

CHAPTER = (
    "We start with the simplest model there is: a straight line through a cloud of points. The points were measured "
    "with some noise, and our job is to recover the slope and the intercept that produced them, together with an "
    "honest statement of how sure we are about each of them, and then to plot the line over the data."
)


def test_names_share_a_stem_of_whole_words_and_each_goes_on_with_a_word() -> None:
    assert split_name("Ch1_Introduction_TFP", "Ch1_Introduction_PyMC_current") == (
        "Ch1_Introduction",
        "TFP",
        "PyMC_current",
    )
    assert split_name("Ch1_Introduction_PyMC2", "Ch1_Introduction_PyMC3") == ("Ch1_Introduction", "PyMC2", "PyMC3")
    assert split_name("intro-torch", "intro-jax") == ("intro", "torch", "jax")
    assert split_name("lesson_1", "lesson_2") is None  # numbered parts of a series, not editions
    assert split_name("01_setup", "01_training") is None  # the shared part holds no word
    assert split_name("model", "model_utils") is None  # one is the other's stem: a companion, not an edition
    assert split_name("PyMC_intro", "TFP_intro") is None  # nothing shared in front
    assert split_name("Chapter1", "Chapter2") is None  # one word each: no stem


def test_prose_must_be_mostly_shared_and_long_enough_to_tell() -> None:
    assert same_prose(CHAPTER, CHAPTER + " A paragraph only this edition has, about its own library.")
    assert not same_prose(CHAPTER, "A gallery of boosted trees trained on house prices. " * 3 + "Nothing else.")
    assert not same_prose("# Chapter 1", "# Chapter 1")  # a title alone says nothing


def test_the_anchor_swaps_a_declared_package_for_the_others_undeclared_ones() -> None:
    current = Edition("ch1/Ch1_Intro_current.ipynb", {"numpy": True, "pymc": True})
    tfp = Edition("ch1/Ch1_Intro_TFP.ipynb", {"numpy": True, "tensorflow": False})
    assert list(edition_pairs([current, tfp])) == [(current, tfp)]
    both = Edition("ch1/Ch1_Intro_TFP.ipynb", {"numpy": True, "tensorflow": False, "scipy": True})
    assert list(edition_pairs([current, both])) == []  # it uses a declared package the other lacks: no swap
    solutions = Edition("ch1/Ch1_Intro_solutions.ipynb", {"numpy": True, "pymc": True, "sympy": False})
    assert list(edition_pairs([current, solutions])) == []  # it only adds an import: nothing is swapped


def test_a_notebooks_prose_is_its_markdown_and_a_broken_one_has_none(tmp_path) -> None:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Title\n", "Some text."]},
        {"cell_type": "code", "metadata": {}, "source": ["import numpy  # not prose"], "outputs": []},
    ]
    data = json.dumps({"cells": cells, "nbformat": 4}).encode()
    assert notebook_prose(data) == "# Title\nSome text."
    assert notebook_prose(b"{not json") == "" and notebook_prose(b'{"cells": 3}') == ""
    (tmp_path / "book.ipynb").write_bytes(data)
    assert read_bytes(tmp_path, "book.ipynb") == data
    assert read_bytes(tmp_path, "../book.ipynb") is None and read_bytes(tmp_path, "missing.ipynb") is None
