"""Configuration, read once into typed values, whichever front door the run came through.

``Settings`` drives the engine (CLI, Action and server alike); ``ActionSettings`` adds what only the Action needs.
Every value is validated here, and a bad one raises ``SettingsError`` naming the option or input, so the rest of
the code never re-checks. Only ``action.py`` hands ``os.environ`` in; nothing else reads the environment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, cast
from urllib.parse import urlsplit

from pipreqs_action.errors import SettingsError
from pipreqs_action.render import FORMATS, Format
from pipreqs_action.versions import DEFAULT_INDEX_URL, MODES, Mode

FailOn = Literal["missing", "any", "never"]
FAIL_ON: tuple[FailOn, ...] = ("missing", "any", "never")
_TRUE, _FALSE = ("true", "yes", "1", "on"), ("false", "no", "0", "off", "")


@dataclass(frozen=True, slots=True)
class Settings:
    """What to check and how to report it."""

    path: Path = Path()
    requirements: tuple[Path, ...] = ()
    exclude: tuple[str, ...] = ()
    mode: Mode = "pin"
    fail_on: FailOn = "missing"
    index_url: str = DEFAULT_INDEX_URL
    offline: bool = False
    output_format: Format = "text"
    full_parse: bool = False
    overrides: Mapping[str, str] = field(default_factory=dict)


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
        raise SettingsError(f"{name}: expected an http(s) URL, got {value!r}")
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
    fail_on: str = "missing",
    index_url: str = DEFAULT_INDEX_URL,
    offline: bool = False,
    output_format: str = "text",
    full_parse: bool = False,
    overrides: Iterable[str] = (),
) -> Settings:
    """Validated Settings from plain values (the CLI's options, the Action's inputs, a request's query)."""
    root = Path(path)
    if not root.is_dir():
        raise SettingsError(f"path: {str(root)!r} is not a directory")
    return Settings(
        path=root,
        requirements=tuple(Path(item) for item in requirements),
        exclude=tuple(item for item in exclude if item.strip()),
        mode=cast(Mode, choice("mode", mode, MODES)),
        fail_on=cast(FailOn, choice("fail-on", fail_on, FAIL_ON)),
        index_url=http_url("index-url", index_url),
        offline=offline,
        output_format=cast(Format, choice("format", output_format, FORMATS)),
        full_parse=full_parse,
        overrides=parse_overrides("map", overrides),
    )
