"""A development environment: a project that declares development dependencies and nothing for run time.

A uv workspace root without a ``[project]`` table (``[dependency-groups] dev`` and ``[tool.uv.workspace]`` only), a
Poetry project with ``package-mode = false`` whose only groups are development ones, a uv project with
``package = false`` and no dependencies: nothing is ever installed from it but the environment its maintainers work
in. Its own code (a task runner beside the workspace, a docs checker, a cookiecutter hook of its new-package
template) is tooling run in that environment, and what the development groups declare is exactly what it needs.
So "declared for development only" means nothing there: such an import is satisfied. An import nothing declares
is still reported, as secondary code with the reason, never as an alarm: tooling is not what any user installs.

Only a project whose every declaration comes from its ``pyproject.toml`` is judged: a requirements file, a Pipfile,
``setup.py`` or ``setup.cfg`` (even an empty runtime list: ``dependencies = []`` declares "nothing needed", as
``uv init`` writes it for an app) says the project has a run time of its own. The user's ``app`` patterns win.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipreqs_action.manifests.base import real, table, toml_data
from pipreqs_action.model import Declared, DeclaredBy, ScanResult

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

__all__ = ["as_tooling", "reason"]

PYPROJECT = "pyproject.toml"
# Its only entry may be the interpreter (``python = "^3.11"``), which Poetry requires even with package-mode off.
_INTERPRETER_ONLY_TABLE = "[tool.poetry.dependencies]"
_DISTRIBUTION_FILES = ("setup.py", "setup.cfg")
_MAX_NAMED = 3


def reason(root: Path, declared: Declared) -> str:
    """Why the project at ``root`` is a development environment ("a development environment (pyproject.toml
    declares only [dependency-groups] dev)"), or "" when it is not one."""
    if not declared.dev or declared.requirements or declared.optional_groups:
        return ""
    if any(item.file != PYPROJECT for item in declared.declared_by):
        return ""  # a requirements file or a Pipfile beside it: the project has a run time of its own
    if any((root / name).exists() for name in _DISTRIBUTION_FILES):
        return ""
    pyproject = toml_data(root / PYPROJECT, real(root))  # unreadable: its reader reports why
    if pyproject is None or _installable(pyproject):
        return ""
    runtime = [item for item in declared.declared_by if not item.dev]
    if any(item.count or item.unusable or item.table != _INTERPRETER_ONLY_TABLE for item in runtime):
        return ""  # `dependencies = []` is a declaration: the project says it needs nothing at run time
    return f"a development environment ({PYPROJECT} declares only {_tables(declared.declared_by)})"


def as_tooling(scanned: ScanResult, why: str, claimed: Sequence[str] = ()) -> ScanResult:
    """The scan with the project's own code (not already secondary, not claimed by the user's ``app`` patterns)
    marked as tooling of the development environment."""
    if not why:
        return scanned
    spec = _spec(claimed)
    imports = tuple(
        ref._replace(secondary=why)
        if not ref.secondary and (spec is None or not spec.match_file(ref.location.path))
        else ref
        for ref in scanned.imports
    )
    return scanned._replace(imports=imports)


def _installable(data: dict[str, Any]) -> bool:
    """Whether the pyproject describes a distribution something installs: a ``[project]`` (or a Poetry project)
    that its tool does not declare a mere environment (``[tool.uv] package = false``, ``[tool.poetry]
    package-mode = false``, ``[tool.pdm] distribution = false``)."""
    tool = table(data, "tool")
    if table(tool, "uv").get("package") is False or table(tool, "pdm").get("distribution") is False:
        return False
    poetry = table(tool, "poetry")
    if poetry.get("package-mode") is False:
        return False
    return "project" in data or "name" in poetry


def _tables(declared_by: Sequence[DeclaredBy]) -> str:
    names = [item.table or item.file for item in declared_by if item.dev]
    shown = ", ".join(names[:_MAX_NAMED])
    return shown + (", ..." if len(names) > _MAX_NAMED else "")


def _spec(patterns: Sequence[str]) -> GitIgnoreSpec | None:
    if not patterns:
        return None
    from pipreqs_action.reading.ignore_rules import compile_patterns

    return compile_patterns(patterns)
