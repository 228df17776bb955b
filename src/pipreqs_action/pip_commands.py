"""The distributions a shell or IPython ``pip install`` command names, read as text and never run.

Notebooks install what they need from their own cells (``!pip install -q torchinfo``, ``%pip install x==1.2``,
``!{sys.executable} -m pip install x``), so a command is a statement of what the notebook uses. Only names are
taken: options and their values, requirement files, paths, URLs and shell interpolations (``$pkg``, ``{pkg}``)
name nothing we can check, and are passed over. A URL of a repository (``git+https://github.com/x/vista.git``,
``-e git+https://...``, ``https://github.com/x/vista/archive/main.zip``) names no distribution, but it names the
repository, which ``installed_repositories`` gives apart.
"""

from __future__ import annotations

import re
import shlex

from pipreqs_action.pep508 import InvalidRequirement, canonical_name, parse

__all__ = ["installed_names", "installed_repositories", "requirement_files"]

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
_REQUIREMENT_OPTIONS = ("-r", "--requirement")
# ``sh -c "pip install ..."``, ``su - app -c "..."``, ``bash -lc "..."``: the next word is a command line of its own
_COMMAND_STRING_OPTION = re.compile(r"^-[a-z]*c$")


def installed_names(command: str) -> tuple[str, ...]:
    """PEP 503 names of the distributions ``command`` installs with pip, in order; () for any other command.

    ``command`` is a notebook line as written: a leading ``!`` or ``%`` (the IPython forms) is dropped.
    """
    found = [name for word in _install_words(command) for name in _name_of(word)]
    return tuple(dict.fromkeys(found))


def installed_repositories(command: str) -> tuple[str, ...]:
    """PEP 503 names of the repositories ``command`` pip-installs from a URL (``git+https://host/owner/vista.git``
    -> ``vista``; ``...#egg=name`` -> ``name``), in order; () for any other command."""
    found = [name for word in _install_words(command) if (name := _repository_of(word))]
    return tuple(dict.fromkeys(found))


def requirement_files(command: str) -> tuple[str, ...]:
    """The requirements files each ``pip install`` (``uv pip install``, ``python -m pip install``) in ``command``
    installs (``-r requirements.txt``, ``-qr base.txt``, ``--requirement=base.txt``), as written; a path holding
    a shell interpolation (``${REQ_FILE}``) names nothing we can read and is left out."""
    found: list[str] = []
    for arguments in _each_install(command):
        span = _install_span(arguments)
        for index, word in enumerate(span):
            option, equals, value = word.partition("=")
            if option.startswith("--") and option in _REQUIREMENT_OPTIONS and equals:
                found.append(value)
            elif not equals and (word in _REQUIREMENT_OPTIONS or _combined_flags_ending(word, "r")):
                found += span[index + 1 : index + 2]
    return tuple(dict.fromkeys(path for path in found if path and "$" not in path and "{" not in path))


def _install_words(command: str) -> list[str]:
    """The arguments of each ``pip install`` in ``command`` (a leading ``!`` or ``%`` dropped), options left out."""
    return [word for arguments in _each_install(command) for word in _install_arguments(arguments)]


def _each_install(command: str) -> list[list[str]]:
    """The words after ``pip`` of each pip command in ``command`` (a leading ``!`` or ``%`` dropped), up to the end
    of the line; the shell separators ending that command are left to ``_install_arguments``."""
    words = _words(command.strip().lstrip("!%").strip())
    return [words[start + 1 :] for start, word in enumerate(words) if _PIP.match(word)]


def _words(command: str, *, nested: bool = True) -> list[str]:
    """Shell words without a trailing comment, separators (``;``, ``&&``, ``|``) apart; unbalanced quotes fall back
    to splitting on white space. The command string of ``sh -c "..."`` (``su - app -c``) is split in turn, once,
    between separators of its own."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=";&|")  # "x; pip install y": ";" is its own word
    lexer.whitespace_split = True
    try:
        words = list(lexer)
    except ValueError:
        words = [word.strip("'\"") for word in command.split("#", 1)[0].split()]
    if not nested:
        return words
    found: list[str] = []
    for index, word in enumerate(words):
        if index and _COMMAND_STRING_OPTION.match(words[index - 1]) and " " in word.strip():
            found += [";", *_words(word, nested=False), ";"]
        else:
            found.append(word)
    return found


def _install_span(words: list[str]) -> list[str]:
    """The words after ``install`` (global options may come first: ``pip -q install x``), up to a separator; []
    for another pip command."""
    index = 0
    while index < len(words) and words[index].startswith("-"):
        index += 1
    if index >= len(words) or words[index] != "install":
        return []
    span = words[index + 1 :]
    end = next((at for at, word in enumerate(span) if word in _SHELL_SEPARATORS), len(span))
    return span[:end]


def _install_arguments(words: list[str]) -> list[str]:
    """The arguments of a ``pip install`` (``words`` after ``pip``), options and their values left out."""
    found: list[str] = []
    skip_value = editable = False
    for word in _install_span(words):
        if skip_value:
            if editable and "://" in word:  # -e git+https://...: a repository, never a name
                found.append(word)
            skip_value = editable = False
        elif word.startswith("-"):
            skip_value = word in _VALUE_OPTIONS or _short_flags_taking_a_value(word)
            editable = word in ("-e", "--editable")
        else:
            found.append(word)
    return found


def _short_flags_taking_a_value(word: str) -> bool:
    """``-qr requirements.txt``: short flags run together, the last one taking the next word."""
    return not word.startswith("--") and "=" not in word and f"-{word[-1]}" in _VALUE_OPTIONS


def _combined_flags_ending(word: str, flag: str) -> bool:
    """``-qr``, ``-Ur``: short flags run together whose last one is ``flag``."""
    return len(word) > 2 and word.startswith("-") and not word.startswith("--") and word.endswith(flag)


# A version-control URL (``git+https://github.com/owner/vista.git@main``) or a forge's archive of a repository
# (``https://github.com/owner/vista/archive/main.zip``): the repository's name. A file URL (a wheel) is neither.
_REPOSITORY_URL = re.compile(
    r"^(?:(?:git|hg|svn|bzr)\+(?:https?|ssh|git|file)://\S*?/(?P<vcs>[\w.-]+?)(?:\.git)?/?(?:@[^/?#]*)?"
    r"|https?://[^/?#]+/[\w.-]+/(?P<forge>[\w.-]+?)(?:\.git)?/(?:archive|tarball|zipball)/[^?#]*)(?:[?#].*)?$"
)


def _repository_of(word: str) -> str:
    """The name of the repository a URL installs from; "" for any other word (a name, a path, a file's URL)."""
    match = _REPOSITORY_URL.match(word) if "$" not in word and "{" not in word else None
    return canonical_name(match["vcs"] or match["forge"]) if match else ""


def _name_of(word: str) -> list[str]:
    if any(mark in word for mark in ("$", "{", "}", "/", "\\")) or word.startswith("."):
        return []  # an interpolation, a path or a URL: names nothing we can check
    try:
        return [canonical_name(parse(word).name)]
    except InvalidRequirement:
        return []
