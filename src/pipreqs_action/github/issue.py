"""Keep one GitHub issue in step with the report: open it, update it, reopen it, close it when fixed.

This is the only module that talks to GitHub (through PyGithub), so its failure modes stay in one place.
The issue is found by listing the repository's issues with our label and looking for a hidden marker in the
body, never through the search API (search is eventually consistent and rate-limited far harder). The marker
carries a key (the checked repository, path and requirements files, or the `issue-key` input), so two steps
checking two projects keep two issues; an issue with the old bare marker is adopted once (its body and labels
are rewritten), so upgrading does not open a second issue.

Writes are never retried blindly: a create that timed out or got a 5xx may well have been made, so the
issues are listed again and an issue carrying the marker is adopted instead of opening a second one. Two
runs racing each other are settled after creating: the lowest-numbered open issue wins, the others are
closed as duplicates of it.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
import math
import re
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Literal, TypeVar

import github
import requests
from github import Auth, GithubException
from github.GithubObject import NotSet
from github.Issue import Issue
from github.Repository import Repository
from urllib3.exceptions import MaxRetryError, NewConnectionError
from urllib3.exceptions import TimeoutError as Urllib3Timeout
from urllib3.util.retry import Retry

from pipreqs_action.errors import IssueError

MARKER = "<!-- pipreqs-action -->"  # the bare marker of older versions: such an issue is adopted once
LEGACY_LABEL = "dependencies"  # the label older versions gave their issue by default
LEGACY_CREATOR = "github-actions[bot]"  # who opened it: the workflow's GITHUB_TOKEN, the default token
DEFAULT_LABEL = "pipreqs-action"
_MISSING_LINE = re.compile(r"^<!-- pipreqs-action missing: ([A-Za-z0-9._, -]*) -->$", re.MULTILINE)
_TABLE_PACKAGE = re.compile(r"^\| `([A-Za-z0-9._-]+)`", re.MULTILINE)
_PACKAGE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
MAX_ISSUE_BODY = 65_536
MAX_RATE_LIMIT_WAIT = 60.0
USER_AGENT = "pipreqs-action"
TRUNCATED_NOTE = (
    "\n\n---\n_This report was cut to fit GitHub's limit of 65,536 characters: "
    "the full report is in the workflow run summary._"
)

Action = Literal["created", "updated", "unchanged", "reopened", "closed", "none", "dry-run"]
_T = TypeVar("_T")
_log = logging.getLogger(__name__)
_REPOSITORY = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*/(?!\.{1,2}$)[A-Za-z0-9_.-]+")  # GitHub's owner/name rules
_ERRNO = re.compile(r"\[Errno -?\d+\][^)'\"]*")


@dataclass(frozen=True, slots=True)
class IssueSettings:
    """Where the tracking issue lives and how it behaves."""

    repository: str  # "owner/name"
    title: str = "Declared dependencies are out of sync with the code"
    labels: tuple[str, ...] = (DEFAULT_LABEL,)
    create: bool = True  # False: update, reopen or close an existing issue, never open a new one
    close_when_fixed: bool = True
    dry_run: bool = False
    key: str = ""  # see issue_key(); "" keeps the bare marker

    @property
    def marker(self) -> str:
        return marker(self.key)


@dataclass(frozen=True, slots=True)
class IssueOutcome:
    """What happened to the issue (or, in a dry run, what would have)."""

    action: Action
    number: int | None = None
    url: str | None = None
    message: str = ""


@dataclass(frozen=True, slots=True)
class _Plan:
    """The decision taken from the issues found; carried out, or described in a dry run."""

    step: Literal["create", "update", "unchanged", "reopen", "close", "none"]
    issue: Issue | None = None
    duplicates: tuple[Issue, ...] = ()
    reason: str = ""


class IssueRefused(IssueError):
    """GitHub answered 403 (not a rate limit): the token may not do this here. Front doors decide how loud."""

    def __init__(self, message: str, *, permission: str) -> None:
        super().__init__(message)
        self.permission = permission


class _Uncertain(Exception):
    """A write whose fate is unknown: GitHub answered 5xx, or did not answer after the request went out."""


def connect(
    token: str,
    api_url: str = "https://api.github.com",
    *,
    timeout: float = 30.0,
    request_interval: float = 0.25,
    write_interval: float = 1.0,
) -> github.Github:
    """A PyGithub client whose transport retries only reads, so a POST is never sent twice behind our back.

    urllib3 retries connection failures (nothing was sent), and 5xx answers and read timeouts of GET only.
    Rate limits are waited for here, not by urllib3, so the wait stays bounded. The intervals are GitHub's
    advice against secondary rate limits (PyGithub's defaults); tests set them to 0.
    """
    if not token:
        raise IssueError("no GitHub token was given: the issue needs a token with `issues: write` permission")
    parts = urllib.parse.urlsplit(api_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise IssueError(f"GitHub API URL {api_url!r} is not an http(s) URL (e.g. https://api.github.com)")
    retry = Retry(
        total=4,
        connect=3,
        read=2,
        status=2,
        other=0,
        backoff_factor=0.5,
        backoff_max=8,
        status_forcelist=(500, 502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=False,
        raise_on_status=False,
    )
    try:
        return github.Github(
            auth=Auth.Token(token),
            base_url=api_url.rstrip("/"),
            timeout=max(1, math.ceil(timeout)),
            retry=retry,
            per_page=100,
            user_agent=USER_AGENT,
            seconds_between_requests=request_interval,
            seconds_between_writes=write_interval,
        )
    except (AssertionError, ValueError, AttributeError) as exc:  # PyGithub checks its arguments with assert
        raise IssueError(f"unusable GitHub API URL {api_url!r}: {exc!r}") from None


def issue_key(*parts: str) -> str:
    """A short stable key for what a step checks (repository, path, requirements files): hex, safe in a comment."""
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:16]


def marker(key: str) -> str:
    """The hidden first line of our issue; with a key, one step's issue is told from another step's."""
    return f"<!-- pipreqs-action key={_safe_key(key)} -->" if key else MARKER


def pr_marker(key: str) -> str:
    """The hidden first line of our comment on a pull request."""
    return f"<!-- pipreqs-action pr-comment key={_safe_key(key)} -->" if key else "<!-- pipreqs-action pr-comment -->"


def _safe_key(key: str) -> str:
    """A key as given by issue_key(), else hashed: user text never lands inside an HTML comment."""
    return key if re.fullmatch("[0-9a-f]{16}", key) else issue_key(key)


def sync_issue(
    gh: github.Github,
    settings: IssueSettings,
    *,
    in_sync: bool,
    body: str,
    close_comment: str,
    missing: tuple[str, ...] = (),
) -> IssueOutcome:
    """Bring the tracking issue in line with the report; raises only IssueError, with a one-line message.

    ``missing`` (the packages missing at run time) is kept in a hidden line, for pull request runs to tell the
    packages a PR introduces from those already missing on the default branch (``known_missing``).
    """
    body = fit_body(body, settings.marker, missing)
    return _guarded(settings.repository, lambda: _Tracker(gh, settings).run(in_sync, body, _fit(close_comment)))


def known_missing(gh: github.Github, settings: IssueSettings) -> frozenset[str]:
    """The packages the open tracking issue lists as missing (empty when no issue is open); only reads."""

    def read() -> frozenset[str]:
        opened = _Tracker(gh, settings).open_ours()
        return listed_missing(opened[0].body or "") if opened else frozenset()

    return _guarded(settings.repository, read)


def sync_pr_comment(gh: github.Github, settings: IssueSettings, number: int, body: str) -> IssueOutcome:
    """Keep one marked comment on pull request ``number``: created once, then edited when the report changes."""
    text = _fit(f"{pr_marker(settings.key)}\n{body.strip()}")
    return _guarded(
        settings.repository, lambda: _Tracker(gh, settings, permission="pull-requests").comment(number, text)
    )


def _guarded(repository: str, work: Callable[[], _T]) -> _T:
    if not _REPOSITORY.fullmatch(repository):
        raise IssueError(f"issue repository {repository!r} is not of the form owner/name")
    try:
        return work()
    except IssueError:
        raise
    except Exception as exc:  # the promise to front doors: one line, never a traceback
        _log.debug("unexpected failure while syncing the issue", exc_info=True)
        detail = " ".join(repr(exc).split())[:300]
        raise IssueError(f"unexpected error while updating the issue in {repository}: {detail}") from exc


def listed_missing(body: str) -> frozenset[str]:
    """The missing packages an issue body names: its hidden line, else (older bodies) the first table's rows."""
    line = _MISSING_LINE.search(body)
    if line:
        return frozenset(name.strip() for name in line.group(1).split(",") if name.strip())
    section = body.partition("#### Missing from ")[2].partition("####")[0]
    return frozenset(_TABLE_PACKAGE.findall(section))


def fit_body(body: str, mark: str = MARKER, missing: tuple[str, ...] = ()) -> str:
    """The issue body: marker first, then the report, cut at a line boundary to fit GitHub's limit."""
    names = [name for name in missing if _PACKAGE.fullmatch(name)]
    head = f"{mark}\n<!-- pipreqs-action missing: {', '.join(names)} -->" if names else mark
    text = body.replace(mark, "").replace(MARKER, "").strip("\n")
    full = f"{head}\n{text}"
    if len(full) <= MAX_ISSUE_BODY:
        return full
    return f"{head}\n{_cut(text, MAX_ISSUE_BODY - len(head) - 1 - len(TRUNCATED_NOTE))}{TRUNCATED_NOTE}"


def _fit(text: str) -> str:
    """A comment body within GitHub's limit (same limit as issue bodies)."""
    if len(text) <= MAX_ISSUE_BODY:
        return text
    return _cut(text, MAX_ISSUE_BODY - len(TRUNCATED_NOTE)) + TRUNCATED_NOTE


def _cut(text: str, budget: int) -> str:
    head = text[:budget]
    line_end = head.rfind("\n")
    return head[:line_end] if line_end > 0 else head


def _normalise(text: str | None) -> str:
    """Compare bodies as GitHub may store them: line endings and trailing blanks do not count as a change."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


class _Tracker:
    """One sync of one issue: list, decide, act (or describe, in a dry run)."""

    def __init__(self, gh: github.Github, settings: IssueSettings, *, permission: str = "issues") -> None:
        self.gh = gh
        self.settings = settings
        self.permission = permission  # what a 403 asks the workflow to grant
        self._repo: Repository | None = None

    @property
    def where(self) -> str:
        return self.settings.repository

    def run(self, in_sync: bool, body: str, close_comment: str) -> IssueOutcome:
        ours = self._ours()
        plan = _plan_in_sync(ours, self.settings) if in_sync else _plan_out_of_sync(ours, body, self.settings)
        if self.settings.dry_run:
            return _describe(plan, self.settings)
        return self._execute(plan, body, close_comment)

    # -- reading ---------------------------------------------------------------------------------------

    def repo(self) -> Repository:
        if self._repo is None:
            self._repo = self._call("reading the repository", lambda: self.gh.get_repo(self.where))
        return self._repo

    def _ours(self) -> list[Issue]:
        """Our issues (our marker in the body, not pull requests), lowest number first; listed by our label, so
        the cost follows the number of our issues, not the repository's.

        With a key and none of ours found, the lowest open issue with the old bare marker (under our label or
        the old default label) is adopted: its next edit gives it the keyed marker and our label.
        """
        mark, label = self.settings.marker, self.settings.labels[:1]
        found = self._marked(list(label), "all", (mark, MARKER))
        ours = [i for i in found if mark in (i.body or "")]
        if ours or mark == MARKER:
            return ours
        legacy = [i for i in found if i.state == "open"]
        if not legacy and LEGACY_LABEL not in (name.lower() for name in label):
            # Dependabot puts `dependencies` on every pull request it opens: asking for the old label alone would
            # list hundreds of them on every run until our keyed issue exists. Older versions opened their issue
            # with the workflow's token, so the creator narrows the listing to (about) our own issues.
            legacy = self._marked([LEGACY_LABEL], "open", (MARKER,), creator=LEGACY_CREATOR)
        return legacy[:1]

    def _marked(self, labels: list[str], state: str, marks: tuple[str, ...], creator: str = "") -> list[Issue]:
        repo = self.repo()

        def listing() -> list[Issue]:
            by: Any = creator or NotSet  # PyGithub takes a login where its annotation says NamedUser
            found = repo.get_issues(state=state, labels=labels or NotSet, creator=by)
            # Marker first: only marked items pay for the look-up of `pull_request` PyGithub makes on demand.
            return [i for i in found if any(m in (i.body or "") for m in marks) and i.pull_request is None]

        return sorted(self._call("listing issues", listing), key=lambda i: i.number)

    def open_ours(self) -> list[Issue]:
        return [i for i in self._ours() if i.state == "open"]

    def _open_ours(self) -> list[Issue]:
        return self.open_ours()

    def _labels_for(self, issue: Issue) -> list[str] | None:
        """All labels the issue should carry, when ours are missing (an adopted issue); else None: no change."""
        have = [label.name for label in issue.labels]
        lowered = {name.lower() for name in have}
        wanted = [name for name in self.settings.labels if name.lower() not in lowered]
        return have + wanted if wanted else None

    def comment(self, number: int, body: str) -> IssueOutcome:
        """Create or edit the one marked comment on issue or pull request ``number``."""
        repo, mark = self.repo(), body.partition("\n")[0]
        where = self._call(f"reading pull request #{number}", lambda: repo.get_issue(number))

        def find() -> list[Any]:
            return [c for c in where.get_comments() if (c.body or "").startswith(mark)]

        found = self._call(f"listing comments of #{number}", find)
        if self.settings.dry_run:
            verb = "would update" if found else "would add"
            return IssueOutcome("dry-run", number, where.html_url, f"{verb} the comment on pull request #{number}")
        if not found:
            made = self._call(f"commenting on pull request #{number}", lambda: where.create_comment(body), write=True)
            return IssueOutcome("created", number, made.html_url, f"commented on pull request #{number}")
        mine = found[0]
        if _normalise(mine.body) == _normalise(body):
            return IssueOutcome(
                "unchanged", number, mine.html_url, f"the comment on pull request #{number} is up to date"
            )
        self._call(f"updating the comment on pull request #{number}", lambda: mine.edit(body), write=True)
        return IssueOutcome("updated", number, mine.html_url, f"updated the comment on pull request #{number}")

    # -- writing ---------------------------------------------------------------------------------------

    def _execute(self, plan: _Plan, body: str, close_comment: str) -> IssueOutcome:
        issue = plan.issue
        if plan.step == "create":
            return self._create(body)
        if issue is None or plan.step == "none":
            return IssueOutcome("none", message=plan.reason)
        if plan.step == "close":
            for each in (issue, *plan.duplicates):
                self._close(each, close_comment, "completed")
            return IssueOutcome("closed", issue.number, issue.html_url, f"closed issue #{issue.number}: in sync again")
        note = self._close_duplicates(issue, plan.duplicates)
        if plan.step == "unchanged":
            return IssueOutcome("unchanged", issue.number, issue.html_url, f"issue #{issue.number} is up to date{note}")
        labels = self._labels_for(issue)
        extra: dict[str, Any] = {"labels": labels} if labels is not None else {}
        if plan.step == "update":
            self._call(f"updating issue #{issue.number}", lambda: issue.edit(body=body, **extra), write=True)
            return IssueOutcome("updated", issue.number, issue.html_url, f"updated issue #{issue.number}{note}")
        self._call(f"reopening issue #{issue.number}", lambda: issue.edit(state="open", body=body, **extra), write=True)
        return IssueOutcome("reopened", issue.number, issue.html_url, f"reopened issue #{issue.number}")

    def _create(self, body: str) -> IssueOutcome:
        made = self._try_create(body)
        if made is None:
            adopted = self._open_ours()  # GitHub may have made it before failing: adopt rather than duplicate
            made = adopted[0] if adopted else self._new_issue(body, uncertain=False)
            _log.info(
                "issue creation failed on GitHub's side; %s #%s", "adopted" if adopted else "created", made.number
            )
        kept, note = self._settle(made, body)
        verb = "created issue" if kept.number == made.number else "another run created issue"
        return IssueOutcome("created", kept.number, kept.html_url, f"{verb} #{kept.number}{note}")

    def _try_create(self, body: str) -> Issue | None:
        try:
            return self._new_issue(body, uncertain=True)
        except _Uncertain:
            return None

    def _new_issue(self, body: str, *, uncertain: bool) -> Issue:
        repo, settings = self.repo(), self.settings

        def create() -> Issue:
            return repo.create_issue(title=settings.title, body=body, labels=list(settings.labels))

        return self._call("creating the issue", create, write=True, uncertain=uncertain)

    def _settle(self, made: Issue, body: str) -> tuple[Issue, str]:
        """After creating, a racing run may have created one too: keep the lowest number, close the rest."""
        opened = self._open_ours()
        if len(opened) <= 1:
            return made, ""
        keep = opened[0]
        note = self._close_duplicates(keep, tuple(opened[1:]))
        if keep.number != made.number and _normalise(keep.body) != _normalise(body):
            self._call(f"updating issue #{keep.number}", lambda: keep.edit(body=body), write=True)
        return keep, note

    def _close_duplicates(self, keep: Issue, duplicates: tuple[Issue, ...]) -> str:
        for each in duplicates:
            self._close(each, f"Duplicate of #{keep.number}", "not_planned")
        return f"; closed duplicate(s) {', '.join(f'#{d.number}' for d in duplicates)}" if duplicates else ""

    def _close(self, issue: Issue, comment: str, reason: str) -> None:
        number = issue.number
        self._call(f"commenting on issue #{number}", lambda: issue.create_comment(comment), write=True)
        self._call(f"closing issue #{number}", lambda: issue.edit(state="closed", state_reason=reason), write=True)

    # -- talking to GitHub -----------------------------------------------------------------------------

    def _call(self, doing: str, action: Callable[[], _T], *, write: bool = False, uncertain: bool = False) -> _T:
        """Run one GitHub operation: wait out one rate limit, turn every failure into a one-line IssueError.

        ``uncertain``: a 5xx or a missing answer raises _Uncertain instead, for the caller to check GitHub.
        """
        for attempt in (1, 2):
            try:
                return action()
            except GithubException as exc:
                wait = _rate_limit_wait(exc)
                if wait is not None and attempt == 1 and wait <= MAX_RATE_LIMIT_WAIT:
                    _log.warning("GitHub rate limit while %s in %s: waiting %.0f s", doing, self.where, wait)
                    time.sleep(wait)
                    continue
                if uncertain and exc.status >= 500:
                    raise _Uncertain from exc
                raise self._explain(exc, doing, write=write, wait=wait) from None
            except requests.RequestException as exc:
                if uncertain and not isinstance(exc, requests.ConnectTimeout):
                    raise _Uncertain from exc
                raise self._unreachable(exc, doing) from None
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _explain(self, exc: GithubException, doing: str, *, write: bool, wait: float | None) -> IssueError:
        status, message, where = exc.status, _message(exc), self.where
        if status == 401:
            return IssueError(f"GitHub rejected the token (401 {message}) while {doing} in {where}: check the token")
        if status in (403, 429) and wait is not None:
            return IssueError(
                f"GitHub's rate limit stopped {doing} in {where} ({status} {message}; it asks to wait "
                f"{wait:.0f} s): try again later"
            )
        if status == 403:
            verb, what = ("write", "issues") if self.permission == "issues" else ("comment on", "pull requests")
            verb = verb if write else "read"
            return IssueRefused(
                f"GitHub refused to {verb} {what} in {where} ({status} {message}): "
                f"give the workflow `permissions: {self.permission}: write`",
                permission=self.permission,
            )
        if status == 404:
            return IssueError(
                f"repository {where} was not found, or the token has no access to it (404 {message}) while {doing}: "
                "an issue-repository other than the checked one needs a token with access to that repository"
            )
        if status == 410:
            return IssueError(f"issues are disabled in {where} (410 {message}): enable them in its settings")
        if status == 422:
            return IssueError(f"GitHub refused {doing} in {where}: validation failed: {_validation_details(exc)}")
        return IssueError(f"GitHub answered {status} while {doing} in {where}: {message}")

    def _unreachable(self, exc: requests.RequestException, doing: str) -> IssueError:
        base = self.gh.requester.base_url
        if _timed_out(exc):
            return IssueError(f"GitHub at {base} did not answer in time while {doing} in {self.where}")
        errno = _ERRNO.search(str(exc))
        reason = errno.group(0).strip() if errno else type(exc).__name__
        return IssueError(f"could not reach GitHub at {base} while {doing} in {self.where}: {reason}")


def _plan_out_of_sync(ours: list[Issue], body: str, settings: IssueSettings) -> _Plan:
    opened = [i for i in ours if i.state == "open"]
    if opened:
        keep, rest = opened[0], tuple(opened[1:])
        step: Literal["update", "unchanged"] = "unchanged" if _normalise(keep.body) == _normalise(body) else "update"
        return _Plan(step, keep, rest)
    if ours:
        return _Plan("reopen", max(ours, key=lambda i: i.number))
    if not settings.create:
        return _Plan("none", reason="requirements are out of sync, but opening an issue is turned off")
    return _Plan("create")


def _plan_in_sync(ours: list[Issue], settings: IssueSettings) -> _Plan:
    opened = [i for i in ours if i.state == "open"]
    if not opened:
        return _Plan("none", reason="requirements are in sync and no issue is open")
    if not settings.close_when_fixed:
        return _Plan("none", reason=f"requirements are in sync; issue #{opened[0].number} left open (closing is off)")
    return _Plan("close", opened[0], tuple(opened[1:]))


def _describe(plan: _Plan, settings: IssueSettings) -> IssueOutcome:
    """The dry run's answer: what would be written, with nothing written."""
    issue = plan.issue
    number, url = (issue.number, issue.html_url) if issue is not None else (None, None)
    extra = f" and close duplicate(s) {', '.join(f'#{d.number}' for d in plan.duplicates)}" if plan.duplicates else ""
    texts = {
        "create": f"would create issue {settings.title!r} in {settings.repository}",
        "update": f"would update issue #{number}{extra}",
        "unchanged": f"would leave issue #{number} unchanged (up to date){extra}",
        "reopen": f"would reopen issue #{number}",
        "close": f"would close issue #{number}{extra}",
        "none": f"would do nothing: {plan.reason}",
    }
    return IssueOutcome("dry-run", number, url, texts[plan.step])


def _message(exc: GithubException) -> str:
    data = exc.data
    text = exc.message or (data.get("message") if isinstance(data, dict) else None) or "no message"
    return " ".join(str(text).split())[:300]


def _validation_details(exc: GithubException) -> str:
    data = exc.data if isinstance(exc.data, dict) else {}
    details = [
        str(e.get("message") or " ".join(str(e.get(k, "")) for k in ("resource", "field", "code")).strip())
        for e in data.get("errors") or []
        if isinstance(e, dict)
    ]
    return "; ".join([_message(exc), *details])[:500]


def _rate_limit_wait(exc: GithubException) -> float | None:
    """Seconds GitHub asks us to wait, when this failure is a rate limit (primary or secondary); else None."""
    if exc.status not in (403, 429):
        return None
    headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
    retry_after = headers.get("retry-after")
    if retry_after is not None:
        return _seconds_until(retry_after)
    if headers.get("x-ratelimit-remaining") == "0" and str(headers.get("x-ratelimit-reset", "")).isdigit():
        return max(float(headers["x-ratelimit-reset"]) - time.time(), 0.0) + 1.0
    if isinstance(exc, github.RateLimitExceededException):
        return 60.0  # GitHub's advice for a secondary limit without Retry-After: wait at least a minute
    return None


def _timed_out(exc: requests.RequestException) -> bool:
    """requests reports a read timeout that urllib3 already retried as a ConnectionError wrapping it."""
    if isinstance(exc, requests.Timeout):
        return True
    reasons = [getattr(arg, "reason", None) for arg in exc.args if isinstance(arg, MaxRetryError)]
    # NewConnectionError subclasses urllib3's timeout for historical reasons: a refusal is no timeout.
    return any(isinstance(r, Urllib3Timeout) and not isinstance(r, NewConnectionError) for r in reasons)


def _seconds_until(retry_after: str) -> float:
    if retry_after.strip().isdigit():
        return float(retry_after)
    try:
        moment = email.utils.parsedate_to_datetime(retry_after)
    except (TypeError, ValueError):
        return 60.0
    return max((moment - datetime.now(timezone.utc)).total_seconds(), 0.0)
