"""Top-level names of the standard library of Python 2.7 and every 3.x release, not only the running one's.

A repository is read by whatever Python runs the check, but its code may have been written for another:
``import urlparse`` (Python 2), ``import tomllib`` (3.11), ``import annotationlib`` (3.14) or a module removed
since (``imp``, ``asynchat``, ``distutils``) is the standard library of *some* Python, never a PyPI package to
declare. The lists come from the ``stdlibs`` package (generated from each CPython release's own module list and
refreshed with new releases; see README "Libraries"): its 2.7 list and its union of every 3.x release, united with
this interpreter's ``sys.stdlib_module_names``, plus the few names that only exist for type checkers or as CPython
internals. Releases before 2.7 are left out on purpose: their ``regex``, ``lockfile`` or ``util`` are names that
PyPI projects (and projects' own modules) took over long ago.
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
    """Every top-level standard-library name of Python 2.7 and of any 3.x release, and this interpreter's."""
    from stdlibs import py3, py27  # py3: the union over every 3.x release

    return py27.module_names | py3.module_names | frozenset(sys.stdlib_module_names) | TYPING_AND_INTERNAL


def is_standard_library(module: str) -> bool:
    """True when the top-level name of ``module`` (``os.path`` -> ``os``) is in any release's standard library."""
    return module.partition(".")[0] in standard_library()
