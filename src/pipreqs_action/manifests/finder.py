"""Find every manifest of a project, read each with its own reader, and combine what they declare.

All manifests present are read together (a project with requirements.txt *and* pyproject.toml declares in
both), each is listed with what it contributed, and one seen but unusable is named with the reason. One of them
takes the fix: the one the project's author edits to add a dependency (``target``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from pipreqs_action.errors import RequirementsError
from pipreqs_action.manifests import install_commands, installed_files
from pipreqs_action.manifests.base import (
    Manifest,
    Unreadable,
    decode,
    is_dev_name,
    lexical,
    present,
)
from pipreqs_action.manifests.context import Context
from pipreqs_action.manifests.project import identify
from pipreqs_action.manifests.setup_script import is_manifest_file
from pipreqs_action.model import Declared, DeclaredBy, FixTarget, Requirement
from pipreqs_action.reading.lazy_regex import LazyPattern

Reader = Callable[[Path, Context], Manifest]


# Each kind of manifest has its reader imported only when a project has such a file: most have one or two kinds,
# and the readers of all of them (pyproject's tables, Poetry's, conda's name table) are start-up a check never uses.
def _pyproject(path: Path, context: Context) -> Manifest:
    from pipreqs_action.manifests import pyproject

    return pyproject.read(path, context)


def _setup_cfg(path: Path, context: Context) -> Manifest:
    from pipreqs_action.manifests import setup_cfg

    return setup_cfg.read(path, context)


def _setup_py(path: Path, context: Context) -> Manifest:
    from pipreqs_action.manifests import setup_py

    return setup_py.read(path, context)


def _pipfile(path: Path, context: Context) -> Manifest:
    from pipreqs_action.manifests import pipfile

    return pipfile.read(path, context)


def _conda(path: Path, context: Context) -> Manifest:
    from pipreqs_action.manifests import conda

    return conda.read(path, context)


_REQUIREMENTS_FILE = re.compile(r"^(?:[\w.-]*[-_.])?requirements(?:[-_.][\w.-]*)?\.(?:txt|in)$", re.IGNORECASE)
_OTHER_MANIFESTS: tuple[tuple[str, Reader], ...] = (
    ("pyproject.toml", _pyproject),
    ("setup.cfg", _setup_cfg),
    ("setup.py", _setup_py),
    ("Pipfile", _pipfile),
    ("environment.yml", _conda),
    ("environment.yaml", _conda),
)
_BY_NAME: dict[str, Reader] = dict(_OTHER_MANIFESTS)
_BY_CONTENT: tuple[tuple[LazyPattern, Reader], ...] = (
    (LazyPattern(r"^\s*\[\s*(?:project|tool\.poetry|dependency-groups|build-system)\b", re.M), _pyproject),
    (LazyPattern(r"^\s*\[\s*(?:packages|dev-packages)\s*\]", re.M), _pipfile),
    (LazyPattern(r"^\[options\]", re.M), _setup_cfg),
    (LazyPattern(r"^dependencies\s*:", re.M), _conda),
    (LazyPattern(r"^\s*(?:from\s+setuptools\s+import|import\s+setuptools)\b", re.M), _setup_py),
)


def is_requirements_file(name: str) -> bool:
    """``requirements.txt``, ``requirements-extra.txt``, ``dev-requirements.in``...: a requirements file by name."""
    return bool(_REQUIREMENTS_FILE.match(name))


def read_declared(root: Path, requirement_files: Sequence[Path] = ()) -> Declared:
    """Every manifest of ``root`` combined; with ``requirement_files``, exactly those (parser by name/content)."""
    context = Context(lexical(root.absolute(), "."))
    manifests = _read_given(context, requirement_files) if requirement_files else _discover(context)
    return _combine(context, manifests, explicit=bool(requirement_files))


def _read_given(context: Context, files: Sequence[Path]) -> list[Manifest]:
    readers = [(lexical(context.root, given), _reader_for(lexical(context.root, given))) for given in files]
    plain = [path for path, reader in readers if reader is None]
    any_runtime = any(not is_dev_name(path.name) for path in plain)
    # runtime files first: a file that a development file includes but that is also given is runtime
    readers.sort(key=lambda item: item[1] is None and any_runtime and is_dev_name(item[0].name))
    manifests: list[Manifest] = []
    for path, reader in readers:
        label = context.label(path)
        if reader is None:
            try:
                context.read_requirements(path, dev=any_runtime and is_dev_name(path.name))
            except Unreadable as exc:
                raise RequirementsError(f"requirements: {label}: {exc}") from None
            context.top_level.append(label)
            continue
        manifest = reader(path, context)
        broken = next((item.unusable for item in manifest.contributions if item.unusable), "")
        if broken and not manifest.declares:
            raise RequirementsError(f"requirements: {label}: {broken}")
        manifests.append(manifest)
    return manifests


def _reader_for(path: Path) -> Reader | None:
    """The parser for a file given by the user: by its name, else by what it holds; None for requirements."""
    if path.name in _BY_NAME or path.suffix in (".yml", ".yaml", ".toml", ".cfg"):
        suffixes = {".yml": _conda, ".yaml": _conda, ".toml": _pyproject, ".cfg": _setup_cfg}
        return _BY_NAME.get(path.name) or suffixes[path.suffix]
    if _REQUIREMENTS_FILE.match(path.name):
        return None
    try:
        head = decode(path.read_bytes()[:65536]) if path.is_file() else ""
    except (OSError, Unreadable):
        return None  # the requirements reader says what is wrong with it
    return next((reader for pattern, reader in _BY_CONTENT if pattern.search(head)), None)


def _discover(context: Context) -> list[Manifest]:
    root = context.root
    for label in _requirement_files(root):
        if label.startswith("requirements/") and context.requirements.has_read(root / label):
            continue  # included by a file read before it: its lines are counted where the include is
        context.top_level.append(label)
        try:
            context.read_requirements(root / label, dev=is_dev_name(label))
        except Unreadable as exc:
            context.requirements.manifest.contributions.append(DeclaredBy(label, unusable=str(exc)))
    found = [
        reader(root / name, context)
        for name, reader in _OTHER_MANIFESTS
        if present(root / name) and is_manifest_file(root / name, context.fence)  # a module named setup.py is none
    ]
    environment = install_commands.environment_files(root)
    if environment:
        found.append(install_commands.read(root, environment, context.fence))
    installed, warnings = installed_files.find(root, context.fence)
    context.warnings += warnings
    return found + installed_files.read(context, installed, found)


def _requirement_files(root: Path) -> list[str]:
    """``requirements*.txt`` / ``*.in`` (and ``dev-requirements.txt``...) at the root, and every ``.txt`` / ``.in``
    in ``requirements/`` and its sub-folders (``requirements/full/requirements_cpu.txt``: one file per platform):
    runtime files first, ``requirements.txt`` and ``requirements.in`` leading, then development ones."""
    found = [name for name in _listdir(root) if _REQUIREMENTS_FILE.match(name)]
    found += [label for label in _folder_files(root, "requirements", depth=3) if "constraint" not in label.lower()]
    found = [label for label in found if present(root / label)]
    return sorted(
        found, key=lambda label: (is_dev_name(label), label not in ("requirements.txt", "requirements.in"), label)
    )


def _folder_files(root: Path, folder: str, *, depth: int) -> list[str]:
    """Requirements files under ``root/folder``, at most ``depth`` folders deep, in a stable order."""
    found = []
    for name in _listdir(root / folder):
        label = f"{folder}/{name}"
        if name.endswith((".txt", ".in")):
            found.append(label)
        elif depth > 1 and (root / label).is_dir() and not (root / label).is_symlink():
            found += _folder_files(root, label, depth=depth - 1)
    return found


def _listdir(folder: Path) -> list[str]:
    try:
        return sorted(entry.name for entry in folder.iterdir()) if folder.is_dir() else []
    except OSError:
        return []


def _combine(context: Context, others: list[Manifest], *, explicit: bool) -> Declared:
    manifests = [context.requirements.manifest, *others]
    # a file that could not be read at all, and nothing else declared: the check would be against nothing
    broken = [item for m in manifests for item in m.contributions if item.unusable and not item.table]
    if broken and not any(m.declares for m in manifests):
        raise RequirementsError(f"requirements: {broken[0].file}: {broken[0].unusable}")
    extras: dict[str, list[Requirement]] = {}
    for manifest in manifests:
        for name, found in manifest.extras.items():
            extras.setdefault(name, []).extend(found)
    sources = [source for m in manifests if m.declares for source in m.sources]
    return Declared(
        requirements=tuple(req for m in manifests for req in m.requirements),
        sources=tuple(dict.fromkeys(sources)),
        optional_groups=tuple((name, tuple(extras[name])) for name in sorted(extras)),
        problems=tuple(problem for m in manifests for problem in m.problems),
        constraints=tuple(req for m in manifests for req in m.constraints),
        dev=tuple(req for m in manifests for req in m.dev),
        declared_by=tuple(item for m in manifests for item in m.contributions),
        commented=tuple(req for m in manifests for req in m.commented),
        target=_target(manifests, context.top_level, explicit=explicit),
        first_party=_first_party(context, others),
        workspace=tuple(folder for m in others for folder in m.workspace),
        installed=tuple(req for m in others for req in m.installed),
        warnings=tuple(context.warnings),
    )


def _first_party(context: Context, manifests: list[Manifest]) -> tuple[str, ...]:
    """Import names of the project itself (when its metadata names it) and of local path requirements."""
    found = set(context.requirements.first_party)
    if any(m.project_name and (context.root / m.file).parent == context.root for m in manifests):
        found.update(identify(context.root, context.fence).import_names)
    return tuple(sorted(found))


def _target(manifests: list[Manifest], top_level: list[str], *, explicit: bool) -> FixTarget | None:
    """The manifest the author edits to add a runtime dependency (see README, "How it decides")."""
    requirements, others = manifests[0], manifests[1:]
    runtime_files = [
        item.file for item in requirements.contributions if not (item.dev or item.unusable) and item.file in top_level
    ]
    by_table = {(m.kind, item.table): (m, item) for m in others for item in m.contributions if not item.unusable}
    if explicit and others and not runtime_files:
        return _other_target(others[0], by_table)
    for table in ("[project]", "[tool.poetry.dependencies]"):
        found = by_table.get(("pyproject", table))
        if found and found[1].count:
            return _pyproject_target(*found)
    hook = _hatch_hook(by_table)
    if hook is not None:
        return hook
    if runtime_files:
        preferred = next((f for f in runtime_files if f.endswith("requirements.in")), runtime_files[0])
        return FixTarget("requirements", preferred)
    for manifest in others:
        target = _other_target(manifest, by_table)
        if target is not None:
            return target
    return None


def _hatch_hook(by_table: dict[tuple[str, str], tuple[Manifest, DeclaredBy]]) -> FixTarget | None:
    """A Hatch metadata hook's ``dependencies`` list that declares something: the list to extend. No installer
    command: ``uv add`` cannot write to dependencies that ``[project]`` marks dynamic."""
    for (kind, table), (manifest, item) in sorted(by_table.items()):
        hatch = table.startswith("[tool.hatch.metadata.hooks.") and table.endswith("] dependencies")
        if kind == "pyproject" and hatch and item.count:
            return FixTarget("pyproject", manifest.file, table, library=True)
    return None


def _pyproject_target(manifest: Manifest, item: DeclaredBy) -> FixTarget:
    poetry = item.table.startswith("[tool.poetry")
    table = "[tool.poetry.dependencies]" if poetry else "[project] dependencies"
    return FixTarget("pyproject", manifest.file, table, "poetry" if poetry else manifest.tool, library=True)


_TABLES = {
    "setup.cfg": ("install_requires", "[options] install_requires", True),
    "setup.py": ("install_requires", "install_requires", True),
    "Pipfile": ("[packages]", "[packages]", False),
    "conda": ("dependencies", "dependencies: - pip:", False),
}


def _other_target(manifest: Manifest, by_table: dict[tuple[str, str], tuple[Manifest, DeclaredBy]]) -> FixTarget | None:
    if manifest.kind == "pyproject":
        found = by_table.get(("pyproject", "[project]")) or by_table.get(("pyproject", "[tool.poetry.dependencies]"))
        return _pyproject_target(*found) if found else None
    if manifest.kind not in _TABLES or not manifest.declares:
        return None
    _, table, library = _TABLES[manifest.kind]
    tool = "pipenv" if manifest.kind == "Pipfile" else ""
    return FixTarget(manifest.kind, manifest.file, table, tool, library=library)
