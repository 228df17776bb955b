"""The ``declared`` stage: what a project declares, read from every manifest it has, without running anything.

One module per manifest kind (``requirements_txt``, ``pyproject`` with ``pep621``, ``pep735``, ``poetry``,
``pdm``, ``uv``, ``setuptools_dynamic``; ``setup_cfg``, ``setup_py`` with ``setup_py_additions``, ``pipfile``,
``conda``); ``finder`` finds them and combines what they declare into one ``Declared``.
"""

from __future__ import annotations

from pathlib import Path

from pipreqs_action.errors import RequirementsError
from pipreqs_action.manifests.base import Unreadable, decode
from pipreqs_action.manifests.finder import is_requirements_file, read_declared

__all__ = ["is_requirements_file", "read_declared", "read_text"]


def read_text(path: Path) -> str:
    """A requirements file's text, decoded as ``read_declared`` decodes it (for rewriting it with additions)."""
    try:
        return decode(path.read_bytes())
    except (OSError, Unreadable) as exc:
        raise RequirementsError(f"requirements: {path.name}: {exc}") from None
