"""uv's legacy ``[tool.uv] dev-dependencies`` list (uv now writes PEP 735 groups): development only."""

from __future__ import annotations

from typing import Any

from pipreqs_action.manifests.base import Lines, Manifest, table
from pipreqs_action.manifests.context import Context


def read(data: dict[str, Any], lines: Lines, manifest: Manifest, context: Context) -> None:
    uv = table(data, "tool", "uv")
    if "dev-dependencies" in uv:
        start = lines.key("dev-dependencies", lines.header("tool.uv"))
        manifest.add("[tool.uv] dev-dependencies", lines.pep508_list(uv["dev-dependencies"], start, manifest), dev=True)
