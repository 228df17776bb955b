"""Optional features: a package the author guards in one place is optional where it is imported lazily elsewhere.

A library that writes ``try: import pandas except ImportError: pandas = None`` in one module and ``def to_frame():
import pandas`` in another treats pandas as one optional feature: the function fails only for users who call it
without pandas, exactly as the guard says. So once any app code imports a package under a guard, its imports
inside functions anywhere in the project are optional too. A top-level unguarded import still needs it at import
time, so it stays required; guards in secondary code (tests, examples...) say nothing about the app.
"""

from __future__ import annotations

from pipreqs_action.intent.guards import is_guard_reason
from pipreqs_action.model import ImportRef, ScanResult


def apply(scan: ScanResult) -> ScanResult:
    """The scan with lazy imports of guarded packages marked optional, saying where the guard is."""
    guarded: dict[str, ImportRef] = {}
    for ref in sorted(scan.imports, key=lambda item: item.location):
        if is_guard_reason(ref.reason) and not ref.secondary:
            guarded.setdefault(ref.root, ref)
    if not guarded:
        return scan
    return scan._replace(imports=tuple(_optional_if_lazy(ref, guarded) for ref in scan.imports))


def _optional_if_lazy(ref: ImportRef, guarded: dict[str, ImportRef]) -> ImportRef:
    guard = guarded.get(ref.root)
    if guard is None or not ref.in_function or ref.optional or ref.type_only:
        return ref
    reason = f"optional feature: {guard.reason} at {guard.location}"
    return ref._replace(optional=True, reason=reason)
