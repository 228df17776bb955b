"""``setup.py``, read with ``ast`` and never run: the literal ``install_requires`` / ``extras_require`` /
``tests_require`` of its ``setup(...)`` call, also through a module-level name (``install_requires=REQUIRES``), with
what the module appends to that list, conditionally or not (``setup_py_additions``).
When the list is computed, a requirements file that setup.py opens by a literal name is read instead; otherwise
the manifest is named as unusable with the reason, never guessed."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from pipreqs_action.manifests.base import Lines, Manifest, Unreadable, is_dev_name, load_text, pep508, real
from pipreqs_action.manifests.context import Context
from pipreqs_action.manifests.setup_py_additions import added_entries
from pipreqs_action.manifests.setup_script import NOT_A_PACKAGING_SCRIPT, is_packaging_script
from pipreqs_action.model import Location, Requirement
from pipreqs_action.pep508 import canonical_name

_REQUIREMENTS_FILE = re.compile(r"^[\w./-]*require[\w.-]*\.(?:txt|in)$", re.IGNORECASE)


def read(path: Path, context: Context) -> Manifest:
    label = context.label(path)
    manifest = Manifest(label, "setup.py")
    try:
        text = load_text(real(path), context.fence)
        tree = ast.parse(text)
    except (Unreadable, SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        manifest.unusable("", f"not readable as Python ({type(exc).__name__}: {exc})")
        return manifest
    manifest.sources.append(label)
    call = _setup_call(tree)
    if call is None:
        manifest.unusable("", "no setup(...) call")
        return manifest
    if not is_packaging_script(text):  # given by name (``--requirements``): discovery never reads such a module
        manifest.unusable("", NOT_A_PACKAGING_SCRIPT)
        return manifest
    _keywords(call, tree, Lines(text, label), manifest, context)
    return manifest


def _keywords(call: ast.Call, tree: ast.Module, lines: Lines, manifest: Manifest, context: Context) -> None:
    """The name and the dependency keywords of ``setup(...)``, each literal or through a module-level name."""
    names = module_names(tree)
    keywords = {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg}
    name = _literal(keywords.get("name"), names)
    manifest.project_name = name if isinstance(name, str) else ""
    for key, dev in (("install_requires", False), ("tests_require", True)):
        if key in keywords:
            value = _literal(keywords[key], names)
            if value is _COMPUTED:
                value = _looked_up(keywords[key], names)
            added = _added(tree, keywords[key], names, lines.file, manifest)
            _list(key, value, lines, manifest, context, tree, dev=dev, added=added)
    if "extras_require" not in keywords:
        return
    extras = _literal(keywords["extras_require"], names)
    if not isinstance(extras, dict):
        manifest.unusable("extras_require", "computed, not a literal dict")
        return
    for extra in sorted(str(key) for key in extras):
        where = f"extras_require {extra}"
        _list(where, extras[extra], lines, manifest, context, tree, dev=is_dev_name(extra), extra=extra)


def _added(
    tree: ast.Module, node: ast.expr, names: dict[str, ast.expr], label: str, manifest: Manifest
) -> list[Requirement]:
    """Entries the module appends to the list passed by name (``install_requires=install_deps``), each at the line
    that adds it, with the marker of a platform or Python-version branch (``setup_py_additions``)."""
    if not isinstance(node, ast.Name):
        return []
    found = (
        pep508(item.requirement, Location(label, item.line), manifest) for item in added_entries(tree, node.id, names)
    )
    return [requirement for requirement in found if requirement is not None]


def _setup_call(tree: ast.AST) -> ast.Call | None:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name == "setup":
                return node
    return None


def module_names(tree: ast.Module) -> dict[str, ast.expr]:
    """Module-level ``NAME = <expr>`` assignments, the common way a setup.py keeps its lists."""
    found: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            found[node.target.id] = node.value
    return found


_COMPUTED = object()


def _literal(node: ast.expr | None, names: dict[str, ast.expr]) -> Any:
    """The literal value of an expression, following one module-level name; ``_COMPUTED`` when it is not one."""
    if isinstance(node, ast.Name) and node.id in names:
        node = names[node.id]
    if node is None:
        return _COMPUTED
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
        return _COMPUTED


def _looked_up(node: ast.expr, names: dict[str, ast.expr]) -> Any:
    """``[deps["accelerate"], deps["torch"]]`` over a literal table of requirement strings (``_deps = [...]``, the
    convention of many setup.py files): each name's full requirement from the literal lists of the module."""
    if isinstance(node, ast.Name) and node.id in names:
        node = names[node.id]
    if not isinstance(node, (ast.List, ast.Tuple)) or not node.elts:
        return _COMPUTED
    slices = [item.slice for item in node.elts if isinstance(item, ast.Subscript)]
    keys = [str(item.value) for item in slices if isinstance(item, ast.Constant) and isinstance(item.value, str)]
    if len(keys) != len(node.elts):
        return _COMPUTED
    table = {_name_of(text): text for value in names.values() for text in _strings(value)}
    return [table.get(canonical_name(key), key) for key in keys]


def _strings(node: ast.expr) -> list[str]:
    if not isinstance(node, (ast.List, ast.Tuple)):
        return []
    return [item.value for item in node.elts if isinstance(item, ast.Constant) and isinstance(item.value, str)]


def _name_of(text: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", text)
    return canonical_name(match.group(1)) if match else ""


def _list(
    key: str,
    value: Any,
    lines: Lines,
    manifest: Manifest,
    context: Context,
    tree: ast.AST,
    *,
    dev: bool,
    extra: str = "",
    added: list[Requirement] | None = None,
) -> None:
    if isinstance(value, str):
        value = value.splitlines()
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        found: list[Requirement] = lines.pep508_list(list(value), 0, manifest)
        manifest.add(key, found + (added or []), dev=dev, extra=extra)
        return
    if added:
        manifest.add(key, added, dev=dev, extra=extra)
    opened = _opened_requirement_files(tree) if key == "install_requires" else []
    if not opened and not added:
        manifest.unusable(key, "computed, not a literal list")
    folder = (context.root / manifest.file).parent
    for name in opened:
        try:
            context.read_requirements(Path(folder, name), dev=dev)
        except Unreadable as exc:
            manifest.unusable(f"{key} ({name})", str(exc))


def _opened_requirement_files(tree: ast.AST) -> list[str]:
    """Literal names of requirements files in setup.py (``open("requirements.txt")``), in order of appearance."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _REQUIREMENTS_FILE.match(node.value):
            found.append(node.value)
    return list(dict.fromkeys(found))
