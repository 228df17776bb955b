"""What was already missing before a pull request: the check run on the PR's base commit.

A PR run marks the packages it makes missing as "new". The truth is the base commit (``pull_request.base.sha``
in the event). The workspace rarely holds it: ``actions/checkout`` fetches the merge commit alone
(``fetch-depth: 1``), so its parents are absent, and the action's image has no git. The host's REST API serves
any commit of the repository as one tarball with the workflow's own token (``contents: read``, which fork and
Dependabot runs have too), through ``tarball.download``: a fresh temporary folder, size and time limits, nothing
run. When that is not cheap (too large, too slow, refused), the caller falls back to the tracking issue's list.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipreqs_action import pipeline
from pipreqs_action.errors import NoPythonFiles, PipreqsActionError
from pipreqs_action.github import trigger
from pipreqs_action.model import Report
from pipreqs_action.settings import Settings
from pipreqs_action.sources import source

log = logging.getLogger(__name__)

MAX_BASE_BYTES = 100 * 1024 * 1024  # beyond this the base is not "cheap": the tracking issue's list serves
BASE_TIMEOUT = 60.0
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def base_commit(payload: Mapping[str, Any]) -> tuple[str, str] | None:
    """The PR's base repository (``owner/name``) and commit from the event, when both are well formed."""
    sha = trigger.base_sha(payload)
    pull = payload.get("pull_request")
    base = pull.get("base") if isinstance(pull, Mapping) else None
    repo = base.get("repo") if isinstance(base, Mapping) else None
    slug = str(repo.get("full_name") or "") if isinstance(repo, Mapping) else ""
    return (slug, sha) if slug and _SHA.fullmatch(sha) else None


def missing_on_base(
    repository: str,
    commit: str,
    *,
    server_url: str,
    api_url: str,
    token: str,
    engine: Callable[[Path], Settings],
) -> frozenset[str] | None:
    """Lower-cased names of the packages missing at run time on the base commit (in every project), or None when
    the base could not be fetched cheaply. ``engine(root)`` builds the settings for a tree at ``root``."""
    try:
        with _quiet():
            report = _check_base(repository, commit, server_url=server_url, api_url=api_url, token=token, engine=engine)
    except PipreqsActionError as error:
        log.debug("the base commit %s was not read (%s)", commit[:12], error)
        return None
    except Exception:  # a strange base tree costs the marking, never the run
        log.debug("the base commit %s could not be checked", commit[:12], exc_info=True)
        return None
    return frozenset(name.lower() for name in _missing(report)) if report is not None else frozenset()


def _check_base(
    repository: str, commit: str, *, server_url: str, api_url: str, token: str, engine: Callable[[Path], Settings]
) -> Report | None:
    """The base commit's report; None when it holds no Python file (everything the PR imports is new)."""
    repo = source.parse_repository(repository, server_url=server_url, allow_http_hosts=_http_hosts(server_url))
    from pipreqs_action.sources import tarball  # requests, only on pull requests

    with tarball.download(
        repo, commit, api_url=api_url, token=token or None, timeout=BASE_TIMEOUT, max_bytes=MAX_BASE_BYTES
    ) as checkout:
        try:
            return pipeline.run(engine(checkout.root))
        except NoPythonFiles:
            return None


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """The base run's own log lines (its download, its warnings about the base tree) would repeat or muddle the
    run's; only errors get through while it runs."""
    package = logging.getLogger("pipreqs_action")
    level = package.level
    package.setLevel(max(level, logging.ERROR))
    try:
        yield
    finally:
        package.setLevel(level)


def _missing(report: Report) -> set[str]:
    found = {item.package for item in (*report.required_missing, *report.dev_only)}
    for project in report.projects:
        found |= _missing(project.report)
    return found


def _http_hosts(server_url: str) -> frozenset[str]:
    """The runner's own GitHub may be plain http (a GHES host inside a network); no other host ever is."""
    parts = urlsplit(server_url)
    return frozenset({parts.hostname or ""}) if parts.scheme == "http" else frozenset()
