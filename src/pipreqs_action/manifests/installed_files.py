"""Requirements files that the project's own setup installs: manifests of the code that setup serves, wherever
they sit.

A course whose notebooks run in its dev container keeps what they need in ``.devcontainer/requirements.txt``, which
``.devcontainer/Dockerfile`` copies into the image and installs (``COPY requirements.txt /tmp/``, ``RUN pip install
-r /tmp/requirements.txt``); an app built by ``docker/Dockerfile`` may install ``deploy/pip/app.txt``. No file name
says "manifest" there: the installer does. So the files these installers name are read as the project's own
requirements (or conda environment) files, and the report says who installs each ("declared in:
.devcontainer/requirements.txt (17, installed by .devcontainer/Dockerfile:5)"). Each installer gives a scope:

- a dev container (``devcontainer``): its lifecycle commands' ``pip install -r FILE`` (paths from the workspace,
  the checked root) and the Dockerfile it builds, from the build context it names; it serves the whole workspace;
- the project's Dockerfiles (at the root, in ``docker/`` and ``.devcontainer/``): the files their ``RUN`` steps
  install, followed back through ``COPY`` to the build context (the Dockerfile's folder, else the root);
- Binder (repo2docker): ``binder/`` or ``.binder/`` ``requirements.txt`` / ``environment.yml``, which it installs
  instead of the root's to run the repository's notebooks;
- the root's ``Makefile`` recipes and shell scripts (``task_scripts``): for the app, or for development when the
  target's or script's name says so (``install_test``, ``run_tests.sh``).

CI workflows and Read the Docs are not read: on the field corpus every file they alone install was a test, docs or
build file (development, so no alarm moves), and parsing a monorepo's workflows costs more than a second.

A file declares for run time when its installer does and its own name does not say development
(``requirements-dev.txt``), like any requirements file. A named file that is not there, or a configuration that
cannot be read, is a warning naming it; not for tasks, which often make the file they install (``pip-compile``,
``uv export``) or install one only when present; nor for a project template's dev container, whose markup is no
JSON until it is rendered (``devcontainer``: the command values that decode are followed). A requirements file in a
folder that is a project of its own (``api/requirements.txt`` beside ``api/main.py``) is that project's: it is read
there.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from pipreqs_action.app_code.layout import E2E_DIRS, MANIFEST_NAMES, SECONDARY_DIRS, TEST_DIRS, VENDOR_DIRS
from pipreqs_action.manifests import devcontainer, dockerfiles, task_scripts
from pipreqs_action.manifests.base import MAX_REASON, Manifest, Unreadable, is_dev_name, load_text, real
from pipreqs_action.manifests.context import Context
from pipreqs_action.manifests.install_commands import dockerfiles_of
from pipreqs_action.model import DeclaredBy
from pipreqs_action.pip_commands import requirement_files

__all__ = ["InstalledFile", "find", "read"]

BINDER = "Binder"
_BINDER_FOLDERS = ("binder", ".binder")
_BINDER_FILES = (("requirements.txt", False), ("environment.yml", True), ("environment.yaml", True))
_NOT_PROJECTS = SECONDARY_DIRS | TEST_DIRS | E2E_DIRS | VENDOR_DIRS
_CODE = (".py", ".ipynb")
_MAX_LOOKED_AT = 2000  # entries a folder is searched for code before it is taken to hold some


class InstalledFile(NamedTuple):
    label: str  # the file installed, relative to the checked root
    installer: str  # who installs it: "file:line" of the command, or "Binder"
    conda: bool = False  # a conda environment file, else a requirements file
    dev: bool = False  # installed for development (tests, docs, builds), whatever its name


class _Found:
    """What the installers of one tree name, as it is found."""

    def __init__(self, root: Path, fence: Path) -> None:
        self.root = root
        self.fence = fence
        self.files: list[InstalledFile] = []
        self.warnings: list[str] = []

    def add(
        self, labels: list[str], installer: str, *, conda: bool = False, dev: bool = False, warn: bool = True
    ) -> None:
        """The first of ``labels`` (where the installer's path may point) that is a file of the tree; a warning when
        none is (when ``warn``)."""
        inside = [label for label in labels if label != ".." and not label.startswith(("../", "/"))]
        found = next((label for label in inside if (self.root / label).is_file()), "")
        if found:
            self.files.append(InstalledFile(found, installer, conda, dev))
        elif warn:
            where = "which is not in the checked tree" if inside else "outside the checked tree"
            self.warnings.append(f"{installer} installs {labels[0]}, {where}")

    def commands(self, commands: list[tuple[int, str, bool]], label: str, *, warn: bool) -> None:
        """``pip install -r`` in each (line, command, development) of ``label``, paths from the root."""
        for line, command, dev in commands:
            for path in requirement_files(command):
                self.add([posixpath.normpath(path)], f"{label}:{line}", dev=dev, warn=warn)


def find(root: Path, fence: Path) -> tuple[list[InstalledFile], list[str]]:
    """The files ``root``'s installers name that are in the tree, in order, and a warning for each one that is not
    (or each installer that cannot be read)."""
    found = _Found(root, fence)
    builds: dict[str, str | None] = dict.fromkeys(dockerfiles_of(root))
    for label in devcontainer.configurations(root):
        try:
            config = devcontainer.read(root, label, fence, template=devcontainer.in_template(root, label, fence))
        except Unreadable as exc:
            found.warnings.append(f"{label}: not read ({exc})")
            continue
        found.commands([(line, command, False) for line, command in config.commands], label, warn=True)
        if config.dockerfile:
            builds[config.dockerfile] = config.context
    for label, context in builds.items():
        _built(found, label, context)
    for folder in _BINDER_FOLDERS:
        for name, conda in _BINDER_FILES:
            if (root / folder / name).is_file():
                found.add([f"{folder}/{name}"], BINDER, conda=conda)
    _tasks(found)
    return [item for item in found.files if not _own_project(root, item.label)], found.warnings


def _built(found: _Found, label: str, context: str | None) -> None:
    """What a Dockerfile installs; ``context`` as a dev container names it, None for a Dockerfile built from its
    own folder or from the root (``docker build -f docker/Dockerfile .``): the first that holds the file."""
    try:
        text = load_text(real(found.root / label), found.fence)
    except Unreadable as exc:
        if context is not None:  # named by a dev container; any other one is named by the install-commands reader
            found.warnings.append(f"{label}: not read ({exc})")
        return
    contexts = [context] if context is not None else list(dict.fromkeys([posixpath.dirname(label), ""]))
    for item in dockerfiles.installed_files(text, _is_folder(found.root, contexts)):
        labels = [posixpath.normpath(posixpath.join(folder, item.source)) for folder in contexts]
        found.add(labels, f"{label}:{item.line}", conda=item.conda)


def _tasks(found: _Found) -> None:
    """The root's Makefile and shell scripts: never a warning (see above)."""
    for label in task_scripts.task_files(found.root):
        try:
            commands = task_scripts.commands(found.root, label, found.fence)
        except Unreadable:  # a task file is no manifest: one that cannot be read is passed over
            continue
        found.commands([(item.line, item.command, item.dev) for item in commands], label, warn=False)


def _is_folder(root: Path, contexts: list[str]) -> Callable[[str], bool]:
    return lambda source: any((root / folder / source).is_dir() for folder in contexts)


def _own_project(root: Path, label: str) -> bool:
    """Whether ``label`` is the manifest, by its name, of a folder that is a project of its own: one holding code,
    not tests, examples, docs or vendored code (``projects``). That project reads it; the root does not."""
    folder, _, name = label.rpartition("/")
    if not folder or not (name in MANIFEST_NAMES or _requirements_name(name)):
        return False
    if any(part in _NOT_PROJECTS or part.startswith(".") for part in folder.split("/")):
        return False
    looked_at = 0
    for _, dirs, files in os.walk(root / folder):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        looked_at += len(files) + len(dirs)
        if any(file.endswith(_CODE) for file in files) or looked_at > _MAX_LOOKED_AT:
            return True
    return False


def _requirements_name(name: str) -> bool:
    from pipreqs_action.manifests.finder import is_requirements_file  # the finder imports this module

    return is_requirements_file(name)


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
            dev = item.dev or is_dev_name(item.label)
            try:
                context.read_requirements(path, dev=dev, installed_by=item.installer)
            except Unreadable as exc:
                entry = DeclaredBy(item.label, dev=dev, unusable=str(exc)[:MAX_REASON], installed_by=item.installer)
                context.requirements.manifest.contributions.append(entry)
    return found
