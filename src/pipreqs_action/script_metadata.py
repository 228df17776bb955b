"""PEP 723 inline script metadata: what a single-file script declares for itself.

A script can carry its own requirements in a comment block (packaging.python.org, "Inline script metadata")::

    # /// script
    # requires-python = ">=3.11"
    # dependencies = ["accelerate", "wandb"]
    # ///

``uv run train.py`` (or ``pipx run``, ``hatch run``) installs them into the script's own environment, so they are
declared *for that script*: its imports are satisfied by them, and no other file's are. The block is found with
the specification's regular expression and its TOML read with tomllib, never run; ``requires-python`` there
judges the script's Python-version branches (``version_branches``). A block that cannot be read (not TOML, more
than one ``script`` block, ``dependencies`` not a list of strings) is a warning naming the file and line; an entry
that is not PEP 508 is a requirement line that could not be used, at its own line.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipreqs_action.manifests.base import from_pep508, message, short
from pipreqs_action.manifests.requires_python import RequiresPython, valid
from pipreqs_action.model import Declared, DeclaredBy, Location, Requirement, ScriptMetadata, Skipped
from pipreqs_action.pep508 import InvalidRequirement, parse
from pipreqs_action.reading.lazy_regex import LazyPattern

__all__ = ["TABLE", "contributions", "declare", "read", "requires_python"]

TABLE = "inline script metadata"
# The specification's regular expression, as written there.
_BLOCK = LazyPattern(r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$")
_OPENING = "# /// script"


def read(text: str, rel: str) -> ScriptMetadata | None:
    """The script's inline metadata, or None when it has no ``script`` block."""
    if _OPENING not in text:
        return None
    text = text.replace("\r\n", "\n")
    blocks = [match for match in _BLOCK.finditer(text) if match["type"] == "script"]
    if not blocks:
        return None
    first = text.count("\n", 0, blocks[0].start()) + 1
    if len(blocks) > 1:
        return ScriptMetadata(rel, first, unusable=f"{len(blocks)} '# /// script' blocks; PEP 723 allows one")
    lines = blocks[0]["content"].splitlines(keepends=True)
    content = "".join(line[2:] if line.startswith("# ") else line[1:] for line in lines)
    from pipreqs_action.reading.toml_documents import TOMLDecodeError, loads  # only a script with a block needs it

    try:
        data = loads(content)
    except TOMLDecodeError as exc:
        return ScriptMetadata(rel, first, unusable=f"not valid TOML ({message(exc)})")
    except RecursionError:
        return ScriptMetadata(rel, first, unusable="not valid TOML (nested too deeply)")
    return _metadata(data, rel, first, lines)


def _metadata(data: dict[str, object], rel: str, first: int, lines: list[str]) -> ScriptMetadata:
    dependencies = data.get("dependencies", [])
    python = data.get("requires-python", "")
    if not isinstance(dependencies, list) or not all(isinstance(item, str) for item in dependencies):
        return ScriptMetadata(rel, first, unusable="'dependencies' is not a list of strings")
    requirements: list[Requirement] = []
    problems: list[Skipped] = []
    for value in dependencies:
        location = Location(rel, first + 1 + _line_of(value, lines))
        try:
            requirements.append(from_pep508(parse(value.strip()), location, value.strip()))
        except InvalidRequirement as exc:
            problems.append(Skipped(str(location), f"{short(value)}: {message(exc)}"))
    return ScriptMetadata(
        rel,
        first,
        tuple(requirements),
        python.strip() if isinstance(python, str) else "",
        tuple(problems),
    )


def _line_of(value: str, lines: list[str]) -> int:
    """Index of the block's first line that quotes ``value`` (where the entry is written), else of its first line."""
    quoted = (f'"{value}"', f"'{value}'")
    return next((index for index, line in enumerate(lines) if any(form in line for form in quoted)), 0)


def declare(declared: Declared, scripts: Iterable[ScriptMetadata], outside: Iterable[str] = ()) -> Declared:
    """``declared`` with the scripts' own declarations (each for its own file), less those in ``outside``: folders
    that are projects of their own, whose scripts their own check reads."""
    folders = tuple(f"{folder.rstrip('/')}/" for folder in outside)
    kept = tuple(script for script in scripts if not script.path.startswith(folders))
    if not kept:
        return declared
    problems = (*declared.problems, *(problem for script in kept for problem in script.problems))
    warnings = tuple(
        f"{script.path}:{script.line}: {TABLE} not read: {script.unusable}" for script in kept if script.unusable
    )
    return declared._replace(scripts=kept, problems=problems, warnings=(*declared.warnings, *warnings))


def contributions(declared: Declared) -> tuple[DeclaredBy, ...]:
    """What each script's block declared, for "declared in": ``train.py inline script metadata (3)``."""
    return tuple(
        DeclaredBy(script.path, TABLE, len(script.requirements)) for script in declared.scripts if not script.unusable
    )


def requires_python(scripts: Iterable[ScriptMetadata]) -> dict[str, RequiresPython]:
    """The Pythons each script declares it runs on, by path (scripts that say nothing are left out)."""
    found = {script.path: valid(script.requires_python, Location(script.path, script.line)) for script in scripts}
    return {path: supported for path, supported in found.items() if supported is not None}
