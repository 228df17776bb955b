"""Optional parts of the install, and the one message a front door gives when the part it needs is missing.

``pip install pipreqs-action`` is the command-line check alone: a dozen small distributions and no GitHub client.
The GitHub Action's tracking issue (PyGithub) and runner protocol (actions-toolkit, which also writes
``check --format github``'s annotations) are the ``action`` extra, which the image installs; the HTTP API's server
stack is the ``server`` extra. Modules are looked for without being imported, so the check costs nothing.
"""

from __future__ import annotations

import importlib.util

from pipreqs_action.errors import SettingsError

__all__ = ["EXTRAS", "missing", "missing_message", "require"]

# extra -> the top-level modules its distributions install, as the code imports them
EXTRAS: dict[str, tuple[str, ...]] = {
    "action": ("github", "actions_toolkit"),
    "server": ("starlette", "uvicorn"),
}


def missing(extra: str) -> list[str]:
    """The modules of ``extra`` that are not installed."""
    return [module for module in EXTRAS[extra] if importlib.util.find_spec(module) is None]


def missing_message(extra: str, what: str) -> str | None:
    """One line saying what to install for ``what``, or None when ``extra`` is installed."""
    absent = missing(extra)
    if not absent:
        return None
    return (
        f"{what} needs the [{extra}] extra of pipreqs-action ({', '.join(absent)} not installed):"
        f" pip install 'pipreqs-action[{extra}]'"
    )


def require(extra: str, what: str) -> None:
    """Raise a ``SettingsError`` (exit 2, one line) when ``extra`` is not installed."""
    message = missing_message(extra, what)
    if message:
        raise SettingsError(message)
