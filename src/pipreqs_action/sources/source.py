"""Where the code to check comes from: the checked-out workspace, a shallow clone, or a pipreqs HTTP API.

The repositories we clone are untrusted and so are the strings naming them. Everything that reaches git is
validated here first and passed as an argv list after ``--``; git runs with no system or user config, only
the https transport (http only for hosts the caller allows), no hooks, no submodules, no LFS, no symlinks, no
prompts, no redirects, and inside a time and disk budget. Each git process runs under resource limits set before
it starts (address space, CPU seconds, the largest file it may write: an endless or gzip-bombed reply stops
there) and reaches the host through a relay that counts the bytes received (``wire``: past the size limit every
connection is cut), in a temporary tree that ``cleanup`` removes whatever it holds, on SIGTERM too. A token
travels only as an HTTP header, set through ``GIT_CONFIG_*`` environment variables scoped to the repository's
host: never argv, URL, log or message.
"""

from __future__ import annotations

import base64
import codecs
import json
import logging
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryFile
from typing import IO
from urllib.parse import SplitResult, urlsplit

import requests

from pipreqs_action.errors import SettingsError, SourceError
from pipreqs_action.sources import cleanup
from pipreqs_action.sources.bounded_http import BodyTooLarge, ExchangeTimedOut, get_bounded
from pipreqs_action.sources.wire import WireBudget

log = logging.getLogger(__name__)

# GitHub's rules: owners are letters, digits and '-' (EMU accounts add '_'), at most 39 characters;
# repository names are letters, digits, '.', '_' and '-', at most 100, and never '.' or '..'.
_SLUG = re.compile(r"(?P<owner>[A-Za-z0-9][A-Za-z0-9_-]{0,38})/(?P<name>[A-Za-z0-9._-]{1,100})")
_HOSTNAME = re.compile(r"[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?")
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
# git check-ref-format's rules, plus no leading '-' (an option) or '+' (a forced refspec).
_BAD_REF = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{|//|^[-+/.]|/\.|\.lock(?:/|$)|[/.]$")
_MAX_REF = 255

_NOT_ACCESSIBLE = (
    "not found or not accessible with the given token (private repositories need a token with contents: read)"
)
_MOVED = "the server redirected the clone (renamed or moved?); give its current owner/name"
_REF_MISSING = ("couldn't find remote ref", "not our ref", "no such ref")
_NO_ACCESS = (
    "authentication failed",
    "could not read username",
    "could not read password",
    "terminal prompts disabled",
    "repository not found",
    "not found",
    "returned error: 401",
    "returned error: 403",
    "returned error: 404",
)
_POLL_SECONDS = 0.2
_MAX_DETAIL = 300
_MIB = 1024 * 1024
MAX_API_BYTES = 5 * _MIB  # a generated requirements.txt is a few kB
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
# Sets the limits, then becomes git: a preexec_fn would run Python in a forked child, unsafe in a threaded server.
_EXEC_LIMITED = (
    "import os, resource, sys\n"
    "for name, value in zip(('RLIMIT_AS', 'RLIMIT_CPU', 'RLIMIT_FSIZE', 'RLIMIT_CORE'), sys.argv[1:5]):\n"
    "    limit = getattr(resource, name)\n"
    "    hard = resource.getrlimit(limit)[1]\n"
    "    value = int(value) if hard == resource.RLIM_INFINITY else min(int(value), hard)\n"
    "    resource.setrlimit(limit, (value, value))\n"
    "os.execvp(sys.argv[5], sys.argv[5:])\n"
)


@dataclass(frozen=True, slots=True)
class RepoRef:
    """A repository we may clone: a credential-free URL that git can only read as a URL."""

    url: str
    slug: str
    host: str


@dataclass(frozen=True, slots=True)
class Checkout:
    """A tree to scan, and what it is a copy of (for the report; ``None`` where unknown)."""

    root: Path
    repository: str | None
    ref: str | None
    commit: str | None


def _refuse(why: str) -> SettingsError:
    return SettingsError(f"repository: {why}")


def _shown_url(value: str) -> str:
    """A repository value for a message: quoted and cut short, or not at all when it may hold a secret
    (``user:token@``, a query or a fragment, where tokens end up): then the message names only the problem."""
    if any(mark in value for mark in "@?#"):
        return "the URL (not shown: it may hold credentials)"
    return _shown(value)


def _shown(value: str) -> str:
    return repr(value if len(value) <= 80 else value[:77] + "...")


def parse_repository(
    value: str, *, server_url: str = "https://github.com", allow_http_hosts: frozenset[str] = frozenset()
) -> RepoRef:
    """Accept ``owner/name`` or ``https://host/owner/name[.git]`` and nothing git could read another way."""
    if not value:
        raise _refuse("empty; expected owner/name or an https URL")
    if any(c.isspace() or not c.isprintable() for c in value):
        raise _refuse(f"{_shown_url(value)} contains whitespace or control characters")
    if value.startswith("-"):
        raise _refuse(f"{_shown_url(value)} starts with '-'")
    if "::" in value:
        raise _refuse(f"{_shown_url(value)} uses git's <transport>:: syntax, which is refused")
    if "://" in value:
        return _parse_url(value, allow_http_hosts)
    owner, name = _split_slug(value.removesuffix(".git"), value)
    try:
        return _parse_url(f"{server_url.rstrip('/')}/{owner}/{name}.git", allow_http_hosts)
    except SettingsError:
        raise SettingsError(f"server-url: {_shown_url(server_url)} is not an https URL of a git host") from None


def _split_slug(path: str, value: str) -> tuple[str, str]:
    match = _SLUG.fullmatch(path)
    if match is None or match["name"] in {".", ".."} or ".." in match["name"]:
        raise _refuse(f"{_shown_url(value)} is not owner/name or an https URL")
    return match["owner"], match["name"]


def _parse_url(value: str, allow_http_hosts: frozenset[str]) -> RepoRef:
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. a host that NFKC normalisation changes (a full-width slash): never a valid host
        raise _refuse(f"{_shown_url(value)} is not a valid URL") from None
    if parts.scheme not in {"https", "http"}:
        raise _refuse(f"{parts.scheme}:// URLs are refused; use https://host/owner/name")
    if "@" in parts.netloc:
        raise _refuse("credentials in the URL are refused; pass a token instead")
    if "?" in value or "#" in value:
        raise _refuse(f"{_shown_url(value)} has a query or fragment")
    netloc = _checked_netloc(parts, value)
    if parts.scheme == "http" and parts.hostname not in allow_http_hosts:
        raise _refuse(f"http:// is refused for {netloc}; use https")
    path = parts.path.removesuffix("/").removesuffix(".git")
    owner, name = _split_slug(path.removeprefix("/"), value)
    return RepoRef(url=f"{parts.scheme}://{netloc}/{owner}/{name}.git", slug=f"{owner}/{name}", host=netloc)


def _checked_netloc(parts: SplitResult, value: str) -> str:
    try:
        port = parts.port
    except ValueError:
        raise _refuse(f"{_shown_url(value)} has an invalid port") from None
    host = parts.hostname or ""
    if not _HOSTNAME.fullmatch(host) or ".." in host:
        raise _refuse(f"{_shown_url(value)} has no valid host name")
    return host if port is None else f"{host}:{port}"


def check_ref(ref: str) -> str:
    """``ref`` if it is a SHA or a valid ref name that cannot be read as an option; else SettingsError."""
    return _check_ref(ref)


def _check_ref(ref: str) -> str:
    if _SHA.fullmatch(ref):
        return ref
    if not ref or len(ref) > _MAX_REF or ref == "@" or _BAD_REF.search(ref):
        raise SettingsError(f"ref: {_shown(ref)} is not a valid branch, tag or commit")
    return ref


@contextmanager
def clone(
    repo: RepoRef,
    ref: str | None,
    *,
    token: str | None = None,
    timeout: float = 120.0,
    max_bytes: int = 500 * 1024 * 1024,
    api_url: str | None = None,
    git_config: tuple[str, ...] = (),
    memory_mb: int = 2048,
    session: requests.Session | None = None,
) -> Iterator[Checkout]:
    """Shallow-fetch one commit of ``repo`` into a temporary directory that is removed on exit.

    Bounded by ``timeout`` (wall clock, all steps together), ``max_bytes`` (on the wire: what the host sends; and
    on disk: what is received and what the checkout writes) and ``memory_mb`` (each git process's address space).

    One path serves every kind of ref: ``git init`` then ``git fetch --depth 1 <url> <ref>`` works for a
    branch, a tag, a full ref (``refs/pull/1/merge``) and a commit SHA alike, where ``clone --branch``
    takes only the first two. Where git is not installed (the action's image) the host's tarball API serves
    instead (``pipreqs_action.sources.tarball``): ``api_url`` is the host's REST API, by default GitHub's for
    github.com and ``/api/v3`` (GitHub Enterprise Server's) for any other host. ``git_config`` adds ``-c``
    options after ours (the API server's: no redirect, the host pinned to the addresses it checked); ``session``
    is the HTTP session a download without git uses (the API server's: only the repository's hosts, at checked
    addresses).
    """
    if shutil.which("git") is None:
        from pipreqs_action.sources import tarball  # only without git

        api = api_url or tarball.default_api_url(repo)
        download = tarball.download(
            repo, ref, api_url=api, token=token, timeout=timeout, max_bytes=max_bytes, session=session
        )
        with download as got:
            yield got
        return
    wanted = "HEAD" if ref is None else _check_ref(ref)
    log.info("cloning %s at %s", repo.slug, ref or "its default branch")
    env = _git_env(repo, token)
    with cleanup.temporary_directory(prefix="pipreqs-action-") as tmp, _relay(env, max_bytes) as wire:
        tree = tmp / "tree"
        deadline = time.monotonic() + timeout
        options = (*_hardening(repo), *_through(wire), *git_config)
        git = _Git(repo, wanted, tree, tmp, options, env, deadline, timeout, max_bytes, memory_mb, wire)
        git.run("init", "--quiet", "--template=", "--", str(tree), cwd=tmp)
        git.run("fetch", "--quiet", "--depth=1", "--no-tags", "--no-recurse-submodules", "--", repo.url, wanted)
        git.check_size(pending=_blob_bytes(git.run("ls-tree", "-r", "-l", "-z", "FETCH_HEAD")))
        git.run("checkout", "--quiet", "--detach", "FETCH_HEAD")
        commit = git.run("rev-parse", "--verify", "HEAD")
        git.check_size()
        yield Checkout(root=tree, repository=repo.slug, ref=ref, commit=commit)


def ls_remote(
    repo: RepoRef,
    ref: str | None,
    *,
    timeout: float = 10.0,
    git_config: tuple[str, ...] = (),
    memory_mb: int = 256,
    max_bytes: int = 4 * _MIB,
) -> str:
    """``git ls-remote``'s lines for ``ref`` (None: ``HEAD``) and its peeled form: what it points to now, with
    nothing fetched. The clone's hardening and limits (time, memory, ``max_bytes`` of output); ``ref`` is checked
    as ``clone`` checks it and comes after ``--``, so it is never read as an option. SourceError when git fails
    or is not installed (the caller does without)."""
    if shutil.which("git") is None:
        raise SourceError(f"repository {repo.slug}: git is not installed")
    patterns = ("HEAD",) if ref is None else (_check_ref(ref), f"{ref}^{{}}")
    env = _git_env(repo, None)
    with cleanup.temporary_directory(prefix="pipreqs-action-ls-") as tmp, _relay(env, max_bytes) as wire:
        options = (*_hardening(repo), *_through(wire), *git_config)
        deadline = time.monotonic() + timeout
        git = _Git(repo, "HEAD", tmp, tmp, options, env, deadline, timeout, max_bytes, memory_mb, wire)
        return git.run("ls-remote", "--", repo.url, *patterns, cwd=tmp)


@contextmanager
def _relay(env: dict[str, str], max_bytes: int) -> Iterator[WireBudget | None]:
    """The byte-counting relay git's HTTP goes through (``wire``), and ``env`` without ``no_proxy``, which would
    send git around it. None when the environment names a proxy: git goes through that one, as it always did
    (a machine that reaches the internet only through it), bounded by its memory and the disk alone."""
    if any(env.get(name) for name in _PROXY_VARIABLES):
        yield None
        return
    for name in ("no_proxy", "NO_PROXY"):
        env.pop(name, None)
    with WireBudget(max_bytes) as wire:
        yield wire


def _through(wire: WireBudget | None) -> tuple[str, ...]:
    return () if wire is None else ("-c", f"http.proxy={wire.proxy}")


def _hardening(repo: RepoRef) -> tuple[str, ...]:
    """``-c`` options that hold whatever config git might otherwise pick up; none of them is secret."""
    settings = [
        "protocol.allow=never",
        "protocol.https.allow=always",
        "core.hooksPath=/dev/null",
        "core.symlinks=false",
        "core.fsmonitor=false",
        "core.protectHFS=true",
        "core.protectNTFS=true",
        "credential.helper=",
        "submodule.recurse=false",
        "fetch.recurseSubmodules=false",
        "advice.detachedHead=false",
        "gc.auto=0",
        "maintenance.auto=false",
        # None: a redirect could lead to another host (an internal one, from a server), and git would send the
        # token's extra header there too. A moved repository is named by its new owner/name instead.
        "http.followRedirects=false",
    ]
    if repo.url.startswith("http://"):  # parse_repository let it through: a host the caller allowed
        settings.append("protocol.http.allow=always")
    return tuple(arg for setting in settings for arg in ("-c", setting))


def _git_env(repo: RepoRef, token: str | None) -> dict[str, str]:
    """The environment git runs in: the caller's minus every GIT_* variable, plus our own."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
        GIT_ASKPASS="true",
        GCM_INTERACTIVE="never",
        GIT_PROTOCOL_FROM_USER="0",
        GIT_LFS_SKIP_SMUDGE="1",
        LC_ALL="C",
        LANGUAGE="",
    )
    if token:
        scheme = repo.url.partition("://")[0]
        env.update(
            GIT_CONFIG_COUNT="1",
            GIT_CONFIG_KEY_0=f"http.{scheme}://{repo.host}/.extraheader",
            GIT_CONFIG_VALUE_0=f"Authorization: {_basic_auth(token)}",
        )
    return env


def _basic_auth(token: str) -> str:
    return "basic " + base64.b64encode(f"x-access-token:{token}".encode()).decode()


@dataclass(frozen=True, slots=True)
class _Git:
    """Runs git steps of one clone against a shared deadline and disk budget."""

    repo: RepoRef
    ref: str
    tree: Path
    watch: Path
    options: tuple[str, ...]
    env: dict[str, str]
    deadline: float
    timeout: float
    max_bytes: int
    memory_mb: int = 2048
    wire: WireBudget | None = None  # the relay git's HTTP goes through; past its budget the host sent too much

    def run(self, *args: str, cwd: Path | None = None) -> str:
        argv = self._limited(["git", *self.options, *args])
        with TemporaryFile() as out, TemporaryFile() as err:
            proc = subprocess.Popen(
                argv, cwd=cwd or self.tree, env=self.env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                start_new_session=True,
            )  # fmt: skip
            try:
                with cleanup.track_process(proc.pid):
                    self._wait(proc)
            finally:
                _kill(proc)
            if proc.returncode:
                raise self._failure(args[0], _read(err), proc.returncode)
            return _read(out).strip()

    def _limited(self, argv: list[str]) -> list[str]:
        """``argv`` started under this clone's limits (POSIX); the largest file git may write is the size limit."""
        if os.name != "posix":
            return argv
        cpu = int(self.timeout * 2) + 1  # index-pack uses every core: CPU seconds can pass wall seconds
        limits = (self.memory_mb * _MIB, cpu, self.max_bytes, 0)
        return [sys.executable, "-I", "-S", "-c", _EXEC_LIMITED, *map(str, limits), *argv]

    def _wait(self, proc: subprocess.Popen[bytes]) -> None:
        while True:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise SourceError(f"repository {self.repo.slug}: clone timed out after {self.timeout:g}s")
            try:
                proc.wait(timeout=min(remaining, _POLL_SECONDS))
                return
            except subprocess.TimeoutExpired:
                self.check_size()
                if self.wire is not None and self.wire.exceeded.is_set():
                    raise self._too_big() from None

    def check_size(self, pending: int = 0) -> None:
        """Refuse once what is on disk, plus ``pending`` bytes about to be written, passes the limit."""
        if _disk_usage(self.watch) + pending > self.max_bytes:
            raise self._too_big()

    def _too_big(self) -> SourceError:
        limit = self.max_bytes / _MIB
        return SourceError(f"repository {self.repo.slug}: larger than the {limit:g} MiB clone size limit")

    def _failure(self, step: str, stderr: str, status: int = 1) -> SourceError:
        text = _redact(stderr, self.env.get("GIT_CONFIG_VALUE_0", ""))
        log.debug("git %s failed for %s (status %d): %s", step, self.repo.slug, status, text)
        low = text.lower()
        too_much = self.wire is not None and self.wire.exceeded.is_set()
        if too_much or status == -signal.SIGXFSZ or "file too large" in low:
            return self._too_big()
        if status == -signal.SIGXCPU:
            return SourceError(f"repository {self.repo.slug}: clone timed out after {self.timeout:g}s")
        if "out of memory" in low or "cannot allocate memory" in low:
            return SourceError(f"repository {self.repo.slug}: git needed more than {self.memory_mb} MB of memory")
        if step == "fetch" and any(marker in low for marker in _REF_MISSING):
            wanted = "its default branch" if self.ref == "HEAD" else f"ref {_shown(self.ref)}"
            return SourceError(f"repository {self.repo.slug}: {wanted} not found")
        if "returned error: 30" in low:
            return SourceError(f"repository {self.repo.slug}: {_MOVED}")
        if any(marker in low for marker in _NO_ACCESS):
            return SourceError(f"repository {self.repo.slug}: {_NOT_ACCESSIBLE}")
        lines = [line.removeprefix("fatal: ") for line in text.splitlines() if line.strip()]
        return SourceError(f"repository {self.repo.slug}: git {step} failed: {_one_line(lines[-1] if lines else '')}")


def _read(file: IO[bytes]) -> str:
    file.seek(0)
    return file.read().decode("utf-8", errors="replace")


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Stop git and the helpers it spawned (remote-https, index-pack), which share its session."""
    if proc.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _redact(text: str, header: str) -> str:
    """Git does not echo headers, but its stderr is untrusted text: strip any trace of the credential."""
    value = header.removeprefix("Authorization: basic ")
    if value:
        secret = base64.b64decode(value).decode().removeprefix("x-access-token:")
        for needle in (value, secret):
            text = text.replace(needle, "***")
    return text


def _blob_bytes(listing: str) -> int:
    """Total size of the files a checkout will write, from ``git ls-tree -r -l -z``.

    Checked before checkout because a small, highly compressed pack can expand to gigabytes faster than
    any polling could notice.
    """
    sizes = (entry.partition("\t")[0].rpartition(" ")[2] for entry in listing.split("\0"))
    return sum(int(size) for size in sizes if size.isdigit())


def _disk_usage(root: Path) -> int:
    """Bytes under ``root`` (files as stored, links not followed); files git renames meanwhile are skipped."""
    total, pending = 0, [str(root)]
    while pending:
        try:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                    else:
                        total += _size(entry)
        except FileNotFoundError:
            continue
    return total


def _size(entry: os.DirEntry[str]) -> int:
    try:
        return entry.stat(follow_symlinks=False).st_size
    except FileNotFoundError:
        return 0


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 3] + "..."


def workspace(path: Path) -> Checkout:
    """Use a tree that is already there. No git runs on it: it may belong to another uid (actions/checkout)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise SourceError(f"path {path}: not found") from None
    except OSError as exc:
        raise SourceError(f"path {path}: cannot be read ({exc.strerror})") from None
    if not stat.S_ISDIR(mode):
        raise SourceError(f"path {path}: not a directory")
    if not os.access(path, os.R_OK | os.X_OK):
        raise SourceError(f"path {path}: cannot be read (permission denied)")
    return Checkout(root=path, repository=None, ref=None, commit=None)


def within_workspace(root: Path, rel: str) -> Path:
    """``root / rel``, refused when its real path leaves ``root``'s: a checked-in symlink as the Action's ``path``
    would otherwise make the check read (and report on) files outside the workspace."""
    target = root / rel
    real_root, real = os.path.realpath(root), os.path.realpath(target)
    if real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep):
        raise SettingsError(f"path: {_shown(rel)} leads outside the checked repository (a symbolic link?)")
    return target


def fetch_requirements_from_api(
    api_url: str, code_url: str, *, timeout: float = 60.0, session: requests.Session | None = None
) -> str:
    """Ask a pipreqs API (``GET {api_url}/pipreqs?code_url=...``) for the requirements.txt it generates."""
    endpoint, host = _api_endpoint(api_url)
    log.info("asking %s for the requirements of %s", host, code_url)
    if session is None:
        with requests.Session() as own:
            return _get_requirements(own, endpoint, host, code_url, timeout)
    return _get_requirements(session, endpoint, host, code_url, timeout)


def _api_endpoint(api_url: str) -> tuple[str, str]:
    parts = urlsplit(api_url)
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or "@" in parts.netloc
        or parts.query
        or parts.fragment
        or any(c.isspace() or not c.isprintable() for c in api_url)
    ):
        raise SettingsError("api-url: expected an http(s) URL without credentials, query or fragment")
    return f"{api_url.rstrip('/')}/pipreqs", parts.netloc


def _get_requirements(session: requests.Session, endpoint: str, host: str, code_url: str, timeout: float) -> str:
    """The answer within ``timeout`` seconds in all (not per socket read) and ``MAX_API_BYTES`` decoded bytes."""
    try:
        got = get_bounded(
            session, endpoint, seconds=timeout, max_bytes=MAX_API_BYTES, params={"code_url": code_url},
            timeout=timeout,
        )  # fmt: skip
    except (requests.Timeout, ExchangeTimedOut):
        raise SourceError(f"api-url: {host} did not answer within {timeout:g}s") from None
    except BodyTooLarge:
        raise SourceError(f"api-url: {host} answered more than {MAX_API_BYTES // _MIB} MiB") from None
    except requests.RequestException as exc:
        raise SourceError(f"api-url: {host} could not be reached ({type(exc).__name__})") from None
    text = got.body.decode(_charset(got.headers.get("Content-Type", "")), errors="replace")
    if not 200 <= got.status < 400:
        raise SourceError(f"api-url: {host} answered {got.status}: {_api_detail(text, got.reason)}")
    return text


def _charset(content_type: str) -> str:
    """The answer's charset, else UTF-8 (requests would guess ISO-8859-1 for text/plain without one)."""
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value.strip('"'):
            with suppress(LookupError):
                return codecs.lookup(value.strip('"')).name
    return "utf-8"


def _api_detail(text: str, reason: str) -> str:
    """FastAPI's error body is ``{"detail": "..."}``; anything else is shown as text, on one line."""
    try:
        detail = json.loads(text)["detail"]
    except (ValueError, KeyError, TypeError):
        detail = text
    return _one_line(str(detail)) or reason or "no detail"
