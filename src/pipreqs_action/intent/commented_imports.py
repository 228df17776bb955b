"""Imports the author commented out: a plugin whose registration is a comment is a plugin nothing loads.

An application that registers its features in one file keeps the ones it switched off as commented-out code::

    # try:
    #     from app.plugins.document_optimize import optimize
    #     registry.update({"Optimize a document": optimize})
    # except:
    #     logger.error("Load plugin failed")

Such a line names the module, but it is the opposite of a use: the author took the import out. So when ``unreached``
asks whether any text names a module (whatever is named may be run by name), commented-out import statements are
left out, and a module whose only import is commented out says so in its reason (the file and line of the comment).
A comment in words (``# run with python -m app.tools.replot``) still names the module: only a comment that is an
import statement is code taken out.
"""

from __future__ import annotations

import re

__all__ = ["commented_imports", "without_commented_imports"]

_COMMENTED_IMPORT = re.compile(
    r"^[ \t]*#+[ \t]*(?:from[ \t]+(?P<from>[A-Za-z_][\w.]*)[ \t]+import[ \t]+(?P<names>[\w, \t()]+?)[ \t]*(?:#.*)?$"
    r"|import[ \t]+(?P<module>[A-Za-z_][\w.]*)(?:[ \t]+as[ \t]+\w+)?[ \t]*(?:#.*)?$)",
    re.MULTILINE,
)


def commented_imports(text: str) -> tuple[tuple[str, int], ...]:
    """The modules commented-out import statements name, with their 1-based lines: ``# from a.b import c`` names
    ``a.b`` and ``a.b.c`` (``c`` may be a module)."""
    if "#" not in text or "import" not in text:
        return ()
    found: list[tuple[str, int]] = []
    for match in _COMMENTED_IMPORT.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if match["module"]:
            found.append((match["module"], line))
            continue
        found.append((match["from"], line))
        names = match["names"].replace("(", " ").replace(")", " ").split(",")
        found.extend((f"{match['from']}.{name.split()[0]}", line) for name in names if name.split())
    return tuple(found)


def without_commented_imports(text: str) -> str:
    """The text with every commented-out import statement blanked (its line kept, empty)."""
    if "#" not in text or "import" not in text:
        return text
    return _COMMENTED_IMPORT.sub("", text)
