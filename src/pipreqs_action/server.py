"""The HTTP API this project grew from: ``GET /pipreqs?code_url=<git URL>`` -> the requirements.txt the code needs.

It answers like the public pipreqs API (FastAPI) so existing clients keep working: ``text/plain`` on success,
``{"detail": "..."}`` with a 4xx/5xx otherwise. ``format=json`` (or ``Accept: application/json``) gives the full
report against the repository's own declarations instead. The only URL taken from a request is ``code_url``, and
``parse_repository`` decides whether it may be cloned; a bad request never stops the server.
"""

from __future__ import annotations

import json
import logging
import tempfile
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import SplitResult, parse_qs, urlsplit

from pipreqs_action import pipeline, source
from pipreqs_action.errors import RequirementsError, SettingsError, SourceError
from pipreqs_action.model import Report
from pipreqs_action.pins import DEFAULT_INDEX_URL, MODES
from pipreqs_action.render import to_json
from pipreqs_action.settings import choice, engine_settings

log = logging.getLogger(__name__)
_ROUTES = ("/pipreqs", "/health")
_TEXT, _JSON = "text/plain; charset=utf-8", "application/json"


@dataclass(frozen=True)
class _Config:
    server_url: str
    allow_http_hosts: frozenset[str]
    clone_timeout: float
    offline: bool
    index_url: str
    slots: threading.BoundedSemaphore  # clones cost disk and minutes: a few at once, the rest are told 503 to retry


class _Failure(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


class _Handler(BaseHTTPRequestHandler):
    config: _Config

    def do_GET(self) -> None:
        self._send(*self._answer(urlsplit(self.path)))  # answered outside the try: a client gone is not a 500

    def _answer(self, url: SplitResult) -> tuple[int, str, str]:
        try:
            if url.path not in _ROUTES:
                raise _Failure(404, "Not Found")
            if url.path == "/health":
                return 200, _JSON, '{"status": "ok"}'
            query = {key: values[-1] for key, values in parse_qs(url.query, keep_blank_values=True).items()}
            return 200, *self._pipreqs(query)
        except _Failure as failure:
            return failure.status, _JSON, _detail(failure.detail)
        except SettingsError as error:
            return 400, _JSON, _detail(str(error))
        except (SourceError, RequirementsError) as error:
            return 422, _JSON, _detail(str(error))
        except Exception:
            log.exception("GET %s failed", url.path)  # the traceback stays in the log, never in the answer
            return 500, _JSON, _detail("Internal Server Error")

    def _pipreqs(self, query: dict[str, str]) -> tuple[str, str]:
        """Everything is validated before a clone slot is taken, so a bad request costs nothing."""
        config = self.config
        try:
            repo = source.parse_repository(
                query.get("code_url", ""), server_url=config.server_url, allow_http_hosts=config.allow_http_hosts
            )
        except SettingsError as error:  # name the query parameter the client knows
            raise SettingsError(f"code_url: {str(error).removeprefix('repository: ')}") from None
        mode = choice("mode", query.get("mode", "pin"), MODES)
        wanted = query.get("format") or ("json" if _JSON in self.headers.get("Accept", "") else "text")
        as_json = choice("format", wanted, ("text", "json")) == "json"
        if not config.slots.acquire(blocking=False):
            raise _Failure(503, "busy: too many repositories are being checked; retry later")
        try:
            report = _check(config, repo, query.get("ref") or None, mode, as_json)
        finally:
            config.slots.release()
        return (_JSON, to_json(report)) if as_json else (_TEXT, report.requirements)

    def _not_allowed(self) -> None:
        if urlsplit(self.path).path in _ROUTES:
            self._send(405, _JSON, _detail("Method Not Allowed"))
        else:
            self._send(404, _JSON, _detail("Not Found"))

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _not_allowed

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Malformed requests get the same JSON shape, and never an echo of the request line."""
        self.close_connection = True
        self._send(code, _JSON, _detail(self.responses.get(code, ("Error",))[0]))

    def _send(self, status: int, content_type: str, body: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if status == 405:
            self.send_header("Allow", "GET")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """The query is whatever a client typed, tokens included: log the path only."""
        log.info("%s %s -> %s", self.command, urlsplit(getattr(self, "path", "")).path, code)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("http.server: %s", format)  # its arguments may hold the raw request line


def _detail(text: str) -> str:
    return json.dumps({"detail": text})


def _check(config: _Config, repo: source.RepoRef, ref: str | None, mode: str, as_json: bool) -> Report:
    """JSON checks the repository's own declarations; text is pipreqs' answer: every import's distribution,
    which is what an empty requirements file leaves "missing"."""
    with (
        source.clone(repo, ref, timeout=config.clone_timeout) as checkout,
        tempfile.TemporaryDirectory(prefix="pipreqs-action-server-") as tmp,
    ):
        empty = Path(tmp, "requirements.txt")
        empty.touch()
        requirements = () if as_json else [empty]
        settings = engine_settings(
            path=checkout.root, requirements=requirements, mode=mode, offline=config.offline, index_url=config.index_url
        )
        return pipeline.run(settings)


def make_server(
    host: str,
    port: int,
    *,
    server_url: str = "https://github.com",
    allow_http_hosts: frozenset[str] = frozenset(),
    clone_timeout: float = 120.0,
    offline: bool = False,
    index_url: str = DEFAULT_INDEX_URL,
    max_clones: int = 2,
) -> ThreadingHTTPServer:
    """A bound server, not yet serving; the configuration comes from the operator, never from a request."""
    config = _Config(
        server_url, allow_http_hosts, clone_timeout, offline, index_url, threading.BoundedSemaphore(max_clones)
    )
    handler = type("Handler", (_Handler,), {"config": config})
    return ThreadingHTTPServer((host, port), handler)


def serve(
    host: str,
    port: int,
    *,
    server_url: str = "https://github.com",
    allow_http_hosts: frozenset[str] = frozenset(),
    clone_timeout: float = 120.0,
    offline: bool = False,
    index_url: str = DEFAULT_INDEX_URL,
    max_clones: int = 2,
) -> None:
    """Serve until interrupted; the options are ``make_server``'s (``pipreqs-action serve --help``)."""
    server = make_server(
        host,
        port,
        server_url=server_url,
        allow_http_hosts=allow_http_hosts,
        clone_timeout=clone_timeout,
        offline=offline,
        index_url=index_url,
        max_clones=max_clones,
    )
    log.info("serving GET /pipreqs?code_url=... on http://%s:%s", host, server.server_address[1])
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("stopped")
    finally:
        server.server_close()
