"""Deferred-import guards: a ``with`` block that keeps a failed import's error until the feature is used.

Optuna wrote the contract as ``try_import()``, the ``lazy-imports`` package publishes it (``lazy_imports.try_import``)
and Haystack subclasses it as ``LazyImport`` (copied into many projects)::

    with LazyImport("Run 'pip install boto3'") as boto3_import:   # __exit__ swallows the ImportError
        import boto3

    def signer():
        boto3_import.check()           # re-raises it, with the install hint, only when the feature is used

The import statement is inside a ``with``, but it is as optional as one under ``except ImportError``: the module
loads without the package, and only the code that asks the handle needs it. What marks the contract is not the
helper's name (every project copies it under its own) but the handle: the block binds one (``as boto3_import``)
and the same file asks it ``.check()`` or ``.is_successful()``, the two methods of the contract's
``_DeferredImportExceptionContextManager`` (AG2's ``optional_import_block()`` reads ``.is_successful`` as a
property). A ``with`` whose handle is never asked so (``with open(p) as f:``,
a lock, a helper that re-raises at once) is not such a guard, and its imports stay as they are.

Both scans (the fast one reads one header at a time) ask the same question of the same text: ``checked_in``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from pipreqs_action.reading.ast_names import last_name

__all__ = ["SEARCH_WORDS", "Checked", "checked_in", "deferred_reason", "never_checked"]

Checked = Callable[[str], str]  # what the file asks the handle ("check()", "is_successful"), or ""

SEARCH_WORDS = (".check(", ".is_successful")  # a file without either holds no such guard


def never_checked(name: str) -> str:
    return ""


def checked_in(text: str) -> Checked:
    """The question for one file's text, answered by a search, remembered per handle."""
    if not any(word in text for word in SEARCH_WORDS):
        return never_checked
    answers: dict[str, str] = {}

    def checked(name: str) -> str:
        if name not in answers:
            found = re.search(rf"(?<![\w.]){re.escape(name)}\.(?P<asked>check|is_successful)\b(?P<call>\()?", text)
            answers[name] = f"{found['asked']}{'()' if found['call'] else ''}" if found else ""
        return answers[name]

    return checked


def deferred_reason(item: ast.withitem, checked: Checked) -> str:
    """``guarded by LazyImport() as x_import, which defers the ImportError to x_import.check()``, or "" when the
    item is no such guard."""
    call, handle = item.context_expr, item.optional_vars
    if not isinstance(call, ast.Call) or not isinstance(handle, ast.Name):
        return ""
    method = checked(handle.id)
    if not method:
        return ""
    return f"guarded by {_callee(call.func)}() as {handle.id}, which defers the ImportError to {handle.id}.{method}"


def _callee(func: ast.expr) -> str:
    return last_name(func) or "a context manager"
