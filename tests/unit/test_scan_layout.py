"""Which code is the app's: layout rules, each on its own, then through scan()."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipreqs_action.app_code.layout import Layout, imported_packages, is_test_path
from pipreqs_action.local.local_modules import LocalModules
from pipreqs_action.scan import scan

PACKAGE_REPO = [
    "mypkg/__init__.py",
    "mypkg/core.py",
    "mypkg/tools/__init__.py",
    "mypkg/tools/fmt.py",
    "mypkg/tests/test_core.py",
    "examples/demo.py",
    "example/one.py",
    "demo/a.py",
    "demos/b.py",
    "samples/c.py",
    "tutorials/d.py",
    "tutorial/e.py",
    "benchmarks/bench.py",
    "tools/release.py",
    "scripts/gen.py",
    "docs/conf.py",
    "doc/conf.py",
    "notebooks/explore.ipynb",
    "examples/walkthrough.ipynb",
    "analysis.ipynb",
    "tests/test_x.py",
    "conftest.py",
    "setup.py",
    "noxfile.py",
    "test_top.py",
    "mypkg/core_test.py",
    "vendor/lib/x.py",
    "mypkg/_vendor/six.py",
    "third_party/a/b.py",
    "externals/c.py",
    "vendored/d.py",
]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("mypkg/core.py", ""),
        ("mypkg/tools/fmt.py", ""),  # a sub-package of a package is the package's own code
        ("analysis.ipynb", "notebooks at the root (the app is the .py code)"),  # an analysis beside the package
        ("mypkg/tests/test_core.py", "tests"),
        ("examples/demo.py", "examples/"),
        ("example/one.py", "example/"),
        ("demo/a.py", "demo/"),
        ("demos/b.py", "demos/"),
        ("samples/c.py", "samples/"),
        ("tutorials/d.py", "tutorials/"),
        ("tutorial/e.py", "tutorial/"),
        ("benchmarks/bench.py", "benchmarks/"),
        ("tools/release.py", "tools/"),
        ("scripts/gen.py", "scripts/"),
        ("docs/conf.py", "docs/"),
        ("doc/conf.py", "doc/"),
        ("notebooks/explore.ipynb", "notebooks/"),
        ("examples/walkthrough.ipynb", "examples/"),
        ("tests/test_x.py", "tests"),
        ("conftest.py", "tests"),
        ("test_top.py", "tests"),
        ("mypkg/core_test.py", "tests"),
        ("setup.py", "setup.py"),
        ("noxfile.py", "noxfile.py"),
        ("vendor/lib/x.py", "vendored in vendor/"),
        ("mypkg/_vendor/six.py", "vendored in mypkg/_vendor/"),  # vendored even inside a package
        ("third_party/a/b.py", "vendored in third_party/"),
        ("externals/c.py", "vendored in externals/"),
        ("vendored/d.py", "vendored in vendored/"),
    ],
)
def test_each_kind_of_secondary_code_has_its_reason(path: str, reason: str) -> None:
    assert Layout(PACKAGE_REPO).reason(path) == reason


def test_in_a_repository_of_notebooks_the_notebooks_are_the_app() -> None:
    paths = ["chapters/01.ipynb", "notebooks/02.ipynb", "examples/03.ipynb", "tools/build.py", "tests/test_nb.py"]
    layout = Layout(paths)
    assert [layout.reason(path) for path in paths] == ["", "", "", "tools/", "tests"]


def test_notebooks_folder_of_a_package_repository_is_secondary_but_its_scripts_are_not_named_so() -> None:
    layout = Layout(["pkg/__init__.py", "notebooks/a.ipynb", "notebooks/helper.py"])
    assert layout.reason("notebooks/a.ipynb") == "notebooks/"
    assert layout.reason("notebooks/helper.py") == ""


def test_a_repository_that_is_all_examples_keeps_its_code() -> None:
    """Folder names alone never leave a project without any app code (a repository of examples)."""
    paths = ["examples/a/main.py", "examples/b/main.py", "tests/test_a.py"]
    layout = Layout(paths)
    assert [layout.reason(path) for path in paths] == ["", "", "tests"]


def test_a_sub_folder_with_its_own_manifest_is_a_project_of_its_own() -> None:
    paths = ["app.py", "web/server.py", "ml/train/run.py", "mypkg/__init__.py"]
    manifests = ["requirements.txt", "web/requirements.txt", "ml/pyproject.toml", "mypkg/other.txt"]
    layout = Layout(paths, manifests=manifests)
    assert layout.reason("web/server.py") == "web/, a project of its own"
    assert layout.reason("ml/train/run.py") == "ml/, a project of its own"
    assert layout.reason("app.py") == layout.reason("mypkg/__init__.py") == ""


def test_the_folder_of_a_declared_manifest_is_the_app() -> None:
    layout = Layout(
        ["web/server.py"], manifests=["requirements.txt", "web/requirements.txt"], declared_in=["web/requirements.txt"]
    )
    assert layout.reason("web/server.py") == ""


def test_without_a_manifest_at_the_root_sub_projects_are_not_guessed() -> None:
    layout = Layout(["web/server.py", "api/main.py"], manifests=["web/requirements.txt", "api/requirements.txt"])
    assert layout.reason("web/server.py") == ""


def test_user_patterns_add_secondary_code_and_claim_code_for_the_app() -> None:
    layout = Layout(
        ["app.py", "scripts/deploy.py", "playground/try.py", "examples/keep/main.py"],
        secondary=["playground/"],
        app=["scripts/deploy.py", "examples/keep/"],
    )
    assert layout.reason("playground/try.py") == "a configured secondary path"
    assert layout.reason("scripts/deploy.py") == ""
    assert layout.reason("examples/keep/main.py") == ""


def test_vendored_folders_and_copied_files_named_by_the_caller() -> None:
    layout = Layout(["lib/six.py", "app.py", "util.py"], vendored=["lib"], copied={"util.py": "https://x.test/u"})
    assert layout.reason("lib/six.py") == "vendored in lib/"
    assert layout.reason("util.py") == "a file copied from https://x.test/u"
    assert layout.reason("app.py") == ""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("tests/test_a.py", True),
        ("docs/conf.py", True),
        ("setup.py", True),
        ("conftest.py", True),
        ("pkg/core.py", False),
        ("examples/demo.py", False),  # secondary code, but not test code
    ],
)
def test_is_test_path_is_kept_for_callers(path: str, expected: bool) -> None:
    assert is_test_path(path) is expected


# --- through scan() -------------------------------------------------------------------------------------------------


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def test_scan_marks_each_import_with_whose_code_made_it(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "requirements.txt": "",
            "pkg/__init__.py": "import rich\n",
            "examples/demo.py": "import matplotlib\n",
            "web/requirements.txt": "flask\n",
            "web/app.py": "import flask\n",
        },
    )
    found = {ref.module: ref.secondary for ref in scan(root).imports}
    assert found == {"rich": "", "matplotlib": "examples/", "flask": "web/, a project of its own"}
    claimed = {ref.module: ref.secondary for ref in scan(root, app=["web/"], secondary=["pkg/"]).imports}
    assert claimed == {"rich": "a configured secondary path", "matplotlib": "examples/", "flask": ""}
    declared = {ref.module: ref.secondary for ref in scan(root, declared_in=["web/requirements.txt"]).imports}
    assert declared["flask"] == ""


def test_scripts_the_readme_runs_are_the_apps_entry_points() -> None:
    readme = "Run it:\n\n    python scripts/txt2img.py --prompt x\n    python3 -u -m tools.convert in.ckpt\n"
    paths = ["ldm/__init__.py", "scripts/txt2img.py", "scripts/knn2img.py", "tools/convert.py", "examples/a.py"]
    layout = Layout(paths, readme=readme)
    assert [layout.reason(path) for path in paths] == ["", "", "", "", "examples/"]
    assert Layout(paths).reason("scripts/knn2img.py") == "scripts/"


def test_examples_the_readme_runs_stay_examples() -> None:
    layout = Layout(["pkg/__init__.py", "examples/demo.py"], readme="python examples/demo.py")
    assert layout.reason("examples/demo.py") == "examples/"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("app/tests.py", "tests"),
        ("bench/run.py", "bench/"),
        ("extras/profiling/x.py", "extras/"),
        ("devel/y.py", "devel/"),
    ],
)
def test_more_secondary_names_seen_in_the_field(path: str, reason: str) -> None:
    assert Layout([path, "main.py"]).reason(path) == reason


# --- tests by other names, integration suites, workspaces whose code lives in members -----------------------------


def test_a_file_named_test_py_is_test_code_unless_the_readme_runs_it() -> None:
    """Django's ``tests.py`` and a manual ``test.py`` client are tests; ``python test.py --weights x`` in the
    README is how an ML repository evaluates its model: an entry point of the app."""
    paths = ["service/predict.py", "service/test.py", "train.py", "test.py", "app/tests.py"]
    assert Layout(paths).reason("service/test.py") == "tests"
    assert Layout(paths).reason("test.py") == "tests"
    readme = "Evaluate:\n\n    python test.py --weights best.pt\n"
    layout = Layout(paths, readme=readme)
    assert layout.reason("test.py") == ""
    assert layout.reason("service/test.py") == "tests"  # the README runs another file
    assert layout.reason("app/tests.py") == "tests"


@pytest.mark.parametrize("folder", ["integration_tests", "integration-tests", "e2e", "e2e_tests", "end_to_end"])
def test_integration_and_end_to_end_suites_are_tests_wherever_they_are(folder: str) -> None:
    paths = ["mypkg/__init__.py", f"{folder}/graph.py", f"mypkg/{folder}/check.py", "main.py"]
    layout = Layout(paths)
    assert layout.reason(f"{folder}/graph.py") == "tests"
    assert layout.reason(f"mypkg/{folder}/check.py") == "tests"


def test_an_integration_folder_beside_a_package_is_its_integration_tests() -> None:
    paths = [
        "sdk/mysdk/__init__.py",
        "sdk/mysdk/client.py",
        "sdk/integration/graph/__init__.py",
        "sdk/integration/graph/agent.py",
    ]
    assert Layout(paths).reason("sdk/integration/graph/agent.py") == "tests"


@pytest.mark.parametrize(
    "paths",
    [
        # a sub-package named integration is the package's code
        ["mypkg/__init__.py", "mypkg/integration/__init__.py", "mypkg/integration/slack.py"],
        # a top-level package named integration, beside another package: code too
        ["core/__init__.py", "integration/__init__.py", "integration/slack.py"],
        # no package beside it: an app's folder, nothing says it is tests
        ["app.py", "integration/slack.py"],
    ],
)
def test_an_integration_folder_that_is_code_stays_code(paths: list[str]) -> None:
    assert Layout(paths).reason(paths[-1]) == ""


def test_a_root_whose_code_all_lives_in_sub_projects_keeps_its_tooling_folders_apart() -> None:
    """A workspace root with its members as projects of their own: its ``scripts/`` are maintainer tooling. The
    rule that keeps a repository of examples' code applies only when no project anywhere holds app code."""
    paths = ["core/core/__init__.py", "cli/cli/__init__.py", "scripts/upload.py", "tests/test_core.py"]
    manifests = ["pyproject.toml", "core/pyproject.toml", "cli/pyproject.toml"]
    layout = Layout(paths, manifests=manifests)
    assert layout.reason("scripts/upload.py") == "scripts/"
    assert layout.reason("core/core/__init__.py") == "core/, a project of its own"


def test_sub_projects_that_are_examples_do_not_count_as_app_code() -> None:
    paths = ["examples/a/main.py", "examples/b/main.py", "scripts/run_all.py"]
    manifests = ["requirements.txt", "examples/a/requirements.txt"]
    layout = Layout(paths, manifests=manifests)
    assert layout.reason("scripts/run_all.py") == ""  # a repository of examples: its names are not applied


def test_a_static_folder_holds_assets_and_the_scripts_that_build_them() -> None:
    paths = ["book/__init__.py", "static/post_latex/main.py", "web/static/build.py", "app.py"]
    layout = Layout(paths)
    assert layout.reason("static/post_latex/main.py") == "static/"
    assert layout.reason("web/static/build.py") == "static/"


@pytest.mark.parametrize(
    "paths",
    [
        ["static/__init__.py", "static/loader.py", "app.py"],  # a package named static is code
        ["mypkg/__init__.py", "mypkg/static/render.py"],  # inside a package: the package's own folder
    ],
)
def test_a_static_folder_that_is_code_stays_code(paths: list[str]) -> None:
    assert Layout(paths).reason(paths[1]) == ""


def test_a_package_named_like_tooling_that_the_app_imports_is_the_app_s_code() -> None:
    """``mysite/extras/`` is a Django app the other apps import (``from extras.models import Tag``, run from
    ``mysite/``): its name says nothing. A package the app never imports, or only tests, examples and other tooling
    import, keeps its name's reason."""
    paths = [
        "mysite/manage.py",
        "mysite/shop/__init__.py",
        "mysite/shop/views.py",
        "mysite/extras/__init__.py",
        "mysite/extras/models.py",
        "tools/__init__.py",
        "tools/release.py",
        "examples/demo.py",
        "scripts/__init__.py",
        "scripts/seed.py",
        "tests/test_shop.py",
        "docs/conf.py",
    ]
    imports = {
        "mysite/shop/views.py": ["django", "extras"],
        "mysite/extras/models.py": ["extras", "markdown"],
        "examples/demo.py": ["tools"],
        "tests/test_shop.py": ["scripts", "extras"],
        "docs/conf.py": ["scripts"],
        "mysite/manage.py": ["docs", "django"],
    }
    imported = imported_packages(imports, LocalModules(paths))
    assert imported == {"mysite/extras"}  # docs/ holds no package; tools/ and scripts/ only tooling and tests import
    layout = Layout(paths, imported=imported)
    assert layout.reason("mysite/extras/models.py") == ""
    assert layout.reason("tools/release.py") == "tools/"
    assert layout.reason("scripts/seed.py") == "scripts/"
    assert Layout(paths).reason("mysite/extras/models.py") == "extras/"
