"""Turn a Jupyter notebook into Python source: its code cells, with IPython-only syntax blanked.

Every line keeps a map back to the line of the ``.ipynb`` file it came from, so findings and annotations point
into the real file. Any nbformat version is read (3 nests cells in worksheets); a notebook that is broken, or
whose kernel is not Python, is skipped with the reason.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from typing import Any, ClassVar, NamedTuple

from pipreqs_action.errors import PipreqsActionError
from pipreqs_action.local import working_folders
from pipreqs_action.model import Skipped, SourceText
from pipreqs_action.pip_commands import installed_names, installed_repositories
from pipreqs_action.reading.lazy_regex import LazyPattern

__all__ = ["notebook_prose", "notebook_source"]


class _BrokenNotebook(PipreqsActionError):
    """Internal: the notebook's JSON is not shaped like a notebook; never leaves this module."""


class _Cell(NamedTuple):
    key: str | None  # the JSON key holding the code: "source" (v4, non-code cells) or "input" (v3 code); None: absent
    parts: tuple[str, ...]
    code: bool


def notebook_source(rel: str, data: bytes) -> SourceText | Skipped:
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Skipped(
            rel, f"broken notebook: not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"
        )
    try:
        notebook = json.loads(raw)
    except json.JSONDecodeError as exc:
        return Skipped(rel, f"broken notebook: invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})")
    except (ValueError, RecursionError) as exc:
        return Skipped(rel, f"broken notebook: invalid JSON ({exc})")
    try:
        if not isinstance(notebook, dict):
            raise _BrokenNotebook("top level is not a JSON object")
        language = _kernel_language(notebook)
        if language is not None:
            return Skipped(rel, f"notebook kernel is {language}, not Python")
        code = _code_text(raw, _cells(notebook))
    except _BrokenNotebook as exc:
        return Skipped(rel, f"broken notebook: {exc}")
    if "\0" in code.text:
        return Skipped(rel, "contains NUL bytes")
    scripts = tuple((first, last, path) for first, last, name in code.scripts for path in _beside(rel, [name]))
    return SourceText(
        rel,
        code.text,
        code.line_map,
        _beside(rel, code.writes),
        installs=code.installs,
        scripts=scripts,
        repositories=code.repositories,
        moves=working_folders.moves(rel, code.moves),
    )


def notebook_prose(data: bytes) -> str:
    """The text of a notebook's markdown (and raw) cells, one after the other: what a reader reads, as opposed to
    the code it runs. Empty for a broken notebook. Editions of one chapter share it (``editions``)."""
    try:
        notebook = json.loads(data.decode("utf-8-sig"))
        cells = _cells(_as_dict(notebook, "notebook"))
    except (UnicodeDecodeError, ValueError, RecursionError, _BrokenNotebook):
        return ""
    return "\n".join("".join(cell.parts) for cell in cells if not cell.code)


def _kernel_language(notebook: dict[str, Any]) -> str | None:
    """The first language the metadata names that is not Python, or None when it is Python or unsaid."""
    metadata = notebook.get("metadata")
    if not isinstance(metadata, dict):
        return None
    found = [_field(metadata, "language_info", "name"), _field(metadata, "kernelspec", "language")]
    found.append(metadata.get("language") if isinstance(metadata.get("language"), str) else None)
    for language in found:
        if language and language.strip() and not language.strip().lower().startswith(("python", "ipython")):
            return language.strip()
    return None


def _field(metadata: dict[str, Any], section: str, key: str) -> str | None:
    block = metadata.get(section)
    value = block.get(key) if isinstance(block, dict) else None
    return value if isinstance(value, str) else None


def _cells(notebook: dict[str, Any]) -> list[_Cell]:
    """nbformat 4 keeps ``cells`` at the top; 3 and older nest them in ``worksheets`` with code in ``input``."""
    if "cells" not in notebook and "worksheets" in notebook:
        worksheets = _as_list(notebook["worksheets"], "'worksheets'")
        raw_cells = [
            cell for sheet in worksheets for cell in _as_list(_as_dict(sheet, "worksheet").get("cells", []), "'cells'")
        ]
        code_key = "input"
    elif "cells" in notebook:
        raw_cells = _as_list(notebook["cells"], "'cells'")
        code_key = "source"
    else:
        raise _BrokenNotebook("no 'cells' or 'worksheets'")
    return [_cell(_as_dict(cell, f"cell {number}"), number, code_key) for number, cell in enumerate(raw_cells, 1)]


def _cell(cell: dict[str, Any], number: int, code_key: str) -> _Cell:
    code = cell.get("cell_type") == "code"
    key = code_key if code else "source"
    if key not in cell:
        return _Cell(None, (), code)
    source = cell[key]
    if isinstance(source, str):
        return _Cell(key, (source,), code)
    parts = _as_list(source, f"cell {number} {key!r}")
    if not all(isinstance(part, str) for part in parts):
        raise _BrokenNotebook(f"cell {number} {key!r} holds a non-string")
    return _Cell(key, tuple(parts), code)


def _as_list(value: object, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise _BrokenNotebook(f"{what} is not a list")
    return value


def _as_dict(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _BrokenNotebook(f"{what} is not an object")
    return value


class _Code(NamedTuple):
    """The notebook's code cells as one text, and what its IPython lines and written files say (file lines)."""

    text: str
    line_map: tuple[int, ...]
    writes: list[str]  # .py files written by ``%%writefile`` (relative to the notebook's folder)
    installs: tuple[tuple[int, str], ...]  # (line of a pip install command, distribution it installs)
    scripts: tuple[tuple[int, int, str], ...]  # written cells the notebook never imports or runs: (first, last, name)
    repositories: tuple[tuple[int, str], ...] = ()  # (line of a pip install command, repository it installs from)
    moves: tuple[tuple[int, str], ...] = ()  # (line of a %cd or os.chdir, the folder as written: working_folders)


def _code_text(raw: str, cells: list[_Cell]) -> _Code:
    """Join the code cells, blanking IPython syntax, and map every line back into the ``.ipynb`` file.

    Also notes the Python files the notebook writes with ``%%writefile name.py`` (the cell's body is kept as
    code: it is a module of the project, and its imports are the project's) and its ``pip install`` commands.
    """
    locator = _Locator(raw)
    lines: list[str] = []
    line_map: list[int] = []
    writes: list[str] = []
    installs: list[tuple[int, str]] = []
    repositories: list[tuple[int, str]] = []
    moves: list[tuple[int, str]] = []
    written_cells: list[tuple[int, int, str, list[str]]] = []
    used: list[str] = []  # lines outside written cells: where the notebook imports or runs what it wrote
    for cell in cells:
        if cell.key is not None:
            locator.find_cell(cell.key, cell.parts)
        cell_lines, cell_map = _cell_lines(cell.parts, locator)
        if not cell.code:
            continue
        written = _written_module(cell_lines)
        if written:
            writes.append(written)
            written_cells.append((cell_map[0], cell_map[-1], written, cell_lines))
        else:
            used.extend(cell_lines)
        blanked = _blank_ipython(cell_lines, python_body=bool(written))
        if not _WRITES_A_FILE.match(cell_lines[0] if cell_lines else ""):
            installs.extend(_installs(cell_lines, blanked, cell_map))
            repositories.extend(_installs(cell_lines, blanked, cell_map, installed_repositories))
        if not written:
            moves.extend(_moves(cell_lines, blanked, cell_map))
        lines.extend(blanked)
        line_map.extend(cell_map)
    scripts = _unused_scripts(written_cells, used)
    return _Code("\n".join(lines), tuple(line_map), writes, tuple(installs), scripts, tuple(repositories), tuple(moves))


def _moves(lines: list[str], blanked: list[str], line_map: list[int]) -> list[tuple[int, str]]:
    """The cell's ``%cd`` and ``os.chdir`` lines: (file line, the folder as written)."""
    found = []
    for line, code, file_line in zip(lines, blanked, line_map, strict=True):
        folder = working_folders.target(line, code)
        if folder is not None:
            found.append((file_line, folder))
    return found


def _unused_scripts(
    written: list[tuple[int, int, str, list[str]]], used: list[str]
) -> tuple[tuple[int, int, str], ...]:
    """Written cells that nothing running in the kernel imports or runs, directly or through another written file
    that it does (``!python train.py`` where train.py imports data_setup.py)."""
    unused = list(written)
    changed = True
    while changed:
        kept = [cell for cell in unused if not _imports_or_runs(used, cell[2])]
        changed = len(kept) < len(unused)
        used = used + [line for cell in unused if cell not in kept for line in cell[3]]
        unused = kept
    return tuple((first, last, name) for first, last, name, _ in unused)


def _installs(
    lines: list[str], blanked: list[str], line_map: list[int], named: Callable[[str], tuple[str, ...]] = installed_names
) -> list[tuple[int, str]]:
    """``!pip install x`` / ``%pip install x`` lines of one cell (the IPython lines blanked in the code): what each
    installs, as ``named`` reads the command (distributions, or repositories installed from a URL)."""
    found: list[tuple[int, str]] = []
    for line, code, file_line in zip(lines, blanked, line_map, strict=True):
        if not code and "install" in line:
            found.extend((file_line, name) for name in named(line))
    return found


_WRITES_A_FILE = re.compile(r"\s*%%(?:writefile|file)\b")  # its lines are a file's text, never run here
_MODULE_WORDS = LazyPattern(r"^\s*(?:from|import)\s+(?P<rest>.*)")


def _imports_or_runs(lines: list[str], written: str) -> bool:
    """Whether the notebook's own code imports the written module (``from going_modular import train``) or runs
    it (``!python train.py``, ``%run train.py``): then the file's imports run here, as the notebook's own."""
    stem = posixpath.splitext(posixpath.basename(written))[0]
    name = posixpath.basename(written)
    for line in lines:
        imported = _MODULE_WORDS.match(line)
        if imported and stem in re.findall(r"\w+", imported["rest"]):
            return True
        stripped = line.strip()
        if name in stripped and (stripped.startswith(("!", "%")) or "python" in stripped):
            return True
    return False


_WRITEFILE = re.compile(r"%%(?:writefile|file)\s+(?:(?:-a|--append)\s+)?(?P<q>['\"]?)(?P<name>[^\s'\"]+\.py)(?P=q)\s*$")


def _written_module(lines: list[str]) -> str:
    """``name.py`` of a cell starting with ``%%writefile name.py`` (or ``%%file``), else ""."""
    first = next((line.strip() for line in lines if line.strip()), "")
    match = _WRITEFILE.match(first)
    return match["name"] if match else ""


def _beside(rel: str, writes: list[str]) -> tuple[str, ...]:
    """Written files are relative to the notebook's folder (the kernel's working directory); outside: dropped."""
    folder = posixpath.dirname(rel)
    found = (posixpath.normpath(posixpath.join(folder, name)) for name in writes)
    return tuple(dict.fromkeys(path for path in found if not path.startswith(("../", "/")) and path != ".."))


def _cell_lines(parts: tuple[str, ...], locator: _Locator) -> tuple[list[str], list[int]]:
    """Split a cell into lines; each line maps to the file line of the JSON string where it starts."""
    lines: list[str] = []
    line_map: list[int] = []
    current, start = "", 0
    for part in parts:
        file_line = locator.find_string(part)
        *complete, rest = _LINE_BREAK.split(part)
        for piece in complete:
            lines.append(current + piece)
            line_map.append(start if current else file_line)
            current = ""
        if rest and not current:
            start = file_line
        current += rest
    if current:
        lines.append(current)
        line_map.append(start)
    return lines, line_map


_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the line breaks of Python's tokenizer, so ast agrees with line_map


class _Locator:
    """Finds where cell strings sit in the raw JSON text, moving only forward.

    nbformat writes every element of a ``source`` list on its own line, and a JSON string cannot span
    lines, so the line where an element's JSON encoding starts is the line its code is on. For each cell
    we move to its ``"source"``/``"input"`` key (the first one whose value starts with the cell's first
    string, so a nested key of the same name in outputs or metadata is passed over), then find each
    element's JSON encoding (as nbformat writes it: non-ASCII raw; or with ``\\uXXXX`` escapes) just after
    the previous one. Searches are bounded to a small window, so a writer that escapes differently costs
    accuracy (the line of the last thing found is used), never time. A one-line (minified) notebook maps
    everything to line 1.
    """

    _KEYS: ClassVar[dict[str, re.Pattern[str]]] = {key: re.compile(rf'"{key}"\s*:') for key in ("source", "input")}
    _VALUE_START = re.compile(r"\s*\[?\s*")
    _KEY_CANDIDATES = 8  # nested keys tried before settling for the first one
    _SLACK = 1024  # room for whitespace, commas and brackets between consecutive strings

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.pos = 0
        self.line = 1

    def _seek(self, pos: int) -> None:
        self.line += self.raw.count("\n", self.pos, pos)
        self.pos = pos

    def find_cell(self, key: str, parts: tuple[str, ...]) -> None:
        expected = _json_forms(parts[0]) if parts else ()
        first: int | None = None
        start = self.pos
        for _ in range(self._KEY_CANDIDATES):
            match = self._KEYS[key].search(self.raw, start)
            if match is None:
                break
            first = match.end() if first is None else first
            value = self._VALUE_START.match(self.raw, match.end())
            if not expected or (value is not None and self.raw.startswith(expected, value.end())):
                self._seek(match.end())
                return
            start = match.end()
        if first is not None:
            self._seek(first)

    def find_string(self, value: str) -> int:
        for needle in _json_forms(value):
            found = self.raw.find(needle, self.pos, self.pos + len(needle) + self._SLACK)
            if found >= 0:
                self._seek(found)
                line = self.line
                self._seek(found + len(needle))
                return line
        return self.line


def _json_forms(value: str) -> tuple[str, ...]:
    """The ways a JSON writer commonly encodes ``value``: raw non-ASCII (nbformat, VS Code) or escaped."""
    return tuple(dict.fromkeys((json.dumps(value, ensure_ascii=False), json.dumps(value))))


# IPython-only syntax, recognised only where a logical line starts (not inside brackets or strings).
_HELP_RE = re.compile(r"[\w.*]+\?{1,2}\s*$")
_CAPTURE_RE = re.compile(r"[\w.,\s\[\]()*]+=\s*[!%]")
# Cell magics whose body is ordinary Python that runs in the kernel: keep the body, blank the header.
_PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "python", "python3", "memit"})


def _blank_ipython(lines: list[str], *, python_body: bool = False) -> list[str]:
    """Replace magics, shell escapes and help lines by empty lines, keeping the numbering."""
    first = next((index for index, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return lines
    header = lines[first].lstrip()
    if header.startswith("%%"):
        magic = header[2:].split(maxsplit=1)[0] if header[2:].strip() else ""
        if magic not in _PYTHON_CELL_MAGICS and not python_body:
            return [""] * len(lines)
        return [""] * (first + 1) + _blank_lines(lines[first + 1 :])
    return _blank_lines(lines)


def _blank_lines(lines: list[str]) -> list[str]:
    out: list[str] = []
    state = _LexState()
    escaped_continues = False
    for line in lines:
        if escaped_continues or (state.at_line_start and _is_ipython_line(line)):
            out.append("")
            escaped_continues = line.rstrip().endswith("\\")
            continue
        out.append(line)
        state.feed(line)
    return out


def _is_ipython_line(line: str) -> bool:
    stripped = line.strip()
    if not stripped:
        return False
    return stripped[0] in "%!?" or bool(_HELP_RE.fullmatch(stripped) or _CAPTURE_RE.match(stripped))


class _LexState:
    """Just enough of Python's tokenizer to know whether a line starts a new statement."""

    __slots__ = ("continued", "depth", "quote")

    def __init__(self) -> None:
        self.quote = ""  # the open triple-quote delimiter, if any
        self.depth = 0  # open brackets
        self.continued = False  # previous line ended with a backslash

    @property
    def at_line_start(self) -> bool:
        return not self.quote and not self.depth and not self.continued

    def feed(self, line: str) -> None:
        """Reads one line: jumps from one character that can change the state to the next (a quote, a bracket, a
        ``#``; inside a string, a backslash or the quote character), since every other one leaves it as it is."""
        index, comment, end = 0, False, len(line)
        while index < end:
            found = (_IN_STRING[self.quote[0]] if self.quote else _OUTSIDE_STRING).search(line, index)
            if found is None:
                break
            index = found.start()
            if not self.quote and line[index] == "#":
                comment = True
                break
            index = self._step(line, index)
        if len(self.quote) == 1:  # an unterminated one-quote string ends at the line end
            self.quote = ""
        self.continued = not self.quote and not comment and line.rstrip().endswith("\\")

    def _step(self, line: str, index: int) -> int:
        char = line[index]
        if self.quote:
            if char == "\\":
                return index + 2
            if line.startswith(self.quote, index):
                end, self.quote = index + len(self.quote), ""
                return end
            return index + 1
        if char in "'\"":
            self.quote = char * 3 if line.startswith(char * 3, index) else char
            return index + len(self.quote)
        if char in "([{":
            self.depth += 1
        elif char in ")]}":
            self.depth = max(self.depth - 1, 0)
        return index + 1


# The characters that can change a _LexState: outside a string, and inside one opened by ' or ".
_OUTSIDE_STRING = re.compile(r"[#'\"()\[\]{}]")
_IN_STRING = {quote: re.compile(rf"[\\{quote}]") for quote in "'\""}
