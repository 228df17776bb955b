"""Requirements files that the project's own setup installs: manifests of the code that setup serves, wherever
they sit.

A course whose notebooks run in its dev container keeps what they need in ``.devcontainer/requirements.txt``, which
``.devcontainer/Dockerfile`` copies into the image and installs (``COPY requirements.txt /tmp/``, ``RUN pip install
-r /tmp/requirements.txt``); an app built by ``docker/Dockerfile`` may install ``deploy/pip/app.txt``. No file name
says "manifest" there: the installer does. So the files these installers name are read as the project's own
requirements (or conda environment) files, and the report says who installs each ("declared in:
.devcontainer/requirements.txt (17, installed by .devcontainer/Dockerfile:5)"):

- a dev container (``devcontainer``): its lifecycle commands' ``pip install -r FILE`` (paths from the workspace,
  the checked root) and the Dockerfile it builds, from the build context it names; a dev container serves the
  whole workspace;
- the project's Dockerfiles (at the root, in ``docker/`` and ``.devcontainer/``): the files their ``RUN`` steps
  install, followed back through ``COPY`` to the build context (the Dockerfile's folder, else the root);
- Binder (repo2docker): ``binder/`` or ``.binder/`` ``requirements.txt`` / ``environment.yml``, which it installs
  instead of the root's to run the repository's notebooks.

Such a file declares for run time unless its name says development (``requirements-dev.txt``), as any requirements
file. A named file that is not there, or a configuration that cannot be read, is a warning naming it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from pipreqs_action.manifests import devcontainer, dockerfiles
from pipreqs_action.manifests.base import MAX_REASON, Manifest, Unreadable, is_dev_name, load_text, real
from pipreqs_action.manifests.context import Context
from pipreqs_action.manifests.install_commands import dockerfiles_of
from pipreqs_action.model import DeclaredBy
from pipreqs_action.pip_commands import requirement_files

__all__ = ["InstalledFile", "find", "read"]

BINDER = "Binder"
_BINDER_FOLDERS = ("binder", ".binder")
_BINDER_FILES = (("requirements.txt", False), ("environment.yml", True), ("environment.yaml", True))


class InstalledFile(NamedTuple):
    label: str  # the file installed, relative to the checked root
    installer: str  # who installs it: "file:line" of the command, or "Binder"
    conda: bool = False  # a conda environment file, else a requirements file


def find(root: Path, fence: Path) -> tuple[list[InstalledFile], list[str]]:
    """The files ``root``'s installers name that are in the tree, in order, and a warning for each one that is not
    (or each installer that cannot be read)."""
    found: list[InstalledFile] = []
    warnings: list[str] = []
    builds: dict[str, str | None] = dict.fromkeys(dockerfiles_of(root))
    for label in devcontainer.configurations(root):
        try:
            config = devcontainer.read(root, label, fence)
        except Unreadable as exc:
            warnings.append(f"{label}: not read ({exc})")
            continue
        for line, command in config.commands:
            for path in requirement_files(command):
                found += _present(root, [posixpath.normpath(path)], f"{label}:{line}", warnings)
        if config.dockerfile:
            builds[config.dockerfile] = config.context
    for label, context in builds.items():
        found += _built(root, label, context, fence, warnings)
    for folder in _BINDER_FOLDERS:
        found += [
            InstalledFile(f"{folder}/{name}", BINDER, conda)
            for name, conda in _BINDER_FILES
            if (root / folder / name).is_file()
        ]
    return found, warnings


def _built(root: Path, label: str, context: str | None, fence: Path, warnings: list[str]) -> list[InstalledFile]:
    """What a Dockerfile installs; ``context`` as a dev container names it, None for a Dockerfile built from its
    own folder or from the root (``docker build -f docker/Dockerfile .``): the first that holds the file."""
    try:
        text = load_text(real(root / label), fence)
    except Unreadable as exc:
        if context is not None:  # named by a dev container; any other one is named by the install-commands reader
            warnings.append(f"{label}: not read ({exc})")
        return []
    contexts = [context] if context is not None else list(dict.fromkeys([posixpath.dirname(label), ""]))
    found: list[InstalledFile] = []
    for item in dockerfiles.installed_files(text, _is_folder(root, contexts)):
        labels = [posixpath.normpath(posixpath.join(folder, item.source)) for folder in contexts]
        found += _present(root, labels, f"{label}:{item.line}", warnings, conda=item.conda)
    return found


def _is_folder(root: Path, contexts: list[str]) -> Callable[[str], bool]:
    return lambda source: any((root / folder / source).is_dir() for folder in contexts)


def _present(
    root: Path, labels: list[str], installer: str, warnings: list[str], *, conda: bool = False
) -> list[InstalledFile]:
    """The first of ``labels`` (where the installer's path may point) that is a file of the tree; a warning when
    none is."""
    inside = [label for label in labels if label != ".." and not label.startswith(("../", "/"))]
    found = next((label for label in inside if (root / label).is_file()), "")
    if found:
        return [InstalledFile(found, installer, conda)]
    where = f"{labels[0]}, which is not in the checked tree" if inside else f"{labels[0]}, outside the checked tree"
    warnings.append(f"{installer} installs {where}")
    return []


def read(context: Context, files: list[InstalledFile], manifests: list[Manifest]) -> list[Manifest]:
    """Read each installed file not read already; requirements files into the shared walker, conda environment
    files as manifests of their own (returned), each contribution saying who installs it."""
    read_already = {manifest.file for manifest in manifests}
    found: list[Manifest] = []
    for item in files:
        path = context.root / item.label
        if item.conda and item.label not in read_already:
            from pipreqs_action.manifests import conda  # only for a project whose installer names an environment

            manifest = conda.read(path, context)
            manifest.contributions[:] = [entry.installed(item.installer) for entry in manifest.contributions]
            found.append(manifest)
            read_already.add(item.label)
        elif not item.conda and not context.requirements.has_read(path):
            context.top_level.append(item.label)
            try:
                context.read_requirements(path, dev=is_dev_name(item.label), installed_by=item.installer)
            except Unreadable as exc:
                entry = DeclaredBy(item.label, unusable=str(exc)[:MAX_REASON], installed_by=item.installer)
                context.requirements.manifest.contributions.append(entry)
    return found
