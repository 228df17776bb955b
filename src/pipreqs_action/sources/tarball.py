"""One commit of a GitHub or GHES repository as the host's tarball, for machines without git (the action's image).

WHY: git and the perl it pulls in are ~90 MB of the image and serve only the ``repository`` input; GitHub's REST
API gives the same tree as one gzipped tar (``GET /repos/{owner}/{repo}/tarball/{ref}``). The archive is
untrusted: it is downloaded within a time and size budget, and extracted member by member into a fresh temporary
directory, regular files and directories only: no absolute path, no ``..``, no link of any kind (links are
skipped, as the git clone writes them as plain files), no device, no permission bits from the archive. The
token travels only as an ``Authorization`` header; ``requests`` drops it when GitHub redirects to another host
(codeload.github.com gets a signed URL instead).
"""

from __future__ import annotations

import logging
import re
import tarfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from tempfile import TemporaryFile
from typing import IO
from urllib.parse import quote

import requests

from pipreqs_action.errors import SourceError
from pipreqs_action.sources import cleanup
from pipreqs_action.sources.bounded_http import BodyTooLarge, ExchangeTimedOut, get_bounded
from pipreqs_action.sources.source import Checkout, RepoRef, check_ref

log = logging.getLogger(__name__)

_CHUNK = 1 << 16
_MAX_MEMBERS = 200_000
_MAX_REDIRECTS = 3
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_NOT_ACCESSIBLE = "not found or not accessible with the given token (private repositories need contents: read)"


def default_api_url(repo: RepoRef) -> str:
    """The REST API of the repository's host: GitHub's for github.com, GitHub Enterprise Server's elsewhere."""
    scheme = repo.url.partition("://")[0]
    return "https://api.github.com" if repo.host.lower() == "github.com" else f"{scheme}://{repo.host}/api/v3"


def download_endpoints(repo: RepoRef) -> frozenset[tuple[str, str, int]]:
    """Every (scheme, host, port) a download of ``repo`` may reach: the REST API (``default_api_url``) and the host
    it redirects the download to: codeload.github.com for GitHub; for GitHub Enterprise Server the host itself
    (``/_codeload/``) or its ``codeload.`` sub-domain (subdomain isolation)."""
    scheme = repo.url.partition("://")[0]
    host, _, port = repo.host.lower().partition(":")
    if host == "github.com":
        return frozenset({("https", "api.github.com", 443), ("https", "codeload.github.com", 443)})
    number = int(port) if port else (443 if scheme == "https" else 80)
    return frozenset({(scheme, host, number), (scheme, f"codeload.{host}", number)})


def tarball_url(api_url: str, repo: RepoRef, ref: str | None) -> str:
    """The REST endpoint for ``ref`` (default branch when None); the ref was checked and is quoted as a path."""
    owner, name = repo.slug.split("/", 1)
    url = f"{api_url.rstrip('/')}/repos/{quote(owner)}/{quote(name)}/tarball"
    return url if ref is None else f"{url}/{quote(check_ref(ref), safe='/')}"


def remote_commit(
    repo: RepoRef,
    ref: str | None,
    *,
    api_url: str,
    token: str | None = None,
    timeout: float = 10.0,
    session: requests.Session | None = None,
) -> str | None:
    """What ``ref`` (None: the default branch) points to now, from the host's REST API: ``GET .../commits/{ref}``
    with the ``sha`` media type answers the commit's SHA alone (git's ``ls-remote`` where there is no git). None
    when the host cannot tell (an error, a redirect, no answer within ``timeout``, anything but a SHA)."""
    owner, name = repo.slug.split("/", 1)
    wanted = "HEAD" if ref is None else quote(check_ref(ref), safe="/")
    url = f"{api_url.rstrip('/')}/repos/{quote(owner)}/{quote(name)}/commits/{wanted}"
    headers = {"Accept": "application/vnd.github.sha", "User-Agent": "pipreqs-action"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    http = requests.Session() if session is None else session
    try:
        got = get_bounded(
            http, url, seconds=timeout, max_bytes=1024, headers=headers, timeout=timeout, allow_redirects=False
        )
    except (ExchangeTimedOut, BodyTooLarge, requests.RequestException) as exc:
        log.info("could not ask %s where %s points: %s", repo.slug, ref or "HEAD", type(exc).__name__)
        return None
    finally:
        if session is None:
            http.close()
    commit = got.body.decode("ascii", errors="replace").strip()
    return commit if got.status == 200 and _COMMIT.fullmatch(commit) else None


@contextmanager
def download(
    repo: RepoRef,
    ref: str | None,
    *,
    api_url: str,
    token: str | None = None,
    timeout: float = 120.0,
    max_bytes: int = 500 * 1024 * 1024,
    session: requests.Session | None = None,
) -> Iterator[Checkout]:
    """Download and extract one commit of ``repo`` into a temporary directory that is removed on exit."""
    url = tarball_url(api_url, repo, ref)
    log.info("downloading %s at %s as a tarball", repo.slug, ref or "its default branch")
    deadline = time.monotonic() + timeout
    with cleanup.temporary_directory(prefix="pipreqs-action-") as tmp, TemporaryFile() as archive:
        own = session is None
        http = requests.Session() if session is None else session
        try:
            _fetch(http, url, repo, ref, token, archive, deadline, timeout, max_bytes)
        finally:
            if own:
                http.close()
        archive.seek(0)
        tree = tmp / "tree"
        tree.mkdir()
        commit = extract(archive, tree, repo=repo.slug, max_bytes=max_bytes, deadline=deadline)
        yield Checkout(root=tree, repository=repo.slug, ref=ref, commit=commit)


def _fetch(
    http: requests.Session, url: str, repo: RepoRef, ref: str | None, token: str | None, out: IO[bytes],
    deadline: float, timeout: float, max_bytes: int,
) -> None:  # fmt: skip
    headers = {"Accept": "application/vnd.github+json", "User-Agent": "pipreqs-action"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    http.max_redirects = _MAX_REDIRECTS
    try:
        got = get_bounded(
            http, url, seconds=deadline - time.monotonic(), max_bytes=max_bytes, sink=out.write,
            headers=headers, timeout=min(timeout, 30.0),
        )  # fmt: skip
    except ExchangeTimedOut:
        raise SourceError(f"repository {repo.slug}: download timed out after {timeout:g}s") from None
    except BodyTooLarge:
        raise SourceError(f"repository {repo.slug}: larger than the {_mib(max_bytes)} MiB size limit") from None
    except requests.TooManyRedirects:
        raise SourceError(f"repository {repo.slug}: too many redirects") from None
    except requests.Timeout:
        raise SourceError(f"repository {repo.slug}: the host did not answer within the time limit") from None
    except requests.RequestException as exc:
        raise SourceError(f"repository {repo.slug}: download failed ({type(exc).__name__})") from None
    if got.status in {401, 403, 404}:
        wanted = "" if ref is None else f" (ref {ref!r})"
        raise SourceError(f"repository {repo.slug}{wanted}: {_NOT_ACCESSIBLE}")
    if not 200 <= got.status < 300:
        raise SourceError(f"repository {repo.slug}: the tarball request answered {got.status}")


def extract(archive: IO[bytes], tree: Path, *, repo: str, max_bytes: int, deadline: float | None = None) -> str | None:
    """Write the archive's regular files and directories under ``tree``, less GitHub's one top-level folder.

    Returns the commit SHA that ``git archive`` records in the pax global header, or None if there is none.
    Raises SourceError for an unsafe or oversized archive; nothing outside ``tree`` is ever written.
    """
    written = members = 0
    top: str | None = None
    try:
        with tarfile.open(fileobj=archive, mode="r:gz") as tar:
            for member in tar:
                members += 1
                if members > _MAX_MEMBERS:
                    raise SourceError(f"repository {repo}: more than {_MAX_MEMBERS} entries in the archive")
                if deadline is not None and time.monotonic() > deadline:
                    raise SourceError(f"repository {repo}: extracting timed out")
                parts = _parts(member.name, repo)
                top = top or parts[0]
                if parts[0] != top:
                    raise SourceError(f"repository {repo}: archive entry {member.name!r} is outside its folder")
                rel = parts[1:]
                if not rel or not (member.isreg() or member.isdir()):
                    continue  # the top folder itself, links, devices, fifos: never written
                target = tree.joinpath(*rel)
                if member.isdir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                written += member.size
                if written > max_bytes:
                    raise SourceError(f"repository {repo}: larger than the {_mib(max_bytes)} MiB size limit")
                _write(tar, member, target)
            commit = tar.pax_headers.get("comment", "")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise SourceError(f"repository {repo}: the tarball could not be read ({exc})") from None
    return commit if _COMMIT.fullmatch(commit) else None


def _parts(name: str, repo: str) -> tuple[str, ...]:
    path = PurePosixPath(name)
    parts = tuple(part for part in path.parts if part != ".")
    if path.is_absolute() or not parts or ".." in parts or any("\0" in part or "\\" in part for part in parts):
        raise SourceError(f"repository {repo}: unsafe path in the archive: {name[:200]!r}")
    return parts


def _write(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    source = tar.extractfile(member)
    if source is None:
        return
    # "xb": a second entry for the same path (or a name made a directory earlier) is an error, not an overwrite
    with source, target.open("xb") as out:
        while chunk := source.read(_CHUNK):
            out.write(chunk)
    target.chmod(0o644)


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):g}"
