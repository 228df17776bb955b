"""cleanup: a temporary tree of an untrusted repository is removed whatever it holds, and on SIGTERM."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipreqs_action.sources import cleanup


def deep_tree(root: Path, depth: int) -> Path:
    """``depth`` nested folders, each with a file: deeper than Python 3.11's rmtree can recurse."""
    current = root
    for _ in range(depth):
        current = current / "d"
        current.mkdir()
        (current / "f.py").write_text("x = 1\n")
    return current


def test_a_1000_level_deep_tree_is_removed(tmp_path: Path) -> None:
    root = tmp_path / "clone"
    root.mkdir()
    deep_tree(root, 1000)
    assert cleanup.remove_tree(root)
    assert not root.exists()


def test_folders_without_write_or_search_permission_are_removed(tmp_path: Path) -> None:
    root = tmp_path / "clone"
    locked = root / "a" / "locked"
    locked.mkdir(parents=True)
    (locked / "f.py").write_text("")
    (locked / "inner").mkdir()
    os.chmod(locked / "inner", 0)
    os.chmod(locked, 0o500)
    os.chmod(root / "a", 0o100)
    assert cleanup.remove_tree(root)
    assert not root.exists()


def test_links_are_removed_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    root = tmp_path / "clone"
    root.mkdir()
    (root / "to_dir").symlink_to(outside)
    (root / "to_file").symlink_to(outside / "keep.txt")
    assert cleanup.remove_tree(root)
    assert (outside / "keep.txt").read_text() == "mine"


def test_a_missing_tree_is_no_error(tmp_path: Path) -> None:
    assert cleanup.remove_tree(tmp_path / "never-made")


def test_temporary_directory_leaves_nothing_even_when_the_body_fails(tmp_path: Path) -> None:
    try:
        with cleanup.temporary_directory() as made:
            deep_tree(made, 1000)
            raise RuntimeError("a failing check")
    except RuntimeError:
        pass
    assert not made.exists()


def test_sigterm_mid_clone_kills_git_and_removes_the_tree(tmp_path: Path) -> None:
    """The process is stopped while a tracked child (standing in for git) works in a temporary tree."""
    marker = tmp_path / "made.txt"
    code = (
        "import subprocess, sys, time\n"
        "from pipreqs_action.sources import cleanup\n"
        "cleanup.install_signal_handlers()\n"
        "with cleanup.temporary_directory() as tmp:\n"
        "    child = subprocess.Popen(['sleep', '60'], start_new_session=True)\n"
        "    with cleanup.track_process(child.pid):\n"
        "        (tmp / 'tree').mkdir()\n"
        "        open(sys.argv[1], 'w').write(f'{tmp} {child.pid}')\n"
        "        time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(marker)])
    deadline = time.monotonic() + 30
    while not marker.exists() or not marker.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    made, child = marker.read_text().split()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == -signal.SIGTERM
    assert not Path(made).exists()
    time.sleep(0.1)
    assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("unshare") is None, reason="a PID namespace of its own needs root and unshare"
)
def test_sigterm_ends_the_process_also_as_pid_1(tmp_path: Path) -> None:
    """In a container the process is PID 1, for which the kernel ignores a default-action signal it sends itself:
    after the clean-up it must still end (not go on working, nor run exit handlers on removed folders)."""
    marker = tmp_path / "made.txt"
    code = (
        "import os, sys, time\n"
        "from pipreqs_action.sources import cleanup\n"
        "cleanup.install_signal_handlers()\n"
        "with cleanup.temporary_directory() as tmp:\n"
        "    open(sys.argv[1], 'w').write(f'{os.getpid()} {tmp}')\n"
        "    time.sleep(60)\n"
    )
    argv = ["unshare", "--pid", "--fork", "--kill-child", sys.executable, "-c", code, str(marker)]
    proc = subprocess.Popen(argv)
    deadline = time.monotonic() + 30
    while not marker.exists() or not marker.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    pid, made = marker.read_text().split()
    assert pid == "1"
    (inner,) = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    os.kill(int(inner), signal.SIGTERM)
    assert proc.wait(timeout=20) == 128 + signal.SIGTERM
    assert not Path(made).exists()
