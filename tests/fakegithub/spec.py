"""GitHub's own OpenAPI description, loaded once, as the judge of every request and response of the fake.

The description is the one GitHub publishes (npm ``@octokit/openapi``, ``generated/api.github.com.json``,
installed by ``npm ci --prefix tests/node``). openapi-core checks each exchange against it, so the fake can
never drift into accepting a request GitHub would refuse, or answering with a body GitHub would never send.

The description lists per operation only the error statuses GitHub chose to document there; 401, 403 rate
limits, 410 and 5xx can come from any endpoint (GitHub documents them globally). Such an undocumented
status is checked against the description's shared response of that status (``components/responses``).
"""

from __future__ import annotations

import functools
import json
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openapi_core import OpenAPI
from openapi_core.configurations import Config
from openapi_core.datatypes import RequestParameters
from openapi_core.exceptions import OpenAPIError
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from referencing import Registry
from referencing.jsonschema import DRAFT4
from werkzeug.datastructures import Headers, ImmutableMultiDict

NODE_DIR = Path(__file__).resolve().parents[1] / "node"
SPEC_PATH = NODE_DIR / "node_modules" / "@octokit" / "openapi" / "generated" / "api.github.com.json"
INSTALL_HINT = "run `npm ci --prefix tests/node` to install GitHub's OpenAPI description"
_SPEC_URI = "urn:fakegithub:api.github.com.json"

# Statuses GitHub can answer on any endpoint, and the shared response that describes each.
_SHARED_RESPONSES = {
    400: "bad_request",
    401: "requires_authentication",
    403: "forbidden",
    404: "not_found",
    410: "gone",
    422: "validation_failed",
}
_SERVER_ERROR_RESPONSE = "service_unavailable"


@dataclass(frozen=True, slots=True)
class Exchange:
    """One HTTP request (and its answer) as the fake saw it, in the description's terms."""

    method: str  # upper case
    path: str  # without the GHES base path, percent-decoded
    query: tuple[tuple[str, str], ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None
    content_type: str = ""


@dataclass(slots=True)
class _Request:
    """openapi-core's request protocol, pointed at the description's own server URL."""

    method: str
    path: str
    host_url: str
    body: bytes | None
    content_type: str
    parameters: RequestParameters


@dataclass(slots=True)
class _Response:
    """openapi-core's response protocol."""

    status_code: int
    data: bytes | None
    content_type: str
    headers: Headers


@dataclass(frozen=True, slots=True)
class LoadStats:
    """How long the description took to read and to turn into a validator (reported once per session)."""

    read_seconds: float
    build_seconds: float
    first_check_seconds: float
    size_bytes: int
    paths: int


class SpecValidator:
    """Checks exchanges against the description and fills response bodies from its schemas."""

    def __init__(self, spec: dict[str, Any], stats: LoadStats | None = None) -> None:
        self.spec = spec
        self.stats = stats
        self.server_url: str = spec["servers"][0]["url"]
        # The description is GitHub's; checking the 13 MB document itself would add ~a minute for nothing.
        self._api = OpenAPI.from_dict(spec, config=Config(spec_validator_cls=None))
        self._registry: Registry[Any] = Registry().with_resource(_SPEC_URI, DRAFT4.create_resource(spec))
        self._lock = threading.Lock()  # openapi-core builds caches lazily; the fake serves from several threads

    # -- checking --------------------------------------------------------------------------------------

    def check_request(self, exchange: Exchange) -> str | None:
        """Return why GitHub's description rejects this request, or None when it is acceptable."""
        try:
            with self._lock:
                self._api.validate_request(self._request(exchange))
        except OpenAPIError as exc:
            return _describe(exc)
        return None

    def check_response(self, exchange: Exchange, status: int, headers: Headers, body: bytes | None) -> str | None:
        """Return why the description forbids this answer to this request, or None when it is a valid one."""
        response = _Response(status, body, headers.get("Content-Type", "").lower(), headers)
        operation = self.operation(exchange.method, exchange.path)
        if operation is not None and not _documents(operation, status):
            return self._check_shared(status, body)
        try:
            with self._lock:
                self._api.validate_response(self._request(exchange), response)
        except OpenAPIError as exc:
            return _describe(exc)
        return None

    def _request(self, exchange: Exchange) -> _Request:
        parameters = RequestParameters(query=ImmutableMultiDict(list(exchange.query)), header=Headers(exchange.headers))
        body = exchange.body if exchange.body else None
        return _Request(
            exchange.method.lower(), exchange.path, self.server_url, body, exchange.content_type.lower(), parameters
        )

    def _check_shared(self, status: int, body: bytes | None) -> str | None:
        name = _SHARED_RESPONSES.get(status) or (_SERVER_ERROR_RESPONSE if status >= 500 else None)
        if name is None:
            return f"status {status} is neither documented for this operation nor one GitHub answers anywhere"
        try:
            instance = json.loads(body or b"")
        except ValueError:
            return f"status {status}: body is not JSON"
        errors = [
            e.message for e in self.schema_validator(f"#/components/responses/{name}", media=True).iter_errors(instance)
        ]
        return f"status {status} ({name}): " + "; ".join(errors) if errors else None

    def schema_validator(self, pointer: str, *, media: bool = False) -> Any:
        """A JSON-schema validator for the schema at ``pointer`` (a response's JSON schema when ``media``)."""
        ref = f"{_SPEC_URI}{pointer}/content/application~1json/schema" if media else f"{_SPEC_URI}{pointer}"
        return OAS30Validator({"$ref": ref}, registry=self._registry, format_checker=oas30_format_checker)

    # -- reading the description -----------------------------------------------------------------------

    def operation(self, method: str, path: str) -> dict[str, Any] | None:
        """The description's operation for a concrete path (``/repos/o/r/issues/3``), if it has one."""
        template = self.template(path)
        if template is None:
            return None
        operation = self.spec["paths"][template].get(method.lower())
        return operation if isinstance(operation, dict) else None

    def template(self, path: str) -> str | None:
        """The description's path template matching a concrete path; literal segments win over variables."""
        return _templates(id(self.spec), tuple(self.spec["paths"])).match(path)

    def documentation_url(self, method: str, path: str) -> str:
        """The docs address GitHub puts in error bodies for this operation."""
        operation = self.operation(method, path) or {}
        docs = operation.get("externalDocs", {})
        return str(docs.get("url", "https://docs.github.com/rest"))

    def resolve(self, node: Mapping[str, Any]) -> dict[str, Any]:
        """Follow local ``$ref`` chains to the schema they name."""
        while "$ref" in node:
            target: Any = self.spec
            for part in str(node["$ref"]).removeprefix("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return dict(node)

    def fill(self, schema_name: str, known: Mapping[str, Any]) -> dict[str, Any]:
        """An object of ``components/schemas/<schema_name>``: ``known`` values plus every other required field.

        Fields the fake has no state for get the description's own example (or a neutral value), so a response
        stays complete as GitHub adds required fields in later versions of the description.
        """
        value = _Filler(self).build({"$ref": f"#/components/schemas/{schema_name}"}, known)
        assert isinstance(value, dict)
        return value


class _Filler:
    """Builds the smallest value a schema accepts, preferring the description's examples."""

    def __init__(self, validator: SpecValidator) -> None:
        self._validator = validator

    def build(self, schema: Mapping[str, Any], known: Any = None) -> Any:
        node = self._validator.resolve(schema)
        if "allOf" in node:
            return self._build_all_of(node, known)
        if "oneOf" in node or "anyOf" in node:
            return self.build((node.get("oneOf") or node["anyOf"])[0], known)
        if known is not None:
            return self._build_object(node, known) if isinstance(known, Mapping) else known
        if node.get("nullable"):
            return None
        return self._build_plain(node)

    def _build_all_of(self, node: Mapping[str, Any], known: Any) -> Any:
        merged: dict[str, Any] = dict(known or {})
        for part in node["allOf"]:
            merged.update(self.build(part, merged))
        return merged

    def _build_object(self, node: Mapping[str, Any], known: Mapping[str, Any]) -> dict[str, Any]:
        result = dict(known)
        properties = node.get("properties", {})
        for name in node.get("required", []):
            if name not in result:
                result[name] = self.build(properties.get(name, {}))
        return result

    def _build_plain(self, node: Mapping[str, Any]) -> Any:
        kind = node.get("type")
        if kind == "object":
            return self._build_object(node, {})
        if kind == "array":
            return []
        if "enum" in node:
            return node["enum"][0]
        example = node.get("example")
        if example is not None and kind in _PY_TYPES and isinstance(example, _PY_TYPES[kind]):
            return example
        return _NEUTRAL.get(str(kind), _NEUTRAL_FORMATS.get(str(node.get("format")), ""))


_PY_TYPES: dict[str, type | tuple[type, ...]] = {"string": str, "integer": int, "number": (int, float), "boolean": bool}
_NEUTRAL: dict[str, Any] = {"integer": 0, "number": 0, "boolean": False}
_NEUTRAL_FORMATS: dict[str, str] = {"date-time": "2024-01-01T00:00:00Z", "uri": "https://example.invalid/"}


class _TemplateTable:
    """Matches concrete paths to the description's templates (``{owner}`` matches one segment)."""

    def __init__(self, templates: tuple[str, ...]) -> None:
        compiled = [(self._rank(t), re.compile(self._pattern(t)), t) for t in templates]
        self._table = sorted(compiled, key=lambda item: item[0])

    @staticmethod
    def _pattern(template: str) -> str:
        parts = re.split(r"(\{[^}]+\})", template)
        return "^" + "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$"

    @staticmethod
    def _rank(template: str) -> tuple[int, ...]:
        # Prefer the template with literal segments earliest: /repos/{o}/{r}/issues/comments over .../{issue_number}.
        return tuple(1 if seg.startswith("{") else 0 for seg in template.split("/"))

    def match(self, path: str) -> str | None:
        return next((t for _, pattern, t in self._table if pattern.match(path)), None)


@functools.cache
def _templates(_spec_id: int, templates: tuple[str, ...]) -> _TemplateTable:
    return _TemplateTable(templates)


def _documents(operation: Mapping[str, Any], status: int) -> bool:
    responses = operation.get("responses", {})
    return str(status) in responses or "default" in responses or f"{str(status)[0]}XX" in responses


def _describe(exc: OpenAPIError) -> str:
    """One readable line from openapi-core's exception and the schema errors it wraps."""
    causes = getattr(exc.__cause__, "schema_errors", None) or []
    reasons = [getattr(error, "message", str(error)) for error in causes]
    text = f"{type(exc).__name__}: {exc}".split("\n", 1)[0]
    if reasons:
        text = f"{type(exc).__name__}: " + "; ".join(reasons)
    return text[:2000]


@functools.cache
def load_validator() -> SpecValidator:
    """Read and build the validator once per process: the description is ~13 MB."""
    if not SPEC_PATH.is_file():
        raise FileNotFoundError(f"{SPEC_PATH} is missing: {INSTALL_HINT}")
    started = time.perf_counter()
    raw = SPEC_PATH.read_bytes()
    spec = json.loads(raw)
    read = time.perf_counter()
    validator = SpecValidator(spec)
    built = time.perf_counter()
    validator.check_request(Exchange("GET", "/repos/octocat/hello-world"))  # builds openapi-core's lazy caches
    checked = time.perf_counter()
    validator.stats = LoadStats(read - started, built - read, checked - built, len(raw), len(spec["paths"]))
    return validator
