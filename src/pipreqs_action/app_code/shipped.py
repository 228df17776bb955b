"""Which files a packaged project ships: the packages and modules its build backend puts in the wheel.

A project that builds a distribution (a ``[build-system]`` in ``pyproject.toml``, or a ``setup.py`` / ``setup.cfg``
naming its packages) ships what its build configuration selects, and nothing else: a script at the project's root
that writes ``schema.json``, a folder of release helpers, the graphs its integration tests serve. Those are the
maintainers' files. The build's own configuration says which, read as each backend reads it (never run):

- hatchling: ``[tool.hatch.build.targets.wheel]`` (or ``[tool.hatch.build]``) ``packages``, ``only-include``,
  ``include``; else the package (or module) named after the project, at the root or under ``src/``; plus what
  ``force-include`` adds;
- setuptools: ``[tool.setuptools]`` ``packages`` (a list, or ``find`` with ``where`` / ``include`` / ``exclude``)
  and ``py-modules``; ``setup.cfg`` ``[options]``; a literal ``packages=`` / ``py_modules=`` (or ``find_packages``)
  in ``setup.py``; else automatic discovery when it is unambiguous (a ``src/`` layout, or one top-level package);
- Poetry ``packages = [{include = ..., from = ...}]``, flit ``[tool.flit.module]``, PDM ``[tool.pdm.build]
  includes``, uv ``[tool.uv.build-backend]``; else the package named after the project.

When the configuration cannot be read that way (computed, another backend, nothing found on disk), nothing is
said: ``find`` returns None and no rule depends on it.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from pipreqs_action.manifests.base import Unreadable, load_text, real, table, toml_data
from pipreqs_action.reading.lazy_regex import LazyPattern

__all__ = ["Shipped", "find"]

# setuptools' flat-layout discovery leaves these top-level names out (its FlatLayoutPackageFinder.DEFAULT_EXCLUDE).
_NOT_DISCOVERED = frozenset(
    {
        "ci", "bin", "debian", "doc", "docs", "documentation", "manpages", "news", "newsfragments", "changelog",
        "test", "tests", "unit_test", "unit_tests", "example", "examples", "scripts", "tools", "util", "utils",
        "python", "build", "dist", "venv", "env", "requirements", "tasks", "fabfile", "site_scons", "benchmark",
        "benchmarks", "exercise", "exercises", "htmlcov",
    }
)  # fmt: skip
_NOT_DISCOVERED_MODULES = frozenset(
    {"setup", "conftest", "test", "tests", "example", "examples", "build", "toxfile", "noxfile", "pavement", "dodo",
     "tasks", "fabfile", "conanfile", "manage", "benchmark", "benchmarks", "exercise", "exercises"}
)  # fmt: skip
_GLOB = LazyPattern(r"[*?\[]")


class Shipped(NamedTuple):
    """The folders (packages, relative to the project's root) and single-file modules the wheel holds (``by``:
    what holds them, for a reason; a container image's copied files too, ``image_files``)."""

    folders: tuple[str, ...]
    modules: tuple[str, ...] = ()
    by: str = "the distribution"

    def ships(self, path: str) -> bool:
        """Whether the file at ``path`` (relative to the project's root) is in the distribution."""
        return path in self.modules or any(path.startswith(f"{folder}/") for folder in self.folders)

    @property
    def what(self) -> str:
        """``langgraph_cli/`` or ``src/mypkg/, tool.py``: what the distribution ships, for a reason."""
        return ", ".join([*(f"{folder}/" for folder in self.folders), *self.modules])


def find(root: Path) -> Shipped | None:
    """What the project at ``root`` ships, or None when it builds no distribution or its selection is unknown."""
    pyproject = _toml(root / "pyproject.toml", root)
    backend = str(table(pyproject, "build-system").get("build-backend") or "")
    name = _project_name(pyproject)
    tool = table(pyproject, "tool")
    if backend.startswith("hatchling"):
        found = _hatch(root, tool, name)
    elif backend.startswith("poetry"):
        found = _poetry(root, tool, name)
    elif backend.startswith("flit"):
        found = _named(root, str(table(tool, "flit", "module").get("name") or name))
    elif backend.startswith("pdm"):
        found = _pdm(root, tool, name)
    elif backend.startswith("uv_build"):
        found = _uv_build(root, tool, name)
    elif backend.startswith("setuptools") or (not backend and _has_setup(root)):
        found = _setuptools(root, tool, name)
    else:
        return None
    return _existing(root, found)


def _existing(root: Path, found: Shipped | None) -> Shipped | None:
    """Only what is on disk; nothing at all found there: unknown (the build would fail or ship elsewhere)."""
    if found is None:
        return None
    folders = tuple(sorted({folder for folder in found.folders if folder and (root / folder).is_dir()}))
    modules = tuple(sorted({module for module in found.modules if (root / module).is_file()}))
    return Shipped(folders, modules) if folders or modules else None


def _project_name(pyproject: dict[str, Any]) -> str:
    name = table(pyproject, "project").get("name") or table(pyproject, "tool", "poetry").get("name")
    return name if isinstance(name, str) else ""


def _import_name(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _named(root: Path, name: str) -> Shipped | None:
    """The package or module named after the project, at the root or under ``src/`` (the backends' default)."""
    if not name:
        return None
    module = _import_name(name)
    for base in ("src/", ""):
        if (root / f"{base}{module}" / "__init__.py").is_file():
            return Shipped((f"{base}{module}",))
        if (root / f"{base}{module}.py").is_file():
            return Shipped((), (f"{base}{module}.py",))
    return None


def _paths(values: Any) -> Shipped | None:
    """Paths as a backend's include lists write them (``/pkg``, ``src/pkg``, ``tool.py``); a glob: unknown."""
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        return None
    folders: list[str] = []
    modules: list[str] = []
    for value in values:
        path = value.strip().strip("/")
        if not path or _GLOB.search(path):
            return None
        (modules if path.endswith(".py") else folders).append(path)
    return Shipped(tuple(folders), tuple(modules))


def _hatch(root: Path, tool: dict[str, Any], name: str) -> Shipped | None:
    build = table(tool, "hatch", "build")
    wheel = table(build, "targets", "wheel")
    if wheel.get("bypass-selection") or build.get("bypass-selection"):
        return None  # ships nothing of its own (a meta-package): said by other rules, not this one
    selected = next(
        (
            _paths(config[key])
            for config in (wheel, build)
            for key in ("packages", "only-include", "include")
            if key in config
        ),
        _named(root, name),
    )
    forced = [*table(build, "force-include"), *table(wheel, "force-include")]  # source path -> path in the wheel
    if selected is None or not forced:
        return selected
    extra = _paths(forced)
    if extra is None:
        return None
    return Shipped((*selected.folders, *extra.folders), (*selected.modules, *extra.modules))


def _poetry(root: Path, tool: dict[str, Any], name: str) -> Shipped | None:
    packages = table(tool, "poetry").get("packages")
    if packages is None:
        return _named(root, name)
    if not isinstance(packages, list):
        return None
    paths = []
    for entry in packages:
        include = entry.get("include") if isinstance(entry, dict) else None
        if not isinstance(include, str):
            return None
        base = entry.get("from")
        paths.append(f"{base.strip('/')}/{include}" if isinstance(base, str) and base.strip("/") else include)
    return _paths(paths)


def _pdm(root: Path, tool: dict[str, Any], name: str) -> Shipped | None:
    build = table(tool, "pdm", "build")
    if "includes" in build:
        return _paths(build["includes"])
    return _named(root, name)


def _uv_build(root: Path, tool: dict[str, Any], name: str) -> Shipped | None:
    config = table(tool, "uv", "build-backend")
    module = config.get("module-name") or _import_name(name)
    base = config.get("module-root", "src")
    if not isinstance(module, str) or not isinstance(base, str) or not module:
        return None
    folder = "/".join(part for part in (base.strip("/"), module.replace(".", "/")) if part)
    return Shipped((folder,), (f"{folder}.py",))


# --- setuptools ---------------------------------------------------------------------------------------------------


def _setuptools(root: Path, tool: dict[str, Any], name: str) -> Shipped | None:
    config = table(tool, "setuptools")
    if "packages" in config or "py-modules" in config:
        return _setuptools_options(root, config.get("packages"), config.get("py-modules"), config.get("package-dir"))
    cfg = _setup_cfg(root)
    if cfg is not None:
        return cfg
    literal = _setup_py(root)
    if literal is not None:
        return literal
    if _setup_py_selects(root):
        return None  # setup.py names what it ships in a way not read here (a computed list): unknown
    return _discovered(root)


def _setuptools_options(root: Path, packages: Any, modules: Any, package_dir: Any) -> Shipped | None:
    base = _base(package_dir)
    if base is None:
        return None
    folders: list[str] = []
    if isinstance(packages, list) and all(isinstance(package, str) for package in packages):
        folders = [_join(base, package.replace(".", "/")) for package in packages]
    elif isinstance(packages, dict):  # [tool.setuptools.packages.find]
        find = table(packages, "find")
        folders = _find_packages(root, find.get("where", ["."]), find.get("include", ["*"]), find.get("exclude", []))
    elif packages is not None:
        return None
    if modules is not None and not (isinstance(modules, list) and all(isinstance(m, str) for m in modules)):
        return None
    return Shipped(tuple(folders), tuple(_join(base, f"{module}.py") for module in modules or ()))


def _base(package_dir: Any) -> str | None:
    """The folder ``package_dir = {"" = "src"}`` puts packages in; another mapping: unknown."""
    if package_dir is None:
        return ""
    if isinstance(package_dir, dict) and set(package_dir) <= {""} and isinstance(package_dir.get("", ""), str):
        return str(package_dir.get("", "")).strip("/").removeprefix("./")
    return None


def _join(base: str, path: str) -> str:
    return f"{base}/{path}" if base and base != "." else path


def _find_packages(root: Path, where: Any, include: Any, exclude: Any) -> list[str]:
    """Top-level packages as ``find_packages`` selects them (their sub-packages go with them)."""
    wheres = [where] if isinstance(where, str) else where if isinstance(where, list) else ["."]
    includes = [include] if isinstance(include, str) else include if isinstance(include, list) else ["*"]
    excludes = [exclude] if isinstance(exclude, str) else exclude if isinstance(exclude, list) else []
    found = []
    for base in (str(item).strip("/").removeprefix("./") for item in wheres if isinstance(item, str)):
        folder = root / base if base and base != "." else root
        for child in _children(folder):
            if not (child / "__init__.py").is_file() or child.name.startswith((".", "_")):
                continue
            if _selects(child.name, includes) and not _selects(child.name, excludes):
                found.append(_join(base, child.name))
    return found


def _selects(name: str, patterns: Iterable[Any]) -> bool:
    """A top-level package ``name`` matched by a pattern (``mypkg*``, ``tests.*`` only for sub-packages)."""
    return any(isinstance(pattern, str) and fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def _children(folder: Path) -> list[Path]:
    try:
        return sorted(child for child in folder.iterdir() if child.is_dir() and not child.is_symlink())
    except OSError:
        return []


def _discovered(root: Path) -> Shipped | None:
    """setuptools' automatic discovery, only when unambiguous: a ``src/`` layout, or exactly one top-level package
    (or one module) in a flat layout. Several would stop the build: then nothing is said."""
    if (root / "src").is_dir():
        found = _find_packages(root, ["src"], ["*"], [])
        return Shipped(tuple(found)) if found else None
    packages = [
        child.name
        for child in _children(root)
        if (child / "__init__.py").is_file() and child.name not in _NOT_DISCOVERED and child.name[0] not in "._"
    ]
    modules = [
        path.name
        for path in sorted(root.glob("*.py"))
        if path.stem not in _NOT_DISCOVERED_MODULES and path.stem[0] not in "._" and path.is_file()
    ]
    if len(packages) == 1 and not modules:
        return Shipped((packages[0],))
    if len(modules) == 1 and not packages:
        return Shipped((), (modules[0],))
    return None


def _setup_cfg(root: Path) -> Shipped | None:
    path = root / "setup.cfg"
    if not path.is_file():
        return None
    import configparser  # only a project with a setup.cfg needs it (start-up)

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(load_text(real(path), real(root)))
    except (Unreadable, configparser.Error):
        return None
    if not parser.has_section("options"):
        return None
    options = parser["options"]
    if "packages" not in options and "py_modules" not in options:
        return None
    package_dir = _cfg_mapping(options.get("package_dir", ""))
    base = _base(package_dir)
    if base is None:
        return None
    packages_value = options.get("packages", "").strip()
    folders: list[str] = []
    if packages_value in ("find:", "find_namespace:"):
        find = parser["options.packages.find"] if parser.has_section("options.packages.find") else {}
        where = [base or "."] if "where" not in find else [find["where"].strip()]
        folders = _find_packages(root, where, _cfg_list(find.get("include", "*")), _cfg_list(find.get("exclude", "")))
    elif packages_value:
        folders = [_join(base, name.replace(".", "/")) for name in _cfg_list(packages_value)]
    modules = [_join(base, f"{name}.py") for name in _cfg_list(options.get("py_modules", ""))]
    return Shipped(tuple(folders), tuple(modules))


def _cfg_list(value: str) -> list[str]:
    return [item.strip() for item in re.split(r"[,\n]", value) if item.strip()]


def _cfg_mapping(value: str) -> dict[str, str] | None:
    if not value.strip():
        return None
    found = {}
    for item in _cfg_list(value):
        key, sep, folder = item.partition("=")
        if not sep:
            return {"?": item}  # not a mapping we read: unknown
        found[key.strip()] = folder.strip()
    return found


def _setup_py(root: Path) -> Shipped | None:
    """A literal ``packages=[...]`` / ``find_packages(...)`` and ``py_modules=[...]`` in ``setup.py`` (never run)."""
    path = root / "setup.py"
    if not path.is_file():
        return None
    try:
        tree = ast.parse(load_text(real(path), real(root)))
    except (Unreadable, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called(node) == "setup":
            return _setup_call(root, {keyword.arg: keyword.value for keyword in node.keywords if keyword.arg})
    return None


def _setup_py_selects(root: Path) -> bool:
    """Whether ``setup.py`` passes ``packages=`` or ``py_modules=`` at all (by text: it may not even parse)."""
    path = root / "setup.py"
    try:
        text = load_text(real(path), real(root)) if path.is_file() else ""
    except Unreadable:
        return True
    return bool(re.search(r"\b(?:packages|py_modules)\s*=", text))


def _called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _setup_call(root: Path, keywords: dict[str, ast.expr]) -> Shipped | None:
    if "packages" not in keywords and "py_modules" not in keywords:
        return None
    try:
        package_dir = ast.literal_eval(keywords["package_dir"]) if "package_dir" in keywords else None
        modules = ast.literal_eval(keywords["py_modules"]) if "py_modules" in keywords else []
    except (ValueError, SyntaxError, TypeError):
        return None
    base = _base(package_dir)
    if base is None or not isinstance(modules, list) or not all(isinstance(m, str) for m in modules):
        return None
    folders: list[str] = []
    packages = keywords.get("packages")
    if isinstance(packages, ast.Call) and _called(packages) in ("find_packages", "find_namespace_packages"):
        options = _literal_keywords(packages)
        if options is None:
            return None
        where = options.get("where", base or ".")
        folders = _find_packages(root, where, options.get("include", ["*"]), options.get("exclude", []))
    elif packages is not None:
        try:
            listed = ast.literal_eval(packages)
        except (ValueError, SyntaxError, TypeError):
            return None
        if not isinstance(listed, (list, tuple)) or not all(isinstance(name, str) for name in listed):
            return None
        folders = [_join(base, name.replace(".", "/")) for name in listed]
    return Shipped(tuple(folders), tuple(_join(base, f"{module}.py") for module in modules))


def _literal_keywords(call: ast.Call) -> dict[str, Any] | None:
    """``find_packages(where="src", exclude=["tests*"])``: its literal arguments (the first positional is
    ``where``); anything computed: None."""
    found: dict[str, Any] = {}
    try:
        if call.args:
            found["where"] = ast.literal_eval(call.args[0])
        for keyword in call.keywords:
            if keyword.arg:
                found[keyword.arg] = ast.literal_eval(keyword.value)
    except (ValueError, SyntaxError, TypeError):
        return None
    return found


def _has_setup(root: Path) -> bool:
    return (root / "setup.py").is_file() or (root / "setup.cfg").is_file()


def _toml(path: Path, root: Path) -> dict[str, Any]:
    return toml_data(path, real(root)) or {}
