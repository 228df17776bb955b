from __future__ import annotations

import json

import pytest

from pipreqs_action import requires_snapshot
from pipreqs_action.dependency_metadata import SNAPSHOT, encode_snapshot
from pipreqs_action.requires_snapshot import Snapshot


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
