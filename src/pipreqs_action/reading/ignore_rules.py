"""Git's ignore rules for one walk: ``.gitignore`` files, ``.git/info/exclude``, the user's excludes, the index.

Patterns follow git's semantics through ``pathspec.GitIgnoreSpec`` (imported only when some pattern exists: it
costs about 10 ms). Each ignore file applies below its own folder, the deepest one that speaks about a path
decides, and a file git tracks is never hidden by a pattern (``Tracked``, read from ``.git/index`` the first time
a pattern matches). Ignore files also name modules each user creates (``config.py``): see ``load_ignore_file``.

Ignore files come from strangers, so matching must not backtrack: Python's ``re`` takes minutes on
``*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b`` against a 40-character name. Patterns are matched by pathspec's RE2
backend (google-re2: one automaton per file, time linear in the path); where RE2 cannot be imported, patterns
with more than ``MAX_STAR_RUNS_WITHOUT_RE2`` wildcards are refused with a warning instead. A file holds at most
``MAX_PATTERNS`` patterns; one RE2 cannot compile within its memory budget is dropped with a warning.
"""

from __future__ import annotations

import functools
import importlib
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from pipreqs_action.errors import SettingsError
from pipreqs_action.reading.gitindex import tracked_paths
from pipreqs_action.reading.lazy_regex import LazyPattern

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

log = logging.getLogger(__name__)

__all__ = [
    "IgnoreFile",
    "IgnoreLevels",
    "Tracked",
    "compile_exclude",
    "compile_patterns",
    "ignore_file",
    "info_exclude",
    "load_ignore_file",
]

MAX_IGNORE_FILE_BYTES = 1024 * 1024
MAX_PATTERNS = 2000  # the longest real .gitignore files have a few hundred; RE2 compiles 2,000 in ~0.5 s
MAX_STAR_RUNS_WITHOUT_RE2 = 3  # Python's re: *a*a*b costs 12 ms on a 250-character name, *a*a*a*b 0.5 s
_STAR_RUN = LazyPattern(r"\*+")


class CostlyPatternsError(Exception):
    """RE2 could not compile the patterns within its memory budget (thousands of patterns, or hostile ones)."""


@functools.cache
def _re2_error() -> type[Exception] | None:
    """The error class of the RE2 binding, or None where google-re2 cannot be imported (no wheel for the platform)."""
    try:
        module = importlib.import_module("re2")
    except ImportError:
        log.debug("google-re2 is not importable: ignore patterns use Python's re, costly ones are refused")
        return None
    error: type[Exception] = module.error
    return error


def linear_matching() -> bool:
    """Do patterns match in linear time here (RE2), or through Python's backtracking ``re``?"""
    return _re2_error() is not None


class IgnoreFile(NamedTuple):
    """The patterns of one ignore file, which apply to paths under ``base`` (``""`` or ``"a/b/"``)."""

    base: str
    spec: GitIgnoreSpec
    # Without RE2, pathspec's pure-Python matcher tries every pattern in turn (~25 us for a typical 80-line
    # .gitignore); most paths match none, and one alternation of all the patterns' regexes answers that in C.
    # With RE2 (one automaton for all patterns, ~5 us) it is None: a Python regex could backtrack.
    any_match: re.Pattern[str] | None

    def verdict(self, path: str) -> bool | None:
        """True: ignored, False: re-included by ``!``, None: no pattern here speaks about ``path``."""
        relative = path[len(self.base) :]
        if self.any_match is not None and self.any_match.match(relative) is None:
            return None
        return self.spec.check_file(relative).include


IgnoreLevels = tuple[IgnoreFile, ...]  # outermost (lowest precedence) first
_NAMED_GROUP = LazyPattern(r"\(\?P<\w+>")
_ANY_DEPTH = "^(?:.+/)?"


def ignore_file(base: str, spec: GitIgnoreSpec) -> IgnoreFile:
    if linear_matching():
        return IgnoreFile(base, spec, None)
    regexes = [pattern.regex for pattern in spec.patterns if pattern.include is not None and pattern.regex is not None]
    try:
        any_match = _union([_NAMED_GROUP.sub("(?:", regex.pattern) for regex in regexes])
    except (re.error, TypeError):  # an unexpected pattern form only costs the shortcut
        any_match = None
    return IgnoreFile(base, spec, any_match)


def _union(patterns: list[str]) -> re.Pattern[str] | None:
    """One regex matching where any of ``patterns`` matches.

    Most gitignore patterns are "at any depth" and start with the same ``^(?:.+/)?``; sharing that prefix
    means one backtracking pass over the path instead of one per pattern (1.6 us instead of 9 us per path).
    """
    if not patterns:
        return None
    anywhere = [pattern[len(_ANY_DEPTH) :] for pattern in patterns if pattern.startswith(_ANY_DEPTH)]
    anchored = [pattern for pattern in patterns if not pattern.startswith(_ANY_DEPTH)]
    branches = [f"(?:{pattern})" for pattern in anchored]
    if anywhere:
        branches.append(_ANY_DEPTH + "(?:" + "|".join(f"(?:{pattern})" for pattern in anywhere) + ")")
    return re.compile("|".join(branches))


class Tracked(NamedTuple):
    """What git tracks: files, and every folder holding one (an ignored folder holding a tracked file is entered)."""

    files: frozenset[str]
    folders: frozenset[str]  # "a/", "a/b/"

    @classmethod
    def load(cls, git_dir: Path | None) -> Tracked:
        files = tracked_paths(git_dir) if git_dir is not None else None
        if not files:
            return cls(frozenset(), frozenset())
        folders = {path[: index + 1] for path in files for index, char in enumerate(path) if char == "/"}
        return cls(files, frozenset(folders))

    def holds(self, path: str) -> bool:
        return path in self.folders if path.endswith("/") else path in self.files


def _spec_from_lines(lines: Sequence[str]) -> GitIgnoreSpec:
    """pathspec takes about 10 ms to import: a tree without ignore files or exclude patterns never pays it.

    Raises ``ValueError`` for a pattern git would not parse and ``CostlyPatternsError`` when RE2 gives up.
    """
    return _compiled_spec(tuple(lines))


@functools.lru_cache(maxsize=256)
def _compiled_spec(lines: tuple[str, ...]) -> GitIgnoreSpec:
    """Compiled once per process for the same lines: a monorepo's projects are checked one inside another, and each
    check walked and compiled the same ``.gitignore`` files again (autogen: 23 files compiled 50 times, about a
    twentieth of its check). A spec is only read once compiled; a refusal (an exception) is not kept."""
    from pathspec import GitIgnoreSpec

    error = _re2_error()
    if error is None:
        return GitIgnoreSpec.from_lines(lines, backend="simple")
    try:
        return GitIgnoreSpec.from_lines(lines, backend="re2")
    except error as exc:
        raise CostlyPatternsError(f"too many or too complex patterns to match in linear time ({exc})") from exc


def _costly(pattern: str) -> bool:
    """Only without RE2: a pattern whose backtracking could take seconds on a long path."""
    return not linear_matching() and len(_STAR_RUN.findall(pattern)) > MAX_STAR_RUNS_WITHOUT_RE2


def compile_patterns(patterns: Sequence[str]) -> GitIgnoreSpec:
    """The user's own patterns (``exclude``, settings) as one spec; a bad or costly one is an error naming it."""
    from pathspec import GitIgnoreSpec

    for pattern in patterns:
        if _costly(pattern):
            raise SettingsError(
                f"exclude pattern {pattern!r} has more than {MAX_STAR_RUNS_WITHOUT_RE2} wildcards"
                " (install google-re2 to match it in linear time)"
            )
        try:
            GitIgnoreSpec.from_lines([pattern], backend="simple")
        except ValueError as exc:
            raise SettingsError(f"exclude pattern {pattern!r} is invalid: {exc}") from exc
    try:
        return _spec_from_lines(list(patterns))
    except CostlyPatternsError as exc:
        raise SettingsError(f"exclude patterns: {exc}") from exc


def compile_exclude(patterns: Sequence[str]) -> IgnoreFile | None:
    """Compile the user's patterns; a bad one is a settings error that names it."""
    return ignore_file("", compile_patterns(patterns)) if patterns else None


def info_exclude(git_dir: Path | None) -> IgnoreLevels:
    """``.git/info/exclude`` ranks below every ``.gitignore``, so it becomes the outermost level."""
    if git_dir is None:
        return ()
    spec = load_ignore_file(git_dir / "info" / "exclude", ".git/info/exclude")
    return (ignore_file("", spec),) if spec is not None else ()


def load_ignore_file(path: Path, rel: str, modules: list[str] | None = None) -> GitIgnoreSpec | None:
    """Read ignore patterns; a missing, huge or broken file costs its patterns, never the run.

    Git does not follow a symlinked ignore file; neither do we (it could point anywhere). The ``.py`` files
    the patterns name literally are added to ``modules`` (see ``_named_modules``).
    """
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_IGNORE_FILE_BYTES:
            return None
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        log.warning("%s: cannot read ignore patterns: %s", rel, (exc.strerror or str(exc)))
        return None
    if modules is not None:
        modules.extend(_named_modules(lines, rel[: -len(".gitignore")]))
    kept = _bounded_lines(lines, rel)
    if not kept:  # comments only, like git's own template for info/exclude: nothing to compile
        return None
    spec = _compile_ignore_lines(kept, rel)
    return spec if spec is not None and len(spec) else None


def _bounded_lines(lines: list[str], rel: str) -> list[str]:
    """At most ``MAX_PATTERNS`` patterns, none that would backtrack for seconds: each refusal is a warning."""
    kept: list[str] = []
    for line in lines:
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        if _costly(pattern):
            log.warning("%s: ignoring pattern %r: more than %d wildcards", rel, line, MAX_STAR_RUNS_WITHOUT_RE2)
        elif len(kept) == MAX_PATTERNS:
            log.warning("%s: only the first %d patterns are used", rel, MAX_PATTERNS)
            break
        else:
            kept.append(line)
    return kept


_GLOB_CHARS = frozenset("*?[\\")


def _named_modules(lines: list[str], base: str) -> list[str]:
    """Modules a ``.gitignore`` names by a literal ``.py`` pattern (``config.py``, ``/app/secrets.py``).

    Each user writes their own copy of such a file (settings, secrets), so ``import config`` is the project's
    module even though the file is absent from the checkout. A bare name applies at any depth (``**/config.py``).
    """
    found = []
    for line in lines:
        pattern = line.strip()
        if not pattern.endswith(".py") or pattern.startswith(("#", "!")) or _GLOB_CHARS & set(pattern):
            continue
        anchored = "/" in pattern.rstrip("/")
        pattern = pattern.lstrip("/")
        found.append(base + pattern if anchored else f"{base}**/{pattern}")
    return found


def _compile_ignore_lines(lines: list[str], rel: str) -> GitIgnoreSpec | None:
    """Git skips a pattern it cannot parse and keeps the rest; do the same. Patterns RE2 gives up on cost the file."""
    try:
        try:
            return _spec_from_lines(lines)
        except ValueError:
            return _spec_from_lines([line for line in lines if _parsable(line, rel)])
    except CostlyPatternsError as exc:
        log.warning("%s: ignoring the file: %s", rel, exc)
        return None


def _parsable(line: str, rel: str) -> bool:
    """Parsing does not depend on the matcher: Python's re only compiles here, it never matches."""
    from pathspec import GitIgnoreSpec

    try:
        GitIgnoreSpec.from_lines([line], backend="simple")
    except ValueError:
        log.warning("%s: ignoring invalid pattern %r", rel, line)
        return False
    return True
