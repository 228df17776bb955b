"""Install on demand one notebook away (notebook_helpers): who imports a helper module decides whether the
notebooks' installs cover its imports."""

from __future__ import annotations

from pipreqs_action.intent.notebook_helpers import NotebookUses, apply, in_kernel, kernel_imports, kernel_modules
from pipreqs_action.intent.runtime_provided import KERNEL_REASON
from pipreqs_action.model import ImportRef, Location

FILES = ["labs/a.ipynb", "labs/b.ipynb", "kit/__init__.py", "kit/core.py", "kit/extra.py", "tool.py", "run.py"]


def ref(path: str, module: str = "gym", **flags: bool) -> ImportRef:
    return ImportRef(module, Location(path, 4), **flags)


def installing(path: str, *modules: str, at: int = 3, line: int = 10) -> NotebookUses:
    return NotebookUses(path, tuple((module, line) for module in modules), ((at, "gym"),))


def test_a_package_imported_only_by_installing_notebooks_has_its_imports_covered_whatever_imports_inside() -> None:
    uses = [
        installing("labs/a.ipynb", "kit"),
        installing("labs/b.ipynb", "kit", at=7),
        NotebookUses("kit/__init__.py", (("kit", 0),)),  # the package's own modules import each other
    ]
    found = apply([ref("kit/core.py"), ref("kit/extra.py", in_function=True)], uses, FILES)
    assert all(item.optional for item in found)
    reason = "installed on demand by the notebooks that import this module (labs/a.ipynb: pip install at line 3)"
    assert found[0].reason == reason


def test_one_notebook_that_does_not_install_it_first_or_one_script_importing_the_module_keeps_it_required() -> None:
    late = [installing("labs/a.ipynb", "tool"), installing("labs/b.ipynb", "tool", at=12)]
    assert not apply([ref("tool.py")], late, FILES)[0].optional
    script = [installing("labs/a.ipynb", "tool"), NotebookUses("run.py", (("tool", 0),))]
    assert not apply([ref("tool.py")], script, FILES)[0].optional
    other = [installing("labs/a.ipynb", "tool")]
    assert not apply([ref("tool.py", "numpy")], other, FILES)[0].optional  # what the notebook installs is gym


def test_without_any_notebook_install_nothing_is_resolved() -> None:
    refs = [ref("tool.py")]
    assert apply(refs, [NotebookUses("labs/a.ipynb", (("tool", 10),))], FILES) is refs


def test_modules_only_notebooks_load_run_in_their_kernel_through_a_chain_of_such_modules() -> None:
    files = ["book.ipynb", "preamble.py", "plots/__init__.py", "plots/grid.py", "run.py", "shared.py", "a.py", "b.py"]
    uses = [
        NotebookUses("book.ipynb", (("preamble", 1), ("shared", 2))),
        NotebookUses("preamble.py", (("plots", 0),)),
        NotebookUses("plots/__init__.py", (("plots", 0),)),  # a package's own modules do not count
        NotebookUses("run.py", (("shared", 0),)),  # a script outside the notebooks imports shared.py
        NotebookUses("a.py", (("b", 0),)),  # a cycle no notebook reaches
        NotebookUses("b.py", (("a", 0),)),
    ]
    assert kernel_modules(uses, files) == {
        "plots/__init__.py": "preamble.py",
        "plots/grid.py": "preamble.py",
        "preamble.py": "book.ipynb",
    }


def test_a_module_run_as_a_script_and_what_only_it_loads_leave_the_kernel() -> None:
    files = ["book.ipynb", "preamble.py", "plots.py"]
    uses = [
        NotebookUses("book.ipynb", (("preamble", 1),)),
        NotebookUses("preamble.py", (("plots", 0),), script=True),
    ]
    assert kernel_modules(uses, files) == {}


def test_only_the_kernels_modules_become_optional_and_only_in_app_code() -> None:
    uses = [NotebookUses("book.ipynb", (("preamble", 1),))]
    refs = [
        ImportRef("IPython.display", Location("preamble.py", 1)),
        ImportRef("pandas", Location("preamble.py", 2)),
        ImportRef("IPython", Location("other.py", 1)),
    ]
    assert kernel_imports(refs)
    marked = in_kernel(refs, uses, ["book.ipynb", "preamble.py", "other.py"])
    assert [ref.optional for ref in marked] == [True, False, False]
    assert marked[0].reason == f"{KERNEL_REASON}: only notebooks load this module (book.ipynb)"
    assert not kernel_imports([ImportRef("IPython", Location("book.ipynb", 3)), refs[1]])
