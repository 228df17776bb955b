"""What a project's own lock file says each locked distribution requires: dependency data that needs no index.

A lock file (``uv.lock``, ``poetry.lock``, ``pdm.lock``) records, for every distribution the project installs, the
exact version and what that version requires, with extras and markers. It is the best answer to "does the declared
``pydis-core[all]`` install ``redis``?": it describes the very releases the project installs (not the newest one,
as the bundled snapshot does), it knows distributions no snapshot holds, and reading it asks no one (``--offline``
included). ``dependency_metadata`` asks it first.

The file is the checked repository's, so untrusted: it is parsed as TOML and never run; a file too big, not
UTF-8 or not TOML is left out with a warning naming it, and the check goes on with the other sources.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from pipreqs_action.pep508 import canonical_name
from pipreqs_action.reading.lazy_regex import LazyPattern

__all__ = ["LOCK_FILES", "Locked", "LockedDependencies", "pep508", "read_lock"]

LOCK_FILES = ("uv.lock", "poetry.lock", "pdm.lock")  # read in this order; the first usable one answers
MAX_BYTES = 32 * 1024 * 1024  # big monorepo locks are a few MB
# A poetry.lock extras entry: "uvicorn[standard] (>=0.12.0)" or "email-validator (>=1.1.1) ; python_version..."
_POETRY_EXTRA_ENTRY = LazyPattern(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?")


class Locked(NamedTuple):
    """One locked distribution: its version and its requirements as PEP 508 strings (``x; extra == "all"``)."""

    version: str
    requires: tuple[str, ...]


class LockedDependencies(NamedTuple):
    """The distributions of one lock file by normalised name (empty when there is none), and why it was not used."""

    file: str = ""
    packages: Mapping[str, Locked] | None = None
    warnings: tuple[str, ...] = ()

    @property
    def known(self) -> Mapping[str, Locked]:
        return self.packages or {}


def read_lock(folder: Path) -> LockedDependencies:
    """The first usable lock file directly in ``folder``, read into requirements per locked distribution."""
    warnings: list[str] = []
    for name in LOCK_FILES:
        path = folder / name
        if not path.is_file():
            continue
        try:
            stat = path.stat()
            packages = _read(str(path), name, stat.st_ino, stat.st_mtime_ns, stat.st_size)
        except OSError as exc:
            warnings.append(
                f"dependency data: {name} cannot be read ({exc.strerror or type(exc).__name__}); it was not used"
            )
            continue
        except ValueError as exc:
            warnings.append(f"dependency data: {name} cannot be read ({exc}); it was not used")
            continue
        if packages:
            return LockedDependencies(name, packages, tuple(warnings))
    return LockedDependencies(warnings=tuple(warnings))


@functools.lru_cache(maxsize=4)
def _read(path: str, name: str, inode: int, mtime_ns: int, size: int) -> Mapping[str, Locked]:
    """One lock file's distributions, parsed once per run: every member of a uv workspace reads the root's lock
    (a big TOML file, ~0.3 s each on a 40-member workspace). Keyed by the file's identity and stamp, so a file
    rewritten in place, or another one at the same path, is read again."""
    del inode, mtime_ns, size  # part of the cache key only
    return _packages(_load(Path(path)), name)


def _load(path: Path) -> dict[str, Any]:
    from pipreqs_action.reading.toml_documents import TOMLDecodeError, loads  # only a project with a lock file needs it

    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValueError(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
        return loads(without_unread_values(path.read_bytes().decode("utf-8")))
    except OSError as exc:
        raise ValueError(exc.strerror or type(exc).__name__) from None
    except UnicodeDecodeError:
        raise ValueError("not UTF-8") from None
    except TOMLDecodeError as exc:
        raise ValueError(f"not TOML: {exc}") from None


def without_unread_values(text: str) -> str:
    """The lock's text without what each locked release's files are (uv's ``wheels`` and ``sdist``, poetry's and
    pdm's ``files``): nothing here reads them, and they are most of a big lock (pydantic-ai's uv.lock: 87 % of
    1.5 MB), so parsing them was most of the time a lock took. Left out only in a ``[[package]]`` table, and only
    as uv, poetry and pdm write them: ``files = [`` on a line, then indented lines of flat inline tables, then ``]``;
    ``sdist = { ... }`` on one line. Anything else, or a text with multi-line strings (where a line may not be what
    it seems), is parsed whole as before."""
    if '"""' in text or "'''" in text:
        return text
    lines = text.split("\n")
    kept: list[str] = []
    table, index = "", 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("["):
            table = line.rstrip()
        elif table == "[[package]]" and line in _UNREAD_ARRAYS:
            end = _array_end(lines, index)
            if end is None:
                return text
            index = end + 1
            continue
        elif table == "[[package]]" and line.startswith(_UNREAD_TABLE) and _flat(line[len(_UNREAD_TABLE) - 1 :]):
            index += 1
            continue
        kept.append(line)
        index += 1
    return "\n".join(kept)


_UNREAD_ARRAYS = ("wheels = [", "files = [")
_UNREAD_TABLE = "sdist = {"
# Strings and comments of a TOML line (a basic string with its escapes, a literal one), blanked before brackets
# are counted; an inline table holding no other table or array.
_STRINGS = LazyPattern(r"\"[^\"\\\n]*(?:\\.[^\"\\\n]*)*\"|'[^'\n]*'|#[^\n]*")
_FLAT_TABLE = LazyPattern(r"\{[^{}\[\]\n]*\}")


def _array_end(lines: Sequence[str], start: int) -> int | None:
    """The line closing the array opened on line ``start``: the first line not indented, which must be ``]``, with
    only flat inline tables between (so no bracket closes the array earlier); None otherwise."""
    end = start + 1
    while end < len(lines) and lines[end][:1] in (" ", "\t"):
        end += 1
    if end == len(lines) or lines[end] != "]":
        return None
    return end if _flat("\n".join(lines[start + 1 : end]), whole=False) else None


def _flat(code: str, *, whole: bool = True) -> bool:
    """Whether ``code`` is one flat inline table (``whole``), or holds no bracket outside flat inline tables."""
    bare = _STRINGS.sub("", code).rstrip()
    if whole:
        return _FLAT_TABLE.fullmatch(bare) is not None
    rest = _FLAT_TABLE.sub("", bare)
    return not any(sign in rest for sign in "[]{}")


def _packages(data: Mapping[str, Any], file: str) -> dict[str, Locked]:
    """Every ``[[package]]`` entry; one name locked at several versions (uv's forks) unites their requirements."""
    entries = data.get("package")
    read = {"uv.lock": _uv_requires, "poetry.lock": _poetry_requires, "pdm.lock": _pdm_requires}[file]
    found: dict[str, tuple[str, list[str]]] = {}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        key = canonical_name(entry["name"])
        version = _text(entry.get("version"))
        first_version, requires = found.setdefault(key, (version, []))
        requires.extend(item for item in read(entry) if item not in requires)
        if not first_version:
            found[key] = (version, requires)
    return {key: Locked(version, tuple(requires)) for key, (version, requires) in found.items()}


def _uv_requires(entry: Mapping[str, Any]) -> list[str]:
    """``dependencies = [{ name = "a", extra = ["x"], marker = "..." }]`` and ``[package.optional-dependencies]``."""
    found = [_requirement(item, "") for item in _list(entry.get("dependencies"))]
    optional = entry.get("optional-dependencies")
    for extra, items in optional.items() if isinstance(optional, dict) else ():
        found.extend(_requirement(item, str(extra)) for item in _list(items))
    return [item for item in found if item]


def _requirement(item: object, extra: str) -> str:
    """A uv dependency table as a PEP 508 string; "" when it names nothing."""
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        return ""
    extras = [str(name) for name in _list(item.get("extra"))]
    return pep508(item["name"], extras, _text(item.get("marker")), extra)


def _poetry_requires(entry: Mapping[str, Any]) -> list[str]:
    """``[package.dependencies]`` (those marked ``optional`` come only through ``[package.extras]``) and extras."""
    found = []
    dependencies = entry.get("dependencies")
    for name, spec in dependencies.items() if isinstance(dependencies, dict) else ():
        for one in spec if isinstance(spec, list) else [spec]:  # several constraints for several markers
            table = one if isinstance(one, dict) else {}
            if table.get("optional") is True:
                continue
            extras = [str(extra) for extra in _list(table.get("extras"))]
            found.append(pep508(str(name), extras, _text(table.get("markers")), ""))
    optional = entry.get("extras")
    for extra, items in optional.items() if isinstance(optional, dict) else ():
        for text in _list(items):
            match = _POETRY_EXTRA_ENTRY.match(str(text))
            if match:
                extras = [part.strip() for part in (match[2] or "").strip("[]").split(",") if part.strip()]
                found.append(pep508(match[1], extras, "", str(extra)))
    return found


def _pdm_requires(entry: Mapping[str, Any]) -> list[str]:
    """pdm locks ``name[extra]`` as an entry of its own (``extras = ["standard"]``) whose dependencies are that
    extra's (and, first, the distribution itself, which is not a requirement of its own)."""
    extras = [str(extra) for extra in _list(entry.get("extras"))]
    own = canonical_name(str(entry.get("name", "")))
    found: list[str] = []
    for text in _list(entry.get("dependencies")):
        head, _, marker = str(text).partition(";")
        match = _POETRY_EXTRA_ENTRY.match(head)
        if not match or (extras and canonical_name(match[1]) == own):
            continue
        inner = [part.strip() for part in (match[2] or "").strip("[]").split(",") if part.strip()]
        found.extend(pep508(match[1], inner, marker.strip(), extra) for extra in extras or [""])
    return found


def pep508(name: str, extras: Sequence[str], marker: str, extra: str) -> str:
    """``name[extras]; marker``, with ``extra == "x"`` added when it comes only with the locked project's extra."""
    head = name + (f"[{','.join(sorted(extras))}]" if extras else "")
    conditions = [f"({marker})" if marker and extra else marker, f'extra == "{extra}"' if extra else ""]
    joined = " and ".join(part for part in conditions if part)
    return f"{head}; {joined}" if joined else head


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []
