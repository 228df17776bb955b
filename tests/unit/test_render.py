from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import quote

import mistune
import pytest

from pipreqs_action.model import LocalImport, Location, Missing, Report, Skipped, Unused
from pipreqs_action.render import FORMATS, Links, as_dict, close_comment, headline, issue_body, render, to_markdown

LINKS = Links(server_url="https://github.example/", repository="octo/app", commit="0123456789abcdef" * 2 + "01234567")


def missing(package: str, *where: str, optional: bool = False, **extra: object) -> Missing:
    locations = tuple(Location(path, int(line)) for path, _, line in (w.rpartition(":") for w in where))
    return Missing(package, (package.lower().replace("-", "_"),), locations, optional=optional, **extra)  # type: ignore[arg-type]


def report(*items: Missing, unused: tuple[Unused, ...] = (), skipped: tuple[Skipped, ...] = (), **extra) -> Report:
    required = [item.package for item in items if not item.optional]
    return Report(
        missing=items,
        unused=unused,
        skipped=skipped,
        requirements="".join(f"{line}\n" for line in ["requests==2.32.3", *required]),
        declared_sources=extra.pop("declared_sources", ("requirements.txt",)),
        files_scanned=extra.pop("files_scanned", 3),
        **extra,
    )


FULL = report(
    missing("opencv-python", "app/main.py:3", candidates=("opencv-python-headless",)),
    missing("PyYAML", "app/main.py:5", "app/util.py:1"),
    missing("zzq", "x.py:2", known=False),
    missing("ujson", "app/main.py:9", optional=True),
    unused=(Unused("gunicorn", Location("requirements.txt", 2)), Unused("uvicorn")),
    skipped=(Skipped("legacy.py", "not valid Python 3 (line 1: invalid syntax)"),),
    warnings=("PyPI unreachable (pypi.org: timed out): versions left out for 1 package: pyyaml",),
)


class Tags(HTMLParser):
    """Every element and attribute the rendered markdown would put on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def html_tags(markdown: str) -> list[tuple[str, dict[str, str | None]]]:
    html = mistune.create_markdown(escape=False, plugins=["table"])(markdown)
    parser = Tags()
    parser.feed(str(html))
    return parser.tags


def names(tags: list[tuple[str, dict[str, str | None]]]) -> set[str]:
    return {tag for tag, _ in tags}


# --- deterministic ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_report_always_renders_the_same(fmt) -> None:
    assert render(FULL, fmt) == render(FULL, fmt)
    assert render(FULL, fmt).endswith("\n")


def test_json_is_the_report_as_a_dict_in_the_documented_order() -> None:
    data = json.loads(render(FULL, "json"))
    assert data == as_dict(FULL)
    assert list(data) == [
        "in_sync",
        "missing",
        "unused",
        "skipped",
        "requirements",
        "declared_in",
        "files_scanned",
        "warnings",
        "config",
        "unresolved",
        "declared_by",
        "dev_only",
        "unusable_requirements",
        "fix",
        "local",
        "stale_ignores",
        "projects",
    ]
    assert [item["package"] for item in data["missing"]] == [item.package for item in FULL.missing]
    first = data["missing"][1]
    assert first["locations"] == [{"path": loc.path, "line": loc.line} for loc in FULL.missing[1].locations]
    assert first["version"] is None  # "" in the model: no version looked up
    assert data["unused"][1] == {"package": "uvicorn", "location": None}
    assert data["in_sync"] is FULL.in_sync


# --- text ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("required", "optional"), [(0, 0), (0, 1), (0, 2), (1, 0), (2, 1)])
def test_the_headline_counts_in_words(required, optional) -> None:
    items = [missing(f"req{n}", "a.py:1") for n in range(required)]
    items += [missing(f"opt{n}", "a.py:1", optional=True) for n in range(optional)]
    line = headline(report(*items))
    if required:
        assert f"missing {required} package{'s' if required > 1 else ''} " in line
    else:
        assert "in sync" in line
        assert (f"({optional} optional import{'s' if optional > 1 else ''} not declared)" in line) == bool(optional)


@pytest.mark.parametrize("count", [0, 1, 2])
def test_the_scanned_file_count_is_in_words(count) -> None:
    for fmt in ("text", "markdown"):
        assert f"Scanned {count} file{'' if count == 1 else 's'};" in render(report(files_scanned=count), fmt)


def test_text_lists_each_finding_with_its_lines() -> None:
    out = render(FULL, "text")
    for item in FULL.missing:
        row = next(line for line in out.splitlines() if line.startswith(f"  {item.package} "))
        assert all(str(location) in row for location in item.locations)
    assert "ambiguous: could also be opencv-python-headless" in out
    assert "no known distribution provides this" in out
    assert "gunicorn" in out
    assert "requirements.txt:2" in out
    assert "legacy.py: not valid Python 3" in out
    assert f"warning: {FULL.warnings[0]}" in out.splitlines()
    assert out.split("Suggested requirements.txt:\n")[1].splitlines() == [
        f"  {line}" for line in FULL.requirements.splitlines()
    ]


def test_text_shows_five_locations_and_counts_the_rest() -> None:
    where = [f"m{n}.py:{n}" for n in range(1, 9)]
    out = render(report(missing("attrs", *where)), "text")
    row = next(line for line in out.splitlines() if line.startswith("  attrs "))
    assert [loc for loc in where if loc in row] == where[:5]
    assert row.endswith("(+3 more)")


def test_an_in_sync_report_suggests_no_change() -> None:
    out = render(report(missing("ujson", "a.py:1", optional=True)), "text")
    assert "Suggested requirements.txt" not in out
    assert "Optional" in out


# --- markdown -----------------------------------------------------------------------------------------------------


def test_markdown_links_every_location_to_its_line_at_the_commit() -> None:
    tags = html_tags(to_markdown(FULL, LINKS))
    hrefs = [attrs["href"] for tag, attrs in tags if tag == "a"]
    shown = [loc for item in FULL.missing for loc in item.locations]
    server = LINKS.server_url.rstrip("/")
    assert hrefs == [f"{server}/{LINKS.repository}/blob/{LINKS.commit}/{loc.path}#L{loc.line}" for loc in shown]


def test_without_links_markdown_has_none() -> None:
    assert "a" not in names(html_tags(to_markdown(FULL)))


@pytest.mark.parametrize("prefix", ["services/api", "/services/api/", "./", ""])
def test_links_include_where_the_checked_path_sits(prefix) -> None:
    links = Links(LINKS.server_url, LINKS.repository, LINKS.commit, prefix=prefix)
    url = links.line(Location("dir with space/a#b.py", 7))
    folder = prefix.strip("/.")
    expected_path = f"{folder}/dir%20with%20space/a%23b.py" if folder else "dir%20with%20space/a%23b.py"
    assert url == f"https://github.example/octo/app/blob/{LINKS.commit}/{expected_path}#L7"


def test_markdown_lists_the_lines_to_add() -> None:
    out = to_markdown(FULL)
    block = out.split("```text\n", 1)[1].split("```", 1)[0].splitlines()
    assert block == [item.package for item in FULL.required_missing]


def test_markdown_sections_follow_the_findings() -> None:
    tags = html_tags(to_markdown(FULL))
    assert [tag for tag in ("table", "details", "blockquote") if tag in names(tags)] == [
        "table",
        "details",
        "blockquote",
    ]
    quiet = html_tags(to_markdown(report()))
    assert names(quiet).isdisjoint({"table", "details", "blockquote", "ul"})


HOSTILE_PATH = "x`<img src=x onerror=alert(1)>`|y\n# Owned [a](http://evil.example).py"
HOSTILE_TEXT = (
    "<script>alert(1)</script> [click](http://evil.example) ![i](http://evil.example/i.png) **b** `c` | d\n# h"
)


@pytest.fixture
def hostile() -> Report:
    return report(
        missing("attrs", "ok.py:1"),
        Missing("PyYAML", ("yaml",), (Location(HOSTILE_PATH, 4), Location("```.py", 2))),
        unused=(Unused("gunicorn", Location("req<b>s</b>[x](y).txt", 3)),),
        skipped=(Skipped(HOSTILE_PATH, HOSTILE_TEXT), Skipped("`tick`", "x")),
        warnings=(HOSTILE_TEXT,),
        declared_sources=("requirements.txt", "req<b>s</b>[x](y).txt"),
    )


@pytest.mark.parametrize("with_links", [False, True])
def test_user_controlled_text_cannot_become_markup(hostile, with_links) -> None:
    markdown = to_markdown(hostile, LINKS if with_links else None)
    tags = html_tags(markdown)
    assert names(tags).isdisjoint({"script", "img", "b", "strong", "em", "h1", "h2"})
    hrefs = [attrs["href"] or "" for tag, attrs in tags if tag == "a"]
    assert all(href.startswith(LINKS.server_url.rstrip("/")) for href in hrefs)
    assert len(hrefs) == (3 if with_links else 0)
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 4 for row in rows)  # three cells, whatever the path holds


def test_hostile_paths_stay_readable_in_code_spans(hostile) -> None:
    html = str(mistune.create_markdown(escape=False, plugins=["table"])(to_markdown(hostile)))
    codes = {unescape(code).replace("\\|", "|") for code in re.findall(r"<code>(.*?)</code>", html, re.DOTALL)}
    visible = HOSTILE_PATH.replace("\n", "\\n")  # a line break in a file name is shown, not obeyed
    assert {visible, f"{visible}:4", "```.py:2", "`tick`"} <= codes


def test_a_line_break_in_a_file_name_cannot_start_a_line_of_text(hostile) -> None:
    lines = render(hostile, "text").splitlines()
    assert not any(line.startswith(("# ", "::")) for line in lines)
    assert sum(HOSTILE_PATH.replace("\n", "\\n") in line for line in lines) == 2  # a table row and a skipped entry
    assert sum(line.startswith("warning: ") for line in lines) == len(hostile.warnings)


# --- the tracking issue ------------------------------------------------------------------------------------------


def test_the_issue_body_is_the_summary_then_how_to_act() -> None:
    body = issue_body(FULL, LINKS)
    assert body.startswith(to_markdown(FULL, LINKS))
    assert "fail-on" in body[len(to_markdown(FULL, LINKS)) :]


def test_the_closing_comment_names_the_commit_briefly() -> None:
    assert LINKS.commit[:12] in close_comment(LINKS.commit)
    assert LINKS.commit[:13] not in close_comment(LINKS.commit)
    assert " as of " not in close_comment("")


def test_the_url_path_is_quoted_for_any_file_name() -> None:
    location = Location("a b/ü#?.py", 1)
    assert LINKS.line(location).endswith(f"/{quote('a b/ü#?.py')}#L1")


def test_secondary_code_has_its_own_section_with_the_reason() -> None:
    tests_only = Missing(
        "pytest", ("pytest",), (Location("tests/t.py", 1),), optional=True, scope="secondary", reason="only in tests"
    )
    report = Report(missing=(tests_only,), unused=(), skipped=(), requirements="")
    text, markdown = render(report, "text"), render(report, "markdown")
    assert "Only in secondary code" in text and "only in tests" in text
    assert "Optional (" not in text
    assert "#### Imported only by secondary code" in markdown
    assert "| `pytest` (only in tests) | `pytest` | `tests/t.py:1` |" in markdown
    item = json.loads(render(report, "json"))["missing"][0]
    assert (item["scope"], item["reason"], item["optional"]) == ("secondary", "only in tests", True)


def test_imports_taken_for_local_code_are_listed_with_why() -> None:
    local = LocalImport("corelib", Location("web/app.py", 2), "the project has components/corelib")
    report = Report(missing=(), unused=(), skipped=(), requirements="", local=(local,))
    assert json.loads(render(report, "json"))["local"] == [
        {"import": "corelib", "location": {"path": "web/app.py", "line": 2}, "reason": local.reason}
    ]
    assert "corelib" in render(report, "text")
    assert "components/corelib" in render(report, "markdown")
