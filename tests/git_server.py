"""A real git smart-HTTP server on 127.0.0.1 for tests, so clone code meets git's own wire protocol.

It runs ``git http-backend`` (the CGI program git ships) behind a small ``http.server`` handler: shallow
fetches, protocol v2 and fetch-by-SHA behave as they do against a real forge, without the internet.
Tests can make it demand a token, stall, or watch each request (to look at the processes alive then).

    with GitServer() as server:
        repo = server.create_repo("owner/name", [{"a.py": "import requests\\n"}])
        clone(parse_repository(repo.url, allow_http_hosts=LOCAL_HOSTS), None)

Register the ``git_server`` fixture with ``pytest_plugins = ["git_server"]`` in tests/conftest.py.
"""

from __future__ import annotations

import base64
import gzip
import os
import re
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from tempfile import TemporaryDirectory
from types import TracebackType

import pytest

HOST = "127.0.0.1"
LOCAL_HOSTS = frozenset({HOST})
GIT_BACKEND_TIMEOUT = 30.0

# Git run by the test harness must ignore the machine's and user's config, and needs an identity to commit.
_GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_TERMINAL_PROMPT": "0",
}

Files = Mapping[str, "str | bytes | None"]  # path -> content; None deletes the file in that commit


def _git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(_GIT_ENV)
    return env


def git(*args: str | Path, cwd: Path | None = None) -> str:
    """Run git for test set-up and return its stdout; failures raise with git's stderr shown."""
    done = subprocess.run(
        ["git", *map(str, args)], cwd=cwd, env=_git_env(), capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"git {' '.join(map(str, args))} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def basic_auth(token: str) -> str:
    """The Authorization value GitHub accepts for an installation or personal token over git HTTP."""
    return "basic " + base64.b64encode(f"x-access-token:{token}".encode()).decode()


@dataclass(frozen=True)
class Repo:
    """A bare repository the server serves, with the commits it was built from (oldest first)."""

    slug: str
    url: str
    path: Path
    commits: tuple[str, ...]

    @property
    def head(self) -> str:
        return self.commits[-1]


@dataclass
class ServerState:
    """What the handler needs and what it saw; shared between the test thread and handler threads."""

    root: Path
    token: str | None = None
    stall_seconds: float = 0.0
    on_request: Callable[[str], None] | None = None
    redirect_to: str | None = None
    authorizations: list[str | None] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)  # upload-pack requests: ls-refs (git ls-remote) or fetch
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


class GitServer:
    """Serve bare repositories under a temporary root over git's smart HTTP protocol on a random port."""

    def __init__(
        self,
        *,
        token: str | None = None,
        stall_seconds: float = 0.0,
        on_request: Callable[[str], None] | None = None,
        redirect_to: str | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self._tmp = TemporaryDirectory(prefix="git-server-")
        self.state = ServerState(Path(self._tmp.name), token, stall_seconds, on_request, redirect_to)
        self._httpd = ThreadingHTTPServer((HOST, 0), _handler_for(self.state))
        self._scheme = "http" if tls is None else "https"  # https: the test made the certificate, and trusts it
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"{self._scheme}://{HOST}:{self._httpd.server_address[1]}"

    @property
    def host(self) -> str:
        return f"{HOST}:{self._httpd.server_address[1]}"

    def __enter__(self) -> GitServer:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.state.stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
        self._tmp.cleanup()

    def create_repo(
        self,
        slug: str,
        commits: Sequence[Files],
        *,
        tags: Mapping[str, int] | None = None,
        branches: Mapping[str, Sequence[Files]] | None = None,
    ) -> Repo:
        """Build ``owner/name.git`` from ``commits`` on ``main``.

        ``tags`` maps a tag name to the index of the commit it marks; ``branches`` adds commits on top
        of main's tip on other branches (their SHAs are not in ``Repo.commits``; ask ``rev(...)``).
        """
        work = self.state.root / "_work" / slug
        work.mkdir(parents=True)
        git("init", "-q", "-b", "main", work)
        shas = tuple(_commit(work, files, n) for n, files in enumerate(commits))
        for name, index in (tags or {}).items():
            git("tag", name, shas[index], cwd=work)
        for name, extra in (branches or {}).items():
            git("checkout", "-q", "-b", name, "main", cwd=work)
            for n, files in enumerate(extra):
                _commit(work, files, n)
        git("checkout", "-q", "main", cwd=work)
        bare = self.state.root / f"{slug}.git"
        git("clone", "-q", "--bare", work, bare)
        # GitHub lets clients fetch any reachable commit by SHA; the same here, whatever the protocol.
        git("config", "uploadpack.allowReachableSHA1InWant", "true", cwd=bare)
        return Repo(slug, f"{self.base_url}/{slug}.git", bare, shas)

    def rev(self, repo: Repo, name: str) -> str:
        return git("rev-parse", name, cwd=repo.path)

    def push(self, repo: Repo, files: Mapping[str, str]) -> str:
        """A new commit on ``main`` that adds ``files`` (a push), written straight into the bare repository with
        ``git fast-import`` (so paths of any depth work); its SHA. ``repo.commits`` keeps the first ones."""
        stream = ["commit refs/heads/main\ncommitter t <t@example.com> 0 +0000\ndata 4\npush\n"]
        stream.append(f"from {self.rev(repo, 'refs/heads/main')}\n")
        for path, content in files.items():
            stream.append(f"M 100644 inline {path}\ndata {len(content.encode())}\n{content}\n")
        done = subprocess.run(
            ["git", "fast-import", "--quiet"], input="".join(stream).encode(), cwd=repo.path, env=_git_env(),
            capture_output=True, check=False,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"git fast-import failed: {done.stderr.decode(errors='replace').strip()}")
        return self.rev(repo, "refs/heads/main")


def _commit(work: Path, files: Files, n: int) -> str:
    for rel, content in files.items():
        target = work / rel
        if content is None:
            git("rm", "-q", "--", rel, cwd=work)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)
        git("add", "--", rel, cwd=work)
    git("commit", "-q", "--allow-empty", "-m", f"commit {n}", cwd=work)
    return git("rev-parse", "HEAD", cwd=work)


def _handler_for(state: ServerState) -> type[BaseHTTPRequestHandler]:
    class Handler(_GitHandler):
        pass

    Handler.state = state
    return Handler


class _GitHandler(BaseHTTPRequestHandler):
    state: ServerState

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: pytest shows what matters."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        state = self.state
        auth = self.headers.get("Authorization")
        with state.lock:
            state.authorizations.append(auth)
            state.paths.append(self.path)
        if state.on_request is not None:
            state.on_request(self.path)
        if state.stall_seconds and state.stop.wait(state.stall_seconds):
            return
        if state.redirect_to is not None:
            self._send_empty(301, "Location", state.redirect_to + self.path)
            return
        if state.token is not None and not _authorized(auth, state.token):
            self._send_empty(401, "WWW-Authenticate", 'Basic realm="GitHub"')
            return
        body = self._read_body()
        if self.command == "POST" and self.path.endswith("git-upload-pack"):
            with state.lock:
                state.commands.append(_upload_pack_command(body, self.headers.get("Content-Encoding", "")))
        self._run_backend(body)

    def _send_empty(self, status: int, header: str, value: str) -> None:
        self.send_response(status)
        self.send_header(header, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return _read_chunked(self.rfile)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _run_backend(self, body: bytes) -> None:
        path, _, query = self.path.partition("?")
        env = _git_env()
        env.update(
            GIT_PROJECT_ROOT=str(self.state.root),
            GIT_HTTP_EXPORT_ALL="1",
            REQUEST_METHOD=self.command,
            PATH_INFO=path,
            QUERY_STRING=query,
            CONTENT_TYPE=self.headers.get("Content-Type", ""),
            CONTENT_LENGTH=str(len(body)),
            REMOTE_ADDR=self.client_address[0],
            GIT_PROTOCOL=self.headers.get("Git-Protocol", ""),
            HTTP_CONTENT_ENCODING=self.headers.get("Content-Encoding", ""),
        )
        done = subprocess.run(
            ["git", "http-backend"], input=body, env=env, capture_output=True, timeout=GIT_BACKEND_TIMEOUT, check=False
        )
        self._relay_cgi(done.stdout)

    def _relay_cgi(self, output: bytes) -> None:
        head, _, payload = output.partition(b"\r\n\r\n")
        headers = [line.split(":", 1) for line in head.decode("latin-1").split("\r\n") if ":" in line]
        status = next((int(v.split()[0]) for k, v in headers if k.lower() == "status"), 200)
        self.send_response(status)
        for key, value in headers:
            if key.lower() not in {"status", "content-length"}:
                self.send_header(key, value.strip())
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def _upload_pack_command(body: bytes, encoding: str) -> str:
    """What an upload-pack request asks: protocol v2 names it (``command=fetch``); a v0 request is a fetch."""
    if encoding == "gzip":
        body = gzip.decompress(body)
    found = re.search(rb"command=([a-z-]+)", body)
    return found.group(1).decode() if found else "fetch"


def _authorized(header: str | None, token: str) -> bool:
    """Accept the forms GitHub accepts: basic with the token as password, or a bearer token."""
    if header is None:
        return False
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value == token
    if scheme.lower() != "basic":
        return False
    try:
        _, _, password = base64.b64decode(value).decode().partition(":")
    except ValueError:
        return False
    return password == token


def _read_chunked(rfile: object) -> bytes:
    read, readline = rfile.read, rfile.readline  # type: ignore[attr-defined]
    chunks = []
    while size := int(readline().split(b";")[0].strip() or b"0", 16):
        chunks.append(read(size))
        readline()
    readline()
    return b"".join(chunks)


@pytest.fixture
def git_server() -> Iterator[GitServer]:
    """A public server with no repositories yet; the test adds them with ``create_repo``."""
    with GitServer() as server:
        yield server
