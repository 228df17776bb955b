"""Scripts nobody is told to run: the maintainers' tooling kept beside an application.

A repository keeps scripts its users run and scripts only its maintainers run. Users are told: the README or a page
of the documentation names the script (``python datasets/lsun_bedroom.py``, ``python -m fastchat.data.clean_sharegpt``),
a shell script, Makefile, Dockerfile or workflow runs it, another file imports it or passes its path along. A release
script (``bin/release_manager.py``, drafting GitHub releases with the maintainers' token) or a module's self-test is
named nowhere: nothing in the repository says to run it, so nothing a user installs the app for runs it, and what only
it imports is not what the app needs.

The signal is silence, so it is read as widely as the tree allows: every Python file and notebook, and every text a
project documents or runs itself with (Markdown, reStructuredText, plain text, shell and batch scripts, YAML, TOML,
INI and JSON files, Makefiles, Dockerfiles, Procfiles), at any depth, in hidden folders too (a workflow under
``.github/`` that runs a script names it). A script counts as named when any of them holds its file name
(``release_manager.py``: a path ending in it, ``cd bin && python release_manager.py``), its dotted module name, or
``-m`` followed by its module name. The texts are read only when there is a candidate, and never more than
``MAX_TEXT_FILES`` files of at most ``MAX_TEXT_BYTES`` each: a tree too large to read whole keeps every script
(unread, a text might have named it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pipreqs_action.limits import check_deadline

if TYPE_CHECKING:
    from pipreqs_action.app_code.reachability import Packages

__all__ = ["MAX_TEXT_BYTES", "MAX_TEXT_FILES", "TOOLING", "named_scripts", "stand_alone_scripts"]

TOOLING = "a script nothing imports and no documentation or other file names (maintainer tooling, a module's self-test)"
MAX_TEXT_FILES = 20_000  # beyond this, the tree is not read: every candidate counts as named
MAX_TEXT_BYTES = 1024 * 1024  # a larger text is skipped (logs, data), never read whole
_TEXT_SUFFIXES = (
    ".py",
    ".pyw",
    ".ipynb",
    ".md",
    ".mdx",
    ".markdown",
    ".rst",
    ".txt",
    ".sh",
    ".bash",
    ".zsh",
    ".bat",
    ".cmd",
    ".ps1",
    ".yml",
    ".yaml",
    ".toml",
    ".cfg",
    ".ini",
    ".json",
    ".mk",
)
_TEXT_PREFIXES = (
    "README",
    "Makefile",
    "GNUmakefile",
    "makefile",
    "Dockerfile",
    "Containerfile",
    "Procfile",
    "justfile",
)
_NEVER_READ = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".nox", ".venv", "venv"})


def named_scripts(root: Path, candidates: Collection[str]) -> frozenset[str]:
    """The candidate scripts (root-relative paths) that some other text of the tree names; all of them when the tree
    holds more texts than are read."""
    if not candidates:
        return frozenset()
    stems = {path: path.rpartition("/")[2][:-3] for path in candidates}  # in every name of a script
    named: set[str] = set()
    for count, (path, text) in enumerate(_texts(root)):
        if count >= MAX_TEXT_FILES:
            return frozenset(candidates)
        named.update(
            candidate
            for candidate, stem in stems.items()
            if candidate != path and candidate not in named and stem in text and _names(text, candidate, stem)
        )
        if len(named) == len(stems):
            break
    return frozenset(named)


_BEFORE = 200  # characters before a module name looked at for what leads to it (``-m pkg.``, a quote)
_RUN_AS_MODULE = re.compile(r"-m\s+(?:[\w.]+\.)?$")


def _names(text: str, path: str, stem: str) -> bool:
    """Whether the text names the script ``path`` (module name ``stem``): its file name, alone or ending a path; its
    dotted module name; ``-m`` and a module name ending in its own; or its module name quoted
    (``import_module("release_manager")``). Each place the module name occurs is looked at, never the whole text
    matched against a pattern: a large data file full of quotes stays linear."""
    dotted = path.removeprefix("src/")[:-3].replace("/", ".")
    above = dotted[: -len(stem)]  # "pkg.sub." or ""
    start = text.find(stem)
    while start >= 0:
        end = start + len(stem)
        before, after = text[max(0, start - _BEFORE) : start], text[end : end + 4]
        lead = before[-1:]
        if after.startswith(".py") and not _word(after[3:4], "-") and not _word(lead, ".-"):
            return True
        ends = not _word(after[:1], ".")
        if above and before.endswith(above) and not _word(before[-len(above) - 1 : -len(above)], ".") and ends:
            return True
        if ends and _RUN_AS_MODULE.search(before):
            return True
        quote = after[:1]
        if quote in ("'", '"') and re.search(rf"{quote}(?:[\w.]+\.)?$", before):
            return True
        start = text.find(stem, end)
    return False


def _word(char: str, more: str) -> bool:
    """Whether ``char`` continues a name: a letter, digit or underscore, or one of ``more``."""
    return bool(char) and (char.isalnum() or char == "_" or char in more)


def stand_alone_scripts(
    scripts: Iterable[str], *, paths: Collection[str], packages: Packages, imported: Mapping[str, Iterable[str]]
) -> list[str]:
    """Scripts in a sub-folder outside the project's packages that use none of its code and that nothing imports:
    the candidates for tooling in a repository whose app is its packages (``bin/release_manager.py`` beside
    ``redash/``). A script at the root, or in a repository without packages (a collection of scripts), is the app.

    ``imported`` maps each file to the top-level names its absolute imports start with. Using the app's code means
    importing one of its packages or a module at the root; being imported, that some file imports the script's
    module name or its folder's name (``from bin import release_manager``)."""
    if not packages.names:
        return []
    files = set(paths)
    own = packages.names | {path[:-3] for path in files if "/" not in path and path.endswith(".py")}
    every = {name for names in imported.values() for name in names}
    found = []
    for path in scripts:
        folder, _, name = path.rpartition("/")
        if not folder or packages.module_of(path) is not None or f"{folder}/__init__.py" in files:
            continue
        if own.intersection(imported.get(path, ())) or {name[:-3], folder.rpartition("/")[2]} & every:
            continue
        found.append(path)
    return found


def _texts(root: Path) -> Iterator[tuple[str, str]]:
    """Each text file of the tree (root-relative path, text), never following a symbolic link."""
    for path in _text_files(root):
        check_deadline()
        try:
            full = root / path
            if full.stat(follow_symlinks=False).st_size > MAX_TEXT_BYTES:
                continue
            yield path, full.read_text("utf-8", errors="replace")
        except OSError:
            continue


def _text_files(root: Path) -> Iterator[str]:
    """The tree's text files, folder by folder (a stack, not recursion: an untrusted tree may be deep)."""
    folders = [""]
    while folders:
        folder = folders.pop()
        try:
            entries = sorted(os.scandir(root / folder), key=lambda entry: entry.name, reverse=True)
        except OSError:
            continue
        for entry in entries:
            rel = f"{folder}/{entry.name}" if folder else entry.name
            try:
                if entry.is_symlink():
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in _NEVER_READ:
                        folders.append(rel)
                elif entry.name.endswith(_TEXT_SUFFIXES) or entry.name.startswith(_TEXT_PREFIXES):
                    yield rel
            except OSError:
                continue
