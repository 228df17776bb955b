"""Import extractions kept for one check: a project inside the checked tree has its files read again by its own scan.

WHY: a monorepo is checked once as a whole, then once per project inside it (``projects``), and each of those scans
extracted the imports of the same files again (pydantic-ai: 697 files, 1,075 extractions; haystack-core-integrations
about twice its files). Finding a file's imports and their contexts is about two fifths of reading it.

An extraction (``imports.extract``) is a function of the text, of ``full``, and of what ``wanted`` answered for the
names it asked about: ``wanted`` only decides whose context is worked out. So the extraction is kept with those
answers, and given again to a later scan of the same file when its own ``wanted`` answers them all the same (a name
that is the outer tree's own module but not the inner project's sends the file to a fresh extraction). A failed
extraction (not Python, newer syntax) is never kept: it raises again, the same way.

A file is known by its path and its text's length and hash; what a forked reader extracted comes back to the parent
with its results (``scan._read_all``). ``pipeline.run`` forgets everything at the start of each check.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pipreqs_action import imports
from pipreqs_action.imports.raw import RawImport

__all__ = ["Kept", "extract", "forget", "keep", "recording"]

Key = tuple[str, int, int, bool]  # the file's path, its text's length and hash, full
Kept = dict[Key, tuple[tuple[tuple[str, bool], ...], tuple[RawImport, ...]]]  # -> (wanted's answers, the imports)

_kept: Kept = {}
_recorded: Kept | None = None  # in a forked reader: what it extracted, to send back


def extract(path: str, text: str, *, full: bool, wanted: Callable[[str], bool]) -> list[RawImport]:
    """``imports.extract(text, full=full, wanted=wanted)``, given again when this file was extracted before with
    the same answers from ``wanted``; raises what it raises."""
    key = (path, len(text), hash(text), full)
    kept = _kept.get(key)
    if kept is not None and all(wanted(name) == answer for name, answer in kept[0]):
        return list(kept[1])
    asked: dict[str, bool] = {}

    def answer(name: str) -> bool:
        if name not in asked:
            asked[name] = wanted(name)
        return asked[name]

    found = imports.extract(text, full=full, wanted=answer)
    _kept[key] = (tuple(asked.items()), tuple(found))
    if _recorded is not None:
        _recorded[key] = _kept[key]
    return found


def recording() -> Kept:
    """In a forked reader, before it reads: from now on what it extracts is also put in the mapping returned."""
    global _recorded
    _recorded = {}
    return _recorded


def keep(extracted: Mapping[Key, tuple[tuple[tuple[str, bool], ...], tuple[RawImport, ...]]]) -> None:
    """What a forked reader extracted, kept here as if extracted here."""
    _kept.update(extracted)


def forget() -> None:
    """Start a check with nothing kept (a server runs many checks in one process)."""
    _kept.clear()
