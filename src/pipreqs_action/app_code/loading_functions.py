"""The function whose body holds an import, and what its signature says about whom it serves.

A library's method that loads an adapter lazily says whose it is: by its name (``instrument_flask``,
``loguru_handler``), or by its parameters and return value, annotated with the framework's own types
(``def instrument(self, app: FastAPI)``, the names often imported under ``if TYPE_CHECKING:``). ``lazy_integrations``
asks this of the few imports that load such an adapter; the file is read again and parsed with ``ast`` (never run)
for those only.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path
from typing import NamedTuple

from pipreqs_action.model import Skipped
from pipreqs_action.reading.files import read_source

__all__ = ["LoadingFunction", "loading_function"]

_FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")  # where a camelCase name starts a word


class LoadingFunction(NamedTuple):
    """The innermost function holding an import: its dotted name inside the module (``Tracer.instrument_flask``),
    and the top-level names of the modules whose names its annotations use (``flask`` for ``app: flask.Flask``)."""

    name: str
    annotated_with: frozenset[str]

    def serves(self, frameworks: frozenset[str]) -> bool:
        """Does it name one of ``frameworks`` (top-level import names, lowercase) as whole words of its name or its
        class's (``instrument_pydantic_ai``, ``loguru_handler``, ``instrumentFlask``, ``RwkvAdapter.load_model``;
        ``__getattr__`` names no ``attr``), or take or return its types?"""
        words = [_CAMEL.sub("_", part).lower().strip("_") for part in self.name.split(".")]
        named = any(
            re.search(rf"(?:^|_){re.escape(framework)}(?:_|$)", part) for framework in frameworks for part in words
        )
        return named or bool(self.annotated_with & frameworks)


def loading_function(root: Path, rel: str, line: int) -> LoadingFunction | None:
    """The function of ``rel`` whose body holds ``line``; None outside any, or for a file that does not parse."""
    parsed = _parsed(root, rel)
    if parsed is None:
        return None
    tree, imported = parsed
    found = _innermost(tree.body, line, "")
    if found is None:
        return None
    node, name = found
    return LoadingFunction(name, frozenset(_annotation_roots(node, imported)))


@functools.lru_cache(maxsize=64)
def _parsed(root: Path, rel: str) -> tuple[ast.Module, dict[str, str]] | None:
    """The file's tree, and each name its imports bind with the top-level module it comes from."""
    source = read_source(root, rel)
    if isinstance(source, Skipped) or source.line_map is not None:
        return None
    try:
        tree = ast.parse(source.text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    imported: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                imported[alias.asname or alias.name.partition(".")[0]] = alias.name.partition(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                imported[alias.asname or alias.name] = node.module.partition(".")[0]
    return tree, imported


def _innermost(body: list[ast.stmt], line: int, prefix: str) -> tuple[_FunctionNode, str] | None:
    for node in body:
        if not node.lineno <= line <= (node.end_lineno or node.lineno):
            continue
        if isinstance(node, ast.ClassDef):
            return _innermost(node.body, line, f"{prefix}{node.name}.")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inner = _innermost(node.body, line, f"{prefix}{node.name}.")
            return inner or (node, f"{prefix}{node.name}")
        found = _innermost(_statements_in(node), line, prefix)
        if found:
            return found
    return None


def _statements_in(node: ast.stmt) -> list[ast.stmt]:
    """The statements a compound statement holds (an ``if``'s branches, a ``try``'s handlers, a ``match``'s cases)."""
    found: list[ast.stmt] = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.stmt):
            found.append(child)
        elif isinstance(child, (ast.ExceptHandler, ast.match_case)):
            found.extend(child.body)
    return found


def _annotation_roots(node: _FunctionNode, imported: dict[str, str]) -> set[str]:
    arguments = node.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]
    annotations = [argument.annotation for argument in every if argument is not None and argument.annotation]
    if node.returns is not None:
        annotations.append(node.returns)
    found: set[str] = set()
    for annotation in annotations:
        found.update(imported[name].lower() for name in _names(annotation) if name in imported)
    return found


def _names(annotation: ast.expr) -> set[str]:
    """The plain names an annotation uses (``openai.OpenAI | None`` -> openai), inside quoted ones too."""
    found: set[str] = set()
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                found |= _names(ast.parse(node.value, mode="eval").body)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                continue
    return found
