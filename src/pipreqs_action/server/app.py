"""The ASGI app: routes, request validation and the error shape, nothing slow.

It answers like the public pipreqs API (FastAPI) so existing clients keep working: ``GET /pipreqs?code_url=``
gives ``text/plain`` on success and ``{"detail": "..."}`` with a 4xx/5xx otherwise; ``format=json`` (or ``Accept:
application/json``, or ``GET /check``) gives the full report against the repository's own declarations. Every
request is validated before any work is queued, so a bad one costs nothing; the work itself goes through the
``Coalescer`` (one job per repository, cached, bounded).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import partial

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipreqs_action import isolation
from pipreqs_action.errors import SettingsError
from pipreqs_action.pins import MODES
from pipreqs_action.server import docs, page
from pipreqs_action.server.checks import JSON, Answer, Outcome, run_job
from pipreqs_action.server.freshness import Revalidator, names_a_commit, remote_commit
from pipreqs_action.server.options import ServerConfig
from pipreqs_action.server.work import Busy, Coalescer
from pipreqs_action.settings import choice
from pipreqs_action.sources import source

log = logging.getLogger("pipreqs_action.server")
Endpoint = Callable[[Request], Awaitable[Response]]

_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),  # the page's own URL holds the code_url asked for
    (b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
]


def make_app(config: ServerConfig) -> Starlette:
    """The app, with its own job pool and cache (one per worker process)."""
    work: Coalescer[Outcome] = Coalescer(config.limits, lambda outcome: outcome.failed)
    fresh = Revalidator(config.limits.revalidate_after)

    async def pipreqs(request: Request) -> Response:
        wanted = request.query_params.get("format") or ("json" if JSON in request.headers.get("accept", "") else "")
        as_json = choice("format", wanted or "text", ("text", "json")) == "json"
        return await _check(request, config, work, fresh, as_json=as_json)

    async def check(request: Request) -> Response:
        return await _check(request, config, work, fresh, as_json=True)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if config.engine.isolated:  # the scans' forkserver starts now, in a thread: not in the first request
            await asyncio.to_thread(isolation.prepare)
        yield
        work.close()  # waits for running jobs: their clean-up removes their clones
        fresh.close()

    handlers = {HTTPException: _http_error, SettingsError: _bad_request, Exception: _internal_error}
    app = Starlette(routes=_routes(pipreqs, check), exception_handlers=handlers, lifespan=lifespan)
    app.router.redirect_slashes = False  # /health/ is not /health
    app.state.work = work
    app.state.fresh = fresh
    app.add_middleware(_Guard)
    return app


def _routes(pipreqs: Endpoint, check: Endpoint) -> list[Route]:
    """GET only (Starlette adds HEAD to every GET route; anything else is a 405 with ``Allow``)."""
    endpoints = {
        "/": page.index,
        "/static/{name}": page.static,
        "/health": health,
        "/pipreqs": pipreqs,
        "/check": check,
        "/openapi.json": docs.openapi,
        "/docs": docs.page,
    }
    return [Route(path, endpoint, methods=["GET"]) for path, endpoint in endpoints.items()]


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _check(
    request: Request, config: ServerConfig, work: Coalescer[Outcome], fresh: Revalidator, *, as_json: bool
) -> Response:
    query = request.query_params
    repo = config.policy.check(query.get("code_url", ""))
    mode = choice("mode", query.get("mode") or "pin", MODES)
    ref = source.check_ref(query["ref"]) if query.get("ref") else None
    key = (repo.url, ref, mode)
    if not names_a_commit(ref):  # a branch, a tag or the default branch: a push may have moved it
        cached = work.peek(key)
        if cached is not None and cached.commit and not cached.failed:
            resolve = partial(remote_commit, config.policy, repo, ref, config.engine)
            if not await fresh.current(key, cached.commit, cached.made, resolve):
                work.forget(key)
    job = partial(run_job, config.policy, repo, ref, mode, config.engine)
    try:
        outcome = await work.get(key, job)
    except Busy as busy:
        detail = "busy: too many repositories are being checked; retry later"
        return _answer(Answer.error(503, detail), {"Retry-After": str(busy.retry_after)})
    if outcome.commit and outcome.commit != ref:  # a later request naming that commit shares this answer
        work.remember((repo.url, outcome.commit, mode), outcome)
    return _answer(outcome.json if as_json else outcome.text)


def _answer(answer: Answer, headers: dict[str, str] | None = None) -> Response:
    return Response(answer.body, answer.status, headers=headers, media_type=answer.media_type)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    return JSONResponse({"detail": error.detail}, error.status_code, headers=error.headers)


async def _bad_request(request: Request, error: Exception) -> Response:
    detail = str(error)
    if detail.startswith("repository: "):
        detail = "code_url: " + detail.removeprefix("repository: ")
    return JSONResponse({"detail": detail}, 400)


async def _internal_error(request: Request, error: Exception) -> Response:
    log.error("GET %s failed", request.url.path, exc_info=error)  # the traceback stays in the log
    return JSONResponse({"detail": "Internal Server Error"}, 500)


class _Guard:
    """Logs each request by path only (the query is whatever a client typed, tokens included) and adds the
    security headers to every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_SECURITY_HEADERS]
                log.info("%s %s -> %s", scope["method"], scope["path"], message["status"])
            await send(message)

        await self.app(scope, receive, send_guarded)
