"""Dependency data of local projects: the manifest of a project installed from a folder of the checked tree.

A uv workspace member (``autogen-ext = { workspace = true }``) or a path requirement (``-e ./libs/core``,
``core = { path = "libs/core" }``) is installed from the checked tree, so what it requires is written in that
folder's own manifest. That describes the very code installed, which makes it better data than any snapshot (a
release on PyPI, maybe another one, and nothing at all for a project never published). Its extras come along:
a declared ``autogen-ext[openai]`` installs what that member's ``openai`` extra lists.

The manifests are read by the project's own readers (``manifests``), never run; one that cannot be read answers
nothing, and the other sources are asked as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pipreqs_action.errors import PipreqsActionError
from pipreqs_action.metadata.dependency_metadata import DependencySource, split_key
from pipreqs_action.metadata.lock_dependencies import pep508
from pipreqs_action.model import Declared, Requirement
from pipreqs_action.pep508 import canonical_name

__all__ = ["LOCAL", "local_source", "located"]

LOCAL = "local"  # the lookup's name, and the report's ``via_source`` when it answered


def located(declared: Declared, root: Path, enclosing: Declared | None) -> Declared:
    """``declared`` with the local projects it may install by name (``Declared.local_projects``: the enclosing
    project's, the members of a uv workspace rooted here, its path requirements) and the workspace whose lock file
    installs it (``workspace_root``: this folder when a workspace is rooted here, the enclosing one's for a member)."""
    from pipreqs_action.manifests.project import identify  # the manifest readers: only a check that needs them

    fence = root.resolve()
    found = dict(enclosing.local_projects) if enclosing else {}
    for folder in declared.workspace:
        member = identify(root / folder, fence)
        if member.name:
            found[canonical_name(member.name)] = str((root / folder).resolve())
    for req in declared.requirements:
        path = _folder(req, root, fence) if req.local else None
        if path is not None:
            found.setdefault(req.key, str(path))
    workspace_root = str(fence) if declared.workspace else ""
    if not workspace_root and enclosing and enclosing.workspace_root and str(fence) in found.values():
        workspace_root = enclosing.workspace_root  # a member: uv installs it from the workspace's one lock file
    return declared._replace(local_projects=tuple(sorted(found.items())), workspace_root=workspace_root)


def _folder(req: Requirement, root: Path, fence: Path) -> Path | None:
    """The folder a path requirement names (relative to the manifest that names it), when it is one of the tree."""
    if not req.url:
        return None
    parts = urlsplit(req.url)
    if len(parts.scheme) > 1 and parts.scheme != "file":
        return None
    written = unquote(parts.path) if parts.scheme == "file" else req.url
    try:
        folder = ((root / req.location.path).parent / written).resolve()
    except (OSError, RuntimeError):
        return None
    return folder if folder.is_dir() and folder.is_relative_to(fence) else None


def local_source(projects: Sequence[tuple[str, str]], read: Callable[[Path], Declared]) -> DependencySource | None:
    """A lookup answering for the local projects by name, whatever the declared specifier says: the folder holds
    what is installed. None when there are none. ``read`` reads a folder's manifests: the check's own cache, since
    a monorepo's projects are local projects of each other, each read for its own check too."""
    if not projects:
        return None
    folders = dict(projects)

    def lookup(keys: Sequence[str]) -> Mapping[str, Sequence[str]]:
        found = {}
        for key in keys:
            folder = folders.get(split_key(key)[0])
            requires = _requires(read, folder) if folder else None
            if requires is not None:
                found[key] = requires
        return found

    return lookup


def _requires(read: Callable[[Path], Declared], folder: str) -> tuple[str, ...] | None:
    """The project's ``requires_dist`` as its manifests say: runtime requirements, then each extra's with
    ``extra == "name"``. None when its manifests cannot be read."""
    try:
        declared = read(Path(folder))
    except PipreqsActionError:
        return None
    own = {req.key for req in declared.requirements if req.local}  # ``-e .``: the project itself
    found = [pep508(req.name, req.extras, req.marker, "") for req in declared.requirements if req.key not in own]
    for extra, group in declared.optional_groups:
        found += [pep508(req.name, req.extras, req.marker, extra) for req in group if req.key not in own]
    return tuple(dict.fromkeys(found))
