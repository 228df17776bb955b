"""After the scan, before compare: an import nobody publishes that names a module of this tree is the project's.

``local_modules`` resolves imports as Python would from each file's folder. Real projects also import their own
code from places only their run-time setup makes importable (a ``PYTHONPATH`` in a Dockerfile, an IDE's source
root). When no data names any distribution for the import, and a module or package of that name exists somewhere
in the tree, the import is the project's own code: listed as local with where it was found, never an alarm.
An import some distribution is known to provide stays a candidate for "missing": a ``tools/redis.py`` does not
hide ``import redis`` from the rest of the tree.

The same knowledge judges folders put on ``sys.path``: one holding a package some distribution publishes
(``lib/requests/``, copied in by ``pip install --target lib``) is vendored code, and the imports made inside it
are secondary (``layout`` already knows such folders by a licence file or ``*.dist-info``).
"""

from __future__ import annotations

from pipreqs_action.mapping import ImportNames
from pipreqs_action.model import ImportRef, LocalImport, ScanResult

__all__ = ["resolve_elsewhere"]


def resolve_elsewhere(scanned: ScanResult, names: ImportNames) -> ScanResult:
    """``scanned`` with its unknown imports that match a module of the tree moved to ``local``, and the imports
    made inside a ``sys.path`` folder of published packages marked as vendored code."""
    scanned = _vendored_path_folders(scanned, names)
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
    return scanned._replace(imports=tuple(kept), local=(*scanned.local, *local))


def _vendored_path_folders(scanned: ScanResult, names: ImportNames) -> ScanResult:
    """A folder put on ``sys.path`` that holds a package some distribution publishes (``lib/requests/``) is a copy
    of other projects' code: its packages stay importable, but what they import is theirs (vendored code)."""
    vendored = [
        folder for folder, packages in scanned.import_roots if any(names.suggest(package).known for package in packages)
    ]
    if not vendored:
        return scanned
    imports = tuple(_mark(ref, vendored) for ref in scanned.imports)
    return scanned._replace(imports=imports)


def _mark(ref: ImportRef, vendored: list[str]) -> ImportRef:
    if ref.secondary:
        return ref
    folder = next((folder for folder in vendored if ref.location.path.startswith(f"{folder}/")), None)
    return ref if folder is None else ref._replace(secondary=f"vendored in {folder}/")
