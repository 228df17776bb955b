"""What a notebook says about its own imports: packages it installs on demand, and scripts it only writes.

- **Installed by the notebook.** ``try: import torchinfo`` / ``except: !pip install torchinfo`` / ``import
  torchinfo`` is the notebook form of ``ensure_package("x"); import x``, and a first cell ``!pip install -q
  openai==0.27.8`` says the same for the whole notebook: a notebook runs its cells in order in one kernel, so what
  one cell installs, every later cell has. Such an import is reported optional, naming the command's line; the
  same import in another file is not covered. The command names a distribution and the code an import, so they
  are matched by name (``torchinfo``; ``google-cloud-storage`` for ``google.cloud.storage``): ``pip install
  scikit-learn`` covers no ``import sklearn``, which stays reported.
- **Scripts the notebook only writes.** A ``%%writefile job.py`` cell that nothing in the notebook imports or runs
  (``import job``, ``!python job.py``, ``%run job.py``, directly or through another written file) is a script for
  somewhere else: a cloud training job, a container, a hosted demo. Its imports never run in the notebook's kernel;
  they are reported as secondary code, naming the script.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from packaging.utils import canonicalize_name

from pipreqs_action.model import ImportRef, SourceText

__all__ = ["apply"]

INSTALLED_BY_NOTEBOOK = "installed on demand by the notebook"


def apply(refs: list[ImportRef], source: SourceText) -> list[ImportRef]:
    """The file's imports, with what its ``pip install`` commands and written scripts say (notebooks only)."""
    if not refs or not (source.installs or source.scripts):
        return refs
    first_install: dict[str, int] = {}
    for line, name in sorted(source.installs):
        first_install.setdefault(name, line)
    return [_in_script(_installed(ref, first_install), source.scripts) for ref in refs]


def _installed(ref: ImportRef, first_install: dict[str, int]) -> ImportRef:
    """Optional when a command at or above the import installs it (a cell that is one JSON string maps every line
    to the string's line, so "at" counts too)."""
    if ref.optional or ref.type_only:
        return ref
    lines = [line for name, line in first_install.items() if line <= ref.location.line and name in _names(ref)]
    if not lines:
        return ref
    return dataclasses.replace(ref, optional=True, reason=f"{INSTALLED_BY_NOTEBOOK} (pip install at line {min(lines)})")


def _names(ref: ImportRef) -> set[str]:
    """Distribution names the import could be spelt as: each dotted prefix of what it imports."""
    paths = [ref.module, *(f"{ref.module}.{name}" for name in ref.names)]
    parts = [path.split(".") for path in paths]
    return {canonicalize_name(".".join(dotted[:end])) for dotted in parts for end in range(1, len(dotted) + 1)}


def _in_script(ref: ImportRef, scripts: Iterable[tuple[int, int, str]]) -> ImportRef:
    for first, last, path in scripts:
        if first <= ref.location.line <= last:
            reason = f"{path} (a script the notebook writes, never imports or runs)"
            return dataclasses.replace(ref, secondary=ref.secondary or reason)
    return ref
