"""Imported by the scans' forkserver only (``isolation._PRELOAD``): one small offline check, run there once.

WHY: every check reads the same tables (import names, pipreqs' mapping, the standard library's names, download
ranks, the dependency snapshot) and imports its manifest readers on first use, 20-50 ms. In a server process
that happens once; a child forked per request would pay it on every request. Loaded in the forkserver, the tables
reach each child already read (copy-on-write), and ``gc.freeze`` keeps the children's garbage collector from
walking them (which would copy every page they live in). The index file is opened per lookup, so no file handle
is shared between children. Nothing here may fail the forkserver: a failure only costs the children that time.
"""

from __future__ import annotations

import gc
import logging
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)


_TREE = {
    "app.py": "import os\nimport requests\nfrom yaml import *\n\n\ndef main() -> None:\n    import flask\n",
    "requirements.txt": "requests>=2\nflask[async]==3.0; python_version >= '3.8'\n",
    "pyproject.toml": '[project]\nname = "app"\nversion = "1"\ndependencies = ["PyYAML"]\n',
}


def _warm_up() -> None:
    try:
        from pipreqs_action import pipeline
        from pipreqs_action.settings import engine_settings

        with tempfile.TemporaryDirectory(prefix="pipreqs-action-warm-up-") as tmp:
            for name, text in _TREE.items():  # a file of each kind a check reads, each with what its reader parses
                Path(tmp, name).write_text(text, "utf-8")
            pipeline.run(engine_settings(path=tmp, offline=True))
        # Tables a check reads only when it needs them (a choice among candidates, declared dependencies' own).
        from pipreqs_action.metadata import dependency_metadata, name_tables

        name_tables.popularity()
        dependency_metadata.snapshot()
    except Exception:  # never the forkserver's end
        log.debug("warming up the scans' forkserver failed", exc_info=True)
    gc.collect()
    gc.freeze()


_warm_up()
