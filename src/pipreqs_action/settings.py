"""Configuration, read once into typed values, whichever front door the run came through.

``Settings`` drives the engine (CLI, Action and server alike); ``action_settings.ActionSettings`` adds what only the
Action needs (kept apart: a command-line check never creates its class). Every value is validated here, and a bad
one raises ``SettingsError`` naming the option or input, so the rest of the code never re-checks. Only
``action.py`` hands ``os.environ`` in; nothing else reads the environment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple, cast
from urllib.parse import urlsplit

from pipreqs_action.config import FAIL_ON, FailOn, ProjectConfig, read_config
from pipreqs_action.errors import SettingsError
from pipreqs_action.limits import DEFAULT_LIMITS, ScanLimits
from pipreqs_action.pins import DEFAULT_INDEX_URL, MODES, Mode
from pipreqs_action.render import FORMATS, Format

__all__ = ["FAIL_ON", "FailOn", "Settings", "engine_settings"]
_TRUE, _FALSE = ("true", "yes", "1", "on"), ("false", "no", "0", "off", "")


class Settings(NamedTuple):
    """What to check and how to report it (a ``NamedTuple``, not a dataclass: start-up, see ``model``)."""

    path: Path = Path()
    requirements: tuple[Path, ...] = ()
    exclude: tuple[str, ...] = ()
    mode: Mode = "pin"
    fail_on: FailOn = "missing"
    index_url: str = DEFAULT_INDEX_URL
    offline: bool = False
    output_format: Format = "text"
    full_parse: bool = False
    overrides: Mapping[str, str] = MappingProxyType({})
    config: ProjectConfig = ProjectConfig()  # the project's file, merged with flags/inputs
    limits: ScanLimits = DEFAULT_LIMITS  # time, memory and index lookups of one check (limits.py)


def parse_bool(name: str, value: str) -> bool:
    """The one boolean parser: 'true'/'false' and friends, case-insensitive; anything else names the input."""
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise SettingsError(f"{name}: expected true or false, got {value!r}")


def choice(name: str, value: str, allowed: Iterable[str]) -> str:
    options = tuple(allowed)
    if value not in options:
        raise SettingsError(f"{name}: expected one of {', '.join(options)}, got {value!r}")
    return value


def http_url(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        # never echo the value: it may carry credentials (https://user:token@host)
        raise SettingsError(f"{name}: expected an http(s) URL with a host name")
    return value.rstrip("/")


def parse_overrides(name: str, items: Iterable[str]) -> dict[str, str]:
    """`import=distribution` pairs: the user's word beats every data source."""
    overrides = {}
    for item in items:
        module, sep, dist = item.partition("=")
        if not sep or not module.strip() or not dist.strip():
            raise SettingsError(f"{name}: expected IMPORT=DISTRIBUTION, got {item!r}")
        overrides[module.strip()] = dist.strip()
    return overrides


def engine_settings(
    *,
    path: str | Path = ".",
    requirements: Iterable[str | Path] = (),
    exclude: Iterable[str] = (),
    mode: str = "pin",
    fail_on: str | None = None,
    index_url: str = DEFAULT_INDEX_URL,
    offline: bool = False,
    output_format: str = "text",
    full_parse: bool = False,
    overrides: Iterable[str] = (),
    config: str | Path | None = None,
    project_config: bool = True,
    ignore: Iterable[str] = (),
    default_fail_on: FailOn = "missing",
    limits: ScanLimits = DEFAULT_LIMITS,
) -> Settings:
    """Validated Settings from plain values (the CLI's options, the Action's inputs, a request's query).

    The project's configuration file (``config`` names one, else it is looked for under ``path`` unless
    ``project_config`` is False) is read here, once; what the caller passes wins over it: ``fail_on`` (None: the
    file's, else ``default_fail_on``), ``overrides`` per import name, and ``exclude`` and ``ignore`` add to it.
    """
    root = Path(path)
    if not root.is_dir():
        raise SettingsError(f"path: {str(root)!r} is not a directory")
    explicit = Path(config) if config else None
    project = read_config(root, explicit) if project_config or explicit else ProjectConfig()
    cli_map = parse_overrides("map", overrides)
    names = tuple(item.strip() for item in ignore if item.strip())
    merged = project._replace(
        ignore_missing=(*project.ignore_missing, *names),
        ignore_unused=(*project.ignore_unused, *names),
        map={**project.map, **cli_map},
        exclude=(*project.exclude, *(item for item in exclude if item.strip())),
    )
    return Settings(
        path=root,
        requirements=tuple(Path(item) for item in requirements),
        exclude=merged.exclude,
        mode=cast(Mode, choice("mode", mode, MODES)),
        fail_on=cast(FailOn, choice("fail-on", fail_on or project.fail_on or default_fail_on, FAIL_ON)),
        index_url=http_url("index-url", index_url),
        offline=offline,
        output_format=cast(Format, choice("format", output_format, FORMATS)),
        full_parse=full_parse,
        overrides=merged.map,
        config=merged,
        limits=limits,
    )
