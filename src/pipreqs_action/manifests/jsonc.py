"""JSON with comments (JSONC), as dev containers and editors write it: ``//`` and ``/* */`` comments and trailing
commas are allowed. No JSONC library is a dependency, and the format differs from JSON by these two things only,
so they are taken out here (outside strings, keeping every newline so that line numbers still hold) and the
standard ``json`` decoder reads the rest.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["loads"]

# A string (kept), a line comment, a block comment, or a comma that only white space and comments separate from
# the closing bracket (dropped): scanned left to right, so a "//" inside a string is never taken for a comment. A
# comment runs to its end and no further (a line comment to the newline, a block comment to its first "*/"), so
# that the look-ahead cannot end one early at a bracket it holds ("// }," is all comment).
_COMMENT = r"//[^\n]*(?:\n|\Z)|/\*(?:[^*]|\*(?!/))*\*/"
_TOKEN = re.compile(rf'"(?:[^"\\\n]|\\.)*"|{_COMMENT}|,(?=(?:\s|{_COMMENT})*[}}\]])')


def loads(text: str) -> Any:
    """The value of a JSONC document; ``ValueError`` (``json.JSONDecodeError``) when it is not one."""
    return json.loads(_TOKEN.sub(_kept, text))


def _kept(match: re.Match[str]) -> str:
    token = match.group()
    if token.startswith('"'):
        return token
    return "\n" * token.count("\n")  # a comment or trailing comma goes; the lines it spanned stay
