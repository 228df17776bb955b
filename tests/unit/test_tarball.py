"""The tarball path of the `repository` input (no git in the action's image), against a GitHub stand-in on
127.0.0.1: what is fetched, where the token goes, and that a hostile archive never writes outside its tree."""

from __future__ import annotations

import io
import shutil
import tarfile
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipreqs_action.errors import SettingsError, SourceError
from pipreqs_action.sources import source, tarball

SHA = "0123456789abcdef0123456789abcdef01234567"
TOKEN = "ghs_tarballTestToken000000000000000000"
TOP = "octo-lib-0123456"


def make_tarball(entries: list[tarfile.TarInfo | tuple[str, bytes]], *, commit: str | None = SHA) -> bytes:
    """A gzipped tar as ``git archive`` writes it: a pax global header naming the commit, then the entries."""
    out = io.BytesIO()
    headers = {"comment": commit} if commit else {}
    with tarfile.open(fileobj=out, mode="w:gz", format=tarfile.PAX_FORMAT, pax_headers=headers) as tar:
        for entry in entries:
            if isinstance(entry, tarfile.TarInfo):
                tar.addfile(entry)
            else:
                name, data = entry
                info = tarfile.TarInfo(name)
                info.size = len(data)
                info.mode = 0o4755  # setuid from the archive must not survive
                tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def folder(name: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    return info


def link(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info


GOOD = [
    folder(f"{TOP}/"),
    (f"{TOP}/app.py", b"import yaml\n"),
    folder(f"{TOP}/pkg/"),
    (f"{TOP}/pkg/__init__.py", b""),
    (f"{TOP}/requirements.txt", b"requests\n"),
    link(f"{TOP}/escape", "/etc/passwd"),
    link(f"{TOP}/hard", f"{TOP}/app.py", tarfile.LNKTYPE),
]


@dataclass
class Host:
    """Routes: path -> (status, headers, body); every request's path and Authorization header is recorded."""

    routes: dict[str, tuple[int, Mapping[str, str], bytes]] = field(default_factory=dict)
    seen: list[tuple[str, str | None]] = field(default_factory=list)
    accepted: list[str | None] = field(default_factory=list)  # each request's Accept header
    port: int = 0

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v3"


@pytest.fixture
def host() -> Iterator[Host]:
    state = Host()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.seen.append((f"{self.headers['Host']}{self.path}", self.headers.get("Authorization")))
            state.accepted.append(self.headers.get("Accept"))
            status, headers, body = state.routes.get(self.path, (404, {}, b'{"message": "Not Found"}'))
            self.send_response(status)
            for name, value in {**headers, "Content-Length": str(len(body))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def repo_on(host: Host) -> source.RepoRef:
    return source.parse_repository(
        "octo/lib", server_url=f"http://127.0.0.1:{host.port}", allow_http_hosts=frozenset({"127.0.0.1"})
    )


def files_under(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_ref_is_downloaded_with_the_token_and_extracted_without_links(host: Host) -> None:
    host.routes["/api/v3/repos/octo/lib/tarball/release/v1"] = (200, {}, make_tarball(GOOD))

    with tarball.download(repo_on(host), "release/v1", api_url=host.api, token=TOKEN) as checkout:
        expected = {"app.py": b"import yaml\n", "pkg/__init__.py": b"", "requirements.txt": b"requests\n"}
        assert files_under(checkout.root) == expected
        assert (checkout.root / "app.py").stat().st_mode & 0o7777 == 0o644
        assert (checkout.repository, checkout.ref, checkout.commit) == ("octo/lib", "release/v1", SHA)
        root = checkout.root
    assert not root.exists()  # removed on exit
    assert host.seen == [(f"127.0.0.1:{host.port}/api/v3/repos/octo/lib/tarball/release/v1", f"Bearer {TOKEN}")]


def test_the_default_branch_and_no_token_send_no_ref_and_no_header(host: Host) -> None:
    host.routes["/api/v3/repos/octo/lib/tarball"] = (200, {}, make_tarball(GOOD, commit=None))

    with tarball.download(repo_on(host), None, api_url=host.api) as checkout:
        assert checkout.commit is None  # no pax header: unknown, never guessed
        assert "app.py" in files_under(checkout.root)
    assert [auth for _, auth in host.seen] == [None]


def test_the_token_is_not_sent_on_after_a_redirect_to_another_host(host: Host) -> None:
    codeload = f"http://localhost:{host.port}/codeload/octo/lib/tar.gz/main?token=signed"
    host.routes["/api/v3/repos/octo/lib/tarball/main"] = (302, {"Location": codeload}, b"")
    host.routes["/codeload/octo/lib/tar.gz/main?token=signed"] = (200, {}, make_tarball(GOOD))

    with tarball.download(repo_on(host), "main", api_url=host.api, token=TOKEN) as checkout:
        assert "app.py" in files_under(checkout.root)
    assert [auth for _, auth in host.seen] == [f"Bearer {TOKEN}", None]


@pytest.mark.parametrize("status", [401, 403, 404])
def test_no_access_is_one_clear_error_without_the_token(host: Host, status: int) -> None:
    host.routes["/api/v3/repos/octo/lib/tarball/main"] = (status, {}, b"{}")

    with pytest.raises(SourceError) as caught, tarball.download(repo_on(host), "main", api_url=host.api, token=TOKEN):
        pass
    assert str(caught.value).startswith("repository octo/lib (ref 'main'): not found or not accessible")
    assert TOKEN not in str(caught.value)


def test_a_download_over_the_size_limit_stops(host: Host) -> None:
    big = make_tarball([folder(f"{TOP}/"), (f"{TOP}/blob.py", bytes(range(256)) * 4096)])
    host.routes["/api/v3/repos/octo/lib/tarball"] = (200, {}, big)

    with (
        pytest.raises(SourceError, match="larger than the"),
        tarball.download(repo_on(host), None, api_url=host.api, max_bytes=len(big) // 2),
    ):
        pass


def test_a_bad_ref_is_refused_before_any_request(host: Host) -> None:
    with (
        pytest.raises(SettingsError, match="ref"),
        tarball.download(repo_on(host), "--upload-pack=x", api_url=host.api),
    ):
        pass
    assert host.seen == []


@pytest.mark.parametrize(
    "entries",
    [
        [(f"{TOP}/../outside.py", b"x")],
        [("/etc/cron.d/evil", b"x")],
        [(f"{TOP}/a.py", b"x"), ("other-top/b.py", b"x")],
        [(f"{TOP}/a.py", b"x"), (f"{TOP}/a.py", b"y")],
    ],
    ids=["dot-dot", "absolute", "second-top-folder", "duplicate"],
)
def test_an_unsafe_archive_is_refused_and_writes_nothing_outside(tmp_path: Path, entries) -> None:
    tree = tmp_path / "work" / "tree"
    tree.mkdir(parents=True)

    with pytest.raises(SourceError, match="repository octo/lib: "):
        tarball.extract(io.BytesIO(make_tarball(entries)), tree, repo="octo/lib", max_bytes=1 << 20)
    outside = [p for p in tmp_path.rglob("*") if p not in (tree.parent, tree) and tree not in p.parents]
    assert outside == []


def test_a_link_then_a_file_through_it_stays_inside(tmp_path: Path) -> None:
    """The classic: a symlink to /, then a file "through" it. The link is never made, so the file lands inside."""
    tree = tmp_path / "tree"
    tree.mkdir()
    entries = [link(f"{TOP}/up", str(tmp_path)), (f"{TOP}/up/planted.py", b"x")]

    tarball.extract(io.BytesIO(make_tarball(entries)), tree, repo="octo/lib", max_bytes=1 << 20)

    assert files_under(tree) == {"up/planted.py": b"x"}
    assert not (tmp_path / "planted.py").exists()


def test_not_a_tarball_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="the tarball could not be read"):
        tarball.extract(io.BytesIO(b"<html>rate limited</html>"), tmp_path, repo="octo/lib", max_bytes=1 << 20)


def test_clone_uses_the_tarball_where_git_is_not_installed(host: Host, monkeypatch: pytest.MonkeyPatch) -> None:
    host.routes["/api/v3/repos/octo/lib/tarball/v1"] = (200, {}, make_tarball(GOOD))
    monkeypatch.setattr(shutil, "which", lambda name: None)

    with source.clone(repo_on(host), "v1", token=TOKEN) as checkout:  # api_url derived: GHES's /api/v3
        assert checkout.commit == SHA
        assert sorted(files_under(checkout.root)) == ["app.py", "pkg/__init__.py", "requirements.txt"]
    assert [auth for _, auth in host.seen] == [f"Bearer {TOKEN}"]


@pytest.mark.parametrize(
    ("repository", "api"),
    [
        ("octo/lib", "https://api.github.com"),
        ("https://GitHub.com/octo/lib", "https://api.github.com"),
        ("https://ghes.example:8443/octo/lib.git", "https://ghes.example:8443/api/v3"),
    ],
)
def test_the_default_api_is_githubs_or_ghes(repository: str, api: str) -> None:
    assert tarball.default_api_url(source.parse_repository(repository)) == api


@pytest.mark.parametrize("mode", ["trickle", "gzip"])
def test_a_trickling_or_bombing_host_is_cut_at_the_total_deadline_or_size(mode: str, tmp_path: Path) -> None:
    """One byte every 0.2 s keeps a per-read timeout happy; a gzip bomb looks small on the wire."""
    from hostile_http import HostileServer

    with HostileServer(mode, content_type="application/x-gzip", bomb_mib=64) as hostile:
        repo = source.RepoRef(url=f"{hostile.url}/o/n.git", slug="o/n", host="127.0.0.1")
        started = time.monotonic()
        with (
            pytest.raises(SourceError) as caught,
            tarball.download(repo, None, api_url=hostile.url, timeout=1, max_bytes=50 * 1024 * 1024),
        ):
            pass
        assert time.monotonic() - started < 8
    assert str(caught.value) in {
        "repository o/n: download timed out after 1s",
        "repository o/n: larger than the 50 MiB size limit",
    }


# --- where a ref points now, without git (the API server's freshness check in the image) -------------------------

OTHER = "89abcdef0123456789abcdef0123456789abcdef"


def test_the_api_tells_where_a_ref_points_with_the_sha_media_type(host: Host) -> None:
    host.routes["/api/v3/repos/octo/lib/commits/HEAD"] = (200, {}, SHA.encode())
    host.routes["/api/v3/repos/octo/lib/commits/feature/x"] = (200, {}, f"{OTHER}\n".encode())
    assert tarball.remote_commit(repo_on(host), None, api_url=host.api, token=TOKEN) == SHA
    assert tarball.remote_commit(repo_on(host), "feature/x", api_url=host.api) == OTHER
    assert [auth for _, auth in host.seen] == [f"Bearer {TOKEN}", None]
    assert host.accepted == ["application/vnd.github.sha"] * 2


@pytest.mark.parametrize(
    ("status", "headers", "body"),
    [
        (404, {}, b'{"message": "No commit found for SHA: nope"}'),
        (301, {"Location": "http://127.0.0.1:9/elsewhere"}, b""),  # a redirect is not followed
        (200, {}, b"<html>not a sha</html>"),
        (200, {}, b"0" * 5000),  # past the size limit
    ],
)
def test_anything_but_a_sha_is_unknown(host: Host, status: int, headers: Mapping[str, str], body: bytes) -> None:
    host.routes["/api/v3/repos/octo/lib/commits/nope"] = (status, headers, body)
    assert tarball.remote_commit(repo_on(host), "nope", api_url=host.api) is None
    assert len(host.seen) == 1


def test_a_bad_ref_is_refused_before_asking(host: Host) -> None:
    with pytest.raises(SettingsError, match="ref"):
        tarball.remote_commit(repo_on(host), "--upload-pack=x", api_url=host.api)
    assert host.seen == []


def test_without_git_the_servers_freshness_check_asks_the_api(host: Host, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipreqs_action.server.checks import Engine
    from pipreqs_action.server.freshness import remote_commit
    from pipreqs_action.server.policy import UrlPolicy

    host.routes["/api/v3/repos/octo/lib/commits/v2"] = (200, {}, SHA.encode())
    monkeypatch.setattr(shutil, "which", lambda name: None)
    policy = UrlPolicy.build(["127.0.0.1"], allow_http=True)
    assert remote_commit(policy, repo_on(host), "v2", Engine()) == SHA
    assert remote_commit(policy, repo_on(host), "--x", Engine()) is None  # refused: the cached answer stands
