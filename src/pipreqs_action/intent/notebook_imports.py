"""What a notebook says about its own imports: packages it installs on demand, and scripts it only writes.

- **Installed by the notebook.** ``try: import torchinfo`` / ``except: !pip install torchinfo`` / ``import
  torchinfo`` is the notebook form of ``ensure_package("x"); import x``, and a first cell ``!pip install -q
  openai==0.27.8`` says the same for the whole notebook: a notebook runs its cells in order in one kernel, so what
  one cell installs, every later cell has. Such an import is reported optional, naming the command's line; the
  same import in another file is not covered. The command names a distribution and the code an import, so they
  are matched by name (``torchinfo``; ``google-cloud-storage`` for ``google.cloud.storage``): ``pip install
  scikit-learn`` covers no ``import sklearn``, which stays reported. A command installing from a repository's URL
  (``!pip install git+https://github.com/vista-simulator/vista-6s191.git``) covers an import named like the
  repository: the whole name (``CLIP`` for ``import clip``, ``segment-anything`` for ``segment_anything``) or its
  first word (``vista-6s191`` for ``import vista``).
- **Scripts the notebook only writes.** A ``%%writefile job.py`` cell that nothing in the notebook imports or runs
  (``import job``, ``!python job.py``, ``%run job.py``, directly or through another written file) is a script for
  somewhere else: a cloud training job, a container, a hosted demo. Its imports never run in the notebook's kernel;
  they are reported as secondary code, naming the script.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipreqs_action.metadata.namespaces import NAMESPACE_ROOTS
from pipreqs_action.model import ImportRef, SourceText
from pipreqs_action.pep508 import canonical_name

__all__ = ["apply"]

INSTALLED_BY_NOTEBOOK = "installed on demand by the notebook"


def apply(refs: list[ImportRef], source: SourceText) -> list[ImportRef]:
    """The file's imports, with what its ``pip install`` commands and written scripts say (notebooks only)."""
    if not refs or not (source.installs or source.scripts or source.repositories):
        return refs
    first_install = _first_lines(source.installs)
    from_repository = _first_lines(source.repositories)
    return [_in_script(_installed(ref, first_install, from_repository), source.scripts) for ref in refs]


def _first_lines(installs: Iterable[tuple[int, str]]) -> dict[str, int]:
    first: dict[str, int] = {}
    for line, name in sorted(installs):
        first.setdefault(name, line)
    return first


def _installed(ref: ImportRef, first_install: dict[str, int], from_repository: dict[str, int]) -> ImportRef:
    """Optional when a command at or above the import installs it (a cell that is one JSON string maps every line
    to the string's line, so "at" counts too)."""
    if ref.optional or ref.type_only:
        return ref
    names = spellings(ref)
    lines = [line for name, line in first_install.items() if line <= ref.location.line and name in names]
    if lines:
        reason = f"{INSTALLED_BY_NOTEBOOK} (pip install at line {min(lines)})"
        return ref._replace(optional=True, reason=reason)
    repositories = [(line, repo) for repo, line in from_repository.items() if line <= ref.location.line]
    found = min((item for item in repositories if _named_like(item[1], ref, names)), default=None)
    if found is None:
        return ref
    reason = f"{INSTALLED_BY_NOTEBOOK} (pip install of the {found[1]} repository at line {found[0]})"
    return ref._replace(optional=True, reason=reason)


def _named_like(repository: str, ref: ImportRef, names: set[str]) -> bool:
    """``clip`` for the repository ``clip``, ``vista`` for ``vista-6s191``: the whole name, or its first word when
    that is the import's top-level name (never a namespace many projects share: ``google-research`` is no
    ``google.cloud``)."""
    if repository in names:
        return True
    first = repository.partition("-")[0]
    return first == canonical_name(ref.root) and ref.root not in NAMESPACE_ROOTS


def spellings(ref: ImportRef) -> set[str]:
    """Distribution names the import could be spelt as: each dotted prefix of what it imports."""
    paths = [ref.module, *(f"{ref.module}.{name}" for name in ref.names)]
    parts = [path.split(".") for path in paths]
    return {canonical_name(".".join(dotted[:end])) for dotted in parts for end in range(1, len(dotted) + 1)}


def _in_script(ref: ImportRef, scripts: Iterable[tuple[int, int, str]]) -> ImportRef:
    for first, last, path in scripts:
        if first <= ref.location.line <= last:
            reason = f"{path} (a script the notebook writes, never imports or runs)"
            return ref._replace(secondary=ref.secondary or reason)
    return ref
