from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from git_server import LOCAL_HOSTS, GitServer, Repo, basic_auth, git
from hostile_http import HostileServer
from pipreqs_action.errors import SettingsError, SourceError
from pipreqs_action.sources.source import (
    Checkout,
    RepoRef,
    clone,
    fetch_requirements_from_api,
    ls_remote,
    parse_repository,
    workspace,
)

NOT_ACCESSIBLE = (
    "not found or not accessible with the given token (private repositories need a token with contents: read)"
)
TOKEN = "ghs_0123456789abcdefSECRET"


# --- parse_repository -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "url", "slug", "host"),
    [
        ("owner/name", "https://github.com/owner/name.git", "owner/name", "github.com"),
        ("owner/name.git", "https://github.com/owner/name.git", "owner/name", "github.com"),
        ("my-org/my_repo.v2", "https://github.com/my-org/my_repo.v2.git", "my-org/my_repo.v2", "github.com"),
        ("octo/.github", "https://github.com/octo/.github.git", "octo/.github", "github.com"),
        ("https://github.com/owner/name", "https://github.com/owner/name.git", "owner/name", "github.com"),
        ("https://github.com/owner/name.git", "https://github.com/owner/name.git", "owner/name", "github.com"),
        ("https://github.com/owner/name/", "https://github.com/owner/name.git", "owner/name", "github.com"),
        ("https://GitHub.com/Owner/Repo", "https://github.com/Owner/Repo.git", "Owner/Repo", "github.com"),
        ("https://ghe.example.com:8443/o/n", "https://ghe.example.com:8443/o/n.git", "o/n", "ghe.example.com:8443"),
    ],
)
def test_parse_repository_accepts(value: str, url: str, slug: str, host: str) -> None:
    assert parse_repository(value) == RepoRef(url=url, slug=slug, host=host)


def test_parse_repository_builds_short_form_on_the_server_url() -> None:
    ref = parse_repository("owner/name", server_url="https://ghe.example.com/")
    assert ref == RepoRef("https://ghe.example.com/owner/name.git", "owner/name", "ghe.example.com")


def test_parse_repository_allows_http_only_for_listed_hosts() -> None:
    ref = parse_repository("http://127.0.0.1:8080/o/n", allow_http_hosts=LOCAL_HOSTS)
    assert ref == RepoRef("http://127.0.0.1:8080/o/n.git", "o/n", "127.0.0.1:8080")
    with pytest.raises(SettingsError, match=r"^repository: http:// is refused for 127\.0\.0\.1:8080"):
        parse_repository("http://127.0.0.1:8080/o/n")
    with pytest.raises(SettingsError, match=r"^repository: http:// is refused for github.com"):
        parse_repository("http://github.com/o/n", allow_http_hosts=LOCAL_HOSTS)


REFUSED = [
    "",
    "-c core.sshCommand=x",
    "--upload-pack=touch /tmp/pwned",
    "--upload-pack=x",
    "-owner/name",
    "owner/name --upload-pack=x",
    "owner/name -c protocol.ext.allow=always",
    "ext::sh -c touch% /tmp/pwned",
    "ext::sh",
    "fd::17",
    "https::github.com/o/n",
    "file:///etc/passwd",
    "file://localhost/srv/repo.git",
    "ssh://git@github.com/o/n.git",
    "git://github.com/o/n.git",
    "ftp://github.com/o/n",
    "git@github.com:o/n.git",
    "github.com:o/n",
    "/abs/path",
    "./rel",
    "../up",
    "..",
    "C:\\x",
    "C:/x",
    "owner/../x",
    "../owner/name",
    "owner/..",
    "owner/.",
    "owner/a..b",
    "owner/name/extra",
    "owner",
    "own@r/name",
    "owner/name;rm",
    "own!/name",
    "own%2e%2e/x",
    "o" * 40 + "/name",
    "owner/" + "n" * 101,
    "owner/na me",
    "owner/name\n",
    " owner/name",
    "owner/name\x00",
    "owner/\x1bname",
    "owner/name\u202e",
    "https://user:pass@github.com/o/n",
    "https://tok@github.com/o/n",
    "https://github.com\\@evil.example/o/n",
    "https://github.com/o/n?x=1",
    "https://github.com/o/n?",
    "https://github.com/o/n#frag",
    "https://github.com/o/../x",
    "https://github.com/o/n/../../x",
    "https://github.com/o/n/extra",
    "https://github.com/o",
    "https://github.com/",
    "https:///o/n",
    "https://github.com:notaport/o/n",
    "https://[::1]/o/n",
    "https://-evil.example/o/n",
    "https://github..com/o/n",
    "https://github.com/-o/n",
    "https://github.com/o/n%2F..",
]


@pytest.mark.parametrize("value", REFUSED)
def test_parse_repository_refuses(value: str) -> None:
    with pytest.raises(SettingsError, match=r"^repository: "):
        parse_repository(value)


def test_parse_repository_never_echoes_url_credentials() -> None:
    with pytest.raises(SettingsError) as caught:
        parse_repository(f"https://x-access-token:{TOKEN}@github.com/o/n")
    assert TOKEN not in str(caught.value)


def test_parse_repository_blames_a_bad_server_url() -> None:
    with pytest.raises(SettingsError, match=r"^server-url: "):
        parse_repository("owner/name", server_url="file:///srv/git")


# --- clone: a local git server -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[GitServer]:
    with GitServer() as served:
        yield served


@pytest.fixture(scope="module")
def repo(server: GitServer) -> Repo:
    return server.create_repo(
        "owner/name",
        [{"a.py": "import requests\n"}, {"b.py": "import yaml\n"}, {"c.py": "import toml\n"}],
        tags={"v1": 0},
        branches={"feature": [{"feature.py": "import attrs\n"}]},
    )


def local(repo: Repo) -> RepoRef:
    return parse_repository(repo.url, allow_http_hosts=LOCAL_HOSTS)


def depth(root: Path) -> int:
    return int(git("rev-list", "--count", "HEAD", cwd=root))


def files(root: Path) -> set[str]:
    return {p.name for p in root.iterdir()} - {".git"}


def test_clone_fetches_the_default_branch_tip_only(repo: Repo, temp_root: Path) -> None:
    with clone(local(repo), None) as checkout:
        assert checkout == Checkout(checkout.root, "owner/name", None, repo.head)
        assert files(checkout.root) == {"a.py", "b.py", "c.py"}
        assert (checkout.root / "a.py").read_text() == "import requests\n"
        assert depth(checkout.root) == 1
        assert checkout.root.is_relative_to(temp_root)
    assert list(temp_root.iterdir()) == []


@pytest.mark.parametrize(
    ("ref", "names"),
    [
        ("feature", {"a.py", "b.py", "c.py", "feature.py"}),
        ("refs/heads/feature", {"a.py", "b.py", "c.py", "feature.py"}),
        ("v1", {"a.py"}),
        ("commit 0", {"a.py"}),
        ("commit 1", {"a.py", "b.py"}),
    ],
)
def test_clone_checks_out_a_branch_tag_or_commit(server: GitServer, repo: Repo, ref: str, names: set[str]) -> None:
    if ref.startswith("commit "):
        ref = repo.commits[int(ref.split()[1])]
    with clone(local(repo), ref) as checkout:
        assert (checkout.ref, checkout.commit) == (ref, server.rev(repo, f"{ref}^{{commit}}"))
        assert files(checkout.root) == names
        assert depth(checkout.root) == 1


@pytest.mark.parametrize("ref", ["nope", "refs/heads/nope", "f" * 40])
def test_clone_reports_a_missing_ref(repo: Repo, ref: str, temp_root: Path) -> None:
    with pytest.raises(SourceError, match=rf"^repository owner/name: ref '{ref}' not found$"), clone(local(repo), ref):
        pass
    assert list(temp_root.iterdir()) == []


BAD_REFS = [
    "",
    "-b",
    "--upload-pack=x",
    "+main",
    "a..b",
    "a b",
    "a:b",
    "main~1",
    "HEAD^",
    "x*",
    "a[b",
    "a\\b",
    "@",
    "a@{1}",
    "/x",
    "x/",
    "x.",
    ".x",
    "a/.b",
    "x.lock",
    "x.lock/y",
    "a//b",
    "a\tb",
    "a\x7fb",
    "x" * 256,
]


@pytest.mark.parametrize("ref", BAD_REFS)
def test_clone_refuses_a_bad_ref_before_running_git(ref: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_git(*args: object, **kwargs: object) -> None:
        raise AssertionError("git must not run for a bad ref")

    monkeypatch.setattr(subprocess, "Popen", no_git)
    target = RepoRef("https://github.com/o/n.git", "o/n", "github.com")
    with pytest.raises(SettingsError, match=r"^ref: "), clone(target, ref):
        pass


def test_clone_reports_an_unknown_repository(server: GitServer) -> None:
    unknown = parse_repository(f"{server.base_url}/owner/missing", allow_http_hosts=LOCAL_HOSTS)
    with pytest.raises(SourceError) as caught, clone(unknown, None):
        pass
    assert str(caught.value) == f"repository owner/missing: {NOT_ACCESSIBLE}"


def test_clone_reports_an_empty_repository(server: GitServer) -> None:
    empty = server.state.root / "owner" / "empty.git"
    git("init", "-q", "--bare", empty)
    target = parse_repository(f"{server.base_url}/owner/empty", allow_http_hosts=LOCAL_HOSTS)
    with (
        pytest.raises(SourceError, match=r"^repository owner/empty: its default branch not found$"),
        clone(target, None),
    ):
        pass


@pytest.fixture(scope="module")
def private() -> Iterator[tuple[GitServer, Repo]]:
    with GitServer(token=TOKEN) as served:
        yield served, served.create_repo("owner/private", [{"app.py": "import flask\n"}])


@pytest.mark.parametrize("token", [None, "", "ghs_wrong"])
def test_clone_of_a_private_repository_needs_the_right_token(
    private: tuple[GitServer, Repo], token: str | None
) -> None:
    _, repo = private
    with pytest.raises(SourceError) as caught, clone(local(repo), None, token=token):
        pass
    assert str(caught.value) == f"repository owner/private: {NOT_ACCESSIBLE}"


def test_clone_sends_the_token_as_a_basic_auth_header(private: tuple[GitServer, Repo]) -> None:
    served, repo = private
    served.state.authorizations.clear()
    with clone(local(repo), None, token=TOKEN) as checkout:
        assert (checkout.root / "app.py").read_text() == "import flask\n"
    assert served.state.authorizations
    assert set(served.state.authorizations) == {basic_auth(TOKEN)}
    assert base64.b64decode(basic_auth(TOKEN).split()[1]).decode() == f"x-access-token:{TOKEN}"


def _command_lines() -> list[str]:
    """Every process's argv readable now, NUL-joined into one string each."""
    lines = []
    for proc in Path("/proc").iterdir():
        try:
            lines.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace"))
        except OSError:
            continue
    return lines


@pytest.mark.parametrize("token", [TOKEN, "ghs_wrong_" + TOKEN[::-1]])
def test_the_token_is_never_in_argv_urls_or_logs(
    token: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    seen_while_serving: list[str] = []
    argvs: list[list[str]] = []
    popen = subprocess.Popen

    def recording_popen(argv: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
        argvs.append(list(argv))
        return popen(argv, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(subprocess, "Popen", recording_popen)
    caplog.set_level("DEBUG", logger="pipreqs_action")
    with GitServer(token=TOKEN, on_request=lambda path: seen_while_serving.extend(_command_lines())) as served:
        repo = served.create_repo("owner/private", [{"app.py": "import flask\n"}])
        try:
            with clone(local(repo), None, token=token):
                pass
        except SourceError as exc:
            assert token not in str(exc)
    secrets = (token, basic_auth(token).split()[1])
    assert any("git-remote-http" in line and repo.url in line for line in seen_while_serving)
    assert not [line for line in seen_while_serving if any(s in line for s in secrets)]
    assert argvs and not [a for a in argvs if any(s in arg for arg in a for s in secrets)]
    assert "cloning owner/private" in caplog.text
    assert not any(s in caplog.text for s in secrets)


def test_the_token_does_not_follow_a_redirect_to_another_host(server: GitServer, repo: Repo) -> None:
    before = len(server.state.authorizations)
    with GitServer(redirect_to=server.base_url) as moved:
        old = parse_repository(f"{moved.base_url}/owner/name", allow_http_hosts=LOCAL_HOSTS)
        with (
            pytest.raises(SourceError, match=r"^repository owner/name: the server redirected the clone"),
            clone(old, None, token=TOKEN),
        ):
            pass
        assert moved.state.authorizations == [basic_auth(TOKEN)]
    assert server.state.authorizations[before:] == []


def test_a_redirect_is_never_followed_even_without_a_token(server: GitServer, repo: Repo) -> None:
    """A redirect may lead anywhere (an internal host, from a server): the clone names the problem instead."""
    before = len(server.state.paths)
    with GitServer(redirect_to=server.base_url) as moved:
        old = parse_repository(f"{moved.base_url}/owner/name", allow_http_hosts=LOCAL_HOSTS)
        with pytest.raises(SourceError, match="redirected the clone"), clone(old, None):
            pass
    assert server.state.paths[before:] == []  # the redirect's target was never asked


def test_clone_gives_up_on_a_stalled_server(temp_root: Path) -> None:
    with GitServer(stall_seconds=60) as stalled:
        repo = stalled.create_repo("owner/slow", [{"a.py": ""}])
        started = time.monotonic()
        with pytest.raises(SourceError) as caught, clone(local(repo), None, timeout=1):
            pass
        elapsed = time.monotonic() - started
    assert str(caught.value) == "repository owner/slow: clone timed out after 1s"
    assert elapsed < 10
    assert list(temp_root.iterdir()) == []


def test_clone_refuses_a_pack_over_the_size_limit(server: GitServer, temp_root: Path) -> None:
    repo = server.create_repo("owner/big", [{"blob.bin": os.urandom(3 * 1024 * 1024)}])
    with pytest.raises(SourceError) as caught, clone(local(repo), None, max_bytes=1024 * 1024):
        pass
    assert str(caught.value) == "repository owner/big: larger than the 1 MiB clone size limit"
    assert list(temp_root.iterdir()) == []


@contextmanager
def peak_disk_usage(root: Path) -> Iterator[list[int]]:
    """Sample the bytes under ``root`` every few milliseconds from another thread; yields the samples."""
    samples: list[int] = []
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.005):
            total = 0
            for dirpath, _, names in os.walk(root):
                for name in names:
                    with suppress(OSError):
                        total += os.lstat(os.path.join(dirpath, name)).st_size
            samples.append(total)

    watcher = threading.Thread(target=sample)
    watcher.start()
    try:
        yield samples
    finally:
        done.set()
        watcher.join()


def test_clone_refuses_a_small_pack_that_would_expand_past_the_limit(server: GitServer, temp_root: Path) -> None:
    size = 64 * 1024 * 1024
    repo = server.create_repo("owner/bomb", [{"zeros.bin": bytes(size), "a.py": "import os\n"}])
    limited = clone(local(repo), None, max_bytes=8 * 1024 * 1024)
    with peak_disk_usage(temp_root) as samples, pytest.raises(SourceError, match="larger than the 8 MiB"), limited:
        pass
    assert samples
    assert max(samples) < 8 * 1024 * 1024  # refused before checkout wrote the file
    assert list(temp_root.iterdir()) == []


def test_clone_accepts_a_repository_within_the_limit(repo: Repo) -> None:
    with clone(local(repo), None, max_bytes=1024 * 1024) as checkout:
        assert checkout.commit == repo.head


def test_clone_removes_its_directory_when_the_caller_fails(repo: Repo, temp_root: Path) -> None:
    with pytest.raises(KeyError), clone(local(repo), None) as checkout:
        assert checkout.root.is_dir()
        raise KeyError("caller failed")
    assert not checkout.root.exists()
    assert list(temp_root.iterdir()) == []


def test_clone_does_not_check_out_symlinks(server: GitServer, tmp_path: Path) -> None:
    work = tmp_path / "work"
    git("init", "-q", "-b", "main", work)
    (work / "leak.txt").symlink_to("/etc/hostname")
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", "link", cwd=work)
    git("clone", "-q", "--bare", work, server.state.root / "owner" / "links.git")
    target = parse_repository(f"{server.base_url}/owner/links", allow_http_hosts=LOCAL_HOSTS)
    with clone(target, None) as checkout:
        leak = checkout.root / "leak.txt"
        assert not leak.is_symlink()
        assert leak.read_text() == "/etc/hostname"


def test_clone_ignores_user_config_and_git_environment(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "post-checkout").write_text(f"#!/bin/sh\ntouch {tmp_path}/hook-ran\n")
    (hooks / "post-checkout").chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text(f"[core]\n\thooksPath = {hooks}\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", f"'core.hooksPath'='{hooks}'")
    with clone(local(repo), None) as checkout:
        assert checkout.commit == repo.head
    assert not (tmp_path / "hook-ran").exists()
    assert not (tmp_path / "elsewhere").exists()


# --- workspace ---------------------------------------------------------------------------------------------------


def test_workspace_returns_the_directory(tmp_path: Path) -> None:
    assert workspace(tmp_path) == Checkout(tmp_path, None, None, None)


def test_workspace_names_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=f"^path {tmp_path / 'gone'}: not found$"):
        workspace(tmp_path / "gone")


def test_workspace_names_a_file(tmp_path: Path) -> None:
    (tmp_path / "f.py").write_text("")
    with pytest.raises(SourceError, match=f"^path {tmp_path / 'f.py'}: not a directory$"):
        workspace(tmp_path / "f.py")


def test_workspace_owned_by_another_uid_runs_no_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checked_out = tmp_path / "ws"
    git("init", "-q", checked_out)
    (checked_out / "app.py").write_text("import requests\n")
    for path in [checked_out, *checked_out.rglob("*")]:
        os.lchown(path, 1001, 1001)
    dubious = subprocess.run(["git", "-C", str(checked_out), "status"], capture_output=True, text=True, check=False)
    assert "dubious ownership" in dubious.stderr  # the guard a naive `git` call would trip over

    def no_subprocess(*args: object, **kwargs: object) -> None:
        raise AssertionError("workspace() must not run anything")

    monkeypatch.setattr(subprocess, "Popen", no_subprocess)
    monkeypatch.setattr(subprocess, "run", no_subprocess)
    assert workspace(checked_out) == Checkout(checked_out, None, None, None)


# --- pipreqs API -------------------------------------------------------------------------------------------------


class PipreqsApiStub(BaseHTTPRequestHandler):
    """Held to gerardrbentley/pipreqs-api: ``GET /pipreqs?code_url=`` answers text/plain or a FastAPI error."""

    queries: list[dict[str, list[str]]] = []  # noqa: RUF012 - test-only shared record
    headers_seen: list[dict[str, str]] = []  # noqa: RUF012

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        self.queries.append(query)
        self.headers_seen.append(dict(self.headers))
        if url.path.removeprefix("/base") != "/pipreqs":
            return self._json(404, {"detail": "Not Found"})
        if "code_url" not in query:
            missing = {"loc": ["query", "code_url"], "msg": "field required", "type": "value_error.missing"}
            return self._json(422, {"detail": [missing]})
        code_url = query["code_url"][0]
        if code_url.endswith("/stall"):
            time.sleep(3)
        if code_url.endswith("/missing"):
            return self._json(400, {"detail": f"Could not clone the code from {code_url!r}!"})
        if code_url.endswith("/broken"):
            return self._json(500, {"detail": f"Could not run pipreqs on the code from {code_url!r}!"})
        self._send(200, "text/plain; charset=utf-8", "requests==2.31.0\nPyYAML==6.0.1\nnaïve==1.0\n".encode())

    def _json(self, status: int, body: object) -> None:
        self._send(status, "application/json", json.dumps(body).encode())

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def api() -> Iterator[str]:
    PipreqsApiStub.queries.clear()
    PipreqsApiStub.headers_seen.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), PipreqsApiStub)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_api_returns_the_requirements_text(api: str) -> None:
    code_url = "https://github.com/owner/name?x=1&y=2 z"
    text = fetch_requirements_from_api(api, code_url)
    assert text == "requests==2.31.0\nPyYAML==6.0.1\nnaïve==1.0\n"
    assert PipreqsApiStub.queries == [{"code_url": [code_url]}]


def test_api_url_may_carry_a_path_and_a_session(api: str) -> None:
    with requests.Session() as session:
        session.headers["X-Probe"] = "from-session"
        assert fetch_requirements_from_api(api + "/base/", "https://github.com/o/n", session=session)
    assert PipreqsApiStub.headers_seen[0]["X-Probe"] == "from-session"


@pytest.mark.parametrize(
    ("code_url", "status", "detail"),
    [
        ("https://github.com/o/missing", 400, "Could not clone the code from 'https://github.com/o/missing'!"),
        ("https://github.com/o/broken", 500, "Could not run pipreqs on the code from 'https://github.com/o/broken'!"),
    ],
)
def test_api_error_detail_becomes_the_message(api: str, code_url: str, status: int, detail: str) -> None:
    with pytest.raises(SourceError) as caught:
        fetch_requirements_from_api(api, code_url)
    assert str(caught.value) == f"api-url: {urlsplit(api).netloc} answered {status}: {detail}"
    assert caught.value.__context__ is None


def test_api_error_without_a_string_detail_is_still_one_line(api: str) -> None:
    with pytest.raises(SourceError, match=r"answered 404: Not Found$"):
        fetch_requirements_from_api(api + "/elsewhere", "https://github.com/o/n")


def test_api_connection_refused(unused_port: int) -> None:
    with pytest.raises(SourceError) as caught:
        fetch_requirements_from_api(f"http://127.0.0.1:{unused_port}", "https://github.com/o/n")
    assert str(caught.value) == f"api-url: 127.0.0.1:{unused_port} could not be reached (ConnectionError)"
    assert caught.value.__suppress_context__  # a one-line message, not a chained requests traceback


def test_api_timeout(api: str) -> None:
    with pytest.raises(SourceError) as caught:
        fetch_requirements_from_api(api, "https://github.com/o/stall", timeout=0.5)
    assert str(caught.value) == f"api-url: {urlsplit(api).netloc} did not answer within 0.5s"


@pytest.fixture
def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    "api_url",
    ["", "api.example.com", "ftp://api.example.com", "file:///x", "https://user:pw@api.example.com",
     "https://api.example.com/?x=1", "https://api.example.com/#f", "https:///pipreqs", "https://api.example.com/a b"],
)  # fmt: skip
def test_api_url_is_validated(api_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_request(*args: object, **kwargs: object) -> None:
        raise AssertionError("no request for a bad api-url")

    monkeypatch.setattr(requests.Session, "get", no_request)
    with pytest.raises(SettingsError, match=r"^api-url: "):
        fetch_requirements_from_api(api_url, "https://github.com/o/n")


# --- clone: bounded in memory, bytes received and time, whatever the host sends ------------------------------------


@pytest.mark.parametrize("mode", ["endless", "gzip"])
def test_an_endless_or_gzip_bombed_reply_stops_at_the_memory_limit(mode: str, temp_root: Path) -> None:
    """Issue 11: such a reply drove git to 3.9 GB in 21 s. Under its limits git stops within seconds."""
    with HostileServer(mode) as hostile:
        repo = parse_repository(f"{hostile.url}/owner/bomb", allow_http_hosts=LOCAL_HOSTS)
        started = time.monotonic()
        with pytest.raises(SourceError) as caught, clone(repo, None, memory_mb=200, timeout=30):
            pass
        elapsed = time.monotonic() - started
    assert str(caught.value) in {
        "repository owner/bomb: git needed more than 200 MB of memory",
        "repository owner/bomb: larger than the 500 MiB clone size limit",
    }
    assert elapsed < 25
    assert list(temp_root.iterdir()) == []


@pytest.mark.parametrize("proxy_env", [{}, {"no_proxy": "*", "NO_PROXY": "*"}])
@pytest.mark.parametrize("step", ["clone", "ls-remote"])
def test_what_the_host_sends_is_cut_at_the_size_limit(
    step: str, proxy_env: dict[str, str], temp_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 11: the bytes git receives are bounded, not only the disk and git's memory. An endless ref
    advertisement, which git would hold in memory up to its cap (1 GB here), is cut once the host has sent the
    size limit; a ``no_proxy`` in the environment does not route git around the count."""
    for name, value in proxy_env.items():
        monkeypatch.setenv(name, value)
    limit = 4 * 1024 * 1024
    with HostileServer("endless") as hostile:
        repo = parse_repository(f"{hostile.url}/owner/endless", allow_http_hosts=LOCAL_HOSTS)
        with pytest.raises(SourceError) as caught:
            if step == "clone":
                with clone(repo, None, memory_mb=1024, max_bytes=limit, timeout=30):
                    pass
            else:
                ls_remote(repo, None, memory_mb=1024, max_bytes=limit, timeout=30)
        served = hostile.served
    assert str(caught.value) == "repository owner/endless: larger than the 4 MiB clone size limit"
    assert served < limit + 16 * 1024 * 1024  # the budget, and what the sockets' buffers held on the way
    assert list(temp_root.iterdir()) == []


def test_a_trickling_host_is_cut_at_the_clone_timeout(temp_root: Path) -> None:
    with HostileServer("trickle") as hostile:
        repo = parse_repository(f"{hostile.url}/owner/slow", allow_http_hosts=LOCAL_HOSTS)
        started = time.monotonic()
        with (
            pytest.raises(SourceError, match=r"^repository owner/slow: clone timed out after 1s$"),
            clone(repo, None, timeout=1),
        ):
            pass
        assert time.monotonic() - started < 8
    assert list(temp_root.iterdir()) == []


def test_git_runs_under_the_clone_limits(repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The limits are set in git's own process before it starts (seen from inside: a git alias prints them)."""
    seen = tmp_path / "limits.txt"
    probe = tmp_path / "git"
    probe.write_text(f'#!/bin/sh\n(ulimit -v; ulimit -t; ulimit -f) > {seen}\nexec /usr/bin/git "$@"\n')
    probe.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    with clone(local(repo), None, memory_mb=300, timeout=10, max_bytes=5 * 1024 * 1024):
        pass
    virtual, cpu, file_size = seen.read_text().split()
    assert (int(virtual), int(cpu), int(file_size)) == (300 * 1024, 21, 5 * 1024 * 1024 // 512)


# --- the api-url client: one deadline for the whole exchange, and a size limit ---------------------------------------


@pytest.mark.parametrize("mode", ["endless", "gzip"])
def test_api_answers_past_the_size_limit_are_refused(mode: str) -> None:
    with HostileServer(mode, content_type="text/plain", bomb_mib=64) as hostile:
        started = time.monotonic()
        with pytest.raises(SourceError) as caught:
            fetch_requirements_from_api(hostile.url, "https://github.com/o/n", timeout=20)
        assert time.monotonic() - started < 15
    assert str(caught.value) == f"api-url: {urlsplit(hostile.url).netloc} answered more than 5 MiB"


def test_a_trickling_api_is_cut_at_its_total_deadline() -> None:
    """One byte every 0.2 s keeps any per-read timeout happy; the total deadline still ends the exchange."""
    with HostileServer("trickle", content_type="text/plain") as hostile:
        started = time.monotonic()
        with pytest.raises(SourceError) as caught:
            fetch_requirements_from_api(hostile.url, "https://github.com/o/n", timeout=1)
        assert time.monotonic() - started < 4
        assert 0 < hostile.served < 20
    assert str(caught.value) == f"api-url: {urlsplit(hostile.url).netloc} did not answer within 1s"


def test_a_proxy_the_environment_names_is_still_the_one_git_uses(
    repo: Repo, unused_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A machine that reaches its forge only through a proxy keeps working: git goes through that proxy (here
    one that is not listening, so the clone fails saying so) instead of the byte-counting relay. curl words the
    failure "127.0.0.1 port N" (Debian 12) or "127.0.0.1:N over proxy" (newer, Debian sid's git on Python 3.14)."""
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{unused_port}")
    with (
        pytest.raises(SourceError, match=rf"Failed to connect to 127\.0\.0\.1(?: port |:){unused_port}\b"),
        clone(local(repo), None),
    ):
        pass
