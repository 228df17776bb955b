"""Recognise other projects' code copied into the tree: it is local to the project, but its imports are not the app's.

Vendored *folders* by name (``vendor/``, ``_vendor/``...) are ``layout``'s rule. Two more signs are found here:

- a folder the app puts on ``sys.path`` that holds whole third-party packages: one of its packages carries its
  own licence file, or an installed ``*.dist-info`` folder sits in it (``pip install --target lib``). Its
  packages stay importable (``import requests`` finds ``lib/requests``), but what they import is theirs;
- a file whose opening comment says where it was copied from, next to a licence notice
  (``# Taken from https://github.com/x/y ... Licensed under the MIT License``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipreqs_action.reading.lazy_regex import LazyPattern

__all__ = ["copied_from", "vendored_roots"]

_HEADER_CHARS = 3000
_LICENCE_NAMES = ("LICENSE", "LICENCE", "COPYING")
_LICENCE_WORDS = ("license", "licence", "copyright", "permission is hereby granted")
_ORIGIN_WORDS = ("copied", "vendored", "taken", "borrowed", "imported from", "extracted")
_ORIGIN = LazyPattern(
    r"\b(?:copied|vendored|taken|borrowed|imported|extracted)\s+(?:verbatim\s+)?from\s+"
    r"(?:the\s+)?(?P<origin>https?://[^\s'\")>]+|[\w.-]+(?:/[\w.-]+)?)",
    re.IGNORECASE,
)


def vendored_roots(import_roots: Iterable[str], markers: Iterable[str]) -> frozenset[str]:
    """The ``sys.path`` folders (never the root itself) holding another project's package or installed metadata."""
    roots = {root for root in import_roots if root}
    found: set[str] = set()
    for marker in markers:
        if marker.endswith(".dist-info/"):
            folder = marker[:-1].rpartition("/")[0]
        else:
            package, _, name = marker.rpartition("/")
            folder = package.rpartition("/")[0] if package and name.upper().startswith(_LICENCE_NAMES) else ""
        if folder in roots:
            found.add(folder)
    return frozenset(found)


def copied_from(text: str) -> str:
    """Where the file's opening comment says it was copied from, when a licence notice stands beside it; else ""."""
    head = text[:_HEADER_CHARS]
    lower = head.lower()  # plain substring tests first: a regex over every file's header costs 10% of a scan
    if not any(word in lower for word in _ORIGIN_WORDS) or not any(word in lower for word in _LICENCE_WORDS):
        return ""
    origin = _ORIGIN.search(_leading_comments(head))
    return origin["origin"].rstrip(".,;:") if origin else ""


def _leading_comments(head: str) -> str:
    """The comment lines and the docstring before the first statement: where a copied file says so."""
    lines = []
    in_docstring = ""
    for line in head.splitlines():
        stripped = line.strip()
        if in_docstring:
            lines.append(stripped)
            if in_docstring in stripped:
                in_docstring = ""
            continue
        if not stripped or stripped.startswith("#"):
            lines.append(stripped)
        elif stripped.startswith(('"""', "'''", 'r"""', "r'''")):
            quote = stripped.lstrip("r")[:3]
            lines.append(stripped)
            if stripped.count(quote) < 2 or stripped.lstrip("r") == quote:
                in_docstring = quote
        else:
            break
    return "\n".join(lines)
