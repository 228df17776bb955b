"""Distributions that the project's own environment files install with ``pip``: Dockerfiles and dev containers.

Many apps, bots above all, declare what they need nowhere but in the image that runs them (``RUN pip install
discord.py aiohttp``), and a dev container often installs the framework the hosting platform provides
(``pip3 install --user streamlit`` in ``.devcontainer/devcontainer.json``). An import those commands install is
not missing: the place the author runs the app provides it. These names satisfy imports and are listed with what
they contributed ("Dockerfile RUN pip install (2)"), but they are never "unused" (an image may install tools the
code never imports) and never take the fix (the author edits the project's manifest, not a build step).

Nothing is run: the files are read as text, commands are split into shell words by ``shlex`` and only the
names after ``pip install`` are taken (``pip_commands``). A dev container's JSON may hold comments and trailing
commas (JSONC), so only the command values are decoded, each with the standard ``json`` decoder from where its key
stands.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pipreqs_action.lazy_regex import LazyPattern
from pipreqs_action.manifests.base import MAX_REASON, Manifest, Unreadable, load_text, present, real
from pipreqs_action.model import DeclaredBy, Location, Requirement
from pipreqs_action.pip_commands import installed_names

__all__ = ["environment_files", "read"]

# Dev container lifecycle commands (containers.dev reference): a string (a shell line), an array (argv) or an
# object whose values are either (commands run in parallel).
_DEVCONTAINER_COMMANDS = (
    "initializeCommand",
    "onCreateCommand",
    "updateContentCommand",
    "postCreateCommand",
    "postStartCommand",
    "postAttachCommand",
)
_COMMAND_KEY = LazyPattern(r'"(' + "|".join(_DEVCONTAINER_COMMANDS) + r')"\s*:\s*')
_DOCKERFILE = re.compile(r"^(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$|^[\w.-]+\.(?:Dockerfile|dockerfile)$")
_RUN = LazyPattern(r"^\s*RUN\s+(?:--\S+\s+)*(.*)$", re.IGNORECASE)
_FOLDERS = ("", "docker", ".devcontainer")


def environment_files(root: Path) -> list[str]:
    """Dockerfiles at the root, in ``docker/`` and ``.devcontainer/``, and the dev container files, by label."""
    found: list[str] = []
    for folder in _FOLDERS:
        try:
            names = sorted(entry.name for entry in (root / folder).iterdir()) if (root / folder).is_dir() else []
        except OSError:
            continue
        found += [f"{folder}/{name}".lstrip("/") for name in names if _DOCKERFILE.match(name)]
    found += [name for name in (".devcontainer/devcontainer.json", ".devcontainer.json") if present(root / name)]
    return found


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
        found = _devcontainer(text, label) if label.endswith(".json") else _dockerfile(text, label)
        manifest.install(label, table, found)
    return manifest


def _dockerfile(text: str, label: str) -> list[Requirement]:
    """Names after ``pip install`` in ``RUN`` instructions, continuation lines joined, at the instruction's line."""
    found: list[Requirement] = []
    for line_number, instruction in _instructions(text):
        match = _RUN.match(instruction)
        if match is None:
            continue
        command = match.group(1).strip()
        if command.startswith("["):  # exec form: RUN ["pip", "install", "x"]
            command = " ".join(_argv(command))
        found += _requirements(command, Location(label, line_number))
    return found


def _instructions(text: str) -> list[tuple[int, str]]:
    """Dockerfile instructions with ``\\`` continuations joined and comment lines dropped, each at its first line."""
    joined: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not current:
            start = number
        if line.lstrip().startswith("#"):
            continue
        if line.rstrip().endswith("\\"):
            current.append(line.rstrip()[:-1])
            continue
        current.append(line)
        joined.append((start, " ".join(current)))
        current = []
    if current:
        joined.append((start, " ".join(current)))
    return joined


def _argv(value: str) -> list[str]:
    try:
        words = json.loads(value)
    except ValueError:
        return []
    return [word for word in words if isinstance(word, str)] if isinstance(words, list) else []


def _devcontainer(text: str, label: str) -> list[Requirement]:
    """Names the dev container's lifecycle commands install; values that are not JSON are passed over."""
    found: list[Requirement] = []
    decoder = json.JSONDecoder()
    for match in _COMMAND_KEY.finditer(text):
        try:
            value, _ = decoder.raw_decode(text, match.end())
        except ValueError:
            continue
        line = text.count("\n", 0, match.start()) + 1
        for command in _commands(value):
            found += _requirements(command, Location(label, line))
    return found


def _commands(value: object) -> list[str]:
    """A lifecycle command's shell lines: a string as is, an argv joined, an object's values each."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [" ".join(word for word in value if isinstance(word, str))]
    if isinstance(value, dict):
        return [command for item in value.values() for command in _commands(item)]
    return []


def _requirements(command: str, location: Location) -> list[Requirement]:
    return [Requirement(name=name, key=name, location=location, line=name) for name in installed_names(command)]
