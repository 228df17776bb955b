"""The ``render`` stage: one Report as text, markdown or JSON. Pure and deterministic.

No timestamps and everything sorted, so the same findings always give the same string: the Action compares
strings to decide whether the issue needs an edit, and tests can compare whole outputs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

from pipreqs_action.model import Location, Missing, Report

Format = Literal["text", "markdown", "json"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "json")
_MAX_LOCATIONS = 5  # per package in text and tables; the JSON has them all


@dataclass(frozen=True, slots=True)
class Links:
    """Where the checked code lives on GitHub, so findings can link to the importing lines at that commit."""

    server_url: str
    repository: str
    commit: str
    prefix: str = ""  # where the checked path sits in the repository ("" for its root)

    def line(self, location: Location) -> str:
        path = quote(repository_path(self.prefix, location.path))
        return f"{self.server_url.rstrip('/')}/{self.repository}/blob/{self.commit}/{path}#L{location.line}"


def repository_path(prefix: str, path: str) -> str:
    """Where a file of the checked folder ``prefix`` sits in the repository (links and annotations alike)."""
    folder = prefix.strip("/")
    return f"{folder}/{path}" if folder.strip(".") else path


def render(report: Report, fmt: Format, links: Links | None = None) -> str:
    renderers: dict[str, Callable[[], str]] = {
        "text": lambda: to_text(report),
        "markdown": lambda: to_markdown(report, links),
        "json": lambda: to_json(report),
    }
    return renderers[fmt]()


def headline(report: Report) -> str:
    required = len(report.required_missing)
    optional = len(report.missing) - required
    if report.in_sync:
        extra = f" ({optional} optional import{'s' * (optional != 1)} not declared)" if optional else ""
        return f"requirements.txt is in sync with the code{extra}."
    return f"requirements.txt is missing {required} package{'s' * (required != 1)} the code imports."


# --- JSON ----------------------------------------------------------------------------------------------------------


def as_dict(report: Report) -> dict[str, Any]:
    """The stable machine-readable contract (documented in the README); fields are only ever added."""
    return {
        "in_sync": report.in_sync,
        "missing": [_missing_dict(item) for item in report.missing],
        "unused": [
            {"package": item.package, "location": _location_dict(item.location) if item.location else None}
            for item in report.unused
        ],
        "skipped": [{"path": item.path, "reason": item.reason} for item in report.skipped],
        "requirements": report.requirements,
        "declared_in": list(report.declared_sources),
        "files_scanned": report.files_scanned,
        "warnings": list(report.warnings),
        "local": [
            {"import": item.module, "location": _location_dict(item.location), "reason": item.reason}
            for item in report.local
        ],
    }


def _missing_dict(item: Missing) -> dict[str, Any]:
    return {
        "package": item.package,
        "imports": list(item.imports),
        "locations": [_location_dict(location) for location in item.locations],
        "optional": item.optional,
        "candidates": list(item.candidates),
        "known": item.known,
        "version": item.version or None,
        "scope": item.scope,
        "reason": item.reason or None,
    }


def _location_dict(location: Location) -> dict[str, Any]:
    return {"path": location.path, "line": location.line}


def to_json(report: Report) -> str:
    return json.dumps(as_dict(report), indent=2, sort_keys=False) + "\n"


# --- text ----------------------------------------------------------------------------------------------------------


def to_text(report: Report) -> str:
    out = [headline(report), f"{_scanned(report)}; declared in: {_declared_in(report)}."]
    required, optional, secondary = _sections(report)
    if required:
        out += ["", "Missing (imported, not declared):", *_text_rows(required)]
    if optional:
        out += ["", "Optional (guarded or type-checking imports):", *_text_rows(optional)]
    if secondary:
        out += ["", f"Only in secondary code ({_SECONDARY_KINDS}):", *_text_rows(secondary)]
    if report.unused:
        out += ["", "Declared but never imported (fine for servers, drivers and plugins):"]
        out += [f"  {item.package:<28} {item.location or ''}".rstrip() for item in report.unused]
    if report.local:
        out += ["", "Taken for the project's own modules (no known distribution provides them):"]
        out += [f"  {item.module:<28} {item.location}" for item in report.local]
    if report.skipped:
        out += ["", "Skipped (could not be read as Python):"]
        out += [f"  - {item.path}: {item.reason}" for item in report.skipped]  # a line starting "::" is a command
    if report.warnings:
        out += ["", *(f"warning: {warning}" for warning in report.warnings)]
    if required:
        out += ["", "Suggested requirements.txt:", *(f"  {line}" for line in report.requirements.splitlines())]
    return "".join(f"{_one_line(line)}\n" for line in out)


_SECONDARY_KINDS = "tests, examples, tools, scripts, docs, vendored code"


def _sections(report: Report) -> tuple[list[Missing], list[Missing], list[Missing]]:
    """Needed at run time; optional in the app's own code; imported only by secondary code."""
    optional = [item for item in report.missing if item.optional and item.scope != "secondary"]
    secondary = [item for item in report.missing if item.optional and item.scope == "secondary"]
    return list(report.required_missing), optional, secondary


def _one_line(text: str) -> str:
    """A line break in a file name must not start a line of its own: in a workflow log that line could be read
    as a runner command (``::error::``), anywhere else it could pass for one of ours."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def _text_rows(items: Iterable[Missing]) -> list[str]:
    rows = []
    for item in items:
        where = ", ".join(str(location) for location in item.locations[:_MAX_LOCATIONS])
        more = f" (+{len(item.locations) - _MAX_LOCATIONS} more)" if len(item.locations) > _MAX_LOCATIONS else ""
        rows.append(f"  {item.package:<28} {', '.join(item.imports):<24} {where}{more}")
        if item.candidates:
            rows.append(f"  {'':<28} ambiguous: could also be {', '.join(item.candidates)}")
        if not item.known:
            rows.append(f"  {'':<28} no known distribution provides this; check the name on PyPI")
        if item.reason:
            rows.append(f"  {'':<28} {item.reason}")
    return rows


def _scanned(report: Report) -> str:
    return f"Scanned {report.files_scanned} file{'s' * (report.files_scanned != 1)}"


def _declared_in(report: Report) -> str:
    return ", ".join(report.declared_sources) or "nothing (no requirements file found)"


# --- markdown ------------------------------------------------------------------------------------------------------


def to_markdown(report: Report, links: Links | None = None) -> str:
    """The job summary and the body of the tracking issue."""
    icon = ":white_check_mark:" if report.in_sync else ":warning:"
    out = [f"### {icon} {_escape(headline(report))}", ""]
    out += [f"{_scanned(report)}; declared in: {_escape(_declared_in(report))}.", ""]
    required, optional, secondary = _sections(report)
    if required:
        out += ["#### Missing from requirements.txt", "", *_md_table(required, links), ""]
        out += ["Add these lines to requirements.txt:", "", "```text", *_added_lines(report), "```", ""]
    if optional:
        out += ["#### Optional imports not declared", ""]
        out += ["Guarded by `except ImportError` or under `if TYPE_CHECKING:`.", ""]
        out += [*_md_table(optional, links), ""]
    if secondary:
        out += ["#### Imported only by secondary code", ""]
        out += [f"Not the app's code ({_SECONDARY_KINDS}): these never keep this issue open.", ""]
        out += [*_md_table(secondary, links, reasons=True), ""]
    if report.unused:
        out += ["#### Declared but never imported", ""]
        out += ["Often fine: web servers, database drivers and plugins are used without an import.", ""]
        out += [
            f"- `{item.package}`" + (f" ({_escape(str(item.location))})" if item.location else "")
            for item in report.unused
        ]
        out += [""]
    if report.local:
        out += ["<details><summary>Taken for the project's own modules</summary>", ""]
        out += [f"- `{item.module}` at {_code(str(item.location))}: {_escape(item.reason)}" for item in report.local]
        out += ["", "</details>", ""]
    if report.skipped:
        out += ["<details><summary>Skipped files</summary>", ""]
        out += [f"- {_code(item.path)}: {_escape(item.reason)}" for item in report.skipped]
        out += ["", "</details>", ""]
    out += [f"> {_escape(warning)}" for warning in report.warnings]
    return "\n".join(out).rstrip() + "\n"


def _md_table(items: Iterable[Missing], links: Links | None, *, reasons: bool = False) -> list[str]:
    rows = ["| Package | Imported as | Where |" + " Why |" * reasons, "| --- | --- | --- |" + " --- |" * reasons]
    for item in items:
        where = ", ".join(_md_location(location, links) for location in item.locations[:_MAX_LOCATIONS])
        if len(item.locations) > _MAX_LOCATIONS:
            where += f" and {len(item.locations) - _MAX_LOCATIONS} more"
        package = f"`{item.package}`"
        if item.candidates:
            package += " (or " + ", ".join(f"`{name}`" for name in item.candidates) + ")"
        if not item.known:
            package += " (unknown on PyPI data: check the name)"
        why = f" {_escape(item.reason)} |" if reasons else ""
        rows.append(f"| {package} | {', '.join(f'`{name}`' for name in item.imports)} | {where} |{why}")
    return rows


def _md_location(location: Location, links: Links | None) -> str:
    text = _code(str(location), in_table=True)
    return f"[{text}]({links.line(location)})" if links else text


def _added_lines(report: Report) -> list[str]:
    """The suggested file ends with one line per package missing at run time (see compare.with_requirements)."""
    count = len(report.required_missing)
    return report.requirements.splitlines()[-count:] if count else []


_MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]|~])")
_BACKTICKS = re.compile(r"`+")


def _escape(text: str) -> str:
    """Keep user-controlled text (reasons quote requirements lines, labels are file names) from turning into
    markdown or HTML: no line breaks, no links, emphasis, code spans or table cells, no tags."""
    text = _MARKDOWN_SYNTAX.sub(r"\\\1", " ".join(text.splitlines()))
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _code(text: str, *, in_table: bool = False) -> str:
    """A code span that a file name cannot break out of (CommonMark: a longer backtick fence, padded when the
    text itself starts or ends with a backtick); line breaks shown as escapes; pipes escaped inside tables."""
    text = _one_line(text)
    if in_table:
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# --- the tracking issue --------------------------------------------------------------------------------------------

_ISSUE_FOOTER = """\
---
<details><summary>How to fix, configure or silence this check</summary>

- **Fix:** add the lines above to `requirements.txt` (or to `pyproject.toml`) and push. The next run closes
  this issue by itself.
- **A name is wrong?** The check maps imports to distributions without installing anything; if it picked the
  wrong distribution, declare the right one: any declared distribution that provides the import satisfies it.
- **Configure** the `pipreqs-action` step: `path`, `requirements`, `exclude` (paths to leave out),
  `fail-on` (`missing`, `any` or `never`), `issue-labels`, `issue-title`.
- **Silence:** set `create-issue: 'false'` on the step, or remove the step.

Imports guarded by `except ImportError`, under `if TYPE_CHECKING:` or made only by secondary code (tests, examples,
tools, scripts, docs, vendored code) never keep this issue open.
</details>
"""


def issue_body(report: Report, links: Links | None = None) -> str:
    """The tracking issue's body: the report, then how to act on it (the marker is added by ``issue``)."""
    return f"{to_markdown(report, links)}\n{_ISSUE_FOOTER}"


def close_comment(commit: str) -> str:
    at = f" as of {commit[:12]}" if commit else ""
    return f"requirements.txt now declares every package the code imports{at}. Closing. :tada:"
