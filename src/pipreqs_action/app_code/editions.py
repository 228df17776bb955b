"""Editions of one notebook: the same chapter written for several libraries, of which the manifest serves one.

A book or course that moved from one library to another often keeps the old versions beside the new one::

    Chapter1/Ch1_Intro_PyMC_current.ipynb   # import pymc          (requirements.txt: pymc)
    Chapter1/Ch1_Intro_PyMC3.ipynb          # import pymc3, theano
    Chapter1/Ch1_Intro_TFP.ipynb            # import tensorflow_probability

The reader opens one edition and installs what it needs; the manifest declares what the current edition imports.
So an import found only in another edition, and in none of the editions the declarations are for, is optional,
with the reason shown to the user.

No library or suffix is known in advance; what makes two notebooks editions of one document, all of it required:

- one folder, and names that share a leading stem of whole words and differ only in what follows it, both
  ending in something with a letter (``_TFP``, ``_PyMC3``; ``lesson_1`` / ``lesson_2`` are parts, not editions);
- the same prose: most of the word sequences of the smaller one's markdown cells are in the other's
  (a chapter's text survives a port to another library; two different lessons share little of theirs);
- the one the declarations serve (the *anchor*) imports a declared package that the other does not, and the other
  imports no declared package that the anchor lacks: it swaps the declared library for its own. An exercise and
  its solution, where one only adds imports to the other, are no such pair.

Only the other edition's undeclared imports that the anchor does not make become optional: whatever the anchor
imports too stays needed. Imports of notebooks that are no such edition are never touched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from pipreqs_action.model import Declared, ImportRef, ScanResult
from pipreqs_action.reading.files import read_bytes
from pipreqs_action.reading.lazy_regex import LazyPattern
from pipreqs_action.reading.notebooks import notebook_prose

if TYPE_CHECKING:
    from pipreqs_action.mapping import ImportNames

__all__ = ["apply", "edition_pairs", "same_prose", "split_name"]

SHINGLE = 5  # words in a row: long enough to be the author's sentence, short enough to survive an edit
MIN_SHINGLES = 50  # a notebook with less prose than this says too little to tell
MIN_SHARED = 0.5  # the share of the smaller notebook's word sequences found in the other
MAX_NOTEBOOKS_PER_FOLDER = 400  # pairs grow with the square: a folder of thousands is no book's chapter
_WORD = LazyPattern(r"[^\W_]+")  # what separates words in a file name: _, -, space, dot
_PROSE_WORD = LazyPattern(r"\w+")


class Edition(NamedTuple):
    """One notebook as an edition: its file, and what its required imports need (a declared distribution's key
    for a declared import, so ``mpl_toolkits`` and ``matplotlib`` are one; the import root for an undeclared one)."""

    path: str
    needs: Mapping[str, bool]  # declared distribution key or undeclared import root -> declared?

    @property
    def declared(self) -> set[str]:
        return {need for need, known in self.needs.items() if known}

    @property
    def undeclared(self) -> set[str]:
        return {need for need, known in self.needs.items() if not known}


def split_name(first: str, second: str) -> tuple[str, str, str] | None:
    """(stem, suffix of ``first``, suffix of ``second``) when two file names (without extension) share a leading
    stem of whole words and each goes on with words holding a letter; None otherwise."""
    words_a, words_b = list(_WORD.finditer(first)), list(_WORD.finditer(second))
    shared = 0
    while shared < min(len(words_a), len(words_b)) and words_a[shared][0] == words_b[shared][0]:
        shared += 1
    if not shared or shared == len(words_a) or shared == len(words_b):
        return None
    stem = first[: words_a[shared - 1].end()]
    suffix_a, suffix_b = first[words_a[shared].start() :], second[words_b[shared].start() :]
    if not any(c.isalpha() for c in stem) or not all(any(c.isalpha() for c in s) for s in (suffix_a, suffix_b)):
        return None
    return stem, suffix_a, suffix_b


def edition_pairs(editions: Sequence[Edition]) -> Iterable[tuple[Edition, Edition]]:
    """(anchor, other) for notebooks of one folder whose names and imports make them editions of one document,
    the anchor using a declared package the other swaps for undeclared ones (the prose is checked later).

    Only names with the same first word can share a stem, so a folder is split by it first: a folder of a few
    hundred notebooks costs pairs only within each chapter's set."""
    by_first_word: dict[str, list[Edition]] = defaultdict(list)
    for edition in editions:
        first = _WORD.search(_name(edition.path))
        if first:
            by_first_word[first[0]].append(edition)
    for group in by_first_word.values():
        for anchor in group:
            for other in group:
                if anchor is not other and _swaps(anchor, other) and split_name(_name(anchor.path), _name(other.path)):
                    yield anchor, other


def _swaps(anchor: Edition, other: Edition) -> bool:
    """The anchor imports a declared package the other does not; the other imports undeclared ones instead and
    no declared package the anchor lacks."""
    own_anchor = anchor.needs.keys() - other.needs.keys()
    own_other = other.needs.keys() - anchor.needs.keys()
    return bool(own_anchor & anchor.declared and own_other & other.undeclared and not own_other & other.declared)


def same_prose(first: str, second: str) -> bool:
    """Do two notebooks' markdown texts tell the same thing (most word sequences of the smaller in the other)?"""
    return _shared_enough(_shingles(first), _shingles(second))


def _shared_enough(first: set[tuple[str, ...]], second: set[tuple[str, ...]]) -> bool:
    smaller = min(len(first), len(second))
    return smaller >= MIN_SHINGLES and len(first & second) >= MIN_SHARED * smaller


def apply(scan: ScanResult, root: Path, declared: Declared, names: ImportNames) -> ScanResult:
    """The scan with imports found only in other editions of a notebook than the declared one made optional."""
    by_path: dict[str, list[ImportRef]] = defaultdict(list)
    for ref in scan.imports:
        if ref.location.path.endswith(".ipynb") and not (ref.secondary or ref.optional or ref.type_only):
            by_path[ref.location.path].append(ref)
    folders: dict[str, list[str]] = defaultdict(list)
    for path in by_path:
        folders[path.rpartition("/")[0]].append(path)
    if all(len(paths) < 2 for paths in folders.values()):
        return scan
    requirements = [*declared.requirements, *declared.inherited]
    requirements += [req for _, group in declared.optional_groups for req in group]
    providers = [(req.key, names.provides(req.name)) for req in requirements if not req.local]

    def need(ref: ImportRef) -> tuple[str, bool]:
        """The declared distribution providing the import (its key), else the import's root."""
        paths = names.import_paths(ref)
        key = next((key for key, provided in providers for path in paths if names.satisfies(provided, path)), "")
        return (key, True) if key else (ref.root, False)

    prose = _ProseReader(root)
    reasons: dict[tuple[str, str], str] = {}
    for paths in folders.values():
        if not 2 <= len(paths) <= MAX_NOTEBOOKS_PER_FOLDER:
            continue
        editions = [Edition(path, _needs(by_path[path], need)) for path in sorted(paths)]
        reasons.update(_optional_roots(editions, prose.same))
    if not reasons:
        return scan
    imports = tuple(
        ref._replace(optional=True, reason=reasons[key])
        if (key := (ref.location.path, ref.root)) in reasons and not (ref.optional or ref.secondary)
        else ref
        for ref in scan.imports
    )
    return scan._replace(imports=imports)


def _optional_roots(editions: Sequence[Edition], same: Callable[[str, str], bool]) -> dict[tuple[str, str], str]:
    """(notebook, import root) -> reason, for the undeclared imports that no anchor of their notebook makes."""
    anchors: dict[str, list[Edition]] = defaultdict(list)
    by_path = {edition.path: edition for edition in editions}
    for anchor, other in edition_pairs(editions):
        if same(anchor.path, other.path):
            anchors[other.path].append(anchor)
    found: dict[tuple[str, str], str] = {}
    for path, sources in anchors.items():
        other = by_path[path]
        needed = {need for anchor in sources for need in anchor.needs}  # what any anchor imports stays needed
        found.update(dict.fromkeys(((path, root) for root in other.undeclared - needed), _reason(other, sources)))
    return found


def _reason(other: Edition, anchors: Sequence[Edition]) -> str:
    """``in the TFP edition of ch1/Ch1_Intro only: the PyMC edition, which the declarations serve, uses pymc
    instead``, naming the anchors with the fewest undeclared imports (those the declarations serve best)."""
    fewest = min(len(anchor.undeclared) for anchor in anchors)
    best = [anchor for anchor in anchors if len(anchor.undeclared) == fewest]
    splits = [split_name(_name(other.path), _name(anchor.path)) for anchor in best]
    stem, suffix = (splits[0][0], splits[0][1]) if splits[0] else ("", other.path)
    served = sorted(split[2] for split in splits if split)
    swapped = ", ".join(sorted({need for anchor in best for need in anchor.declared} - set(other.needs)))
    if len(served) == 1:
        whose = f"the {served[0]} edition, which the declarations serve, uses"
    else:
        whose = f"the {', '.join(served[:-1])} and {served[-1]} editions, which the declarations serve, use"
    folder = other.path.rpartition("/")[0]
    return f"in the {suffix} edition of {f'{folder}/{stem}' if folder else stem} only: {whose} {swapped} instead"


def _needs(refs: Iterable[ImportRef], need: Callable[[ImportRef], tuple[str, bool]]) -> dict[str, bool]:
    """What one notebook's required imports need: a declared distribution (True) or an undeclared import root."""
    return dict(need(ref) for ref in refs)


def _name(path: str) -> str:
    return path.rpartition("/")[2].rpartition(".")[0]


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _PROSE_WORD.findall(text.lower())
    return set(zip(*(words[start:] for start in range(SHINGLE)), strict=False))  # SHINGLE words in a row, each


class _ProseReader:
    """Notebooks' prose as word sequences, read from the tree only for pairs whose names and imports already fit
    (each notebook read once)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._shingles: dict[str, set[tuple[str, ...]]] = {}

    def same(self, first: str, second: str) -> bool:
        return _shared_enough(self._of(first), self._of(second))

    def _of(self, path: str) -> set[tuple[str, ...]]:
        if path not in self._shingles:
            data = read_bytes(self.root, path)
            self._shingles[path] = _shingles(notebook_prose(data)) if data is not None else set()
        return self._shingles[path]
