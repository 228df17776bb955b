"""The web page at ``/``: paste a repository URL, see the report and the suggested requirements.

No build step: one HTML file, one script and one stylesheet, shipped as package data and served as they are.
``/?code_url=URL`` opens with that report shown, so a report can be shared as a link. The script puts answers
into the page as text only (never as HTML), and the Content-Security-Policy allows scripts from this origin alone.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

_STATIC = {"page.js": "text/javascript; charset=utf-8", "page.css": "text/css; charset=utf-8"}


@cache
def _read(name: str) -> str:
    return files("pipreqs_action.server").joinpath("static", name).read_text("utf-8")


async def index(request: Request) -> Response:
    return HTMLResponse(_read("index.html"))


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in _STATIC:  # a fixed list: no path from a request ever reaches the file system
        return JSONResponse({"detail": "Not Found"}, 404)
    return Response(_read(name), media_type=_STATIC[name], headers={"Cache-Control": "max-age=300"})
