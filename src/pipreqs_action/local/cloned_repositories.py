"""Repositories a README clones beside the code: an import of the clone's folder is the project's own, not PyPI's.

A script that needs another project's code, unpublished or not as a package, often says so in the README next to
it and imports the clone by its folder::

    ch05/gutenberg_pretraining/README.md:    git clone https://github.com/pgcorpus/gutenberg.git
    ch05/gutenberg_pretraining/prepare.py:   from gutenberg.src.cleanup import strip_headers

``git clone URL`` makes a folder named after the repository (``gutenberg``) in the folder it runs in, and
``python prepare.py`` puts the script's folder first on ``sys.path``: the import finds the clone. Whatever PyPI
project has that name (here an unrelated one) is not what the code means, so the import is local, with the README's
line as the reason, never a package to declare.

All of it must hold:
- the README (``README``, ``README.md``, ``README.rst``, ``README.txt``, any case) is in the importing file's own
  folder: a clone described elsewhere lands elsewhere;
- it runs ``git clone`` on a URL (options skipped; an explicit target folder after the URL counts instead of the
  repository's name), and that folder's name is the import's top-level name, exactly as Python matches it;
- no declared distribution provides the import (a project that declares it installs it), and it is not the
  project's own package: most READMEs clone the project itself (``git clone .../buku.git``), whose code is its own.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

from pipreqs_action.mapping import ImportNames
from pipreqs_action.model import Declared, ImportRef, LocalImport, ScanResult
from pipreqs_action.reading.files import read_bytes
from pipreqs_action.reading.lazy_regex import LazyPattern

__all__ = ["apply", "cloned_folders"]

_README = re.compile(r"^readme(?:\.(?:md|markdown|rst|txt))?$", re.IGNORECASE)
_CLONE = LazyPattern(r"\bgit\s+clone\s")
_MAX_README_BYTES = 1024 * 1024
# git clone options that take the next word as their value (``--depth 1``, ``-b main``)
_VALUE_OPTIONS = frozenset(
    {"-b", "--branch", "--depth", "-o", "--origin", "-c", "--config", "--reference", "--separate-git-dir", "-j",
     "--jobs", "--filter", "--template", "-u", "--upload-pack", "--shallow-since", "--shallow-exclude", "--bundle-uri"}
)  # fmt: skip
_SEPARATORS = frozenset({"&&", "||", ";", "|", "&"})
_FOLDER = LazyPattern(r"^[A-Za-z_][\w.-]*$")


def apply(scan: ScanResult, root: Path, declared: Declared, names: ImportNames) -> ScanResult:
    """The scan with imports of a folder that the README beside them clones moved to ``local``, saying where."""
    folders = {ref.location.path.rpartition("/")[0] for ref in scan.imports}
    clones = {folder: found for folder in sorted(folders) if (found := _clones_in(root, folder))}
    if not clones:
        return scan
    every = (*declared.requirements, *declared.inherited, *declared.installed)
    provided = [
        names.provides(req.name) for req in (*every, *(req for _, group in declared.optional_groups for req in group))
    ]
    kept: list[ImportRef] = []
    local: list[LocalImport] = []
    for ref in scan.imports:
        reason = clones.get(ref.location.path.rpartition("/")[0], {}).get(ref.root)
        if reason is None or ref.root in declared.first_party or _declared(ref, provided, names):
            kept.append(ref)
        else:
            local.append(LocalImport(ref.module, ref.location, reason))
    if not local:
        return scan
    return scan._replace(imports=tuple(kept), local=(*scan.local, *local))


def _declared(ref: ImportRef, provided: list[frozenset[str]], names: ImportNames) -> bool:
    return any(names.satisfies(paths, path) for paths in provided for path in names.import_paths(ref))


def _clones_in(root: Path, folder: str) -> dict[str, str]:
    """The folders the READMEs of ``folder`` clone into it, each with the reason shown for imports of it."""
    try:
        entries = sorted(entry.name for entry in (root / folder).iterdir() if _README.match(entry.name))
    except OSError:
        return {}
    found: dict[str, str] = {}
    for name in entries:
        rel = f"{folder}/{name}" if folder else name
        data = read_bytes(root, rel)  # inside the tree, a regular file, bounded
        if data is None or len(data) > _MAX_README_BYTES:
            continue
        for line, clone, url in cloned_folders(data.decode("utf-8", "replace")):
            found.setdefault(clone, f"a repository cloned beside it by {rel}:{line} (git clone {url})")
    return found


def cloned_folders(text: str) -> Iterator[tuple[int, str, str]]:
    """(1-based line, folder made, URL) for each ``git clone`` in a README's text (code blocks, inline code or
    prose: backticks and a shell prompt are no part of the command)."""
    for number, line in enumerate(text.splitlines(), 1):
        for match in _CLONE.finditer(line):
            command = line[match.end() :].split("`", 1)[0]
            clone = _target(_words(command))
            if clone is not None:
                yield number, *clone


def _words(command: str) -> list[str]:
    lexer = shlex.shlex(command, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:
        return command.split()


def _target(words: list[str]) -> tuple[str, str] | None:
    """(the folder ``git clone`` makes, the URL) from the words after ``clone``; None when it is no clone of a URL."""
    arguments: list[str] = []
    skip = False
    for word in words:
        if word in _SEPARATORS:
            break
        if skip:
            skip = False
        elif word.startswith("-"):
            skip = word in _VALUE_OPTIONS
        else:
            arguments.append(word)
    if not arguments or not ("://" in arguments[0] or arguments[0].startswith("git@")):
        return None
    url = arguments[0]
    folder = arguments[1] if len(arguments) > 1 else _humanish(url)
    folder = folder.rstrip("/")
    return (folder, url) if _FOLDER.match(folder) else None


def _humanish(url: str) -> str:
    """The folder git names a clone after: the URL's last path part without ``.git`` (git's "humanish" part)."""
    last = re.split(r"[/:]", url.split("?", 1)[0].split("#", 1)[0].rstrip("/"))[-1]
    return last.removesuffix(".git")
