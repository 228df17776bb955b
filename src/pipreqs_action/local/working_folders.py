"""Where a notebook's kernel works from a given line on: the folders ``%cd dir`` and ``os.chdir("dir")`` move it to.

A Jupyter kernel starts in the notebook's folder and keeps the working folder itself (``''``) on ``sys.path``, so
after ``os.chdir("movieclassifier")`` (or ``%cd movieclassifier``) ``from vectorizer import vect`` finds
``movieclassifier/vectorizer.py``. A script is different: ``python x.py`` puts the script's own folder on
``sys.path``, and a later ``os.chdir`` moves no import, so only notebooks are read for it.

Only a literal path is followed, relative to the folder the kernel is in (``..`` allowed). An absolute one (Colab's
``/content/yolov7``), ``~``, a computed one or one above the checked root leaves the folder unknown (``None``) until
the next move; a relative move from an unknown folder stays unknown.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence

from pipreqs_action.local.local_modules import LocalModules
from pipreqs_action.model import ImportRef, LocalImport, SourceText

__all__ = ["Move", "moves", "resolve", "target"]

Move = tuple[int, str | None]  # (file line of the move, root-relative folder the kernel works in from there on)

_CD_MAGIC = re.compile(r"^\s*%cd(?:\s+-q)?(?:\s+(?P<q>['\"]?)(?P<path>[^'\"#]*?)(?P=q))?\s*(?:#.*)?$")
_CHDIR = re.compile(r"^\s*os\.chdir\(\s*(?:[rR]?(?P<q>['\"])(?P<path>[^'\"]*)(?P=q)\s*\))?")
_UNKNOWN = re.compile(r"[$~{}%\\]")


def target(line: str, code: str) -> str | None:
    """The folder one notebook line moves the kernel to, as written ("" for a move nobody can follow), or None when
    the line moves nothing. ``line`` is the cell's line as written, ``code`` the same line with IPython syntax
    blanked: ``%cd`` is a magic (blanked), ``os.chdir`` ordinary code (kept)."""
    if not code.strip():
        magic = _CD_MAGIC.match(line)
        return (magic["path"] or "") if magic else None
    call = _CHDIR.match(code)
    return (call["path"] or "") if call else None


def moves(notebook: str, targets: Iterable[tuple[int, str]]) -> tuple[Move, ...]:
    """Each move of the notebook at ``notebook`` (its root-relative path) with the root-relative folder it leads to,
    from the targets as written in file-line order (``target``)."""
    current: str | None = posixpath.dirname(notebook)
    found: list[Move] = []
    for line, written in targets:
        current = _resolved(current, written)
        found.append((line, current))
    return tuple(found)


def _resolved(current: str | None, written: str) -> str | None:
    path = written.strip()
    if current is None or not path or path.startswith("/") or _UNKNOWN.search(path):
        return None
    folder = posixpath.normpath(posixpath.join(current, path))
    if folder == ".":
        return ""
    return None if folder == ".." or folder.startswith("../") else folder


def resolve(
    refs: Sequence[ImportRef], source: SourceText, local: LocalModules
) -> tuple[list[ImportRef], list[LocalImport]]:
    """The notebook's imports that still look third-party, and those the folder its kernel works in at that line
    holds (each with the file found and the move that led there)."""
    if not source.moves:
        return list(refs), []
    kept: list[ImportRef] = []
    found: list[LocalImport] = []
    for ref in refs:
        move = _last_move(source.moves, ref.location.line)
        module = local.module_in(move[1], ref.root) if move and move[1] is not None else None
        if move and module:
            reason = f"{module}: the notebook works in {move[1] or '.'}/ from line {move[0]} (%cd or os.chdir)"
            found.append(LocalImport(ref.module, ref.location, reason))
        else:
            kept.append(ref)
    return kept, found


def _last_move(found: Iterable[Move], line: int) -> Move | None:
    """The last move before ``line`` (a file line), or None while the kernel is still in the notebook's folder."""
    last = None
    for move in found:
        if move[0] >= line:
            break
        last = move
    return last
