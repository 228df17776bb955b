"""The HTTP session of a git-less clone (the host's REST API and its tarball download): it reaches only the hosts
the repository's download uses, each at addresses checked when the connection is made.

WHY: the policy checks the repository's own host, but without git the server talks to others: GitHub's REST API
(api.github.com) and the download host it redirects to (codeload.github.com); on GitHub Enterprise Server the host
itself and its ``codeload.`` sub-domain. Any of them could resolve to an internal address, and a redirect could
lead anywhere. So every request, the first and each redirect alike, must name one of those endpoints (scheme, host
and port), and every connection resolves its host once, checks each address (``connect_to``: the policy's, which
refuses any address that is not public unless the operator named the host) and connects to those addresses only:
no second lookup can answer differently (DNS rebinding). Proxies and ``.netrc`` from the environment are ignored,
so the address checked is the address connected to.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.connection import create_connection

from pipreqs_action.errors import SourceError

Endpoint = tuple[str, str, int]  # scheme, host name, port
Addresses = Callable[[str, int], Sequence[str]]  # host name, port -> the addresses to connect to (or it raises)

_DEFAULT_PORTS = {"https": 443, "http": 80}


def endpoint_of(url: str) -> Endpoint:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(parts.scheme, 0)


def session(endpoints: frozenset[Endpoint], connect_to: Addresses) -> requests.Session:
    """A session that sends requests to ``endpoints`` only, over connections made at ``connect_to``'s addresses."""
    guarded = requests.Session()
    guarded.trust_env = False
    adapter = _GuardedAdapter(endpoints, connect_to)
    for prefix in ("https://", "http://"):
        guarded.mount(prefix, adapter)
    return guarded


class _GuardedAdapter(HTTPAdapter):
    def __init__(self, endpoints: frozenset[Endpoint], connect_to: Addresses) -> None:
        self.endpoints = endpoints
        self.pools = {
            "http": _pool_class(HTTPConnectionPool, HTTPConnection, connect_to),
            "https": _pool_class(HTTPSConnectionPool, HTTPSConnection, connect_to),
        }
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self.pools

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        """A request (the first, or a redirect ``requests`` follows) to an endpoint not allowed is never sent."""
        if endpoint_of(request.url or "") not in self.endpoints:
            raise SourceError("the host redirected the download to another host, which is not followed")
        return super().send(request, *args, **kwargs)


def _pool_class(pool: type[HTTPConnectionPool], connection: type[HTTPConnection], connect_to: Addresses) -> Any:
    pinned = type(f"Pinned{connection.__name__}", (connection,), {"_new_conn": _pinned_conn(connect_to)})
    return type(f"Pinned{pool.__name__}", (pool,), {"ConnectionCls": pinned})


def _pinned_conn(connect_to: Addresses) -> Callable[[HTTPConnection], socket.socket]:
    def new_conn(self: HTTPConnection) -> socket.socket:
        """urllib3's ``_new_conn``, connecting to the addresses ``connect_to`` gives (TLS still checks the name)."""
        failure: OSError | None = None
        for address in connect_to(self.host, self.port or 0):
            try:
                return create_connection(
                    (address, self.port or 0), self.timeout, self.source_address, self.socket_options
                )
            except TimeoutError as error:
                raise ConnectTimeoutError(self, f"Connection to {self.host} timed out") from error
            except OSError as error:
                failure = error
        raise NewConnectionError(self, f"Failed to establish a new connection: {failure}")

    return new_conn
