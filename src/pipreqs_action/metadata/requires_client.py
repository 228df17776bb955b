"""``requires_dist`` of distributions from a package index's JSON API (``{index}/{name}/json``), cached on disk.

Used only for the distributions the bundled snapshot does not know. The lookups run concurrently under one
deadline for the whole batch; a name the index does not answer in time, or answers with something unusable, is
simply unknown (a warning says so): dependency data only ever softens an alarm, so missing data must never fail
a check. Answers are kept for ``CACHE_DAYS`` in ``~/.cache/pipreqs-action/requires/`` (per index), so a
repeated check asks nothing. A simple-API index (``.../simple``) has no JSON API: nothing is asked.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from packaging.version import InvalidVersion, Version

from pipreqs_action import limits
from pipreqs_action.metadata.dependency_metadata import allows, split_key

__all__ = ["CACHE_DAYS", "RequiresLookup", "fetch_requires"]

log = logging.getLogger(__name__)

CACHE_DAYS = 7
TIMEOUT = 5.0  # per request
DEADLINE = 10.0  # for the whole batch, however many names
WORKERS = 8
_MAX_BODY = 64 * 1024 * 1024
_SIMPLE_ROOTS = ("simple", "+simple")
_EXACT = re.compile(r"===?\s*([A-Za-z0-9._+!-]+)")  # one release (no wildcard): asked for directly
_PLAIN_KEY = re.compile(r"[a-z0-9][a-z0-9._-]*(==[A-Za-z0-9._+!-]+)?")
_FAILED: list[str] = []  # a sentinel (compared by identity): the index could not be used for this name


@dataclass(frozen=True, slots=True)
class RequiresLookup:
    """What the index said (normalised name -> requires_dist) and what the user should know about the rest."""

    requires: Mapping[str, Sequence[str]]
    warnings: tuple[str, ...] = ()


def fetch_requires(
    keys: Sequence[str], *, index_url: str, cache_dir: Path | None = None, deadline: float = DEADLINE
) -> RequiresLookup:
    """``requires_dist`` of each normalised name in ``keys``, from the cache or the index's JSON API.

    ``name`` is the latest release (``{index}/{name}/json``), ``name==version`` that release
    (``{index}/{name}/{version}/json``), ``name<specifier>`` the newest release the specifier allows: the latest
    when it does, else the newest of the project's ``releases`` it allows (yanked ones left out), asked by version.
    """
    base, auth = _split_credentials(index_url)
    if not keys or urlsplit(base).path.rstrip("/").rpartition("/")[2] in _SIMPLE_ROOTS:
        return RequiresLookup({})
    cache = (cache_dir or default_cache_dir()) / hashlib.sha256(base.encode()).hexdigest()[:16]
    found = {key: cached for key in keys if (cached := _read_cache(cache, key)) is not None}
    wanted = [key for key in keys if key not in found]
    granted = limits.take_lookups(len(wanted))  # one check's index lookups are capped (limits.ScanLimits)
    skipped, wanted = len(wanted) - granted, wanted[:granted]
    capped = (
        (f"dependency data: index lookup limit ({limits.lookup_limit()} per check) reached, {skipped} not asked",)
        if skipped
        else ()
    )
    if not wanted:
        return RequiresLookup(found, capped)
    fetched = _fetch_all(base, auth, wanted, deadline)
    answered = {key: requires for key, requires in fetched.items() if requires is not _FAILED}
    for key, requires in answered.items():
        if requires is not None:
            _write_cache(cache, key, requires)
    found.update((key, requires) for key, requires in answered.items() if requires is not None)
    failed = len(wanted) - len(answered)  # a timeout or a broken answer; "not found" is an answer
    warning = f"dependency data: the index did not answer for {failed} of {len(wanted)} distributions"
    return RequiresLookup(found, ((warning,) if failed else ()) + capped)


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    cache = Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return cache / "pipreqs-action" / "requires"


def _split_credentials(index_url: str) -> tuple[str, tuple[str, str] | None]:
    """The URL without user:password (sent only as a header, never in a URL or a message) and the pair."""
    parts = urlsplit(index_url.rstrip("/"))
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    auth = (unquote(parts.username or ""), unquote(parts.password or "")) if parts.username else None
    return f"{parts.scheme}://{netloc}{parts.path}", auth


def _fetch_all(
    base: str, auth: tuple[str, str] | None, keys: Sequence[str], deadline: float
) -> dict[str, list[str] | None]:
    """Answers that came in time: requires_dist, None for a project the index does not have, or ``_FAILED``."""
    import requests  # slow to import: only runs that ask the index pay for it

    session = requests.Session()
    session.headers["User-Agent"] = "pipreqs-action (dependency metadata)"
    session.auth = auth
    pool = ThreadPoolExecutor(min(WORKERS, len(keys)), thread_name_prefix="requires")
    try:
        futures = {key: pool.submit(_fetch_one, session, base, key) for key in keys}
        wait(futures.values(), timeout=deadline)
        return {key: future.result() for key, future in futures.items() if future.done()}
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        session.close()


def _fetch_one(session: Any, base: str, key: str) -> list[str] | None:
    """requires_dist, None when the index has no such project or release (404), ``_FAILED`` for anything else."""
    import requests

    name, specifier = split_key(key)
    pinned = _EXACT.fullmatch(specifier)
    try:
        document = _document(session, base, name, pinned[1] if pinned else "")
        if document is None or document is _FAILED or not specifier or pinned:
            return _requires_of(document)
        version = _newest_allowed(document, specifier)
        if version is None:
            return None  # no release the declaration allows: nothing known about what it installs
        if version != _latest(document):
            document = _document(session, base, name, version)
        return _requires_of(document)
    except (requests.RequestException, OSError, ValueError) as exc:
        log.debug("requires_dist of %s: %s", key, type(exc).__name__)
        return _FAILED


def _document(session: Any, base: str, name: str, version: str) -> object:
    """The JSON document of a project (or one release of it); None for a 404, ``_FAILED`` for another status."""
    path = f"{quote(name)}/{quote(version)}" if version else quote(name)
    with session.get(f"{base}/{path}/json", timeout=TIMEOUT, stream=True) as response:
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            return _FAILED
        body = response.raw.read(_MAX_BODY + 1, decode_content=True)
    if len(body) > _MAX_BODY:
        return _FAILED
    return json.loads(body)


def _latest(document: object) -> str:
    info = document.get("info") if isinstance(document, dict) else None
    version = info.get("version") if isinstance(info, dict) else None
    return version if isinstance(version, str) else ""


def _newest_allowed(document: object, specifier: str) -> str | None:
    """The release the declaration installs: the latest if allowed, else the newest allowed release, not yanked."""
    if allows(specifier, latest := _latest(document)) and latest:
        return latest
    releases = document.get("releases") if isinstance(document, dict) else None
    candidates = []
    for version, files in releases.items() if isinstance(releases, dict) else ():
        yanked = (
            isinstance(files, list)
            and bool(files)
            and all(isinstance(file, dict) and file.get("yanked") for file in files)
        )
        if not yanked and allows(specifier, version):
            try:
                candidates.append((Version(version), version))
            except InvalidVersion:
                continue
    finals = [item for item in candidates if not item[0].is_prerelease]
    return max(finals or candidates)[1] if candidates else None


def _requires_of(document: object) -> list[str] | None:
    """requires_dist of a document; None (not found) stays None, and a document of another shape is a failure."""
    if document is None or document is _FAILED:
        return None if document is None else _FAILED
    info = document.get("info") if isinstance(document, dict) else None
    if not isinstance(info, dict):
        return _FAILED
    requires = info.get("requires_dist") or []
    return [item for item in requires if isinstance(item, str)] if isinstance(requires, list) else _FAILED


def _cache_name(key: str) -> str:
    """A file name for a key: the key itself for ``name`` and ``name==version``, else the name and a digest of
    the specifier (which may hold characters no file name should)."""
    if _PLAIN_KEY.fullmatch(key):
        return f"{key}.json"
    name, specifier = split_key(key)
    return f"{name}@{hashlib.sha256(specifier.encode()).hexdigest()[:16]}.json"


def _read_cache(cache: Path, key: str) -> list[str] | None:
    path = cache / _cache_name(key)
    try:
        if time.time() - path.stat().st_mtime > CACHE_DAYS * 86400:
            return None
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return [item for item in data if isinstance(item, str)] if isinstance(data, list) else None


def _write_cache(cache: Path, key: str, requires: Sequence[str]) -> None:
    """Written beside and moved into place, so a concurrent reader never sees half a file; failures are ignored."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        tmp = cache / f".{_cache_name(key)}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(list(requires)), "utf-8")
        tmp.replace(cache / _cache_name(key))
    except OSError as exc:
        log.debug("cannot cache requires_dist of %s: %s", key, exc)
