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
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipreqs_action import pipeline, source
from pipreqs_action.errors import LimitExceeded, NoPythonFiles, RequirementsError, SettingsError, SourceError
from pipreqs_action.limits import ScanLimits
from pipreqs_action.model import Report
from pipreqs_action.pins import DEFAULT_INDEX_URL
from pipreqs_action.render import to_json
from pipreqs_action.server.policy import UrlPolicy
from pipreqs_action.settings import engine_settings

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

    @property
    def failed(self) -> bool:
        return self.text.status != 200 or self.json.status != 200


# Per scan (a job makes two: text and JSON). Memory: each git process's cap; a worker serving many checks at once
# cannot cap one of them in-process.
API_LIMITS = ScanLimits(seconds=60.0, memory_mb=1024, index_lookups=100)


@dataclass(frozen=True, slots=True)
class Engine:
    """How a job clones and checks; the operator's options."""

    clone_timeout: float = 120.0
    max_bytes: int = 500 * 1024 * 1024
    offline: bool = False
    index_url: str = DEFAULT_INDEX_URL
    limits: ScanLimits = API_LIMITS


def run_job(policy: UrlPolicy, repo: source.RepoRef, ref: str | None, mode: str, engine: Engine) -> Outcome:
    """Never raises: whatever happens becomes an answer (an unexpected error a logged, generic 500)."""
    try:
        target = policy.target(repo)  # DNS: here, in the job's thread, once for every request that shares it
        with source.clone(
            target.repo,
            ref,
            timeout=engine.clone_timeout,
            max_bytes=engine.max_bytes,
            git_config=target.git_config(),
            memory_mb=engine.limits.memory_mb,
        ) as checkout:
            root = checkout.root
            text = _answer(lambda: _check(root, mode, engine, pipreqs_style=True).requirements, TEXT)
            report = _answer(lambda: to_json(_check(root, mode, engine, pipreqs_style=False)), JSON)
            return Outcome(text, report, checkout.commit)
    except SettingsError as error:
        return _same(Answer.error(400, str(error)))
    except SourceError as error:
        return _same(clone_failure(error, ref))
    except Exception:
        log.exception("checking %s failed", repo.slug)  # the traceback stays in the log
        return _same(Answer.error(500, "Internal Server Error"))


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


def _answer(make: Callable[[], str], media_type: str) -> Answer:
    """One format's answer: the repository's own problems (no Python file, a bad configuration) are the client's."""
    try:
        return Answer(200, media_type, make())
    except SettingsError as error:
        return Answer.error(400, str(error))
    except (NoPythonFiles, RequirementsError) as error:
        return Answer.error(422, str(error))
    except LimitExceeded as error:  # "stopped after N s ...": the repository took more than a request may
        return Answer.error(504 if "after" in str(error) else 413, str(error))
    except RecursionError:  # a manifest nested thousands deep: the repository's problem, not a 500
        return Answer.error(422, "a file in the repository is nested too deeply to read")


def _check(root: Path, mode: str, engine: Engine, *, pipreqs_style: bool) -> Report:
    with tempfile.TemporaryDirectory(prefix="pipreqs-action-server-") as tmp:
        empty = Path(tmp, "requirements.txt")
        empty.touch()
        settings = engine_settings(
            path=root,
            requirements=[empty] if pipreqs_style else (),
            mode=mode,
            offline=engine.offline,
            index_url=engine.index_url,
            limits=engine.limits,
        )
        return pipeline.run(settings)
