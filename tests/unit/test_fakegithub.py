"""The fake GitHub itself: it must refuse what GitHub refuses and speak the way GitHub speaks."""

from __future__ import annotations

import json
import re

import pytest
import requests
from tests.fakegithub import SPEC_PATH, FakeGitHub, load_validator
from tests.fakegithub.plugin import DEFAULT_REPO as REPO

ISSUES = f"/repos/{REPO}/issues"


def call(fake: FakeGitHub, method: str, path: str, *, token: str | None = "default", **kwargs) -> requests.Response:
    headers = {"Accept": "application/vnd.github+json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {fake.token if token == 'default' else token}"
    return requests.request(method, fake.api_url + path, headers=headers, timeout=10, **kwargs)


def links(response: requests.Response) -> dict[str, int]:
    """rel -> page number, from GitHub's Link header."""
    found = re.findall(r'<[^>]*[?&]page=(\d+)[^>]*>; rel="(\w+)"', response.headers.get("Link", ""))
    return {rel: int(page) for page, rel in found}


# -- the contract is enforced ----------------------------------------------------------------------------


def test_request_outside_the_spec_is_refused_and_recorded(fake_github):
    number = fake_github.add_issue(REPO, "t", "b")

    answer = call(fake_github, "PATCH", f"{ISSUES}/{number}", json={"state": "bogus"})

    assert answer.status_code == 422 and answer.json()["message"].startswith("Invalid request.")
    [violation] = fake_github.take_violations()
    assert violation.side == "request" and "'bogus' is not one of ['open', 'closed']" in violation.detail
    assert fake_github.issue(REPO, number).state == "open"  # nothing was applied


@pytest.mark.parametrize(("method", "path"), [("GET", "/repos/octo/repo/isues"), ("DELETE", f"{ISSUES}/1")])
def test_unknown_path_or_method_is_a_violation(fake_github, method, path):
    answer = call(fake_github, method, path)

    assert answer.status_code == 404
    assert any(v.side == "request" for v in fake_github.take_violations())


def test_missing_required_request_field_is_a_violation(fake_github):
    answer = call(fake_github, "POST", ISSUES, json={"body": "no title"})

    assert answer.status_code == 422
    assert any("'title' is a required property" in v.detail for v in fake_github.take_violations())
    assert fake_github.issues(REPO) == []


def test_response_missing_a_required_field_is_caught(fake_github):
    number = fake_github.add_issue(REPO, "t", "b")
    fake_github.tamper_next("GET", f"{ISSUES}/{number}", lambda body: {k: v for k, v in body.items() if k != "title"})

    call(fake_github, "GET", f"{ISSUES}/{number}")

    [violation] = fake_github.take_violations()
    assert violation.side == "response" and violation.status == 200
    assert "'title' is a required property" in violation.detail


def test_error_body_of_the_wrong_shape_is_caught(fake_github):
    fake_github.fail_next("POST", ISSUES, 422, errors=[{"field": "title"}])  # GitHub's errors[] always carry "code"
    call(fake_github, "POST", ISSUES, json={"title": "t"})

    [violation] = fake_github.take_violations()
    assert violation.side == "response" and "'code' is a required property" in violation.detail


def test_status_undocumented_for_the_operation_is_checked_against_githubs_shared_response(fake_github):
    # GET .../issues documents no 401; GitHub answers it on every endpoint with its basic-error body.
    fake_github.fail_next("GET", ISSUES, 401)
    assert call(fake_github, "GET", ISSUES).status_code == 401
    assert fake_github.violations == []

    fake_github.fail_next("GET", ISSUES, 401)
    fake_github.tamper_next("GET", ISSUES, lambda body: {**body, "message": 401})

    call(fake_github, "GET", ISSUES)

    [violation] = fake_github.take_violations()
    assert "requires_authentication" in violation.detail and "401 is not of type 'string'" in violation.detail


def test_status_github_never_sends_is_caught(fake_github):
    fake_github.fail_next("GET", f"/repos/{REPO}", 418, message="I'm a teapot")

    call(fake_github, "GET", f"/repos/{REPO}")

    [violation] = fake_github.take_violations()
    assert "418" in violation.detail


def test_description_is_githubs_and_loaded_once():
    first, again = load_validator(), load_validator()
    assert first is again
    assert SPEC_PATH.name == "api.github.com.json" and "@octokit/openapi" in str(SPEC_PATH)
    assert first.stats is not None and first.stats.paths > 500 and first.stats.size_bytes > 5_000_000
    assert first.server_url == "https://api.github.com"


# -- state, listing, pagination --------------------------------------------------------------------------


def test_pagination_follows_githubs_link_header(fake_github):
    for n in range(150):
        fake_github.add_issue(REPO, f"issue {n}")

    first = call(fake_github, "GET", ISSUES, params={"per_page": 50})
    middle = call(fake_github, "GET", ISSUES, params={"per_page": 50, "page": 2})
    last = call(fake_github, "GET", ISSUES, params={"per_page": 50, "page": 3})

    assert links(first) == {"next": 2, "last": 3}
    assert links(middle) == {"prev": 1, "next": 3, "last": 3, "first": 1}
    assert links(last) == {"prev": 2, "first": 1}
    numbers = [i["number"] for page in (first, middle, last) for i in page.json()]
    assert numbers == list(range(150, 0, -1))  # newest first, each once
    assert "per_page=50" in first.headers["Link"]


def test_list_filters_state_labels_and_includes_pull_requests(fake_github):
    bug = fake_github.add_issue(REPO, "bug", labels=["bug"])
    closed = fake_github.add_issue(REPO, "done", labels=["bug"], state="closed")
    pr = fake_github.add_issue(REPO, "pr", pull_request=True)

    def numbers(**params):
        return sorted(i["number"] for i in call(fake_github, "GET", ISSUES, params=params).json())

    assert numbers() == [bug, pr]  # default: open, pull requests included
    assert numbers(state="all", labels="BUG") == [bug, closed]
    assert numbers(state="closed") == [closed]
    listed_pr = next(i for i in call(fake_github, "GET", ISSUES).json() if i["number"] == pr)
    assert listed_pr["pull_request"]["html_url"].endswith(f"/pull/{pr}")


def test_create_makes_missing_labels_and_answers_201_with_location(fake_github):
    answer = call(fake_github, "POST", ISSUES, json={"title": "t", "body": "b", "labels": ["new-label"]})

    assert answer.status_code == 201 and answer.headers["Location"] == answer.json()["url"]
    assert call(fake_github, "GET", f"/repos/{REPO}/labels/new-label").json()["color"] == "ededed"
    assert [x["name"] for x in answer.json()["labels"]] == ["new-label"]


def test_close_and_reopen_record_githubs_fields(fake_github):
    number = fake_github.add_issue(REPO, "t", "b")

    closed = call(
        fake_github, "PATCH", f"{ISSUES}/{number}", json={"state": "closed", "state_reason": "not_planned"}
    ).json()
    reopened = call(fake_github, "PATCH", f"{ISSUES}/{number}", json={"state": "open"}).json()

    assert (closed["state"], closed["state_reason"], closed["closed_by"]["login"]) == (
        "closed",
        "not_planned",
        "github-actions[bot]",
    )
    assert closed["closed_at"] is not None
    assert (reopened["state"], reopened["state_reason"], reopened["closed_at"]) == ("open", "reopened", None)


def test_comments_count_and_list(fake_github):
    number = fake_github.add_issue(REPO, "t", "b")

    call(fake_github, "POST", f"{ISSUES}/{number}/comments", json={"body": "one"})
    call(fake_github, "POST", f"{ISSUES}/{number}/comments", json={"body": "two"})

    assert [c["body"] for c in call(fake_github, "GET", f"{ISSUES}/{number}/comments").json()] == ["one", "two"]
    assert call(fake_github, "GET", f"{ISSUES}/{number}").json()["comments"] == 2


def test_body_over_githubs_limit_is_refused_like_github(fake_github):
    answer = call(fake_github, "POST", ISSUES, json={"title": "t", "body": "x" * 65_537})

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["message"] == "body is too long (maximum is 65536 characters)"


# -- who may do what -------------------------------------------------------------------------------------


def test_authentication_rules(fake_github):
    assert call(fake_github, "GET", f"/repos/{REPO}", token=None).status_code == 200  # public read
    anonymous_write = call(fake_github, "POST", ISSUES, token=None, json={"title": "t"})
    bad = call(fake_github, "GET", f"/repos/{REPO}", token="ghs_nope")

    assert (anonymous_write.status_code, anonymous_write.json()["message"]) == (401, "Requires authentication")
    assert bad.status_code == 401
    assert bad.json() == {
        "message": "Bad credentials",
        "documentation_url": "https://docs.github.com/rest",
        "status": "401",
    }
    legacy = requests.get(
        fake_github.api_url + f"/repos/{REPO}", headers={"Authorization": f"token {fake_github.token}"}, timeout=10
    )
    assert legacy.status_code == 200


def test_read_only_token_gets_githubs_403(fake_github):
    fake_github.add_token("ghs_ro", write=False)

    answer = call(fake_github, "POST", ISSUES, token="ghs_ro", json={"title": "t"})

    assert answer.status_code == 403
    assert answer.json() == {
        "message": "Resource not accessible by integration",
        "documentation_url": "https://docs.github.com/rest/issues/issues#create-an-issue",
        "status": "403",
    }
    assert call(fake_github, "GET", ISSUES, token="ghs_ro").status_code == 200


@pytest.mark.parametrize("kind", ["comment on a pull request", "edit a comment", "edit an issue"])
def test_every_write_of_a_read_only_token_is_refused_with_githubs_body(fake_github, kind):
    """A fork's or Dependabot's pull request run: reads work, every write is GitHub's 403."""
    fake_github.add_token("ghs_ro", write=False)
    pull = fake_github.add_issue(REPO, "Bump", "", pull_request=True)
    made = call(fake_github, "POST", f"{ISSUES}/{pull}/comments", json={"body": "first"}).json()
    method, path, docs = {
        "comment on a pull request": ("POST", f"{ISSUES}/{pull}/comments", "issues/comments#create-an-issue-comment"),
        "edit a comment": ("PATCH", f"{ISSUES}/comments/{made['id']}", "issues/comments#update-an-issue-comment"),
        "edit an issue": ("PATCH", f"{ISSUES}/{pull}", "issues/issues#update-an-issue"),
    }[kind]

    answer = call(fake_github, method, path, token="ghs_ro", json={"body": "changed"})

    assert answer.status_code == 403
    assert answer.json() == {
        "message": "Resource not accessible by integration",
        "documentation_url": f"https://docs.github.com/rest/{docs}",
        "status": "403",
    }
    assert call(fake_github, "GET", f"{ISSUES}/comments/{made['id']}", token="ghs_ro").json()["body"] == "first"


def test_a_comment_is_edited_in_place(fake_github):
    number = fake_github.add_issue(REPO, "t", "b")
    made = call(fake_github, "POST", f"{ISSUES}/{number}/comments", json={"body": "one"}).json()

    edited = call(fake_github, "PATCH", f"{ISSUES}/comments/{made['id']}", json={"body": "two"})

    assert edited.status_code == 200 and edited.json()["id"] == made["id"] and edited.json()["body"] == "two"
    assert [c.body for c in fake_github.comments(REPO, number)] == ["two"]
    assert call(fake_github, "PATCH", f"{ISSUES}/comments/999999", json={"body": "x"}).status_code == 404


def test_issues_can_be_listed_by_creator(fake_github):
    fake_github.add_issue(REPO, "mine", "", user="github-actions[bot]")
    fake_github.add_issue(REPO, "theirs", "", user="octocat")

    answer = call(fake_github, "GET", ISSUES, params={"creator": "github-actions[bot]"})

    assert [item["title"] for item in answer.json()] == ["mine"]


def test_private_repository_is_404_for_a_token_without_access(fake_github):
    fake_github.add_repo("octo/private", private=True)
    fake_github.add_token("ghs_other", repos=[REPO])

    assert call(fake_github, "GET", "/repos/octo/private", token="ghs_other").status_code == 404
    assert call(fake_github, "GET", "/repos/octo/private", token=None).status_code == 404
    assert call(fake_github, "GET", "/repos/octo/private").json()["private"] is True


def test_issues_disabled_is_410(fake_github):
    fake_github.add_repo("octo/quiet", has_issues=False)

    answer = call(fake_github, "GET", "/repos/octo/quiet/issues")

    assert (answer.status_code, answer.json()["message"]) == (410, "Issues are disabled for this repo")


# -- faults ----------------------------------------------------------------------------------------------


def test_secondary_rate_limit_looks_like_githubs(fake_github):
    fake_github.rate_limit_next("POST", ISSUES, retry_after=7)

    limited = call(fake_github, "POST", ISSUES, json={"title": "t"})
    after = call(fake_github, "POST", ISSUES, json={"title": "t"})

    assert limited.status_code == 403 and limited.headers["Retry-After"] == "7"
    assert limited.json()["message"].startswith("You have exceeded a secondary rate limit")
    assert after.status_code == 201 and len(fake_github.issues(REPO)) == 1  # the limited one was not performed


@pytest.mark.parametrize(("apply", "made"), [(True, 1), (False, 0)])
def test_fault_apply_decides_whether_github_made_it(fake_github, apply, made):
    fake_github.fail_next("POST", ISSUES, 502, apply=apply)

    answer = call(fake_github, "POST", ISSUES, json={"title": "t"})

    assert answer.status_code == 502 and answer.json()["message"] == "Server Error"
    assert len(fake_github.issues(REPO)) == made


def test_timeout_fault_outlasts_the_client_but_applies(fake_github):
    fake_github.timeout_next("POST", ISSUES, seconds=2)

    with pytest.raises(requests.Timeout):
        requests.post(
            fake_github.api_url + ISSUES,
            json={"title": "t"},
            headers={"Authorization": f"token {fake_github.token}"},
            timeout=0.5,
        )

    assert len(fake_github.issues(REPO)) == 1
    assert [r.method for r in fake_github.requests] == ["POST"]


def test_faults_count_down(fake_github):
    fake_github.fail_next("GET", f"/repos/{REPO}", 503, times=2)

    statuses = [call(fake_github, "GET", f"/repos/{REPO}").status_code for _ in range(3)]

    assert statuses == [503, 503, 200]
    assert [r.status for r in fake_github.requests] == statuses


def test_request_log_keeps_method_path_query_and_body(fake_github):
    call(fake_github, "GET", ISSUES, params={"state": "all", "labels": "dependencies"})
    call(fake_github, "POST", ISSUES, json={"title": "t", "body": "b"})

    get, post = fake_github.requests
    assert (get.method, get.path, get.query, get.body) == (
        "GET",
        ISSUES,
        {"state": "all", "labels": "dependencies"},
        None,
    )
    assert (post.method, post.body, post.status) == ("POST", {"title": "t", "body": "b"}, 201)
    assert fake_github.writes() == [post]


def test_repository_body_is_complete_and_points_at_the_fake(fake_github_factory):
    fake = fake_github_factory(base_path="/api/v3")

    repo = call(fake, "GET", f"/repos/{REPO}").json()

    assert repo["url"] == f"{fake.api_url}/repos/{REPO}" and repo["full_name"] == REPO
    assert repo["issues_url"] == f"{fake.api_url}/repos/{REPO}/issues{{/number}}"
    assert json.dumps(repo).count("Hello-World") == 0
    outside = requests.get(f"{fake.web_url}/repos/{REPO}", timeout=10)  # not under /api/v3
    assert outside.status_code == 404
    assert any("outside the API root" in v.detail for v in fake.take_violations())
