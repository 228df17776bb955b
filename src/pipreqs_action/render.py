"""The ``render`` stage: one Report as text, markdown or JSON. Pure and deterministic.

No timestamps and everything sorted, so the same findings always give the same string: the Action compares
strings to decide whether the issue needs an edit, and tests can compare whole outputs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, Literal, NamedTuple
from urllib.parse import quote

from pipreqs_action.model import Advice, DeclaredBy, Location, Missing, Report, Unresolved
from pipreqs_action.reading.lazy_regex import LazyPattern
from pipreqs_action.terminal import escape_controls, json_safe

Format = Literal["text", "markdown", "json"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "json")
_MAX_LOCATIONS = 5  # per package in text and tables; the JSON has them all
UNRESOLVED_HINT = "map one with --map IMPORT=DIST, or list it in first-party if it is the project's own code"
_VIA_SOURCES = {
    "local": "the manifest of a local project installed from this tree",
    "lock": "the project's lock file",
    "snapshot": "the bundled package metadata",
    "index": "the package index's metadata",
}
_MD_UNRESOLVED_NOTE = (
    "No data names a distribution for these, so they are never an alarm. Map one with `--map IMPORT=DIST` (or"
    " `map` in `[tool.pipreqs-action]`), or list it in `first-party` there if it is the project's own code."
)


class Links(NamedTuple):
    """Where the checked code lives on GitHub, so findings can link to the importing lines at that commit."""

    server_url: str
    repository: str
    commit: str
    prefix: str = ""  # where the checked path sits in the repository ("" for its root)

    def line(self, location: Location) -> str:
        path = quote(repository_path(self.prefix, location.path))
        plain = "?plain=1" if path.endswith(".ipynb") else ""  # GitHub renders notebooks: #L<n> needs the source view
        return f"{self.server_url.rstrip('/')}/{self.repository}/blob/{self.commit}/{path}{plain}#L{location.line}"


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
    manifest = _manifest(report)
    if report.in_sync:
        extra = f" ({optional} optional import{'s' * (optional != 1)} not declared)" if optional else ""
        return f"{manifest} is in sync with the code{extra}."
    dev = len(report.dev_only)
    if not required and not dev:  # out of sync only in projects of their own below the checked one
        behind = [f"{item.path}/" for item in report.projects if not item.report.in_sync]
        return f"{len(behind)} project{'s' * (len(behind) != 1)} out of sync: {', '.join(behind)}."
    dev_text = (
        f"{dev} package{'s' * (dev != 1)} the code imports {'are' if dev != 1 else 'is'} declared for development only"
    )
    if not required:
        return f"{dev_text[0].upper()}{dev_text[1:]}."
    also = f"; {dev_text}" if dev else ""
    return f"{manifest} is missing {required} package{'s' * (required != 1)} the code imports{also}."


def _manifest(report: Report) -> str:
    """The manifest that takes the fix, as findings name it: "requirements.txt", "pyproject.toml"."""
    return report.advice.file if report.advice else "requirements.txt"


def manifest_name(report: Report) -> str:
    """``_manifest`` for other modules (annotation titles name the manifest as the reports do)."""
    return _manifest(report)


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
        "config": report.config_file or None,
        "unresolved": [_unresolved_dict(item) for item in report.unresolved],
        "declared_by": [_declared_by_dict(item) for item in report.declared_by],
        "dev_only": [_missing_dict(item) for item in report.dev_only],
        "unusable_requirements": [{"path": item.path, "reason": item.reason} for item in report.unusable_requirements],
        "fix": _advice_dict(report.advice) if report.advice else None,
        "local": [
            {"import": item.module, "location": _location_dict(item.location), "reason": item.reason}
            for item in report.local
        ],
        "stale_ignores": [_location_dict(location) for location in report.stale_ignores],
        "projects": [{"path": item.path, **as_dict(item.report)} for item in report.projects],
    }


def _declared_by_dict(item: DeclaredBy) -> dict[str, Any]:
    found: dict[str, Any] = {"file": item.file, "table": item.table, "count": item.count, "dev": item.dev}
    if item.unusable:
        found["unusable"] = item.unusable
    if item.installed_by:
        found["installed_by"] = item.installed_by
    return found


def _advice_dict(advice: Advice) -> dict[str, Any]:
    return {
        "file": advice.file,
        "kind": advice.kind,
        "table": advice.table,
        "entries": list(advice.entries),
        "command": advice.command or None,
    }


def _unresolved_dict(item: Unresolved) -> dict[str, Any]:
    return {
        "import": item.module,
        "locations": [_location_dict(location) for location in item.locations],
        "optional": item.optional,
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
        "marker": item.marker or None,
        "via": list(item.via),
        "via_source": item.via_source or None,
    }


def _location_dict(location: Location) -> dict[str, Any]:
    return {"path": location.path, "line": location.line}


def to_json(report: Report) -> str:
    return json_safe(json.dumps(as_dict(report), indent=2, sort_keys=False)) + "\n"


# --- text ----------------------------------------------------------------------------------------------------------


def to_text(report: Report) -> str:
    out = [headline(report), f"{_scanned(report)}; declared in: {_declared_in(report)}."]
    if report.config_file:
        out.append(f"Configuration: {report.config_file}.")
    required, optional, secondary = _sections(report)
    if required:
        out += ["", "Missing (imported, not declared):", *_text_rows(required)]
    if report.dev_only:
        out += ["", "Declared for development only, imported by the app:", *_text_rows(report.dev_only)]
    if report.installed_through:
        out += ["", "Installed only through a declared package (imported directly; declare it to be safe):"]
        out += _text_rows(report.installed_through)
    if optional:
        out += ["", "Optional (guarded or type-checking imports):", *_text_rows(optional)]
    if secondary:
        out += ["", f"Only in secondary code ({_SECONDARY_KINDS}):", *_text_rows(secondary)]
    if report.unresolved:
        out += ["", f"Unresolved imports (no data names a distribution; {UNRESOLVED_HINT}):"]
        out += _text_unresolved(report.unresolved)
    if report.unused:
        out += ["", "Declared but never imported (fine for servers, drivers and plugins):"]
        width = max([28, *(len(item.package) for item in report.unused)])
        out += [f"  {item.package:<{width}} {item.location or ''}".rstrip() for item in report.unused]
    if report.local:
        out += ["", "Taken for the project's own modules (no known distribution provides them):"]
        out += [f"  {item.module:<28} {item.location}" for item in report.local]
    if report.stale_ignores:
        out += ["", "Inline ignore markers that silenced nothing (remove them):"]
        out += [f"  {location}" for location in report.stale_ignores]
    if report.skipped:
        out += ["", "Skipped (could not be read as Python, or only their imports could):"]
        out += [f"  - {item.path}: {item.reason}" for item in report.skipped]  # a line starting "::" is a command
    if report.unusable_requirements:
        out += ["", "Requirement lines that could not be used:"]
        out += [f"  - {item.path}: {item.reason}" for item in report.unusable_requirements]
    if report.warnings:
        out += ["", *(f"warning: {warning}" for warning in report.warnings)]
    if required:
        out += ["", *_text_fix(report)]
    for project in report.projects:
        out += ["", f"=== Project {project.path}/ ===", *to_text(project.report).splitlines()]
    return "".join(f"{_one_line(line)}\n" for line in out)


_SECONDARY_KINDS = "tests, examples, tools, scripts, docs, vendored code"


def _sections(report: Report) -> tuple[list[Missing], list[Missing], list[Missing]]:
    """Needed at run time; optional in the app's own code; imported only by secondary code."""
    optional = [item for item in report.missing if item.optional and item.scope != "secondary"]
    secondary = [item for item in report.missing if item.optional and item.scope == "secondary"]
    return list(report.required_missing), optional, secondary


def _text_fix(report: Report) -> list[str]:
    """The suggested requirements.txt, or the entries to add to another manifest and its tool's command."""
    advice = report.advice
    if advice is None or advice.kind == "requirements":
        return ["Suggested requirements.txt:", *(f"  {line}" for line in report.requirements.splitlines())]
    out = [f"Add to {_where(advice)}:", *(f"  {line}" for line in advice.entries)]
    return [*out, f"or run: {advice.command}"] if advice.command else out


def _where(advice: Advice) -> str:
    return f"{advice.file} {advice.table}".strip()


def _one_line(text: str) -> str:
    """A line break in a file name must not start a line of its own: in a workflow log that line could be read
    as a runner command (``::error::``), anywhere else it could pass for one of ours. Other control characters
    (terminal escape sequences, bidirectional overrides) are written as escapes too."""
    return escape_controls(text.replace("\r", "\\r").replace("\n", "\\n"))


def _text_rows(items: Iterable[Missing]) -> list[str]:
    """Columns as wide as the longest name in them (at least the usual 28 and 24), so long names stay aligned."""
    listed = list(items)
    width = max([28, *(len(item.package) for item in listed)])
    imports_width = max([24, *(len(", ".join(item.imports)) for item in listed)])
    rows = []
    for item in listed:
        where = ", ".join(str(location) for location in item.locations[:_MAX_LOCATIONS])
        more = f" (+{len(item.locations) - _MAX_LOCATIONS} more)" if len(item.locations) > _MAX_LOCATIONS else ""
        rows.append(f"  {item.package:<{width}} {', '.join(item.imports):<{imports_width}} {where}{more}".rstrip())
        if item.candidates:
            rows.append(f"  {'':<{width}} ambiguous: could also be {', '.join(item.candidates)}")
        if not item.known:
            rows.append(f"  {'':<{width}} no known distribution provides this; check the name on PyPI")
        if item.reason:
            rows.append(f"  {'':<{width}} {item.reason}")
        if item.marker:
            rows.append(f"  {'':<{width}} only where: {item.marker}")
        if item.via:
            source = _VIA_SOURCES.get(item.via_source, "package metadata")
            rows.append(f"  {'':<{width}} installed through {', '.join(item.via)} (according to {source})")
    return rows


def _text_unresolved(items: Iterable[Unresolved]) -> list[str]:
    rows = []
    for item in items:
        where = ", ".join(str(location) for location in item.locations[:_MAX_LOCATIONS])
        more = f" (+{len(item.locations) - _MAX_LOCATIONS} more)" if len(item.locations) > _MAX_LOCATIONS else ""
        rows.append(f"  {item.module:<28} {where}{more}")
    return rows


def _scanned(report: Report) -> str:
    """Each file counted once, in the project holding it: the checked project's own, then the whole tree's."""
    text = f"Scanned {report.files_scanned} file{'s' * (report.files_scanned != 1)}"
    if not report.projects:
        return text
    total = report.files_scanned + sum(item.report.files_scanned for item in report.projects)
    count = len(report.projects)
    return f"{text} here, {total} with the {count} project{'s' * (count != 1)} below"


def _declared_in(report: Report) -> str:
    """``requirements.txt (12), pyproject.toml [project] (3), [dependency-groups] dev (4)``: each manifest with
    what it contributed (a file named once for its tables), unusable ones with the reason."""
    if not report.declared_by:
        return ", ".join(report.declared_sources) or "nothing (no requirements file found)"
    parts, previous = [], ""
    for item in report.declared_by:
        text = str(item)
        parts.append(text.removeprefix(f"{item.file} ") if item.file == previous and item.table else text)
        previous = item.file
    return ", ".join(parts)


# --- markdown ------------------------------------------------------------------------------------------------------


def to_markdown(report: Report, links: Links | None = None, new: frozenset[str] = frozenset()) -> str:
    """The job summary and the body of the tracking issue; ``new``: packages a pull request introduces."""
    icon = ":white_check_mark:" if report.in_sync else ":warning:"
    out = [f"### {icon} {_escape(headline(report))}", ""]
    out += [f"{_scanned(report)}; declared in: {_escape(_declared_in(report))}.", ""]
    if report.config_file:
        out += [f"Configuration: {_code(report.config_file)}.", ""]
    required, optional, secondary = _sections(report)
    if required:
        out += [f"#### Missing from {_escape(_manifest(report))}", "", *_md_table(required, links, new), ""]
        out += _md_fix(report)
    if report.dev_only:
        out += ["#### Declared for development only", ""]
        out += ["Imported by the app, but declared only for development: a production install leaves them out.", ""]
        out += [*_md_table(report.dev_only, links), ""]
    if report.installed_through:
        out += ["#### Imported directly, installed only through a declared package", ""]
        out += [_md_via_note(report.installed_through), "", *_md_table(report.installed_through, links), ""]
    if optional:
        out += ["#### Optional imports not declared", ""]
        out += [
            "Guarded (`except ImportError`, `contextlib.suppress`, `find_spec`, an availability check, a "
            "deferred-import `with`), installed on demand, in a Python 2 branch or under `if TYPE_CHECKING:`; each "
            "says why.",
            "",
        ]
        out += [*_md_table(optional, links), ""]
    if secondary:
        out += ["#### Imported only by secondary code", ""]
        out += [f"Not the app's code ({_SECONDARY_KINDS}): these never keep this issue open.", ""]
        out += [*_md_table(secondary, links), ""]
    if report.unresolved:
        out += ["#### Unresolved imports", ""]
        out += [_MD_UNRESOLVED_NOTE, ""]
        out += [*_md_unresolved(report.unresolved, links), ""]
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
    if report.stale_ignores:
        out += ["#### Inline ignore markers that silenced nothing", ""]
        out += [f"- {_code(str(location))}" for location in report.stale_ignores]
        out += [""]
    if report.skipped:
        out += ["<details><summary>Skipped files</summary>", ""]
        out += [f"- {_code(item.path)}: {_escape(item.reason)}" for item in report.skipped]
        out += ["", "</details>", ""]
    if report.unusable_requirements:
        out += ["<details><summary>Requirement lines that could not be used</summary>", ""]
        out += [f"- {_code(item.path)}: {_escape(item.reason)}" for item in report.unusable_requirements]
        out += ["", "</details>", ""]
    out += [f"> {_escape(warning)}" for warning in report.warnings]
    for project in report.projects:
        out += ["", "---", "", f"## Project {_code(project.path + '/')}", "", to_markdown(project.report, links, new)]
    return escape_controls("\n".join(out).rstrip() + "\n")  # a checked tree's names: no control character


def _md_fix(report: Report) -> list[str]:
    advice = report.advice
    if advice is None or advice.kind == "requirements":
        file = _escape(advice.file if advice else "requirements.txt")
        return [f"Add these lines to {file}:", "", "```text", *_added_lines(report), "```", ""]
    where = f"`{advice.table}` in {_escape(advice.file)}" if advice.table else _escape(advice.file)
    out = [f"Add these entries to {where}:", "", f"```{advice.syntax}", *advice.entries, "```", ""]
    return [*out, "Or run:", "", "```sh", advice.command, "```", ""] if advice.command else out


def _md_table(items: Iterable[Missing], links: Links | None, new: frozenset[str] = frozenset()) -> list[str]:
    rows = ["| Package | Imported as | Where |", "| --- | --- | --- |"]
    for item in items:
        where = ", ".join(_md_location(location, links) for location in item.locations[:_MAX_LOCATIONS])
        if len(item.locations) > _MAX_LOCATIONS:
            where += f" and {len(item.locations) - _MAX_LOCATIONS} more"
        package = f"`{item.package}`"
        if item.candidates:
            package += " (or " + ", ".join(f"`{name}`" for name in item.candidates) + ")"
        if not item.known:
            package += " (unknown on PyPI data: check the name)"
        if item.reason:
            package += f" ({_escape(item.reason)})"
        if item.marker:
            package += f" (only where {_code(item.marker, in_table=True)})"
        if item.package in new:
            package += " **new in this pull request**"
        rows.append(f"| {package} | {', '.join(f'`{name}`' for name in item.imports)} | {where} |")
    return rows


def _md_unresolved(items: Iterable[Unresolved], links: Links | None) -> list[str]:
    rows = ["| Import | Where |", "| --- | --- |"]
    for item in items:
        where = ", ".join(_md_location(location, links) for location in item.locations[:_MAX_LOCATIONS])
        if len(item.locations) > _MAX_LOCATIONS:
            where += f" and {len(item.locations) - _MAX_LOCATIONS} more"
        rows.append(f"| `{item.module}` | {where} |")
    return rows


def _md_via_note(items: Iterable[Missing]) -> str:
    """``Imported directly, installed only through `fastapi`: declare them to be safe.`` and which data said so."""
    via = sorted({name for item in items for name in item.via}, key=str.lower)
    sources = sorted({_VIA_SOURCES.get(item.via_source, "package metadata") for item in items})
    through = ", ".join(_code(name) for name in via)
    return (
        f"Imported directly, installed only through {through}: declare them to be safe. "
        f"According to {' and '.join(sources)}."
    )


def _md_location(location: Location, links: Links | None) -> str:
    text = _code(str(location), in_table=True)
    return f"[{text}]({links.line(location)})" if links else text


def _added_lines(report: Report) -> list[str]:
    """The suggested file ends with one line per package missing at run time (see compare.with_requirements)."""
    count = len(report.required_missing)
    return report.requirements.splitlines()[-count:] if count else []


_MARKDOWN_SYNTAX = LazyPattern(r"([\\`*_\[\]|~])")
_BACKTICKS = LazyPattern(r"`+")


def _escape(text: str) -> str:
    """Keep user-controlled text (reasons quote requirements lines, labels are file names) from turning into
    markdown or HTML: no line breaks, no links, emphasis, code spans or table cells, no tags."""
    text = _MARKDOWN_SYNTAX.sub(r"\\\1", " ".join(text.splitlines()))
    return text.replace("<", "&lt;").replace(">", "&gt;")


def code_span(text: str) -> str:
    """Untrusted text (a file name) as an inline code span it cannot break out of."""
    return _code(text, in_table=True)


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

- **Fix:** add the entries above to the manifest named above (or declare them in any manifest the project reads)
  and push. The next run closes this issue by itself.
- **A name is wrong?** The check maps imports to distributions without installing anything; if it picked the
  wrong distribution, declare the right one: any declared distribution that provides the import satisfies it,
  or map it in `pyproject.toml` (`pipreqs-action explain IMPORT` says why it chose that name):

  ```toml
  [tool.pipreqs-action]
  map = { cv2 = "opencv-python-headless" }   # import = distribution
  ignore-missing = ["internal_tool"]         # never reported missing
  ignore-unused = ["gunicorn"]               # never reported unused
  first-party = ["acme_shared"]              # the project's own code
  ```
- **Silence one import:** end its line with `# pipreqs-action: ignore` (`# deptry: ignore` works too).
- **Configure** the `pipreqs-action` step: `ignore` (names, one per line or comma-separated), `map`
  (`IMPORT=DIST` lines), `path`, `requirements`, `exclude` (paths to leave out), `fail-on` (`missing`, `any` or
  `never`), `issue-labels`, `issue-title`.
- **Silence the check:** set `create-issue: 'false'` on the step, or remove the step.

Imports guarded (`except ImportError`, `contextlib.suppress(ImportError)`, `find_spec`, an availability check, a
deferred-import `with`), installed on demand, in a Python 2 branch, under `if TYPE_CHECKING:` or made only by
secondary code (tests, examples, tools, scripts, docs, vendored code) never keep this issue open.
</details>
"""


def issue_body(report: Report, links: Links | None = None) -> str:
    """The tracking issue's body: the report, then how to act on it (the marker is added by ``issue``)."""
    return f"{to_markdown(report, links)}\n{_ISSUE_FOOTER}"


def close_comment(commit: str) -> str:
    at = f" as of {commit[:12]}" if commit else ""
    return f"The declared dependencies now cover every package the code imports{at}. Closing. :tada:"
