"""What ``pip install pipreqs-action`` costs, and whether a first run on a fresh machine waits, for run.py.

A fresh venv gets the package from this checkout (its dependencies from the index pip is configured with), the
way the README's quick start installs it; its ``site-packages`` size and ``pip list`` count are what a user pays.
deptry gets the same treatment next to it, as the yardstick. Then the sample app is checked by that venv's
``pipreqs-action`` three ways: warm (the same ``HOME`` every time), first run (a new empty ``HOME`` for every run,
as on a fresh machine) and with a read-only ``HOME`` (one that cannot be created, as in some CI containers):
the data ships inside the package, so the three should match.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

READ_ONLY_HOME = "/proc/self/pipreqs-action-bench-home"  # /proc refuses new entries, even to root


def fresh_venv(where: Path, requirement: str) -> Path | None:
    """A venv at ``where`` with ``requirement`` installed (quietly); None when pip fails (no index reachable)."""
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    python = where / "bin" / "python"
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", requirement],
        capture_output=True,
        text=True,
        check=False,
    )
    return python if done.returncode == 0 else None


def footprint(python: Path) -> tuple[float, int]:
    """``site-packages`` in MB (pip itself included, as ``du -sh`` shows it) and the distributions pip lists."""
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    size = sum(path.stat().st_size for path in Path(site).rglob("*") if path.is_file() and not path.is_symlink())
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format", "json", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return size / 1e6, len(json.loads(listed))


def _timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def _median(runs: int, one: Callable[[], float]) -> float:
    return statistics.median(one() for _ in range(runs))


def first_run_times(executable: Path, app: Path, runs: int) -> dict[str, float]:
    """Median seconds of ``check APP --offline``: warm, with a new empty HOME per run, and with a read-only HOME."""
    argv = [str(executable), "check", str(app), "--offline"]
    base = {key: value for key, value in os.environ.items() if key not in ("XDG_CACHE_HOME", "PIPREQS_ACTION_INDEX")}
    with tempfile.TemporaryDirectory(prefix="pipreqs-action-home-") as homes:
        warm_home = Path(homes, "warm")
        warm_home.mkdir()
        _timed(argv, base | {"HOME": str(warm_home)})  # the warm-up: page cache and the same HOME from now on

        def first() -> float:
            home = Path(tempfile.mkdtemp(dir=homes))
            return _timed(argv, base | {"HOME": str(home)})

        return {
            "warm": _median(runs, lambda: _timed(argv, base | {"HOME": str(warm_home)})),
            "first run (empty HOME)": _median(runs, first),
            "read-only HOME": _median(runs, lambda: _timed(argv, base | {"HOME": READ_ONLY_HOME})),
        }


def install_section(repo: Path, app: Path, runs: int) -> str:
    """Install footprint of pipreqs-action and deptry, then first-run against warm-run times."""
    lines = ["install (a fresh venv, pip included) and first run:"]
    with tempfile.TemporaryDirectory(prefix="pipreqs-action-install-") as tmp:
        ours = fresh_venv(Path(tmp, "ours"), str(repo))
        for name, python in (("pipreqs-action", ours), ("deptry", fresh_venv(Path(tmp, "deptry"), "deptry"))):
            if python is None:
                lines.append(f"  {name:<16}pip install failed (no index reachable?)")
                continue
            megabytes, count = footprint(python)
            lines.append(f"  {name:<16}{megabytes:>7.1f} MB {count:>4} distributions (pip list)")
        if ours is not None:
            times = first_run_times(ours.parent / "pipreqs-action", app, runs)
            warm = times["warm"]
            figures = ", ".join(f"{label} {seconds:.3f} s ({seconds - warm:+.3f})" for label, seconds in times.items())
            lines.append(f"  sample app, median of {runs}: {figures}")
    return "\n".join(lines)
