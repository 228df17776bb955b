"""Dockerfiles and Containerfiles, read as text: their instructions, the commands their ``RUN`` steps run, and the
files of the build context those commands install.

``COPY requirements.txt /tmp/`` then ``RUN pip install -r /tmp/requirements.txt``: the file installed is the
context's ``requirements.txt``. The path a ``RUN`` step names is a path in the image, so it is followed back
through ``WORKDIR``, the ``COPY`` / ``ADD`` steps before it and the step's own bind mounts (``--mount=type=bind,
source=...,target=...``) to the file it came from. A path no step copied (made in the image, fetched, copied from
another stage) names no file of the checked tree and is passed over. Nothing is run, no variable is filled in.
"""

from __future__ import annotations

import fnmatch
import json
import posixpath
import re
import shlex
from collections.abc import Callable
from typing import NamedTuple

from pipreqs_action.pip_commands import requirement_files
from pipreqs_action.reading.lazy_regex import LazyPattern

__all__ = ["NAME", "Installed", "argv", "copied_sources", "installed_files", "instructions", "run_command"]

NAME = re.compile(r"^(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$|^[\w.-]+\.(?:Dockerfile|dockerfile)$")
_RUN = LazyPattern(r"^\s*RUN\s+((?:--\S+\s+)*)(.*)$", re.IGNORECASE)
_KEYWORD = LazyPattern(r"^\s*(WORKDIR|COPY|ADD)\s+(.*)$", re.IGNORECASE)
# conda / mamba / micromamba ``env create -f environment.yml`` (also ``env update``, ``--file=...``)
_CONDA_ENV = LazyPattern(r"\b(?:conda|mamba|micromamba)\s+env\s+(?:create|update)\b[^;&|]*?\s(?:-f|--file)[\s=]+(\S+)")


class Installed(NamedTuple):
    """A file of the build context that a ``RUN`` step installs."""

    source: str  # relative to the build context, normalised ("app/requirements.txt")
    line: int  # the RUN instruction's first line
    conda: bool = False  # a conda environment file (``conda env create -f``), else a requirements file


class _Copy(NamedTuple):
    destination: str  # absolute in the image
    sources: tuple[str, ...]  # relative to the build context
    into_folder: bool  # the destination is a folder (ends with "/", or several sources)


def instructions(text: str) -> list[tuple[int, str]]:
    """Instructions with ``\\`` continuations joined and comment lines dropped, each at its first line."""
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


def run_command(instruction: str) -> tuple[str, str] | None:
    """(flags, shell command) of a ``RUN`` instruction (the exec form's argv joined); None for another one."""
    match = _RUN.match(instruction)
    if match is None:
        return None
    command = match.group(2).strip()
    if command.startswith("["):  # exec form: RUN ["pip", "install", "x"]
        command = " ".join(argv(command))
    return match.group(1), command


def argv(value: str) -> list[str]:
    """The strings of a JSON array (the exec form); [] for anything else."""
    try:
        words = json.loads(value)
    except ValueError:
        return []
    return [word for word in words if isinstance(word, str)] if isinstance(words, list) else []


def installed_files(text: str, is_folder: Callable[[str], bool]) -> list[Installed]:
    """The context files the ``RUN`` steps install with ``pip install -r`` or ``conda env create -f``, in order.
    ``is_folder`` says whether a context path is a folder (``COPY . /app`` copies the folder's files)."""
    workdir, copies, found = "/", list[_Copy](), list[Installed]()
    for line, instruction in instructions(text):
        keyword = _KEYWORD.match(instruction)
        if keyword is not None and keyword.group(1).upper() == "WORKDIR":
            workdir = _in_image(workdir, keyword.group(2).strip().strip("\"'"))
        elif keyword is not None:
            copies += _copy(keyword.group(2), workdir)
        elif (run := run_command(instruction)) is not None:
            flags, command = run
            steps = [*_mounts(flags, workdir), *reversed(copies)]
            conda = [(path, True) for path in _CONDA_ENV.findall(command) if "$" not in path]
            for path, is_conda in [*((path, False) for path in requirement_files(command)), *conda]:
                source = _source(_in_image(workdir, path), steps, is_folder)
                if source:
                    found.append(Installed(source, line, is_conda))
    return found


def copied_sources(text: str) -> tuple[str, ...] | None:
    """The build-context paths the ``COPY`` / ``ADD`` steps copy into the image (normalised, ``"."`` for the whole
    context), in order; a copy from another stage or image (``--from``) or a URL copies none of them. None when a
    step cannot be read that way (a variable in its paths, words that cannot be split): what it copies is unknown."""
    found: list[str] = []
    for _, instruction in instructions(text):
        keyword = _KEYWORD.match(instruction)
        if keyword is None or keyword.group(1).upper() == "WORKDIR":
            continue
        arguments = keyword.group(2)
        words = argv(arguments) if arguments.lstrip().startswith("[") else _split(arguments)
        flags = [word for word in words if word.startswith("--")]
        paths = [word for word in words if not word.startswith("--")]
        if any(flag.startswith("--from") for flag in flags):
            continue
        if len(paths) < 2 or any("$" in path for path in paths):
            return None
        found.extend(posixpath.normpath(path.lstrip("/")) for path in paths[:-1] if "://" not in path)
    return tuple(found)


def _in_image(workdir: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(workdir, path))


def _copy(arguments: str, workdir: str) -> list[_Copy]:
    """A ``COPY`` / ``ADD`` from the build context (flags such as ``--chown`` skipped); [] for one from another
    stage or image (``--from``), a URL, or what cannot be split."""
    words = argv(arguments) if arguments.lstrip().startswith("[") else _split(arguments)
    flags = [word for word in words if word.startswith("--")]
    paths = [word for word in words if not word.startswith("--")]
    if any(flag.startswith("--from") for flag in flags) or len(paths) < 2:
        return []
    sources = tuple(posixpath.normpath(path.lstrip("/")) for path in paths[:-1] if "://" not in path)
    destination = paths[-1]
    into = destination.endswith("/") or len(paths) > 2
    if not sources or "$" in destination:
        return []
    return [_Copy(_in_image(workdir, destination), sources, into)]


def _mounts(flags: str, workdir: str) -> list[_Copy]:
    """A ``RUN`` step's bind mounts from the build context, as copies made just for that step."""
    found: list[_Copy] = []
    for flag in flags.split():
        if not flag.startswith("--mount="):
            continue
        options = {key: value for key, _, value in (part.partition("=") for part in flag[8:].split(","))}
        source = options.get("source", options.get("src", "."))
        target = options.get("target", options.get("dst", options.get("destination", "")))
        if options.get("type") == "bind" and "from" not in options and target:
            found.append(_Copy(_in_image(workdir, target), (posixpath.normpath(source.lstrip("/")),), False))
    return found


def _split(arguments: str) -> list[str]:
    try:
        return shlex.split(arguments)
    except ValueError:
        return []


def _source(path: str, steps: list[_Copy], is_folder: Callable[[str], bool]) -> str:
    """The context file that the latest step placing ``path`` in the image copied; "" when none did."""
    for step in steps:
        for source in reversed(step.sources):
            found = _placed(path, step, source, is_folder)
            if found:
                return found
    return ""


def _placed(path: str, step: _Copy, source: str, is_folder: Callable[[str], bool]) -> str:
    destination = step.destination
    if source == "." or is_folder(source):  # a folder's files land under the destination
        inside = posixpath.relpath(path, destination) if path.startswith(destination.rstrip("/") + "/") else ""
        return posixpath.normpath(posixpath.join(source, inside)) if inside else ""
    name = posixpath.basename(path)
    if any(mark in source for mark in "*?["):  # COPY requirements*.txt ./
        matches = posixpath.dirname(path) == destination and fnmatch.fnmatchcase(name, posixpath.basename(source))
        return posixpath.join(posixpath.dirname(source), name).lstrip("/") if matches else ""
    if path == posixpath.join(destination, posixpath.basename(source)):  # into a folder, named or existing
        return source
    return source if path == destination and not step.into_folder else ""
