"""Notebooks whose packages the author declares are the app's, wherever the layout put them.

The layout calls the notebooks of a repository whose code is ``.py`` files secondary (``notebooks/``, or at the
root beside the scripts): usually analyses and demos that the app's manifest does not describe. But an author who
lists what only those notebooks import in the app's own manifest (a ``# Notebook`` section of requirements.txt
with seaborn, cleanlab, wordcloud...) says the manifest describes them too: then an undeclared import in one of
them is as missing as one in the app's code. So when a runtime declaration is satisfied only by imports of such
notebooks (no other code imports it), every notebook set apart for the same reason counts as the app's.

Development declarations, optional groups and what an enclosing project declares say nothing about this: the
notebooks must be in the manifest that describes the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipreqs_action.app_code.layout import NOTEBOOK_DIRS, ROOT_NOTEBOOK
from pipreqs_action.model import Declared, ImportRef, ScanResult

if TYPE_CHECKING:
    from pipreqs_action.mapping import ImportNames

__all__ = ["NOTEBOOK_REASONS", "as_app_when_declared"]

NOTEBOOK_REASONS = frozenset({ROOT_NOTEBOOK, *(f"{name}/" for name in NOTEBOOK_DIRS)})


def as_app_when_declared(scan: ScanResult, declared: Declared, names: ImportNames) -> ScanResult:
    """The scan with set-apart notebooks made the app's when the runtime manifest declares what only they import."""
    apart = [ref for ref in scan.imports if _set_apart(ref)]
    if not apart:
        return scan
    providers = {req.key: names.provides(req.name) for req in declared.requirements if not req.local}
    if not providers:
        return scan

    def satisfied(ref: ImportRef) -> set[str]:
        paths = names.import_paths(ref)
        return {key for key, provided in providers.items() if any(names.satisfies(provided, p) for p in paths)}

    elsewhere = {key for ref in scan.imports if not _set_apart(ref) for key in satisfied(ref)}
    promoted = {ref.secondary for ref in apart if satisfied(ref) - elsewhere}
    if not promoted:
        return scan
    imports = tuple(
        ref._replace(secondary="") if _set_apart(ref) and ref.secondary in promoted else ref for ref in scan.imports
    )
    return scan._replace(imports=imports)


def _set_apart(ref: ImportRef) -> bool:
    """A notebook import that the layout made secondary only for being a notebook beside ``.py`` code."""
    return ref.location.path.endswith(".ipynb") and ref.secondary in NOTEBOOK_REASONS
