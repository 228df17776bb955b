"""The API's OpenAPI description (``/openapi.json``) and a readable rendering of it (``/docs``).

WHY written by hand: the API is four GET endpoints; a framework that derives the description from type hints
(FastAPI, with pydantic) would add ~14 MB to the image for it. The tests validate every answer of the running
server against this description (openapi-core), so it cannot drift from what the server does. ``/docs`` is
rendered here, without JavaScript or a CDN, so it works on a machine with no internet and under a strict CSP.
"""

from __future__ import annotations

import html
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from pipreqs_action.pins import MODES

_DETAIL = {"$ref": "#/components/responses/Error"}


def _query(name: str, description: str, schema: dict[str, Any], *, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


_CODE_URL = _query(
    "code_url",
    "The repository: https://host/owner/name (an allowed host) or owner/name on the server's GitHub.",
    {"type": "string"},
    required=True,
)
_REF = _query("ref", "Branch, tag or commit SHA (default: the default branch).", {"type": "string"})
_MODE = _query(
    "mode",
    "Version style of the suggested lines: pin (==), compat (~=), gt (>=), no-pin.",
    {"type": "string", "enum": list(MODES), "default": "pin"},
)
_FORMAT = _query(
    "format", "text (requirements.txt) or json (the report).", {"type": "string", "enum": ["text", "json"]}
)
_FAILURES = {
    "400": {"description": "A bad query value; the detail names it (`code_url: host not allowed`).", **_DETAIL},
    "404": {"description": "Repository or ref not found.", **_DETAIL},
    "413": {"description": "The repository is larger than the server's limit.", **_DETAIL},
    "422": {"description": "Nothing to check (no Python file), or a manifest that cannot be read.", **_DETAIL},
    "500": {"description": "A bug: the details are in the server's log, never in the answer.", **_DETAIL},
    "502": {"description": "The clone failed for another reason.", **_DETAIL},
    "503": {
        "description": "Busy: every clone slot is taken and the queue is full; retry after `Retry-After` seconds.",
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    },
    "504": {"description": "The clone took longer than the server's limit.", **_DETAIL},
}
_REPORT = {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}
_HEALTH = {"type": "object", "properties": {"status": {"type": "string", "enum": ["ok"]}}, "required": ["status"]}
_PARAMETERS = [_CODE_URL, _REF, _MODE]

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "pipreqs-action",
        "version": "1",
        "description": "What a Python repository's code imports, against what it declares. Answers are cached "
        "per server process for a few minutes; identical requests in flight share one clone.",
    },
    "paths": {
        "/pipreqs": {
            "get": {
                "summary": "The requirements.txt the code needs (the public pipreqs API's contract)",
                "description": "Every third-party import's distribution, one per line, as text. With `format=json` "
                "(or `Accept: application/json`) the full report instead, as `/check` gives it.",
                "parameters": [
                    *_PARAMETERS,
                    _FORMAT,
                ],
                "responses": {
                    "200": {
                        "description": "requirements.txt (text) or the report (json).",
                        "content": {"text/plain": {"schema": {"type": "string"}}, **_REPORT},
                    },
                    **_FAILURES,
                },
            }
        },
        "/check": {
            "get": {
                "parameters": _PARAMETERS,
                "summary": "The full report against the repository's own declarations",
                "description": "The JSON report of `pipreqs-action check --format json` for the repository.",
                "responses": {"200": {"description": "The report.", "content": _REPORT}, **_FAILURES},
            }
        },
        "/health": {
            "get": {
                "summary": "Liveness (also HEAD)",
                "responses": {"200": {"description": "Up.", "content": {"application/json": {"schema": _HEALTH}}}},
            }
        },
    },
    "components": {
        "schemas": {
            "Error": {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
            "Report": {
                "type": "object",
                "description": "See the README's JSON report section; fields are only ever added.",
                "properties": {
                    "in_sync": {"type": "boolean"},
                    "missing": {"type": "array", "items": {"type": "object"}},
                    "unused": {"type": "array", "items": {"type": "object"}},
                    "requirements": {"type": "string"},
                },
                "required": ["in_sync", "missing", "unused", "requirements"],
            },
        },
        "responses": {
            "Error": {
                "description": "A failure; `detail` says what went wrong.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        },
    },
}


async def openapi(request: Request) -> Response:
    return JSONResponse(OPENAPI)


async def page(request: Request) -> Response:
    return HTMLResponse(render())


def render() -> str:
    """The description as one HTML page: each endpoint, its parameters and its answers."""
    out = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pipreqs-action API</title>',
        '<link rel="stylesheet" href="/static/page.css"></head><body><main>',
        f"<h1>{_e(OPENAPI['info']['title'])} API</h1><p>{_e(OPENAPI['info']['description'])}</p>",
        '<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). A page to try it: '
        '<a href="/">/</a>.</p>',
    ]
    for path, methods in OPENAPI["paths"].items():
        for method, operation in methods.items():
            out += [f"<h2><code>{method.upper()} {_e(path)}</code></h2><p>{_e(operation['summary'])}.</p>"]
            if "description" in operation:
                out.append(f"<p>{_e(operation['description'])}</p>")
            out += _parameters(operation.get("parameters", []))
            out += ["<dl>", *_responses(operation["responses"]), "</dl>"]
    return "\n".join([*out, "</main></body></html>"])


def _parameters(parameters: list[dict[str, Any]]) -> list[str]:
    if not parameters:
        return []
    rows = [
        f"<tr><td><code>{_e(p['name'])}</code>{' (required)' if p.get('required') else ''}</td>"
        f"<td>{_e(' | '.join(p['schema'].get('enum', [])) or p['schema']['type'])}</td>"
        f"<td>{_e(p.get('description', ''))}</td></tr>"
        for p in parameters
    ]
    return ["<table><tr><th>parameter</th><th>values</th><th></th></tr>", *rows, "</table>"]


def _responses(responses: dict[str, Any]) -> list[str]:
    return [f"<dt>{_e(status)}</dt><dd>{_e(answer['description'])}</dd>" for status, answer in responses.items()]


def _e(text: str) -> str:
    return html.escape(text, quote=True)
