"""TOML parsing for the readers of TOML files (configuration, pyproject.toml, Pipfile, lock files).

Each reader imports it inside the function that reads a file, never at its module's top: ``tomllib`` (and the
``datetime`` it imports) costs about 4 ms of start-up, which a project declaring only in requirements.txt never
needs. Python 3.10 has no ``tomllib``; ``tomli`` is the same parser.
"""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    from tomllib import TOMLDecodeError, loads
else:  # pragma: no cover - Python 3.10
    from tomli import TOMLDecodeError, loads

__all__ = ["TOMLDecodeError", "loads"]
