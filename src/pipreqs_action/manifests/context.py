"""What the readers of one run share: the checked tree, and one requirements-file walker for every manifest.

One walker, because several manifests can point at the same requirements file (``-r requirements.txt`` in a dev
file, ``[tool.setuptools.dynamic]``, ``file:`` in setup.cfg, a conda ``pip:`` include): it is read once.
"""

from __future__ import annotations

from pathlib import Path

from pipreqs_action.manifests.base import Manifest, lexical, real
from pipreqs_action.manifests.requirements_txt import RequirementsReader


class Context:
    def __init__(self, root: Path) -> None:
        self.root = root  # the checked tree, lexically normalised
        self.requirements = RequirementsReader(root, Manifest("requirements", "requirements"))
        self.top_level: list[str] = []  # requirements files found or given, not included ones
        self.warnings: list[str] = []  # declarations seen but not read, said to the user

    @property
    def fence(self) -> Path:
        return real(self.root)

    def label(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)

    def read_requirements(self, path: Path, *, dev: bool = False, installed_by: str = "") -> str:
        """Read a requirements file into the shared walker (once); its label, as the report names it."""
        path = lexical(self.root, path)
        label = self.label(path)
        inside = path.is_relative_to(self.root)
        fence = self.fence if inside else None
        self.requirements.read(path, label, constraint=False, fence=fence, dev=dev, installed_by=installed_by)
        return label
