"""The project's own task files at its root: a ``Makefile``'s recipes and shell scripts (``install.sh``,
``setup.sh``), read as text, never run, each command with its line and what it is for.

What a recipe or script installs serves the task it belongs to: a ``Makefile`` target's name says it (``install``,
``run``: the app; ``install_test``, ``docs``, ``lint``: development), and so does a script's name (``setup.sh``:
the app; ``run_tests.sh``: development), with the same words as any development file name (``is_dev_name``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from pipreqs_action.manifests.base import is_dev_name, load_text, real
from pipreqs_action.manifests.dockerfiles import instructions as joined_lines  # the same "\\" continuations

__all__ = ["Command", "commands", "task_files"]

_MAKEFILES = ("Makefile", "makefile", "GNUmakefile")
# A rule's first line: targets, then ":" that is not an assignment (":=", "::=")
_RULE = re.compile(r"^([A-Za-z0-9_.%/ -]+?)\s*::?(?![=:])")


class Command(NamedTuple):
    line: int
    command: str
    dev: bool  # the task is a development one (by the target's or the script's name)


def task_files(root: Path) -> list[str]:
    """The root's Makefile and shell scripts, by label."""
    try:
        names = sorted(entry.name for entry in root.iterdir() if entry.is_file())
    except OSError:
        return []
    return [name for name in names if name in _MAKEFILES or name.endswith(".sh")]


def commands(root: Path, label: str, fence: Path) -> list[Command]:
    """The commands of a task file (``Unreadable`` when it cannot be read): a script's lines, a Makefile's recipe
    lines (continuations joined, comment lines dropped), each marked development by its script's or target's name."""
    lines = joined_lines(load_text(real(root / label), fence))
    if label.endswith(".sh"):
        dev = is_dev_name(label)
        return [Command(number, line, dev) for number, line in lines]
    found: list[Command] = []
    target = ""
    for number, line in lines:
        rule = _RULE.match(line)
        if line.startswith("\t"):
            found.append(Command(number, line.strip().lstrip("@-+"), is_dev_name(target)))
        elif rule is not None:
            target = rule.group(1).strip()
    return found
