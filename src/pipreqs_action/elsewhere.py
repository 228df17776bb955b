"""After the scan, before compare: an import nobody publishes that names a module of this tree is the project's.

``local_modules`` resolves imports as Python would from each file's folder. Real projects also import their own
code from places only their run-time setup makes importable (a ``PYTHONPATH`` in a Dockerfile, an IDE's source
root). When no data names any distribution for the import, and a module or package of that name exists somewhere
in the tree, the import is the project's own code: listed as local with where it was found, never an alarm.
An import some distribution is known to provide stays a candidate for "missing": a ``tools/redis.py`` does not
hide ``import redis`` from the rest of the tree.
"""

from __future__ import annotations

import dataclasses

from pipreqs_action.mapping import ImportNames
from pipreqs_action.model import LocalImport, ScanResult

__all__ = ["resolve_elsewhere"]


def resolve_elsewhere(scanned: ScanResult, names: ImportNames) -> ScanResult:
    """``scanned`` with its unknown imports that match a module of the tree moved to ``local``."""
    where = dict(scanned.elsewhere)
    if not where:
        return scanned
    kept, local = [], []
    for ref in scanned.imports:
        folder = where.get(ref.root)
        if folder is not None and not any(names.suggest(path).known for path in names.import_paths(ref)):
            shown = f"{folder}/{ref.root}" if folder else ref.root
            reason = f"no known distribution provides it; the project has {shown} (module or package)"
            local.append(LocalImport(ref.module, ref.location, reason))
        else:
            kept.append(ref)
    return dataclasses.replace(scanned, imports=tuple(kept), local=(*scanned.local, *local))
