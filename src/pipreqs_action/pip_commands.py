"""The distributions a shell or IPython ``pip install`` command names, read as text and never run.

Notebooks install what they need from their own cells (``!pip install -q torchinfo``, ``%pip install x==1.2``,
``!{sys.executable} -m pip install x``), so a command is a statement of what the notebook uses. Only names are
taken: options and their values, requirement files, paths, URLs and shell interpolations (``$pkg``, ``{pkg}``)
name nothing we can check, and are passed over.
"""

from __future__ import annotations

import re
import shlex

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

__all__ = ["installed_names"]

# pip install options whose value is the next word (``-r requirements.txt``, ``--index-url URL``).
_VALUE_OPTIONS = frozenset(
    {
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "-e",
        "--editable",
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "-t",
        "--target",
        "--prefix",
        "--root",
        "--src",
        "--upgrade-strategy",
        "--platform",
        "--python-version",
        "--implementation",
        "--abi",
        "--trusted-host",
        "--no-binary",
        "--only-binary",
        "--progress-bar",
        "-C",
        "--config-settings",
        "--global-option",
        "--cache-dir",
        "--log",
        "--proxy",
        "--retries",
        "--timeout",
        "--exists-action",
        "--cert",
        "--client-cert",
        "--python",
        "--report",
    }
)
_PIP = re.compile(r"^(?:.*/)?pip(?:\d+(?:\.\d+)?)?$")
_SHELL_SEPARATORS = frozenset({"&&", "||", ";", "|", "&"})


def installed_names(command: str) -> tuple[str, ...]:
    """PEP 503 names of the distributions ``command`` installs with pip, in order; () for any other command.

    ``command`` is a notebook line as written: a leading ``!`` or ``%`` (the IPython forms) is dropped.
    """
    words = _words(command.strip().lstrip("!%").strip())
    found: list[str] = []
    for start, word in enumerate(words):
        if _PIP.match(word):
            found.extend(_install_arguments(words[start + 1 :]))
    return tuple(dict.fromkeys(found))


def _words(command: str) -> list[str]:
    """Shell words without a trailing comment, separators (``;``, ``&&``, ``|``) apart; unbalanced quotes fall back
    to splitting on white space."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=";&|")  # "x; pip install y": ";" is its own word
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:
        return [word.strip("'\"") for word in command.split("#", 1)[0].split()]


def _install_arguments(words: list[str]) -> list[str]:
    """The names after ``install`` (global options may come first: ``pip -q install x``), up to a separator."""
    index = 0
    while index < len(words) and words[index].startswith("-"):
        index += 1
    if index >= len(words) or words[index] != "install":
        return []
    names: list[str] = []
    skip_value = False
    for word in words[index + 1 :]:
        if word in _SHELL_SEPARATORS:
            break
        if skip_value:
            skip_value = False
        elif word.startswith("-"):
            skip_value = word in _VALUE_OPTIONS or _short_flags_taking_a_value(word)
        else:
            names.extend(_name_of(word))
    return names


def _short_flags_taking_a_value(word: str) -> bool:
    """``-qr requirements.txt``: short flags run together, the last one taking the next word."""
    return not word.startswith("--") and "=" not in word and f"-{word[-1]}" in _VALUE_OPTIONS


def _name_of(word: str) -> list[str]:
    if any(mark in word for mark in ("$", "{", "}", "/", "\\")) or word.startswith("."):
        return []  # an interpolation, a path or a URL: names nothing we can check
    try:
        return [canonicalize_name(Requirement(word).name)]
    except InvalidRequirement:
        return []
