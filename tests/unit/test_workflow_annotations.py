"""The one decision of which importing lines get a warning (the Action and ``check --format github`` alike), at
GitHub's real limit of 10 warnings per step, with titles in the manifest's own terms."""

from __future__ import annotations

import pytest
from tests.unit.test_runner import runner_commands

from pipreqs_action.github import workflow_annotations
from pipreqs_action.model import Advice, Location, Missing, ProjectReport, Report


def missing(package: str, *paths: str) -> Missing:
    return Missing(package, (package.lower(),), tuple(Location(path, n + 1) for n, path in enumerate(paths)))


def report(*items: Missing, projects: tuple[ProjectReport, ...] = (), advice: Advice | None = None) -> Report:
    return Report(items, (), (), "", advice=advice, projects=projects)


def warnings(out: str) -> list[tuple[str, str, int]]:
    found = [c for c in runner_commands(out) if c.name == "warning"]
    return [(c.properties["title"], c.properties["file"], int(c.properties["line"])) for c in found]


def test_github_keeps_ten_so_ten_are_written_one_per_package_first(capsys) -> None:
    many = report(
        missing("PyYAML", *[f"y{n}.py" for n in range(30)]), missing("toml", "t.py"), missing("attrs", "a.py")
    )
    rest = workflow_annotations.annotate(many)
    written = warnings(capsys.readouterr().out)

    assert workflow_annotations.MAX_WARNINGS == 10 and len(written) == 10
    assert [title.rpartition(" ")[2] for title, _, _ in written[:3]] == ["PyYAML", "toml", "attrs"]
    assert [file for _, file, _ in written[3:]] == [f"y{n}.py" for n in range(1, 8)]
    assert [(p.finding.package, p.location.path) for p in rest] == [("PyYAML", f"y{n}.py") for n in range(8, 30)]


def test_packages_a_pull_request_introduces_come_first(capsys) -> None:
    items = [missing(f"pkg{n}", f"m{n}.py", f"n{n}.py") for n in range(12)]
    rest = workflow_annotations.annotate(report(*items), new=frozenset({"pkg11"}))
    written = warnings(capsys.readouterr().out)

    assert written[0] == ("New in this pull request, missing from requirements.txt: pkg11", "m11.py", 1)
    assert {title.rpartition(" ")[2] for title, _, _ in written} == {"pkg11", *(f"pkg{n}" for n in range(9))}
    assert len(rest) == 24 - 10  # the first lines of pkg9 and pkg10, then second lines from the new one on
    assert [(p.finding.package, p.location.path) for p in rest[:3]] == [
        ("pkg9", "m9.py"),
        ("pkg10", "m10.py"),
        ("pkg11", "n11.py"),
    ]


def test_every_project_of_a_monorepo_is_annotated_in_its_manifests_terms(capsys) -> None:
    api = report(
        missing("redis", "services/api/app.py"),
        advice=Advice("services/api/requirements.txt"),
    )
    worker = report(
        missing("fastapi", "services/worker/tasks.py"),
        advice=Advice("services/worker/pyproject.toml", kind="pyproject", table="[project] dependencies"),
    )
    worker = worker._replace(dev_only=(missing("pytest", "services/worker/main.py"),))
    root = report(
        missing("PyYAML", "app.py"),
        projects=(ProjectReport("services/api", api), ProjectReport("services/worker", worker)),
        advice=Advice("pyproject.toml", kind="pyproject"),
    )
    workflow_annotations.annotate(root, prefix="repo")

    assert warnings(capsys.readouterr().out) == [
        ("Missing from pyproject.toml: PyYAML", "repo/app.py", 1),
        ("Missing from services/api/requirements.txt: redis", "repo/services/api/app.py", 1),
        ("Missing from services/worker/pyproject.toml: fastapi", "repo/services/worker/tasks.py", 1),
        ("Declared for development only in services/worker/pyproject.toml: pytest", "repo/services/worker/main.py", 1),
    ]


@pytest.mark.parametrize("name", ["::error::x.py", "a,b:c.py"])
def test_format_github_lists_the_lines_past_the_limit_as_plain_lines(name: str) -> None:
    text = workflow_annotations.to_github(report(missing("PyYAML", *[f"{name}{n}" for n in range(12)])))
    lines = text.splitlines()
    commands = runner_commands(text)

    assert [c.name for c in commands] == ["warning"] * 10  # the plain lines start no command, whatever the name
    assert lines[10:12] == [
        f"- not annotated (GitHub shows 10 warnings per step): PyYAML at {name}{n}:{n + 1}" for n in (10, 11)
    ]
    assert lines[-1] == "requirements.txt is missing 1 package the code imports."
