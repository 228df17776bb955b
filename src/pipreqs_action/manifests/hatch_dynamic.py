"""Hatch's metadata hooks: ``[project] dynamic = ["dependencies", "optional-dependencies"]`` with the lists kept in
``[tool.hatch.metadata.hooks.<plugin>]``. Two shapes are common: a plugin that takes the lists themselves
(``uv-dynamic-versioning``, ``fancy-pypi-readme``-style hooks: ``dependencies = [...]`` and an
``optional-dependencies`` table), and ``hatch-requirements-txt``, which names requirements files
(``files = [...]``, ``optional-dependencies.<extra> = [...]``). Without this, every dependency of such a project
came out "missing" (a real monorepo: 25 false alarms in one sub-project).

Entries may carry the plugin's template (``"pydantic-graph=={{ version }}"``, ``{root:uri}``): the templated
version clause is dropped and the name kept. A template is never filled in, least of all from the environment.
"""

from __future__ import annotations

import re
from typing import Any

from pipreqs_action.manifests.base import Lines, Manifest, is_dev_name, table
from pipreqs_action.manifests.context import Context
from pipreqs_action.manifests.setuptools_dynamic import read_files

# A version clause or URL whose value is a template of the build plugin: ``=={{ version }}``, ``@ {root:uri}/x``.
_TEMPLATED_CLAUSE = re.compile(r"\s*(?:===|==|~=|!=|<=|>=|<|>|@)\s*(?:\{\{[^}]*\}\}|\{[a-z_]+:[^}]*\})\S*")


def read(data: dict[str, Any], lines: Lines, manifest: Manifest, context: Context) -> None:
    declared = table(data, "project").get("dynamic")
    wanted = set(declared) & {"dependencies", "optional-dependencies"} if isinstance(declared, list) else set()
    if not wanted:
        return
    hooks = table(data, "tool", "hatch", "metadata", "hooks")
    for plugin in sorted(hooks):
        hook = table(hooks, plugin)
        where = f"[tool.hatch.metadata.hooks.{plugin}]"
        start = lines.header(f"tool.hatch.metadata.hooks.{plugin}")
        if "dependencies" in wanted:
            _runtime(hook, where, start, lines, manifest, context)
        if "optional-dependencies" in wanted:
            _extras(hook, where, start, lines, manifest, context)


def _runtime(hook: dict[str, Any], where: str, start: int, lines: Lines, manifest: Manifest, context: Context) -> None:
    if isinstance(hook.get("dependencies"), list):
        found = lines.pep508_list(hook["dependencies"], lines.key("dependencies", start), manifest, _untemplated)
        manifest.add(f"{where} dependencies", found)
    if "files" in hook:  # hatch-requirements-txt: the files are the project's runtime requirements files
        context.top_level.extend(read_files({"file": hook["files"]}, manifest, context, f"{where} files"))


def _extras(hook: dict[str, Any], where: str, start: int, lines: Lines, manifest: Manifest, context: Context) -> None:
    extras = table(hook, "optional-dependencies")
    by_files = "files" in hook  # hatch-requirements-txt: each extra names files, not requirements
    start = lines.find(r"optional-dependencies", start)
    for extra in sorted(extras):
        label = f"{where} optional-dependencies {extra}"
        dev = is_dev_name(extra)
        if by_files:
            read_files({"file": extras[extra]}, manifest, context, label, dev=dev)
            continue
        found = lines.pep508_list(extras[extra], lines.key(extra, start), manifest, _untemplated)
        manifest.add(label, found, dev=dev, extra="" if dev else extra)


def _untemplated(entry: str) -> str:
    """An entry with its templated version clause dropped: ``"x=={{ version }}"`` is ``x``, never filled in."""
    return _TEMPLATED_CLAUSE.sub("", entry)
