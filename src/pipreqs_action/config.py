"""The checked project's own configuration: ``[tool.pipreqs-action]`` in pyproject.toml, or a dedicated file.

Read once, before anything runs, into one frozen ``ProjectConfig``; every error (bad TOML, an unknown key, a value
of the wrong type) is a ``SettingsError`` naming the file, the key and the line, so nothing is half-applied. The
precedence is deptry's: built-in defaults < this file < command-line flags and Action inputs (``settings.py``
does the merge). Where the file is looked for, first hit wins:

1. ``--config FILE`` (a file named explicitly must exist and hold the keys at top level, or under
   ``[tool.pipreqs-action]`` when it is a pyproject.toml);
2. the ``[tool.pipreqs-action]`` table of ``ROOT/pyproject.toml``;
3. ``ROOT/pipreqs-action.toml``, then ``ROOT/.pipreqs-action.toml`` (keys at top level).

The file belongs to an untrusted repository: it is parsed as data, never executed, and its values only narrow
what is reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pipreqs_action.errors import SettingsError

__all__ = ["CONFIG_FILES", "KEYS", "TABLE", "ProjectConfig", "read_config"]

TABLE = "tool.pipreqs-action"
CONFIG_FILES = ("pipreqs-action.toml", ".pipreqs-action.toml")
FailOn = Literal["missing", "any", "never"]
FAIL_ON: tuple[FailOn, ...] = ("missing", "any", "never")
_LISTS = ("ignore-missing", "ignore-unused", "first-party", "exclude", "secondary", "app")
KEYS = (*_LISTS[:2], "map", *_LISTS[2:], "fail-on")
_MAX_FILE_BYTES = 1024 * 1024


class ProjectConfig(NamedTuple):
    """What the project says about its own dependencies; empty when it has no configuration."""

    source: str = ""  # the file read, as shown to the user ("pyproject.toml"); "" when none
    ignore_missing: tuple[str, ...] = ()  # distribution or import names never reported missing
    ignore_unused: tuple[str, ...] = ()  # declared distributions never reported unused
    map: Mapping[str, str] = {}  # import name -> distribution
    first_party: tuple[str, ...] = ()  # import names that are the project's own code
    exclude: tuple[str, ...] = ()  # gitignore-style patterns, added to --exclude
    secondary: tuple[str, ...] = ()  # paths counted as non-app code (tests, tools): never open the issue
    app: tuple[str, ...] = ()  # paths counted as app code even where the defaults say otherwise
    fail_on: FailOn | None = None


def read_config(root: Path, explicit: Path | None = None) -> ProjectConfig:
    """The configuration that applies to the project at ``root`` (see the module docstring for the order)."""
    if explicit is not None:
        if not explicit.is_file():
            raise SettingsError(f"config: {str(explicit)!r} is not a file")
        in_pyproject = explicit.name == "pyproject.toml"
        return _parse(explicit, str(explicit), table=TABLE if in_pyproject else "")
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and _mentions_table(pyproject):
        config = _parse(pyproject, "pyproject.toml", table=TABLE)
        if config.source:
            return config
    for name in CONFIG_FILES:
        if (root / name).is_file():
            return _parse(root / name, name, table="")
    return ProjectConfig()


def _mentions_table(path: Path) -> bool:
    """A pyproject.toml is only ours to judge when it has our table: its other errors are the declared stage's."""
    return "pipreqs-action" in _read(path, path.name)


def _read(path: Path, shown: str) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_FILE_BYTES + 1)
    except OSError as error:
        raise SettingsError(f"{shown}: cannot read the configuration ({error.strerror or error})") from None
    if len(data) > _MAX_FILE_BYTES:
        raise SettingsError(f"{shown}: configuration file larger than 1 MiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SettingsError(f"{shown}: configuration is not UTF-8 text") from None


def _parse(path: Path, shown: str, *, table: str) -> ProjectConfig:
    from pipreqs_action.reading.toml_documents import TOMLDecodeError, loads  # only when a configuration file is read

    text = _read(path, shown)
    try:
        document = loads(text)
    except TOMLDecodeError as error:
        raise SettingsError(f"{shown}:{_error_line(error, text)}: invalid TOML: {error}") from None
    except RecursionError:  # tomllib recurses once per nesting level: a hostile file nests thousands deep
        raise SettingsError(f"{shown}: invalid TOML: nested too deeply to read") from None
    values: Any = document
    for part in table.split(".") if table else ():
        values = values.get(part) if isinstance(values, dict) else None
    if values is None:
        return ProjectConfig()
    where = _Lines(text, shown, table)
    if not isinstance(values, dict):
        raise SettingsError(f"{where.at('')}: [{table}] must be a table")
    return _validated(values, where)


def _error_line(error: ValueError, text: str) -> int:
    """tomllib puts the position in its message ("at line 3, column 5"), or says "at end of document"."""
    found = re.search(r"at line (\d+)", str(error))
    return int(found[1]) if found else text.count("\n") + 1


def _validated(values: Mapping[str, Any], where: _Lines) -> ProjectConfig:
    unknown = [key for key in values if key not in KEYS]
    if unknown:
        raise SettingsError(f"{where.at(unknown[0])}: unknown key {unknown[0]!r} (known keys: {', '.join(KEYS)})")
    lists = {key.replace("-", "_"): _string_list(values[key], key, where) for key in _LISTS if key in values}
    fail_on = values.get("fail-on")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise SettingsError(f"{where.at('fail-on')}: 'fail-on' must be one of {', '.join(FAIL_ON)}, got {fail_on!r}")
    return ProjectConfig(source=where.shown, map=_string_map(values.get("map", {}), where), fail_on=fail_on, **lists)


def _string_list(value: Any, key: str, where: _Lines) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise SettingsError(f"{where.at(key)}: {key!r} must be a list of non-empty strings")
    return tuple(item.strip() for item in value)


def _string_map(value: Any, where: _Lines) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(dist, str) and dist.strip() and name.strip() for name, dist in value.items()
    ):
        raise SettingsError(f"{where.at('map')}: 'map' must be a table of import name = \"distribution\"")
    return {name.strip(): dist.strip() for name, dist in value.items()}


class _Lines(NamedTuple):
    """``file:line`` of a key: tomllib gives no positions, and an error should point at the line to edit."""

    text: str
    shown: str
    table: str

    def at(self, key: str) -> str:
        lines = self.text.split("\n")
        start = 0
        if self.table:
            header = re.compile(rf"^\s*\[\s*{re.escape(self.table)}\s*\]")
            start = next((i for i, line in enumerate(lines) if header.search(line)), 0)
        if key:
            pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
            found = next((i for i in range(start, len(lines)) if pattern.search(lines[i])), None)
            if found is not None:
                return f"{self.shown}:{found + 1}"
        return f"{self.shown}:{start + 1}"
