"""Guards one local import away: a module the package imports only under a guard has optional imports itself.

structlog writes ``try: from ._greenlets import GreenThreadLocal`` / ``except ImportError: ...`` in threadlocal.py,
and ``_greenlets.py`` imports greenlet at its top level: greenlet is optional, because the only way the package
runs that import is inside the guard. Likewise its ``__init__.py`` does ``try: from structlog import twisted``:
the Twisted integration's own imports are as optional as that guard says.

Per file, ``guarded_local_imports`` finds the imports of the project's own packages that sit under a guard
(``except ImportError``, ``contextlib.suppress``, ``find_spec``, an availability flag, a deferred-import ``with``:
whatever ``guards`` calls a guard), with the modules each may name, and the file's other package imports
(``unguarded``). ``reachability`` then follows both graphs from the entry points: a module reached, but never
without crossing a guard, is reached only through it.

Imports under ``if TYPE_CHECKING:`` are set apart the same way (``typing``): they never run, so a module the entry
points reach only through them (a ``types/`` package of TypedDicts) is typing-only: ``reachability.typing_only``.

Only packages are judged (``reachability.Packages``: a library's top-level packages), and only statements that
are indented (a top-level statement has no enclosing guard); files that mention no guard word cost nothing.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

from pipreqs_action.app_code.reachability import Packages, package_imports
from pipreqs_action.imports.blocks import Blocks
from pipreqs_action.intent.deferred_imports import SEARCH_WORDS
from pipreqs_action.intent.guards import EXCEPT_IMPORT_ERROR, is_guard_reason
from pipreqs_action.intent.install_hints import GuardEvidence, evidence_at
from pipreqs_action.model import ImportRef
from pipreqs_action.reading.line_search import line_matches

__all__ = [
    "GuardedImport",
    "LocalImports",
    "absolute_imports",
    "application_guards",
    "guarded_by",
    "guarded_local_imports",
    "indented_package_imports",
    "package_imports_but",
    "statement_at",
    "typed_by",
]

_GUARD_WORDS = ("except", "suppress", "find_spec", "available", "_has_", "HAS_", "TYPE_CHECKING", *SEARCH_WORDS)
_INDENTED_IMPORT = re.compile(  # one line, holding "import": searched with line_matches
    r"^(?P<indent>[ \t]+)(?:from[ \t]+(?P<from>\.*[\w.]*)[ \t]+import\b|import[ \t]+(?P<mod>[\w.]+))", re.M
)


class GuardedImport(NamedTuple):
    """An import of the project's own modules under a guard: where, the guard's reason, the modules it may name.

    A ``try`` guard is ``explicit`` when a handler names ImportError (any other guard, ``suppress``, ``find_spec``, a
    flag, is explicit too); one caught only by a broad handler (``except:``, ``except Exception``) is not, and
    ``hint`` is then the line of the install hint its handler gives (``install_hints``), 0 for none."""

    line: int
    reason: str
    modules: tuple[str, ...]
    explicit: bool = True
    hint: int = 0


class LocalImports(NamedTuple):
    """One file's imports of the project's packages, split: under a guard, under ``if TYPE_CHECKING:`` (never run),
    and all the others."""

    guarded: tuple[GuardedImport, ...] = ()
    unguarded: tuple[str, ...] = ()
    typing: tuple[str, ...] = ()

    def run_time(self) -> tuple[str, ...]:
        """The modules this file may import when it runs: every one but those under ``if TYPE_CHECKING:``."""
        return (*self.unguarded, *(module for item in self.guarded for module in item.modules))


def guarded_local_imports(
    text: str, rel: str, modules: Sequence[tuple[str, int, tuple[str, ...]]], packages: Packages
) -> LocalImports | None:
    """The file's guarded imports of the project's packages, and the modules its other statements import; None
    when nothing is guarded (then every edge of ``package_imports`` is unguarded).

    ``modules`` are the file's absolute imports (module, line, names), as ``package_imports`` takes them.
    """
    if not packages.names or not any(word in text for word in _GUARD_WORDS):
        return None
    blocks: Blocks | None = None
    tree: ast.Module | None = None
    guarded: list[GuardedImport] = []
    typing: dict[int, tuple[str, ...]] = {}  # line -> modules, of the imports under `if TYPE_CHECKING:`
    for index, indent in indented_package_imports(text, packages):
        blocks = blocks or Blocks(text)
        context = blocks.context_at(index, indent)
        if context is None or not (context.type_only or (context.optional and is_guard_reason(context.reason))):
            continue
        statement = statement_at(blocks.lines, index)
        named = package_imports(statement, rel, absolute_imports(statement), packages)
        if named and context.type_only:
            typing[index + 1] = named
        elif named and context.reason == EXCEPT_IMPORT_ERROR:
            tree = tree or _parsed(text)
            evidence = evidence_at(tree, index + 1) if tree else GuardEvidence()
            guarded.append(GuardedImport(index + 1, context.reason, named, evidence.explicit, evidence.hint))
        elif named:
            guarded.append(GuardedImport(index + 1, context.reason, named))
    if not guarded and not typing:
        return None
    others = package_imports_but(text, rel, modules, packages, {item.line for item in guarded} | set(typing))
    typed = tuple(dict.fromkeys(module for named in typing.values() for module in named))
    return LocalImports(tuple(guarded), others, typed)


def indented_package_imports(text: str, packages: Packages) -> Iterator[tuple[int, int]]:
    """(line index, indent width) of each indented import of the project's packages, relative ones too: the only
    imports that can sit under a guard or inside a function."""
    index, counted = 0, 0  # line of the last match and where counting stopped: each newline is counted once
    for match in line_matches(_INDENTED_IMPORT, text, "import"):
        target = match["from"] or match["mod"] or ""
        if not target.startswith(".") and target.partition(".")[0] not in packages.names:
            continue
        index += text.count("\n", counted, match.start())
        counted = match.start()
        yield index, len(match["indent"])


def package_imports_but(
    text: str, rel: str, modules: Sequence[tuple[str, int, tuple[str, ...]]], packages: Packages, lines: set[int]
) -> tuple[str, ...]:
    """The project modules the file may import (``package_imports``) but for the statements starting on ``lines``
    (1-based). ``modules`` are the file's absolute imports (module, line, names)."""
    kept = "\n".join("" if number in lines else line for number, line in enumerate(text.split("\n"), 1))
    others = [(module, names) for module, line, names in modules if line not in lines]
    return package_imports(kept, rel, others, packages)


def _parsed(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def statement_at(lines: list[str], index: int) -> str:
    """The statement starting on line ``index``, dedented, its bracketed continuation lines followed."""
    parts = [lines[index].strip()]
    depth = parts[0].count("(") - parts[0].count(")")
    while (depth > 0 or parts[-1].endswith("\\")) and index + len(parts) < len(lines):
        following = lines[index + len(parts)]
        depth += following.count("(") - following.count(")")
        parts.append(following.strip())
    return "\n".join(parts)


def absolute_imports(statement: str) -> list[tuple[str, tuple[str, ...]]]:
    """(module, names) of an absolute import statement; nothing for a relative one or one that does not parse."""
    try:
        node = ast.parse(statement.partition(";")[0]).body[0]
    except (SyntaxError, ValueError, IndexError):
        return []
    if isinstance(node, ast.Import):
        return [(alias.name, ()) for alias in node.names]
    if isinstance(node, ast.ImportFrom) and not node.level and node.module:
        return [(node.module, tuple(alias.name for alias in node.names))]
    return []


def application_guards(local: Mapping[str, LocalImports]) -> dict[str, LocalImports]:
    """An application's guarded imports of its own modules that state an optional feature: those under an explicit
    guard, and those under a broad ``except`` whose handler tells how to install what is missing (the reason then
    names the hint). An application wraps a plugin's import in a bare ``except:`` to survive any failure of it, so
    such an import without a hint is an ordinary one here (``install_hints``)."""
    found: dict[str, LocalImports] = {}
    for path, imports in local.items():
        kept = [item for item in imports.guarded if item.explicit or item.hint]
        ordinary = [module for item in imports.guarded if not (item.explicit or item.hint) for module in item.modules]
        hinted = [item if item.explicit else item._replace(reason=_hinted(item, path)) for item in kept]
        if hinted:
            unguarded = tuple(dict.fromkeys((*imports.unguarded, *ordinary)))
            found[path] = imports._replace(guarded=tuple(hinted), unguarded=unguarded)
    return found


def _hinted(item: GuardedImport, path: str) -> str:
    return f"guarded by a broad except whose handler says how to install it ({path}:{item.hint})"


def guarded_by(refs: Iterable[ImportRef], reasons: Mapping[str, str]) -> Iterable[ImportRef]:
    """The imports, those of a module reached only through a guard made optional with that guard's reason."""
    for ref in refs:
        reason = reasons.get(ref.location.path)
        if reason and not ref.optional and not ref.secondary:
            yield ref._replace(optional=True, reason=reason)
        else:
            yield ref


def typed_by(refs: Iterable[ImportRef], reasons: Mapping[str, str]) -> Iterable[ImportRef]:
    """The imports, those of a typing-only module (reached only through ``if TYPE_CHECKING:``) made type-only with
    the reason: only type checkers ever run them."""
    for ref in refs:
        reason = reasons.get(ref.location.path)
        if reason and not (ref.optional or ref.type_only or ref.secondary):
            yield ref._replace(type_only=True, reason=reason)
        else:
            yield ref
