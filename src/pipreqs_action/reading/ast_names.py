"""Names read off the syntax tree: what a call, decorator or exception class is called, whatever it is looked up on.

Several rules ask the same small questions of a node (``suppress`` in ``contextlib.suppress(...)``, ``setup`` in
``setuptools.setup(...)``, ``ImportError`` in ``except (builtins.ImportError, OSError)``); one answer keeps them
agreeing.
"""

from __future__ import annotations

import ast

__all__ = ["BROAD_ERRORS", "IMPORT_ERRORS", "catches_everything", "last_name", "names_import_error"]

IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})  # what a failed import raises
BROAD_ERRORS = frozenset({"Exception", "BaseException"})  # what catches a failed import among everything else


def last_name(node: ast.expr) -> str:
    """``helper`` for ``helper``, ``self.helper``, ``module.Klass.helper``; "" for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def names_import_error(kind: ast.expr | None) -> bool:
    """``except ImportError``, ``except (ModuleNotFoundError, OSError)``: the handler names a failed import."""
    return any(last_name(item) in IMPORT_ERRORS for item in _classes(kind))


def catches_everything(kind: ast.expr | None) -> bool:
    """``except:``, ``except Exception``, ``except BaseException`` (alone or in a tuple): a failed import is caught
    with everything else, without the handler saying so."""
    return kind is None or any(last_name(item) in BROAD_ERRORS for item in _classes(kind))


def _classes(kind: ast.expr | None) -> list[ast.expr]:
    """The classes an ``except`` clause names: the items of a tuple, the one class, none for a bare ``except:``."""
    return kind.elts if isinstance(kind, ast.Tuple) else [kind] if kind is not None else []
