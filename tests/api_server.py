"""The API server (``pipreqs-action serve``'s uvicorn and app) on a free port of 127.0.0.1, for tests.

    with running(local_config(index_url=pypi.url)) as base:
        requests.get(f"{base}/pipreqs", params={"code_url": repo.url})

It is the same uvicorn set-up ``serve`` uses (``uvicorn_config``), in a thread of the test process.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import uvicorn

from git_server import HOST
from pipreqs_action.server.checks import Engine
from pipreqs_action.server.http import uvicorn_config
from pipreqs_action.server.options import ServerConfig
from pipreqs_action.server.policy import UrlPolicy
from pipreqs_action.server.work import Limits

WAIT = 30  # a safety net for a hung test, never a measurement


def local_config(
    *, index_url: str = "http://127.0.0.1:9/pypi", server_url: str = "https://github.com", **limits: Any
) -> ServerConfig:
    """Clones from the local git server only (http, 127.0.0.1 named by the operator); answers not cached."""
    policy = UrlPolicy.build([HOST], allow_http=True, server_url=server_url)
    return ServerConfig(policy, Engine(clone_timeout=WAIT, index_url=index_url), Limits(**{"ttl": 0, **limits}))


@contextmanager
def running(config: ServerConfig, **uvicorn_options: Any) -> Iterator[str]:
    """Serve ``config`` from a thread until the block ends; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn_config(config, HOST, port, **uvicorn_options))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the API server did not start")
        time.sleep(0.01)
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(WAIT)
        sock.close()


def with_policy(config: ServerConfig, policy: UrlPolicy) -> ServerConfig:
    return replace(config, policy=policy)
