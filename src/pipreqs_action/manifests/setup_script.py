"""Is a file named ``setup.py`` a packaging script, or an ordinary module that only shares the name?

A package may hold a module called ``setup.py`` that has nothing to do with packaging: an evaluation package's
argument parser (``from mypkg.utils.config import setup`` then ``config = setup(args)``), a bot's cog with
``def setup(bot)``, a settings module. Read as a manifest, it would make its folder a project of its own (checked
against declarations it does not make) and its own imports packaging tooling. A packaging script calls ``setup``
and either imports a build tool (setuptools, distutils, scikit-build: ``from setuptools import setup``,
``setuptools.setup(...)``, ``from numpy.distutils.core import setup``) or passes ``setup(...)`` the keywords of a
distribution (``name=``, ``install_requires=``, ``**metadata``). Anything else named ``setup.py`` is a module.

Read with ``ast`` only, never run. A file that cannot be read or parsed counts as a packaging script: the
manifest reader then says what is wrong with it, as it did before this rule.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

from pipreqs_action.manifests.base import Unreadable, load_text, real
from pipreqs_action.reading.ast_names import last_name

__all__ = ["NOT_A_PACKAGING_SCRIPT", "SETUP_PY", "is_manifest_file", "is_packaging_script", "packaging_markers"]

SETUP_PY = "setup.py"
NOT_A_PACKAGING_SCRIPT = "a module named setup.py, not a packaging script: it calls no setup() of a build tool"
_BUILD_TOOLS = frozenset({"setuptools", "distutils", "skbuild"})


def is_packaging_script(text: str) -> bool:
    """Whether ``setup.py``'s text calls ``setup`` as a packaging script does (see the module's docstring)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and last_name(node.func) == "setup"]
    if not calls:
        return False
    return any(call.keywords for call in calls) or any(_is_build_tool(module) for module in _imported(tree))


def is_manifest_file(path: Path, fence: Path) -> bool:
    """Whether a file found by its manifest name is one: every name is, except a ``setup.py`` that is a module.

    ``fence`` is the real path of the checked tree: a ``setup.py`` pointing outside it, unreadable or too large is
    kept, so the manifest reader reports it."""
    if path.name != SETUP_PY:
        return True
    try:
        text = load_text(real(path), fence)
    except Unreadable:
        return True
    return is_packaging_script(text)


def packaging_markers(root: Path, markers: Iterable[str]) -> tuple[str, ...]:
    """The layout markers of a tree (root-relative manifests, licence files...) without its module ``setup.py``
    files, so that no rule takes their folder for a project or their code for packaging tooling."""
    try:
        fence = real(root)
    except Unreadable:
        fence = root
    return tuple(marker for marker in markers if is_manifest_file(root / marker, fence))


def _imported(tree: ast.AST) -> Iterable[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def _is_build_tool(module: str) -> bool:
    """``setuptools``, ``distutils.core``, ``numpy.distutils.core``, ``skbuild``: a module path naming a build tool."""
    return any(part in _BUILD_TOOLS for part in module.split("."))
