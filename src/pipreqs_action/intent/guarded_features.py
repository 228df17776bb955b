"""Optional features the app sets up itself: a module that guards a package's import, and the modules built on it.

An app whose object storage is optional says so where the feature starts: ``hc/lib/s3.py`` imports minio under
``try: ... except ImportError:`` and turns the feature off when it is absent. A management command that prunes the
stored objects imports ``hc.lib.s3`` and, at its top, minio itself: it is a command of that feature, run only where
the feature is set up. When the author also declares minio for development only (``requirements-dev.txt``, for the
feature's tests), the declaration and the code agree that production may lack it (``roles.believed``): the app
guards it, and this module is built on the module that guards it. The edge must be direct (the module imports the
guarding one by name) and the guard the app's own (not a test's): a module that only shares a package with some
guarded import elsewhere says nothing. The guards come from the scan; a module's own imports of the project are
read again (parsed with ``ast``, never run) only for the few dev-declared imports asked about.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path, PurePosixPath

from pipreqs_action.intent.guards import is_guard_reason
from pipreqs_action.model import ImportRef, ScanResult, Skipped
from pipreqs_action.reading.files import read_source

__all__ = ["GuardedFeatures", "imported_modules"]


class GuardedFeatures:
    """Which app modules guard which top-level modules' imports (try/except ImportError, contextlib.suppress), and
    the modules each app file imports (read from the tree at ``root`` when asked)."""

    def __init__(self, scan: ScanResult, root: Path) -> None:
        self._root = root
        self._guarding: dict[str, set[str]] = {}  # top-level module -> app files importing it under a guard
        for ref in scan.imports:
            if ref.optional and not ref.secondary and not ref.type_only and is_guard_reason(ref.reason):
                self._guarding.setdefault(ref.root, set()).add(ref.location.path)

    def guard_of(self, ref: ImportRef) -> str:
        """The app file that guards ``ref``'s package and that ``ref``'s module imports; "" when there is none."""
        guarding = sorted(self._guarding.get(ref.root, set()) - {ref.location.path})
        if not guarding:
            return ""
        imported = imported_modules(self._root, ref.location.path)
        return next((path for path in guarding if _imports(imported, path)), "")


@functools.lru_cache(maxsize=256)
def imported_modules(root: Path, rel: str) -> frozenset[str]:
    """The absolute dotted names a ``.py`` file imports, relative ones resolved against its package (``from . import
    s3`` in ``hc/lib/views.py``: ``hc.lib`` and ``hc.lib.s3``); none for a file that cannot be read or parsed."""
    if not rel.endswith((".py", ".pyw")):
        return frozenset()
    source = read_source(root, rel)
    if isinstance(source, Skipped):
        return frozenset()
    try:
        tree = ast.parse(source.text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset()
    package = PurePosixPath(rel).parent.parts
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            if base:
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return frozenset(found)


def _absolute(node: ast.ImportFrom, package: tuple[str, ...]) -> str:
    """``from ..lib import s3`` in ``hc/api/x.py``: ``hc.lib``; "" when it climbs above the tree."""
    if not node.level:
        return node.module or ""
    if node.level - 1 > len(package):
        return ""
    parts = list(package[: len(package) - (node.level - 1)])
    return ".".join([*parts, *([node.module] if node.module else [])])


def _imports(imported: frozenset[str], path: str) -> bool:
    """Whether one of the dotted names is the module at ``path``: the whole path (``hc.lib.s3``), or its tail below
    a folder on ``sys.path`` (``src/``), of at least two parts so a bare common name never matches."""
    pure = PurePosixPath(path)
    parts = pure.parent.parts if pure.stem == "__init__" else (*pure.parent.parts, pure.stem)
    tails = {".".join(parts[start:]) for start in range(len(parts) - 1)}
    return bool(tails & imported)
