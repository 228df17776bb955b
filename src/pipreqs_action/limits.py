"""Bounds on one check, whichever front door asked for it: wall-clock time, memory, and package-index lookups.

WHY: the trees we check come from strangers. Each stage is bounded on its own (file sizes, linear ignore
matching, clone size), yet nothing bounded a whole check: a hostile tree could still keep the CLI, the Action or
an API worker busy until the job's own timeout, with no word about why. ``ScanLimits`` is the one typed object
every front door hands in (the API per request, the CLI and the Action a generous default they let users change);
``bounded`` makes it the budget of everything the check does in this thread (a ``ContextVar``, so nested checks of
a monorepo's projects share one budget, and concurrent API requests never see each other's).

- Time: the walk and the per-file scan call ``check_deadline`` often; past the deadline a check stops with
  ``LimitExceeded("stopped after N s ...")``. The CLI and the Action also arm ``stop_process_after``: a
  watchdog that ends the process with that message should a single step not come back (a cooperative check
  cannot interrupt C code).
- Memory: ``cap_process_memory`` lowers the process's own address-space limit (CLI, Action: one check per
  process); ``MemoryError`` inside a check becomes ``LimitExceeded``. git runs under its own limits
  (``source.py``). An API worker that serves many checks in one process cannot cap one of them in-process.
- Index lookups: ``take_lookups`` hands out what is left of the check's lookup budget; names beyond it are left
  unpinned (or without dependency data), with a warning.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import sys
import threading
import time
from collections.abc import Iterator
from typing import NamedTuple

from pipreqs_action.errors import LimitExceeded, SettingsError

__all__ = [
    "DEFAULT_LIMITS",
    "ScanLimits",
    "bounded",
    "cap_process_memory",
    "check_deadline",
    "other_threads",
    "parse_limits",
    "stop_process_after",
    "take_lookups",
]

_MIB = 1024 * 1024


class _Limits(NamedTuple):
    seconds: float = 1800.0  # wall clock for the whole check: walk, scan, manifests, index lookups
    memory_mb: int = 4096  # address space of the checking process (CLI, Action) and of each git it runs
    index_lookups: int = 400  # package-index requests per check (versions and dependency data together)


class ScanLimits(_Limits):
    """What one check may use. The defaults suit the CLI and the Action (a big monorepo takes well under a
    minute); the API passes smaller ones per request. Checked when made (a ``NamedTuple``: start-up, see
    ``model``)."""

    __slots__ = ()

    def __new__(cls, seconds: float = 1800.0, memory_mb: int = 4096, index_lookups: int = 400) -> ScanLimits:
        if not seconds > 0 or memory_mb < 64 or index_lookups < 0:
            raise SettingsError("limits: seconds must be positive, memory at least 64 MB, lookups not negative")
        return super().__new__(cls, seconds, memory_mb, index_lookups)


DEFAULT_LIMITS = ScanLimits()


def parse_limits(*, seconds: str | float | None = None, memory_mb: str | int | None = None) -> ScanLimits:
    """Limits from a flag or an input (empty: the default); a bad value names the option."""
    return ScanLimits(
        seconds=_number("timeout", seconds, DEFAULT_LIMITS.seconds),
        memory_mb=int(_number("max-memory", memory_mb, DEFAULT_LIMITS.memory_mb)),
    )


def _number(name: str, value: str | float | None, default: float) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    try:
        number = float(value)
    except ValueError:
        raise SettingsError(f"{name}: expected a number, got {str(value)[:40]!r}") from None
    if not 0 < number < float("inf"):
        raise SettingsError(f"{name}: expected a positive number, got {str(value)[:40]!r}")
    return number


class _Budget:
    __slots__ = ("limits", "lock", "lookups_left", "started")

    def __init__(self, limits: ScanLimits, started: float, lookups_left: int) -> None:
        self.limits = limits
        self.started = started
        self.lookups_left = lookups_left
        self.lock = threading.Lock()


_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("pipreqs_action_budget", default=None)


@contextlib.contextmanager
def bounded(limits: ScanLimits) -> Iterator[None]:
    """Run the body as one check under ``limits``; a check nested in another keeps the outer budget."""
    if _budget.get() is not None:
        yield
        return
    token = _budget.set(_Budget(limits, time.monotonic(), limits.index_lookups))
    try:
        yield
    except MemoryError:
        raise LimitExceeded(f"stopped: the check needed more than {limits.memory_mb} MB of memory") from None
    finally:
        _budget.reset(token)


def check_deadline() -> None:
    """Raise ``LimitExceeded`` once the current check has run past its time; cheap enough to call per file."""
    budget = _budget.get()
    if budget is not None and time.monotonic() - budget.started > budget.limits.seconds:
        raise LimitExceeded(stopped_message(budget.limits.seconds))


def stopped_message(seconds: float) -> str:
    return f"stopped after {seconds:g} s: the check did not finish within its time limit (timeout)"


def take_lookups(wanted: int) -> int:
    """How many of ``wanted`` index lookups the current check may still make (all of them outside a check)."""
    budget = _budget.get()
    if budget is None:
        return wanted
    with budget.lock:
        granted = min(wanted, budget.lookups_left)
        budget.lookups_left -= granted
    return granted


def lookup_limit() -> int:
    budget = _budget.get()
    return budget.limits.index_lookups if budget is not None else DEFAULT_LIMITS.index_lookups


def cap_process_memory(memory_mb: int) -> None:
    """Lower this process's address-space limit (never raise it): for front doors that run one check per process."""
    try:
        import resource
    except ImportError:  # not on POSIX: no cap
        return
    wanted = memory_mb * _MIB
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft == resource.RLIM_INFINITY or wanted < soft:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


@contextlib.contextmanager
def stop_process_after(
    seconds: float, *, grace: float = 15.0, prefix: str = "pipreqs-action: error: "
) -> Iterator[None]:
    """A backstop for one-check processes: should the check not return ``grace`` seconds after its deadline
    (a step stuck in C code never reaches ``check_deadline``), print the reason and end the process (exit 2)."""
    timer = threading.Timer(seconds + grace, _exit_stopped, args=(seconds, prefix))
    timer.daemon = True
    timer.start()
    _backstops.add(timer)
    try:
        yield
    finally:
        timer.cancel()
        _backstops.discard(timer)


# The backstop timers armed now. Each only waits on its own event until it fires, holding no lock another thread
# or a forked child could need, so ``other_threads`` leaves them out: the scan forks its helpers all the same.
_backstops: set[threading.Thread] = set()


def other_threads() -> int:
    """Threads of this process besides the calling one and the waiting backstop timers of ``stop_process_after``."""
    return threading.active_count() - 1 - sum(1 for timer in _backstops if timer.is_alive())


def _exit_stopped(seconds: float, prefix: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(f"{prefix}{stopped_message(seconds)}\n")
        sys.stderr.flush()
    os._exit(2)
