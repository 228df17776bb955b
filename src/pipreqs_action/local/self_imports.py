"""A module outside any package that imports its own name gets itself.

``core_functional.py`` doing ``import core_functional`` inside a function (to reload itself, or to reach its own
module object) finds itself: Python has the module's folder on ``sys.path`` whenever the module runs as a script or
is imported by that name. Not so inside a package: ``proj/celery.py`` is loaded as ``proj.celery`` and its
``from celery import Celery`` finds the real package; and a script named like the package it means (``flask.py``
doing ``from flask import Flask``, a well-known pitfall) wants that package, whatever Python makes of it.

So the import is the module itself only when its folder holds no ``__init__.py`` and what the file takes from the
import is a name the file binds itself (a function, class or assignment at its top level, or another import there),
never a name only that import brings. ``local_modules`` alone keeps the pitfall's reading; this settles it with the
file's own code, which is parsed only when it imports its own name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence

from pipreqs_action.local.local_modules import LocalModules
from pipreqs_action.model import ImportRef, LocalImport, SourceText

__all__ = ["resolve"]


def resolve(
    refs: Sequence[ImportRef], source: SourceText, local: LocalModules
) -> tuple[list[ImportRef], list[LocalImport]]:
    """The file's imports that still look third-party, and its imports of itself (each with the name that shows it)."""
    folder, _, file_name = source.rel.rpartition("/")
    stem, _, suffix = file_name.rpartition(".")
    own = [ref for ref in refs if ref.module == stem]
    if not own or source.line_map is not None or stem == "__init__" or suffix not in ("py", "pyw"):
        return list(refs), []
    if local.is_package(folder):
        return list(refs), []
    evidence = _own_name_taken(source.text, stem)
    if evidence is None:
        return list(refs), []
    name, line = evidence
    reason = f"{source.rel} itself: outside any package, it imports its own name to reach {name} (its own, line {line})"
    found = [LocalImport(ref.module, ref.location, reason) for ref in own]
    return [ref for ref in refs if ref.module != stem], found


def _own_name_taken(text: str, stem: str) -> tuple[str, int] | None:
    """A name the file takes from importing ``stem`` that it binds itself at its top level, with that line."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    bound = _top_level_bindings(tree.body, stem)
    taken = _taken_from_itself(tree, stem)
    return next(((name, bound[name]) for name in taken if name in bound), None)


def _top_level_bindings(body: Iterable[ast.stmt], stem: str) -> dict[str, int]:
    """Names the module binds at its top level (inside ``if``/``try``/``with`` blocks too), with their first line;
    the imports of ``stem`` itself left out."""
    found: dict[str, int] = {}
    for node in body:
        names: list[str] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names = [node.name]
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [leaf.id for target in targets for leaf in ast.walk(target) if isinstance(leaf, ast.Name)]
        elif isinstance(node, ast.Import):
            names = [alias.asname or alias.name.partition(".")[0] for alias in node.names if alias.name != stem]
        elif isinstance(node, ast.ImportFrom) and not (node.level == 0 and node.module == stem):
            names = [alias.asname or alias.name for alias in node.names]
        for name in names:
            found.setdefault(name, node.lineno)
        for block in _blocks(node):
            for name, line in _top_level_bindings(block, stem).items():
                found.setdefault(name, line)
    return found


def _blocks(node: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists of a top-level ``if``, ``try`` or ``with``: still the module's top level."""
    if isinstance(node, ast.If):
        return [node.body, node.orelse]
    if isinstance(node, ast.Try):
        return [node.body, node.orelse, node.finalbody, *(handler.body for handler in node.handlers)]
    if isinstance(node, ast.With):
        return [node.body]
    return []


def _taken_from_itself(tree: ast.Module, stem: str) -> list[str]:
    """The names the file takes from ``stem``: ``from stem import a`` gives ``a``, ``import stem as s`` each
    ``s.attribute`` used anywhere in the file."""
    taken: list[str] = []
    aliases: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == stem:
            taken += [alias.name for alias in node.names if alias.name != "*"]
        elif isinstance(node, ast.Import):
            aliases.update(alias.asname or alias.name for alias in node.names if alias.name == stem)
    if aliases:
        taken += [
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
        ]
    return list(dict.fromkeys(taken))
