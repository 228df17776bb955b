"""Latest versions for suggested requirements, from a package index: PyPI's JSON API (``{index}/{name}/json``)
or, for an index URL ending in ``/simple`` (``+simple`` on devpi), the simple repository API every index has
(PEP 503 HTML or PEP 691 JSON, ``{index}/{name}/``), which is what pip users configure as ``index-url``.

pipreqs asks PyPI one name at a time, pins whatever ``info.version`` says (even a yanked release) and
crashes on a bad answer. Here the lookups run concurrently on one pooled session under a deadline for
the whole batch, skip pre-releases and yanked releases the way pip would, and every failure turns into
"no version for that name" plus a warning: a slow or broken index must never fail a requirements check.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote, unquote, urlsplit

import requests
from packaging.specifiers import SpecifierSet
from packaging.utils import (
    InvalidName,
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version
from requests.adapters import HTTPAdapter
from requests.auth import HTTPBasicAuth
from urllib3.exceptions import NameResolutionError, ReadTimeoutError
from urllib3.util.retry import Retry

from pipreqs_action import __version__, limits
from pipreqs_action.errors import SettingsError
from pipreqs_action.pins import DEFAULT_INDEX_URL, MODES, Mode, format_requirement

__all__ = ["DEFAULT_INDEX_URL", "MODES", "Mode", "VersionLookup", "format_requirement", "latest_versions"]

log = logging.getLogger(__name__)

USER_AGENT = f"pipreqs-action/{__version__} {requests.utils.default_user_agent()}"

_DEADLINE_FACTOR = 2.0  # the whole batch gets this many per-request timeouts, however many names
_MAX_BODY = 64 * 1024 * 1024  # the largest projects' JSON (boto3, ...) is tens of MB; a bigger answer is hostile
_CHUNK = 256 * 1024
_TIMED_OUT = "timed out"
_LISTED = 5  # names spelled out in a warning before "and N more"
_SIMPLE_ROOTS = ("simple", "+simple")  # the last path segment of a simple index URL (pip, devpi)
# PEP 691: prefer JSON, accept HTML (PEP 503) from indexes that only have that
_SIMPLE_ACCEPT = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"


@dataclass(frozen=True, slots=True)
class VersionLookup:
    """Versions found (canonical name -> version) and what the user should know about the ones not found."""

    versions: Mapping[str, str]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Index:
    """The index URL split so credentials travel only as an auth header, never in a URL or a message."""

    base: str
    host: str
    auth: HTTPBasicAuth | None
    simple: bool = False  # a PEP 503/691 simple index rather than a JSON API


@dataclass(frozen=True, slots=True)
class _Answer:
    """One name's outcome: a version, or exactly one reason it has none."""

    key: str
    version: str | None = None
    not_found: bool = False
    unusable: bool = False  # the index knows the name but has no installable release
    failure: str = ""  # why the index could not be used for this name


class _BadAnswer(Exception):
    """The index answered 200 with something that is not a usable project document."""


class _Abandoned(Exception):
    """The batch deadline passed while this answer was still arriving."""


def latest_versions(
    names: Iterable[str],
    *,
    index_url: str = DEFAULT_INDEX_URL,
    offline: bool = False,
    timeout: float = 5.0,
    max_workers: int = 8,
    session: requests.Session | None = None,
) -> VersionLookup:
    """Latest installable version of each name; never raises for anything the network or the index does."""
    if timeout <= 0 or max_workers < 1:
        raise SettingsError(f"version lookup: timeout {timeout} and max_workers {max_workers} must be positive")
    index = _parse_index(index_url)
    keys, invalid = _unique_keys(names)
    answers: list[_Answer] = []
    over_limit: list[str] = []
    if keys and not offline:
        granted = limits.take_lookups(len(keys))  # one request's lookups are capped; the rest stay unpinned
        keys, over_limit = keys[:granted], keys[granted:]
        answers = _fetch_all(keys, index, timeout, max_workers, session) if keys else []
    versions = {a.key: a.version for a in answers if a.version}
    return VersionLookup(versions, _warnings(answers, invalid, index.host) + _limit_warning(over_limit))


def _limit_warning(over_limit: list[str]) -> tuple[str, ...]:
    if not over_limit:
        return ()
    return (f"Index lookup limit ({limits.lookup_limit()} per check) reached, versions left out: {_names(over_limit)}",)


def _parse_index(index_url: str) -> _Index:
    parts = urlsplit(index_url.strip())
    host = parts.netloc.rpartition("@")[2]
    if parts.scheme not in ("http", "https") or not host:
        # Not echoed: a mistyped URL is where credentials end up outside the userinfo part.
        raise SettingsError(f"index-url: expected an http(s) URL with a host, such as {DEFAULT_INDEX_URL}")
    auth = None
    if parts.username is not None:
        auth = HTTPBasicAuth(unquote(parts.username), unquote(parts.password or ""))
    path = parts.path.rstrip("/")
    simple = path.rpartition("/")[2] in _SIMPLE_ROOTS
    return _Index(f"{parts.scheme}://{host}{path}", host, auth, simple)


def _unique_keys(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """Canonical keys in first-seen order, and the names no index could know (asked for nothing)."""
    keys: dict[str, None] = {}
    invalid: list[str] = []
    for name in names:
        try:
            keys[canonicalize_name(name.strip(), validate=True)] = None
        except InvalidName:
            invalid.append(name)
    return list(keys), invalid


def _fetch_all(
    keys: list[str], index: _Index, timeout: float, max_workers: int, session: requests.Session | None
) -> list[_Answer]:
    """Ask for every key at once; whatever is not back by the deadline counts as timed out."""
    workers = min(max_workers, len(keys))
    own = session is None
    http = session if session is not None else _new_session(workers)
    stop = threading.Event()
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pypi-versions")
    try:
        futures = {key: pool.submit(_fetch, http, index, key, timeout, stop) for key in keys}
        wait(futures.values(), timeout=timeout * _DEADLINE_FACTOR)
        return [_collect(key, future) for key, future in futures.items()]
    finally:
        # Late workers only notice `stop` between reads, so do not wait for them: they end within `timeout`.
        stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
        if own:
            http.close()


def _collect(key: str, future: Future[_Answer]) -> _Answer:
    answer = _outcome(key, future)
    if answer.failure:
        log.debug("no version for %s: %s", key, answer.failure)
    return answer


def _outcome(key: str, future: Future[_Answer]) -> _Answer:
    if not future.done():
        return _Answer(key, failure=_TIMED_OUT)
    try:
        return future.result()
    except _Abandoned:
        return _Answer(key, failure=_TIMED_OUT)
    except Exception as exc:  # degrade, never crash: a bug or odd input costs one version, not the run
        log.debug("version lookup for %s failed unexpectedly: %s", key, type(exc).__name__)
        return _Answer(key, failure="unexpected error")


def _new_session(workers: int) -> requests.Session:
    """One pool sized to the workers; retry only what is cheap and safe: refused connects and 429/5xx gateways."""
    retry = Retry(
        total=2,
        connect=2,
        read=0,
        status=2,
        backoff_factor=0.1,
        status_forcelist=(429, 502, 503, 504),
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=False,
        raise_on_status=False,
    )
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=workers, max_retries=retry)
    session = requests.Session()
    session.max_redirects = 5
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def _fetch(http: requests.Session, index: _Index, key: str, timeout: float, stop: threading.Event) -> _Answer:
    if index.simple:
        url, accept = f"{index.base}/{quote(key, safe='')}/", _SIMPLE_ACCEPT
    else:
        url, accept = f"{index.base}/{quote(key, safe='')}/json", "application/json"
    headers = {"User-Agent": USER_AGENT, "Accept": accept}
    try:
        with http.get(url, headers=headers, auth=index.auth, timeout=(timeout, timeout), stream=True) as response:
            if response.status_code == 404:
                return _Answer(key, not_found=True)
            if response.status_code != 200:
                return _Answer(key, failure=f"HTTP {response.status_code}")
            body = _read_body(response, stop)
            content_type = response.headers.get("Content-Type", "")
        version = _simple_version(body, content_type, key) if index.simple else _choose_version(json.loads(body))
    except requests.RequestException as exc:
        return _Answer(key, failure=_describe(exc))
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
        return _Answer(key, failure="invalid JSON")
    except _BadAnswer as exc:
        return _Answer(key, failure=str(exc))
    return _Answer(key, version=version, unusable=version is None)


def _read_body(response: requests.Response, stop: threading.Event) -> bytes:
    """Read in chunks so a trickling or endless answer is dropped at the deadline or the size limit."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):
        if stop.is_set():
            raise _Abandoned
        size += len(chunk)
        if size > _MAX_BODY:
            raise _BadAnswer("answer too large")
        chunks.append(chunk)
    return b"".join(chunks)


def _describe(exc: requests.RequestException) -> str:
    """A short reason; never the exception text, which can carry URLs and server-chosen words."""
    causes = list(_causes(exc))
    if isinstance(exc, requests.Timeout) or any(isinstance(c, ReadTimeoutError | TimeoutError) for c in causes):
        return _TIMED_OUT
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS error"
    if isinstance(exc, requests.exceptions.ProxyError):
        return "proxy error"
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return "connection refused"
    if any(isinstance(c, NameResolutionError) for c in causes):
        return "host not found"
    if isinstance(exc, requests.TooManyRedirects):
        return "too many redirects"
    return "connection failed" if isinstance(exc, requests.ConnectionError) else "request failed"


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """requests wraps urllib3 wraps OSError, through args, ``reason`` and ``__cause__``: walk all of them."""
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo and len(seen) < 32:
        item = todo.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        todo += [*item.args, getattr(item, "reason", None), item.__cause__, item.__context__]


def _choose_version(document: object) -> str | None:
    """The version ``pip install name`` would pick today: final over pre-release, never a yanked one.

    Mirrors pip: a release counts when at least one of its files is not yanked, and pre-releases count
    only when no final release does. Indexes that list no files at all get ``info.version`` instead.
    """
    if not isinstance(document, dict):
        raise _BadAnswer("unexpected JSON")
    releases = document.get("releases") or {}
    if not isinstance(releases, dict):
        raise _BadAnswer("unexpected JSON")
    files = [_release_files(entry) for entry in releases.values()]
    if not any(files):
        return _info_version(document.get("info"))
    installable = [_parse_version(v) for v, f in zip(releases, files, strict=True) if _installable(f)]
    candidates = list(SpecifierSet().filter(v for v in installable if v is not None))
    return str(max(candidates)) if candidates else None


def _release_files(entry: object) -> list[Mapping[str, object]]:
    if not isinstance(entry, list) or not all(isinstance(f, dict) for f in entry):
        raise _BadAnswer("unexpected JSON")
    return entry


def _installable(files: list[Mapping[str, object]]) -> bool:
    return any(f.get("yanked") is not True for f in files)


def _info_version(info: object) -> str | None:
    if not isinstance(info, dict) or not isinstance(info.get("version"), str):
        raise _BadAnswer("unexpected JSON")
    if info.get("yanked") is True:
        return None
    version = _parse_version(info["version"])
    return str(version) if version is not None else None


def _parse_version(text: object) -> Version | None:
    """Legacy and hostile version strings are skipped; normalising also drops stray whitespace and newlines."""
    try:
        return Version(text) if isinstance(text, str) else None
    except InvalidVersion:
        return None


def _simple_version(body: bytes, content_type: str, key: str) -> str | None:
    """The version pip would pick from a simple index's file list: versions come from the file names (wheel and
    sdist rules), a version counts when one of its files is not yanked, final releases before pre-releases."""
    as_json = "json" in content_type
    files = _simple_json_files(json.loads(body)) if as_json else _simple_html_files(body.decode("utf-8"))
    live: dict[Version, bool] = {}
    for filename, yanked in files:
        version = _file_version(filename, key)
        if version is not None:
            live[version] = live.get(version, False) or not yanked
    candidates = list(SpecifierSet().filter(version for version, ok in live.items() if ok))
    return str(max(candidates)) if candidates else None


def _simple_json_files(document: object) -> list[tuple[str, bool]]:
    """PEP 691: ``files`` of ``{filename, yanked}``; ``yanked`` is a boolean or a reason (a string: yanked)."""
    files = document.get("files") if isinstance(document, dict) else None
    if not isinstance(files, list) or not all(
        isinstance(f, dict) and isinstance(f.get("filename"), str) for f in files
    ):
        raise _BadAnswer("unexpected JSON")
    return [(f["filename"], f.get("yanked") is True or isinstance(f.get("yanked"), str)) for f in files]


def _simple_html_files(html: str) -> list[tuple[str, bool]]:
    """PEP 503: one anchor per file, named by the last part of its URL; ``data-yanked`` marks a yanked file."""
    parser = _Anchors()
    parser.feed(html)
    parser.close()
    return parser.files


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.files: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        found = dict(attrs)
        href = found.get("href") or ""
        filename = unquote(urlsplit(href).path.rpartition("/")[2])
        if filename:
            self.files.append((filename, "data-yanked" in found))


def _file_version(filename: str, key: str) -> Version | None:
    """The version in a wheel or sdist file name of project ``key``; None for other files and other projects."""
    try:
        if filename.endswith(".whl"):
            name, version, _, _ = parse_wheel_filename(filename)
        else:
            name, version = parse_sdist_filename(filename)
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
        return None
    return version if name == key else None


def _warnings(answers: list[_Answer], invalid: list[str], host: str) -> tuple[str, ...]:
    """At most one line per kind of trouble, so one dead index does not bury the report in warnings."""
    found: list[str] = []
    if invalid:
        # These come straight from the checked code: quoted and cut short so they cannot pass for anything else.
        found.append(f"Not valid package names, versions left out: {_names(repr(n[:60]) for n in invalid)}")
    not_found = [a.key for a in answers if a.not_found]
    if not_found:
        found.append(f"Not found on {host}, versions left out: {_names(not_found)}")
    unusable = [a.key for a in answers if a.unusable]
    if unusable:
        found.append(f"No installable release on {host} (all yanked), versions left out: {_names(unusable)}")
    failed = [a for a in answers if a.failure]
    if failed:
        found.append(_failure_warning(failed, host))
    return tuple(found)


def _failure_warning(failed: list[_Answer], host: str) -> str:
    reasons = Counter(a.failure for a in failed)
    why = ", ".join(reason if len(reasons) == 1 else f"{reason}: {n}" for reason, n in reasons.most_common())
    count = f"{len(failed)} package" + ("s" if len(failed) != 1 else "")
    label = "PyPI" if host == "pypi.org" else "Package index"
    return f"{label} unreachable ({host}: {why}): versions left out for {count}: {_names(a.key for a in failed)}"


def _names(names: Iterable[str]) -> str:
    items = list(names)
    shown = ", ".join(items[:_LISTED])
    return shown if len(items) <= _LISTED else f"{shown} and {len(items) - _LISTED} more"
