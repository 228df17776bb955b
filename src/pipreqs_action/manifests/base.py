"""What every manifest reader shares: safe reading of untrusted files, and the ``Manifest`` each reader fills.

A reader never imports, runs or installs anything from the checked tree, never follows a path out of it, and never
fills ``${VAR}`` from the process environment (a runner's secrets must not reach a report). Each reader returns a
``Manifest``: the runtime and development declarations of one file, per table, with the problems it met, so the
finder can combine several files and say what each contributed.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipreqs_action.model import DeclaredBy, Location, Requirement, Skipped
from pipreqs_action.pep508 import InvalidRequirement, canonical_name, parse
from pipreqs_action.pep508 import Requirement as Pep508

MAX_BYTES = 5 * 1024 * 1024  # a manifest is a few KB; anything this big is junk we should not parse
MAX_REASON = 200  # parser messages quote the offending line, which may be arbitrarily long
# UTF-32 first: its little-endian BOM starts with the UTF-16 one. The codecs named here consume the BOM.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Names of extras, dependency groups and requirements files that hold development tools, not the app's needs.
# A whole word of the name (``test``, ``requirements-docs.txt``, ``py311-lint``), never a part of one: ``devices``,
# ``latest``, ``doctr`` and ``bonus`` are features. Any other name is an optional feature the app may import.
_DEV_WORDS = (
    "dev|devel|develop|development|devtools|tooling|test|tests|testing|unittest|unittests|pytest|e2e|fuzz|fuzzing|"
    "lint|linting|linters|doc|docs|documentation|sphinx|mkdocs|ci|typing|mypy|types|stubs|style|codestyle|format|"
    "formatting|qa|check|checks|coverage|bench|benchmark|benchmarks|profiling|tox|nox|build|release|"
    "pre-commit|pre_commit|precommit|gha|github-actions|actions"
)
_DEV_NAME = re.compile(rf"(?:^|[-_./])(?:{_DEV_WORDS})(?:[-_./]|\d|$)", re.IGNORECASE)


class Unreadable(Exception):
    """A file could not be used; the message says why, without the path (the caller knows where it came from)."""


def is_dev_name(name: str) -> bool:
    """Whether an extra, group or file name says "development" (``dev``, ``test``, ``requirements-docs.txt``)."""
    return bool(_DEV_NAME.search(name))


class Manifest:
    """The declarations of one manifest file, as read: runtime, extras (optional features) and development."""

    def __init__(self, file: str, kind: str) -> None:
        self.file = file
        self.kind = kind
        self.requirements: list[Requirement] = []
        self.extras: dict[str, list[Requirement]] = {}
        self.dev: list[Requirement] = []
        self.constraints: list[Requirement] = []
        self.commented: list[Requirement] = []
        self.problems: list[Skipped] = []
        self.contributions: list[DeclaredBy] = []
        self.sources: list[str] = []  # files read, includes too, in reading order
        self.project_name = ""  # the distribution this manifest builds, when it says
        self.tool = ""  # the installer that manages it (uv, poetry, pdm, pipenv), for the command that adds a package
        self.workspace: list[str] = []  # member folders of a uv workspace rooted here
        self.installed: list[Requirement] = []  # pip-installed by an environment file's commands

    def add(self, table: str, found: list[Requirement], *, dev: bool = False, extra: str = "") -> None:
        """One table's entries; an empty table is still a declaration, so it is counted as one."""
        if dev:
            self.dev.extend(found)
        elif extra:
            self.extras.setdefault(extra, []).extend(found)
        else:
            self.requirements.extend(found)
        self.contributions.append(DeclaredBy(self.file, table, len(found), dev))

    def install(self, file: str, table: str, found: list[Requirement]) -> None:
        """Names an environment file's commands install (a Dockerfile's ``RUN pip install``): they satisfy imports
        but are not the project's declarations, so they are never unused and never take the fix."""
        self.installed.extend(found)
        self.contributions.append(DeclaredBy(file, table, len(found)))

    def unusable(self, table: str, reason: str) -> None:
        self.contributions.append(DeclaredBy(self.file, table, 0, unusable=reason[:MAX_REASON]))

    def problem(self, location: Location, reason: str) -> None:
        self.problems.append(Skipped(str(location), reason[:MAX_REASON]))

    @property
    def declares(self) -> bool:
        return any(not item.unusable for item in self.contributions)


def lexical(base: Path, given: Path | str) -> Path:
    """Join and normalise without touching the disk, so labels and includes follow what is written (like pip)."""
    return Path(os.path.normpath(base / given))


def real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop on Python < 3.13
        raise Unreadable(f"cannot resolve path ({exc})") from None


def present(path: Path) -> bool:
    """Whether a name exists at all (even a broken symlink), so that reading it reports what is wrong with it."""
    try:
        path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True


def load_text(real_path: Path, fence: Path | None) -> str:
    """The decoded text of a file, refusing what is not a small regular file inside the fence."""
    if fence is not None and not real_path.is_relative_to(fence):
        raise Unreadable("points outside the checked tree")
    try:
        if not real_path.is_file():  # a directory, FIFO or device: reading could fail or block forever
            raise Unreadable("not a regular file" if real_path.exists() else "file not found")
        if real_path.stat().st_size > MAX_BYTES:
            raise Unreadable(f"larger than {MAX_BYTES // (1024 * 1024)} MiB")
        data = real_path.read_bytes()
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from None
    return decode(data)


def decode(data: bytes) -> str:
    """UTF-8 unless a BOM says otherwise: pip would use the locale's encoding, which differs between machines."""
    codec = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise Unreadable(f"not UTF-8 or UTF-16 text ({exc.reason} at byte {exc.start})") from None
    if "\x00" in text:
        raise Unreadable("binary file (contains NUL bytes)")
    return text


def short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def load_toml(path: Path, manifest: Manifest, fence: Path | None) -> tuple[dict[str, Any], Lines] | None:
    """A TOML manifest's data and its line finder; None, with the manifest marked unusable and why, when the file
    cannot be read or parsed (Pipfile and pyproject.toml alike)."""
    from pipreqs_action.reading.toml_documents import TOMLDecodeError, loads  # only for a project with a TOML manifest

    try:
        text = load_text(real(path), fence)
        data = loads(text)
    except (Unreadable, TOMLDecodeError) as exc:
        manifest.unusable("", message(exc))
        return None
    except RecursionError:  # tomllib recurses once per nesting level: a hostile file nests thousands deep
        manifest.unusable("", "nested too deeply to read")
        return None
    manifest.sources.append(manifest.file)
    return data, Lines(text, manifest.file)


def toml_data(path: Path, fence: Path) -> dict[str, Any] | None:
    """A TOML file's data for a rule that only consults it; None when it is absent, unreadable or malformed (its
    manifest reader is the one that reports why)."""
    if not path.is_file():
        return None
    from pipreqs_action.reading.toml_documents import TOMLDecodeError, loads  # only for a TOML file (start-up)

    try:
        return loads(load_text(real(path), fence))
    except (Unreadable, TOMLDecodeError, RecursionError):
        return None


def message(error: Exception | str) -> str:
    """First line of a parser message: packaging appends the line and a caret marker on the next ones."""
    lines = str(error).strip().splitlines() or [type(error).__name__]
    for prefix in ("Invalid requirement:", "pip_requirements_parser: error:"):
        lines[0] = lines[0].removeprefix(prefix)
    return lines[0].strip(" :")


def from_pep508(req: Pep508, location: Location, line: str) -> Requirement:
    return Requirement(
        name=req.name,
        key=canonical_name(req.name),
        location=location,
        line=line,
        specifier=req.specifier,
        extras=tuple(sorted(req.extras)),
        marker=req.marker or "",
        url=req.url or "",
    )


def table(data: Any, *keys: str) -> dict[str, Any]:
    """A nested table (TOML, YAML, INI), or {} when any level is missing or not a table (the file is untrusted)."""
    for key in keys:
        value = data.get(key) if isinstance(data, dict) else None
        data = value if isinstance(value, dict) else {}
    return data if isinstance(data, dict) else {}


class Lines:
    """Finds the line of a value: TOML, INI and YAML parsers give no positions (or not for list items), and a
    finding should point at the line to edit."""

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.lines = text.split("\n")  # the file's own line ends, as editors count them

    def find(self, pattern: str, start: int = 0) -> int:
        """Index of the first line at or after ``start`` matching ``pattern``; ``start`` when there is none."""
        rx = re.compile(pattern)
        return next((i for i in range(start, len(self.lines)) if rx.search(self.lines[i])), start)

    def key(self, name: str, start: int) -> int:
        """The line of ``name = ...`` or ``name: ...`` (the name quoted or not), as ``key_pattern`` finds it."""
        if not name or name != name.strip() or name[0] in _QUOTES:
            return self.find(key_pattern(name), start)
        return next((i for i in range(start, len(self.lines)) if _is_key_line(self.lines[i], name)), start)

    def header(self, name: str) -> int:
        """The line of a TOML table header ``[a.b]`` (also written ``[ a . "b" ]``)."""
        parts = r"\s*\.\s*".join(rf"[\"']?{re.escape(part)}[\"']?" for part in name.split("."))
        return self.find(rf"^\s*\[\s*{parts}\s*\]")

    def location(self, index: int) -> Location:
        return Location(self.file, index + 1)

    def pep508_list(
        self, values: Any, start: int, manifest: Manifest, rewrite: Callable[[str], str] | None = None
    ) -> list[Requirement]:
        """PEP 508 strings of a list, each at its own line; a bad one is a problem, the others are kept.
        ``rewrite`` turns an entry as written into the requirement it stands for (a build plugin's template)."""
        found: list[Requirement] = []
        for value in values if isinstance(values, list) else []:
            if not isinstance(value, str):
                continue  # a PEP 735 {include-group = ...} table; handled by its reader
            start = self._value_line(value.strip(), start)
            requirement = pep508(rewrite(value) if rewrite else value, self.location(start), manifest)
            if requirement is not None:
                found.append(requirement)
        return found

    def _value_line(self, text: str, start: int) -> int:
        """``find(value_pattern(text), start)``, with string methods: a pattern made for each value was compiled
        for each value (flask's pyproject.toml: 70 patterns, a tenth of its check's instructions)."""
        return next((i for i in range(start, len(self.lines)) if _holds_value(self.lines[i], text)), start)


# Each ``Lines`` search below is written with string methods for speed and means exactly its pattern (a test compares
# them on generated lines); ``\s`` and ``str.strip`` take the same characters for whitespace.
_QUOTES = ("'", '"')


def key_pattern(name: str) -> str:
    """``name`` at a line's start, perhaps quoted, before ``=`` or ``:``: a TOML, INI or YAML key."""
    return rf"^\s*[\"']?{re.escape(name)}[\"']?\s*[=:]"


def _is_key_line(line: str, name: str) -> bool:
    """Whether ``key_pattern(name)`` matches ``line``; ``name`` is not empty and has no edge whitespace."""
    head = line.lstrip()
    head = head[1:] if head[:1] in _QUOTES else head  # the name starts with neither a quote nor whitespace
    if not head.startswith(name):
        return False
    rest = head[len(name) :]
    rest = (rest[1:] if rest[:1] in _QUOTES else rest).lstrip()
    return rest[:1] in ("=", ":")


def value_pattern(value: str) -> str:
    """A value as TOML and Python quote it, as a YAML list item, or bare on its line or after its key (INI)."""
    text = re.escape(value.strip())
    return rf"[\"']{text}[\"']|^\s*(?:-\s*)?{text}\s*(?:[#;].*)?$|[=:]\s*{text}\s*$"


def _holds_value(line: str, text: str) -> bool:
    """Whether ``value_pattern(text)`` matches ``line``; ``text`` has no edge whitespace (a stripped value)."""
    size = len(text)
    at = line.find(text)
    if at < 0:
        return False
    while at >= 0:  # quoted: ["']text["']
        if at and line[at - 1] in _QUOTES and line[at + size : at + size + 1] in _QUOTES:
            return True
        at = line.find(text, at + 1)
    head = line.lstrip()  # bare on its line, or a list item: ^\s*(-\s*)?text\s*([#;].*)?$
    for item in (head, head[1:].lstrip()) if head[:1] == "-" else (head,):
        if item.startswith(text) and item[size:].lstrip()[:1] in ("", "#", ";"):
            return True
    end = line.rstrip()  # after a key: [=:]\s*text\s*$
    return end.endswith(text) and end[: len(end) - size].rstrip()[-1:] in ("=", ":")


def pep508(value: str, location: Location, manifest: Manifest) -> Requirement | None:
    try:
        return from_pep508(parse(value.strip()), location, value.strip())
    except InvalidRequirement as exc:
        manifest.problem(location, f"{short(value)}: {message(exc)}")
        return None
