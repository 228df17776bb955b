"""Modules of a library that another program loads by name: that program is installed wherever they run.

A server library ships a worker class for a process manager (``srvlib/workers.py``: ``from procman.base import
Worker``, ``class SrvWorker(Worker)``). Nothing in the library imports it and its name names nothing it imports, so
``integration_names`` takes it for public API and keeps its top-level imports required. Yet no user imports it
either: the docs tell them to run ``procman -k srvlib.workers.SrvWorker``, and procman imports it. Wherever that
module runs, procman is installed: its import of procman is no alarm.

So a module nothing in its package imports, whose dotted path the project's documentation gives on a command line
of one of the packages the module imports (the command's first word is that package's name: in a code span, or a
line of its own, after an optional ``$`` prompt), has its imports of that package made optional, naming where the
docs say so. Its other imports keep the rule of a public module: the program installs only itself.

The docs are the root's README and the files of a ``docs/`` or ``doc/`` folder (Markdown, reStructuredText, text),
read only when the package has such an unreached public module, and bounded in number and size.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from pipreqs_action.app_code.reachability import Packages
from pipreqs_action.model import ImportRef

__all__ = ["doc_texts", "loaded_by_programs", "optional_where_loaded"]

_DOC_FOLDERS = ("docs", "doc")
_DOC_SUFFIXES = (".md", ".rst", ".txt")
_MAX_FILES = 400
_MAX_BYTES = 1024 * 1024


def doc_texts(root: Path) -> Iterator[tuple[str, str]]:
    """(path, text) of the root's README files and the documents under ``docs/`` or ``doc/`` (no symlinks)."""
    count = 0
    for rel in _doc_paths(root):
        path = root / rel
        try:
            if path.is_symlink() or path.stat().st_size > _MAX_BYTES:
                continue
            text = path.read_text("utf-8", errors="replace")
        except OSError:
            continue
        yield rel, text
        count += 1
        if count >= _MAX_FILES:
            return


def _doc_paths(root: Path) -> Iterator[str]:
    try:
        top = sorted(entry.name for entry in os.scandir(root) if entry.is_file(follow_symlinks=False))
    except OSError:
        return
    yield from (name for name in top if name.upper().startswith("README"))
    for folder in _DOC_FOLDERS:
        base = root / folder
        if base.is_symlink() or not base.is_dir():
            continue
        for current, dirs, files in os.walk(base):  # os.walk follows no symlinked folder by default
            dirs.sort()
            relative = Path(current).relative_to(root).as_posix()
            yield from (f"{relative}/{name}" for name in sorted(files) if name.endswith(_DOC_SUFFIXES))


def loaded_by_programs(
    public: Iterable[str],
    imported: Mapping[str, Iterable[str]],
    packages: Packages,
    texts: Iterable[tuple[str, str]],
) -> dict[tuple[str, str], str]:
    """(file, top-level import name) -> the reason its imports of that name are optional, for each unreached public
    module (``public``: paths) that the docs give to that name's program. ``imported`` maps a file to the top-level
    names of the third-party modules it imports."""
    wanted = {}
    for path in public:
        module = packages.module_of(path)
        programs = sorted({name for name in imported.get(path, ()) if name.isidentifier()})
        if module and programs:
            wanted[path] = (module, programs)
    if not wanted:
        return {}
    found: dict[tuple[str, str], str] = {}
    for rel, text in texts:
        for path, (module, programs) in wanted.items():
            if module not in text:
                continue
            for program in programs:
                line = _command_line(text, program, module)
                if line and (path, program) not in found:
                    found[path, program] = f"{program} loads {path} by name ({rel}:{line}: {program} ... {module})"
    return found


def _command_line(text: str, program: str, module: str) -> int:
    """The line of a command of ``program`` naming ``module`` (or a name inside it), 0 for none."""
    pattern = re.compile(
        rf"(?:^[ \t>]*(?:\$[ \t]+)?|`){re.escape(program)}[ \t][^`\n]*?(?<![\w.]){re.escape(module)}(?![\w])",
        re.MULTILINE,
    )
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def optional_where_loaded(refs: Iterable[ImportRef], loaded: Mapping[tuple[str, str], str]) -> Iterator[ImportRef]:
    """The imports, those of a program's package in a module it loads by name made optional with the reason."""
    for ref in refs:
        reason = loaded.get((ref.location.path, ref.root))
        if reason and not (ref.optional or ref.type_only or ref.secondary):
            yield ref._replace(optional=True, reason=reason)
        else:
            yield ref
