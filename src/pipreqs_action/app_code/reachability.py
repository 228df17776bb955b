"""Optional integrations of a library: modules that nothing the package runs ever imports.

A library often ships adapters for frameworks it does not depend on (``mypkg/contrib/flask.py``,
``mypkg/adapters/twisted.py``): only users of that framework import them, so the framework is theirs to install,
and declaring it nowhere (or only in an extra) is right. Folder names alone cannot tell such a module from the
package's own code, so we follow the imports: starting from the package's entry points (each top-level
package's ``__init__.py`` and ``__main__.py``, its console scripts, and the app's files outside packages), every
module of the project that is imported, directly or through others, is reached; a module of the package that is
never reached is an optional integration, and its imports are secondary code.

Only libraries are judged (a ``pyproject.toml``, ``setup.py`` or ``setup.cfg`` at the root), and only packages
whose ``__init__.py`` imports at least one of their own modules: a package that imports nothing up front
(submodules imported by users one by one) says nothing about which modules are optional.

The import graph comes from the scan itself: each file's imports of the project's packages (absolute, and
relative ones found by a cheap text search and parsed statement by statement), gathered while the file is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from pipreqs_action.local.named_modules import named_modules
from pipreqs_action.reading.line_search import line_matches

if TYPE_CHECKING:
    from pipreqs_action.intent.guarded_modules import LocalImports

__all__ = [
    "Packages",
    "console_scripts",
    "entry_files",
    "is_library",
    "optional_integrations",
    "package_imports",
    "reach",
    "reached_only_through_guards",
    "run_time_edges",
    "typing_only",
]

PACKAGING_MANIFESTS = frozenset({"pyproject.toml", "setup.py", "setup.cfg"})
_RELATIVE = re.compile(  # one line, holding "import": searched with line_matches
    r"^[ \t]*from[ \t]+(?P<dots>\.+)[ \t]*(?P<module>[\w.]*)[ \t]+import[ \t]+(?P<names>[^\n#;]*)", re.MULTILINE
)
_COMMAND_FILE = re.compile(r"/management/commands/[^/]+\.py$")  # Django finds them by folder and runs them by name
_ENTRY_POINT = re.compile(r"=\s*['\"]?(?P<module>[A-Za-z_][\w.]*)\s*:\s*[A-Za-z_]\w*")
# Modules loaded by name at run time (a bot's cogs, plugins): every module of such a package is reachable.
_DYNAMIC_WORDS = ("iter_modules", "walk_packages", "load_extension", "walk_extensions", "import_module", "__import__")
_WALKS_OWN_PATH = re.compile(r"\b(?:iter_modules|walk_packages)\(\s*__path__")
_LOADER_WORDS = (
    "iter_modules",
    "walk_packages",
    "walk_modules",
    "walk_extensions",
    "load_extensions",
    "find_extensions",
)
_LOADER_OF = re.compile(rf"\b(?:{'|'.join(_LOADER_WORDS)})\(\s*(?P<name>[A-Za-z_][\w.]*)")
_NAMING_WORDS = ("load_extension", "import_module", "__import__")
_NAMED_MODULE = re.compile(
    rf"""\b(?:{"|".join(_NAMING_WORDS)})\(\s*f?(?P<q>["'])(?P<module>[A-Za-z_][\w.]*?)\.?(?:\{{|(?P=q))"""
)


def is_library(markers: Iterable[str]) -> bool:
    """A packaging manifest at the root: the project is built and installed as a distribution."""
    return any(path in PACKAGING_MANIFESTS for path in markers)


class Packages:
    """The top-level packages of a tree (at the root or under ``src/``) and the module name of each file."""

    def __init__(self, paths: Iterable[str]) -> None:
        paths = list(paths)
        folders = {path[: -len("/__init__.py")] for path in paths if path.endswith("/__init__.py")}
        self.roots: dict[str, str] = {}  # top-level package name -> its folder
        for folder in folders:
            parent, _, name = folder.rpartition("/")
            if parent in ("", "src") and not (parent and parent in folders):
                self.roots.setdefault(name, folder)
        self.names = frozenset(self.roots)
        # every module or package name inside them: a `from pkg import name` names a module only if it is one
        self.submodules = frozenset(
            part.rpartition(".")[0] if part.endswith(".py") else part
            for path in paths
            if path.split("/", 1)[0] in self.roots or path.startswith("src/")
            for part in path.split("/")[1:]
        )
        self._paths: dict[str, list[str]] = {}
        self.modules = tuple(sorted(filter(None, (self.module_of(path) for path in paths))))

    def under(self, package: str) -> tuple[str, ...]:
        """Every module inside ``package`` (``bot.exts`` -> ``bot.exts.fun.game``, ...)."""
        prefix = f"{package}."
        return tuple(module for module in self.modules if module.startswith(prefix))

    def module_of(self, path: str) -> str | None:
        """``mypkg.sub.mod`` for ``[src/]mypkg/sub/mod.py`` (``mypkg.sub`` for its ``__init__.py``); None outside."""
        parts = path.split("/")
        if parts[0] == "src" and len(parts) > 1 and self.roots.get(parts[1]) == f"src/{parts[1]}":
            parts = parts[1:]
        elif self.roots.get(parts[0]) != parts[0]:
            return None
        if not parts[-1].endswith(".py"):
            return None
        parts[-1] = parts[-1][:-3]
        if parts[-1] == "__init__":
            parts.pop()
        return ".".join(parts)

    def path_of(self, module: str) -> list[str]:
        """The files that importing ``module`` runs: its own file and every ``__init__.py`` above it (cached)."""
        found = self._paths.get(module)
        if found is None:
            found = self._paths[module] = self._path_of(module)
        return found

    def _path_of(self, module: str) -> list[str]:
        parts = module.split(".")
        folder = self.roots.get(parts[0])
        if folder is None:
            return []
        base = folder.rpartition("/")[0]
        prefix = f"{base}/" if base else ""
        found = [f"{prefix}{'/'.join(parts[:depth])}/__init__.py" for depth in range(1, len(parts) + 1)]
        found.append(f"{prefix}{'/'.join(parts)}.py")
        return found


def package_imports(
    text: str, rel: str, modules: Sequence[tuple[str, tuple[str, ...]]], packages: Packages
) -> tuple[str, ...]:
    """The project modules one file may import: absolute imports of its packages, and its relative imports.

    ``modules`` are the file's absolute imports (module, names). A ``from a import b`` gives both ``a`` and
    ``a.b`` (``b`` may be a submodule); which exist is decided later. Modules its strings name are imported by a
    framework when it runs (``named_modules``: ``ROOT_URLCONF = "mysite.urls"``), so they count too.
    """
    found: dict[str, None] = {}
    submodules = packages.submodules
    for module, names in modules:
        if module.partition(".")[0] in packages.names:
            found[module] = None
            found.update((f"{module}.{name}", None) for name in names if name in submodules)
    if "from ." in text or "from\t." in text:
        found.update((module, None) for module in _relative(text, rel, packages))
    found.update((module, None) for module in named_modules(text, packages.names))
    if any(word in text for word in _DYNAMIC_WORDS):
        for package in list(_loaded_by_name(text, rel, list(found), packages)):
            found.update((module, None) for module in (package, *packages.under(package)))
    return tuple(found)


def _loaded_by_name(text: str, rel: str, imported: Iterable[str], packages: Packages) -> Iterable[str]:
    """Packages of the project whose modules this file loads by name at run time, so they are all reached:
    its own package when an ``__init__.py`` walks its ``__path__`` (``pkgutil.iter_modules(__path__)``), a package
    it hands to a loader (``bot.load_extensions(exts)``, ``pkgutil.walk_packages(plugins.__path__)``, the name
    bound by ``from bot import exts``), and a module named as text (``load_extension("bot.exts.fun")``,
    ``import_module(f"app.plugins.{name}")``)."""
    if rel.endswith("__init__.py") and _WALKS_OWN_PATH.search(text):
        own = packages.module_of(rel)
        if own:
            yield own
    loaders = _LOADER_OF.finditer(text) if any(word in text for word in _LOADER_WORDS) else ()
    for match in loaders:
        name = match["name"].removesuffix(".__path__")
        yield from (module for module in imported if module == name or module.endswith(f".{name}"))
    named = _NAMED_MODULE.finditer(text) if any(word in text for word in _NAMING_WORDS) else ()
    for match in named:
        if match["module"].partition(".")[0] in packages.names:
            yield match["module"]


def _relative(text: str, rel: str, packages: Packages) -> Iterable[str]:
    own = packages.module_of(rel)
    if own is None:
        return
    base = (own if rel.endswith("__init__.py") else own.rpartition(".")[0]).split(".")
    for match in line_matches(_RELATIVE, text, "import"):
        dots, module, names = match["dots"], match["module"], match["names"]
        if len(dots) > len(base):
            continue
        anchor = ".".join(base[: len(base) - len(dots) + 1])
        target = f"{anchor}.{module}" if module else anchor
        yield target
        if names.startswith("(") and ")" not in names:  # a list over several lines, up to its closing bracket
            close = text.find(")", match.end())
            names = text[match.start("names") : close if close >= 0 else match.end()]
        for name in re.sub(r"#[^\n]*", "", names).strip("()").split(","):
            word = name.split()[0] if name.split() else ""
            if word.isidentifier():
                yield f"{target}.{word}"


def optional_integrations(
    paths: Sequence[str],
    edges: Mapping[str, Sequence[str]],
    *,
    packages: Packages,
    app_code: Iterable[str],
    manifests: Iterable[str],
    scripts: Iterable[str] = (),
) -> dict[str, str]:
    """Files of a library's packages that no entry point reaches, each with the reason shown to the user.

    ``edges`` maps a file to the project modules it imports (``package_imports``); ``app_code`` are the files
    that are the app's own code (not secondary); ``scripts`` are the modules console scripts run.
    """
    if not packages.names or not is_library(manifests):
        return {}
    app = set(app_code)
    reached = reach(entry_files(app, packages, scripts), edges, packages, set(paths))
    files = set(paths)
    judged = {name for name, folder in packages.roots.items() if _imports_itself(folder, edges, packages, files)}
    return {
        path: f"{path}, which nothing in the package imports (an optional integration)"
        for path in paths
        if path in app and path not in reached and (packages.module_of(path) or "").partition(".")[0] in judged
    }


def entry_files(app: set[str], packages: Packages, scripts: Iterable[str]) -> list[str]:
    """Where running the project starts: the app's files outside packages, each package's ``__init__.py`` and
    ``__main__.py``, the modules console scripts run, and the commands a framework runs by file name (Django's
    ``<app>/management/commands/<name>.py``, run as ``manage.py <name>``, which nothing imports)."""
    entries = [path for path in app if packages.module_of(path) is None or _COMMAND_FILE.search(path)]
    for folder in packages.roots.values():
        entries += [f"{folder}/__init__.py", f"{folder}/__main__.py"]
    return entries + [file for module in scripts for file in packages.path_of(module)]


def reached_only_through_guards(
    paths: Sequence[str],
    edges: Mapping[str, Sequence[str]],
    guarded: Mapping[str, LocalImports],
    *,
    packages: Packages,
    app_code: Iterable[str],
    scripts: Iterable[str] = (),
) -> dict[str, str]:
    """Files of the packages that the entry points reach only across an import under a guard, each with the
    reason its own imports are optional (``guarded_modules``): ``"guarded by except ImportError at
    src/pkg/threadlocal.py:38, the import that reaches this module"``.

    ``guarded`` maps a file with guarded imports of the project to them (``LocalImports``); the ``edges`` of
    every other file are unguarded.
    """
    if not packages.names or not guarded:
        return {}
    files, app = set(paths), set(app_code)
    entries = entry_files(app, packages, scripts)
    unguarded = {path: guarded[path].unguarded if path in guarded else modules for path, modules in edges.items()}
    run_time = run_time_edges(edges, guarded)
    behind = reach(entries, run_time, packages, files) - reach(entries, unguarded, packages, files)
    found: dict[str, str] = {}
    for importer, imports in sorted(guarded.items()):
        for item in imports.guarded:
            reason = f"{item.reason} at {importer}:{item.line}, the import that reaches this module"
            targets = [file for module in item.modules for file in packages.path_of(module)[-2:]]
            for path in sorted(reach(targets, run_time, packages, behind) & app):
                found.setdefault(path, reason)
    return found


def typing_only(
    paths: Sequence[str],
    edges: Mapping[str, Sequence[str]],
    local: Mapping[str, LocalImports],
    *,
    packages: Packages,
    app_code: Iterable[str],
    scripts: Iterable[str] = (),
) -> dict[str, str]:
    """Files of the packages that the entry points reach only across imports under ``if TYPE_CHECKING:`` (directly,
    or through other such files: a ``types/`` package of TypedDicts), each with the reason shown for its imports:
    the package never runs them, so what they import only type checkers need.

    ``local`` maps a file with guarded or type-only imports of the project to them (``LocalImports``)."""
    if not packages.names or not any(imports.typing for imports in local.values()):
        return {}
    files, app = set(paths), set(app_code)
    entries = entry_files(app, packages, scripts)
    typed = reach(entries, edges, packages, files) - reach(entries, run_time_edges(edges, local), packages, files)
    return {path: f"in typing-only module {path} (imported only under TYPE_CHECKING)" for path in sorted(typed & app)}


def run_time_edges(edges: Mapping[str, Sequence[str]], local: Mapping[str, LocalImports]) -> dict[str, Sequence[str]]:
    """The import graph without the imports under ``if TYPE_CHECKING:``: what running the package can import."""
    return {path: local[path].run_time() if path in local else modules for path, modules in edges.items()}


def reach(entries: Iterable[str], edges: Mapping[str, Sequence[str]], packages: Packages, files: set[str]) -> set[str]:
    reached: set[str] = set()
    todo = [path for path in entries if path in files]
    while todo:
        path = todo.pop()
        if path in reached:
            continue
        reached.add(path)
        for module in edges.get(path, ()):
            todo.extend(file for file in packages.path_of(module) if file in files and file not in reached)
    return reached


def _imports_itself(folder: str, edges: Mapping[str, Sequence[str]], packages: Packages, files: set[str]) -> bool:
    """Does the package's ``__init__.py`` import one of its own modules (so reachability means something)? Only a
    module that is a file counts: a string naming no file (a logger's name, ``"pkg.events"``) imports nothing."""
    init = f"{folder}/__init__.py"
    return any(
        len(module.split(".")) > 1 and any(path in files for path in packages.path_of(module)[-2:])
        for module in edges.get(init, ())
    )


def console_scripts(texts: Mapping[str, str]) -> tuple[str, ...]:
    """Modules named by entry points (``name = "pkg.cli:main"``) in the root's packaging files' text."""
    found: dict[str, None] = {}
    for text in texts.values():
        found.update((match["module"], None) for match in _ENTRY_POINT.finditer(text))
    return tuple(found)
