"""Add-ons with install instructions of their own: a sub-folder whose README says how to install what it needs.

A detection repository ships ``d2/``, "a Detectron2 wrapper", beside its own training code; ``d2/README.md`` says
"To install Detectron2, please follow the official installation instructions", the wrapper's scripts import
detectron2 (and fvcore, which comes with it), and nothing outside ``d2/`` imports either the wrapper or detectron2.
The folder is a project of its own whose manifest is prose: its imports are not the root app's needs, so they are
secondary code, like those of a sub-folder with a manifest of its own (``layout``).

All of these must hold, so that an app living in a folder with a README stays the app:
- the folder (not the root) has a README naming a package after "install" (``pip install x``, "install X",
  "installing X") that the folder's code imports and no app code outside the folder imports;
- no app code outside the folder imports the folder's modules (by their top-level names), and there is app code
  outside it: the folder is not the whole app, nor a part the app uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from pipreqs_action.reading.lazy_regex import LazyPattern

__all__ = ["addon_reasons", "installed_names"]

_INSTALL = LazyPattern(r"\binstall(?:ing|ed)?\s+(?:-[\w-]+\s+)*(?:the\s+)?(?P<name>[A-Za-z][\w.-]*)", re.IGNORECASE)


def installed_names(text: str) -> list[tuple[str, int]]:
    """The names a text says to install, normalised as import names (``Detectron2`` -> ``detectron2``), with
    their 1-based line."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        found += [(_normal(match["name"].rstrip(".,;:")), number) for match in _INSTALL.finditer(line)]
    return found


def addon_reasons(
    app_code: Sequence[str],
    readmes: Mapping[str, str],
    imported: Mapping[str, Iterable[str]],
    third_party: Mapping[str, Iterable[str]],
) -> dict[str, str]:
    """App files of add-on folders (see the module's docstring), each with the reason shown for its imports.

    ``readmes`` maps a sub-folder's README path to its text; ``imported`` maps a file to the top-level names of
    everything it imports, ``third_party`` to those that are not the project's own nor the standard library."""
    found: dict[str, str] = {}
    normal: dict[str, set[str]] = {}  # a file's third-party names as installed_names writes them, made once
    for readme, text in sorted(readmes.items()):
        installs = installed_names(text)
        if not installs:  # most READMEs install nothing: no need to compare the folder's imports with the rest
            continue
        folder = readme.rpartition("/")[0]
        inside = [path for path in app_code if path.startswith(f"{folder}/") and path not in found]
        outside = [path for path in app_code if not path.startswith(f"{folder}/")]
        if not inside or not outside or _used_from(outside, folder, inside, imported):
            continue
        only_here = _names(inside, third_party, normal) - _names(outside, third_party, normal)
        installed = next(((name, line) for name, line in installs if name in only_here), None)
        if installed is not None:
            name, line = installed
            reason = f"{folder}/, an add-on with install instructions of its own ({readme}:{line} installs {name})"
            found.update((path, reason) for path in inside)
    return found


def _used_from(
    outside: Sequence[str], folder: str, inside: Sequence[str], imported: Mapping[str, Iterable[str]]
) -> bool:
    """Whether app code outside the folder imports it (``from display.console import show``) or one of its modules
    by its top-level name (``import detr``, as a script run from inside the folder would)."""
    own = {path[len(folder) + 1 :].split("/")[0].removesuffix(".py") for path in inside}
    own.add(folder.rpartition("/")[2])
    return any(own & set(imported.get(path, ())) for path in outside)


def _names(paths: Sequence[str], third_party: Mapping[str, Iterable[str]], normal: dict[str, set[str]]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        names = normal.get(path)
        if names is None:
            names = normal[path] = {_normal(name) for name in third_party.get(path, ())}
        found |= names
    return found


def _normal(name: str) -> str:
    return name.lower().replace("-", "_")
