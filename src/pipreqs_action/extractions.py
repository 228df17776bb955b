"""What a check extracts from a file's text, kept for the check: a project inside the tree has its files read again.

WHY: a monorepo is checked once as a whole, then once per project inside it (``projects``), and each of those scans
extracted the imports of the same files again (pydantic-ai: 697 files, 1,075 extractions; haystack-core-integrations
about twice its files). Finding a file's imports and their contexts is about two fifths of reading it.

An extraction (``imports.extract``) is a function of the text, of ``full``, and of what ``wanted`` answered for the
names it asked about: ``wanted`` only decides whose context is worked out. So the extraction is kept with those
answers, and given again to a later scan of the same file when its own ``wanted`` answers them all the same (a name
that is the outer tree's own module but not the inner project's sends the file to a fresh extraction). A failed
extraction (not Python, newer syntax) is never kept: it raises again, the same way. What a file's text alone tells
(``text_facts``: its guards' install hints, the ImportError-swallowing helpers it defines, the words after its
``with``s) is kept the same way, without answers to check.

A file is known by its path and its text's length and hash; what a forked reader extracted comes back to the parent
with its results (``scan._read_all``). ``pipeline.run`` forgets everything at the start of each check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from pipreqs_action import imports
from pipreqs_action.imports.raw import RawImport
from pipreqs_action.intent import project_guards
from pipreqs_action.intent.install_hints import hinted_in_source

__all__ = ["Kept", "TextFacts", "extract", "forget", "keep", "recording", "text_facts"]

Key = tuple[str, int, int, bool]  # the file's path, its text's length and hash, full
Extraction = tuple[tuple[tuple[str, bool], ...], tuple[RawImport, ...]]  # (wanted's answers, the imports)


class TextFacts(NamedTuple):
    """What a script's text alone tells the scan (``scan._FileFacts`` has the meaning of each)."""

    hinted: tuple[tuple[str, int], ...]
    swallowers: tuple[tuple[str, int], ...]
    with_words: frozenset[str]


class Kept(NamedTuple):
    extractions: dict[Key, Extraction]
    facts: dict[Key, TextFacts]


_kept = Kept({}, {})
_recorded: Kept | None = None  # in a forked reader: what it extracted, to send back


def extract(path: str, text: str, *, full: bool, wanted: Callable[[str], bool], keep: bool = True) -> list[RawImport]:
    """``imports.extract(text, full=full, wanted=wanted)``, given again when this file was extracted before with
    the same answers from ``wanted``; raises what it raises. ``keep``: whether a later scan may read the file (else
    nothing is kept: a tree without projects inside it would hold every file's imports for nothing)."""
    key = (path, len(text), hash(text), full)
    kept = _kept.extractions.get(key)
    if kept is not None and all(wanted(name) == answer for name, answer in kept[0]):
        return list(kept[1])
    asked: dict[str, bool] = {}

    def answer(name: str) -> bool:
        if name not in asked:
            asked[name] = wanted(name)
        return asked[name]

    found = imports.extract(text, full=full, wanted=answer)
    if not keep:
        return found
    _kept.extractions[key] = (tuple(asked.items()), tuple(found))
    if _recorded is not None:
        _recorded.extractions[key] = _kept.extractions[key]
    return found


def text_facts(path: str, text: str, *, keep: bool = True) -> TextFacts:
    """What a script's text tells (the same for every scan reading it), worked out once per check (``keep``: as
    for ``extract``)."""
    key = (path, len(text), hash(text), False)
    kept = _kept.facts.get(key)
    if kept is None:
        kept = TextFacts(hinted_in_source(text), project_guards.definitions(text), project_guards.with_words(text))
        if not keep:
            return kept
        _kept.facts[key] = kept
        if _recorded is not None:
            _recorded.facts[key] = kept
    return kept


def recording() -> Kept:
    """In a forked reader, before it reads: from now on what it extracts is also put in the store returned."""
    global _recorded
    _recorded = Kept({}, {})
    return _recorded


def keep(extracted: Kept) -> None:
    """What a forked reader extracted, kept here as if extracted here."""
    _kept.extractions.update(extracted.extractions)
    _kept.facts.update(extracted.facts)


def forget() -> None:
    """Start a check with nothing kept (a server runs many checks in one process)."""
    _kept.extractions.clear()
    _kept.facts.clear()
