"""uv's tables: the legacy ``[tool.uv] dev-dependencies`` list (uv now writes PEP 735 groups: development only),
and ``[tool.uv.workspace]``: the member folders (``members`` globs less ``exclude`` ones) that uv installs into one
environment with the root's declarations, so the members are first-party to each other (``projects``)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from pipreqs_action.manifests.base import Lines, Manifest, table
from pipreqs_action.manifests.context import Context

MAX_MEMBERS = 500  # a workspace glob is the author's, but the tree is untrusted: never walk without end


def read(data: dict[str, Any], lines: Lines, manifest: Manifest, context: Context) -> None:
    uv = table(data, "tool", "uv")
    if "dev-dependencies" in uv:
        start = lines.key("dev-dependencies", lines.header("tool.uv"))
        manifest.add("[tool.uv] dev-dependencies", lines.pep508_list(uv["dev-dependencies"], start, manifest), dev=True)
    workspace = table(uv, "workspace")
    if workspace:
        folder = context.root / PurePosixPath(manifest.file).parent
        members = _folders(folder, workspace.get("members")) - _folders(folder, workspace.get("exclude"))
        manifest.workspace = sorted(context.label(path) for path in members if (path / "pyproject.toml").is_file())


def _folders(folder: Path, patterns: Any) -> set[Path]:
    """Folders inside the tree that the glob patterns name (``packages/*``, ``backend``)."""
    found: set[Path] = set()
    fence = folder.resolve()
    for pattern in patterns if isinstance(patterns, list) else []:
        if not isinstance(pattern, str) or not pattern.strip() or PurePosixPath(pattern).is_absolute():
            continue
        for path in _glob(folder, pattern.strip().rstrip("/")):
            if len(found) >= MAX_MEMBERS:
                return found
            if path.is_dir() and not path.is_symlink() and path.resolve().is_relative_to(fence):
                found.add(path)
    return found


def _glob(folder: Path, pattern: str) -> list[Path]:
    try:
        return sorted(folder.glob(pattern))[:MAX_MEMBERS] if pattern not in (".", "") else []
    except (ValueError, OSError):  # a pattern pathlib refuses ("**" in a name part, "..")
        return []
