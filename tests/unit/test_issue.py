"""The tracking issue, driven through PyGithub exactly as production does, against the contract-checked fake."""

from __future__ import annotations

import logging
import socket
import time

import pytest
from tests.fakegithub import FakeGitHub
from tests.fakegithub.plugin import DEFAULT_REPO as REPO

from pipreqs_action.errors import IssueError
from pipreqs_action.github.issue import (
    DEFAULT_LABEL,
    MARKER,
    MAX_ISSUE_BODY,
    IssueOutcome,
    IssueSettings,
    connect,
    fit_body,
    sync_issue,
)

REPORT = "## Missing from requirements.txt\n\n- `requests` (imported in app.py:1)\n"
NEW_REPORT = "## Missing from requirements.txt\n\n- `requests`\n- `yaml` -> PyYAML\n"
CLOSE = "requirements.txt is in sync again: closing."
ISSUES_PATH = f"/repos/{REPO}/issues"


def client(fake: FakeGitHub, *, token: str | None = None, timeout: float = 5.0):
    return connect(token or fake.token, fake.api_url, timeout=timeout, request_interval=0, write_interval=0)


def run(
    fake: FakeGitHub, *, in_sync: bool = False, body: str = REPORT, timeout: float = 5.0, **options
) -> IssueOutcome:
    options.setdefault("repository", REPO)
    gh = client(fake, timeout=timeout)
    try:
        return sync_issue(gh, IssueSettings(**options), in_sync=in_sync, body=body, close_comment=CLOSE)
    finally:
        gh.close()


def seed(fake: FakeGitHub, body: str = REPORT, **options) -> int:
    options.setdefault("labels", [DEFAULT_LABEL])
    return fake.add_issue(REPO, "requirements.txt is out of sync with the code", fit_body(body), **options)


def methods(fake: FakeGitHub) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in fake.requests]


# -- the normal life of the issue ------------------------------------------------------------------------


def test_creates_the_issue_with_marker_title_and_labels(fake_github):
    outcome = run(fake_github)

    [issue] = fake_github.issues(REPO)
    assert outcome == IssueOutcome("created", issue.number, f"{fake_github.web_url}/{REPO}/issues/1", outcome.message)
    assert "created issue #1" in outcome.message
    assert issue.title == "Declared dependencies are out of sync with the code"
    assert issue.body == f"{MARKER}\n{REPORT.strip()}"
    assert issue.labels == [DEFAULT_LABEL] and issue.state == "open"
    assert [(r.method, r.path) for r in fake_github.writes()] == [("POST", ISSUES_PATH)]


def test_lists_issues_of_the_first_label_and_never_searches(fake_github):
    run(fake_github, labels=("deps", "bot"))

    listing = [r for r in fake_github.requests if r.path == ISSUES_PATH and r.method == "GET"]
    assert listing and all(r.query["state"] == "all" and r.query["labels"] == "deps" for r in listing)
    assert not any(r.path.startswith("/search") for r in fake_github.requests)
    assert fake_github.issues(REPO)[0].labels == ["deps", "bot"]


def test_same_report_makes_no_write_request(fake_github):
    number = seed(fake_github)

    outcome = run(fake_github)

    assert (outcome.action, outcome.number) == ("unchanged", number)
    assert fake_github.writes() == []


def test_line_endings_and_trailing_blanks_are_not_a_change(fake_github):
    fake_github.add_issue(REPO, "t", fit_body(REPORT).replace("\n", "\r\n") + "\r\n\r\n", labels=[DEFAULT_LABEL])

    assert run(fake_github).action == "unchanged"
    assert fake_github.writes() == []


def test_changed_report_edits_only_the_body(fake_github):
    number = seed(fake_github)

    outcome = run(fake_github, body=NEW_REPORT)

    assert (outcome.action, outcome.number) == ("updated", number)
    [patch] = fake_github.writes()
    assert (patch.method, patch.path, patch.body) == (
        "PATCH",
        f"{ISSUES_PATH}/{number}",
        {"body": fit_body(NEW_REPORT)},
    )
    assert fake_github.issue(REPO, number).body == fit_body(NEW_REPORT)


def test_closed_issue_is_reopened_with_the_new_body(fake_github):
    number = seed(fake_github, state="closed", state_reason="completed")

    outcome = run(fake_github, body=NEW_REPORT)

    issue = fake_github.issue(REPO, number)
    assert (outcome.action, outcome.number) == ("reopened", number)
    assert (issue.state, issue.state_reason, issue.body) == ("open", "reopened", fit_body(NEW_REPORT))
    assert len(fake_github.issues(REPO)) == 1


def test_in_sync_comments_then_closes_as_completed(fake_github):
    number = seed(fake_github)

    outcome = run(fake_github, in_sync=True)

    issue = fake_github.issue(REPO, number)
    assert (outcome.action, outcome.number) == ("closed", number)
    assert (issue.state, issue.state_reason) == ("closed", "completed")
    assert [c.body for c in fake_github.comments(REPO, number)] == [CLOSE]
    assert [r.method for r in fake_github.writes()] == ["POST", "PATCH"]  # the comment lands before the close


@pytest.mark.parametrize("state", [None, "closed"])
def test_in_sync_without_an_open_issue_writes_nothing(fake_github, state):
    if state:
        seed(fake_github, state=state)

    outcome = run(fake_github, in_sync=True)

    assert outcome.action == "none" and outcome.number is None
    assert fake_github.writes() == []


def test_close_when_fixed_off_leaves_the_issue_open(fake_github):
    number = seed(fake_github)

    outcome = run(fake_github, in_sync=True, close_when_fixed=False)

    assert outcome.action == "none" and f"#{number} left open" in outcome.message
    assert fake_github.writes() == [] and fake_github.issue(REPO, number).state == "open"


def test_create_off_opens_nothing_but_still_updates(fake_github):
    assert run(fake_github, create=False).action == "none"
    assert fake_github.writes() == [] and fake_github.issues(REPO) == []

    number = seed(fake_github)
    assert run(fake_github, create=False, body=NEW_REPORT).action == "updated"
    assert fake_github.issue(REPO, number).body == fit_body(NEW_REPORT)


def test_pull_requests_carrying_the_marker_are_ignored(fake_github):
    pr = fake_github.add_issue(REPO, "docs", fit_body(REPORT), labels=[DEFAULT_LABEL], pull_request=True)

    outcome = run(fake_github)

    assert outcome.action == "created" and outcome.number != pr
    assert fake_github.issue(REPO, pr).body == fit_body(REPORT) and not any(
        r.path.endswith(f"/{pr}") and r.method != "GET" for r in fake_github.requests
    )


def test_issue_without_marker_is_not_ours(fake_github):
    other = fake_github.add_issue(REPO, "requirements.txt is out of sync with the code", REPORT, labels=[DEFAULT_LABEL])

    outcome = run(fake_github)

    assert outcome.action == "created" and outcome.number != other


# -- dry run ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("existing", "in_sync", "expected"),
    [
        (None, False, "would create issue"),
        ("open", False, "would update issue #1"),
        ("same", False, "would leave issue #1 unchanged"),
        ("closed", False, "would reopen issue #1"),
        ("open", True, "would close issue #1"),
        (None, True, "would do nothing"),
    ],
)
def test_dry_run_only_reads(fake_github, existing, in_sync, expected):
    if existing:
        seed(
            fake_github,
            REPORT if existing == "same" else "old report",
            state="closed" if existing == "closed" else "open",
        )
    before = fake_github.issues(REPO)

    outcome = run(fake_github, in_sync=in_sync, dry_run=True)

    assert outcome.action == "dry-run" and outcome.message.startswith(expected)
    assert outcome.number == (1 if existing else None)
    assert fake_github.writes() == [] and fake_github.issues(REPO) == before


# -- never a second issue --------------------------------------------------------------------------------


def other_run_creates(fake: FakeGitHub) -> None:
    fake.add_issue(
        REPO,
        "requirements.txt is out of sync with the code",
        fit_body(REPORT),
        labels=[DEFAULT_LABEL],
        user="other-run",
    )


def test_racing_runs_leave_one_open_issue(fake_github):
    fake_github.on_next("POST", ISSUES_PATH, other_run_creates)

    outcome = run(fake_github)

    first, ours = fake_github.issues(REPO)
    assert (outcome.action, outcome.number) == ("created", first.number)
    assert (first.state, ours.state, ours.state_reason) == ("open", "closed", "not_planned")
    assert [c.body for c in fake_github.comments(REPO, ours.number)] == [f"Duplicate of #{first.number}"]
    assert "another run" in outcome.message


def test_duplicates_found_open_are_closed_keeping_the_lowest(fake_github):
    low, high = seed(fake_github, "old"), seed(fake_github, "old")

    outcome = run(fake_github)

    assert (outcome.action, outcome.number) == ("updated", low)
    assert fake_github.issue(REPO, high).state == "closed"
    assert [c.body for c in fake_github.comments(REPO, high)] == [f"Duplicate of #{low}"]


def test_5xx_after_github_made_the_issue_adopts_it(fake_github):
    fake_github.fail_next("POST", ISSUES_PATH, 502, apply=True)

    outcome = run(fake_github)

    [issue] = fake_github.issues(REPO)
    assert (outcome.action, outcome.number) == ("created", issue.number)
    assert [r.status for r in fake_github.writes()] == [502]  # neither urllib3 nor we sent the POST again


def test_5xx_before_github_made_it_creates_once_more(fake_github):
    fake_github.fail_next("POST", ISSUES_PATH, 502, apply=False)

    outcome = run(fake_github)

    [issue] = fake_github.issues(REPO)
    assert (outcome.action, outcome.number) == ("created", issue.number)
    assert [r.status for r in fake_github.writes()] == [502, 201]


def test_timeout_on_create_adopts_the_issue_github_made(fake_github):
    fake_github.timeout_next("POST", ISSUES_PATH, seconds=3, apply=True)

    outcome = run(fake_github, timeout=1)

    [issue] = fake_github.issues(REPO)
    assert (outcome.action, outcome.number) == ("created", issue.number)
    assert [r.method for r in fake_github.writes()] == ["POST"]


def test_create_failing_twice_is_one_clear_error(fake_github):
    fake_github.fail_next("POST", ISSUES_PATH, 503, times=2)

    with pytest.raises(
        IssueError, match=r"^GitHub answered 503 while creating the issue in octo/repo: Service Unavailable$"
    ):
        run(fake_github)
    assert fake_github.issues(REPO) == []


def test_reads_are_retried_by_the_transport(fake_github):
    fake_github.fail_next("GET", ISSUES_PATH, 502)

    assert run(fake_github).action == "created"
    assert [r.status for r in fake_github.requests if r.path == ISSUES_PATH and r.method == "GET"][:2] == [502, 200]


# -- errors: one line each, never a traceback ------------------------------------------------------------


def test_read_only_token_names_the_missing_permission(fake_github):
    fake_github.add_token("ghs_readonly", write=False)
    gh = connect("ghs_readonly", fake_github.api_url, request_interval=0, write_interval=0)

    with pytest.raises(IssueError) as caught:
        sync_issue(gh, IssueSettings(REPO), in_sync=False, body=REPORT, close_comment=CLOSE)
    gh.close()

    assert str(caught.value) == (
        "GitHub refused to write issues in octo/repo (403 Resource not accessible by integration): "
        "give the workflow `permissions: issues: write`"
    )


def test_secondary_rate_limit_waits_retry_after_then_succeeds(fake_github):
    fake_github.rate_limit_next("POST", ISSUES_PATH, retry_after=1)

    started = time.monotonic()
    outcome = run(fake_github)

    assert outcome.action == "created" and len(fake_github.issues(REPO)) == 1
    assert [r.status for r in fake_github.writes()] == [403, 201]
    assert time.monotonic() - started >= 1.0


def test_rate_limit_twice_is_a_clear_error(fake_github):
    fake_github.rate_limit_next("GET", ISSUES_PATH, retry_after=1, times=2)

    with pytest.raises(
        IssueError,
        match=r"^GitHub's rate limit stopped listing issues in octo/repo \(403 You have exceeded a secondary",
    ):
        run(fake_github)


def test_rate_limit_asking_too_long_is_not_waited_for(fake_github):
    fake_github.rate_limit_next("POST", ISSUES_PATH, retry_after=600)

    started = time.monotonic()
    with pytest.raises(IssueError, match="asks to wait 600 s"):
        run(fake_github)
    assert time.monotonic() - started < 10


def test_bad_token_is_reported_as_bad_credentials(fake_github):
    gh = connect("ghs_wrong", fake_github.api_url, request_interval=0, write_interval=0)

    with pytest.raises(
        IssueError, match=r"^GitHub rejected the token \(401 Bad credentials\) while reading the repository"
    ):
        sync_issue(gh, IssueSettings(REPO), in_sync=False, body=REPORT, close_comment=CLOSE)
    gh.close()


@pytest.mark.parametrize("private", [False, True])
def test_missing_or_hidden_repository_says_token_needs_access(fake_github, private):
    if private:
        fake_github.add_repo("other/secret", private=True)
        fake_github.add_token("ghs_scoped", repos=[REPO])
    gh = connect("ghs_scoped" if private else fake_github.token, fake_github.api_url, request_interval=0)

    with pytest.raises(IssueError) as caught:
        sync_issue(gh, IssueSettings("other/secret"), in_sync=False, body=REPORT, close_comment=CLOSE)
    gh.close()

    assert str(caught.value).startswith("repository other/secret was not found, or the token has no access to it (404")
    assert "issue-repository" in str(caught.value)


def test_disabled_issues_are_reported(fake_github):
    fake_github.add_repo("octo/noissues", has_issues=False)

    with pytest.raises(
        IssueError, match=r"^issues are disabled in octo/noissues \(410 Issues are disabled for this repo\)"
    ):
        run(fake_github, repository="octo/noissues")


def test_validation_failure_quotes_githubs_reason(fake_github):
    with pytest.raises(IssueError) as caught:
        run(fake_github, title="x" * 300)

    assert str(caught.value) == (
        "GitHub refused creating the issue in octo/repo: validation failed: "
        "Validation Failed; title is too long (maximum is 256 characters)"
    )


def test_injected_422_is_reported_the_same_way(fake_github):
    seed(fake_github, "old")
    fake_github.fail_next("PATCH", f"{ISSUES_PATH}/*", 422)

    with pytest.raises(
        IssueError, match=r"updating issue #1 in octo/repo: validation failed: Validation Failed; body is too long"
    ):
        run(fake_github)


def test_timeout_on_a_read_is_a_clear_error(fake_github):
    fake_github.timeout_next("GET", f"/repos/{REPO}", seconds=4, times=3)

    with pytest.raises(
        IssueError,
        match=r"^GitHub at http://127\.0\.0\.1:\d+ did not answer in time while reading the repository in octo/repo$",
    ):
        run(fake_github, timeout=1)


def test_unreachable_api_is_a_clear_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends: nothing listens there
    gh = connect("ghs_x", f"http://127.0.0.1:{port}", request_interval=0)

    with pytest.raises(
        IssueError,
        match=r"^could not reach GitHub at http://127\.0\.0\.1:\d+ while reading the repository in octo/repo: "
        r"\[Errno 111\] Connection refused",
    ):
        sync_issue(gh, IssueSettings(REPO), in_sync=False, body=REPORT, close_comment=CLOSE)
    gh.close()


@pytest.mark.parametrize("repository", ["", "octo", "octo/repo/extra", "--upload-pack=x/y z", "octo/..", "../x"])
def test_malformed_repository_is_refused_before_any_request(fake_github, repository):
    with pytest.raises(IssueError, match="is not of the form owner/name"):
        run(fake_github, repository=repository)
    assert fake_github.requests == []


@pytest.mark.parametrize("api_url", ["not-a-url", "ftp://example.invalid", "http://"])
def test_unusable_api_url_is_refused(api_url):
    with pytest.raises(IssueError, match="is not an http\\(s\\) URL"):
        connect("ghs_x", api_url)


def test_empty_token_is_refused():
    with pytest.raises(IssueError, match="no GitHub token"):
        connect("")


def test_the_token_never_reaches_the_logs(fake_github, caplog):
    caplog.set_level(logging.DEBUG)
    fake_github.rate_limit_next("POST", ISSUES_PATH, retry_after=1)

    run(fake_github)

    assert "requests" in caplog.text or "github" in caplog.text.lower()  # logging was on and captured something
    assert fake_github.token not in caplog.text


# -- scale, layout, size ---------------------------------------------------------------------------------


def test_our_issue_on_the_second_page_is_found(fake_github):
    ours = seed(fake_github)  # oldest: listed last, newest first
    for n in range(150):
        fake_github.add_issue(REPO, f"unrelated {n}", f"body {n}", labels=[DEFAULT_LABEL])

    outcome = run(fake_github, body=NEW_REPORT)

    assert (outcome.action, outcome.number) == ("updated", ours)
    pages = [r.query.get("page", "1") for r in fake_github.requests if r.path == ISSUES_PATH and r.method == "GET"]
    assert pages == ["1", "2"]
    assert len(fake_github.issues(REPO)) == 151


def test_github_enterprise_api_v3_layout(fake_github_factory):
    fake = fake_github_factory(base_path="/api/v3")
    assert fake.api_url.endswith("/api/v3")

    created = run(fake)
    updated = run(fake, body=NEW_REPORT)
    closed = run(fake, in_sync=True)

    assert [created.action, updated.action, closed.action] == ["created", "updated", "closed"]
    assert created.url == f"{fake.web_url}/{REPO}/issues/1"
    assert fake.issue(REPO, 1).state == "closed"  # every request stayed under /api/v3 (else: a violation)


def test_long_report_is_cut_at_a_line_with_the_marker_kept(fake_github):
    lines = [f"- `package-{n:05d}` imported in module_{n}.py:{n}" for n in range(3000)]
    report = "\n".join(lines)
    assert len(report) > MAX_ISSUE_BODY

    run(fake_github, body=report)

    [issue] = fake_github.issues(REPO)
    assert issue.body is not None and len(issue.body) <= MAX_ISSUE_BODY
    assert issue.body.startswith(MARKER + "\n") and issue.body.count(MARKER) == 1
    kept, note = issue.body.split("\n\n---\n")
    assert "full report is in the workflow run summary" in note
    assert kept.split("\n")[1:] == lines[: len(kept.split("\n")) - 1]  # whole lines only
    assert len(kept) > MAX_ISSUE_BODY - 500  # and as much as fits


def test_short_body_gets_exactly_one_marker_first():
    assert fit_body("report\n") == f"{MARKER}\nreport"
    assert fit_body(f"report\n{MARKER}\n") == f"{MARKER}\nreport"
    assert len(fit_body("x" * (MAX_ISSUE_BODY + 10))) <= MAX_ISSUE_BODY  # one huge line: hard cut


@pytest.mark.parametrize(
    "broken",
    [[{"number": "not a number", "body": MARKER}], {"not": "a list"}],
    ids=["bad-item", "object-not-list"],
)
def test_an_answer_pygithub_cannot_digest_is_still_one_line(fake_github, broken):
    fake_github.tamper_next("GET", ISSUES_PATH, lambda body: broken)

    with pytest.raises(IssueError) as caught:
        run(fake_github)

    assert fake_github.take_violations()  # the fake saw the broken answer as a breach of GitHub's contract
    message = str(caught.value)
    assert "octo/repo" in message and "\n" not in message and "Traceback" not in message
