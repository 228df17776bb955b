"""The GitHub Action front door: runner environment in; summary, annotations, outputs and one issue out.

Order matters: the report reaches the job summary and the step outputs before the issue is touched, so a
token without `issues: write` still leaves the user with the whole result and one clear error line.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Mapping
from typing import Literal
from urllib.parse import urlsplit

from actions_toolkit import core

from pipreqs_action import issue as issue_module
from pipreqs_action import pipeline, render, runner, source, workflow_annotations
from pipreqs_action.errors import IssueError, PipreqsActionError, SettingsError
from pipreqs_action.model import Report
from pipreqs_action.settings import ActionSettings, engine_settings


def main(env: Mapping[str, str] | None = None) -> int:
    """Run one step; ``env`` (default ``os.environ``) is the whole runner environment, inputs included."""
    environ = os.environ if env is None else env
    get_input = runner.input_reader(environ)
    token = get_input("github-token")
    if token:  # first, before anything could echo it
        core.set_secret(token)
    with runner.logging_to_runner("pipreqs_action", debug=environ.get("RUNNER_DEBUG") == "1"):
        try:
            settings = ActionSettings.from_action_env(get_input, environ)
        except PipreqsActionError as error:
            core.error(str(error))
            return 1
        return _run(settings)


def _run(settings: ActionSettings) -> int:
    try:
        with _checkout(settings) as checkout:
            report, fail_on = _check(settings, checkout)
    except Exception as error:  # a strange repository must end in one line, never a traceback
        message = str(error) if isinstance(error, PipreqsActionError) else f"internal error: {error!r}"
        core.error(message)
        runner.append_summary(settings.summary_file, f"### :x: pipreqs-action could not run\n\n{message}\n")
        return 1
    links = _links(settings, checkout)
    runner.append_summary(settings.summary_file, render.to_markdown(report, links))
    if not settings.repository:
        _annotate(report, settings.path)
    outcome = _issue(settings, report, links, checkout.commit or settings.sha)
    runner.set_output(settings.output_file, "issue-number", str(outcome.number or "") if outcome else "")
    runner.set_output(settings.output_file, "issue-url", (outcome.url or "") if outcome else "")
    runner.log_untrusted(render.to_text(report))  # file names of the checked tree: no command may hide in them
    return 1 if outcome is False else pipeline.exit_status(report, fail_on)


@contextlib.contextmanager
def _checkout(settings: ActionSettings) -> Iterator[source.Checkout]:
    """The tree to check: the workspace, or a shallow clone of `repository` (the workflow's token only goes to
    the workflow's own GitHub host)."""
    if not settings.repository or settings.api_url:
        yield source.workspace(settings.workspace)
        return
    server = urlsplit(settings.server_url)  # the runner's own GitHub (GHES may be http, on any port)
    server_host = server.netloc.lower()
    http_hosts = frozenset({server.hostname or ""}) if server.scheme == "http" else frozenset()
    repo = source.parse_repository(settings.repository, server_url=settings.server_url, allow_http_hosts=http_hosts)
    if repo.url.startswith("http://") and repo.host.lower() != server_host:  # same host name, another port
        raise SettingsError(f"repository: http:// is refused for {repo.host}; use https")
    token = settings.token if repo.host.lower() == server_host else None
    api_url = settings.github_api_url if repo.host.lower() == server_host else None  # for the tarball, without git
    with source.clone(repo, settings.ref or None, token=token, api_url=api_url) as checkout:
        yield checkout


def _check(settings: ActionSettings, checkout: source.Checkout) -> tuple[Report, str]:
    """The report, and the fail-on that applies (the input, else the project's configuration, else never)."""
    engine = engine_settings(
        path=checkout.root / settings.path,
        requirements=[checkout.root / settings.path / item for item in settings.requirements],
        exclude=settings.exclude,
        mode=settings.mode,
        fail_on=settings.fail_on if settings.fail_on_given else None,
        index_url=settings.index_url,
        overrides=settings.overrides,
        ignore=settings.ignore,
        default_fail_on="never",
    )
    if settings.api_url:
        code_url = _code_url(settings)
        generated = source.fetch_requirements_from_api(settings.api_url, code_url)
        report = pipeline.run_inferred(engine, generated)
    else:
        report = pipeline.run(engine)
    data = render.as_dict(report)
    outputs = {
        "in-sync": "true" if report.in_sync else "false",
        "missing": json.dumps(data["missing"]),
        "unused": json.dumps(data["unused"]),
        "requirements": report.requirements,
        "report": json.dumps(data),
    }
    for name, value in outputs.items():
        runner.set_output(settings.output_file, name, value)
    return report, engine.fail_on


def _code_url(settings: ActionSettings) -> str:
    """What the pipreqs API is asked about: `repository` as given when it is a URL, else a repository here."""
    repository = settings.repository or settings.github_repository
    return repository if "://" in repository else f"{settings.server_url}/{repository}"


def _links(settings: ActionSettings, checkout: source.Checkout) -> render.Links | None:
    repository = checkout.repository or settings.github_repository
    commit = checkout.commit or settings.sha
    if not repository or not commit:
        return None
    return render.Links(_web_url(settings, checkout), repository, commit, prefix=settings.path)


def _web_url(settings: ActionSettings, checkout: source.Checkout) -> str:
    """Links go to the host the code came from: a `repository` URL names its own (clone checked it has no
    credentials), anything else lives on the runner's GitHub."""
    if checkout.repository and "://" in settings.repository:
        parts = urlsplit(settings.repository)
        return f"{parts.scheme}://{parts.netloc}"
    return settings.server_url


def _annotate(report: Report, path: str) -> None:
    """A warning at each importing line of a package missing at run time, in the runner's own format."""
    workflow_annotations.annotate_missing(report, path)


def _issue(
    settings: ActionSettings, report: Report, links: render.Links | None, commit: str
) -> issue_module.IssueOutcome | Literal[False] | None:
    """Sync the one tracking issue: its outcome, None when not asked, False (after one error line) if refused."""
    if not settings.wants_issue or (report.in_sync and not settings.close_when_fixed):
        return None
    try:
        gh = issue_module.connect(settings.token, settings.github_api_url)
        with contextlib.closing(gh):
            outcome = issue_module.sync_issue(
                gh,
                issue_module.IssueSettings(
                    repository=settings.issue_repository,
                    title=settings.issue_title,
                    labels=settings.issue_labels,
                    create=settings.create_issue,
                    close_when_fixed=settings.close_when_fixed,
                    dry_run=settings.dry_run,
                ),
                in_sync=report.in_sync,
                body=render.issue_body(report, links),
                close_comment=render.close_comment(commit),
            )
    except IssueError as error:
        core.error(str(error))
        return False
    number = f" #{outcome.number}" if outcome.number else ""
    core.info(f"tracking issue: {outcome.action}{number} {outcome.message}".rstrip())
    return outcome
