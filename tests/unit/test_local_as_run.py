"""Local code as Python finds it when the project runs: a notebook's working folder, a module importing its own name,
a package imported from the folder a script runs in, and the folders above a project of its own. Each import settled
this way says which file it found."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipreqs_action.local import working_folders
from pipreqs_action.local.enclosing_modules import Above, above, resolve
from pipreqs_action.local.local_modules import LocalModules
from pipreqs_action.model import ImportRef, Location
from pipreqs_action.pipeline import run
from pipreqs_action.render import as_dict
from pipreqs_action.scan import scan
from pipreqs_action.settings import Settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "projects"


def local_reasons(root: Path) -> dict[tuple[str, int], str]:
    return {(item.location.path, item.location.line): item.reason for item in scan(root).local}


def line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


# --- a notebook's working folder ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "code", "expected"),
    [
        ("%cd webapp", "", "webapp"),
        ("%cd -q ../service  # the model", "", "../service"),
        ('%cd "data dir"', "", "data dir"),
        ("%cd", "", ""),  # home: nobody can tell
        ("os.chdir('movieclassifier')", "os.chdir('movieclassifier')", "movieclassifier"),
        ('os.chdir(r"sub")', 'os.chdir(r"sub")', "sub"),
        ("os.chdir(folder)", "os.chdir(folder)", ""),
        ("!cd webapp", "", None),  # a shell of its own: the kernel stays
        ("print('%cd webapp')", "print('%cd webapp')", None),
    ],
)
def test_a_notebook_line_that_moves_the_kernel(line: str, code: str, expected: str | None) -> None:
    assert working_folders.target(line, code) == expected


def test_moves_are_followed_from_the_notebook_folder_until_nobody_can_tell() -> None:
    found = working_folders.moves("ch09/ch09.ipynb", [(5, "app"), (9, "../service"), (12, "/content"), (14, "x")])
    assert found == ((5, "ch09/app"), (9, "ch09/service"), (12, None), (14, None))
    assert working_folders.moves("nb.ipynb", [(3, ".."), (4, "."), (5, "$HOME/x")]) == ((3, None), (4, None), (5, None))
    assert working_folders.moves("a/nb.ipynb", [(3, "..")]) == ((3, ""),)


def test_a_notebook_imports_from_the_folder_its_kernel_moved_to() -> None:
    root = FIXTURES / "notebook_working_folder"
    notebook = root / "lessons" / "chapter.ipynb"
    reasons = local_reasons(root)
    vectorizer = reasons[("lessons/chapter.ipynb", line_of(notebook, "from vectorizer import vect"))]
    predictor = reasons[("lessons/chapter.ipynb", line_of(notebook, "import predictor"))]
    assert vectorizer.startswith("lessons/webapp/vectorizer.py: the notebook works in lessons/webapp/ from line ")
    assert vectorizer.endswith(f" {line_of(notebook, 'os.chdir')} (%cd or os.chdir)")
    assert predictor.startswith("lessons/service/predictor.py: the notebook works in lessons/service/ from line ")
    assert sorted(ref.module for ref in scan(root).imports) == ["numpy", "summarizer", "vectorizer"]


# --- a module importing its own name --------------------------------------------------------------------------------


def test_a_module_outside_any_package_importing_its_own_name_gets_itself() -> None:
    root = FIXTURES / "self_import_module"
    line = line_of(root / "glossary.py", "import glossary")
    defined = line_of(root / "glossary.py", "TERMS = ")
    expected = "glossary.py itself: outside any package, it imports its own name to reach TERMS"
    expected += f" (its own, line {defined})"
    assert local_reasons(root) == {("glossary.py", line): expected}
    # the pitfall (labels.py takes only what the package brings) and a package's module keep the real package
    assert sorted(ref.module for ref in scan(root).imports) == ["flask", "labels", "mailer"]


# --- a package imported from the folder a script runs in -------------------------------------------------------------


def test_a_sub_package_importing_itself_by_name_from_a_script_folder_is_local() -> None:
    tree = ["lab/__init__.py", "lab/demo/app.py", "lab/demo/widgets/__init__.py", "lab/demo/widgets/panel.py"]
    tree += ["lab/demo/widgets/parts/__init__.py", "lab/demo/widgets/parts/button.py"]
    panel = "lab/demo/widgets/panel.py"
    assert not LocalModules(tree).is_local(panel, "widgets", module="widgets.parts")  # nothing runs from lab/demo/
    run_there = LocalModules(tree, script_folders=["lab/demo"])
    assert run_there.is_local(panel, "widgets", module="widgets.parts")  # app.py imports widgets: run from there
    assert not run_there.is_local(panel, "widgets", module="widgets.query")  # not the package's own: a library's
    assert not run_there.is_local(panel, "widgets", module="widgets")  # the bare name says nothing
    in_a_package = LocalModules([*tree, "lab/demo/__init__.py"], script_folders=["lab/demo"])
    assert not in_a_package.is_local(panel, "widgets", module="widgets.parts")  # lab.demo.widgets wraps a library


def test_a_script_importing_a_package_beside_it_makes_its_folder_a_script_folder() -> None:
    assert [ref.module for ref in scan(FIXTURES / "script_folder_package").imports] == ["streamlit", "streamlit"]


# --- the folders above a project of its own -------------------------------------------------------------------------


def test_a_project_sees_the_modules_of_the_folders_above_it() -> None:
    tree = ["main.py", "palette.py", "charts/__init__.py", "layouts/grid.py", "svc/api/app.py", "svc/tool.py"]
    found = above(LocalModules(tree), {"shared": Above("../shared/")}, "svc/api")
    assert found["tool"] == Above("../tool.py")
    assert found["charts"] == Above("../../charts/")
    assert found["palette"] == Above("../../palette.py")
    assert found["layouts"] == Above("../../layouts/", frozenset({"grid"}))  # no __init__.py: what it holds
    assert found["shared"] == Above("../../../shared/")  # the checked root's own enclosing folders, further up
    assert "app" not in found  # the project's own files are its own, not above it


def test_a_namespace_folder_above_counts_only_for_what_it_holds() -> None:
    modules_above = {"layouts": Above("../layouts/", frozenset({"grid"})), "palette": Above("../palette.py")}
    refs = [
        ImportRef("layouts.grid", Location("a.py", 1)),
        ImportRef("layouts", Location("a.py", 2), names=("grid",)),
        ImportRef("layouts", Location("a.py", 3)),  # an installed layouts comes first: it is that one
        ImportRef("layouts.theme", Location("a.py", 4)),
        ImportRef("palette", Location("a.py", 5)),
    ]
    kept, found = resolve(refs, modules_above)
    assert [ref.location.line for ref in kept] == [3, 4]
    assert [(item.location.line, item.reason.partition(":")[0]) for item in found] == [
        (1, "../layouts/"),
        (2, "../layouts/"),
        (5, "../palette.py"),
    ]


def test_a_project_of_its_own_imports_its_enclosing_projects_modules() -> None:
    report: dict[str, Any] = as_dict(run(Settings(path=FIXTURES / "subproject_root_modules", offline=True)))
    projects = {project["path"]: project for project in report["projects"]}
    bridges = projects["bridges"]
    reasons = {(item["import"], item["reason"]) for item in bridges["local"]}
    assert reasons == {
        ("palette", "../palette.py: a module of the enclosing project, whose code runs from there"),
        ("bridges.gpu", "../bridges/: a module of the enclosing project, whose code runs from there"),
        ("charts.render", "../charts/: a module of the enclosing project, whose code runs from there"),
        ("layouts.grid", "../layouts/: a module of the enclosing project, whose code runs from there"),
    }
    assert bridges["missing"] == []
    # plugins/ranking/ is a folder named like the package its code imports, not that package
    assert [item["package"] for item in projects["plugins/ranking"]["missing"]] == ["ranking"]
