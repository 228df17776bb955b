"""A local HTTP server that answers every GET badly on purpose: endless, gzip-bombed, trickling, or redirecting.

Stands in for a hostile git host, ``api-url`` or tarball host in tests (127.0.0.1 only). ``mode`` picks the
behaviour; ``served`` counts the body bytes written, so a test can show the client stopped early.
"""

from __future__ import annotations

import functools
import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

_ZEROS = b"\0" * (1 << 16)


@functools.cache
def gzip_bomb(decoded_mib: int) -> bytes:
    """``decoded_mib`` MiB of zeros, gzipped: about a thousandth of that on the wire."""
    return gzip.compress(b"\0" * (decoded_mib << 20), compresslevel=9)


class HostileServer:
    def __init__(
        self, mode: str, *, content_type: str = "application/x-git-upload-pack-advertisement", bomb_mib: int = 256
    ) -> None:
        self.mode = mode
        self.content_type = content_type
        self.served = 0
        self.requests: list[str] = []
        self.stop = threading.Event()
        self._bomb = gzip_bomb(bomb_mib) if mode == "gzip" else b""
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.requests.append(self.path)
                try:
                    server.answer(self)
                except OSError:  # the client hung up: what a bounded client does
                    return

            def log_message(self, format: str, *args: object) -> None:
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        if self.mode == "redirect":
            handler.send_response(302)
            handler.send_header("Location", "http://127.0.0.1:9/internal")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        handler.send_response(200)
        handler.send_header("Content-Type", self.content_type)
        if self.mode == "gzip":
            handler.send_header("Content-Encoding", "gzip")
            handler.send_header("Content-Length", str(len(self._bomb)))
            handler.end_headers()
            handler.wfile.write(self._bomb)
            self.served += len(self._bomb)
            return
        handler.send_header("Connection", "close")
        handler.end_headers()
        while not self.stop.is_set():
            if self.mode == "trickle":
                handler.wfile.write(b"x")
                handler.wfile.flush()
                self.served += 1
                time.sleep(0.2)
            else:  # endless
                handler.wfile.write(_ZEROS)
                self.served += len(_ZEROS)

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
