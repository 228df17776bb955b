"""A relay that counts the bytes git receives: a SOCKS5 proxy on 127.0.0.1, one per clone.

WHY: git cannot be told to stop after N bytes. Its limits were the disk (polled, and the largest file it may write)
and its memory: an endless reply that git holds in memory up to its cap, or reads and drops, still streams in for
as long as the deadline allows. curl, git's HTTP layer, goes through a SOCKS5 proxy for ``http://`` and
``https://`` alike (``http.proxy=socks5://...``; curl still resolves the name, so the API server's address
pinning, ``http.curloptResolve``, holds), and a proxy sees every byte on the wire, TLS records included. So each
clone's git talks to its own relay, which cuts every connection once the hosts have sent more than the budget and
says so (``exceeded``); git then fails at once.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import struct
import threading

_CHUNK = 64 * 1024
_HANDSHAKE_SECONDS = 10.0
_SOCKS = 5
_CONNECT = 1
_IPV4, _IPV6 = 1, 4


class WireBudget:
    """Relays git's connections; ``received`` counts what the hosts sent; past ``max_bytes`` every connection is
    closed and ``exceeded`` is set. A context manager: the relay lives as long as the block."""

    def __init__(self, max_bytes: int, connect_seconds: float = 30.0) -> None:
        self.max_bytes = max_bytes
        self.connect_seconds = connect_seconds
        self.received = 0
        self.exceeded = threading.Event()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._thread = threading.Thread(target=self._accept, name="pipreqs-action-wire", daemon=True)

    @property
    def proxy(self) -> str:
        """The value of git's ``http.proxy``."""
        return f"socks5://127.0.0.1:{self._listener.getsockname()[1]}"

    def __enter__(self) -> WireBudget:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._close_all()
        self._thread.join(5)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # closed: the clone is over
                return
            if not self._track(client):
                return
            threading.Thread(target=self._relay, args=(client,), name="pipreqs-action-wire", daemon=True).start()

    def _track(self, sock: socket.socket) -> bool:
        with self._lock:
            if self.exceeded.is_set():
                sock.close()
                return False
            self._sockets.add(sock)
            return True

    def _close_all(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _relay(self, client: socket.socket) -> None:
        try:
            client.settimeout(_HANDSHAKE_SECONDS)
            host, port = _handshake(client)
            remote = socket.create_connection((host, port), self.connect_seconds)
        except (OSError, ValueError, struct.error):
            with contextlib.suppress(OSError):
                client.sendall(b"\x05\x01\x00\x01\0\0\0\0\0\0")  # general failure
            self._drop(client)
            return
        if not self._track(remote):
            self._drop(client)
            return
        client.settimeout(None)
        remote.settimeout(None)
        client.sendall(b"\x05\x00\x00\x01\0\0\0\0\0\0")
        upstream = threading.Thread(target=self._pump, args=(client, remote, False), daemon=True)
        upstream.start()
        self._pump(remote, client, True)
        upstream.join()
        self._drop(client)
        self._drop(remote)

    def _pump(self, source: socket.socket, sink: socket.socket, counted: bool) -> None:
        """Copy until either side closes; bytes from a host count against the budget."""
        try:
            while chunk := source.recv(_CHUNK):
                if counted and not self._count(len(chunk)):
                    return
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)

    def _count(self, size: int) -> bool:
        with self._lock:
            self.received += size
            over = self.received > self.max_bytes
            if over:
                self.exceeded.set()
        if over:
            self._close_all()
        return not over

    def _drop(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)
        sock.close()


def _handshake(client: socket.socket) -> tuple[str, int]:
    """SOCKS5 (RFC 1928) without authentication, CONNECT only: where the client wants to go."""
    version, methods = _read(client, 2)
    _read(client, methods)
    if version != _SOCKS:
        raise ValueError("not SOCKS5")
    client.sendall(b"\x05\x00")  # no authentication
    version, command, _, kind = _read(client, 4)
    if version != _SOCKS or command != _CONNECT:
        raise ValueError("not a CONNECT")
    if kind == _IPV4:
        host = str(ipaddress.IPv4Address(_read(client, 4)))
    elif kind == _IPV6:
        host = str(ipaddress.IPv6Address(_read(client, 16)))
    else:  # a name (socks5h): curl resolves names itself (``socks5://``), so the pinned addresses hold
        raise ValueError("not an address")
    (port,) = struct.unpack("!H", _read(client, 2))
    return host, port


def _read(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ValueError("closed during the handshake")
        data += chunk
    return data
