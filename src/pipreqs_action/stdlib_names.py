"""Top-level names of the standard library of every Python release, 2.3 to 3.15, not only the running one's.

A repository is read by whatever Python runs the check, but its code may have been written for another:
``import urlparse`` (Python 2), ``import tomllib`` (3.11), ``import annotationlib`` (3.14) or a module removed
since (``imp``, ``asynchat``, ``distutils``) is the standard library of *some* Python, never a PyPI package to
declare. The lists come from the ``stdlibs`` package (generated from each CPython release's own module list and
refreshed with new releases; see README "Libraries"), united with this interpreter's
``sys.stdlib_module_names``, plus the few names that only exist for type checkers or as CPython internals.
"""

from __future__ import annotations

import functools
import sys

__all__ = ["TYPING_AND_INTERNAL", "is_standard_library", "standard_library"]

# Not in any release's module list, yet never a distribution: typeshed's stub-only helpers (imported under
# ``if TYPE_CHECKING:``), the running script, and CPython's own regression-test package.
TYPING_AND_INTERNAL: frozenset[str] = frozenset({"_typeshed", "__main__", "test"})


@functools.cache
def standard_library() -> frozenset[str]:
    """Every top-level standard-library name of any Python release that ``stdlibs`` knows, and this one's."""
    from stdlibs.py import module_names  # the union over every release (``stdlibs.py`` is its "all" list)

    return frozenset(module_names) | frozenset(sys.stdlib_module_names) | TYPING_AND_INTERNAL


def is_standard_library(module: str) -> bool:
    """True when the top-level name of ``module`` (``os.path`` -> ``os``) is in any release's standard library."""
    return module.partition(".")[0] in standard_library()
