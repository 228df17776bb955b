"""One check in a process of its own, for a server that runs many checks in one process.

WHY: an address-space limit (``RLIMIT_AS``) applies to a whole process, so the CLI and the Action cap their own
(``limits.cap_process_memory``); a server serving many requests cannot cap one of them in-process, and a check
stuck in C code never reaches ``limits.check_deadline``. ``run_isolated`` runs ``pipeline.run`` in a child that
caps its own memory first, and kills it at the deadline. Children come from multiprocessing's *forkserver*, a
single-threaded process started once: forking the (threaded) server itself could copy a lock some other thread
holds. Where there is no forkserver (Windows) the check runs in-process, under the cooperative limits only.
"""

from __future__ import annotations

import logging
import multiprocessing
from multiprocessing.connection import Connection

from pipreqs_action.errors import LimitExceeded, PipreqsActionError
from pipreqs_action.limits import cap_process_memory, stopped_message
from pipreqs_action.model import Report
from pipreqs_action.settings import Settings

log = logging.getLogger(__name__)

__all__ = ["run_isolated"]

_GRACE_SECONDS = 5.0  # the child's own deadline check comes first; this only catches a child that is stuck


def run_isolated(settings: Settings) -> Report:
    """``pipeline.run(settings)`` in a child process capped at ``settings.limits`` (memory and time).

    Raises what the check raises (``PipreqsActionError`` subclasses), and ``LimitExceeded`` when the child runs
    out of time, out of memory, or dies."""
    try:
        context = multiprocessing.get_context("forkserver")
    except ValueError:  # no forkserver on this platform
        from pipreqs_action import pipeline

        return pipeline.run(settings)
    context.set_forkserver_preload(["pipreqs_action.pipeline"])
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(settings, send), name="pipreqs-action-check", daemon=True)
    child.start()
    send.close()
    try:
        return _outcome(receive, settings)
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()


def _outcome(receive: Connection, settings: Settings) -> Report:
    limits = settings.limits
    if not receive.poll(limits.seconds + _GRACE_SECONDS):
        raise LimitExceeded(stopped_message(limits.seconds))
    try:
        kind, value = receive.recv()
    except (EOFError, OSError):  # the child died without a word: the kernel's answer to memory, most likely
        raise LimitExceeded(f"stopped: the check process ended abruptly (memory limit {limits.memory_mb} MB)") from None
    if kind == "error":
        raise value
    report: Report = value
    return report


def _child(settings: Settings, send: Connection) -> None:
    """In the child: cap memory, run the check, send the report or the error (only ours: others become one line)."""
    cap_process_memory(settings.limits.memory_mb)
    try:
        from pipreqs_action import pipeline

        send.send(("report", pipeline.run(settings)))
    except PipreqsActionError as error:
        send.send(("error", error))
    except MemoryError:
        send.send(("error", LimitExceeded(f"stopped: the check needed more than {settings.limits.memory_mb} MB")))
    except Exception as error:  # a bug: the server answers 500 and logs this line, never the child's traceback
        log.exception("check failed in its process")
        send.send(("error", PipreqsActionError(f"internal error: {type(error).__name__}")))
    finally:
        send.close()
