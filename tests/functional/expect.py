"""The expectations written into the fixture projects as ``# expect:`` comments, and the check of a JSON report
against them (the convention is described in tests/fixtures/projects/README.md).

Expectations are read from the fixture's own files, so a test never restates an answer: the file and line of
every finding come from where the comment sits, in a ``.py`` file or in the raw JSON text of a notebook.
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "projects"


def fixture_projects() -> list[str]:
    """The fixture projects' folder names. pytest imports the conftest.py beside them (it keeps their files from
    being collected), which leaves a ``__pycache__`` there wherever bytecode is written: not a project."""
    return sorted(path.name for path in FIXTURES.iterdir() if path.is_dir() and path.name != "__pycache__")


_EXPECT = re.compile(
    r"#\s*expect:\s*(?P<verdict>missing|optional|secondary|ambiguous|declared|local|stdlib|ignored|unresolved"
    r"|dev-only|via)(?![\w-])"
    r"(?P<rest>[^\"\\]*)"
)
_MODULE = re.compile(
    r"""^[\s"]*(?:from\s+(?P<from>[\w.]+)\s+import\b|import\s+(?P<import>[\w.]+))"""
    r"""|(?:import_module|__import__)\(\s*['"](?P<dynamic>[\w.]+)"""
)
REPORTED = ("missing", "optional", "secondary", "ambiguous", "via")
NOT_REQUIRED = ("optional", "secondary")


@dataclass(frozen=True)
class Expectation:
    """One annotated import line: what the report must say about it."""

    verdict: str
    path: str  # POSIX, relative to the project root
    line: int
    module: str  # as written on the line
    package: str = ""  # for reported verdicts
    candidates: tuple[str, ...] = ()  # for "ambiguous": names that must be among the candidates
    reason: str = ""  # `why: ...` after the verdict: the report's reason for the package
    via: tuple[str, ...] = ()  # for "via": the declared distributions that install it

    @property
    def location(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line}


def project(name: str) -> Path:
    path = FIXTURES / name
    assert path.is_dir(), f"no fixture project {name}"
    return path


def copy_project(name: str, dest: Path) -> Path:
    """A private copy to add what cannot be committed (virtualenvs, symlinks) without touching the fixture."""
    target = dest / name
    shutil.copytree(project(name), target, symlinks=True)
    return target


def expectations(root: Path) -> list[Expectation]:
    found: list[Expectation] = []
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".ipynb") and path.is_file() and not path.is_symlink():
            found.extend(_from_file(root, path))
    assert found, f"{root}: no `# expect:` comments"
    return found


def _from_file(root: Path, path: Path) -> list[Expectation]:
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    rel = path.relative_to(root).as_posix()
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _EXPECT.search(line)
        if match is None:
            continue
        module = _MODULE.search(line[: match.start()])
        assert module is not None, f"{rel}:{number}: `# expect:` on a line without an import"
        rest, _, reason = match["rest"].partition("why:")
        words = rest.split()
        verdict = match["verdict"]
        package = words[0] if verdict in (*REPORTED, "dev-only") else ""
        candidates = tuple(words[1:]) if verdict == "ambiguous" else ()
        via = tuple(words[1:]) if verdict == "via" else ()
        name = module["from"] or module["import"] or module["dynamic"]
        found.append(Expectation(verdict, rel, number, name, package, candidates, reason.strip(), via))
    return found


def by_package(expected: list[Expectation]) -> dict[str, list[Expectation]]:
    packages: dict[str, list[Expectation]] = defaultdict(list)
    for item in expected:
        if item.verdict in REPORTED:
            packages[item.package].append(item)
    return dict(packages)


def required_packages(expected: list[Expectation]) -> list[str]:
    """Packages needed at run time: at least one of their imports is not optional."""
    packages = by_package(expected).items()
    return [name for name, items in packages if any(i.verdict not in (*NOT_REQUIRED, "via") for i in items)]


def check_report(report: dict[str, Any], expected: list[Expectation]) -> None:
    """The report says exactly what the annotations say: the same packages, flags and import lines."""
    report = _with_projects(report)
    packages = by_package(expected)
    missing = {item["package"]: item for item in report["missing"]}
    assert sorted(missing) == sorted(packages), "missing packages differ from the `# expect:` comments"
    for name, items in packages.items():
        found = missing[name]
        where = sorted((i.path, i.line) for i in items)
        assert sorted((loc["path"], loc["line"]) for loc in found["locations"]) == where, name
        assert found["optional"] == all(i.verdict in NOT_REQUIRED for i in items), name
        secondary = all(i.verdict == "secondary" for i in items)
        assert found["scope"] == ("secondary" if secondary else "app"), name
        assert bool(found["reason"] and found["reason"].startswith("only in ")) == secondary, (name, found["reason"])
        for item in items:
            root = item.module.partition(".")[0]
            assert any(imp == root or imp.startswith(f"{root}.") for imp in found["imports"]), (name, item.module)
            assert set(item.candidates) <= set(found["candidates"]), (name, found["candidates"])
            assert set(item.via) <= set(found.get("via", ())), (name, found.get("via"))
            if item.reason:
                assert found["reason"] == item.reason, (name, found["reason"])
        assert bool(found.get("via")) == any(i.verdict == "via" for i in items), (name, found.get("via"))
    _check_dev_only(report, expected)
    reported = [*report["missing"], *report["dev_only"]]
    reported_lines = {(loc["path"], loc["line"]) for item in reported for loc in item["locations"]}
    for item in expected:
        if item.verdict in ("declared", "local", "stdlib", "ignored"):
            assert (item.path, item.line) not in reported_lines, f"{item.path}:{item.line} {item.module} reported"
    unresolved = {(loc["path"], loc["line"]) for item in report.get("unresolved", ()) for loc in item["locations"]}
    assert unresolved == {(i.path, i.line) for i in expected if i.verdict == "unresolved"}, "unresolved imports differ"
    dev_only = any(item.verdict == "dev-only" for item in expected)
    assert report["in_sync"] == (not required_packages(expected) and not dev_only)


def _check_dev_only(report: dict[str, Any], expected: list[Expectation]) -> None:
    """``# expect: dev-only DIST``: an app import that only a development declaration (named DIST) provides."""
    wanted: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for item in expected:
        if item.verdict == "dev-only":
            wanted[item.package].append((item.path, item.line))
    found = {
        item["package"]: sorted((loc["path"], loc["line"]) for loc in item["locations"]) for item in report["dev_only"]
    }
    assert found == {name: sorted(where) for name, where in wanted.items()}, "dev-only findings differ"


def _with_projects(report: dict[str, Any]) -> dict[str, Any]:
    """A monorepo's findings, root and every project of its own together (their paths are all from the root);
    a package missing in two projects is two findings, so each project's are keyed by its folder."""
    projects = report.get("projects", [])
    if not projects:
        return report
    merged = dict(report)
    for key in ("missing", "dev_only", "unresolved"):
        merged[key] = [*report.get(key, []), *(item for project in projects for item in project.get(key, []))]
    names = [item["package"] for item in merged["missing"]]
    assert len(names) == len(set(names)), "a fixture must not expect one package missing in two projects"
    return merged
