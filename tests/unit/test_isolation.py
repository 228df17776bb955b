"""isolation.run_isolated: one check in a child process, capped in memory and time, with the same answer."""

from __future__ import annotations

import gc
import multiprocessing
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from pipreqs_action import isolation, pipeline
from pipreqs_action.errors import LimitExceeded, NoPythonFiles, PipreqsActionError
from pipreqs_action.isolation import run_each_isolated, run_isolated
from pipreqs_action.limits import ScanLimits, stopped_message
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


def test_a_bug_in_the_child_is_one_line_and_the_next_check_still_runs(tmp_path: Path) -> None:
    """A check that fails with something not ours (here: a malformed setting) gives a one-line error naming only
    the exception's type; the checks after it in the same child run as usual."""
    good = engine_settings(path=tree(tmp_path), offline=True)
    broken = good._replace(exclude=42)  # type: ignore[arg-type]
    first, second = run_each_isolated([broken, good])
    assert isinstance(first, PipreqsActionError)
    assert str(first) == "internal error: TypeError"
    assert second == pipeline.run(good)


class _StuckOnArrival:
    """Unpickled in the child as ``time.sleep(600)``: a step stuck where ``check_deadline`` is never reached."""

    def __reduce__(self) -> tuple[object, tuple[int]]:
        return (time.sleep, (600,))


def test_a_stuck_child_is_killed_at_its_deadline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolation, "_GRACE_SECONDS", 0.5)
    settings = engine_settings(path=tree(tmp_path), offline=True, limits=ScanLimits(seconds=0.5))
    stuck = settings._replace(overrides={"x": _StuckOnArrival()})
    started = time.monotonic()
    outcomes = run_each_isolated([stuck, settings])
    assert time.monotonic() - started < 10
    assert [str(outcome) for outcome in outcomes] == [stopped_message(0.5)] * 2
    assert all(isinstance(outcome, LimitExceeded) for outcome in outcomes)
    assert not [child for child in multiprocessing.active_children() if child.name == "pipreqs-action-check"]


def _what_a_child_starts_with(send: Connection) -> None:
    """In a child of the forkserver, before any check: which of the engine's tables are read already."""
    from pipreqs_action.metadata import dependency_metadata, name_tables

    loaded = [table.cache_info().currsize for table in (name_tables.curated, name_tables.popularity)]
    send.send((*loaded, dependency_metadata.snapshot.cache_info().currsize, gc.get_freeze_count() > 0))
    send.close()


def test_a_child_starts_with_the_engines_tables_read() -> None:
    """The forkserver has read them (``isolation_warmup``), so no request's child reads them again (~20 ms), and
    froze them out of the garbage collector's walks (which would copy their pages into every child)."""
    isolation.prepare()
    context = multiprocessing.get_context("forkserver")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_what_a_child_starts_with, args=(send,))
    child.start()
    send.close()
    assert receive.recv() == (1, 1, 1, True)
    child.join()
