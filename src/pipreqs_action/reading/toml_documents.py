"""TOML parsing for the readers of TOML files (configuration, pyproject.toml, Pipfile, lock files).

Each reader imports it inside the function that reads a file, never at its module's top: ``tomllib`` (and the
``datetime`` it imports) costs about 4 ms of start-up, which a project declaring only in requirements.txt never
needs. Python 3.10 has no ``tomllib``; ``tomli`` is the same parser.

One document is parsed once per process: several readers consult the same ``pyproject.toml`` (its manifest
reader, the project's name, the build's configuration, the development environment; again for every project
nested in a monorepo), 12 parses on flask, 40 on a workspace of five projects, at 1-4 ms each in the pure-Python
parser. Each caller still gets a document of its own (a ``marshal`` copy, about 40 times cheaper than parsing),
so no reader can change what another one reads.
"""

from __future__ import annotations

import marshal
import sys
import threading
from typing import Any

if sys.version_info >= (3, 11):
    from tomllib import TOMLDecodeError
    from tomllib import loads as _parse
else:  # pragma: no cover - Python 3.10
    from tomli import TOMLDecodeError
    from tomli import loads as _parse

__all__ = ["TOMLDecodeError", "loads"]

MAX_REMEMBERED_CHARS = 256 * 1024  # manifests; a lock file (megabytes) is read once by ``lock_dependencies``
MAX_REMEMBERED = 64  # documents; the oldest is forgotten first

_remembered: dict[str, bytes | None] = {}  # text -> its document as marshal bytes; None: marshal cannot copy it
_lock = threading.Lock()


def loads(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)``, copied from memory when this text was parsed before. A decoding error is raised
    every time; a document holding values marshal cannot copy (dates, times) is parsed every time."""
    with _lock:
        remembered = _remembered.get(text, b"")
    if remembered:
        document: dict[str, Any] = marshal.loads(remembered)  # noqa: S302 - bytes this process wrote itself
        return document
    document = _parse(text)
    if remembered is None or len(text) > MAX_REMEMBERED_CHARS:
        return document
    try:
        copy: bytes | None = marshal.dumps(document)
    except ValueError:
        copy = None
    with _lock:
        if len(_remembered) >= MAX_REMEMBERED:
            del _remembered[next(iter(_remembered))]
        _remembered[text] = copy
    return document


def forget() -> None:
    """Drop every remembered document (tests)."""
    with _lock:
        _remembered.clear()
