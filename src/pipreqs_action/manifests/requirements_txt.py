"""Requirements files (``requirements*.txt``, ``requirements*.in``, ``-r``/``-c`` includes), read like pip reads them.

Lines are understood by pip's own machinery from ``pip-requirements-parser`` (continuations, comments, options,
``-e``, URLs, hashes) and ``packaging`` (names, specifiers, markers). Its file-level entry point is not used,
because for files from an untrusted repository it falls short: it decodes with the locale's encoding and crashes
(or recurses forever) on a missing or cyclic ``-r`` include. So this module reads and decodes each file itself,
follows includes itself, and hands pip's code one logical line at a time. The library costs ~30 ms to import (it
imports ``urllib.request``, ``http.client``, ``email`` and ``ssl``) and builds its option parser twice a line, so
it is imported only for a line it must read: the file's split into logical lines is pip's own, written out below,
and a plain ``name==1.0`` line, which pip hands unchanged to ``packaging``, goes to ``packaging`` directly.

``${VAR}`` is never filled from the process environment (pip would): in the Action that environment holds the
runner's secrets, and a value put into a requirement would reach the issue. Such a line is used as written.

A comment line that is itself a requirement (``# tensorrt>=8  # TensorRT export``) names a package the author
knowingly left out: it is kept apart, so that its import is reported as optional with that reason.
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from pipreqs_action.manifests.base import (
    Manifest,
    Unreadable,
    from_pep508,
    lexical,
    load_text,
    message,
    real,
    short,
)
from pipreqs_action.manifests.project import identify
from pipreqs_action.model import DeclaredBy, Location, Requirement
from pipreqs_action.pep508 import Requirement as Pep508
from pipreqs_action.pep508 import canonical_name, parse, parse_or_none

logger = logging.getLogger(__name__)

_ARCHIVE_SUFFIXES = (".git", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar", ".whl")
_COMMENTED = re.compile(r"^\s*#+\s*(?P<text>[A-Za-z0-9][^#]*?)\s*(?:#.*)?$")
_PIP_COMMENT = re.compile(r"(^|\s+)(#.*)$")  # pip's own: a comment starts a line or follows whitespace
# A name, extras and version clauses, nothing else: no space (pip splits options at one), marker, URL, path or
# option. pip's reader passes such a line to packaging as it is, except one whose name or end reads like an archive
# file name. Extras only in lower case without "_": pip rewrites other ones (lower case, "_" runs as one).
_CLAUSE = r"(?:===|[=!~<>]=|[<>])[A-Za-z0-9._*+!-]+"
_EXTRA = r"[a-z0-9]+(?:[.-][a-z0-9]+)*"
_PLAIN = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._-]*(?:\[{_EXTRA}(?:,{_EXTRA})*\])?(?:{_CLAUSE}(?:,{_CLAUSE})*)?")
_PIP_ARCHIVES = (*_ARCHIVE_SUFFIXES, ".tlz", ".tar.lz", ".tar.lzma")  # pip's list, and .git


class RequirementsReader:
    """Walks requirements files depth first, like pip: an included file's lines come where the ``-r`` is, and
    count as the including file's (runtime or development), whatever the included file is called.

    ``fence`` is the checked tree: a file in it must not lead us (by symlink or include) to read outside it.
    """

    def __init__(self, root: Path, manifest: Manifest) -> None:
        self.root = root
        self.manifest = manifest
        self.done: set[tuple[Path, bool]] = set()
        self.reading: list[Path] = []
        self.first_party: set[str] = set()

    def has_read(self, path: Path) -> bool:
        """Whether a file was read already, as requirements or as constraints."""
        try:
            found = real(path)
        except Unreadable:
            return False
        return any(done == found for done, _ in self.done)

    def read(
        self, path: Path, label: str, *, constraint: bool, fence: Path | None, dev: bool, installed_by: str = ""
    ) -> None:
        real_path = real(path)
        if real_path in self.reading:
            raise Unreadable("include cycle (the file is already being read)")
        if (real_path, constraint) in self.done:
            return  # included twice without a cycle (a diamond): its lines are already counted
        text = load_text(real_path, fence)
        self.done.add((real_path, constraint))
        self.manifest.sources.append(label)
        self.reading.append(real_path)
        before = len(self.manifest.dev if dev else self.manifest.requirements)
        try:
            for number, raw, comment in _logical_lines(text):
                location = Location(label, number)
                if comment:
                    self._commented(location, raw)
                else:
                    self.line(path, location, raw, constraint=constraint, fence=fence, dev=dev)
        finally:
            self.reading.pop()
        if not constraint:
            count = len(self.manifest.dev if dev else self.manifest.requirements) - before
            self.manifest.contributions.append(DeclaredBy(label, "", count, dev, installed_by=installed_by))
        logger.debug("read %s", label)

    def line(
        self,
        path: Path,
        location: Location,
        raw: str,
        *,
        constraint: bool = False,
        fence: Path | None,
        dev: bool = False,
    ) -> None:
        """One logical line of a file (or of a conda `pip:` list) at ``location``."""
        plain = _plain_requirement(raw)
        for item in _parse_line(raw) if plain is None else (plain,):
            if isinstance(item, dict):
                self._include(path, location, item, fence, dev)
                continue
            if isinstance(item, Pep508):
                item = from_pep508(item, location, raw)
            elif not isinstance(item, str):
                item = self._requirement(item, path, location, raw)
            if isinstance(item, str):
                self.manifest.problem(location, f"{short(raw)}: {item}")
            elif constraint:
                self.manifest.constraints.append(item)
            else:
                (self.manifest.dev if dev else self.manifest.requirements).append(item)

    def _commented(self, location: Location, raw: str) -> None:
        """A comment that reads as a whole requirement line: a package left out on purpose."""
        match = _COMMENTED.match(raw)
        if match is None:
            return
        req = parse_or_none(match["text"])
        if req is None:
            return
        self.manifest.commented.append(from_pep508(req, location, match["text"]))

    def _include(
        self, parent: Path, where: Location, options: dict[str, list[str]], fence: Path | None, dev: bool
    ) -> None:
        targets = [(t, False) for t in options.get("requirements", [])]
        targets += [(t, True) for t in options.get("constraints", [])]
        for target, constraint in targets:
            if len(urlsplit(target).scheme) > 1:  # one letter is a Windows drive
                self.manifest.problem(where, f"include {target!r}: remote files are not fetched")
                continue
            path = lexical(parent.parent, target)
            label = path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else path.as_posix()
            try:
                self.read(path, label, constraint=constraint, fence=fence, dev=dev)
            except Unreadable as exc:
                self.manifest.problem(where, f"include {target!r}: {exc}")

    def _requirement(self, item: Any, path: Path, location: Location, raw: str) -> Requirement | str:
        """Our value for one parsed requirement, or a problem when no distribution name can be told."""
        link, req = item.link, item.req
        explicit = link is None or bool(link.egg_fragment) or bool(req is not None and req.url)
        local, problem = ("", "") if explicit else self._local_project(link.url, path)
        if problem:
            return problem
        name = item.name if explicit else (local or _guess_name(link.url))
        if not name:
            return "cannot tell which distribution this is; ignored"
        return Requirement(
            name=name,
            key=canonical_name(name),
            location=location,
            line=_requirement_text(raw),
            specifier=str(req.specifier) if req is not None else "",
            extras=tuple(sorted(item.extras)),
            marker=str(item.marker) if item.marker is not None else "",
            url=link.url if link is not None else "",
            editable=bool(item.is_editable),
            name_guessed=not explicit and not local,
            local=bool(local),
        )

    def _local_project(self, target: str, path: Path) -> tuple[str, str]:
        """For a local folder line (``-e .``, ``./libs/common``): (the project's name, "") or ("", a problem).

        ("", "") when the line is not a folder of the checked tree (a URL, an archive, a path outside it).
        """
        parts = urlsplit(target)
        if (len(parts.scheme) > 1 and parts.scheme != "file") or target.endswith(_ARCHIVE_SUFFIXES):
            return "", ""
        written = unquote(parts.path) if parts.scheme == "file" else target
        folder = lexical(path.parent, written)
        if not folder.is_relative_to(self.root):
            return "", ""
        if not folder.is_dir():
            return "", f"local project {written!r} not found"
        project = identify(folder, real(self.root))
        self.first_party.update(project.import_names)
        return project.name or folder.name or ".", ""


def _logical_lines(text: str) -> list[tuple[int, str, bool]]:
    """(first line number, text, is a comment) of each logical line: continuations joined, blank lines gone.

    pip's own split (``preprocess`` of pip-requirements-parser: ``join_lines`` then ``split_comments``), step for
    step, so that a file of plain lines never imports the library; a test compares the two on random text."""
    joined: list[tuple[int, str]] = []
    pending: list[str] = []  # the lines of a continued logical line so far, from line ``first`` on
    first = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.endswith("\\") or _PIP_COMMENT.match(line):
            if _PIP_COMMENT.match(line):
                line = " " + line
            joined.append((first, "".join([*pending, line])) if pending else (number, line))
            pending = []
        else:
            if not pending:
                first = number
            pending.append(line.strip("\\"))
    if pending:
        joined.append((first, "".join(pending)))
    found: list[tuple[int, str, bool]] = []
    for number, line in joined:
        # at most a text and its comment: the comment pattern matches once, up to the end of the line
        parts = [part.strip() for part in _PIP_COMMENT.split(line) if part.strip()]
        if len(parts) == 2:
            found += [(number, parts[0], False), (number, parts[1], True)]
        elif parts:
            found.append((number, parts[0], parts[0].startswith("#")))
    return found


def _plain_requirement(line: str) -> Pep508 | None:
    """A plain ``name==1.0`` or ``name[extra]>=1`` line (most lines) parsed as pip's reader would parse it: that
    reader hands it to packaging unchanged. None for any other line, and for one packaging refuses: pip's reader
    words the problem."""
    if not _PLAIN.fullmatch(line) or line.lower().endswith(_PIP_ARCHIVES):
        return None
    if line.partition("[")[0].lower().endswith(_PIP_ARCHIVES):
        return None
    try:
        return parse(line)
    except Exception:  # whatever packaging raises, pip's reader reports as the line's problem
        return None


@functools.lru_cache(maxsize=1024)
def _parse_line(line: str) -> tuple[Any, ...]:
    """Run one logical line through pip's option parser and requirement builder (the library's own steps).

    Returns a mix of: an ``InstallRequirement``, a dict of global options (for ``-r``/``-c``), a str problem; the
    items are only read. Kept per line text for the process: a monorepo's projects are checked one inside another
    and include the same files (opentelemetry-python-contrib: 382 lines through the parser, 108 different), and
    pip's parser builds its option parser for each line (about 2 ms)."""
    import pip_requirements_parser as prp

    try:
        args, options, extra = prp.get_line_parser()(line)
        parsed = prp.ParsedLine(prp.RequirementLine(line=line), args, options, is_constraint=False, arguments=extra)
        return tuple(_built(prp, item) for item in prp.handle_line(parsed))
    except Exception as exc:  # untrusted text through a third-party parser: any failure is a bad line
        return (message(exc),)


def _built(prp: Any, item: Any) -> Any:
    if isinstance(item, prp.OptionLine):
        return item.options
    if isinstance(item, prp.InvalidRequirementLine):
        return message(item.error_message)
    if item.invalid_options:
        return f"options not allowed on a requirement line: {', '.join(sorted(item.invalid_options))}"
    try:
        return prp.build_req_from_parsedreq(item)
    except Exception as exc:  # the builder raises pip's InstallationError and packaging's errors alike
        return message(exc)


def _requirement_text(raw: str) -> str:
    """The requirement as written, on one line, without per-line options such as ``--hash``."""
    from pip_requirements_parser import get_line_parser

    try:
        args, options, _ = get_line_parser()(raw)
    except Exception:  # the line parsed already; its option part may fail to split only in theory
        return raw
    if args.strip() or options.editables:
        return args.strip() or f"-e {options.editables[0]}"
    return raw


def _guess_name(target: str) -> str:
    """The distribution a URL or path most likely holds: its last path component without revision, version and
    archive suffix (``git+https://host/org/my-lib.git@v2`` -> ``my-lib``); "" when that is not a valid name.
    With ``#subdirectory=pkgs/foo`` the project lives in that folder, so its name is the better guess."""
    from packaging.utils import (  # a URL or path line: rare, and packaging is slow to import
        InvalidName,
        InvalidSdistFilename,
        InvalidWheelFilename,
        canonicalize_name,
        parse_sdist_filename,
        parse_wheel_filename,
    )

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
