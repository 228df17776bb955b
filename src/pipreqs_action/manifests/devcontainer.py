"""A dev container's configuration (``.devcontainer/devcontainer.json``, ``.devcontainer.json``,
``.devcontainer/<name>/devcontainer.json``): the commands it runs in the workspace and the image it builds.

A dev container serves the whole workspace (the folder holding ``.devcontainer``): its lifecycle commands run
there (``"postCreateCommand": "pip install -r requirements.txt"``), and the Dockerfile it builds (``"build":
{"dockerfile": "Dockerfile", "context": ".."}``, both relative to the configuration file) is the environment the
code runs in. The file is JSON with comments (``jsonc``); nothing in it is run.

A project template's configuration (``{{cookiecutter.project_slug}}/.devcontainer/devcontainer.json``: a folder of
its path is named with ``{{ }}`` placeholders, as cookiecutter and copier name what they render) holds template
markup (``{%- if cookiecutter.editor == "VS Code" %}``) until it is rendered, so it is often no JSON at all: that is
what a template is, not a broken configuration. It is read like the template's other manifests, as far as it goes:
each lifecycle command value that decodes where its key stands counts, and nothing warns about the markup.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from typing import Any, NamedTuple

from pipreqs_action.manifests import jsonc
from pipreqs_action.manifests.base import Unreadable, load_text, real, table
from pipreqs_action.reading.lazy_regex import LazyPattern

__all__ = ["COMMANDS", "DevContainer", "command_values", "commands_of", "configurations", "in_template", "read"]

# Lifecycle commands (containers.dev reference): a string (a shell line), an array (argv) or an object whose values
# are either (commands run in parallel).
COMMANDS = (
    "initializeCommand",
    "onCreateCommand",
    "updateContentCommand",
    "postCreateCommand",
    "postStartCommand",
    "postAttachCommand",
)
_FIXED = (".devcontainer/devcontainer.json", ".devcontainer.json")
_COMMAND_KEY = LazyPattern(r'"(' + "|".join(COMMANDS) + r')"\s*:\s*')
_PLACEHOLDER = LazyPattern(r"\{\{.*\}\}")


class DevContainer(NamedTuple):
    """What one configuration says, its paths relative to the checked root."""

    label: str
    commands: tuple[tuple[int, str], ...]  # (line of its key, shell command line), in the file's order
    dockerfile: str = ""  # the Dockerfile it builds; "" for a prebuilt image
    context: str = ""  # that build's context folder ("" is the checked root)


def configurations(root: Path) -> list[str]:
    """The dev container configuration files of ``root``, by label."""
    found = [label for label in _FIXED if (root / label).is_file()]
    folder = root / ".devcontainer"
    try:
        named = sorted(entry.name for entry in folder.iterdir() if entry.is_dir()) if folder.is_dir() else []
    except OSError:
        named = []
    found += [f".devcontainer/{name}/devcontainer.json" for name in named]
    return [label for label in found if (root / label).is_file()]


def in_template(root: Path, label: str, fence: Path) -> bool:
    """Whether the configuration ``label`` of the project in ``root`` lies in a project template's folder: a folder
    between the checked root ``fence`` (itself included) and the file is named with ``{{ }}`` placeholders."""
    folder = root / label
    inside = folder.parent.relative_to(fence).parts if folder.parent.is_relative_to(fence) else ()
    return any(_PLACEHOLDER.search(part) for part in (fence.name, *inside))


def read(root: Path, label: str, fence: Path, *, template: bool = False) -> DevContainer:
    """One configuration; ``Unreadable`` (saying why) when it cannot be read or is not a JSONC object. A
    ``template``'s configuration that is no JSON yet gives the command values that decode (``command_values``)."""
    text = load_text(real(root / label), fence)
    try:
        data = jsonc.loads(text)
    except ValueError as exc:
        if template:
            return DevContainer(label, tuple(command_values(text)))
        raise Unreadable(f"not JSON with comments ({exc})") from None
    except RecursionError:
        raise Unreadable("nested too deeply to read") from None
    if not isinstance(data, dict):
        raise Unreadable("not a JSON object")
    return DevContainer(label, _commands(data, text), *_build(data, label))


def _commands(data: dict[str, Any], text: str) -> tuple[tuple[int, str], ...]:
    found: list[tuple[int, str]] = []
    for key in COMMANDS:
        if key in data:
            match = re.search(rf'"{key}"\s*:', text)
            line = text.count("\n", 0, match.start()) + 1 if match else 1
            found += [(line, command) for command in commands_of(data[key])]
    return tuple(sorted(found, key=lambda item: item[0]))


def command_values(text: str) -> list[tuple[int, str]]:
    """Each lifecycle command value of a text that is no JSON with comments, where it decodes as JSON where its key
    stands (line, shell command line); the others are passed over, so that one broken value does not hide them."""
    found: list[tuple[int, str]] = []
    decoder = json.JSONDecoder()
    for match in _COMMAND_KEY.finditer(text):
        try:
            value, _ = decoder.raw_decode(text, match.end())
        except ValueError:
            continue
        line = text.count("\n", 0, match.start()) + 1
        found += [(line, command) for command in commands_of(value)]
    return found


def commands_of(value: object) -> list[str]:
    """A lifecycle command's shell lines: a string as is, an argv joined, an object's values each."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [" ".join(word for word in value if isinstance(word, str))]
    if isinstance(value, dict):
        return [command for item in value.values() for command in commands_of(item)]
    return []


def _build(data: dict[str, Any], label: str) -> tuple[str, str]:
    """(Dockerfile, context) of the build, relative to the checked root; ("", "") for an image or compose file.
    ``dockerFile`` and ``context`` at the top level are the older spelling of ``build``'s keys."""
    build = table(data, "build")
    dockerfile = build.get("dockerfile", data.get("dockerFile"))
    context = build.get("context", data.get("context", "."))
    if not isinstance(dockerfile, str) or not dockerfile or not isinstance(context, str):
        return "", ""
    here = posixpath.dirname(label)
    return _inside(here, dockerfile), _inside(here, context)


def _inside(folder: str, path: str) -> str:
    """``path`` (relative to ``folder``) relative to the checked root; a path leaving it stays as ``..``-led."""
    joined = posixpath.normpath(posixpath.join(folder, path))
    return "" if joined == "." else joined
