"""A local stand-in for PyPI's JSON API (``GET /pypi/<project>/json``) on 127.0.0.1, for tests without the internet.

Documents have the shape PyPI documents for that endpoint (warehouse ``docs/dev/api-reference/json.rst``):
top-level ``info``, ``last_serial``, ``releases`` (version -> files), ``urls`` (files of ``info.version``) and
``vulnerabilities``; each file carries ``filename``, ``digests``, ``packagetype``, ``upload_time_iso_8601``,
``yanked``, ``yanked_reason`` and the rest. Like PyPI, a non-normalised name is answered with a 301 to the
normalised one and an unknown project with 404 ``{"message": "Not Found"}``.

    with PyPIStub() as pypi:
        pypi.add_project("requests", ["2.31.0", "2.32.0rc1"], yanked=["2.32.0"])
        pypi.set_answer("broken", status=500, times=1)   # then 404, or the project if one is added
        latest_versions(["requests"], index_url=pypi.url)
        assert pypi.count("requests") == 1

Register the ``pypi`` fixture with ``pytest_plugins = ["tests.pypi_stub"]`` in tests/conftest.py.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import sys
import threading
from collections import Counter
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import pytest
from packaging.utils import canonicalize_name
from packaging.version import Version

HOST = "127.0.0.1"
FILES_HOST = "https://files.pythonhosted.org/packages"
_PATH = re.compile(r"^/pypi/(?P<name>[^/]+)/(?:(?P<version>[^/]+)/)?json/?$")  # a project, or one release of it
_EPOCH = datetime(2020, 1, 1, tzinfo=timezone.utc)


@dataclass
class Answer:
    """A canned answer: any status and body, after an optional delay; ``times`` None means for good."""

    status: int = 200
    body: bytes = b""
    delay: float = 0.0
    content_type: str = "application/json"
    times: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Seen:
    """One request as the stub received it; header names are lower-case."""

    path: str
    headers: Mapping[str, str]


@dataclass
class _State:
    """Shared by the test thread and the handler threads; every field is guarded by ``lock``."""

    delay: float = 0.0
    answers: dict[str, list[Answer]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def knows(self, key: str) -> bool:
        with self.lock:
            return bool(self.answers.get(key))

    def take(self, key: str) -> Answer | None:
        with self.lock:
            queue = self.answers.get(key, [])
            if not queue:
                return None
            answer = queue[0]
            if answer.times is not None:
                answer.times -= 1
                if answer.times <= 0:
                    queue.pop(0)
            return answer


class PyPIStub:
    """Serve project documents under ``/pypi`` on a random free port; records every request it gets."""

    def __init__(self, *, delay: float = 0.0) -> None:
        self.state = _State(delay=delay)
        self._httpd = _Server((HOST, 0), _handler_for(self.state))
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def host(self) -> str:
        return f"{HOST}:{self._httpd.server_address[1]}"

    @property
    def url(self) -> str:
        """The index URL to give the code under test (pipreqs' ``--pypi-server`` minus the trailing slash)."""
        return f"http://{self.host}/pypi"

    def __enter__(self) -> PyPIStub:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.state.stop.set()  # wakes delayed handlers so shutdown does not wait for them
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def add_project(
        self,
        name: str,
        versions: Sequence[str],
        *,
        yanked: Collection[str] = (),
        partly_yanked: Collection[str] = (),
        no_files: Collection[str] = (),
        info_version: str | None = None,
        delay: float = 0.0,
    ) -> dict[str, object]:
        """Publish ``versions`` (oldest first), each a wheel and an sdist; returns the document served.

        ``yanked`` releases have every file yanked (PyPI yanks whole releases), ``partly_yanked`` only the
        wheel (PEP 592 allows it per file on other indexes), ``no_files`` have an empty file list.
        """
        document = project_document(
            name, versions, yanked=yanked, partly_yanked=partly_yanked, no_files=no_files, info_version=info_version
        )
        self.set_document(name, document, delay=delay)
        return document

    def set_document(self, name: str, document: object, *, delay: float = 0.0) -> None:
        """Serve any JSON value for ``name``: a hand-made document, or a wrong shape."""
        self.set_answer(name, body=json.dumps(document).encode(), delay=delay)

    def set_release_document(self, name: str, version: str, document: object) -> None:
        """Serve ``document`` for ``/pypi/<name>/<version>/json``, PyPI's metadata of one release."""
        self.set_answer(f"{name}/{version}", body=json.dumps(document).encode())

    def set_answer(
        self,
        name: str,
        *,
        status: int = 200,
        body: bytes = b"",
        delay: float = 0.0,
        times: int | None = None,
        content_type: str = "application/json",
    ) -> None:
        """Answer ``name`` this way; with ``times`` it is used that many times, then the previous answer is."""
        answer = Answer(status, body, delay, content_type, times)
        with self.state.lock:
            project, slash, version = name.partition("/")
            queue = self.state.answers.setdefault(canonicalize_name(project) + slash + version, [])
            if times is None:
                queue[:] = [a for a in queue if a.times is not None]
                queue.append(answer)
            else:
                queue.insert(0, answer)

    @property
    def seen(self) -> list[Seen]:
        with self.state.lock:
            return list(self.state.seen)

    @property
    def paths(self) -> list[str]:
        return [s.path for s in self.seen]

    def count(self, name: str | None = None) -> int:
        """Requests for ``name`` (any spelling that reached the stub), or all requests."""
        if name is None:
            return len(self.seen)
        names = Counter(canonicalize_name(m["name"]) for s in self.seen if (m := _PATH.match(s.path)))
        return names[canonicalize_name(name)]

    @property
    def max_in_flight(self) -> int:
        """The most requests the stub was answering at one moment."""
        with self.state.lock:
            return self.state.max_in_flight


def project_document(
    name: str,
    versions: Sequence[str],
    *,
    yanked: Collection[str] = (),
    partly_yanked: Collection[str] = (),
    no_files: Collection[str] = (),
    info_version: str | None = None,
) -> dict[str, object]:
    """A ``/pypi/<name>/json`` document as PyPI builds it; ``info`` describes PyPI's idea of the latest release."""
    releases = {
        version: [] if version in no_files else _files(name, version, n, version in yanked, version in partly_yanked)
        for n, version in enumerate(versions)
    }
    latest = info_version or _pypi_latest(versions, yanked)
    return {
        "info": _info(name, latest, latest in yanked),
        "last_serial": 1000 + len(versions),
        "releases": releases,
        "urls": releases.get(latest, []),
        "vulnerabilities": [],
    }


def _pypi_latest(versions: Sequence[str], yanked: Collection[str]) -> str:
    """Warehouse's choice: newest final release not yanked, else newest not yanked, else newest."""
    live = [v for v in versions if v not in yanked]
    finals = [v for v in live if not Version(v).is_prerelease]
    return max(finals or live or versions, key=Version)


def _info(name: str, version: str, yanked: bool) -> dict[str, object]:
    project = f"https://pypi.org/project/{name}/"
    return {
        "author": "",
        "author_email": "A. Developer <dev@example.invalid>",
        "bugtrack_url": None,
        "classifiers": ["Programming Language :: Python :: 3"],
        "description": f"{name} test project",
        "description_content_type": "text/markdown",
        "docs_url": None,
        "download_url": "",
        "downloads": {"last_day": -1, "last_month": -1, "last_week": -1},
        "home_page": "",
        "keywords": "",
        "license": "MIT",
        "maintainer": "",
        "maintainer_email": "",
        "name": name,
        "package_url": project,
        "platform": None,
        "project_url": project,
        "project_urls": {"Homepage": f"https://example.invalid/{name}"},
        "release_url": f"{project}{version}/",
        "requires_dist": None,
        "requires_python": ">=3.8",
        "summary": f"{name} test project",
        "version": version,
        "yanked": yanked,
        "yanked_reason": "broken release" if yanked else None,
    }


def _files(name: str, version: str, n: int, yanked: bool, partly: bool) -> list[dict[str, object]]:
    stem = f"{re.sub(r'[-_.]+', '_', name).lower()}-{version}"
    uploaded = _EPOCH + timedelta(days=n)
    return [
        _file(f"{stem}-py3-none-any.whl", "bdist_wheel", "py3", uploaded, yanked or partly),
        _file(f"{stem}.tar.gz", "sdist", "source", uploaded + timedelta(seconds=5), yanked),
    ]


def _file(filename: str, packagetype: str, python: str, uploaded: datetime, yanked: bool) -> dict[str, object]:
    md5 = hashlib.md5(filename.encode(), usedforsecurity=False).hexdigest()
    sha256 = hashlib.sha256(filename.encode()).hexdigest()
    blake = hashlib.blake2b(filename.encode(), digest_size=32).hexdigest()
    return {
        "comment_text": "",
        "digests": {"blake2b_256": blake, "md5": md5, "sha256": sha256},
        "downloads": -1,
        "filename": filename,
        "has_sig": False,
        "md5_digest": md5,
        "packagetype": packagetype,
        "python_version": python,
        "requires_python": ">=3.8",
        "size": 1024 + len(filename),
        "upload_time": uploaded.strftime("%Y-%m-%dT%H:%M:%S"),
        "upload_time_iso_8601": uploaded.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "url": f"{FILES_HOST}/{blake[:2]}/{blake[2:4]}/{blake[4:]}/{filename}",
        "yanked": yanked,
        "yanked_reason": "broken release" if yanked else None,
    }


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
        """Clients hanging up mid-answer (timeouts, size limits) are what tests provoke: not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler_for(state: _State) -> type[BaseHTTPRequestHandler]:
    class Handler(_PyPIHandler):
        pass

    Handler.state = state
    return Handler


class _PyPIHandler(BaseHTTPRequestHandler):
    state: _State
    protocol_version = "HTTP/1.1"  # keep-alive, as PyPI's CDN does, so connection pooling is exercised

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests read ``seen``."""

    def do_GET(self) -> None:
        state = self.state
        with state.lock:
            state.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
        try:
            self._answer()
        finally:
            with state.lock:
                state.in_flight -= 1

    def _answer(self) -> None:
        match = _PATH.match(self.path)
        key = canonicalize_name(match["name"]) if match else ""
        if match and match["version"]:
            key = f"{key}/{match['version']}"
        elif match and match["name"] != key and self.state.knows(key):
            self._send(Answer(301, b"", headers={"Location": f"/pypi/{key}/json"}))
            return
        answer = self.state.take(key) if match else None
        delay = self.state.delay + (answer.delay if answer else 0.0)
        if delay and self.state.stop.wait(delay):
            self.close_connection = True  # shutting down: hang up rather than wait for another request
            return
        if answer is None:
            self._send(Answer(404, b'{"message": "Not Found"}'))
        else:
            self._send(answer)

    def _send(self, answer: Answer) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(answer.body)


@pytest.fixture(name="pypi")
def pypi_fixture() -> Iterator[PyPIStub]:
    """A started stub with no projects; the test adds them with ``add_project`` / ``set_answer``."""
    with PyPIStub() as stub:
        yield stub
