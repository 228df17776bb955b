"""Extract the import statements of one Python source text, with their line and context.

Why not simply ``ast.parse`` every file? On a large tree (sympy: 1,543 files, 26 MB) a full parse costs about
10 s, while the import statements are a tiny part of the text. So the default path finds the ``import``
keywords with C-speed string searches, drops those inside string literals and comments, and parses only the
statements found (one small ``ast.parse`` per file, each statement at its original line). The context flags
(optional: inside ``try/except ImportError``; type-only: under ``if TYPE_CHECKING:``) come from walking up the
indentation of the real source. Whenever this fast path meets something it cannot read with certainty (an
unparseable statement, a merge-conflict marker, a Python 2 construct, a tangle of quotes) it falls back to a full
``ast.parse`` of that one file, which is also what ``full=True`` does everywhere. A file that full parse rejects
raises ``NotPython`` so the scanner can list it as skipped (``PartlyRead`` when it is merely newer syntax than
the running Python: its imports are read all the same).

Modules: ``raw`` (what is returned), ``fast`` (finding the statements) and ``blocks`` (their context, by
indentation) for the fast path, ``exact`` for the full parse, ``lexical`` (strings, comments, indentation).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable

from pipreqs_action.imports import exact
from pipreqs_action.imports.fast import FastScan
from pipreqs_action.imports.raw import NotPython, PartlyRead, RawImport
from pipreqs_action.reading import newer_syntax

__all__ = ["NotPython", "PartlyRead", "RawImport", "extract"]

_CONFLICT_MARKERS = ("\n<<<<<<< ", "\n>>>>>>> ")


def extract(text: str, *, full: bool = False, wanted: Callable[[str], bool] | None = None) -> list[RawImport]:
    """All absolute imports in ``text``; ``full`` forces an exact ``ast`` parse of the whole text.

    ``wanted`` says which top-level names the caller keeps (not the standard library, not the project's own):
    the fast scan works out the context (guards, branches, function) only for those, since reading the blocks
    around an import is its main cost and most imports of a big project are of itself.
    """
    if full or _has_conflict_markers(text):
        return _from_full_parse(text)
    scan = FastScan(text, wanted)
    found = None if scan.looks_like_python2() else scan.run()
    if found is None:
        return _from_full_parse(text)
    if newer_syntax.may_hold_newer_syntax(text):
        _check_newer_syntax(text, found)
    return found


def _check_newer_syntax(text: str, found: list[RawImport]) -> None:
    """The fast scan read the imports of a file with, say, ``type X = ...``: say that the rest did not parse."""
    try:
        ast.parse(text)
    except SyntaxError as error:
        if newer_syntax.is_newer(text, error):
            raise PartlyRead(_partly_read_note(error), found) from None
    except (ValueError, RecursionError, MemoryError):
        return


def _has_conflict_markers(text: str) -> bool:
    """Conflict markers make the file unusable; a real parse confirms it and says where."""
    return any(marker in text for marker in _CONFLICT_MARKERS) or text.startswith(("<<<<<<< ", ">>>>>>> "))


def _from_full_parse(text: str) -> list[RawImport]:
    try:
        return exact.read(text)
    except SyntaxError as error:
        raise _not_python(text, error) from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise NotPython(f"not parseable as Python ({type(error).__name__})") from None


def _not_python(text: str, error: SyntaxError) -> NotPython:
    """Python 2 and broken files are skipped; newer syntax keeps its imports, read by the fast scan."""
    message = f"not valid Python 3 (line {error.lineno}: {error.msg})"
    if _has_conflict_markers(text) or not newer_syntax.is_newer(text, error):
        return NotPython(message)
    found = FastScan(text).run()
    return NotPython(message) if found is None else PartlyRead(_partly_read_note(error), found)


def _partly_read_note(error: SyntaxError) -> str:
    running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    return f"imports read, the rest not parsed: syntax newer than Python {running} (line {error.lineno}: {error.msg})"
