"""Helpers of an application that nothing runs (``unreached``): judged only where the entry points are known."""

from __future__ import annotations

from pathlib import Path

from pipreqs_action.app_code.reachability import Packages
from pipreqs_action.app_code.unreached import mention_pattern, mentioned_modules, unreached_helpers
from pipreqs_action.scan import scan

HELPER = "util/plot_utils.py, which nothing in the app imports, runs or names (a helper no entry point reaches)"


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    return root


def reasons(root: Path) -> dict[str, str]:
    return {ref.module: ref.secondary for ref in scan(root).imports}


APP = {
    "train.py": "import torch\nfrom util import misc\n",
    "util/__init__.py": "",
    "util/misc.py": "import numpy\n",
    "util/plot_utils.py": "import seaborn\n",
}


def test_an_unimported_module_beside_the_ones_the_script_imports_is_a_helper(tmp_path: Path) -> None:
    found = reasons(write(tmp_path, APP))
    assert found["seaborn"] == HELPER
    assert found["numpy"] == "" and found["torch"] == ""


def test_a_library_is_left_to_its_own_rule(tmp_path: Path) -> None:
    """With a packaging manifest the unreached modules are optional integrations, judged only when the package's
    ``__init__.py`` imports its own modules (``reachability``): here it does not, so nothing is set apart."""
    found = reasons(write(tmp_path, {**APP, "pyproject.toml": '[project]\nname = "x"\n'}))
    assert found["seaborn"] == ""


def test_without_a_file_outside_the_packages_importing_them_the_entry_points_are_unknown(tmp_path: Path) -> None:
    """``uvicorn app.main:app`` from a Dockerfile elsewhere, a console script: nothing here says what runs."""
    files = {key: value for key, value in APP.items() if key != "train.py"}
    found = reasons(write(tmp_path, {**files, "util/cli.py": "from util import misc\n"}))
    assert found["seaborn"] == ""


def test_a_name_in_a_root_file_runs_the_module(tmp_path: Path) -> None:
    found = reasons(write(tmp_path, {**APP, "Procfile": "plots: python -m util.plot_utils --log out.txt\n"}))
    assert found["seaborn"] == ""


def test_mentions_are_dotted_names_and_paths_of_the_project_s_modules_but_the_file_s_own() -> None:
    pattern = mention_pattern(Packages(["util/__init__.py", "util/a.py"]))
    text = 'run("util/plot_utils.py"); x = "util.a.main"; import utility.b; "myutil.c"; APPS = ["util"]; util = 1'
    assert mentioned_modules(text, pattern) == ("util", "util.a.main", "util.plot_utils")
    assert mentioned_modules(text, pattern, own="util.a") == ("util", "util.plot_utils")


def test_a_package_named_as_text_names_every_module_in_it(tmp_path: Path) -> None:
    """Django loads ``admin.py`` of every package ``INSTALLED_APPS`` names."""
    found = reasons(write(tmp_path, {**APP, "settings.py": 'INSTALLED_APPS = ["util"]\n'}))
    assert found["seaborn"] == ""


def test_a_package_the_entry_points_do_not_use_is_not_judged() -> None:
    files = ["run.py", "util/__init__.py", "util/misc.py", "extra/__init__.py", "extra/plots.py"]
    edges = {"run.py": ["util.misc"]}
    found = unreached_helpers(
        files, edges, packages=Packages(files), app_code=files, scripts=[], mentioned=["util.misc"]
    )
    assert found == {}


def test_a_framework_command_found_by_its_folder_is_an_entry_point(tmp_path: Path) -> None:
    """Django runs ``util/management/commands/replot.py`` as ``manage.py replot``: nothing imports it."""
    command = {"util/management/__init__.py": "", "util/management/commands/__init__.py": ""}
    command["util/management/commands/replot.py"] = "import matplotlib\nfrom util import plot_utils\n"
    found = reasons(write(tmp_path, {**APP, **command}))
    assert found["matplotlib"] == "" and found["seaborn"] == ""
