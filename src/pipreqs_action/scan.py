"""The ``scan`` stage: the third-party imports of a tree, each with its file and line, and whose code made them.

What is left out, and why:
- the standard library of every Python release, 2.7 to the newest (``stdlib_names``): code written for another
  Python than the one running the check still imports its own standard library;
- relative imports and ``__future__``;
- the project's own code, resolved the way Python resolves it when a file runs (``local_modules``): a
  ``tools/redis.py`` deep in the tree hides ``import redis`` only from files in ``tools/``, never from the rest
  of the repository (pipreqs drops it everywhere).

Each import kept says whether the app's own code made it or secondary code (tests, examples, vendored code...:
``layout``), which compare turns into its own section.

Files are read once; what locality needs from the whole tree (folders put on ``sys.path``, modules notebooks
write) is gathered while reading, and each import is resolved after every file has been read.

A large tree is read by this process and forked helpers together (one per further CPU), each taking every n-th
file; the results are put back in path order, so the answer never depends on how many processes read it.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from pipreqs_action import extractions, imports, script_metadata
from pipreqs_action.app_code import backends
from pipreqs_action.app_code.addons import addon_reasons
from pipreqs_action.app_code.integration_names import on_demand_in, split_integrations
from pipreqs_action.app_code.layout import Layout, imported_packages
from pipreqs_action.app_code.layout import is_test_path as is_test_path
from pipreqs_action.app_code.lazy_integrations import lazy_integrations
from pipreqs_action.app_code.lazy_loads import LazyImports, lazy_package_imports, reached_only_lazily
from pipreqs_action.app_code.loading_functions import loading_function
from pipreqs_action.app_code.program_loaded import doc_texts, loaded_by_programs, optional_where_loaded
from pipreqs_action.app_code.reachability import (
    PACKAGING_MANIFESTS,
    Packages,
    console_scripts,
    entry_files,
    is_library,
    optional_integrations,
    package_imports,
    reached_only_through_guards,
    typing_only,
)
from pipreqs_action.app_code.test_modules import TEST_MODULE, is_test_module
from pipreqs_action.app_code.unnamed_scripts import TOOLING, named_scripts, stand_alone_scripts
from pipreqs_action.app_code.unreached import SCRIPT, mention_pattern, mentioned_modules, unreached_helpers
from pipreqs_action.app_code.vendoring import copied_from, vendored_roots
from pipreqs_action.intent import (
    call_guards,
    hinted_features,
    notebook_helpers,
    notebook_imports,
    project_guards,
    runtime_provided,
)
from pipreqs_action.intent.commented_imports import commented_imports, without_commented_imports
from pipreqs_action.intent.guarded_modules import (
    LocalImports,
    application_guards,
    guarded_by,
    guarded_local_imports,
    typed_by,
)
from pipreqs_action.intent.notebook_helpers import NotebookUses
from pipreqs_action.limits import check_deadline, other_threads
from pipreqs_action.local import enclosing_modules, self_imports, working_folders
from pipreqs_action.local.enclosing_modules import Above
from pipreqs_action.local.local_modules import LocalModules
from pipreqs_action.local.syspath import import_roots
from pipreqs_action.manifests.setup_script import SETUP_PY, packaging_markers
from pipreqs_action.metadata import stdlib_names
from pipreqs_action.model import (
    ImportRef,
    InstallHint,
    LocalImport,
    Location,
    ScanResult,
    ScriptMetadata,
    Skipped,
    SourceText,
)
from pipreqs_action.reading import files
from pipreqs_action.reading.discovery import Tree, discover_tree
from pipreqs_action.reading.lazy_regex import LazyPattern
from pipreqs_action.reading.line_search import LineStarts

log = logging.getLogger(__name__)

# Reading is split over processes only for large trees: a helper costs a few milliseconds to fork and collect,
# which a tree of a few hundred files (about 0.3 ms each) repays; a small app stays in one process.
PARALLEL_MIN_FILES = 300
MAX_PROCESSES = 8


class _FileFacts(NamedTuple):
    """What one file tells about the whole project: folders it puts on ``sys.path``, modules it writes."""

    rel: str = ""
    import_roots: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    copied_from: str = ""  # the project its header says it was copied from
    package_imports: tuple[str, ...] = ()  # modules of the project's packages it may import (reachability)
    local_imports: LocalImports | None = None  # those under a guard, when any is (guarded_modules)
    lazy_imports: LazyImports | None = None  # in a library, those inside function bodies (lazy_loads)
    test_module: bool = False  # test functions under a name no test convention covers (test_modules)
    script: ScriptMetadata | None = None  # its PEP 723 inline metadata (script_metadata)
    uses: NotebookUses | None = None  # the project's own modules it imports, a notebook's installs (notebook_helpers)
    runs_as_main: bool = False  # an `if __name__ == "__main__":` block: an entry point (unreached, local_modules)
    mentions: tuple[str, ...] = ()  # dotted names of the project's modules it names, in an application (unreached)
    commented: tuple[tuple[str, int], ...] = ()  # modules its commented-out imports name, at lines (unreached)
    hinted: tuple[tuple[str, int], ...] = ()  # distributions its import guards' install hints name (hinted_features)
    imported_names: tuple[str, ...] = ()  # top-level names of every absolute import, the project's own too (addons)
    qualified: tuple[str, ...] = ()  # absolute imports of three dotted parts or more (local_modules: sub-packages)
    swallowers: tuple[tuple[str, int], ...] = ()  # its context managers swallowing ImportError (project_guards)
    with_words: frozenset[str] | None = None  # every word after a `with` on its line: the helpers it may open
    package_module: bool = False  # a relative import: loaded as part of its package, never run (local_modules)
    local: tuple[LocalImport, ...] = ()  # imports its own code settles as the project's (working_folders, self_imports)


FileResult = tuple[list[ImportRef], Skipped | None, _FileFacts]


def scan(
    root: Path,
    *,
    exclude: Sequence[str] = (),
    full_parse: bool = False,
    secondary: Sequence[str] = (),
    app: Sequence[str] = (),
    declared_in: Sequence[str] = (),
    above: Mapping[str, Above] | None = None,
) -> ScanResult:
    """Read every Python file under ``root`` (never importing or running it) and keep third-party imports.

    ``secondary`` and ``app`` are gitignore-style patterns that add secondary code or claim code for the app over
    the defaults (``layout``); ``declared_in`` names the manifests the check reads, whose folders are the app's.
    ``above``: for a project inside the checked tree, the modules of the folders above it (``enclosing_modules``).
    """
    tree = _without_module_setup_files(root, discover_tree(root, exclude))
    on_disk = LocalModules(tree.files, ignored_modules=tree.ignored_modules)
    library = is_library(tree.markers)
    packages = Packages(tree.files)  # imports of the project's packages are followed in every tree
    judged = packages if library else Packages(())  # the rules written for a library's packages
    mentions = None if library else mention_pattern(packages)
    shared = _folders_holding(tree.markers)
    reader = _Reader(root, standard_library(), full_parse, on_disk, packages, mentions, library=library, shared=shared)
    results = _read_all(reader, tree.files)
    facts = [file_facts for _, _, file_facts in results]
    local = _local_modules(tree, facts, on_disk)
    readme = "\n".join(_small_text(root / name) for name in tree.markers if name.startswith("README"))
    named_like_tooling = imported_packages({file_facts.rel: file_facts.imported_names for file_facts in facts}, local)
    layout = _layout(
        tree, facts, readme=readme, declared_in=declared_in, secondary=secondary, app=app, imported=named_like_tooling
    )
    layout.add_reasons({file_facts.rel: TEST_MODULE for file_facts in facts if file_facts.test_module})
    imported = _third_party_roots(results)
    integrations, public = split_integrations(_integrations(root, tree, facts, layout, judged), imported, judged)
    layout.add_reasons(integrations)
    loaded = loaded_by_programs(public, imported, judged, doc_texts(root)) if public else {}
    layout.add_reasons(_lazy_integrations(root, tree, facts, layout, judged, imported))
    layout.add_reasons(_helpers(root, tree, facts, layout, packages) if mentions else {})
    layout.add_reasons(_stand_alone_tooling(root, tree, facts, layout, packages))
    layout.add_reasons(_addons(root, tree, facts, results, layout))
    behind_guard, typing = _behind_guards(root, tree, facts, layout, packages, library=library)
    alternatives = _alternatives(results, layout, judged)
    found: list[ImportRef] = []
    skipped = list(tree.skipped)
    for refs, problem, file_facts in results:
        resolved = on_demand_in(_resolved(refs, local, layout, file_facts.writes), public)
        resolved = optional_where_loaded(resolved, loaded)
        found.extend(guarded_by(typed_by(resolved, typing), behind_guard))
        if problem is not None:
            skipped.append(problem)
    stale = tuple(sorted(Location(ref.location.path, ref.ignore_line) for ref in found if ref.module == _STALE))
    found = [ref for ref in found if ref.module != _STALE]
    found, from_above = enclosing_modules.resolve(found, above or {})
    found = _guarded_by_own_helpers(root, facts, found)
    found = _installed_one_notebook_away(root, tree.files, facts, found, on_disk, library=library)
    elsewhere = {ref.root: local.anywhere(ref.root) for ref in found}
    return ScanResult(
        tuple(found),
        tuple(sorted(skipped)),
        files_scanned=len(tree.files),
        elsewhere=tuple(sorted((name, folder) for name, folder in elsewhere.items() if folder is not None)),
        stale_ignores=stale,
        import_roots=_packages_on_path(tree, facts, layout),
        backends=alternatives,
        module_imports=_module_imports(facts, layout, judged),
        scripts=tuple(file_facts.script for file_facts in facts if file_facts.script is not None),
        install_hints=_install_hints(facts, layout, packages),
        local=(*(item for file_facts in facts for item in file_facts.local), *from_above),
        modules=local,
    )


def _install_hints(facts: list[_FileFacts], layout: Layout, packages: Packages) -> tuple[InstallHint, ...]:
    """The extras each app file's install hints name, with the files of that feature (``hinted_features``)."""
    hinting = [file_facts for file_facts in facts if file_facts.hinted and not layout.reason(file_facts.rel)]
    if not hinting:
        return ()
    paths = {file_facts.rel for file_facts in facts if file_facts.rel}
    edges = {file_facts.rel: file_facts.package_imports for file_facts in facts}
    entries = entry_files({path for path in paths if not layout.reason(path)}, packages, ())
    found = []
    for file_facts in hinting:
        feature = hinted_features.scope(file_facts.rel, entries, edges, packages, paths)
        found += [InstallHint(name, Location(file_facts.rel, line), feature) for name, line in file_facts.hinted]
    return tuple(found)


def _guarded_by_own_helpers(root: Path, facts: list[_FileFacts], found: list[ImportRef]) -> list[ImportRef]:
    """Imports inside ``with`` blocks of a context manager the project defines to swallow ImportError
    (``project_guards``); the files holding a required import are read again only when there is such a helper, and
    only those where a ``with`` line names one."""
    defined = {name: f"{file_facts.rel}:{line}" for file_facts in facts for name, line in file_facts.swallowers}
    if not defined:
        return found
    texts = {}
    may_open = {file_facts.rel: file_facts.with_words for file_facts in facts}
    for rel in sorted(project_guards.candidates(found)):
        words = may_open.get(rel)
        if words is not None and words.isdisjoint(defined):
            continue  # no `with` line of the file names a helper: not read again
        source = files.read_source(root, rel)
        if not isinstance(source, Skipped) and project_guards.mentions(source.text, defined):
            texts[rel] = source.text
    return project_guards.apply(found, texts, defined)


def _installed_one_notebook_away(
    root: Path, paths: list[str], facts: list[_FileFacts], found: list[ImportRef], local: LocalModules, *, library: bool
) -> list[ImportRef]:
    """Imports of helper modules that only notebooks import, each installing them first, or running them in their
    kernel (``notebook_helpers``). Which project modules the ``.py`` files import is read only for a project with
    such notebooks, or (not a library) whose ``.py`` files import the kernel's modules."""
    notebooks = [file_facts.uses for file_facts in facts if file_facts.uses]
    installs = any(use.installs for use in notebooks)
    kernel = bool(notebooks) and not library and notebook_helpers.kernel_imports(found)
    if not installs and not kernel:
        return found
    uses = [*notebooks, *_script_uses(root, paths, local)]
    found = notebook_helpers.apply(found, uses, paths) if installs else found
    return notebook_helpers.in_kernel(found, uses, paths) if kernel else found


def _script_uses(root: Path, paths: list[str], local: LocalModules) -> Iterable[NotebookUses]:
    for rel in paths:
        source = files.read_source(root, rel) if rel.endswith((".py", ".pyw")) else None
        if isinstance(source, SourceText):
            names = {first or second for first, second in notebook_helpers.LOCAL_IMPORT.findall(source.text)}
            modules = tuple((name, 0) for name in sorted(names) if local.is_local(rel, name))
            script = "__main__" in source.text
            if modules or script:
                yield NotebookUses(rel, modules, script=script)


def _module_imports(
    facts: list[_FileFacts], layout: Layout, packages: Packages
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each app file of a library's packages with the project files that its run-time imports load (the module's
    own file, not the packages above it; imports under ``if TYPE_CHECKING:`` never run)."""
    if not packages.names:
        return ()
    files = {file_facts.rel for file_facts in facts if file_facts.rel}
    found = []
    for file_facts in facts:
        if not file_facts.rel or layout.reason(file_facts.rel):
            continue
        local = file_facts.local_imports
        modules = local.run_time() if local else file_facts.package_imports
        loaded = {path for module in modules for path in packages.path_of(module)[-2:] if path in files}
        found.append((file_facts.rel, tuple(sorted(loaded - {file_facts.rel}))))
    return tuple(found)


def _importing_their_packages(facts: list[_FileFacts], on_disk: LocalModules) -> list[str]:
    """Folders outside any package (no ``__init__.py``) holding a file that imports, by its plain name, a package
    of that same folder: that file runs as a script from there (``streamlit run demo/app.py`` with ``import
    widgets.panel`` and ``demo/widgets/``), so the folder is first on ``sys.path`` (``local_modules``)."""
    found = []
    for file_facts in facts:
        folder = file_facts.rel.rpartition("/")[0]
        if not file_facts.rel or file_facts.package_module or on_disk.is_package(folder):
            continue
        if any((on_disk.module_in(folder, name) or "").endswith("/") for name in file_facts.imported_names):
            found.append(folder)
    return found


def _without_module_setup_files(root: Path, tree: Tree) -> Tree:
    """The tree's markers without the files named ``setup.py`` that are ordinary modules (``setup_script``): no
    manifest, so no project of their own, and their code is the app's, not packaging tooling."""
    if not any(marker.rpartition("/")[2] == SETUP_PY for marker in tree.markers):
        return tree
    return tree._replace(markers=packaging_markers(root, tree.markers))


def _packages_on_path(tree: Tree, facts: list[_FileFacts], layout: Layout) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Folders files put on ``sys.path`` (not the root, not ``src/``, not already vendored), with their packages:
    after mapping, a folder of published packages is vendored code (``elsewhere``)."""
    roots = {folder for file_facts in facts for folder in file_facts.import_roots if folder not in ("", "src")}
    found: dict[str, set[str]] = {root: set() for root in roots}
    for path in tree.files:
        package_folder = path[: -len("/__init__.py")] if path.endswith("/__init__.py") else ""
        parent, _, name = package_folder.rpartition("/")
        if package_folder and parent in found and not layout.reason(path):
            found[parent].add(name)
    return tuple(sorted((root, tuple(sorted(names))) for root, names in found.items() if names))


def _local_modules(tree: Tree, facts: list[_FileFacts], on_disk: LocalModules) -> LocalModules:
    """The project's modules once every file is read: with the modules files write, the folders they add to
    ``sys.path``, which files are package modules and which folders scripts run from (``local_modules``)."""
    written = [path for file_facts in facts for path in file_facts.writes]
    roots = [folder for file_facts in facts for folder in file_facts.import_roots]
    package_modules = [file_facts.rel for file_facts in facts if file_facts.package_module]
    script_folders = [
        file_facts.rel.rpartition("/")[0]
        for file_facts in facts
        if file_facts.runs_as_main and not file_facts.rel.endswith("__main__.py")
    ]
    script_folders += _importing_their_packages(facts, on_disk)
    return LocalModules(
        [*tree.files, *written],
        import_roots=roots,
        ignored_modules=tree.ignored_modules,
        package_modules=package_modules,
        script_folders=script_folders,
        qualified=[module for file_facts in facts for module in file_facts.qualified],
    )


def _layout(
    tree: Tree,
    facts: list[_FileFacts],
    *,
    readme: str,
    declared_in: Sequence[str],
    secondary: Sequence[str],
    app: Sequence[str],
    imported: Iterable[str] = (),
) -> Layout:
    roots = [folder for file_facts in facts for folder in file_facts.import_roots]
    return Layout(
        tree.files,
        manifests=tree.markers,
        modules=[path for path in tree.files if path.rpartition("/")[2] == SETUP_PY and path not in tree.markers],
        declared_in=declared_in,
        vendored=vendored_roots(roots, tree.markers),
        imported=imported,
        copied={file_facts.rel: file_facts.copied_from for file_facts in facts if file_facts.copied_from},
        readme=readme,
        secondary=secondary,
        app=app,
    )


def _integrations(
    root: Path, tree: Tree, facts: list[_FileFacts], layout: Layout, packages: Packages
) -> dict[str, str]:
    """Modules of a library that nothing it runs imports (``reachability``), with the reason to show. A module the
    files at the root that run the project name (``fastapi run svc/main.py`` in a Makefile, ``gunicorn app.wsgi`` in
    a Procfile) is an entry point: those files are read only when some module would otherwise be set apart."""
    if not packages.names:
        return {}
    texts = {name: _small_text(root / name) for name in PACKAGING_MANIFESTS if name in tree.markers}
    judge = functools.partial(
        optional_integrations,
        tree.files,
        {file_facts.rel: file_facts.package_imports for file_facts in facts},
        packages=packages,
        app_code=[path for path in tree.files if not layout.reason(path)],
        manifests=tree.markers,
    )
    found = judge(scripts=console_scripts(texts))
    if not found:
        return {}
    pattern = mention_pattern(packages)
    run = {name for text in _root_texts(root, _RUN_FILE) for name in mentioned_modules(text, pattern)}
    return judge(scripts=[*console_scripts(texts), *sorted(run)]) if run else found


def _lazy_integrations(
    root: Path,
    tree: Tree,
    facts: list[_FileFacts],
    layout: Layout,
    packages: Packages,
    imported: Mapping[str, Sequence[str]],
) -> dict[str, str]:
    """Modules of a library reached only through imports inside the functions that instrument a framework
    (``lazy_loads``, ``lazy_integrations``), with the reason to show; the files holding those imports are parsed
    again only when such a module is an integration by name."""
    lazy = {file_facts.rel: file_facts.lazy_imports for file_facts in facts if file_facts.lazy_imports}
    if not lazy or not packages.names:
        return {}
    texts = {name: _small_text(root / name) for name in PACKAGING_MANIFESTS if name in tree.markers}
    reached = reached_only_lazily(
        tree.files,
        {file_facts.rel: file_facts.package_imports for file_facts in facts},
        lazy,
        {file_facts.rel: file_facts.local_imports for file_facts in facts if file_facts.local_imports},
        packages=packages,
        app_code=[path for path in tree.files if not layout.reason(path)],
        scripts=console_scripts(texts),
    )
    return lazy_integrations(reached, imported, packages, functools.partial(loading_function, root))


def _helpers(root: Path, tree: Tree, facts: list[_FileFacts], layout: Layout, packages: Packages) -> dict[str, str]:
    """Modules of an application's packages that nothing runs (``unreached``), with the reason; the files at the
    root (README, Dockerfile, configuration) are read only when there is such a module, for a name that runs it.
    A script of those packages is an entry point only when some text names it (``unnamed_scripts``): the tree's
    texts are read only when a script would otherwise be set apart."""
    scripts = [file_facts.rel for file_facts in facts if file_facts.runs_as_main]
    judge = functools.partial(
        unreached_helpers,
        tree.files,
        {file_facts.rel: file_facts.package_imports for file_facts in facts},
        packages=packages,
        app_code=[path for path in tree.files if not layout.reason(path)],
    )
    mentioned = {name for file_facts in facts for name in file_facts.mentions}
    commented: dict[str, str] = {}
    for file_facts in facts:
        for name, line in file_facts.commented:
            commented.setdefault(name, f"{file_facts.rel}:{line}")
    judge = functools.partial(judge, commented=commented)
    in_packages = [path for path in scripts if packages.module_of(path) is not None]
    found = judge(mentioned=mentioned, scripts=[path for path in scripts if path not in in_packages])
    if not found:
        return {}
    pattern = mention_pattern(packages)
    mentioned |= {name for text in _root_texts(root) for name in mentioned_modules(text, pattern)}
    found = judge(mentioned=mentioned, scripts=[path for path in scripts if path not in in_packages])
    candidates = [path for path in in_packages if path in found]
    tooling = set(candidates) - named_scripts(root, candidates)
    found = judge(mentioned=mentioned, scripts=[path for path in scripts if path not in tooling])
    return {path: f"{path}, {TOOLING}" if path in tooling else reason for path, reason in found.items()}


def _stand_alone_tooling(
    root: Path, tree: Tree, facts: list[_FileFacts], layout: Layout, packages: Packages
) -> dict[str, str]:
    """Scripts outside the packages of a repository whose app is its packages, that use none of its code and that
    nothing imports or names (``unnamed_scripts``), with the reason; the tree's texts are read only when there is
    such a script."""
    candidates = stand_alone_scripts(
        [file_facts.rel for file_facts in facts if file_facts.runs_as_main and not layout.reason(file_facts.rel)],
        paths=tree.files,
        packages=packages,
        imported={file_facts.rel: file_facts.imported_names for file_facts in facts},
    )
    if not candidates or not any(packages.module_of(path) and not layout.reason(path) for path in tree.files):
        return {}
    return {path: f"{path}, {TOOLING}" for path in sorted(set(candidates) - named_scripts(root, candidates))}


def _addons(
    root: Path, tree: Tree, facts: list[_FileFacts], results: list[FileResult], layout: Layout
) -> dict[str, str]:
    """Sub-folders whose own README says how to install what only their code imports (``addons``), with the reason;
    a README is read only when its folder holds app code."""
    readmes = [marker for marker in tree.markers if "/" in marker and marker.rpartition("/")[2].startswith("README")]
    if not readmes:
        return {}
    app_code = [path for path in tree.files if not layout.reason(path)]
    holding = [
        readme for readme in readmes if any(path.startswith(readme.rpartition("/")[0] + "/") for path in app_code)
    ]
    if not holding:
        return {}
    texts = {readme: _small_text(root / readme) for readme in holding}
    imported = {file_facts.rel: file_facts.imported_names for file_facts in facts}
    third_party = _third_party_roots(results)
    return addon_reasons(app_code, texts, imported, third_party)


# Files at a project's root that may run one of its modules by name: its README, container and process files,
# task runners, configuration.
_ROOT_TEXT = LazyPattern(
    r"^(?:README.*|Dockerfile.*|Containerfile.*|Procfile.*|Makefile|docker-compose.*|compose\..*|.*\.(?:toml|cfg|ini"
    r"|ya?ml|sh|md|rst|txt|json))$"
)


# Files at a library's root that run the project (its README names modules users import, so it is not one).
_RUN_FILE = LazyPattern(
    r"^(?:Dockerfile.*|Containerfile.*|Procfile.*|[Mm]akefile|GNUmakefile|[Jj]ustfile|docker-compose.*|compose\..*"
    r"|.*\.sh)$"
)


def _root_texts(root: Path, pattern: LazyPattern = _ROOT_TEXT) -> Iterable[str]:
    try:
        names = sorted(entry.name for entry in os.scandir(root) if entry.is_file(follow_symlinks=False))
    except OSError:
        return
    for name in names:
        if pattern.match(name):
            yield _small_text(root / name)


def _behind_guards(
    root: Path, tree: Tree, facts: list[_FileFacts], layout: Layout, packages: Packages, *, library: bool
) -> tuple[dict[str, str], dict[str, str]]:
    """Modules reached only through an import under a guard (``guarded_modules``), and, in a library, those reached
    only through imports under ``if TYPE_CHECKING:`` (typing-only), each with the reason. In an application only
    the guards that state an optional feature count (``application_guards``)."""
    guarded = {file_facts.rel: file_facts.local_imports for file_facts in facts if file_facts.local_imports}
    if not library:
        guarded = application_guards(guarded)
    if not guarded or not packages.names:
        return {}, {}
    texts = {name: _small_text(root / name) for name in PACKAGING_MANIFESTS if name in tree.markers}
    edges = {file_facts.rel: file_facts.package_imports for file_facts in facts}
    app_code = [path for path in tree.files if not layout.reason(path)]
    scripts = console_scripts(texts)
    behind = reached_only_through_guards(
        tree.files, edges, guarded, packages=packages, app_code=app_code, scripts=scripts
    )
    if not library:
        return behind, {}
    return behind, typing_only(tree.files, edges, guarded, packages=packages, app_code=app_code, scripts=scripts)


def _alternatives(results: list[FileResult], layout: Layout, packages: Packages) -> tuple[tuple[str, str], ...]:
    """Sibling modules of a library's package named after the framework each imports, which no app code imports:
    perhaps alternatives the user picks from (``backends``; the manifest decides in the pipeline)."""
    if not packages.names:
        return ()
    edges = {file_facts.rel: file_facts.package_imports for _, _, file_facts in results if file_facts.rel}
    imported = _third_party_roots(results)
    return backends.candidates(packages, edges, imported, [path for path in edges if not layout.reason(path)])


def _third_party_roots(results: list[FileResult]) -> dict[str, list[str]]:
    """Each file with the top-level names of the third-party modules it imports."""
    return {refs[0].location.path: [ref.root for ref in refs] for refs, _, _ in results if refs}


def _small_text(path: Path) -> str:
    """A root packaging file's text for its entry points; unreadable or huge: nothing (entry points are a bonus)."""
    try:
        if path.is_symlink() or path.stat().st_size > 1024 * 1024:
            return ""
        return path.read_text("utf-8", errors="replace")
    except OSError:
        return ""


def _resolved(
    refs: list[ImportRef], local: LocalModules, layout: Layout, writes: Sequence[str] = ()
) -> Iterable[ImportRef]:
    """The file's imports that the project does not provide itself, each saying whose code made it.

    A notebook's ``%%writefile dir/x.py`` cells are code of those files: their imports also resolve from there.
    """
    if not refs:
        return
    path = refs[0].location.path
    reason = layout.reason(path)
    claimed = layout.claimed(path)  # the user's `app` patterns win over what the file says too (runtime_provided)
    for ref in refs:
        if ref.module == _STALE or not (
            local.is_local(path, ref.root, module=ref.module)
            or any(local.is_local(written, ref.root, module=ref.module) for written in writes)
        ):
            yield ref._replace(secondary=reason) if reason or (claimed and ref.secondary) else ref
        elif ref.ignore_line:
            yield _stale_marker(path, ref.ignore_line)


class _Reader(NamedTuple):
    """Reads one file into its third-party imports; forked helpers inherit it, so nothing large is pickled.

    ``local`` knows the modules on disk: imports of those are dropped here already (most imports of a big
    package are of itself), and what files add to ``sys.path`` or write is applied after every file is read.
    """

    root: Path
    stdlib: frozenset[str]
    full_parse: bool
    local: LocalModules
    packages: Packages
    mentions: re.Pattern[str] | None = None  # in an application: what names one of its modules (unreached)
    library: bool = False  # a packaging manifest at the root: its imports inside functions are read (lazy_loads)
    shared: tuple[str, ...] = ()  # folders ("a/") holding a manifest: projects whose scans read their files again

    def __call__(self, rel: str) -> FileResult:
        check_deadline()
        source = files.read_source(self.root, rel)
        if isinstance(source, Skipped):
            return [], source, _NO_FACTS
        facts = _FileFacts(rel, import_roots(source.text, rel), source.writes, copied_from(source.text))
        facts = facts._replace(imported_names=tuple(sorted(set(_IMPORTED_NAME.findall(source.text)))))
        facts = facts._replace(qualified=tuple(sorted(set(_QUALIFIED_IMPORT.findall(source.text)))))
        path = f"{self.root}/{rel}"  # the same for every scan that reads this file (extractions)
        if source.line_map is None:  # a script file, not a notebook
            told = extractions.text_facts(path, source.text, keep=rel.startswith(self.shared))
            facts = facts._replace(script=script_metadata.read(source.text, rel), hinted=told.hinted)
            facts = facts._replace(swallowers=told.swallowers, with_words=told.with_words)
        facts = facts._replace(uses=self._uses(source))
        if rel.endswith(".py") and is_test_module(source.text):
            facts = facts._replace(test_module=True)
        runs_as_main = rel.endswith(".py") and "__main__" in source.text and bool(SCRIPT.search(source.text))
        facts = facts._replace(runs_as_main=runs_as_main)
        if self.mentions is not None:
            own = self.packages.module_of(rel) or ""
            text = without_commented_imports(source.text)
            facts = facts._replace(mentions=mentioned_modules(text, self.mentions, own))
            if text is not source.text:
                facts = facts._replace(commented=commented_imports(source.text))
        package_module = rel.endswith(".py") and _RELATIVE_IMPORT.found(source.text)
        facts = facts._replace(package_module=package_module)
        wanted = functools.partial(self._wanted, rel, package_module=package_module)
        try:
            keep = rel.startswith(self.shared)
            raw = extractions.extract(path, source.text, full=self.full_parse, wanted=wanted, keep=keep)
        except imports.PartlyRead as error:  # newer syntax than this Python: imports read, the rest not
            third_party = _third_party(error.imports, source, self.stdlib, self.local, package_module)
            return _as_the_file_says(third_party, source), Skipped(rel, str(error)), facts
        except imports.NotPython as error:
            return [], Skipped(rel, str(error)), facts
        if self.packages.names:
            modules = [(item.module, item.names) for item in raw]
            lines = [(item.module, item.line, item.names) for item in raw]
            facts = facts._replace(
                package_imports=package_imports(source.text, rel, modules, self.packages),
                local_imports=guarded_local_imports(source.text, rel, lines, self.packages),
            )
            if self.library:
                facts = facts._replace(lazy_imports=lazy_package_imports(source.text, rel, lines, self.packages))
        third_party = _third_party(raw, source, self.stdlib, self.local, package_module)
        third_party, moved = working_folders.resolve(list(third_party), source, self.local)
        third_party, itself = self_imports.resolve(third_party, source, self.local)
        facts = facts._replace(local=(*moved, *itself))
        return _as_the_file_says(third_party, source), None, facts

    def _uses(self, source: SourceText) -> NotebookUses | None:
        """The project's own modules a notebook imports (their top-level names, at file lines), and its installs."""
        if source.line_map is None:
            return None  # a .py file: read again only when a notebook needs it (_script_uses)
        found: dict[str, int] = {}
        for match in notebook_helpers.LOCAL_IMPORT.finditer(source.text):
            name = match[1] or match[2]
            if name not in found and self.local.is_local(source.rel, name):
                found[name] = _file_line(source, source.text.count("\n", 0, match.start()) + 1)
        return NotebookUses(source.rel, tuple(found.items()), source.installs) if found else None

    def _wanted(self, rel: str, name: str, *, package_module: bool = False) -> bool:
        """A name whose imports are kept: neither ``__future__``, the standard library nor the project's own.

        Which folders scripts run from, and which the project's dotted imports name as sub-packages, is known once
        every file is read: until then a package module's import of a name only a package folder holds, and an import
        of a name only folders deep above the file hold (``may_hide``), is kept, and ``_resolved`` settles it."""
        local = self.local.is_local(rel, name, package_module=package_module) and not self.local.may_hide(rel, name)
        return name != "__future__" and name not in self.stdlib and not local


def _folders_holding(markers: Iterable[str]) -> tuple[str, ...]:
    """The folders below the root holding a manifest (or another marker): the projects inside the tree, whose own
    scans read their files again (``extractions`` keeps only those files' imports)."""
    folders = (marker.rstrip("/").rpartition("/")[0] for marker in markers)
    return tuple(sorted({folder + "/" for folder in folders if folder}))


_NO_FACTS = _FileFacts()
_IMPORTED_NAME = LineStarts(r"[ \t]*(?:from|import)[ \t]+([A-Za-z_]\w*)")
_QUALIFIED_IMPORT = LineStarts(r"[ \t]*(?:from|import)[ \t]+([A-Za-z_]\w*(?:\.[A-Za-z_]\w*){2,})")
_RELATIVE_IMPORT = LineStarts(r"[ \t]*from[ \t]+\.")


def _read_all(reader: _Reader, paths: list[str]) -> list[FileResult]:
    """Every file's result, in path order, whether read here alone or with forked helpers."""
    helpers = _helper_count(len(paths))
    if not helpers:
        return [reader(rel) for rel in paths]
    stride = helpers + 1
    children = [_fork_helper(reader, paths[start::stride]) for start in range(1, stride)]
    results: list[FileResult] = [([], None, _NO_FACTS)] * len(paths)
    try:
        results[0::stride] = [reader(rel) for rel in paths[0::stride]]
        for start, child in enumerate(children, 1):
            share = paths[start::stride]
            answer = _collect(child) if child is not None else None
            results[start::stride] = answer if answer is not None else [reader(rel) for rel in share]
    finally:
        for child in children:
            if child is not None:
                _reap(child)
    return results


def _helper_count(file_count: int) -> int:
    """Processes to fork besides this one: none for small trees, with one CPU, off Linux, or once threads run.

    Forking a process that runs threads (the HTTP server, a thread pool) can copy a lock held at that moment
    into the child; there we stay in one process. The CLI's and the Action's backstop timer does not count: it only
    waits (``limits.other_threads``), and counting it kept every command-line check in one process. On Linux fork
    is cheap and copies nothing up front.
    """
    if file_count < PARALLEL_MIN_FILES or sys.platform != "linux" or other_threads():
        return 0
    cpus = len(os.sched_getaffinity(0))
    return max(min(cpus, MAX_PROCESSES, file_count // PARALLEL_MIN_FILES + 1) - 1, 0)


class _Child:
    __slots__ = ("pid", "pipe", "running")

    def __init__(self, pid: int, pipe: int) -> None:
        self.pid = pid
        self.pipe = pipe  # read end (-1 once closed); the helper writes its pickled results into it, then exits
        self.running = True


def _fork_helper(reader: _Reader, share: list[str]) -> _Child | None:
    """Start a helper reading every file of ``share``; None when the system refuses a process (we read it).

    A bare fork and a pipe, not multiprocessing: its pool costs 10-30 ms to start and stop, a tenth of what
    the helper saves on a tree of a few hundred files. The helper leaves with ``os._exit``, so none of this
    process's exit handlers or unflushed output run twice.
    """
    import pickle  # only large trees need it

    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError as error:
        log.debug("reading in one process: cannot fork a helper: %s", error)
        os.close(read_end)
        os.close(write_end)
        return None
    if pid:
        os.close(write_end)
        return _Child(pid, read_end)
    status = 1
    try:  # the helper process from here on
        os.close(read_end)
        extracted = extractions.recording()  # sent back with the results: later scans of these files reuse them
        payload = pickle.dumps(([reader(rel) for rel in share], extracted), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        status = 0
    finally:
        os._exit(status)


def _collect(child: _Child) -> list[FileResult] | None:
    """The helper's results, or None when it failed (then its files are read here, so the answer is the same)."""
    import pickle

    try:
        with os.fdopen(child.pipe, "rb") as pipe:
            payload = pipe.read()
    finally:
        child.pipe = -1
    status = _wait(child)
    try:
        results: list[FileResult]
        results, extracted = pickle.loads(payload)  # noqa: S301 - written by our own forked helper
    except Exception as error:  # cut short: the helper died while writing
        log.debug("helper %d failed (wait status %d, %s): reading its files here", child.pid, status, error)
        return None
    if status != 0:
        return None
    extractions.keep(extracted)
    return results


def _wait(child: _Child) -> int:
    """The helper's wait status; 0 when it was reaped already (a host that ignores SIGCHLD reaps for us)."""
    try:
        _, status = os.waitpid(child.pid, 0)
    except ChildProcessError:
        status = 0
    child.running = False
    return status


def _reap(child: _Child) -> None:
    """A helper still running when reading stopped early (an exception here) is stopped, never left behind."""
    if child.pipe >= 0:
        with contextlib.suppress(OSError):
            os.close(child.pipe)
        child.pipe = -1
    if child.running:
        import signal  # only a large tree forks helpers: its enums are a cost a small check need not pay

        with contextlib.suppress(OSError):
            os.kill(child.pid, signal.SIGKILL)
        _wait(child)


def _third_party(
    raw: Iterable[imports.RawImport],
    source: SourceText,
    stdlib: frozenset[str],
    local: LocalModules,
    package_module: bool = False,
) -> Iterable[ImportRef]:
    for item in raw:
        root_name = item.module.partition(".")[0]
        ignore_line = _file_line(source, item.ignore_line) if item.ignore_line else 0
        is_local = local.is_local(source.rel, root_name, package_module=package_module, module=item.module)
        is_local = is_local and not local.may_hide(source.rel, root_name)  # settled once every file is read
        if root_name == "__future__" or root_name in stdlib or is_local:
            if ignore_line:  # an ignore marker on an import that never needed one: stale (see scan())
                yield _stale_marker(source.rel, ignore_line)
            continue
        yield ImportRef(
            module=item.module,
            location=Location(source.rel, _file_line(source, item.line)),
            names=item.names,
            optional=item.optional,
            type_only=item.type_only,
            dynamic=item.dynamic,
            reason=item.reason,
            marker=item.marker,
            in_function=item.in_function,
            ignore_line=ignore_line,
        )


def _as_the_file_says(refs: Iterable[ImportRef], source: SourceText) -> list[ImportRef]:
    """What the file itself says about its imports: a notebook's installs and written scripts, runtime modules,
    guards one call away."""
    return call_guards.apply(runtime_provided.apply(notebook_imports.apply(list(refs), source), source), source)


_STALE = "<stale ignore marker>"  # never an import name: carries a marker's place from a reader to scan()


def _stale_marker(path: str, line: int) -> ImportRef:
    return ImportRef(_STALE, Location(path, line), ignore_line=line)


def _file_line(source: SourceText, line: int) -> int:
    """The line in the file itself (a notebook's JSON text) of a line of the extracted code."""
    return source.line_map[line - 1] if source.line_map and line <= len(source.line_map) else line


def standard_library() -> frozenset[str]:
    """Top-level names of the standard library of every Python release (see ``stdlib_names``)."""
    return stdlib_names.standard_library()
