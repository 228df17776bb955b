"""What a notebook says about its own imports (pip installs, written scripts) and what a runtime provides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipreqs_action.app_code.declared_notebooks import as_app_when_declared
from pipreqs_action.app_code.layout import ROOT_NOTEBOOK, Layout
from pipreqs_action.intent import notebook_imports, runtime_provided
from pipreqs_action.mapping import ImportNames
from pipreqs_action.model import Declared, ImportRef, Location, Requirement, ScanResult, SourceText
from pipreqs_action.pip_commands import installed_names, installed_repositories
from pipreqs_action.reading.notebooks import notebook_source
from pipreqs_action.scan import scan


def notebook(*cells: str) -> bytes:
    """nbformat 4 as Jupyter writes it: one JSON string per source line, so every line has its own file line."""
    listed = [{"cell_type": "code", "metadata": {}, "source": cell.splitlines(keepends=True)} for cell in cells]
    return json.dumps({"cells": listed, "nbformat": 4}, indent=1).encode()


def read(*cells: str, rel: str = "nb.ipynb") -> SourceText:
    source = notebook_source(rel, notebook(*cells))
    assert isinstance(source, SourceText), source
    return source


def file_line(raw: bytes, needle: str) -> int:
    return next(number for number, line in enumerate(raw.decode().splitlines(), 1) if needle in line)


# --- pip commands -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "names"),
    [
        ("!pip install -q torchinfo", ("torchinfo",)),
        ("    !pip -q install gradio", ("gradio",)),
        ("%pip install -q -U keras_tuner~=1.4.6", ("keras-tuner",)),
        ("!pip install -q torchmetrics -U mlxtend # Colab may need a restart", ("torchmetrics", "mlxtend")),
        ("!pip install openai==0.27.8 tqdm==4.65.0 -q", ("openai", "tqdm")),
        ("!{sys.executable} -m pip install 'nomic[local]' Flask", ("nomic", "flask")),
        ("!python -m pip install -r requirements.txt seaborn", ("seaborn",)),
        ("%pip install -qr requirements.txt comet_ml", ("comet-ml",)),
        ("!pip3 install -U torch --extra-index-url https://download.pytorch.org/whl/cu118", ("torch",)),
        ("!pip install git+https://github.com/openai/CLIP.git", ()),
        ("!pip install -e ./taming-transformers", ()),
        ("!pip install $PACKAGE {name}", ()),
        ("!pip install x && pip install y", ("x", "y")),
        ("!pip uninstall -y gym", ()),
        ("!pip list", ()),
        ("!ls install", ()),
        ("!pip install 'unbalanced", ("unbalanced",)),
    ],
)
def test_the_names_a_pip_command_installs(command: str, names: tuple[str, ...]) -> None:
    assert installed_names(command) == names


@pytest.mark.parametrize(
    ("command", "repositories"),
    [
        ("!pip install --upgrade git+https://github.com/vista-simulator/vista-6s191.git", ("vista-6s191",)),
        ("%pip install -q git+https://github.com/openai/CLIP.git@main torch", ("clip",)),
        ("!pip install -e git+https://github.com/CompVis/taming-transformers.git@master", ("taming-transformers",)),
        ("!pip install git+ssh://git@github.com/org/Proj.git", ("proj",)),
        ("!pip install https://github.com/owner/tool_kit/archive/refs/heads/main.zip", ("tool-kit",)),
        ("!pip install https://files.pythonhosted.org/packages/ab/foo-1.0-py3-none-any.whl", ()),  # a file, no repo
        ("!pip install git+https://github.com/{user}/x.git", ()),
        ("!pip install -e ./taming-transformers torch", ()),
        ("!git clone https://github.com/openai/CLIP.git", ()),
    ],
)
def test_the_repositories_a_pip_command_installs_from(command: str, repositories: tuple[str, ...]) -> None:
    assert installed_repositories(command) == repositories
    assert not installed_names(command) or "torch" in command  # a URL is never taken for a distribution's name


# --- what the notebook reader notes -----------------------------------------------------------------------------


def test_the_reader_notes_each_pip_install_at_its_file_line_but_not_text_a_cell_writes() -> None:
    guarded = "try:\n    import x\nexcept:\n    !pip install -q x\n    import x\n"
    raw = notebook(guarded, "%%writefile a.sh\npip install y\n")
    source = notebook_source("nb.ipynb", raw)
    assert isinstance(source, SourceText)
    assert source.installs == ((file_line(raw, "!pip install -q x"), "x"),)


def test_a_written_script_nothing_imports_or_runs_is_noted_with_its_lines() -> None:
    cells = (
        "%%writefile job/trial.py\nimport hypertune\n",
        "%%writefile going/data.py\nimport torchvision\n",
        "%%writefile going/train.py\nimport data\n",
        "!python going/train.py --epochs 3",
        "%%writefile helpers.py\nimport seaborn\n",
        "from helpers import plot",
    )
    raw = notebook(*cells)
    source = notebook_source("course/nb.ipynb", raw)
    assert isinstance(source, SourceText)
    first, last = file_line(raw, "%%writefile job/trial.py"), file_line(raw, "import hypertune")
    assert source.scripts == ((first, last, "course/job/trial.py"),)
    assert set(source.writes) == {"course/job/trial.py", "course/going/data.py", "course/going/train.py"} | {
        "course/helpers.py"
    }


# --- the rules over the imports of one file ---------------------------------------------------------------------


def ref(module: str, line: int, path: str = "nb.ipynb", **flags: object) -> ImportRef:
    return ImportRef(module, Location(path, line), **flags)  # type: ignore[arg-type]


def test_imports_at_or_after_a_pip_install_of_their_distribution_are_installed_on_demand() -> None:
    source = SourceText("nb.ipynb", "", installs=((10, "torchinfo"), (30, "google-cloud-storage"), (12, "torchinfo")))
    refs = [
        ref("torchinfo", 5, optional=True, reason="guarded by except ImportError"),
        ref("torchinfo", 11),
        ref("torchinfo", 90),
        ref("google.cloud", 31, names=("storage",)),
        ref("torch", 11),
        ref("google.cloud", 29, names=("storage",)),
    ]
    found = notebook_imports.apply(refs, source)
    assert found[0] == refs[0]  # already guarded: its reason stays
    assert [item.optional for item in found[1:]] == [True, True, True, False, False]
    assert found[2].reason == "installed on demand by the notebook (pip install at line 10)"


def test_imports_in_a_script_the_notebook_only_writes_are_secondary() -> None:
    source = SourceText("nb.ipynb", "", scripts=((20, 24, "job.py"),))
    found = notebook_imports.apply([ref("hypertune", 22), ref("numpy", 25)], source)
    assert found[0].secondary == "job.py (a script the notebook writes, never imports or runs)"
    assert found[1].secondary == ""


def test_runtime_modules_are_optional_wherever_they_are_imported() -> None:
    refs = [ref("google.colab", 3), ref("google", 4, names=("colab",)), ref("kaggle_secrets", 5), ref("google", 6)]
    found = runtime_provided.apply(refs, SourceText("nb.ipynb", ""))
    assert [item.reason for item in found] == [
        "exists only in Google Colab",
        "exists only in Google Colab",
        "exists only in Kaggle",
        "",
    ]


def test_the_kernel_provides_ipython_to_notebooks_only() -> None:
    in_notebook = runtime_provided.apply([ref("IPython.display", 3)], SourceText("nb.ipynb", ""))
    in_module = runtime_provided.apply([ref("IPython.display", 1, path="m.py")], SourceText("m.py", "import IPython\n"))
    assert in_notebook[0].optional and in_notebook[0].reason == runtime_provided.KERNEL_REASON
    assert not in_module[0].optional


def test_a_module_importing_colab_unguarded_at_top_level_is_colab_only_code() -> None:
    text = "from google.colab import output\nimport ipywidgets\n"
    refs = [ref("google.colab", 1, "h.py"), ref("ipywidgets", 2, "h.py")]
    found = runtime_provided.apply(refs, SourceText("h.py", text))
    assert {item.secondary for item in found} == {"Google Colab-only code (google.colab imported at line 1)"}


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("try:\n    from google.colab import output\nexcept ImportError:\n    pass\n", {"optional": True}),
        ("if IN_COLAB:\n    from google.colab import output\n", {}),
        ("def f():\n    from google.colab import output\n", {"in_function": True}),
    ],
)
def test_a_guarded_or_nested_colab_import_leaves_the_module_the_apps(text: str, flags: dict[str, object]) -> None:
    colab = ref("google.colab", 2, "h.py", **flags)
    found = runtime_provided.apply([colab, ref("ipywidgets", 9, "h.py")], SourceText("h.py", text))
    assert found[1].secondary == "" and not found[1].optional
    assert found[0].optional and found[0].secondary == ""


def test_colab_only_code_in_a_notebook_keeps_the_notebooks_other_imports() -> None:
    found = runtime_provided.apply([ref("google.colab", 1), ref("torch", 2)], SourceText("nb.ipynb", "x"))
    assert found[1] == ref("torch", 2)


# --- layout: which notebooks are the app --------------------------------------------------------------------------


def test_root_notebooks_beside_the_scripts_of_the_app_are_secondary() -> None:
    paths = ["train.py", "model.py", "bench.py", "sample.py", "scaling.ipynb", "data/prep/look.ipynb", "nbs/eda.ipynb"]
    layout = Layout(paths)
    assert [layout.reason(path) for path in paths] == ["", "", "", "", ROOT_NOTEBOOK, "", "nbs/"]


def test_root_notebooks_beside_tooling_only_are_the_app() -> None:
    """setup.py or conftest.py at the root say nothing about where the app is."""
    paths = ["setup.py", "conftest.py", "lib/x.py", "lib/y.py", "lib/z.py", "analysis.ipynb"]
    assert Layout(paths).reason("analysis.ipynb") == ""


def test_in_a_notebook_repository_docs_and_extras_notebooks_are_secondary_but_examples_are_the_book() -> None:
    paths = ["01.ipynb", "02.ipynb", "docs/01.ipynb", "extras/cheatsheet.ipynb", "examples/e.ipynb", "helpers.py"]
    layout = Layout(paths)
    assert [layout.reason(path) for path in paths] == ["", "", "docs/", "extras/", "", ""]


def test_a_book_kept_in_docs_stays_the_app() -> None:
    """No notebook outside docs/: the book is there (a Jupyter Book), not in a side folder."""
    paths = ["docs/01.ipynb", "docs/02.ipynb", "docs/conf.py"]
    layout = Layout(paths)
    assert [layout.reason(path) for path in paths] == ["", "", "docs/"]


# --- through scan(): what the file says, and the user's `app` patterns over it ---------------------------------------


def test_the_users_app_patterns_win_over_colab_only_code(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text("import torch\n")
    (tmp_path / "helpers.py").write_text("from google.colab import output\nimport ipywidgets\n")
    found = {ref.module: ref.secondary for ref in scan(tmp_path).imports}
    assert found["ipywidgets"] == "Google Colab-only code (google.colab imported at line 1)"
    assert found["torch"] == ""
    claimed = {ref.module: ref.secondary for ref in scan(tmp_path, app=["helpers.py"]).imports}
    assert claimed["ipywidgets"] == ""


# --- notebooks the manifest declares ------------------------------------------------------------------------------


class SameNames(ImportNames):
    """Every distribution provides the import of its own name; no index is opened."""

    def __init__(self) -> None:
        pass

    def import_paths(self, ref: ImportRef) -> tuple[str, ...]:
        return (ref.root,)

    def provides(self, dist: str) -> frozenset[str]:
        return frozenset({dist})


def declared(*names: str) -> Declared:
    return Declared(tuple(Requirement(name, name, Location("requirements.txt", 1), name) for name in names))


def test_notebooks_whose_packages_the_manifest_declares_are_the_app() -> None:
    scanned = ScanResult(
        (
            ref("requests", 1, "pkg/api.py"),
            ref("seaborn", 3, "notebooks/a.ipynb", secondary="notebooks/"),
            ref("plotly", 4, "notebooks/b.ipynb", secondary="notebooks/"),
            ref("gradio", 5, "examples/demo.ipynb", secondary="examples/"),
            ref("flask", 6, "examples/web.py", secondary="examples/"),
        )
    )
    found = as_app_when_declared(scanned, declared("requests", "seaborn"), SameNames())
    assert [item.secondary for item in found.imports] == ["", "", "", "examples/", "examples/"]


def test_notebooks_stay_apart_when_what_they_import_is_declared_for_the_app_too() -> None:
    scanned = ScanResult(
        (
            ref("requests", 1, "pkg/api.py"),
            ref("requests", 2, "nb.ipynb", secondary=ROOT_NOTEBOOK),
            ref("matplotlib", 3, "nb.ipynb", secondary=ROOT_NOTEBOOK),
            ref("seaborn", 4, "tests/test_plots.py", secondary="tests"),
            ref("seaborn", 5, "nb.ipynb", secondary=ROOT_NOTEBOOK),
        )
    )
    assert as_app_when_declared(scanned, declared("requests", "seaborn"), SameNames()) is scanned
