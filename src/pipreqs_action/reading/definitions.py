"""The top-level functions and classes of a module, by the lines they span: which one an import inside it sits in.

An import inside a function runs only when that function is called, one inside a method only when its class is
used: imports inside one top-level definition serve one feature. A data backend class that imports ``boto3`` (the
``s3`` extra) in ``fetch()`` and ``botocore`` in ``init_config()`` runs both only for an S3 data source, where
boto3, and botocore with it, is installed (``via``). The file is read again and parsed with ``ast`` (never run), and
only for the few imports a ``via`` claim asks about.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path
from typing import NamedTuple

from pipreqs_action.model import Skipped
from pipreqs_action.reading.files import read_source

__all__ = ["Definition", "top_level_definitions"]


class Definition(NamedTuple):
    """A top-level ``def`` or ``class``: its name and the lines it spans (1-based, inclusive)."""

    name: str
    first: int
    last: int


@functools.lru_cache(maxsize=256)
def top_level_definitions(root: Path, rel: str) -> tuple[Definition, ...]:
    """The top-level definitions of the ``.py`` file ``rel`` of the tree at ``root``; none for a file that cannot be
    read or parsed, or a notebook (whose cells are not definitions)."""
    if not rel.endswith((".py", ".pyw")):
        return ()
    source = read_source(root, rel)
    if isinstance(source, Skipped):
        return ()
    try:
        tree = ast.parse(source.text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ()
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return tuple(
        Definition(node.name, node.lineno, node.end_lineno or node.lineno)
        for node in tree.body
        if isinstance(node, kinds)
    )
