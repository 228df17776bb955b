"""What a ``setup.py`` adds to the list it passes as ``install_requires``, read with ``ast`` and never run.

Many setup.py files build the list in steps: ``install_deps = ["numpy"]``, then ``install_deps.append("tensorflow")``
unless some other build is installed, ``requirements += ["pywin32"]`` on Windows, ``deps.extend([...])`` on an older
Python. Each entry added that way, at the module's top level or in its ``if``/``else``/``try``/``with`` blocks, is
declared: the author wrote it for the package's users. When the ``if`` test is a platform or Python-version test
(``sys.platform == "win32"``, ``sys.version_info < (3, 8)``, as ``guards`` reads an import's branch), the entry
carries that environment marker (``pywin32; sys_platform == "win32"``); any other condition (an installed
distribution, an environment variable) leaves it unmarked, declared all the same.

Strings are taken as written, joined with ``+`` or in an f-string when each part is a literal or a module-level
name bound to one (``"tensorflow>=" + tf_ver``); an entry whose tail is computed keeps the name its literal start
spells (``"tensorflow>=" + version()`` declares tensorflow).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipreqs_action.intent import guards

__all__ = ["Added", "added_entries"]

# A requirement's name (and extras) before its version or marker: ``"tensorflow>=" + version()``. A computed tail
# right after the name (``"tensorflow" + suffix``) may change the name itself, so it names nothing.
_NAME_START = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?)\s*[<>=!~;@ ]")


@dataclass(frozen=True, slots=True)
class Added:
    """One requirement string added to the list, the line that adds it, and the marker of its branch ("" none)."""

    text: str
    line: int
    marker: str = ""

    @property
    def requirement(self) -> str:
        """The PEP 508 line: the branch's marker joined to the entry's own (an entry's own marker is kept)."""
        if not self.marker:
            return self.text
        if ";" in self.text:
            requirement, _, own = self.text.partition(";")
            return f"{requirement.strip()}; ({own.strip()}) and ({self.marker})"
        return f"{self.text}; {self.marker}"


def added_entries(tree: ast.Module, list_name: str, names: dict[str, ast.expr]) -> list[Added]:
    """Strings the module adds to ``list_name`` with ``append``/``extend``/``+=``, in order; ``names`` are the
    module-level assignments (``NAME = <expr>``) a string part may refer to."""
    found: list[Added] = []
    for statement, context in _statements(tree.body, guards.NOTHING):
        for text in _added_strings(statement, list_name, names):
            found.append(Added(text, statement.lineno, context.marker if context.markers else ""))
    return found


def _statements(body: list[ast.stmt], context: guards.Context) -> Iterator[tuple[ast.stmt, guards.Context]]:
    """Every statement of the module's top-level blocks (never a function's or a class's body), with the branch
    context it runs in."""
    for statement in body:
        if isinstance(statement, ast.If):
            inside, outside = guards.if_contexts(statement.test, guards.no_names)
            yield from _statements(statement.body, inside.within(context))
            yield from _statements(statement.orelse, outside.within(context))
        elif isinstance(statement, ast.Try):
            for block in (statement.body, *(handler.body for handler in statement.handlers), statement.orelse):
                yield from _statements(block, context)
        elif isinstance(statement, ast.With):
            yield from _statements(statement.body, context)
        else:
            yield statement, context


def _added_strings(statement: ast.stmt, list_name: str, names: dict[str, ast.expr]) -> list[str]:
    """``NAME.append(x)``, ``NAME.extend([...])``, ``NAME += [...]``: the requirement strings it adds."""
    if isinstance(statement, ast.AugAssign) and isinstance(statement.op, ast.Add):
        if isinstance(statement.target, ast.Name) and statement.target.id == list_name:
            return _strings_of(statement.value, names)
        return []
    call = statement.value if isinstance(statement, ast.Expr) else None
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute) or len(call.args) != 1:
        return []
    owner = call.func.value
    if not isinstance(owner, ast.Name) or owner.id != list_name:
        return []
    if call.func.attr == "append":
        text = _text(call.args[0], names)
        return [text] if text else []
    return _strings_of(call.args[0], names) if call.func.attr == "extend" else []


def _strings_of(node: ast.expr, names: dict[str, ast.expr]) -> list[str]:
    """The strings of a list or tuple literal, or of the module-level list a name is bound to."""
    if isinstance(node, ast.Name) and isinstance(names.get(node.id), (ast.List, ast.Tuple)):
        node = names[node.id]
    if not isinstance(node, (ast.List, ast.Tuple)):
        return []
    return [text for item in node.elts if (text := _text(item, names))]


def _text(node: ast.expr, names: dict[str, ast.expr]) -> str:
    """A requirement string as written: the whole of it when every part is literal, else the name it starts with."""
    whole = _literal_text(node, names, depth=0)
    if whole is not None:
        return whole.strip()
    match = _NAME_START.match(_leading_text(node))
    return match[1] if match else ""


def _literal_text(node: ast.expr, names: dict[str, ast.expr], depth: int) -> str | None:
    if depth > 8:
        return None
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.Name) and node.id in names:
        return _literal_text(names[node.id], names, depth + 1)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal_text(node.left, names, depth + 1), _literal_text(node.right, names, depth + 1)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.JoinedStr):
        parts = [_literal_text(_formatted(value), names, depth + 1) for value in node.values]
        return None if any(part is None for part in parts) else "".join(part or "" for part in parts)
    return None


def _formatted(node: ast.expr) -> ast.expr:
    """The expression inside an f-string's ``{...}`` when it has no conversion or format spec; else the node."""
    if isinstance(node, ast.FormattedValue) and node.conversion == -1 and node.format_spec is None:
        return node.value
    return node


def _leading_text(node: ast.expr) -> str:
    """The literal text an expression starts with (``"tensorflow>=" + version()``), "" when it starts computed."""
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        node = node.left
    if isinstance(node, ast.JoinedStr) and node.values:
        node = node.values[0]
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""
