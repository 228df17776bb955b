from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pipreqs_action.reading import toml_documents
from pipreqs_action.reading.toml_documents import TOMLDecodeError, loads

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

_PYPROJECT = '[project]\nname = "app"\ndependencies = ["requests>=2", "PyYAML"]\n[tool.x]\nratio = 0.5\nflag = true\n'


@pytest.fixture(autouse=True)
def _forget() -> None:
    toml_documents.forget()


def test_a_document_is_parsed_once_and_each_reader_gets_its_own_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    parses: list[str] = []
    monkeypatch.setattr(toml_documents, "_parse", lambda text: parses.append(text) or tomllib.loads(text))
    first = loads(_PYPROJECT)
    first["project"]["dependencies"].append("changed by a reader")
    second, third = loads(_PYPROJECT), loads(_PYPROJECT)
    assert parses == [_PYPROJECT]
    assert second == third == tomllib.loads(_PYPROJECT) and second is not third
    assert type(second["tool"]["x"]["flag"]) is bool and type(second["tool"]["x"]["ratio"]) is float


def test_dates_and_huge_documents_are_parsed_each_time_with_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    dated = "released = 2026-12-07\nat = 07:32:00\n"
    huge = "x = 1\n" + "# padding\n" * (toml_documents.MAX_REMEMBERED_CHARS // 10)
    parses: list[str] = []
    monkeypatch.setattr(toml_documents, "_parse", lambda text: parses.append(text) or tomllib.loads(text))
    for text in (dated, huge):
        assert loads(text) == loads(text) == tomllib.loads(text)
    assert parses == [dated, dated, huge, huge]
    assert len(toml_documents._remembered) == 1  # the dated one, as a document to parse again


def test_a_malformed_document_raises_every_time() -> None:
    for _ in range(2):
        with pytest.raises(TOMLDecodeError):
            loads("[project\nname = 1")


def test_every_fixture_manifest_reads_as_tomllib_reads_it() -> None:
    texts = [path.read_text("utf-8") for path in sorted(Path(__file__).parents[1].rglob("*.toml"))]
    readable = []
    for text in texts:
        try:
            readable.append((text, tomllib.loads(text)))
        except (tomllib.TOMLDecodeError, RecursionError):
            continue
    assert len(readable) > 20
    assert all(loads(text) == expected and loads(text) == expected for text, expected in readable)
