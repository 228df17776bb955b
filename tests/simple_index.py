"""A stand-in for a private simple repository index (PEP 503 HTML, PEP 691 JSON) on 127.0.0.1.

It answers ``GET /simple/<normalised name>/`` the way pip's index servers do: by the Accept header (JSON when
``application/vnd.pypi.simple.v1+json`` is acceptable, else HTML), or always in one format (``only="html"`` for
the many private indexes that predate PEP 691). Unknown projects are 404. Every request is recorded.

    with SimpleIndex() as index:
        index.add_project("Acme_SDK", ["1.0", "2.0rc1"], yanked=["1.1"])
        latest_versions(["acme-sdk"], index_url=index.url)  # http://127.0.0.1:PORT/simple
"""

from __future__ import annotations

import html
import json
import re
import threading
from collections.abc import Collection, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from packaging.utils import canonicalize_name

HOST = "127.0.0.1"
_PATH = re.compile(r"^/simple/(?P<name>[^/]+)/$")


class SimpleIndex:
    def __init__(self, *, only: str = "") -> None:
        self.only = only  # "html", "json" or "" (negotiate)
        self.projects: dict[str, list[tuple[str, bool]]] = {}
        self.seen: list[tuple[str, str]] = []  # (path, Accept header)
        self.lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((HOST, 0), _handler(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self._httpd.server_address[1]}/simple"

    def __enter__(self) -> SimpleIndex:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def add_project(self, name: str, versions: Sequence[str], *, yanked: Collection[str] = ()) -> None:
        """Each version as a wheel and an sdist, named as build tools name them."""
        stem = re.sub(r"[-_.]+", "_", name).lower()
        files = []
        for version in versions:
            gone = version in yanked
            files += [(f"{stem}-{version}-py3-none-any.whl", gone), (f"{stem}-{version}.tar.gz", gone)]
        self.projects[canonicalize_name(name)] = files

    def body(self, key: str, as_json: bool) -> bytes:
        files = self.projects[key]
        if as_json:
            listed = [
                {"filename": f, "url": f"../../files/{f}", "hashes": {}, **({"yanked": "broken"} if y else {})}
                for f, y in files
            ]
            return json.dumps({"meta": {"api-version": "1.0"}, "name": key, "files": listed}).encode()
        yanked = ' data-yanked="broken"'
        anchors = "".join(
            f'<a href="../../files/{html.escape(f)}#sha256=00"{yanked if y else ""}>{html.escape(f)}</a><br/>\n'
            for f, y in files
        )
        return f"<!DOCTYPE html><html><body><h1>Links for {key}</h1>\n{anchors}</body></html>".encode()


def _handler(index: SimpleIndex) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: tests read ``seen``."""

        def do_GET(self) -> None:
            accept = self.headers.get("Accept", "")
            with index.lock:
                index.seen.append((self.path, accept))
            match = _PATH.match(self.path)
            if not match or match["name"] not in index.projects:
                self._send(404, b"Not Found", "text/plain")
                return
            as_json = index.only == "json" or (not index.only and "application/vnd.pypi.simple.v1+json" in accept)
            kind = "application/vnd.pypi.simple.v1+json" if as_json else "text/html"
            self._send(200, index.body(match["name"], as_json), kind)

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler
