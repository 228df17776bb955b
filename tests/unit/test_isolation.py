"""isolation.run_isolated: one check in a child process, capped in memory and time, with the same answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipreqs_action import pipeline
from pipreqs_action.errors import LimitExceeded, NoPythonFiles
from pipreqs_action.isolation import run_isolated
from pipreqs_action.limits import ScanLimits
from pipreqs_action.settings import engine_settings


def tree(root: Path) -> Path:
    (root / "app.py").write_text("import requests\nimport yaml\n")
    (root / "requirements.txt").write_text("requests\n")
    return root


def test_the_child_gives_the_same_report(tmp_path: Path) -> None:
    settings = engine_settings(path=tree(tmp_path), offline=True, limits=ScanLimits(seconds=60, memory_mb=2048))
    assert run_isolated(settings) == pipeline.run(settings)


def test_the_child_cannot_grow_past_its_memory_limit(tmp_path: Path) -> None:
    """A 10 MB module parsed in full needs hundreds of MB: under a 100 MB cap the child cannot have them, so that
    file is skipped with the reason, and the caller (a server) gets its answer and lives on."""
    (tmp_path / "huge.py").write_text("".join(f"x{i} = [{i}, {i}, {i}]\n" for i in range(300_000)))
    (tmp_path / "app.py").write_text("import requests\n")
    limits = ScanLimits(seconds=60, memory_mb=100)
    report = run_isolated(engine_settings(path=tmp_path, offline=True, full_parse=True, limits=limits))
    assert [(item.path, item.reason) for item in report.skipped] == [
        ("huge.py", "not parseable as Python (MemoryError)")
    ]
    assert [item.package for item in report.missing] == ["requests"]


def test_the_childs_errors_and_deadline_reach_the_caller(tmp_path: Path) -> None:
    with pytest.raises(NoPythonFiles):
        run_isolated(engine_settings(path=tmp_path, offline=True))
    settings = engine_settings(path=tree(tmp_path), offline=True, limits=ScanLimits(seconds=1e-6))
    with pytest.raises(LimitExceeded, match=r"^stopped after 1e-06 s"):
        run_isolated(settings)
