"""The fix in the target manifest's own terms: the entries to add, written as that file writes them, and the
command of the tool that manages it (``uv add``, ``poetry add``, ``pdm add``, ``pipenv install``).

A requirements file gets lines (the versions style chosen by ``--mode``); a library (pyproject ``[project]``,
setup.cfg, setup.py) gets lower bounds instead of exact pins (see ``pins.mode_for``).
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from pipreqs_action.model import Advice, FixTarget, Missing
from pipreqs_action.pep508 import parse
from pipreqs_action.pins import Mode, format_requirement, mode_for

_COMMANDS = {"uv": "uv add", "poetry": "poetry add", "pdm": "pdm add", "pipenv": "pipenv install"}


def advise(target: FixTarget | None, missing: Sequence[Missing], mode: Mode) -> Advice:
    """What to add where, for the packages missing at run time (``missing`` already carries their versions)."""
    if target is None:
        target = FixTarget("requirements", "requirements.txt")
    mode = mode_for(mode, library=target.library)
    lines = [format_requirement(item.package, item.version or None, mode) for item in missing]
    command = f"{_COMMANDS[target.tool]} {' '.join(shlex.quote(line) for line in lines)}" if target.tool else ""
    entries, syntax = _entries(target, lines)
    return Advice(target.file, target.kind, target.table, tuple(entries), command if lines else "", syntax)


def _entries(target: FixTarget, lines: list[str]) -> tuple[list[str], str]:
    if target.kind == "pyproject" and target.table.startswith("[tool.poetry"):
        return [_table_entry(line) for line in lines], "toml"
    if target.kind == "Pipfile":
        return [_table_entry(line) for line in lines], "toml"
    if target.kind == "pyproject":
        return [f'"{line}",' for line in lines], "toml"
    if target.kind == "setup.py":
        return [f'"{line}",' for line in lines], "python"
    if target.kind == "setup.cfg":
        return [f"    {line}" for line in lines], "ini"
    if target.kind == "conda":
        return [f"- {line}" for line in lines], "yaml"
    return lines, "text"


def _table_entry(line: str) -> str:
    """``name = "<specifier>"`` as Poetry and Pipenv write an entry (``"*"``: any version)."""
    requirement = parse(line)
    return f'{requirement.name} = "{requirement.specifier or "*"}"'
