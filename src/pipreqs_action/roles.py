"""The role of a declaration for an import, beyond "declared at run time": development only, or commented out.

- A development declaration (dependency group, dev-dependencies, requirements-dev.txt, a test/docs extra)
  satisfies imports made by tests, docs and tooling. An application import that only such a declaration provides
  is its own finding: ``pip install`` of the application leaves it out, so it breaks at run time.
- A commented-out entry (``# tensorrt>=8  # TensorRT export``) names a package the author knowingly left out:
  its import is reported as optional, saying where the comment is, never as an alarm.
- A declaration made for another use is believed when the code agrees (``believed``). The author who lists
  ``coverage`` in ``requirements/dev.txt`` and writes ``if os.environ.get("FLASK_COVERAGE"): import coverage``
  says twice that production never runs it; so do a dev-declared ``faker`` in ``app/fake.py`` (a module named for
  development support), an import inside a function, and a dev-declared ``pytest`` in a pytest plugin the package
  registers under the ``pytest11`` entry point (``redbot/pytest/``: only pytest loads it, ``pytest_plugins``), and a
  dev-declared ``minio`` in a management command that imports ``hc/lib/s3.py``, which imports minio under
  ``except ImportError`` (the app's own optional feature, ``guarded_features``).
  And a package that a project inside this one declares (``extensions/whisper_stt/requirements.txt``) imported by
  the app only on demand (inside a function, under an environment flag) is that part's optional feature. A
  top-level import in the app's own modules stays required: there one signal alone never hides an alarm.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath

from pipreqs_action.app_code.pytest_plugins import PytestPlugins
from pipreqs_action.app_code.shipped import Shipped
from pipreqs_action.intent.guarded_features import GuardedFeatures
from pipreqs_action.mapping import ImportNames
from pipreqs_action.model import Declared, ImportRef, Missing, Requirement, ScanResult
from pipreqs_action.reading.ignore_rules import compile_patterns

# Modules whose name says they support development: fake data, test factories and mocks, test helpers.
_DEV_SUPPORT_MODULES = frozenset(
    {
        "fake",
        "fakes",
        "fake_data",
        "fakedata",
        "factories",
        "mock",
        "mocks",
        "fixtures",
        "testing",
        "testutils",
        "test_utils",
        "testing_utils",
        "test_helpers",
        "testhelpers",
    }
)


def providers(requirements: Sequence[Requirement], names: ImportNames) -> dict[str, frozenset[str]]:
    """Import paths each requirement provides, by its normalised name."""
    return {req.key: names.provides(req.name) for req in requirements}


def provider_of(path: str, provided: Mapping[str, frozenset[str]], names: ImportNames) -> str:
    """The key of the first requirement that provides an import path, or ""."""
    return next((key for key, paths in provided.items() if names.satisfies(paths, path)), "")


def dev_only(found: Mapping[str, list[tuple[str, ImportRef]]], declared: Declared) -> tuple[Missing, ...]:
    """One finding per development declaration that application code imports (``found``: key -> imports)."""
    by_key = {req.key: req for req in reversed(declared.dev)}
    items = []
    for key, refs in found.items():
        req = by_key[key]
        items.append(
            Missing(
                package=req.name,
                imports=tuple(sorted({path for path, _ in refs})),
                locations=tuple(sorted({ref.location for _, ref in refs})),
                reason=f"declared for development only ({req.location})",
            )
        )
    return tuple(sorted(items, key=lambda item: item.package.lower()))


def commented_out(missing: Sequence[Missing], declared: Declared, names: ImportNames) -> tuple[Missing, ...]:
    """Missing packages whose entry the author commented out become optional, with where the comment is."""
    if not declared.commented:
        return tuple(missing)
    provided = providers(declared.commented, names)
    where = {req.key: str(req.location) for req in reversed(declared.commented)}
    result = []
    for item in missing:
        key = next(
            (provider_of(path, provided, names) for path in item.imports if provider_of(path, provided, names)), ""
        )
        if key:
            item = item._replace(optional=True, reason=item.reason or f"commented out in {where[key]}")
        result.append(item)
    return tuple(result)


def believed(
    scan: ScanResult,
    declared: Declared,
    names: ImportNames,
    find_plugins: Callable[[], PytestPlugins] = PytestPlugins,
    root: Path | None = None,
) -> ScanResult:
    """The scan with app imports that a declaration made for another use explains, when the code agrees: dev-declared
    and on demand, in a development-support module, in a module built on the one that guards the package, or in a
    pytest plugin the project registers (then satisfied, as for tests), or declared by a project inside this one and
    on demand (then optional, saying where). ``find_plugins`` reads the packaging files' ``pytest11`` entry points,
    only when something is dev-declared; ``root``, the checked tree, whose modules' imports are read for the
    guarded features (``guarded_features``)."""
    dev = providers(declared.dev, names)
    nested = providers(declared.nested, names)
    if not dev and not nested:
        return scan
    own = providers([*declared.requirements, *declared.inherited, *declared.installed, *_grouped(declared)], names)
    where = {req.key: str(req.location) for req in reversed([*declared.dev, *declared.nested])}
    plugins = find_plugins() if dev else PytestPlugins()
    guarded = GuardedFeatures(scan, root) if dev and root is not None else None
    imports = []
    for ref in scan.imports:
        reason = "" if _not_judged(ref, declared) else _use(ref, own, dev, nested, where, names, plugins, guarded)
        imports.append(ref._replace(optional=True, reason=reason) if reason else ref)
    return scan._replace(imports=tuple(imports))


def _grouped(declared: Declared) -> list[Requirement]:
    return [req for _, group in declared.optional_groups for req in group]


def _not_judged(ref: ImportRef, declared: Declared) -> bool:
    """Already not needed at run time, or the project's own code."""
    return ref.optional or ref.type_only or bool(ref.secondary) or ref.root in declared.first_party


def _use(
    ref: ImportRef,
    own: Mapping[str, frozenset[str]],
    dev: Mapping[str, frozenset[str]],
    nested: Mapping[str, frozenset[str]],
    where: Mapping[str, str],
    names: ImportNames,
    plugins: PytestPlugins,
    guarded: GuardedFeatures | None = None,
) -> str:
    """Why the import is optional for the app (the declaration and the code agree), or ""."""
    paths = names.import_paths(ref)
    if any(provider_of(path, own, names) for path in paths):
        return ""
    on_demand = ref.in_function
    for path in paths:
        if key := provider_of(path, dev, names):
            how = _development_use(ref, plugins, guarded)
            if how:
                return f"declared for development only ({where[key]}), {how}"
        if (key := provider_of(path, nested, names)) and on_demand:
            return f"declared in {where[key]} (a project inside this one), imported here only on demand"
    return ""


def _development_use(ref: ImportRef, plugins: PytestPlugins, guarded: GuardedFeatures | None = None) -> str:
    """How the code says the import serves development, or an optional feature: on demand, in a development-support
    module, in a module built on the one that guards the package (``guarded_features``), in a pytest plugin (loaded
    only by pytest); "" when it does not."""
    if ref.in_function:
        return "imported only on demand"
    if _dev_support_module(ref.location.path):
        return "in a development-support module"
    guard = guarded.guard_of(ref) if guarded else ""
    if guard:
        return f"in a module built on {guard}, which guards it: a part of that optional feature"
    registered = plugins.where(ref.location.path)
    return f"in a pytest plugin registered under the pytest11 entry point ({registered})" if registered else ""


def _dev_support_module(path: str) -> bool:
    """``app/fake.py``, ``app/factories/__init__.py``, ``mypkg/testing.py``: named for development support."""
    pure = PurePosixPath(path)
    name = pure.parent.name if pure.stem == "__init__" else pure.stem
    return name in _DEV_SUPPORT_MODULES


def unshipped_tooling(
    scan: ScanResult,
    declared: Declared,
    names: ImportNames,
    find_shipped: Callable[[], Shipped | None],
    claimed: Sequence[str] = (),
) -> ScanResult:
    """The scan with the maintainers' scripts of a packaged project marked as secondary code: files the
    distribution does not ship (``generate_schema.py`` beside ``langgraph_cli/``) that import what only a development
    declaration provides. Two signals agree, as for a development-support module: the build leaves the file out, and
    the author declared its tools for development. A file the build leaves out that imports nothing of the kind
    (a ``wsgi.py`` beside the app's package) says nothing and stays the app's. ``find_shipped`` reads the build's
    configuration, which only a project with development declarations needs."""
    dev = providers(declared.dev, names)
    shipped = find_shipped() if dev else None
    if shipped is None:
        return scan
    own = providers([*declared.requirements, *declared.inherited, *_grouped(declared)], names)
    spec = compile_patterns(claimed) if claimed else None
    tooling: set[str] = set()
    for ref in scan.imports:
        path = ref.location.path
        if path in tooling or ref.secondary or shipped.ships(path) or ref.root in declared.first_party:
            continue
        if spec is not None and spec.match_file(path):
            continue
        paths = names.import_paths(ref)
        if not any(provider_of(item, own, names) for item in paths) and any(
            provider_of(item, dev, names) for item in paths
        ):
            tooling.add(path)
    if not tooling:
        return scan
    why = f"a development script {shipped.by} does not ship (it ships {shipped.what})"
    imports = tuple(
        ref._replace(secondary=why) if ref.location.path in tooling and not ref.secondary else ref
        for ref in scan.imports
    )
    return scan._replace(imports=imports)
