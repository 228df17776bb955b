"""Large trees are read by forked helper processes: same answer as one process, and no helper left behind."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from pipreqs_action import scan as scan_module
from pipreqs_action.app_code.reachability import Packages
from pipreqs_action.limits import stop_process_after
from pipreqs_action.local.local_modules import LocalModules
from pipreqs_action.model import Skipped
from pipreqs_action.scan import scan

pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="helpers are forked on Linux only"),
    pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning"),  # Python 3.12+ if a fixture runs a thread
]


def make_tree(root: Path, count: int) -> Path:
    """Files with third-party, stdlib and local imports, a Python 2 file and an undecodable one."""
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text("", "utf-8")
    for number in range(count):
        body = f"import os\nimport dist_{number % 7}\nfrom pkg import helper\ntry:\n    import opt_{number % 3}\n"
        body += "except ImportError:\n    pass\n"
        (root / "pkg" / f"mod_{number:03d}.py").write_text(body, "utf-8")
    (root / "legacy.py").write_text('print "python 2"\n', "utf-8")
    (root / "latin.py").write_bytes(b"x = '\xe9'\n")
    return root


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path, 40)


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the pid of every helper forked."""
    pids: list[int] = []
    real_fork = os.fork

    def recording_fork() -> int:
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recording_fork)
    return pids


def assert_reaped(pids: list[int]) -> None:
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


@pytest.mark.parametrize("helpers", [1, 2, 3])
def test_helpers_give_exactly_the_one_process_result(
    tree: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int], helpers: int
) -> None:
    monkeypatch.setattr(scan_module, "_helper_count", lambda count: 0)
    alone = scan(tree)
    monkeypatch.setattr(scan_module, "_helper_count", lambda count: helpers)
    shared = scan(tree)
    assert len(forks) == helpers
    assert shared == alone
    assert {ref.root for ref in alone.imports} == {f"dist_{n}" for n in range(7)} | {f"opt_{n}" for n in range(3)}
    assert [item.path for item in alone.skipped] == ["latin.py", "legacy.py"]
    assert_reaped(forks)


def test_a_helper_that_dies_costs_time_not_results(
    tree: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int]
) -> None:
    paths = sorted(str(path.relative_to(tree)) for path in tree.rglob("*.py"))
    reader = scan_module._Reader(tree, scan_module.standard_library(), False, LocalModules(paths), Packages(()))
    parent = os.getpid()

    def dying_in_helpers(rel: str) -> scan_module.FileResult:
        if os.getpid() != parent:
            os._exit(3)
        return reader(rel)

    monkeypatch.setattr(scan_module, "_helper_count", lambda count: 2)
    shared = scan_module._read_all(dying_in_helpers, paths)  # type: ignore[arg-type]
    assert shared == [reader(rel) for rel in paths]
    assert len(forks) == 2
    assert_reaped(forks)


def test_an_error_while_reading_stops_and_reaps_the_helpers(
    tree: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int]
) -> None:
    parent = os.getpid()
    real_read = scan_module.files.read_source

    def failing_here(root: Path, rel: str) -> object:
        if os.getpid() == parent:
            raise RuntimeError("disk on fire")
        return real_read(root, rel)

    monkeypatch.setattr(scan_module.files, "read_source", failing_here)
    monkeypatch.setattr(scan_module, "_helper_count", lambda count: 2)
    with pytest.raises(RuntimeError, match="disk on fire"):
        scan(tree)
    assert len(forks) == 2
    assert_reaped(forks)


def test_fork_refused_reads_everything_here(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan_module, "_helper_count", lambda count: 0)
    alone = scan(tree)

    def refuse() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refuse)
    monkeypatch.setattr(scan_module, "_helper_count", lambda count: 2)
    assert scan(tree) == alone


def test_small_trees_threads_and_one_cpu_stay_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    minimum = scan_module.PARALLEL_MIN_FILES
    assert scan_module._helper_count(minimum - 1) == 0
    assert scan_module._helper_count(minimum) == 1
    assert scan_module._helper_count(100 * minimum) == 3  # all four CPUs, never more processes than CPUs
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert scan_module._helper_count(100 * minimum) == 0
    finally:
        stop.set()
        worker.join()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert scan_module._helper_count(100 * minimum) == 0


def test_the_command_line_backstop_timer_does_not_keep_a_large_tree_in_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The CLI and the Action arm ``stop_process_after`` around every check: its waiting timer is no reason to stay
    in one process, while any other thread still is."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    large = 100 * scan_module.PARALLEL_MIN_FILES
    with stop_process_after(3600):
        assert threading.active_count() == 2
        assert scan_module._helper_count(large) == 1
        stop = threading.Event()
        worker = threading.Thread(target=stop.wait)
        worker.start()
        try:
            assert scan_module._helper_count(large) == 0
        finally:
            stop.set()
            worker.join()


def test_helpers_report_skipped_files_like_the_parent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_tree(tmp_path, 12)
    (root / "pkg" / "nul.py").write_bytes(b"import a\0\n")
    monkeypatch.setattr(scan_module, "_helper_count", lambda count: 2)
    skipped = scan(root).skipped
    assert all(isinstance(item, Skipped) for item in skipped)
    assert [item.path for item in skipped] == ["latin.py", "legacy.py", "pkg/nul.py"]
