"""Helpers of an application that nothing runs: modules of its own packages that no entry point ever reaches.

A training repository keeps ``util/plot_utils.py`` ("Plotting utilities to visualize training logs") beside the
``util/misc.py`` its training script imports. No file imports it: it is used by hand, from a notebook kept
elsewhere, so pandas and seaborn, which only it imports, are not what the app needs to run. Folder names cannot
tell such a module from the app's code, so the imports are followed, as for a library's optional integrations
(``reachability``), from the application's entry points: its files outside packages (scripts, notebooks), and
each package's ``__init__.py`` and ``__main__.py``.

A module is judged unreached only when all of these hold, so that an entry point nobody imports stays the app's:
- the repository is an application (a library, with a packaging manifest at the root, is ``reachability``'s), and
  some of its files outside packages import its packages: its entry points are known;
- the module is inside a package folder (with an ``__init__.py``) that those entry points do use (they reach
  another of its modules), and is neither ``__init__.py`` nor ``__main__.py``;
- it is no script (``if __name__ == "__main__":``) that some text of the tree names: such a script is an entry
  point of its own; one that nothing names is the maintainers' tooling or a module's self-test (``unnamed_scripts``,
  whose reason it then gets);
- nothing reaches it by import, nor by a loader naming it (``import_module("app.tasks")``), and no other file of
  the tree, nor a file at the root (README, Dockerfile, Procfile, configuration), names it or a package above it
  by its dotted name or its path (``uvicorn app.main:app``, ``python -m util.plot_utils``, Django's
  ``"mysite.settings"`` and ``INSTALLED_APPS = ["polls"]``): whatever is named may be run by name. A commented-out
  import names nothing: it is the author's own word that the module is switched off (``commented_imports``), and the
  reason then cites it.
Its imports are then secondary code, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from pipreqs_action.app_code.reachability import Packages, entry_files, reach

__all__ = ["SCRIPT", "mention_pattern", "mentioned_modules", "unreached_helpers"]

SCRIPT = re.compile(r"""^if\s+__name__\s*==\s*['"]__main__['"]\s*:""", re.MULTILINE)


def mention_pattern(packages: Packages) -> re.Pattern[str] | None:
    """What names a module of the project in any text: a dotted name or a path starting with one of its packages
    (``util.plot_utils``, ``app.main:app``, ``util/plot_utils.py``); None without packages."""
    if not packages.names:
        return None
    names = "|".join(sorted(map(re.escape, packages.names)))
    return re.compile(rf"(?<![\w.])(?:{names})(?:[./][A-Za-z_]\w*)+|(?<=[\"'])(?:{names})(?=[\"'])")


def mentioned_modules(text: str, pattern: re.Pattern[str] | None, own: str = "") -> tuple[str, ...]:
    """The dotted names a text mentions (paths turned into dotted names), but the module ``own`` itself."""
    if pattern is None:
        return ()
    found = {match.removesuffix(".py").replace("/", ".") for match in pattern.findall(text)}
    return tuple(sorted(name for name in found if not own or (name != own and not name.startswith(f"{own}."))))


def unreached_helpers(
    paths: Sequence[str],
    edges: Mapping[str, Sequence[str]],
    *,
    packages: Packages,
    app_code: Iterable[str],
    scripts: Iterable[str],
    mentioned: Iterable[str],
    commented: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Files of an application's packages that nothing runs (see the module's docstring), with the reason.

    ``edges`` maps a file to the project modules it may import (``reachability.package_imports``); ``scripts`` are
    the files with an ``if __name__ == "__main__":`` block that are entry points; ``mentioned`` the dotted names other
    files name, but in commented-out imports; ``commented`` the modules those name, with where
    (``commented_imports``)."""
    app, files = set(app_code), set(paths)
    if not any(packages.module_of(path) is None and edges.get(path) for path in app):
        return {}
    reached = reach(entry_files(app, packages, ()), edges, packages, files)
    in_use = {path.rpartition("/")[0] for path in reached if not path.endswith("/__init__.py")}
    named = set(mentioned)
    apart = set(scripts)
    found: dict[str, str] = {}
    for path in sorted(app - reached - apart):
        module = packages.module_of(path)
        folder, _, name = path.rpartition("/")
        if module is None or name in ("__init__.py", "__main__.py") or not name.endswith(".py"):
            continue
        if folder in in_use and not _named(module, named):
            found[path] = _reason(path, (commented or {}).get(module))
    return found


def _reason(path: str, commented: str | None) -> str:
    if commented:
        return f"{path}, which nothing in the app imports, runs or names (its import at {commented} is commented out)"
    return f"{path}, which nothing in the app imports, runs or names (a helper no entry point reaches)"


def _named(module: str, mentioned: set[str]) -> bool:
    """Whether some text names the module, something inside it (``util.plot_utils.plot_logs``) or a package above
    it (Django's ``INSTALLED_APPS = ["polls"]`` loads ``polls/admin.py`` by convention)."""
    parts = module.split(".")
    above = {".".join(parts[:depth]) for depth in range(1, len(parts))}
    return module in mentioned or bool(above & mentioned) or any(name.startswith(f"{module}.") for name in mentioned)
