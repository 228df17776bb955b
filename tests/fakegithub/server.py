"""A stateful fake of GitHub's REST API on 127.0.0.1, held to GitHub's OpenAPI description.

    with FakeGitHub(load_validator(), base_path="/api/v3") as fake:
        fake.add_repo("o/r")
        gh = github.Github(auth=github.Auth.Token(fake.token), base_url=fake.api_url)
        ...
        assert not fake.violations

Every request is checked against the description before it is served and every answer before it leaves;
anything off is kept in ``violations`` (the ``fake_github`` fixture fails the test on any). Requests are kept
in ``requests`` so tests can assert what was (not) written. Faults come from ``fail_next`` and friends.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import logging
import tarfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from werkzeug.datastructures import Headers
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from . import faults, render
from .faults import Fault
from .spec import Exchange, SpecValidator, load_validator
from .state import Comment, Issue, Repo, Store, Token

HOST = "127.0.0.1"
DEFAULT_TOKEN = "ghs_fakeGitHubTokenForTests000000000000"
MAX_BODY = 65_536
MAX_TITLE = 256
_JSON = "application/json; charset=utf-8"
_log = logging.getLogger(__name__)


@dataclass(slots=True)
class RecordedRequest:
    """A request as it arrived: path without the base path, query as single values, body parsed as JSON."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int | None = None  # set when the answer is sent


@dataclass(frozen=True, slots=True)
class Violation:
    """A request GitHub's description rejects, or an answer it forbids (``side`` is request/response)."""

    side: str
    method: str
    path: str
    status: int | None
    detail: str

    def __str__(self) -> str:
        status = f" -> {self.status}" if self.status is not None else ""
        return f"{self.side}: {self.method} {self.path}{status}: {self.detail}"


class HttpError(Exception):
    """Raised by a handler to answer with GitHub's error body."""

    def __init__(self, status: int, message: str, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.errors = status, message, errors


@dataclass(slots=True)
class _Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class _Call:
    """Everything a handler needs about one request."""

    method: str
    path: str
    args: dict[str, str]
    body: Any
    token: Token | None
    params: Mapping[str, Any]


class _QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without a log line per request (the fake keeps its own record)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return


_ROUTES = [
    ("GET", "/repos/<owner>/<repo>", "get_repo"),
    ("GET", "/repos/<owner>/<repo>/issues", "list_issues"),
    ("POST", "/repos/<owner>/<repo>/issues", "create_issue"),
    ("GET", "/repos/<owner>/<repo>/issues/<int:issue_number>", "get_issue"),
    ("PATCH", "/repos/<owner>/<repo>/issues/<int:issue_number>", "update_issue"),
    ("GET", "/repos/<owner>/<repo>/issues/<int:issue_number>/comments", "list_comments"),
    ("POST", "/repos/<owner>/<repo>/issues/<int:issue_number>/comments", "create_comment"),
    ("GET", "/repos/<owner>/<repo>/issues/comments/<int:comment_id>", "get_comment"),
    ("PATCH", "/repos/<owner>/<repo>/issues/comments/<int:comment_id>", "update_comment"),
    ("GET", "/repos/<owner>/<repo>/labels", "list_labels"),
    ("POST", "/repos/<owner>/<repo>/labels", "create_label"),
    ("GET", "/repos/<owner>/<repo>/labels/<name>", "get_label"),
    ("GET", "/repos/<owner>/<repo>/tarball/<ref>", "download_tarball"),
]
CODELOAD = "/_codeload/"  # where the tarball endpoint redirects (codeload.github.com's part), outside the API


class FakeGitHub:
    """The fake server and its state; see the module docstring."""

    def __init__(
        self,
        validator: SpecValidator | None = None,
        *,
        base_path: str = "",
        token: str = DEFAULT_TOKEN,
    ) -> None:
        self.validator = validator or load_validator()
        self.base_path = base_path.rstrip("/")
        self.token = token
        self.store = Store()
        self._tokens: dict[str, Token] = {token: Token(token)}
        self._faults: list[Fault] = []
        self._requests: list[RecordedRequest] = []
        self._violations: list[Violation] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._request_ids = itertools.count(1)
        self._map = Map([Rule(path, endpoint=name, methods=[method]) for method, path, name in _ROUTES])
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        self._server = make_server(HOST, 0, self, threaded=True, request_handler=_QuietHandler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-github", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # cuts planned delays short
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    @property
    def web_url(self) -> str:
        assert self._server is not None, "start the fake first"
        return f"http://{HOST}:{self._server.port}"

    @property
    def api_url(self) -> str:
        """The REST root to give the client: ``http://127.0.0.1:PORT`` or ``.../api/v3`` (GHES layout)."""
        return self.web_url + self.base_path

    # -- seeding and inspecting state ------------------------------------------------------------------

    def add_repo(self, full_name: str, *, private: bool = False, has_issues: bool = True) -> Repo:
        return self.store.add_repo(full_name, private=private, has_issues=has_issues)

    def add_token(
        self, value: str, *, write: bool = True, repos: Iterable[str] | None = None, login: str = "github-actions[bot]"
    ) -> Token:
        reach = None if repos is None else frozenset(r.lower() for r in repos)
        token = Token(value, login=login, write=write, repos=reach)
        self._tokens[value] = token
        return token

    def add_issue(
        self,
        full_name: str,
        title: str,
        body: str | None = None,
        *,
        state: str = "open",
        state_reason: str | None = None,
        labels: Iterable[str] = (),
        pull_request: bool = False,
        user: str = "octocat",
    ) -> int:
        """Seed an issue (or a pull request, which GitHub lists among issues); returns its number."""
        repo = self._must_repo(full_name)
        issue = self.store.add_issue(repo, title=title, body=body, user=user, labels=labels, pull_request=pull_request)
        if state != "open":
            self.store.set_state(issue, state, state_reason, user)
        return issue.number

    def add_commit(self, full_name: str, files: Mapping[str, str]) -> str:
        """Give the repository a commit holding ``files``; returns its SHA. It is served only as the tarball the
        REST API redirects to, shaped as GitHub's: ``owner-name-sha7/`` on top and the SHA in a pax header."""
        repo = self._must_repo(full_name)
        sha = hashlib.sha1(json.dumps(sorted(files.items())).encode()).hexdigest()  # an id, as git names commits
        with self.store.lock:
            repo.tarballs[sha] = _tarball(f"{repo.owner}-{repo.name}-{sha[:7]}", sha, files)
        return sha

    def issues(self, full_name: str) -> list[Issue]:
        """Copies of all issues and pull requests of a repository, by number."""
        return self.store.snapshot_issues(full_name)

    def issue(self, full_name: str, number: int) -> Issue:
        return next(i for i in self.issues(full_name) if i.number == number)

    def comments(self, full_name: str, number: int | None = None) -> list[Comment]:
        return self.store.snapshot_comments(full_name, number)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def writes(self) -> list[RecordedRequest]:
        """Every request that could change something (anything but GET/HEAD)."""
        return [r for r in self.requests if r.method not in ("GET", "HEAD")]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    @property
    def violations(self) -> list[Violation]:
        with self._lock:
            return list(self._violations)

    def take_violations(self) -> list[Violation]:
        """Return and forget the violations (for tests that provoke one on purpose)."""
        with self._lock:
            taken, self._violations = self._violations, []
            return taken

    # -- faults ----------------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        path: str,
        status: int | None = None,
        *,
        apply: bool = False,
        times: int = 1,
        delay: float = 0.0,
        retry_after: int | None = None,
        message: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        primary_rate_limit: bool = False,
    ) -> Fault:
        """Answer the next ``times`` matching requests with GitHub's ``status`` error (see ``Fault``)."""
        fault = Fault(
            method.upper(), path, status, apply, times, delay, retry_after, message, errors, primary_rate_limit
        )
        with self._lock:
            self._faults.append(fault)
        return fault

    def rate_limit_next(self, method: str, path: str, *, retry_after: int = 1, times: int = 1) -> Fault:
        """GitHub's secondary rate limit: 403, ``Retry-After``, and its message; nothing is performed."""
        return self.fail_next(method, path, 403, retry_after=retry_after, times=times)

    def timeout_next(self, method: str, path: str, seconds: float, *, apply: bool = True, times: int = 1) -> Fault:
        """Answer only after ``seconds``; ``apply`` performs the request first (GitHub did it, the client gave up)."""
        status = None if apply else 504
        return self.fail_next(method, path, status, apply=apply, delay=seconds, times=times)

    def on_next(self, method: str, path: str, callback: Callable[[FakeGitHub], None], *, times: int = 1) -> Fault:
        """Run ``callback(fake)`` just before the next matching request is handled (e.g. a racing run)."""
        fault = Fault(method.upper(), path, times=times, before=callback)
        with self._lock:
            self._faults.append(fault)
        return fault

    def tamper_next(self, method: str, path: str, change: Callable[[Any], Any], *, times: int = 1) -> Fault:
        """Pass the next matching answer's JSON through ``change`` before it is checked and sent."""
        fault = Fault(method.upper(), path, times=times, tamper=change)
        with self._lock:
            self._faults.append(fault)
        return fault

    def _take_fault(self, method: str, path: str, *, tamper: bool = False) -> Fault | None:
        """The first planned fault for this request; tampering is planned apart, so it can alter a fault's answer."""
        with self._lock:
            planned = (f for f in self._faults if (f.tamper is not None) == tamper and f.matches(method, path))
            fault = next(planned, None)
            if fault is not None:
                fault.used += 1
            return fault

    # -- WSGI ------------------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        response = self._serve(Request(environ))
        return response(environ, start_response)

    def _serve(self, request: Request) -> Response:
        if request.path.startswith(CODELOAD):
            return self._codeload(request)
        raw = request.get_data()
        path = request.path[len(self.base_path) :] if request.path.startswith(self.base_path + "/") else request.path
        exchange = Exchange(
            request.method.upper(),
            path,
            tuple(request.args.items(multi=True)),
            dict(request.headers.items()),
            raw or None,
            request.content_type or "",
        )
        record = RecordedRequest(exchange.method, path, dict(request.args.items()), _parse_json(raw))
        with self._lock:
            self._requests.append(record)
        try:
            reply = self._answer(request, exchange, record)
        except Exception as exc:  # a bug in the fake must fail the test, not hide behind a 500 the client expects
            self._violate("fake", exchange, 500, f"the fake crashed: {exc!r}")
            reply = self._error(exchange, HttpError(500, "Server Error"))
        record.status = reply.status
        return self._send(exchange, reply)

    def _answer(self, request: Request, exchange: Exchange, record: RecordedRequest) -> _Reply:
        if self.base_path and not request.path.startswith(self.base_path + "/"):
            self._violate("request", exchange, None, f"path outside the API root {self.base_path}")
            return self._error(exchange, HttpError(404, "Not Found"))
        problem = self.validator.check_request(exchange)
        if problem is not None:
            self._violate("request", exchange, None, problem)
            status = 404 if problem.startswith(("PathNotFound", "OperationNotFound")) else 422
            return self._error(
                exchange, HttpError(status, "Not Found" if status == 404 else f"Invalid request.\n\n{problem}")
            )
        fault = self._take_fault(exchange.method, exchange.path)
        if fault is not None and fault.before is not None:
            fault.before(self)
        reply = self._perform(request, exchange, record, fault)
        tamper = self._take_fault(exchange.method, exchange.path, tamper=True)
        if tamper is not None and tamper.tamper is not None:
            reply.body = tamper.tamper(reply.body)
        return reply

    def _perform(self, request: Request, exchange: Exchange, record: RecordedRequest, fault: Fault | None) -> _Reply:
        if fault is not None and fault.status is not None and not fault.apply:
            self._stopping.wait(fault.delay)
            return self._fault_reply(exchange, fault)
        reply = self._dispatch(request, exchange, record)
        if fault is None:
            return reply
        self._stopping.wait(fault.delay)
        return self._fault_reply(exchange, fault) if fault.status is not None else reply

    def _dispatch(self, request: Request, exchange: Exchange, record: RecordedRequest) -> _Reply:
        try:
            endpoint, params = self._map.bind("fake.invalid").match(exchange.path, method=exchange.method)
            call = _Call(exchange.method, exchange.path, dict(request.args.items()), record.body, None, params)
            call.token = self._authenticate(request)
            handler: Callable[[_Call], _Reply] = getattr(self, f"_h_{endpoint}")
            return handler(call)
        except (NotFound, MethodNotAllowed):
            # The description knows this operation but the fake does not implement it: a gap in the fake.
            self._violate("request", exchange, None, "operation not implemented by the fake")
            return self._error(exchange, HttpError(404, "Not Found"))
        except HttpError as exc:
            return self._error(exchange, exc)

    def _send(self, exchange: Exchange, reply: _Reply) -> Response:
        data = b"" if reply.body is None else json.dumps(reply.body).encode()
        headers = Headers(self._common_headers())
        headers.update(reply.headers)
        if reply.body is not None:
            headers["Content-Type"] = _JSON
        problem = self.validator.check_response(exchange, reply.status, headers, data or None)
        if problem is not None:
            self._violate("response", exchange, reply.status, problem)
        return Response(data, status=reply.status, headers=headers)

    def _common_headers(self) -> dict[str, str]:
        used = next(self._request_ids)
        return {
            "X-GitHub-Media-Type": "github.v3; format=json",
            "X-GitHub-Api-Version-Selected": "2022-11-28",
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": str(max(5000 - used, 0)),
            "X-RateLimit-Reset": str(int(time.time()) + 3600),
            "X-RateLimit-Used": str(used),
            "X-RateLimit-Resource": "core",
            "X-GitHub-Request-Id": f"FAKE:{used:08X}",
        }

    def _violate(self, side: str, exchange: Exchange, status: int | None, detail: str) -> None:
        violation = Violation(side, exchange.method, exchange.path, status, detail)
        _log.warning("fake GitHub contract violation: %s", violation)
        with self._lock:
            self._violations.append(violation)

    def _error(self, exchange: Exchange, exc: HttpError) -> _Reply:
        docs = self.validator.documentation_url(exchange.method, exchange.path)
        if exc.status == 401:
            docs = "https://docs.github.com/rest"
        return _Reply(exc.status, render.error(exc.message, docs, exc.status, exc.errors))

    def _fault_reply(self, exchange: Exchange, fault: Fault) -> _Reply:
        assert fault.status is not None
        reply = self._error(exchange, HttpError(fault.status, fault.body_message(), errors=fault.body_errors()))
        if fault.retry_after is not None:
            reply.headers["Retry-After"] = str(fault.retry_after)
            reply.body["documentation_url"] = faults.RATE_LIMIT_DOCS
        if fault.primary_rate_limit:
            reply.headers.update({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 3600)})
            reply.body["documentation_url"] = faults.PRIMARY_RATE_LIMIT_DOCS
        return reply

    # -- access rules ----------------------------------------------------------------------------------

    def _authenticate(self, request: Request) -> Token | None:
        header = request.headers.get("Authorization")
        if header is None:
            return None  # anonymous: public reads only, as on GitHub
        scheme, _, value = header.partition(" ")
        token = self._tokens.get(value.strip()) if scheme.lower() in ("token", "bearer") else None
        if token is None:
            raise HttpError(401, "Bad credentials")
        return token

    def _must_repo(self, full_name: str) -> Repo:
        repo = self.store.repo(full_name)
        if repo is None:
            raise KeyError(f"no repository {full_name} in the fake; add_repo() it first")
        return repo

    def _repo(self, call: _Call, *, write: bool = False, issues: bool = False) -> Repo:
        repo = self.store.repo(f"{call.params['owner']}/{call.params['repo']}")
        visible = repo is not None and (not repo.private or (call.token is not None and call.token.reaches(repo)))
        if repo is None or not visible:
            raise HttpError(404, "Not Found")
        if issues and not repo.has_issues:
            raise HttpError(410, faults.ISSUES_DISABLED)
        if write and call.token is None:
            raise HttpError(401, "Requires authentication")
        if write and call.token is not None and not (call.token.write and call.token.reaches(repo)):
            raise HttpError(403, faults.NOT_ACCESSIBLE)
        return repo

    def _issue(self, repo: Repo, number: int) -> Issue:
        issue = repo.issues.get(number)
        if issue is None:
            raise HttpError(404, "Not Found")
        return issue

    def _actor(self, call: _Call) -> str:
        return call.token.login if call.token is not None else "ghost"

    @property
    def _urls(self) -> render.Urls:
        return render.Urls(self.api_url, self.web_url)

    # -- handlers (named _h_<endpoint>) ----------------------------------------------------------------

    def _h_get_repo(self, call: _Call) -> _Reply:
        repo = self._repo(call)
        with self.store.lock:
            return _Reply(200, render.repository(self.validator, self._urls, repo, call.token))

    def _h_list_issues(self, call: _Call) -> _Reply:
        repo = self._repo(call, issues=True)
        with self.store.lock:
            items = _filter_issues(repo.issues.values(), call.args)
            page, headers = self._paginate(items, call)
            body = [render.issue(self.validator, self._urls, repo, i) for i in page]
        return _Reply(200, body, headers)

    def _h_create_issue(self, call: _Call) -> _Reply:
        repo = self._repo(call, write=True, issues=True)
        title, body = str(call.body.get("title", "")), call.body.get("body")
        _check_text("Issue", title, body)
        labels = [x if isinstance(x, str) else x["name"] for x in call.body.get("labels") or []]
        with self.store.lock:
            issue = self.store.add_issue(repo, title=title, body=body, user=self._actor(call), labels=labels)
            rendered = render.issue(self.validator, self._urls, repo, issue)
        return _Reply(201, rendered, {"Location": rendered["url"]})

    def _h_get_issue(self, call: _Call) -> _Reply:
        repo = self._repo(call, issues=True)
        with self.store.lock:
            issue = self._issue(repo, call.params["issue_number"])
            return _Reply(200, render.issue(self.validator, self._urls, repo, issue))

    def _h_update_issue(self, call: _Call) -> _Reply:
        repo = self._repo(call, write=True, issues=True)
        change = call.body or {}
        with self.store.lock:
            issue = self._issue(repo, call.params["issue_number"])
            title = str(change["title"]) if change.get("title") is not None else issue.title
            body = change.get("body", issue.body)
            _check_text("Issue", title, body)
            issue.title, issue.body = title, body
            if "labels" in change:
                names = [x if isinstance(x, str) else x["name"] for x in change["labels"] or []]
                issue.labels = [self.store.ensure_label(repo, n).name for n in names]
            if "state" in change:
                self.store.set_state(issue, change["state"], change.get("state_reason"), self._actor(call))
            issue.updated_at = self.store.now()
            return _Reply(200, render.issue(self.validator, self._urls, repo, issue))

    def _h_list_comments(self, call: _Call) -> _Reply:
        repo = self._repo(call, issues=True)
        with self.store.lock:
            issue = self._issue(repo, call.params["issue_number"])
            items = [c for c in repo.comments if c.issue_number == issue.number]
            page, headers = self._paginate(items, call)
            return _Reply(200, [render.comment(self.validator, self._urls, repo, c) for c in page], headers)

    def _h_create_comment(self, call: _Call) -> _Reply:
        repo = self._repo(call, write=True, issues=True)
        body = str(call.body.get("body", ""))
        if not body.strip():
            raise HttpError(422, "Validation Failed", errors=[_missing("IssueComment", "body")])
        if len(body) > MAX_BODY:
            raise HttpError(422, "Validation Failed", errors=[_too_long("IssueComment", "body", MAX_BODY)])
        with self.store.lock:
            issue = self._issue(repo, call.params["issue_number"])
            comment = self.store.add_comment(repo, issue, body, self._actor(call))
            rendered = render.comment(self.validator, self._urls, repo, comment)
        return _Reply(201, rendered, {"Location": rendered["url"]})

    def _comment(self, repo: Repo, comment_id: int) -> Comment:
        found = next((c for c in repo.comments if c.id == comment_id), None)
        if found is None:
            raise HttpError(404, "Not Found")
        return found

    def _h_get_comment(self, call: _Call) -> _Reply:
        repo = self._repo(call, issues=True)
        with self.store.lock:
            comment = self._comment(repo, call.params["comment_id"])
            return _Reply(200, render.comment(self.validator, self._urls, repo, comment))

    def _h_update_comment(self, call: _Call) -> _Reply:
        repo = self._repo(call, write=True, issues=True)
        body = str((call.body or {}).get("body", ""))
        if not body.strip():
            raise HttpError(422, "Validation Failed", errors=[_missing("IssueComment", "body")])
        if len(body) > MAX_BODY:
            raise HttpError(422, "Validation Failed", errors=[_too_long("IssueComment", "body", MAX_BODY)])
        with self.store.lock:
            comment = self._comment(repo, call.params["comment_id"])
            comment.body, comment.updated_at = body, self.store.now()
            return _Reply(200, render.comment(self.validator, self._urls, repo, comment))

    def _h_list_labels(self, call: _Call) -> _Reply:
        repo = self._repo(call)
        with self.store.lock:
            page, headers = self._paginate(list(repo.labels.values()), call)
            return _Reply(200, [render.label(self.validator, self._urls, repo, x) for x in page], headers)

    def _h_create_label(self, call: _Call) -> _Reply:
        repo = self._repo(call, write=True)
        name = str(call.body.get("name", ""))
        with self.store.lock:
            if name.lower() in repo.labels:
                raise HttpError(
                    422, "Validation Failed", errors=[{"resource": "Label", "code": "already_exists", "field": "name"}]
                )
            label = self.store.ensure_label(repo, name)
            label.color = str(call.body.get("color") or label.color).lstrip("#")
            label.description = call.body.get("description")
            rendered = render.label(self.validator, self._urls, repo, label)
        return _Reply(201, rendered, {"Location": rendered["url"]})

    def _h_get_label(self, call: _Call) -> _Reply:
        repo = self._repo(call)
        with self.store.lock:
            label = repo.labels.get(str(call.params["name"]).lower())
            if label is None:
                raise HttpError(404, "Not Found")
            return _Reply(200, render.label(self.validator, self._urls, repo, label))

    def _h_download_tarball(self, call: _Call) -> _Reply:
        repo = self._repo(call)
        ref = str(call.params["ref"])
        with self.store.lock:
            if ref not in repo.tarballs:
                raise HttpError(404, "Not Found")
        where = f"{self.web_url}{CODELOAD}{repo.owner}/{repo.name}/legacy.tar.gz/{ref}"
        return _Reply(302, None, {"Location": where})

    def _codeload(self, request: Request) -> Response:
        """codeload's answer to the redirect: the archive, no authentication (its URL carries GitHub's token)."""
        record = RecordedRequest(request.method, request.path, dict(request.args.items()), None)
        owner, name, _, ref = [*request.path.removeprefix(CODELOAD).split("/"), "", "", "", ""][:4]
        repo = self.store.repo(f"{owner}/{name}")
        data = repo.tarballs.get(ref) if repo is not None else None
        record.status = 200 if data is not None else 404
        with self._lock:
            self._requests.append(record)
        if data is None:
            return Response(b"404: Not Found", status=404, content_type="text/plain")
        return Response(data, status=200, content_type="application/x-gzip")

    # -- pagination ------------------------------------------------------------------------------------

    def _paginate(self, items: list[Any], call: _Call) -> tuple[list[Any], dict[str, str]]:
        """One page and GitHub's ``Link`` header (prev, next, last, first) for the rest."""
        per_page = min(max(int(call.args.get("per_page", 30)), 1), 100)
        page = max(int(call.args.get("page", 1)), 1)
        last = max((len(items) + per_page - 1) // per_page, 1)
        links = []
        for rel, number in (("prev", page - 1), ("next", page + 1), ("last", last), ("first", 1)):
            if (rel in ("prev", "first") and page > 1) or (rel in ("next", "last") and page < last):
                links.append(f'<{self._page_url(call, number)}>; rel="{rel}"')
        headers = {"Link": ", ".join(links)} if links else {}
        return items[(page - 1) * per_page : page * per_page], headers

    def _page_url(self, call: _Call, page: int) -> str:
        query = {k: v for k, v in call.args.items() if k != "page"}
        query["page"] = str(page)
        return f"{self.api_url}{urllib.parse.quote(call.path)}?{urllib.parse.urlencode(query)}"


def _filter_issues(issues: Iterable[Issue], args: dict[str, str]) -> list[Issue]:
    """GitHub's list filters: state (default open), labels (all of them), creator, since, sort and direction."""
    state = args.get("state", "open")
    creator = args.get("creator", "").lower()
    wanted = {x.strip().lower() for x in args.get("labels", "").split(",") if x.strip()}
    since = args.get("since")
    chosen = [
        i
        for i in issues
        if state in ("all", i.state)
        and wanted <= {x.lower() for x in i.labels}
        and (since is None or (render.timestamp(i.updated_at) or "") >= since)
        and (not creator or i.user.lower() == creator)
    ]
    sort = args.get("sort", "created")
    key: Callable[[Issue], Any] = {
        "updated": lambda i: (i.updated_at, i.id),
        "comments": lambda i: (i.comments, i.id),
    }.get(sort, lambda i: (i.created_at, i.id))
    return sorted(chosen, key=key, reverse=args.get("direction", "desc") == "desc")


def _check_text(resource: str, title: str, body: str | None) -> None:
    """GitHub's server-side limits, answered with its 422 shape."""
    if not title.strip():
        raise HttpError(422, "Validation Failed", errors=[_missing(resource, "title")])
    if len(title) > MAX_TITLE:
        raise HttpError(422, "Validation Failed", errors=[_too_long(resource, "title", MAX_TITLE)])
    if body is not None and len(body) > MAX_BODY:
        raise HttpError(422, "Validation Failed", errors=[_too_long(resource, "body", MAX_BODY)])


def _missing(resource: str, name: str) -> dict[str, Any]:
    return {"resource": resource, "code": "missing_field", "field": name}


def _too_long(resource: str, name: str, limit: int) -> dict[str, Any]:
    message = f"{name} is too long (maximum is {limit} characters)"
    return {"resource": resource, "code": "custom", "field": name, "message": message}


def _tarball(top: str, sha: str, files: Mapping[str, str]) -> bytes:
    """A gzipped tar as ``git archive`` makes it for GitHub: the commit in the pax global header's comment."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.PAX_FORMAT, pax_headers={"comment": sha}) as tar:
        folder = tarfile.TarInfo(f"{top}/")
        folder.type, folder.mode = tarfile.DIRTYPE, 0o775
        tar.addfile(folder)
        for rel, text in sorted(files.items()):
            data = text.encode("utf-8")
            member = tarfile.TarInfo(f"{top}/{rel}")
            member.size, member.mode = len(data), 0o664
            tar.addfile(member, io.BytesIO(data))
    return buffer.getvalue()


def _parse_json(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")
