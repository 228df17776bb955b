"""One job of the API: clone a repository once, check it, and turn every outcome into an HTTP answer.

A job makes both answers from one clone: ``text`` is what the public pipreqs API gives (every import's
distribution, which is what an empty requirements file leaves "missing"), ``json`` our full report against the
repository's own declarations. Failures are answers too, so they can be cached and shared like successes; their
text names the problem in the client's terms (``404 repository not found``, ``504 clone timed out``) and never
carries git's own output, an internal address or a certificate name (the details go to the server's log).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pipreqs_action import isolation, pipeline
from pipreqs_action.errors import (
    LimitExceeded,
    NoPythonFiles,
    PipreqsActionError,
    RequirementsError,
    SettingsError,
    SourceError,
)
from pipreqs_action.limits import ScanLimits
from pipreqs_action.model import Report
from pipreqs_action.pins import DEFAULT_INDEX_URL
from pipreqs_action.render import to_json
from pipreqs_action.server.policy import UrlPolicy
from pipreqs_action.settings import Settings, engine_settings
from pipreqs_action.sources import cleanup, source

log = logging.getLogger(__name__)

TEXT, JSON = "text/plain; charset=utf-8", "application/json"

# What source.py and tarball.py say, mapped to what a client is told. First match wins; the rest is a 502.
_CLONE_FAILURES = (
    (("timed out", "did not answer within", "stopped after"), 504, "clone timed out"),
    (("larger than the", "entries in the archive", "needed more than"), 413, "too big"),
    (("not found or not accessible",), 404, "repository not found"),
    (("redirected",), 404, "repository not found (the host redirected the clone; redirects are not followed)"),
)


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    media_type: str
    body: str

    @classmethod
    def error(cls, status: int, detail: str) -> Answer:
        return cls(status, JSON, json.dumps({"detail": detail}))


@dataclass(frozen=True, slots=True)
class Outcome:
    """Both answers of one job; a failure before the scan is the same answer for both formats."""

    text: Answer
    json: Answer
    commit: str | None = None  # what the ref resolved to, when the clone says
    made: float = field(default_factory=time.monotonic)  # when: the ref pointed to ``commit`` then (freshness)

    @property
    def failed(self) -> bool:
        return self.text.status != 200 or self.json.status != 200


# Per scan (a job makes two: text and JSON, in one child process). Memory: the cap of that process (see isolation)
# and of each git process the clone runs.
API_LIMITS = ScanLimits(seconds=60.0, memory_mb=1024, index_lookups=100)


@dataclass(frozen=True, slots=True)
class Engine:
    """How a job clones and checks; the operator's options."""

    clone_timeout: float = 120.0
    max_bytes: int = 500 * 1024 * 1024
    offline: bool = False
    index_url: str = DEFAULT_INDEX_URL
    limits: ScanLimits = API_LIMITS
    isolated: bool = True  # the scans in a child process, capped per request (False: in this process, cooperative)


def run_job(policy: UrlPolicy, repo: source.RepoRef, ref: str | None, mode: str, engine: Engine) -> Outcome:
    """Never raises: whatever happens becomes an answer (an unexpected error a logged, generic 500).

    Blocking (DNS, git, the scans' process): runs in the job pool's thread. Both scans run in one child process
    (``isolation``), each under ``engine.limits``; its temporary files go in ``scratch``, removed here.
    """
    try:
        target = policy.target(repo)  # DNS: here, in the job's thread, once for every request that shares it
        with (
            policy.download_session(target.repo) as http,
            source.clone(
                target.repo,
                ref,
                timeout=engine.clone_timeout,
                max_bytes=engine.max_bytes,
                git_config=target.git_config(),
                memory_mb=engine.limits.memory_mb,
                session=http,
            ) as checkout,
            cleanup.temporary_directory(prefix="pipreqs-action-server-") as scratch,
        ):
            empty = scratch / "requirements.txt"
            empty.touch()
            checks = [_settings(checkout.root, mode, engine, [empty]), _settings(checkout.root, mode, engine, [])]
            scan = partial(isolation.run_each_isolated, scratch=scratch) if engine.isolated else _in_process
            text_outcome, json_outcome = scan(checks)
            text = _answer(text_outcome, lambda report: report.requirements, TEXT)
            report = _answer(json_outcome, to_json, JSON)
            return Outcome(text, report, checkout.commit)
    except SettingsError as error:
        return _same(Answer.error(400, str(error)))
    except SourceError as error:
        return _same(clone_failure(error, ref))
    except Exception:
        log.exception("checking %s failed", repo.slug)  # the traceback stays in the log
        return _same(Answer.error(500, "Internal Server Error"))


def _in_process(checks: list[Settings]) -> list[isolation.Outcome]:
    """The scans in this process, under the cooperative limits only (``Engine(isolated=False)``: benchmarks)."""
    outcomes: list[isolation.Outcome] = []
    for settings in checks:
        try:
            outcomes.append(pipeline.run(settings))
        except (PipreqsActionError, RecursionError) as error:
            outcomes.append(error)
    return outcomes


def _same(answer: Answer) -> Outcome:
    return Outcome(answer, answer)


def clone_failure(error: SourceError, ref: str | None) -> Answer:
    message = str(error)
    log.info("clone failed: %s", message)
    if ref is not None and message.endswith(f"ref {ref!r} not found"):
        return Answer.error(404, f"ref {ref!r} not found")
    for markers, status, detail in _CLONE_FAILURES:
        if any(marker in message for marker in markers):
            return Answer.error(status, detail)
    return Answer.error(502, "clone failed")


def _answer(outcome: isolation.Outcome, render: Callable[[Report], str], media_type: str) -> Answer:
    """One format's answer: the repository's own problems (no Python file, a bad configuration) are the client's."""
    if isinstance(outcome, Report):
        return Answer(200, media_type, render(outcome))
    if isinstance(outcome, SettingsError):
        return Answer.error(400, str(outcome))
    if isinstance(outcome, NoPythonFiles | RequirementsError):
        return Answer.error(422, str(outcome))
    if isinstance(outcome, LimitExceeded):  # "stopped after N s ...": the repository took more than a request may
        return Answer.error(504 if "after" in str(outcome) else 413, str(outcome))
    if isinstance(outcome, RecursionError):  # a manifest nested thousands deep: the repository's problem
        return Answer.error(422, "a file in the repository is nested too deeply to read")
    log.error("a scan failed: %s", outcome)  # a bug (the child logged its traceback): the client gets no detail
    return Answer.error(500, "Internal Server Error")


def _settings(root: Path, mode: str, engine: Engine, requirements: list[Path]) -> Settings:
    """One scan of the clone: against ``requirements`` (an empty file: the pipreqs-style answer) or, when none
    is given, the repository's own declarations."""
    return engine_settings(
        path=root,
        requirements=requirements,
        mode=mode,
        offline=engine.offline,
        index_url=engine.index_url,
        limits=engine.limits,
    )
