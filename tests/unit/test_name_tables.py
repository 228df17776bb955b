"""pipreqs' table and the download ranking answer key by key from their text, exactly as the whole tables would.

Building either whole was about 3 % of a small check's instructions (issue 10: start-up), so both are searched in
the file's text when a key is asked; these tests compare every key of the bundled files, and generated files,
with the tables built whole.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pipreqs_action.metadata import name_tables
from pipreqs_action.metadata.name_tables import NameTable

_NAME = st.sampled_from(["yaml", "PyYAML", "py_yaml", "py.yaml", "cv2", "google", "a", "b.c", "Ab_C", "x:y", ""])
_LINE = st.builds(lambda imp, dist, pad: f"{pad}{imp}:{dist}{pad}", _NAME, _NAME, st.sampled_from(["", "", " ", "\t"]))
_MAPPING = st.lists(st.one_of(_LINE, st.sampled_from(["", "nocolon", "a__b:c__d", "e:f\r", "g:h\u2028i:j"])))


def _lines_table(text: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> NameTable:
    (tmp_path / "pipreqs_mapping.txt").write_text(text, "utf-8", newline="")
    monkeypatch.setattr(name_tables, "DATA", tmp_path)
    name_tables.pipreqs_table.cache_clear()
    try:
        return name_tables.pipreqs_table()
    finally:
        name_tables.pipreqs_table.cache_clear()


def _same_answers(lazy: NameTable, whole: NameTable, asked: list[str]) -> None:
    for key in [*whole.imports, *asked]:
        assert lazy.imports.get(key) == whole.imports.get(key), key
    for key in [*whole.provides, *asked]:
        assert (lazy.provides.get(key), lazy.names.get(key)) == (whole.provides.get(key), whole.names.get(key)), key
    assert dict(lazy.imports) == dict(whole.imports) and len(lazy.provides) == len(whole.provides)


def test_the_bundled_pipreqs_table_answers_as_the_whole_table(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    text = (name_tables.DATA / "pipreqs_mapping.txt").read_text("utf-8")
    lazy, whole = _lines_table(text, monkeypatch, tmp_path), name_tables._pipreqs_pairs(text)
    assert type(lazy.imports) is not dict  # searched in the text, not built
    _same_answers(lazy, whole, ["google", "no-such-thing", "", "a:b", "yaml\nx"])


@given(_MAPPING.map("\n".join))
@example("yaml:PyYAML\nyaml:pyyaml\nyaml:PyYAML\nruamel:ruamel.yaml\nruamel_yaml:Ruamel_Yaml\n")
@example("google:protobuf\ngoogle.cloud:google-cloud\nx:a:b\nx:b\n")
def test_any_pipreqs_table_answers_as_the_whole_table(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch, tempfile.TemporaryDirectory() as folder:
        lazy = _lines_table(text, monkeypatch, Path(folder))
        read = Path(folder, "pipreqs_mapping.txt").read_text("utf-8")  # as the module reads it: "\r" is a line end
        _same_answers(lazy, name_tables._pipreqs_pairs(read), ["yaml", "pyyaml", "py-yaml", "b-c", "x", "google"])


def test_the_bundled_ranking_answers_as_the_whole_list() -> None:
    text = (name_tables.DATA / "popular.txt").read_text("utf-8")
    ranks, whole = name_tables.popularity(), name_tables._ranks(text)
    assert type(ranks) is not dict
    assert all(ranks[name] == rank for name, rank in whole.items())
    assert "no-such-distribution" not in ranks and ranks.get(text.splitlines()[0]) is None  # the header line
    assert len(ranks) == len(whole) > 10_000


@given(st.lists(st.sampled_from(["a", "b", "a-b", "", "# header", "c\r"]), max_size=8).map("\n".join))
@example("# header\na\nb\n")
@example("a\nb\na")
@example("a\n\nb\n\n")
def test_any_ranking_answers_as_the_whole_list(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch, tempfile.TemporaryDirectory() as folder:
        Path(folder, "popular.txt").write_text(text, "utf-8", newline="")
        monkeypatch.setattr(name_tables, "DATA", Path(folder))
        name_tables.popularity.cache_clear()
        try:
            ranks = name_tables.popularity()
            whole = name_tables._ranks(Path(folder, "popular.txt").read_text("utf-8"))
            for name in ["a", "b", "a-b", "", "# header", "c", "c\r", "a\nb"]:
                assert ranks.get(name) == whole.get(name), name
        finally:
            name_tables.popularity.cache_clear()
