"""The extras an install hint names: optional wherever the hinting feature imports them lazily.

A plugin guards one import and, when it fails, tells the user everything the feature needs::

    def voice_assistant(...):
        try:
            import nls
        except:
            chat.append(["missing dependencies", "pip install aliyun-python-sdk-core webrtcvad scipy"])
            return

Its helper module (loaded only by this plugin) imports ``webrtcvad`` inside the recognition loop and
``aliyunsdkcore`` inside ``get_token``. Those imports sit under no guard, but the author named both as the feature's
extras, to be installed by whoever wants the feature: they are as optional as the guarded ``nls``.

The hint speaks for its feature only: the file that gives it, and the project modules reached only through that
file (``scope``: what the entry points reach once the file's own imports are set aside no longer counts). There,
an import inside a function of a distribution the hint names is optional, with the hint's place as the reason. A
top-level import still runs whenever the feature's module is loaded, and the same distribution imported by the rest
of the app is the app's: both stay as they are, as ``features`` leaves a top-level import of a guarded package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from pipreqs_action.app_code.reachability import Packages, reach
from pipreqs_action.model import ImportRef, InstallHint, ScanResult

__all__ = ["apply", "scope"]


def scope(
    path: str, entries: Iterable[str], edges: Mapping[str, Sequence[str]], packages: Packages, files: set[str]
) -> tuple[str, ...]:
    """The hinting file and the project files that the entry points reach only through it."""
    entries = [entry for entry in entries if entry != path]
    without = {file: modules for file, modules in edges.items() if file != path}
    elsewhere = reach(entries, without, packages, files)
    return tuple(sorted((reach([path], edges, packages, files) - elsewhere) | {path}))


Provides = Callable[[str], frozenset[str]]
Covers = Callable[[Iterable[str], str], bool]


def apply(scan: ScanResult, provides: Provides, covers: Covers) -> ScanResult:
    """The scan with the lazy imports an install hint covers marked optional, saying where the hint is.

    ``provides`` gives the import paths of a distribution, ``covers`` whether some of them is (a prefix of) an
    import's module (``mapping.ImportNames``)."""
    if not scan.install_hints:
        return scan
    return scan._replace(imports=tuple(_hinted(ref, scan.install_hints, provides, covers) for ref in scan.imports))


def _hinted(
    ref: ImportRef,
    hints: Sequence[InstallHint],
    provides: Provides,
    covers: Covers,
) -> ImportRef:
    if not ref.in_function or ref.optional or ref.type_only or ref.secondary:
        return ref
    for hint in hints:
        if ref.location.path in hint.files and covers(provides(hint.distribution), ref.module):
            return ref._replace(optional=True, reason=f"optional feature: named by the install hint at {hint.location}")
    return ref
