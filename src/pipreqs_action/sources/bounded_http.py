"""One HTTP GET under a total deadline and a size limit, for servers we do not control (an ``api-url``, a tarball).

WHY: ``requests``' ``timeout`` bounds each socket operation, not the whole exchange: a server that sends one byte
every 20 seconds, headers included, keeps a 30-second timeout happy forever, and ``response.text`` reads an
endless or gzip-bombed body into memory whole. Here the exchange runs in a daemon thread the caller waits for at
most ``seconds``; at the deadline the body's socket is shut down (urllib3's ``HTTPResponse.shutdown``, which
wakes a blocked read), and the decoded body is counted as it arrives, so a bomb stops at ``max_bytes``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BodyTooLarge", "ExchangeTimedOut", "Fetched", "get_bounded"]

_CHUNK = 64 * 1024


class BodyTooLarge(Exception):
    """The (decoded) body passed the size limit."""


class ExchangeTimedOut(Exception):
    """The whole exchange, from connecting to the last byte, passed its deadline."""


@dataclass(slots=True)
class Fetched:
    """The answer's status, headers and whole body (``sink`` callers get an empty body: they kept the chunks)."""

    status: int
    headers: dict[str, str]
    body: bytes
    reason: str = ""


@dataclass(slots=True)
class _Exchange:
    response: Any = None
    result: Fetched | None = None
    error: BaseException | None = None
    stopped: threading.Event = field(default_factory=threading.Event)


def get_bounded(
    session: Any,
    url: str,
    *,
    seconds: float,
    max_bytes: int,
    sink: Callable[[bytes], object] | None = None,
    **kwargs: Any,
) -> Fetched:
    """``session.get(url, **kwargs)`` read whole within ``seconds`` and ``max_bytes``; ``requests`` errors pass
    through, ``ExchangeTimedOut`` and ``BodyTooLarge`` say which bound was hit. ``sink`` takes the body's chunks
    (a file) instead of keeping them in memory."""
    exchange = _Exchange()
    worker = threading.Thread(
        target=_run, args=(exchange, session, url, max_bytes, sink, kwargs), name="bounded-http", daemon=True
    )
    worker.start()
    worker.join(max(seconds, 0.0))
    if worker.is_alive():
        exchange.stopped.set()
        _shutdown(exchange.response)
        worker.join(1.0)  # the read wakes up at once; a connect still pending is left to its own timeout
        raise ExchangeTimedOut
    if exchange.error is not None:
        raise exchange.error
    assert exchange.result is not None
    return exchange.result


def _run(
    exchange: _Exchange, session: Any, url: str, max_bytes: int, sink: Callable[[bytes], object] | None, kwargs: Any
) -> None:
    try:
        with session.get(url, stream=True, **kwargs) as response:
            exchange.response = response
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_content(_CHUNK):
                if exchange.stopped.is_set():
                    return
                size += len(chunk)
                if size > max_bytes:
                    raise BodyTooLarge
                (sink or chunks.append)(chunk)
            headers = dict(response.headers)
            exchange.result = Fetched(response.status_code, headers, b"".join(chunks), response.reason or "")
    except BaseException as exc:  # handed to the caller's thread, which decides
        exchange.error = exc


def _shutdown(response: Any) -> None:
    if response is None:
        return
    with contextlib.suppress(Exception):
        response.raw.shutdown()
