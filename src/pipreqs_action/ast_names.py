"""Names read off the syntax tree: what a call, decorator or exception class is called, whatever it is looked up on.

Several rules ask the same small questions of a node (``suppress`` in ``contextlib.suppress(...)``, ``setup`` in
``setuptools.setup(...)``, ``ImportError`` in ``except (builtins.ImportError, OSError)``); one answer keeps them
agreeing.
"""

from __future__ import annotations

import ast

__all__ = ["IMPORT_ERRORS", "last_name", "names_import_error"]

IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})  # what a failed import raises


def last_name(node: ast.expr) -> str:
    """``helper`` for ``helper``, ``self.helper``, ``module.Klass.helper``; "" for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def names_import_error(kind: ast.expr | None) -> bool:
    """``except ImportError``, ``except (ModuleNotFoundError, OSError)``: the handler names a failed import."""
    kinds = kind.elts if isinstance(kind, ast.Tuple) else [kind] if kind is not None else []
    return any(last_name(item) in IMPORT_ERRORS for item in kinds)
