"""The package index a pip user has configured, found the way pip finds it, without importing pip.

A company with a private index sets it once, for pip, and expects every tool to use it (and public PyPI never to
be asked). pip's order, lowest to highest precedence (pip ``configuration.py``): the site-wide files
(``$XDG_CONFIG_DIRS/pip/pip.conf``, ``/etc/pip.conf``), the user's files (``~/.pip/pip.conf``,
``~/.config/pip/pip.conf``, and on macOS ``~/Library/Application Support/pip/pip.conf``; skipped when
``PIP_CONFIG_FILE`` names an existing file), the environment's ``sys.prefix/pip.conf``, then ``PIP_CONFIG_FILE``,
then the ``PIP_INDEX_URL`` variable. In each file ``[install]`` beats ``[global]``, as for ``pip install``.
``PIP_CONFIG_FILE=/dev/null`` (``os.devnull``) turns the files off, as in pip.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

log = logging.getLogger(__name__)

__all__ = ["config_files", "pip_index_url"]

_SECTIONS = ("global", "install")  # later wins
_NAME = "pip.ini" if sys.platform == "win32" else "pip.conf"
SYSTEM_DIR = Path("/etc")  # pip's last site-wide file on POSIX: /etc/pip.conf


def pip_index_url(env: Mapping[str, str]) -> str:
    """The index-url pip would use for ``pip install``; "" when nothing is configured (pip's default: PyPI)."""
    if env.get("PIP_INDEX_URL", "").strip():
        return env["PIP_INDEX_URL"].strip()
    found = ""
    for path in config_files(env):
        found = _index_url_in(path) or found
    return found


def config_files(env: Mapping[str, str]) -> list[Path]:
    """pip's configuration files that exist, lowest precedence first."""
    explicit = env.get("PIP_CONFIG_FILE", "")
    if explicit == os.devnull:
        return []
    candidates = [*_site_wide(env)]
    if not (explicit and Path(explicit).is_file()):
        candidates += _user(env)
    candidates.append(Path(sys.prefix) / _NAME)
    if explicit:
        candidates.append(Path(explicit))
    return [path for path in candidates if path.is_file()]


def _site_wide(env: Mapping[str, str]) -> Iterator[Path]:
    if sys.platform == "win32":
        program_data = env.get("PROGRAMDATA", "")
        if program_data:
            yield Path(program_data) / "pip" / _NAME
        return
    dirs = [item for item in env.get("XDG_CONFIG_DIRS", "/etc/xdg").split(os.pathsep) if item]
    yield from (Path(item) / "pip" / _NAME for item in dirs)
    yield SYSTEM_DIR / _NAME


def _user(env: Mapping[str, str]) -> list[Path]:
    home = Path(env.get("HOME") or env.get("USERPROFILE") or "~").expanduser()
    if sys.platform == "win32":
        appdata = env.get("APPDATA", "")
        return [home / "pip" / _NAME, *([Path(appdata) / "pip" / _NAME] if appdata else [])]
    paths = [home / ".pip" / _NAME]
    if sys.platform == "darwin":
        paths.append(home / "Library" / "Application Support" / "pip" / _NAME)
    paths.append(Path(env.get("XDG_CONFIG_HOME") or home / ".config") / "pip" / _NAME)
    return paths


def _index_url_in(path: Path) -> str:
    import configparser  # only a machine with a pip configuration file needs it (start-up)

    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (OSError, UnicodeDecodeError, configparser.Error) as error:
        log.warning("%s: not a readable pip configuration file (%s)", path, type(error).__name__)
        return ""
    found = ""
    for section in _SECTIONS:
        for key in ("index-url", "index_url"):
            if parser.has_option(section, key):
                found = parser.get(section, key).strip() or found
    return found
