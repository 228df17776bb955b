"""The GitHub Action front door: runner environment in; summary, annotations, outputs and one issue out.

Order matters: the report reaches the log, the job summary and the step outputs before GitHub is written to, so
a token without `issues: write` still leaves the user with the whole result and one clear line. Only runs on the
default branch (push, schedule, dispatch) touch the issue; every other event only reports (see ``trigger``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from actions_toolkit import core

from pipreqs_action import limits, pipeline, render
from pipreqs_action.errors import IssueError, NoPythonFiles, PipreqsActionError, SettingsError, SourceError
from pipreqs_action.github import issue as issue_module
from pipreqs_action.github import pr_base, runner, trigger, workflow_annotations
from pipreqs_action.github.action_settings import ActionSettings
from pipreqs_action.model import Location, Report
from pipreqs_action.settings import Settings, engine_settings
from pipreqs_action.sources import cleanup, source

_READ_ONLY = (
    "this run's token is read-only by GitHub's design (pull requests from forks and runs Dependabot triggers "
    "never get write access, whatever `permissions:` says)"
)
_SUMMARY_CUT = "_The summary was cut to fit GitHub's 1 MiB limit for a step summary; the `report` output has more._"
_OUTPUT_CUT = "the report was cut to fit GitHub's 1 MB limit for outputs: {what} left out"
_MAX_UNANNOTATED = 500  # importing lines listed in the summary beyond the annotations
_CLONE_SECONDS = 600.0  # what a run spends besides the check: the clone (120 s at most), the issue calls


def main(env: Mapping[str, str] | None = None, *, own_process: bool = False) -> int:
    """Run one step; ``env`` (default ``os.environ``) is the whole runner environment, inputs included.

    ``own_process``: the step's own process (entrypoint.py), which runs one check: its memory is capped and a
    watchdog ends it, with an error saying so, should the check outlive its timeout."""
    environ = os.environ if env is None else env
    get_input = runner.input_reader(environ)
    for secret in {get_input("github-token"), get_input("repository-token")} - {""}:
        core.set_secret(secret)  # first, before anything could echo it
    with runner.logging_to_runner("pipreqs_action", debug=environ.get("RUNNER_DEBUG") == "1"):
        try:
            settings = ActionSettings.from_action_env(get_input, environ)
        except PipreqsActionError as error:
            core.error(str(error))
            return 1
        if own_process:
            cleanup.install_signal_handlers()  # a cancelled job (SIGTERM) still removes its clone
            limits.cap_process_memory(settings.limits.memory_mb)
            with limits.stop_process_after(settings.limits.seconds + _CLONE_SECONDS, prefix="::error::"):
                return _run(settings)
        return _run(settings)


def _run(settings: ActionSettings) -> int:
    event = trigger.classify(
        settings.event_name,
        settings.event,
        settings.github_ref,
        issue_branch=settings.issue_branch,
        actor=settings.actor,
    )
    try:
        with _checkout(settings) as checkout:
            report, fail_on = _check(settings, checkout)
            prefix = _repository_prefix(settings, checkout)
    except Exception as error:  # a strange repository must end in one line, never a traceback
        message = str(error) if isinstance(error, PipreqsActionError) else f"internal error: {error!r}"
        core.error(message)
        runner.append_summary(settings.summary_file, f"### :x: pipreqs-action could not run\n\n{message}\n")
        return 1
    links = _links(settings, checkout, prefix)
    issue_settings = _issue_settings(settings, checkout)
    new, compared = _new_in_pull_request(settings, event, report, issue_settings)
    core.info(_verdict(report, new))
    if compared:
        core.info(compared)
    unannotated = workflow_annotations.annotate(report, prefix, new) if not settings.repository else ()
    summary = render.to_markdown(report, links, new) + _unannotated_section(unannotated, links)
    runner.append_summary(settings.summary_file, runner.fit_text(summary, runner.MAX_SUMMARY_BYTES, _SUMMARY_CUT))
    _set_outputs(settings, report)
    with runner.group("Report"):  # the details under the verdict, which the log's first line already said
        text = render.to_text(report).removeprefix(render.headline(report)).lstrip("\n")
        runner.log_untrusted(text)  # file names of the checked tree: no command may hide in them
    outcome = _issue(settings, event, report, links, checkout.commit or settings.sha, issue_settings)
    if settings.pr_comment and event.pull_request is not None:
        _pr_comment(settings, event, issue_settings, render.to_markdown(report, links, new))
    runner.set_output(settings.output_file, "issue-number", str(outcome.number or "") if outcome else "")
    runner.set_output(settings.output_file, "issue-url", (outcome.url or "") if outcome else "")
    return 1 if outcome is False else pipeline.exit_status(report, fail_on)


@contextlib.contextmanager
def _checkout(settings: ActionSettings) -> Iterator[source.Checkout]:
    """The tree to check: the workspace, or a shallow clone of `repository` (a token only goes to the workflow's
    own GitHub host)."""
    if not settings.repository or settings.api_url:
        yield source.workspace(settings.workspace)
        return
    server = urlsplit(settings.server_url)  # the runner's own GitHub (GHES may be http, on any port)
    server_host = server.netloc.lower()
    http_hosts = frozenset({server.hostname or ""}) if server.scheme == "http" else frozenset()
    repo = source.parse_repository(settings.repository, server_url=settings.server_url, allow_http_hosts=http_hosts)
    if repo.url.startswith("http://") and repo.host.lower() != server_host:  # same host name, another port
        raise SettingsError(f"repository: http:// is refused for {repo.host}; use https")
    token = (settings.repository_token or settings.token) if repo.host.lower() == server_host else None
    api_url = settings.github_api_url if repo.host.lower() == server_host else None  # for the tarball, without git
    try:
        with source.clone(repo, settings.ref or None, token=token, api_url=api_url) as checkout:
            yield checkout
    except SourceError as error:
        raise SourceError(f"{error}{_reach_hint(settings, repo.slug, str(error))}") from None


def _reach_hint(settings: ActionSettings, slug: str, message: str) -> str:
    """The real cause of most "not found" clones: the workflow's token reaches only the workflow's repository."""
    if "not accessible" not in message or slug.lower() == settings.github_repository.lower():
        return ""
    return (
        f". The workflow's GITHUB_TOKEN can read only {settings.github_repository}: if {slug} is private, pass a "
        "token that can read it (a fine-grained token with contents: read) as `repository-token`"
    )


def _check(settings: ActionSettings, checkout: source.Checkout) -> tuple[Report, str]:
    """The report, and the fail-on that applies (the input, else the project's configuration, else never)."""
    engine = _engine(settings, checkout.root)
    if settings.api_url:
        generated = source.fetch_requirements_from_api(settings.api_url, _code_url(settings))
        return pipeline.run_inferred(engine, generated), engine.fail_on
    try:
        report = pipeline.run(engine)
    except NoPythonFiles:  # "in sync" here would close a real issue: say what is most likely wrong, in input terms
        hint = "is `path` right?" if settings.repository else "did the job run actions/checkout?"
        raise NoPythonFiles(f"no Python files under path '{settings.path}': {hint}") from None
    return report, engine.fail_on


def _engine(settings: ActionSettings, root: Path, *, offline: bool = False) -> Settings:
    """The engine's settings for the tree at ``root`` (the checkout, or a pull request's base commit); a ``path``
    whose real path leaves ``root`` (a checked-in symlink) is refused."""
    base = source.within_workspace(root, settings.path)
    return engine_settings(
        path=base,
        requirements=[base / item for item in settings.requirements],
        exclude=settings.exclude,
        mode=settings.mode,
        fail_on=settings.fail_on if settings.fail_on_given else None,
        index_url=settings.index_url,
        offline=offline,
        overrides=settings.overrides,
        ignore=settings.ignore,
        default_fail_on="never",
        limits=settings.limits,
    )


def _set_outputs(settings: ActionSettings, report: Report) -> None:
    data = _fit_report(render.as_dict(report))
    outputs = {
        "in-sync": "true" if report.in_sync else "false",
        "missing": json.dumps(data["missing"]),
        "unused": json.dumps(data["unused"]),
        "requirements": runner.fit_text(report.requirements, 100_000, "# cut to fit GitHub's limit for outputs"),
        "report": json.dumps(data),
    }
    for name, value in outputs.items():
        runner.set_output(settings.output_file, name, value)


def _fit_report(data: dict[str, Any]) -> dict[str, Any]:
    """The JSON report within GitHub's output limit (it is sent twice: `report`, and `missing` + `unused`):
    skipped files go first, then locations beyond five per package; a warning in the report says what went."""
    budget = (runner.MAX_OUTPUT_BYTES - 150_000) // 2
    if len(json.dumps(data).encode("utf-8")) <= budget:
        return data
    data = {**data, "warnings": [*data["warnings"], _OUTPUT_CUT.format(what=f"{len(data['skipped'])} skipped files")]}
    data["skipped"] = []
    if len(json.dumps(data).encode("utf-8")) <= budget:
        return data
    data["missing"] = [{**item, "locations": item["locations"][:5]} for item in data["missing"]]
    data["warnings"].append(_OUTPUT_CUT.format(what="importing lines beyond five per package"))
    while len(json.dumps(data).encode("utf-8")) > budget and data["unused"]:
        data["unused"] = data["unused"][: len(data["unused"]) // 2]
    return data


def _code_url(settings: ActionSettings) -> str:
    """What the pipreqs API is asked about: `repository` as given when it is a URL, else a repository here."""
    repository = settings.repository or settings.github_repository
    return repository if "://" in repository else f"{settings.server_url}/{repository}"


def _repository_prefix(settings: ActionSettings, checkout: source.Checkout) -> str:
    """Where the checked folder sits in its repository. actions/checkout with `path: sub` puts the repository in
    a subfolder of the workspace: annotations and links want paths from the repository's root, not the
    workspace's, so the nearest folder holding `.git` at or above the checked folder is that root."""
    if settings.repository:
        return settings.path
    folder = checkout.root / settings.path
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return Path(os.path.relpath(folder, candidate)).as_posix()
        if candidate == checkout.root:
            break
    return settings.path


def _links(settings: ActionSettings, checkout: source.Checkout, prefix: str) -> render.Links | None:
    repository = checkout.repository or settings.github_repository
    commit = checkout.commit or settings.sha
    if not repository or not commit:
        return None
    return render.Links(_web_url(settings, checkout), repository, commit, prefix=prefix)


def _web_url(settings: ActionSettings, checkout: source.Checkout) -> str:
    """Links go to the host the code came from: a `repository` URL names its own (clone checked it has no
    credentials), anything else lives on the runner's GitHub."""
    if checkout.repository and "://" in settings.repository:
        parts = urlsplit(settings.repository)
        return f"{parts.scheme}://{parts.netloc}"
    return settings.server_url


def _verdict(report: Report, new: frozenset[str]) -> str:
    """The log's first line: the result in one sentence (the details follow in a folded group)."""
    extra = f" ({len(new)} new in this pull request)" if new else ""
    return f"{render.headline(report).removesuffix('.')}{extra}."


def _unannotated_section(places: tuple[workflow_annotations.Place, ...], links: render.Links | None) -> str:
    """Importing lines beyond GitHub's annotation limit, so none is lost."""
    if not places:
        return ""
    shown = places[:_MAX_UNANNOTATED]
    rows = [f"- `{place.finding.package}`: {_place(place.location, links)}" for place in shown]
    if len(places) > _MAX_UNANNOTATED:
        rows.append(f"- and {len(places) - _MAX_UNANNOTATED} more (see the `report` output)")
    limit = workflow_annotations.MAX_WARNINGS
    head = f"<details><summary>{len(places)} more importing lines (GitHub shows {limit} annotations)"
    return "\n".join(["", f"{head}</summary>", "", *rows, "", "</details>", ""])


def _place(location: Location, links: render.Links | None) -> str:
    text = render.code_span(str(location))
    return f"[{text}]({links.line(location)})" if links else text


def _issue_settings(settings: ActionSettings, checkout: source.Checkout) -> issue_module.IssueSettings:
    checked = (checkout.repository or settings.repository or settings.github_repository).lower()
    key = issue_module.issue_key(settings.issue_key or "\0".join((checked, settings.path, *settings.requirements)))
    return issue_module.IssueSettings(
        repository=settings.issue_repository,
        title=settings.issue_title,
        labels=settings.issue_labels,
        create=settings.create_issue,
        close_when_fixed=settings.close_when_fixed,
        dry_run=settings.dry_run,
        key=key,
    )


def _new_in_pull_request(
    settings: ActionSettings, event: trigger.Trigger, report: Report, issue_settings: issue_module.IssueSettings
) -> tuple[frozenset[str], str]:
    """Packages a pull request makes missing: those not missing on its base commit already, else (the base could
    not be fetched cheaply) those the open tracking issue, the default branch's state, does not list. Only reads;
    returns them with a log line saying what they were compared with."""
    if event.pull_request is None or report.in_sync:
        return frozenset(), ""
    base = pr_base.base_commit(settings.event)
    known = _missing_on_base(settings, base) if base and not (settings.repository or settings.api_url) else None
    how = f"compared with its base commit {base[1][:12]}" if known is not None and base else ""
    if known is None:
        known, how = _listed_in_issue(settings, issue_settings)
    if known is None:
        return frozenset(), f"new packages not marked: {how}"
    new = frozenset(name for name in _missing_everywhere(report) if name.lower() not in known)
    return new, f"new in this pull request: {how}"


def _missing_everywhere(report: Report) -> tuple[str, ...]:
    """Packages missing at run time in the checked project and every project of its own below it, sorted."""
    found = {item.package for each in (report, *(p.report for p in report.projects)) for item in each.required_missing}
    return tuple(sorted(found, key=str.lower))


def _missing_on_base(settings: ActionSettings, base: tuple[str, str]) -> frozenset[str] | None:
    return pr_base.missing_on_base(
        *base,
        server_url=settings.server_url,
        api_url=settings.github_api_url,
        token=settings.token,
        engine=lambda root: _engine(settings, root, offline=True),
    )


def _listed_in_issue(
    settings: ActionSettings, issue_settings: issue_module.IssueSettings
) -> tuple[frozenset[str] | None, str]:
    if not settings.token:
        return None, "the base commit could not be read and there is no token to read the tracking issue"
    try:
        gh = issue_module.connect(settings.token, settings.github_api_url)
        with contextlib.closing(gh):
            known = frozenset(name.lower() for name in issue_module.known_missing(gh, issue_settings))
    except IssueError as error:
        return None, f"neither the base commit nor the tracking issue could be read ({error})"
    return known, "compared with the open tracking issue (the base commit could not be read)"


def _issue(
    settings: ActionSettings,
    event: trigger.Trigger,
    report: Report,
    links: render.Links | None,
    commit: str,
    issue_settings: issue_module.IssueSettings,
) -> issue_module.IssueOutcome | Literal[False] | None:
    """Sync the one tracking issue: its outcome, None when not asked or not this run's business, False (after one
    error line) if refused."""
    if not settings.wants_issue or (report.in_sync and not settings.close_when_fixed):
        return None
    if not event.syncs_issue:
        core.info(f"tracking issue left alone: {event.reason}")
        return None
    try:
        gh = issue_module.connect(settings.token, settings.github_api_url)
        with contextlib.closing(gh):
            outcome = issue_module.sync_issue(
                gh,
                issue_settings,
                in_sync=report.in_sync,
                body=render.issue_body(report, links),
                close_comment=render.close_comment(commit),
                missing=_missing_everywhere(report),
            )
    except issue_module.IssueRefused as error:  # the steering team's rule: a refusal warns, fail-on decides
        core.warning(f"tracking issue left alone: {_refusal(event, error)}")
        return None
    except IssueError as error:
        core.error(str(error))
        return False
    core.info(f"tracking issue: {outcome.message}")
    return outcome


def _pr_comment(
    settings: ActionSettings, event: trigger.Trigger, issue_settings: issue_module.IssueSettings, body: str
) -> None:
    """The opt-in comment on the pull request; a refusal is a warning, never a failed step."""
    assert event.pull_request is not None
    where = dataclasses.replace(issue_settings, repository=settings.github_repository)
    try:
        gh = issue_module.connect(settings.token, settings.github_api_url)
        with contextlib.closing(gh):
            outcome = issue_module.sync_pr_comment(gh, where, event.pull_request, body)
    except issue_module.IssueRefused as error:
        core.warning(f"pull request comment left out: {_refusal(event, error)}")
        return
    except IssueError as error:
        core.warning(f"pull request comment left out: {error}")
        return
    core.info(f"pull request comment: {outcome.message}")


def _refusal(event: trigger.Trigger, error: issue_module.IssueRefused) -> str:
    """Why GitHub said 403: a read-only token, by GitHub's design (forks, Dependabot) or by the workflow's
    `permissions:`; the error names the permission to grant."""
    if event.read_only:
        return _READ_ONLY
    return f"this run's token is read-only for {error.permission.replace('-', ' ')} here: {error}"
