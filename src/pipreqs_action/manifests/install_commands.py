"""Distributions that the project's own environment files install with ``pip``: Dockerfiles and dev containers.

Many apps, bots above all, declare what they need nowhere but in the image that runs them (``RUN pip install
discord.py aiohttp``), and a dev container often installs the framework the hosting platform provides
(``pip3 install --user streamlit`` in ``.devcontainer/devcontainer.json``). An import those commands install is
not missing: the place the author runs the app provides it. These names satisfy imports and are listed with what
they contributed ("Dockerfile RUN pip install (2)"), but they are never "unused" (an image may install tools the
code never imports) and never take the fix (the author edits the project's manifest, not a build step).

Nothing is run: the files are read as text (``dockerfiles``, ``devcontainer``), commands are split into shell
words by ``shlex`` and only the names after ``pip install`` are taken (``pip_commands``). A dev container that is
not JSON with comments is named with why, and its command values are then each decoded with the standard ``json``
decoder from where its key stands, so that one broken value elsewhere does not hide them.
"""

from __future__ import annotations

from pathlib import Path

from pipreqs_action.manifests import devcontainer, dockerfiles
from pipreqs_action.manifests.base import MAX_REASON, Manifest, Unreadable, load_text, real
from pipreqs_action.model import DeclaredBy, Location, Requirement
from pipreqs_action.pip_commands import installed_names

__all__ = ["dockerfiles_of", "environment_files", "read"]

_FOLDERS = ("", "docker", ".devcontainer")


def dockerfiles_of(root: Path) -> list[str]:
    """Dockerfiles at the root, in ``docker/`` and ``.devcontainer/``, by label."""
    found: list[str] = []
    for folder in _FOLDERS:
        try:
            names = sorted(entry.name for entry in (root / folder).iterdir()) if (root / folder).is_dir() else []
        except OSError:
            continue
        found += [f"{folder}/{name}".lstrip("/") for name in names if dockerfiles.NAME.match(name)]
    return found


def environment_files(root: Path) -> list[str]:
    """The Dockerfiles (``dockerfiles_of``) and the dev container configurations, by label."""
    return dockerfiles_of(root) + devcontainer.configurations(root)


def read(root: Path, labels: list[str], fence: Path) -> Manifest:
    """One manifest holding every install command's names; a file that cannot be read is named with why."""
    manifest = Manifest("install commands", "install-commands")
    for label in labels:
        table = "commands" if label.endswith(".json") else "RUN pip install"
        try:
            text = load_text(real(root / label), fence)
        except Unreadable as exc:  # named with its table: not a manifest, so the check still runs without it
            manifest.contributions.append(DeclaredBy(label, table, unusable=str(exc)[:MAX_REASON]))
            continue
        found = _devcontainer(root, text, label, fence) if label.endswith(".json") else _dockerfile(text, label)
        manifest.install(label, table, found)
    return manifest


def _dockerfile(text: str, label: str) -> list[Requirement]:
    """Names after ``pip install`` in ``RUN`` instructions, continuation lines joined, at the instruction's line."""
    found: list[Requirement] = []
    for line_number, instruction in dockerfiles.instructions(text):
        run = dockerfiles.run_command(instruction)
        if run is not None:
            found += _requirements(run[1], Location(label, line_number))
    return found


def _devcontainer(root: Path, text: str, label: str, fence: Path) -> list[Requirement]:
    """Names the dev container's lifecycle commands install."""
    try:
        commands = list(devcontainer.read(root, label, fence).commands)
    except Unreadable:  # the installed-files reader names the file and why; the values that decode still count
        commands = devcontainer.command_values(text)
    return [req for line, command in commands for req in _requirements(command, Location(label, line))]


def _requirements(command: str, location: Location) -> list[Requirement]:
    return [Requirement(name=name, key=name, location=location, line=name) for name in installed_names(command)]
