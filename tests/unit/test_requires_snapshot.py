from __future__ import annotations

import json

import pytest

from pipreqs_action.metadata import requires_snapshot
from pipreqs_action.metadata.dependency_metadata import SNAPSHOT, encode_snapshot
from pipreqs_action.metadata.requires_snapshot import Snapshot


def test_every_entry_of_the_bundled_snapshot_reads_as_a_whole_parse_reads_it() -> None:
    text = SNAPSHOT.read_text("utf-8")
    whole = json.loads(text)["projects"]
    lazy = Snapshot(text, "requires_dist.json")
    assert all(lazy[name] == entry for name, entry in whole.items())
    assert lazy.get("no-such-distribution") is None and "_about" not in lazy
    assert dict(lazy) == whole


def test_a_lookup_decodes_one_line_not_the_whole_file(monkeypatch: pytest.MonkeyPatch) -> None:
    text = SNAPSHOT.read_text("utf-8")
    decoded: list[int] = []
    real_loads = json.loads
    monkeypatch.setattr(requires_snapshot.json, "loads", lambda data: decoded.append(len(data)) or real_loads(data))
    lazy = Snapshot(text, "requires_dist.json")
    assert lazy["fastapi"][0] and lazy.get("requests") and lazy.get("nowhere") is None
    assert len(decoded) == 2 and max(decoded) < 10_000


def test_a_file_in_another_layout_is_parsed_whole_with_the_same_answers() -> None:
    text = encode_snapshot({"generated": "2026-12-07"}, {"uvicorn": ("0.32.0", ["click", "h11"]), "six": ("1", [])})
    compact = json.dumps(json.loads(text))
    assert compact != text
    for form in (text, compact):
        table = Snapshot(form, "requires_dist.json")
        assert table["uvicorn"] == ["0.32.0", "click h11"] and table["six"] == ["1", ""]
        assert sorted(table) == ["six", "uvicorn"]


def test_a_broken_file_or_entry_reads_as_absent_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    assert dict(Snapshot("{not json", "requires_dist.json")) == {}
    text = encode_snapshot({}, {"uvicorn": ("0.32.0", ["click"])}).replace('"click"]', '"click"')
    assert Snapshot(text, "requires_dist.json").get("uvicorn") is None
    assert "requires_dist.json" in caplog.text


def test_the_bundled_snapshot_is_in_name_order_so_halving_finds_each_name_and_no_other() -> None:
    """A lookup halves the lines, which needs them in the order of the names (as ``encode_snapshot`` writes them)."""
    text = SNAPSHOT.read_text("utf-8")
    names = list(json.loads(text)["projects"])
    assert names == sorted(names)
    lazy = Snapshot(text, "requires_dist.json")
    near = [name + suffix for name in names[::7] for suffix in ("-", "0", "~")] + ["", "0", "~", '"', "\\"]
    assert not any(name in lazy for name in near if name not in names)


def test_names_json_escapes_are_found_in_their_place() -> None:
    odd = {
        name: (f"1.{index}", ["x"])
        for index, name in enumerate(["a", 'b"c', "b\\c", "caf\u00e9", "z", "\u00e9t\u00e9"])
    }
    text = encode_snapshot({}, odd)
    assert "\\u00e9" in text and Snapshot(text, "x")._whole is None  # read line by line
    table = Snapshot(text, "x")
    assert all(table[name][0] == version for name, (version, _) in odd.items())
    assert table.get("b") is None and table.get("caf") is None
