"""Which files a project's container image holds, when its Dockerfile copies them by name: what its deployment runs.

A service built with ``COPY predict.py model.bin ./`` runs predict.py and nothing else of its folder: the
``test.py`` beside it, which posts a sample to the running service (``uv run python test.py``), is the developer's
manual client, and its ``requests`` is rightly declared for development (``uv add --dev requests``). A packaged
project says what it ships through its build configuration (``shipped``); one that builds no distribution (or whose
build selects nothing that can be read) but is deployed as an image says it through the image's ``COPY`` steps, and
the same two signals then make a file a development script (``roles.unshipped_tooling``): the image leaves it out,
and what it imports only a development declaration provides. A client folder that declares nothing for development
(``requests`` in a ``churn-test.py`` whose project lists only the service's needs) keeps its alarm.

Only the Dockerfiles at the project's root are read (their build context is that folder, as ``docker build .``
takes it). None is believed, and nothing is said, when one copies the whole context (``COPY . .``), names code or
a folder that is not in the project (the context is elsewhere; a missing data file such as ``model.bin``, made or
downloaded before the build, says nothing), cannot be read, or when together they copy no Python code (an image of
something else: a database, a front end).
"""

from __future__ import annotations

import fnmatch
import posixpath
from pathlib import Path

from pipreqs_action.app_code import shipped
from pipreqs_action.app_code.shipped import Shipped
from pipreqs_action.manifests import dockerfiles
from pipreqs_action.manifests.base import Unreadable, load_text, real

__all__ = ["IMAGE", "find", "find_shipped"]

IMAGE = "the image its Dockerfile builds"
_GLOB = frozenset("*?[")
_CODE = (".py", ".pyw", ".ipynb")  # the copied files worth naming: the manifests and data beside them ship no code


def find_shipped(root: Path) -> Shipped | None:
    """What the project at ``root`` ships: its distribution's files when its build says, else its image's."""
    return shipped.find(root) or find(root)


def find(root: Path) -> Shipped | None:
    """The files and folders the Dockerfiles at ``root`` copy into the image, or None when that is unknown or
    covers everything."""
    try:
        fence = real(root)
        names = sorted(entry.name for entry in root.iterdir() if dockerfiles.NAME.match(entry.name))
    except (OSError, Unreadable):
        return None
    sources: list[str] = []
    for name in names:
        try:
            copied = dockerfiles.copied_sources(load_text(real(root / name), fence))
        except Unreadable:
            return None
        if copied is None:
            return None
        sources.extend(copied)
    found = _on_disk(root, sources)
    if found is None or not _holds_python(root, found):
        return None
    return found


def _on_disk(root: Path, sources: list[str]) -> Shipped | None:
    """The copied folders and files of code of the project; None for the whole context or a path not there."""
    folders: set[str] = set()
    files: set[str] = set()
    for source in sources:
        if source in (".", "") or source.startswith("../"):
            return None
        matches = _matches(root, source) if _GLOB & set(source) else [source]
        if not matches:
            return None
        for path in matches:
            target = root / path
            if target.is_dir():
                folders.add(path)
            elif target.is_file():
                files.update([path] if path.endswith(_CODE) else [])
            elif not _artifact(path):
                return None
    return Shipped(tuple(sorted(folders)), tuple(sorted(files)), by=IMAGE)


def _artifact(path: str) -> bool:
    """``clothing-model.onnx``, ``model.bin``: a data file the build makes or downloads (kept out of git), not code
    and not a folder, so its absence says nothing of where the context is."""
    suffix = posixpath.splitext(path)[1]
    return bool(suffix) and suffix not in (".py", ".pyw")


def _matches(root: Path, pattern: str) -> list[str]:
    """``src/*.py``: the entries of the pattern's folder its last part matches (the folder itself plain)."""
    folder, _, name = pattern.rpartition("/")
    if _GLOB & set(folder):
        return []
    try:
        entries = sorted(entry.name for entry in (root / folder).iterdir())
    except OSError:
        return []
    return [posixpath.join(folder, entry) for entry in entries if fnmatch.fnmatchcase(entry, name)]


def _holds_python(root: Path, found: Shipped) -> bool:
    """Whether the image gets Python code: a copied file of code, or a copied folder holding a ``.py`` file."""
    if found.modules:
        return True
    return any(next((root / folder).rglob("*.py"), None) is not None for folder in found.folders)
