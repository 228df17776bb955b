"""How a suggested requirements.txt line is written: the version styles pipreqs offers (``--mode``).

Kept apart from ``versions`` (which needs ``requests``) so the offline path never imports an HTTP stack.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal, get_args

from pipreqs_action.errors import SettingsError

if TYPE_CHECKING:
    from packaging.version import Version

__all__ = ["DEFAULT_INDEX_URL", "MODES", "Mode", "format_requirement", "mode_for"]

log = logging.getLogger(__name__)

Mode = Literal["pin", "compat", "gt", "no-pin"]
MODES: tuple[str, ...] = get_args(Mode)
DEFAULT_INDEX_URL = "https://pypi.org/pypi"
_OPERATORS: Mapping[str, str] = {"pin": "==", "compat": "~=", "gt": ">="}


def format_requirement(name: str, version: str | None, mode: Mode) -> str:
    """One requirements.txt line; always valid PEP 508, so a strange version degrades to the bare name."""
    if mode not in MODES:
        raise SettingsError(f"version mode: expected one of {', '.join(MODES)}, got {mode!r}")
    if not version or mode == "no-pin":
        return name
    from packaging.version import InvalidVersion, Version  # only with a version to write: an online run

    try:
        parsed = Version(version)
    except InvalidVersion:
        log.debug("not pinning %s: %r is not a PEP 440 version", name, version)
        return name
    return f"{name}{_OPERATORS[mode]}{_specifier_version(parsed, mode)}"


def _specifier_version(version: Version, mode: Mode) -> str:
    """PEP 440 allows a local label only with ``==`` and needs two release segments for ``~=``."""
    if mode == "pin":
        return str(version)
    text = version.public
    if mode == "compat" and len(version.release) == 1:
        epoch = f"{version.epoch}!" if version.epoch else ""
        release = str(version.release[0])
        text = f"{epoch}{release}.0{text[len(epoch) + len(release) :]}"
    return text


def mode_for(mode: Mode, *, library: bool) -> Mode:
    """A library's dependencies are resolved together with its users' other packages: an exact pin to today's
    release would make it uninstallable beside anything needing another, so ``pin`` becomes a lower bound."""
    return "gt" if library and mode == "pin" else mode
