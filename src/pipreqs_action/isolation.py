"""Checks in a process of their own, for a server that runs many checks in one process.

WHY: an address-space limit (``RLIMIT_AS``) applies to a whole process, so the CLI and the Action cap their own
(``limits.cap_process_memory``); a server serving many requests cannot cap one of them in-process, and a check
stuck in C code never reaches ``limits.check_deadline``. ``run_isolated`` runs ``pipeline.run`` in a child that
caps its own memory first, and kills it at the deadline; ``run_each_isolated`` runs several checks of one tree
(the API's two answers) in one child, one process start per request. Children come from multiprocessing's
*forkserver*, a single-threaded process started once (``prepare``): forking the (threaded) server itself could
copy a lock some other thread holds. Each child leads a process group of its own, so a kill also ends the
helpers its scan forked; and it writes its temporary files under ``scratch``, which the caller removes, so a
child killed mid-check leaves nothing behind. Where there is no forkserver (Windows) the checks run in-process,
under the cooperative limits only.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import tempfile
from collections.abc import Sequence
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from pathlib import Path

from pipreqs_action.errors import LimitExceeded, PipreqsActionError
from pipreqs_action.limits import cap_process_memory, stopped_message
from pipreqs_action.model import Report
from pipreqs_action.settings import Settings
from pipreqs_action.sources import cleanup

log = logging.getLogger(__name__)

__all__ = ["Outcome", "prepare", "run_each_isolated", "run_isolated"]

_GRACE_SECONDS = 5.0  # the child's own deadline check comes first; this only catches a child that is stuck
# Imported once in the forkserver, so that a child starts as a fork rather than an import (~400 ms): the engine,
# the modules a check imports lazily (an online check: the index client), the command line, which is the server's
# ``__main__``: multiprocessing runs that again in each child (Python < 3.12 never preloads it), and last a check
# run there once, so the children start with the engine's tables read (``isolation_warmup``). A name that no
# longer exists is skipped by multiprocessing, never an error.
_PRELOAD = [
    "pipreqs_action.pipeline",
    "pipreqs_action.affinity",
    "pipreqs_action.metadata.dependency_metadata",
    "pipreqs_action.metadata.lock_dependencies",
    "pipreqs_action.versions",
    "pipreqs_action.via",
    "pipreqs_action.cli",
    "stdlibs",
    "requests",
    "pipreqs_action.isolation_warmup",
]

# A check's report, or the error it ended with: ours (``PipreqsActionError``), or a ``RecursionError`` (a file
# nested thousands deep: the repository's problem, which the caller words itself).
Outcome = Report | PipreqsActionError | RecursionError


def _context() -> ForkServerContext | None:
    try:
        context = multiprocessing.get_context("forkserver")
    except ValueError:  # no forkserver on this platform
        return None
    context.set_forkserver_preload(_PRELOAD)
    return context


def prepare() -> None:
    """Start the forkserver now (a server's start-up), not in the first requests, and wait until it has imported
    ``_PRELOAD`` (about a second): one empty child goes through it. Blocking; cheap once done.

    The folder multiprocessing makes for the forkserver's socket is left to ``cleanup.remove_all``."""
    context = _context()
    if context is None:
        return
    from multiprocessing import util

    child = context.Process(target=_ready, name="pipreqs-action-warm-up", daemon=True)
    child.start()
    child.join()
    cleanup.remove_at_exit(util.get_temp_dir())


def _ready() -> None:
    """A child that does nothing: once it has run, the forkserver has finished its imports."""


def run_isolated(settings: Settings) -> Report:
    """``pipeline.run(settings)`` in a child process capped at ``settings.limits`` (memory and time).

    Raises what the check raises (``PipreqsActionError`` subclasses), and ``LimitExceeded`` when the child runs
    out of time, out of memory, or dies."""
    (outcome,) = run_each_isolated([settings])
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def run_each_isolated(checks: Sequence[Settings], *, scratch: Path | None = None) -> list[Outcome]:
    """Each check in turn, in one child capped at the smallest memory limit among them; never raises for a check.

    Each check has its own time limit: its report must arrive within ``limits.seconds`` (plus a grace) of the
    previous one, else the child is killed and that check and the ones after it are ``LimitExceeded``. So is
    every check still owed when the child dies (the kernel's answer to memory, most likely). ``scratch``: an
    existing folder the child uses for its temporary files (the caller removes it)."""
    context = _context()
    if context is None:
        return [_in_process(settings) for settings in checks]
    receive, send = context.Pipe(duplex=False)
    memory_mb = min(settings.limits.memory_mb for settings in checks)
    args = (list(checks), memory_mb, None if scratch is None else str(scratch), send)
    child = context.Process(target=_child, args=args, name="pipreqs-action-check", daemon=True)
    child.start()
    send.close()
    try:
        with cleanup.track_process(child.pid or 0):  # a server stopped by SIGTERM kills it too
            return _outcomes(receive, checks, memory_mb)
    finally:
        receive.close()
        _kill_group(child.pid)
        if child.is_alive():  # not yet its group's leader: only just started
            child.kill()
        child.join()


def _outcomes(receive: Connection, checks: Sequence[Settings], memory_mb: int) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for settings in checks:
        seconds = settings.limits.seconds
        if not receive.poll(seconds + _GRACE_SECONDS):
            return [*outcomes, *[LimitExceeded(stopped_message(seconds))] * (len(checks) - len(outcomes))]
        try:
            outcomes.append(receive.recv())
        except (EOFError, OSError):  # the child died without a word
            died = LimitExceeded(f"stopped: the check process ended abruptly (memory limit {memory_mb} MB)")
            return [*outcomes, *[died] * (len(checks) - len(outcomes))]
    return outcomes


def _kill_group(pid: int | None) -> None:
    """The child and whatever it forked (the scan's reading helpers) share its process group: end them all."""
    if pid is not None:
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)


def _in_process(settings: Settings) -> Outcome:
    from pipreqs_action import pipeline

    try:
        return pipeline.run(settings)
    except (PipreqsActionError, RecursionError) as error:
        return error


def _child(checks: list[Settings], memory_mb: int, scratch: str | None, send: Connection) -> None:
    """In the child: lead a process group, cap memory, run each check, send each report or error (only ours and
    RecursionError: anything else becomes one line, its traceback stays in the log)."""
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    cap_process_memory(memory_mb)
    if scratch is not None:
        tempfile.tempdir = scratch
    from pipreqs_action import pipeline

    try:
        for settings in checks:
            try:
                outcome: Outcome = pipeline.run(settings)
            except (PipreqsActionError, RecursionError) as error:
                outcome = error
            except MemoryError:
                outcome = LimitExceeded(f"stopped: the check needed more than {memory_mb} MB")
            except Exception as error:  # a bug: the caller answers 500 and logs this line
                log.exception("check failed in its process")
                outcome = PipreqsActionError(f"internal error: {type(error).__name__}")
            send.send(outcome)
    finally:
        send.close()
