"""JSON bodies the fake sends, shaped like GitHub's: what the fake knows, completed from the description.

Every body goes through ``SpecValidator.fill`` (required fields the fake has no state for) and, on the way
out, through the response check, so a body missing a field GitHub always sends fails the test.
"""

from __future__ import annotations

import base64
import re
import urllib.parse
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .spec import SpecValidator
from .state import Comment, Issue, Label, Repo, Token

_EXAMPLE_REPO_API = re.compile(r"^https?://api\.github\.com/repos/octocat/Hello-World")


@dataclass(frozen=True, slots=True)
class Urls:
    """Where this fake lives: the REST root (``.../api/v3`` on GHES) and the web root for html_url."""

    api: str
    web: str

    def repo_api(self, repo: Repo) -> str:
        return f"{self.api}/repos/{repo.full_name}"

    def repo_web(self, repo: Repo) -> str:
        return f"{self.web}/{repo.full_name}"


def timestamp(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def node_id(kind: str, ident: int) -> str:
    return kind + "_" + base64.b64encode(f"fake:{kind}:{ident}".encode()).decode().rstrip("=")


def user(spec: SpecValidator, urls: Urls, login: str) -> dict[str, Any]:
    ident = sum(ord(c) for c in login) + 10_000  # stable per login
    api = f"{urls.api}/users/{login}"
    known = {
        "login": login,
        "id": ident,
        "node_id": node_id("U", ident),
        "avatar_url": f"{urls.web}/avatars/{login}",
        "gravatar_id": "",
        "url": api,
        "html_url": f"{urls.web}/{login}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": "Bot" if login.endswith("[bot]") else "User",
        "user_view_type": "public",
        "site_admin": False,
    }
    return spec.fill("simple-user", known)


def label(spec: SpecValidator, urls: Urls, repo: Repo, item: Label) -> dict[str, Any]:
    known = {
        "id": item.id,
        "node_id": node_id("LA", item.id),
        "url": f"{urls.repo_api(repo)}/labels/{urllib.parse.quote(item.name)}",
        "name": item.name,
        "description": item.description,
        "color": item.color,
        "default": item.default,
    }
    return spec.fill("label", known)


def issue(spec: SpecValidator, urls: Urls, repo: Repo, item: Issue) -> dict[str, Any]:
    api = f"{urls.repo_api(repo)}/issues/{item.number}"
    kind = "pull" if item.pull_request else "issues"
    known: dict[str, Any] = {
        "id": item.id,
        "node_id": node_id("PR" if item.pull_request else "I", item.id),
        "url": api,
        "repository_url": urls.repo_api(repo),
        "labels_url": f"{api}/labels{{/name}}",
        "comments_url": f"{api}/comments",
        "events_url": f"{api}/events",
        "html_url": f"{urls.repo_web(repo)}/{kind}/{item.number}",
        "timeline_url": f"{api}/timeline",
        "number": item.number,
        "state": item.state,
        "title": item.title,
        "body": item.body,
        "user": user(spec, urls, item.user),
        "labels": [label(spec, urls, repo, repo.labels[name.lower()]) for name in item.labels],
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "locked": item.locked,
        "active_lock_reason": None,
        "comments": item.comments,
        "closed_at": timestamp(item.closed_at),
        "closed_by": user(spec, urls, item.closed_by) if item.closed_by else None,
        "created_at": timestamp(item.created_at),
        "updated_at": timestamp(item.updated_at),
        "author_association": "OWNER" if item.user == repo.owner else "CONTRIBUTOR",
        "reactions": _reactions(f"{api}/reactions"),
        "performed_via_github_app": None,
    }
    if item.state_reason is not None:
        # GitHub sends null for open issues, but the description's nullable enum lacks null: leave it out then.
        known["state_reason"] = item.state_reason
    if item.pull_request:
        pulls = f"{urls.repo_api(repo)}/pulls/{item.number}"
        web = f"{urls.repo_web(repo)}/pull/{item.number}"
        known["pull_request"] = {
            "url": pulls,
            "html_url": web,
            "diff_url": f"{web}.diff",
            "patch_url": f"{web}.patch",
            "merged_at": None,
        }
    return spec.fill("issue", known)


def comment(spec: SpecValidator, urls: Urls, repo: Repo, item: Comment) -> dict[str, Any]:
    known = {
        "id": item.id,
        "node_id": node_id("IC", item.id),
        "url": f"{urls.repo_api(repo)}/issues/comments/{item.id}",
        "html_url": f"{urls.repo_web(repo)}/issues/{item.issue_number}#issuecomment-{item.id}",
        "issue_url": f"{urls.repo_api(repo)}/issues/{item.issue_number}",
        "body": item.body,
        "user": user(spec, urls, item.user),
        "created_at": timestamp(item.created_at),
        "updated_at": timestamp(item.updated_at),
        "author_association": "CONTRIBUTOR",
        "reactions": _reactions(f"{urls.repo_api(repo)}/issues/comments/{item.id}/reactions"),
        "performed_via_github_app": None,
    }
    return spec.fill("issue-comment", known)


def repository(spec: SpecValidator, urls: Urls, repo: Repo, token: Token | None) -> dict[str, Any]:
    api, web = urls.repo_api(repo), urls.repo_web(repo)
    open_count = sum(1 for i in repo.issues.values() if i.state == "open")
    push = token is not None and token.write and token.reaches(repo)
    known: dict[str, Any] = {
        "id": repo.id,
        "node_id": node_id("R", repo.id),
        "name": repo.name,
        "full_name": repo.full_name,
        "owner": user(spec, urls, repo.owner),
        "private": repo.private,
        "visibility": "private" if repo.private else "public",
        "html_url": web,
        "url": api,
        "description": None,
        "fork": False,
        "clone_url": f"{web}.git",
        "git_url": f"{web}.git".replace("http://", "git://").replace("https://", "git://"),
        "ssh_url": f"git@fake.invalid:{repo.full_name}.git",
        "svn_url": web,
        "mirror_url": None,
        "homepage": None,
        "language": "Python",
        "default_branch": repo.default_branch,
        "has_issues": repo.has_issues,
        "open_issues": open_count,
        "open_issues_count": open_count,
        "created_at": timestamp(repo.created_at),
        "updated_at": timestamp(repo.created_at),
        "pushed_at": timestamp(repo.created_at),
        "permissions": {"admin": False, "maintain": False, "push": push, "triage": push, "pull": True},
    }
    body = spec.fill("full-repository", known)
    for key, value in body.items():  # the description's example URLs -> this repository's URLs
        if key.endswith("_url") and isinstance(value, str):
            body[key] = _EXAMPLE_REPO_API.sub(api, value)
    return body


def error(
    message: str, documentation_url: str, status: int, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """GitHub's error body: message, documentation_url, status as a string, errors[] on 422."""
    body: dict[str, Any] = {"message": message, "documentation_url": documentation_url, "status": str(status)}
    if errors is not None:
        body["errors"] = errors
    return body


def _reactions(url: str) -> dict[str, Any]:
    counts = dict.fromkeys(["+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket"], 0)
    return {"url": url, "total_count": 0, **counts}
