"""Install on demand one notebook away (notebook_helpers): who imports a helper module decides whether the
notebooks' installs cover its imports."""

from __future__ import annotations

from pipreqs_action.model import ImportRef, Location
from pipreqs_action.notebook_helpers import NotebookUses, apply

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
