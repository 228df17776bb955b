"""Modules of a library that only a function's body imports: loaded when that function is called, never before.

``reachability`` counts a module as reached when anything imports it, even inside a function. A library that
instruments its users' frameworks imports each adapter only in the method that does it::

    class Tracer:
        def instrument_flask(self, app: flask.Flask) -> None:
            from .adapters.flask_app import instrument    # flask_app.py: `import flask` at its top
            instrument(app)

The adapter is reached, yet ``import tracer`` never loads it: only a call of ``instrument_flask`` does, made by a
user who has a Flask app. Here, per file, the imports of the project's packages inside a ``def`` body
(``lazy_package_imports``; a class body or a top-level ``if`` runs at import, so it is not one); then the entry
points are followed twice, along every import that runs and along those alone that importing the modules runs.
A module only the first walk reaches is reached only lazily (``reached_only_lazily``), each with the imports in
function bodies (``Crossing``) it is reached through. Whether that makes its imports the user's business is for
``lazy_integrations`` to say: a lazy import made for speed or to break an import cycle loads code the library
needs all the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from pipreqs_action.app_code.reachability import Packages, entry_files, package_imports, reach, run_time_edges
from pipreqs_action.imports.blocks import Blocks
from pipreqs_action.intent.guarded_modules import (
    absolute_imports,
    indented_package_imports,
    package_imports_but,
    statement_at,
)
from pipreqs_action.intent.guards import NOTHING

if TYPE_CHECKING:
    from pipreqs_action.intent.guarded_modules import LocalImports

__all__ = ["Crossing", "LazyImport", "LazyImports", "lazy_package_imports", "reached_only_lazily"]


class LazyImport(NamedTuple):
    """An import of the project's packages inside a function body: its line (1-based), the modules it may name."""

    line: int
    modules: tuple[str, ...]


class LazyImports(NamedTuple):
    """One file's imports of its packages inside function bodies, and the modules (``only``) that it imports
    nowhere else (neither at its top nor in a class body): those its import alone never loads."""

    imports: tuple[LazyImport, ...]
    only: frozenset[str]


class Crossing(NamedTuple):
    """An import inside a function through which a module is reached: where it is, and the files it names that
    nothing else reaches (the modules themselves, not the packages above them)."""

    importer: str
    line: int
    targets: tuple[str, ...]


def lazy_package_imports(
    text: str, rel: str, modules: Sequence[tuple[str, int, tuple[str, ...]]], packages: Packages
) -> LazyImports | None:
    """The file's imports of the project's packages inside function bodies; None when there is none.

    ``modules`` are the file's absolute imports (module, line, names), as ``guarded_local_imports`` takes them.
    An import under ``if TYPE_CHECKING:`` never runs, so it is none (``typing_only`` sees to it).
    """
    if not packages.names:
        return None
    blocks: Blocks | None = None
    lazy: list[LazyImport] = []
    elsewhere: list[tuple[int, int]] = []  # (line index, indent) of the others indented: under TYPE_CHECKING?
    for index, indent in indented_package_imports(text, packages):
        blocks = blocks or Blocks(text)
        context = blocks.context_at(index, indent) if blocks.in_def(index) else None
        if context is None or context.type_only:
            elsewhere.append((index, indent))
            continue
        statement = statement_at(blocks.lines, index)
        named = package_imports(statement, rel, absolute_imports(statement), packages)
        if named:
            lazy.append(LazyImport(index + 1, named))
    if not lazy or blocks is None:
        return None
    # a module the file also imports under TYPE_CHECKING is still loaded only when the function runs
    typing = {line + 1 for line, indent in elsewhere if (blocks.context_at(line, indent) or NOTHING).type_only}
    eager = set(package_imports_but(text, rel, modules, packages, typing | {item.line for item in lazy}))
    only = frozenset(module for item in lazy for module in item.modules if module not in eager)
    return LazyImports(tuple(lazy), only)


def reached_only_lazily(
    paths: Sequence[str],
    edges: Mapping[str, Sequence[str]],
    lazy: Mapping[str, LazyImports],
    local: Mapping[str, LocalImports],
    *,
    packages: Packages,
    app_code: Iterable[str],
    scripts: Iterable[str] = (),
) -> dict[str, tuple[Crossing, ...]]:
    """App files of the packages that the entry points reach at run time only through imports inside function
    bodies, each with every such import it is reached through.

    ``edges`` maps a file to the project modules it may import (``package_imports``), ``lazy`` a file with imports
    inside functions to them, ``local`` a file with guarded or typing-only imports to them (``LocalImports``).
    """
    if not packages.names or not lazy:
        return {}
    files, app = set(paths), set(app_code)
    entries = entry_files(app, packages, scripts)
    run_time = run_time_edges(edges, local)
    eager = {
        path: [module for module in modules if module not in lazy[path].only] if path in lazy else modules
        for path, modules in run_time.items()
    }
    running = reach(entries, run_time, packages, files)
    behind = running - reach(entries, eager, packages, files)
    if not behind:
        return {}
    found: dict[str, list[Crossing]] = {}
    for importer, imports in sorted(lazy.items()):
        if importer not in running:
            continue  # a test's or an unreached module's import: it loads nothing when the package runs
        for item in imports.imports:
            named = [file for module in item.modules for file in packages.path_of(module)[-2:] if file in behind]
            if not named:
                continue
            crossing = Crossing(importer, item.line, tuple(dict.fromkeys(named)))
            loaded = [file for module in item.modules for file in packages.path_of(module)]
            for path in sorted(reach(loaded, run_time, packages, behind) & app):
                found.setdefault(path, []).append(crossing)
    return {path: tuple(crossings) for path, crossings in found.items()}
