"""Which ``--exclude`` patterns left nothing out: usually a typo, or a path written from the wrong folder.

Runs only when there are patterns: the tree is listed once more without them (``files.discover``, the walk the
scan itself uses, so ``.gitignore`` and pruned folders count the same way) and each pattern is tried on the
files found.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pipreqs_action.reading import files
from pipreqs_action.reading.ignore_rules import compile_patterns

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec


def unmatched_excludes(root: Path, patterns: Sequence[str]) -> list[str]:
    """The patterns (``!`` re-includes aside) that match no source file the scan would otherwise read."""
    wanted = [pattern for pattern in dict.fromkeys(patterns) if pattern.strip() and not pattern.startswith("!")]
    if not wanted:
        return []
    paths, _ = files.discover(root, ())
    return [pattern for pattern in wanted if not _matches_any(compile_patterns([pattern]), paths)]


def _matches_any(spec: GitIgnoreSpec, paths: Sequence[str]) -> bool:
    return any(spec.match_file(path) for path in paths)
