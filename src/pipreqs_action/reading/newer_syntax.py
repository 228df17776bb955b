"""Is a file that this Python cannot parse written for a newer Python, rather than for Python 2 or broken?

A project may target a newer Python than the one running the check (the Docker image runs 3.11): PEP 695
``type X = ...`` and ``def f[T]()`` (3.12), type parameter defaults (3.13), ``except A, B:`` without brackets and
t-strings (3.14), f-strings nesting their own quotes (3.12). Such a file still has readable import statements, so
its imports are read and the report says the rest was not parsed. Python 2 files never match these forms, so they
stay skipped as before.
"""

from __future__ import annotations

import re

# On the line the parser stopped at (or the one before: some errors are reported at the next token).
_NEWER_FORMS = (
    re.compile(r"^\s*type\s+\w+\s*(?:\[[^\]]*\])?\s*="),  # PEP 695 type alias
    re.compile(r"^\s*(?:async\s+)?(?:def|class)\s+\w+\s*\["),  # PEP 695 type parameters (and 3.13 defaults)
    re.compile(r"^\s*except\*?\s*(?:[A-Z][\w.]*|[\w.]+\.[A-Z]\w*)(?:\s*,\s*(?:[A-Z][\w.]*|[\w.]+\.[A-Z]\w*))+\s*:"),
    re.compile(r"(?<![\w.])(?:[tT][rR]?|[rR][tT])(?:'|\")"),  # PEP 750 t-strings
)
# Words in this Python's error message that only newer syntax produces.
_NEWER_MESSAGES = ("f-string", "multiple exception types must be parenthesized", "type parameter")
# A cheap look for the forms above that the fast scan cannot see (it parses only import statements).
# One pattern per form, each starting with a literal: the regex engine then skips ahead with a fast search.
_CANDIDATES = (
    re.compile(r"def[ \t]+\w+[ \t]*\["),
    re.compile(r"class[ \t]+\w+[ \t]*\["),
    re.compile(r"type[ \t]+\w+[ \t]*(?:\[[^\]\n]*\])?[ \t]*=[^=]"),
)


def is_newer(text: str, error: SyntaxError) -> bool:
    """Whether ``error`` (from parsing ``text``) stops at syntax a newer Python accepts."""
    if any(word in (error.msg or "") for word in _NEWER_MESSAGES):
        return True
    lines = text.split("\n")
    number = error.lineno or 0
    nearby = [lines[index] for index in (number - 1, number - 2) if 0 <= index < len(lines)]
    return any(form.search(line) for form in _NEWER_FORMS for line in nearby)


def may_hold_newer_syntax(text: str) -> bool:
    """A quick search before a full parse is paid for: only files with these forms need one."""
    for pattern in _CANDIDATES:
        for match in pattern.finditer(text):
            start = text.rfind("\n", 0, match.start()) + 1
            if text[start : match.start()].strip() in ("", "async"):
                return True
    return False
