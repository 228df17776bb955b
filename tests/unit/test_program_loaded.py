"""Modules of a library that another program loads by the name its docs give: that program is installed there."""

from __future__ import annotations

from pathlib import Path

from pipreqs_action.app_code.program_loaded import doc_texts, loaded_by_programs, optional_where_loaded
from pipreqs_action.app_code.reachability import Packages
from pipreqs_action.model import ImportRef, Location
from pipreqs_action.scan import scan

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "projects" / "library_program_loaded"
FILES = ["srv/__init__.py", "srv/workers.py", "srv/report.py"]
IMPORTED = {"srv/workers.py": ["procman", "uvloop"], "srv/report.py": ["jinja2"]}


def loaded(text: str) -> dict[tuple[str, str], str]:
    return loaded_by_programs(["srv/workers.py", "srv/report.py"], IMPORTED, Packages(FILES), [("docs/a.md", text)])


def test_a_command_of_an_imported_package_naming_the_module_makes_that_package_optional_there() -> None:
    text = "# Deploy\n\nRun `procman -w 4 -k srv.workers.Worker` in production.\n"
    assert loaded(text) == {
        ("srv/workers.py", "procman"): "procman loads srv/workers.py by name (docs/a.md:3: procman ... srv.workers)"
    }
    assert list(loaded("```\n$ procman --bind :80 -k srv.workers.Worker app:main\n```\n")) == [
        ("srv/workers.py", "procman")
    ]


def test_a_mention_that_is_no_command_of_an_imported_package_changes_nothing() -> None:
    assert loaded("The srv.workers module holds the worker procman uses.\n") == {}  # prose, not a command
    assert loaded("`python -m srv.report`\n`procman -k srv.workersx`\n") == {}  # python: not imported; another name


def test_only_the_program_s_own_imports_become_optional() -> None:
    reasons = {("srv/workers.py", "procman"): "why"}
    refs = [
        ImportRef("procman.base", Location("srv/workers.py", 1)),
        ImportRef("uvloop", Location("srv/workers.py", 2)),
    ]
    assert [(ref.optional, ref.reason) for ref in optional_where_loaded(refs, reasons)] == [(True, "why"), (False, "")]


def test_docs_are_the_root_readme_and_the_docs_folder(tmp_path: Path) -> None:
    for rel in ("README.md", "docs/guide/deploy.md", "docs/conf.py", "notes/other.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", "utf-8")
    assert [rel for rel, _ in doc_texts(tmp_path)] == ["README.md", "docs/guide/deploy.md"]


def test_scan_makes_the_program_optional_in_the_module_it_loads_and_nothing_else() -> None:
    found = {(ref.location.path, ref.root): ref for ref in scan(FIXTURE).imports}
    assert found["srvlib/tasks.py", "celery"].optional
    assert found["srvlib/tasks.py", "celery"].reason.startswith("celery loads srvlib/tasks.py by name (docs/deploy.md:")
    assert not found["srvlib/tasks.py", "redis"].optional  # celery does not install the module's other imports
    assert not found["srvlib/report.py", "jinja2"].optional  # `python -m srvlib.report`: python is no import of it
