"""A local wheelhouse of what this project needs, built from the distributions installed in the test venv.

pre-commit installs a `language: python` hook by pip-installing the hook's repository into a fresh virtualenv.
A test must not reach the internet, so pip is pointed at this folder alone (``PIP_NO_INDEX=1``,
``PIP_FIND_LINKS=<folder>``): every dependency of pipreqs-action (and the build backend pip needs to build it
from source) is re-packed here as a wheel from its installed files, using the ``RECORD`` and ``WHEEL`` files pip
wrote when it installed them. The venv was itself installed from an index, so the re-packed files are exactly
what that index served, and the wheels are only used on this machine, by this interpreter.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

BUILD_BACKEND = ("setuptools", "wheel")  # pyproject.toml [build-system] requires
_DROPPED = ("INSTALLER", "REQUESTED", "direct_url.json", "RECORD")


def closure(root: str, extra_roots: tuple[str, ...] = BUILD_BACKEND) -> list[metadata.Distribution]:
    """``root``'s run-time dependencies, recursively (markers evaluated here, extras followed), plus extras."""
    environment = default_environment()
    seen: dict[str, metadata.Distribution] = {}
    todo: list[tuple[str, str]] = [(root, ""), *((name, "") for name in extra_roots)]
    first = canonicalize_name(root)
    while todo:
        name, extra = todo.pop()
        dist = metadata.distribution(name)
        key = canonicalize_name(dist.metadata["Name"])
        if key in seen and not extra:
            continue
        seen[key] = dist
        for line in dist.requires or []:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({**environment, "extra": extra}):
                todo += [(req.name, "")] + [(req.name, wanted) for wanted in req.extras]
    return [dist for key, dist in seen.items() if key != first]


def repack(dist: metadata.Distribution, dest: Path) -> Path:
    """One installed distribution as a wheel file in ``dest`` (console scripts are made again by pip)."""
    info = _dist_info(dist)
    tag = _tag(info / "WHEEL")
    name = canonicalize_name(dist.metadata["Name"]).replace("-", "_")
    target = dest / f"{name}-{dist.version}-{tag}.whl"
    site = Path(str(dist.locate_file("")))
    rows: list[tuple[str, str, str]] = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as wheel:
        for file in dist.files or []:
            rel = file.as_posix()
            if (
                rel.startswith("..")
                or "__pycache__" in rel
                or (rel.startswith(info.name + "/") and file.name in _DROPPED)
            ):
                continue
            data = (site / rel).read_bytes()
            wheel.writestr(rel, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            rows.append((rel, f"sha256={digest}", str(len(data))))
        record = io.StringIO()
        csv.writer(record, lineterminator="\n").writerows([*rows, (f"{info.name}/RECORD", "", "")])
        wheel.writestr(f"{info.name}/RECORD", record.getvalue())
    return target


def _tag(wheel_file: Path) -> str:
    """All ``Tag:`` lines as one compressed tag set (``py2.py3-none-any``), as the original file name had it."""
    tags = [
        line.split(":", 1)[1].strip() for line in wheel_file.read_text("utf-8").splitlines() if line.startswith("Tag:")
    ]
    parts = [tag.split("-") for tag in tags]
    return "-".join(".".join(dict.fromkeys(part[i] for part in parts)) for i in range(3))


def _dist_info(dist: metadata.Distribution) -> Path:
    path = Path(str(dist._path))  # type: ignore[attr-defined]  # the .dist-info folder; no public accessor
    if path.suffix != ".dist-info":
        raise ValueError(f"{dist.metadata['Name']}: not installed from a wheel ({path.name}), cannot re-pack")
    return path


def build_wheelhouse(dest: Path, root: str = "pipreqs-action") -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    return [repack(dist, dest) for dist in closure(root)]
