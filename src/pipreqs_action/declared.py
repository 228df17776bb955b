"""Read what a project declares (requirements files or pyproject.toml) without installing or running anything.

Requirements files are understood by pip's own line machinery from ``pip-requirements-parser`` (continuations,
comments, options, ``-e``, URLs, hashes) and ``packaging`` (names, specifiers, markers). Its file-level entry point
is not used, because for files from an untrusted repository it falls short: it decodes with the locale's encoding,
does not expand ``${VAR}`` as pip does, and crashes (or recurses forever) on a missing or cyclic ``-r`` include.
So this module reads and decodes each file itself, follows includes itself, and hands pip's code one logical line
at a time. The library costs ~50 ms to import, so it is imported only when a requirements file is read.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as Pep508
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import (
    InvalidName,
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)

from pipreqs_action.errors import RequirementsError
from pipreqs_action.model import Declared, Location, Requirement, Skipped

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

logger = logging.getLogger(__name__)

_MAX_BYTES = 5 * 1024 * 1024  # a requirements file is a few KB; anything this big is junk we should not parse
_MAX_REASON = 200  # parser messages quote the offending line, which may be arbitrarily long
_ENV_VAR = re.compile(r"\$\{([A-Z0-9_]+)\}")  # pip's own rule: only ${UPPER_CASE_NAME} is expanded
# UTF-32 first: its little-endian BOM starts with the UTF-16 one. The codecs named here consume the BOM.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ARCHIVE_SUFFIXES = (".git", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar", ".whl")


_Secrets = list[tuple[str, str]]  # (expanded value, "${NAME}") pairs of one line


class _Unreadable(Exception):
    """A file could not be used; the message says why, without the path (the caller knows where it came from)."""


def read_declared(root: Path, requirement_files: Sequence[Path] = ()) -> Declared:
    """Read the given requirements files, else requirements.txt, else pyproject.toml dependencies."""
    base = _lexical(root.absolute(), ".")
    if requirement_files:
        return _read_requirement_files(base, requirement_files)
    default = base / "requirements.txt"
    if _present(default):
        return _read_requirement_files(base, [Path("requirements.txt")])
    return _read_pyproject(base) or Declared(requirements=())


def _read_requirement_files(root: Path, files: Sequence[Path]) -> Declared:
    reader = _Reader(root)
    for given in files:
        path = _lexical(root, given)
        inside = path.is_relative_to(root)
        label = path.relative_to(root).as_posix() if inside else str(given)
        try:
            # A file in the checked tree must not lead us (by symlink or include) to read outside it.
            reader.read(path, label, constraint=False, fence=_real(root) if inside else None)
        except _Unreadable as exc:
            raise RequirementsError(f"requirements: {label}: {exc}") from None
    return reader.result()


@dataclass
class _Reader:
    """Walks requirements files depth first, like pip: an included file's lines come where the ``-r`` is."""

    root: Path
    requirements: list[Requirement] = field(default_factory=list)
    constraints: list[Requirement] = field(default_factory=list)
    problems: list[Skipped] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    done: set[tuple[Path, bool]] = field(default_factory=set)
    reading: list[Path] = field(default_factory=list)

    def result(self) -> Declared:
        return Declared(
            requirements=tuple(self.requirements),
            sources=tuple(self.sources),
            problems=tuple(self.problems),
            constraints=tuple(self.constraints),
        )

    def read(self, path: Path, label: str, *, constraint: bool, fence: Path | None) -> None:
        real = _real(path)
        if real in self.reading:
            raise _Unreadable("include cycle (the file is already being read)")
        if (real, constraint) in self.done:
            return  # included twice without a cycle (a diamond): its lines are already counted
        text = _load_text(real, fence)
        self.done.add((real, constraint))
        self.sources.append(label)
        self.reading.append(real)
        try:
            for number, raw in _logical_lines(text):
                self._line(path, Location(label, number), raw, constraint, fence)
        finally:
            self.reading.pop()
        logger.debug("read %s", label)

    def _line(self, path: Path, location: Location, raw: str, constraint: bool, fence: Path | None) -> None:
        expanded, secrets = _expand_env(raw)
        for item in _parse_line(expanded):
            if isinstance(item, dict):
                self._include(path, location, item, fence, secrets)
                continue
            if not isinstance(item, str):
                item = _requirement(item, location, _requirement_text(raw, expanded), secrets)
            if isinstance(item, str):
                self._note(location, f"{_short(raw)}: {item}", secrets)
            else:
                (self.constraints if constraint else self.requirements).append(item)

    def _include(
        self, parent: Path, where: Location, options: dict[str, list[str]], fence: Path | None, secrets: _Secrets
    ) -> None:
        targets = [(t, False) for t in options.get("requirements", [])]
        targets += [(t, True) for t in options.get("constraints", [])]
        for target, constraint in targets:
            if len(urlsplit(target).scheme) > 1:  # one letter is a Windows drive
                self._note(where, f"include {target!r}: remote files are not fetched", secrets)
                continue
            path = _lexical(parent.parent, target)
            label = path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else path.as_posix()
            try:
                self.read(path, label, constraint=constraint, fence=fence)
            except _Unreadable as exc:
                self._note(where, f"include {target!r}: {exc}", secrets)

    def _note(self, where: Location, reason: str, secrets: _Secrets) -> None:
        """Record a problem; expanded ${VAR} values (often tokens) are put back as references first."""
        self.problems.append(Skipped(str(where), _hide(reason, secrets)[:_MAX_REASON]))


def _lexical(base: Path, given: Path | str) -> Path:
    """Join and normalise without touching the disk, so labels and includes follow what is written (like pip)."""
    return Path(os.path.normpath(base / given))


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop on Python < 3.13
        raise _Unreadable(f"cannot resolve path ({exc})") from None


def _load_text(real: Path, fence: Path | None) -> str:
    """The decoded text of a file, refusing what is not a small regular file inside the fence."""
    if fence is not None and not real.is_relative_to(fence):
        raise _Unreadable("points outside the checked tree")
    try:
        if not real.is_file():  # a directory, FIFO or device: reading could fail or block forever
            raise _Unreadable("not a regular file" if real.exists() else "file not found")
        if real.stat().st_size > _MAX_BYTES:
            raise _Unreadable(f"larger than {_MAX_BYTES // (1024 * 1024)} MiB")
        data = real.read_bytes()
    except OSError as exc:
        raise _Unreadable(exc.strerror or str(exc)) from None
    return _decode(data)


def _present(path: Path) -> bool:
    """Whether a name exists at all (even a broken symlink), so that reading it reports what is wrong with it."""
    try:
        path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True


def read_text(path: Path) -> str:
    """A requirements file's text, decoded as ``read_declared`` decodes it (for rewriting it with additions)."""
    try:
        return _decode(path.read_bytes())
    except (OSError, _Unreadable) as exc:
        raise RequirementsError(f"requirements: {path.name}: {exc}") from None


def _decode(data: bytes) -> str:
    """UTF-8 unless a BOM says otherwise: pip would use the locale's encoding, which differs between machines."""
    codec = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise _Unreadable(f"not UTF-8 or UTF-16 text ({exc.reason} at byte {exc.start})") from None
    if "\x00" in text:
        raise _Unreadable("binary file (contains NUL bytes)")
    return text


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, text) of each logical line: continuations joined, comments and blank lines gone."""
    from pip_requirements_parser import CommentLine, preprocess

    for line in preprocess(text):
        if not isinstance(line, CommentLine):
            yield line.line_number, line.line


def _expand_env(line: str) -> tuple[str, _Secrets]:
    """Expand ``${VAR}`` as pip does (unset or empty stays as written); also return (value, reference) pairs so
    values, usually tokens in URLs, can be put back as references before anything is reported."""
    secrets: _Secrets = []

    def value(match: re.Match[str]) -> str:
        found = os.environ.get(match.group(1))
        if not found:
            return match.group(0)
        secrets.append((found, match.group(0)))
        return found

    return _ENV_VAR.sub(value, line), secrets


def _hide(text: str, secrets: _Secrets) -> str:
    for found, reference in secrets:
        text = text.replace(found, reference)
    return text


def _parse_line(line: str) -> list[Any]:
    """Run one logical line through pip's option parser and requirement builder (the library's own steps).

    Returns a mix of: an ``InstallRequirement``, a dict of global options (for ``-r``/``-c``), a str problem.
    """
    import pip_requirements_parser as prp

    try:
        args, options, extra = prp.get_line_parser()(line)
        parsed = prp.ParsedLine(prp.RequirementLine(line=line), args, options, is_constraint=False, arguments=extra)
        return [_built(prp, item) for item in prp.handle_line(parsed)]
    except Exception as exc:  # untrusted text through a third-party parser: any failure is a bad line
        return [_message(exc)]


def _built(prp: Any, item: Any) -> Any:
    if isinstance(item, prp.OptionLine):
        return item.options
    if isinstance(item, prp.InvalidRequirementLine):
        return _message(item.error_message)
    if item.invalid_options:
        return f"options not allowed on a requirement line: {', '.join(sorted(item.invalid_options))}"
    try:
        return prp.build_req_from_parsedreq(item)
    except Exception as exc:  # the builder raises pip's InstallationError and packaging's errors alike
        return _message(exc)


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _message(error: Exception | str) -> str:
    """First line of a parser message: packaging appends the line and a caret marker on the next ones."""
    lines = str(error).strip().splitlines() or [type(error).__name__]
    for prefix in ("Invalid requirement:", "pip_requirements_parser: error:"):
        lines[0] = lines[0].removeprefix(prefix)
    return lines[0].strip(" :")


def _requirement_text(raw: str, expanded: str) -> str:
    """The requirement as written, on one line, without per-line options such as ``--hash``."""
    from pip_requirements_parser import get_line_parser

    for line in (raw, expanded):  # raw keeps ${VAR} as written; its option part may fail to split only in theory
        try:
            args, options, _ = get_line_parser()(line)
        except Exception:  # noqa: S112 - fall back to the expanded line, which parsed already
            continue
        if args.strip() or options.editables:
            return args.strip() or f"-e {options.editables[0]}"
    return raw


def _requirement(item: Any, location: Location, line: str, secrets: _Secrets) -> Requirement | str:
    """Our value for one parsed requirement, or a problem when no distribution name can be told."""
    link, req = item.link, item.req
    explicit = link is None or bool(link.egg_fragment) or bool(req is not None and req.url)
    name = item.name if explicit else _guess_name(link.url)
    if not name:
        return "cannot tell which distribution this is; ignored"
    return Requirement(
        name=name,
        key=canonicalize_name(name),
        location=location,
        line=line,
        specifier=str(req.specifier) if req is not None else "",
        extras=tuple(sorted(item.extras)),
        marker=str(item.marker) if item.marker is not None else "",
        url=_hide(link.url, secrets) if link is not None else "",
        editable=bool(item.is_editable),
        name_guessed=not explicit,
    )


def _guess_name(target: str) -> str:
    """The distribution a URL or path most likely holds: its last path component without revision, version and
    archive suffix (``git+https://host/org/my-lib.git@v2`` -> ``my-lib``); "" when that is not a valid name.
    With ``#subdirectory=pkgs/foo`` the project lives in that folder, so its name is the better guess."""
    parts = urlsplit(target)
    subdirectory = dict(parse_qsl(parts.fragment)).get("subdirectory", "")
    last = PurePosixPath(unquote(subdirectory or parts.path)).name.partition("@")[0]
    try:
        return str(parse_wheel_filename(last)[0])
    except InvalidWheelFilename:
        pass
    try:
        return str(parse_sdist_filename(last)[0])
    except InvalidSdistFilename:
        pass
    for suffix in _ARCHIVE_SUFFIXES:
        last = last.removesuffix(suffix)
    try:
        canonicalize_name(last, validate=True)
    except InvalidName:
        return ""
    return last


# --- pyproject.toml -------------------------------------------------------------------------------------------


def _read_pyproject(root: Path) -> Declared | None:
    """[project] dependencies (and optional groups), else Poetry's tables; None when it declares nothing."""
    path = root / "pyproject.toml"
    if not _present(path):
        return None
    try:
        text = _load_text(_real(path), _real(root))
        data = tomllib.loads(text)
    except (_Unreadable, tomllib.TOMLDecodeError) as exc:
        raise RequirementsError(f"requirements: pyproject.toml: {_message(exc)}") from None
    toml = _TomlLines(text)
    project = _table(data, "project")
    if project.get("dependencies") or project.get("optional-dependencies"):
        main, optional = _pep621(toml, project)
    elif _table(data, "tool", "poetry").get("dependencies"):
        main, optional = _poetry(toml, _table(data, "tool", "poetry"))
    else:
        return None
    return Declared(main, ("pyproject.toml",), optional, tuple(toml.problems))


_Groups = tuple[tuple[str, tuple[Requirement, ...]], ...]


def _pep621(toml: _TomlLines, project: dict[str, Any]) -> tuple[tuple[Requirement, ...], _Groups]:
    start = toml.find(r"^\s*\[\s*project\s*\]")
    main = toml.pep508(project.get("dependencies"), toml.key("dependencies", start))
    groups, groups_start = _table(project, "optional-dependencies"), toml.find("optional-dependencies", start)
    return main, tuple((g, toml.pep508(groups[g], toml.key(g, groups_start))) for g in sorted(groups))


def _poetry(toml: _TomlLines, poetry: dict[str, Any]) -> tuple[tuple[Requirement, ...], _Groups]:
    """Poetry's main table, and its dependency groups (``[tool.poetry.group.dev.dependencies]``) as optional."""
    main = toml.poetry(_table(poetry, "dependencies"), "tool.poetry.dependencies")
    groups = _table(poetry, "group")
    return main, tuple(
        (g, toml.poetry(_table(groups, g, "dependencies"), f"tool.poetry.group.{g}.dependencies"))
        for g in sorted(groups)
    )


def _table(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    """A nested TOML table, or {} when any level is missing or not a table (the file is untrusted)."""
    for key in keys:
        value = data.get(key)
        data = value if isinstance(value, dict) else {}
    return data


@dataclass
class _TomlLines:
    """Finds the line of a TOML value: tomllib gives no positions, and a finding should point at the line to edit."""

    text: str
    problems: list[Skipped] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lines = self.text.split("\n")  # TOML's own line ends, as editors count them

    def find(self, pattern: str, start: int = 0) -> int:
        """Index of the first line at or after ``start`` matching ``pattern``; ``start`` when there is none."""
        rx = re.compile(pattern)
        return next((i for i in range(start, len(self.lines)) if rx.search(self.lines[i])), start)

    def key(self, name: str, start: int) -> int:
        return self.find(rf"^\s*[\"']?{re.escape(name)}[\"']?\s*=", start)

    def pep508(self, values: Any, start: int) -> tuple[Requirement, ...]:
        found: list[Requirement] = []
        for value in values if isinstance(values, list) else []:
            start = self.find(rf"[\"']{re.escape(str(value))}[\"']", start)
            location = Location("pyproject.toml", start + 1)
            try:
                req = Pep508(str(value))
            except InvalidRequirement as exc:
                self.problems.append(Skipped(str(location), f"{_short(str(value))}: {_message(exc)}"[:_MAX_REASON]))
                continue
            found.append(_from_pep508(req, location, str(value).strip()))
        return tuple(found)

    def poetry(self, table: dict[str, Any], header: str) -> tuple[Requirement, ...]:
        start = self.find(rf"^\s*\[\s*{re.escape(header)}\s*\]")
        found: list[Requirement] = []
        for name, spec in table.items():
            if name.lower() == "python":  # the interpreter range, not a distribution
                continue
            location = Location("pyproject.toml", self.key(name, start) + 1)
            try:
                found.append(_from_poetry(name, spec, location))
            except (InvalidName, InvalidRequirement) as exc:
                self.problems.append(Skipped(str(location), f"{_short(name)}: {_message(exc)}"[:_MAX_REASON]))
        return tuple(found)


def _from_pep508(req: Pep508, location: Location, line: str) -> Requirement:
    return Requirement(
        name=req.name,
        key=canonicalize_name(req.name),
        location=location,
        line=line,
        specifier=str(req.specifier),
        extras=tuple(sorted(req.extras)),
        marker=str(req.marker) if req.marker is not None else "",
        url=req.url or "",
    )


def _from_poetry(name: str, spec: Any, location: Location) -> Requirement:
    """A Poetry entry (``"^1.2"`` or ``{version, extras, markers, git|url|path, develop}``) as a PEP 508 value.

    Poetry's own ranges (``^``, ``~``, ``*``, a bare version) are not PEP 440, so they are left out of the
    specifier and the line; the name is what matching needs.
    """
    details = spec if isinstance(spec, dict) else {"version": spec}
    extras = details.get("extras") if isinstance(details.get("extras"), list) else []
    text = f"{name}[{','.join(map(str, extras))}]" if extras else name
    text += _pep440(details.get("version"))
    if isinstance(details.get("markers"), str):
        text += f"; {details['markers']}"
    canonicalize_name(name, validate=True)
    req = Pep508(text)
    url = next((str(details[k]) for k in ("git", "url", "path") if k in details), "")
    return replace(_from_pep508(req, location, text), url=url, editable=bool(details.get("develop")))


def _pep440(version: Any) -> str:
    try:
        return str(SpecifierSet(version)) if isinstance(version, str) else ""
    except InvalidSpecifier:
        return ""
