"""Extractions kept for one check (``extractions``): a file read again by a later scan gets the same imports."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from pipreqs_action import extractions, imports
from pipreqs_action.imports.raw import RawImport
from pipreqs_action.intent import project_guards
from pipreqs_action.intent.install_hints import hinted_in_source

GUARDED = "try:\n    import yaml\nexcept ImportError:\n    yaml = None\nimport os\n"


@pytest.fixture(autouse=True)
def _nothing_kept(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    extractions.forget()
    monkeypatch.setattr(extractions, "_recorded", None)  # a test playing a forked reader records no further
    yield
    extractions.forget()


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    texts: list[str] = []
    real = imports.extract

    def counted(text: str, *, full: bool = False, wanted: Callable[[str], bool] | None = None) -> list[RawImport]:
        texts.append(text)
        return real(text, full=full, wanted=wanted)

    monkeypatch.setattr(imports, "extract", counted)
    return texts


def test_a_file_extracted_again_with_the_same_answers_is_not_extracted_again(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = imports.extract(GUARDED, wanted=lambda name: name != "os")
    texts = _counting(monkeypatch)
    first = extractions.extract("/t/a.py", GUARDED, full=False, wanted=lambda name: name != "os")
    again = extractions.extract("/t/a.py", GUARDED, full=False, wanted=lambda name: name not in ("os", "sys"))
    assert again == first == fresh
    assert len(texts) == 1


def test_a_different_answer_extracts_afresh_and_gives_what_a_fresh_extraction_gives() -> None:
    first = extractions.extract("/t/a.py", GUARDED, full=False, wanted=lambda name: True)
    mine = extractions.extract("/t/a.py", GUARDED, full=False, wanted=lambda name: name != "yaml")
    assert [item.optional for item in first if item.module == "yaml"] == [True]  # its guard was worked out
    assert mine == imports.extract(GUARDED, wanted=lambda name: name != "yaml") != first


def test_another_text_or_path_or_a_full_parse_is_another_file(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _counting(monkeypatch)
    extractions.extract("/t/a.py", GUARDED, full=False, wanted=lambda name: True)
    extractions.extract("/t/a.py", GUARDED + "import json\n", full=False, wanted=lambda name: True)
    extractions.extract("/t/b.py", GUARDED, full=False, wanted=lambda name: True)
    extractions.extract("/t/a.py", GUARDED, full=True, wanted=lambda name: True)
    assert len(texts) == 4


def test_what_a_forked_reader_extracted_is_kept_by_the_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    recorded = extractions.recording()
    extractions.extract("/t/a.py", GUARDED, full=False, wanted=lambda name: True)
    extractions.forget()  # the parent knows nothing of it yet
    extractions.keep(recorded)
    texts = _counting(monkeypatch)
    extractions.extract("/t/a.py", GUARDED, full=False, wanted=lambda name: True)
    assert texts == []


def test_a_new_check_starts_with_nothing_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    extractions.extract("/t/a.py", GUARDED, full=False, wanted=lambda name: True)
    extractions.forget()
    texts = _counting(monkeypatch)
    extractions.extract("/t/a.py", GUARDED, full=False, wanted=lambda name: True)
    assert len(texts) == 1


def test_a_file_that_is_not_python_raises_each_time() -> None:
    for _ in range(2):
        with pytest.raises(imports.NotPython):
            extractions.extract("/t/bad.py", "import os\ndef (:\n", full=True, wanted=lambda name: True)


HINTED = (
    "from contextlib import contextmanager\n\n@contextmanager\ndef optional():\n    try:\n        yield\n"
    "    except ImportError:\n        pass\n\ntry:\n    import nls\nexcept ImportError:\n"
    '    print("pip install aliyun-nls")\n\nwith optional():\n    import extra\n'
)


def test_what_a_text_tells_is_what_each_reader_finds_and_is_worked_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    facts = extractions.text_facts("/t/a.py", HINTED)
    assert facts == extractions.TextFacts(
        hinted_in_source(HINTED), project_guards.definitions(HINTED), project_guards.with_words(HINTED)
    )
    assert facts.hinted and facts.swallowers and "optional" in facts.with_words
    recorded = extractions.recording()
    assert extractions.text_facts("/t/b.py", "x = 1\n") == extractions.TextFacts((), (), frozenset())
    assert list(recorded.facts) == [("/t/b.py", 6, hash("x = 1\n"), False)]  # what a forked reader sends back
    monkeypatch.setattr("pipreqs_action.extractions.hinted_in_source", lambda text: pytest.fail("worked out again"))
    assert extractions.text_facts("/t/a.py", HINTED) == facts
