"""Alternative backends: sibling modules of a library's package, each named after the framework it imports.

A library that works on several frameworks often ships one module per framework and lets the user pick::

    mylib/__init__.py      # imports none of them
    mylib/torch.py         # import torch        (from mylib import torch as backend)
    mylib/tensorflow.py    # import tensorflow   (from mylib import tensorflow as backend)
    mylib/jax.py           # import jax, optax

The manifest leaves every framework out on purpose: whoever picks ``mylib.jax`` installs JAX. So the imports made
inside such a module, the framework and what comes with it, are optional, with the reason shown to the user.

What makes the pattern safe to believe, all of it required:

- a library (``reachability``: a packaging manifest at the root), whose import graph the scan knows;
- at least two siblings in one package folder (with its ``__init__.py``), each importing the third-party module
  it is named after (``torch.py`` imports ``torch``): one file named like a library is an adapter, not a choice;
- no other file of the project imports any of them (the scan's import graph, imports inside functions included):
  a module the package or the app imports is not the user's pick;
- the framework it is named after is declared by no runtime requirement (undeclared, or only in an extra or a
  dependency group): a declared framework is the default, not an alternative. At least two alternatives remain;
- what every alternative imports (``numpy`` in each backend) is needed whichever the user picks: it stays required.

A top-level import of the same package anywhere else in the app still makes it required: only the imports inside
the alternatives become optional.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from pipreqs_action.model import Declared, ImportRef, ScanResult

if TYPE_CHECKING:
    from pipreqs_action.app_code.reachability import Packages
    from pipreqs_action.mapping import ImportNames

__all__ = ["apply", "candidates"]

MIN_ALTERNATIVES = 2


def candidates(
    packages: Packages,
    edges: Mapping[str, Sequence[str]],
    imported: Mapping[str, Iterable[str]],
    app_code: Iterable[str],
) -> tuple[tuple[str, str], ...]:
    """(file, framework) for the modules of a library's packages that may be alternative backends.

    ``edges`` maps each file to the project modules it may import (``reachability.package_imports``); ``imported``
    maps each file to the top-level names of the third-party modules it imports; ``app_code`` are the files that
    are the app's (a test importing every backend says nothing about which one the app needs).
    """
    if not packages.names:
        return ()
    folders: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path, roots in imported.items():
        folder, _, name = path.rpartition("/")
        stem = name.removesuffix(".py")
        if folder and name.endswith(".py") and stem != "__init__" and stem in set(roots):
            module = packages.module_of(path)
            if module is not None:
                folders[folder].append((path, module))
    app = set(app_code)
    used = {module for path, modules in edges.items() if path in app for module in modules}
    found: list[tuple[str, str]] = []
    for folder, members in sorted(folders.items()):
        free = [(path, module) for path, module in members if module not in used]  # imported: not the user's pick
        if len(free) >= MIN_ALTERNATIVES and f"{folder}/__init__.py" in edges:
            found += [(path, module.rpartition(".")[2]) for path, module in sorted(free)]
    return tuple(found)


def apply(scan: ScanResult, declared: Declared, names: ImportNames) -> ScanResult:
    """The scan with the imports made only inside alternative backends optional, saying which module."""
    if len(scan.backends) < MIN_ALTERNATIVES:
        return scan
    runtime = [names.provides(req.name) for req in (*declared.requirements, *declared.inherited) if not req.local]
    by_path: dict[str, list[ImportRef]] = defaultdict(list)
    for ref in scan.imports:
        by_path[ref.location.path].append(ref)
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path, framework in scan.backends:
        own = [ref for ref in by_path.get(path, ()) if ref.root == framework and not ref.secondary]
        if own and not any(_provided(ref, runtime, names) for ref in own):
            groups[path.rpartition("/")[0]].append((path, framework))
    reasons: dict[str, str] = {}
    shared: dict[str, set[str]] = {}
    for folder, members in groups.items():
        if len(members) < MIN_ALTERNATIVES:
            continue
        frameworks = ", ".join(sorted(framework for _, framework in members))
        common = set.intersection(*({ref.root for ref in by_path[path]} for path, _ in members))
        for path, _ in members:
            reasons[path] = (
                f"alternative backend module {path}, one of {len(members)} in {folder}/ named after the framework "
                f"each imports ({frameworks}): the user picks one and installs its framework"
            )
            shared[path] = common
    if not reasons:
        return scan
    imports = tuple(_optional(ref, reasons, shared) for ref in scan.imports)
    return scan._replace(imports=imports)


def _provided(ref: ImportRef, runtime: Sequence[frozenset[str]], names: ImportNames) -> bool:
    paths = names.import_paths(ref)
    return any(names.satisfies(provided, path) for provided in runtime for path in paths)


def _optional(ref: ImportRef, reasons: Mapping[str, str], shared: Mapping[str, set[str]]) -> ImportRef:
    reason = reasons.get(ref.location.path)
    if not reason or ref.optional or ref.secondary or ref.root in shared[ref.location.path]:
        return ref
    return ref._replace(optional=True, reason=reason)
