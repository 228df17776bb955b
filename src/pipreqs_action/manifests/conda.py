"""conda's ``environment.yml``: ``dependencies`` entries are conda packages, ``pip:`` entries are requirement
lines (``-r`` includes too). A conda package named differently from the PyPI project it builds is mapped to the
PyPI name (the table below), and packages that are not Python distributions (the interpreter, compilers, CUDA)
are left out. PyYAML is imported only when such a file exists."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pipreqs_action.manifests.base import Lines, Manifest, Unreadable, load_text, message, real
from pipreqs_action.manifests.context import Context
from pipreqs_action.model import Requirement
from pipreqs_action.pep508 import canonical_name

# conda package -> the PyPI project it packages, where the names differ. Provenance: the conda-forge feedstock
# recipes (``meta.yaml`` source URL on files.pythonhosted.org / pypi.org) and Anaconda's defaults channel
# (``pytorch``, ``py-opencv``), checked by hand; names that agree after PEP 503 normalisation are not listed.
CONDA_TO_PYPI = {
    "pytorch": "torch",
    "pytorch-cpu": "torch",
    "pytorch-gpu": "torch",
    "py-opencv": "opencv-python",
    "opencv": "opencv-python",
    "py-xgboost": "xgboost",
    "py-xgboost-cpu": "xgboost",
    "py-xgboost-gpu": "xgboost",
    "pytables": "tables",
    "matplotlib-base": "matplotlib",
    "msgpack-python": "msgpack",
    "pyqt": "PyQt5",
    "python-graphviz": "graphviz",
    "dask-core": "dask",
    "faiss": "faiss-cpu",
    "tensorflow-base": "tensorflow",
    "python-kaleido": "kaleido",
}
# conda packages that are no Python distribution at all: never declared imports, never "unused".
_NOT_PYTHON_WORDS = """python pip cudatoolkit cuda-toolkit cuda-version cudnn nccl pytorch-cuda cpuonly mkl
mkl-service blas libblas openblas nodejs git ffmpeg cmake make gcc gxx compilers c-compiler cxx-compiler r-base
graphviz libopencv"""
NOT_PYTHON = frozenset(_NOT_PYTHON_WORDS.split())
_SPEC = re.compile(r"^\s*(?:[\w.-]+::)?(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)")


def read(path: Path, context: Context) -> Manifest:
    import yaml  # only projects with a conda environment pay for it

    label = context.label(path)
    manifest = Manifest(label, "conda")
    try:
        text = load_text(real(path), context.fence)
        data = yaml.safe_load(text)
    except (Unreadable, yaml.YAMLError, RecursionError) as exc:
        manifest.unusable("", message(exc))
        return manifest
    manifest.sources.append(label)
    entries = data.get("dependencies") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        manifest.unusable("dependencies", "no dependencies list")
        return manifest
    lines = Lines(text, label)
    manifest.add("dependencies", _conda(entries, lines))
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("pip"), list):
            _pip(entry["pip"], path, lines, manifest, context)
    return manifest


def _conda(entries: list[Any], lines: Lines) -> list[Requirement]:
    found = []
    start = lines.find(r"^\s*dependencies\s*:")
    for entry in entries:
        match = _SPEC.match(entry) if isinstance(entry, str) else None
        if match is None or match["name"].lower() in NOT_PYTHON:
            continue
        name = CONDA_TO_PYPI.get(match["name"].lower(), match["name"])
        start = lines.find(rf"^\s*-\s*{re.escape(entry.strip())}\s*(?:#.*)?$", start)
        location = lines.location(start)
        found.append(Requirement(name, canonical_name(name), location, name))  # conda's specs are not pip's
    return found


def _pip(entries: list[Any], path: Path, lines: Lines, manifest: Manifest, context: Context) -> None:
    """``pip:`` entries are requirements-file lines, includes relative to the environment file."""
    reader = context.requirements
    before, problems = len(reader.manifest.requirements), len(reader.manifest.problems)
    start = lines.find(r"^\s*-\s*pip\s*:")
    for entry in (str(item) for item in entries):
        start = lines.find(rf"^\s*-\s*{re.escape(entry.strip())}\s*(?:#.*)?$", start)
        reader.line(path, lines.location(start), entry, fence=context.fence)
    added = reader.manifest.requirements[before:]
    del reader.manifest.requirements[before:]
    manifest.add("pip", added)
    manifest.problems.extend(reader.manifest.problems[problems:])
    del reader.manifest.problems[problems:]
