"""uvicorn, set up for a public server: no version banner, a listen backlog, and time limits on idle sockets.

WHY a header timeout: uvicorn closes an idle keep-alive connection, but a connection that never finishes its
request headers (slowloris, or 1,000 sockets opened and left) is held forever. ``_TimedH11`` closes any
connection that has not sent a complete request head within ``header_timeout`` seconds of connecting or of its
previous answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from pipreqs_action.server.app import make_app
from pipreqs_action.server.options import ServerConfig
from pipreqs_action.sources import cleanup

log = logging.getLogger("pipreqs_action.server")

HEADER_TIMEOUT = 10.0
KEEP_ALIVE = 5
BACKLOG = 2048
MAX_CONNECTIONS = 1000  # past this uvicorn answers 503 itself; the listen backlog holds what waits to connect
MAX_HEAD_BYTES = 16 * 1024


class _TimedH11(H11Protocol):
    header_timeout = HEADER_TIMEOUT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.access_log = False  # uvicorn's access log holds the query (tokens included); app.py logs the path

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def _arm(self) -> None:
        self.loop.call_later(self.header_timeout, self._head_overdue, self.cycle)

    def _head_overdue(self, armed_with: object) -> None:
        """Close if no request head has arrived since the timer was set; a request under way is never cut."""
        if self.cycle is armed_with and self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def uvicorn_config(config: ServerConfig, sock_host: str, port: int, **overrides: Any) -> uvicorn.Config:
    options: dict[str, Any] = {
        "host": sock_host,
        "port": port,
        "http": _TimedH11,
        "server_header": False,
        "date_header": True,
        "backlog": BACKLOG,
        "timeout_keep_alive": KEEP_ALIVE,
        "limit_concurrency": MAX_CONNECTIONS,
        "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
        "access_log": False,
        "log_config": None,
        "lifespan": "on",
        "proxy_headers": False,
        **overrides,
    }
    return uvicorn.Config(make_app(config), **options)


def serve(host: str, port: int, config: ServerConfig, *, workers: int = 1) -> None:
    """Serve until SIGINT/SIGTERM; running jobs finish and remove their clones before the process exits.

    ``workers`` > 1 forks that many processes after the socket is bound: each has its own event loop, job pool
    and cache, and the kernel hands each new connection to one of them (one machine's CPUs, no balancer).
    """
    sock = uvicorn_config(config, host, port).bind_socket()
    log.info("serving the API and the page on http://%s:%s (OpenAPI at /docs)", host, sock.getsockname()[1])
    if workers <= 1:
        _run_worker(config, host, port, sock)
        return
    children = [_fork_worker(config, host, port, sock) for _ in range(workers)]
    sock.close()
    _supervise(children)


def _run_worker(config: ServerConfig, host: str, port: int, sock: socket.socket) -> None:
    """One worker until it is stopped. uvicorn handles SIGTERM while it serves (running jobs finish and remove
    their clones), then restores our handler and raises the signal again: ``cleanup`` then removes what lives as
    long as the process (the scans' forkserver folder) before the process ends as the signal says."""
    cleanup.install_signal_handlers()
    uvicorn.Server(uvicorn_config(config, host, port)).run(sockets=[sock])


def _fork_worker(config: ServerConfig, host: str, port: int, sock: socket.socket) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        _run_worker(config, host, port, sock)
        code = 0
    finally:
        cleanup.remove_all()  # os._exit runs no exit handler
        os._exit(code)  # never back into the parent's code


def _supervise(children: list[int]) -> None:
    """Pass SIGINT/SIGTERM on to the workers and wait until every one has stopped."""

    def forward(signum: int, frame: object) -> None:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, forward)
    for pid in children:
        while True:
            try:
                os.waitpid(pid, 0)
                break
            except InterruptedError:
                continue
