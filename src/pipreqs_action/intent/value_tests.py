"""Which ``if`` tests choose a branch by a run-time value: a setting, an argument, an attribute, a file's type.

``named_choices`` makes an import inside a function optional when the branch holding it runs only when such a
value says so (``if gridgain:``, ``elif api_type == "cohere":``, ``if url.endswith(".svg"):``). Many tests look
alike but say something else, and each of those keeps the import as it is:

- a Python-version, platform or interpreter test (``sys.version_info``, ``sys.platform``, ``os.name``,
  ``TORCH_VERSION``, ``IS_WINDOWS``): ``guards`` and ``version_branches`` judge those;
- ``TYPE_CHECKING`` and ``__name__ == "__main__"``;
- an availability test (``find_spec``, ``is_torch_available()``, ``HAS_TORCH``, ``"x" in sys.modules``,
  ``hasattr``): a guard's business, and ``guards`` judges the ones it knows;
- a test of whether something was already made (``x is None``, ``not self._client``, ``key not in cache``): lazy
  set-up, whose branch runs on the first call whatever the configuration;
- a negation, an inequality or a ``not in`` as the whole test: its branch is the default, taken unless something
  says otherwise (``if not args.no_cuda:``);
- a test of literals, or one reading a module constant assigned one literal and never again (``if FAST:``, ``if
  wandb_log and rank == 0:``): the module as shipped decides, or code sets it by means no reading sees.

An ``and`` chooses its body when one of its parts does and none is of the kinds above but a lazy set-up test; an
``or`` when each of its parts does. Nothing here is a guess about names beyond the list above: a test that does
not read a value (a literal) chooses nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Container

__all__ = ["BY_VALUE", "LiteralConstants", "chooses_by_value"]

BY_VALUE = "imported only when"  # how a reason of an import chosen by a value begins (withheld.py classes it so)

# Words in a name that make a test one of version, platform, typing or availability (lower-cased, substrings).
_NOT_A_SETTING = (
    "version",
    "platform",
    "type_checking",
    "__name__",
    "available",
    "installed",
    "find_spec",
    "find_loader",
    "importlib",
    "windows",
    "win32",
    "darwin",
    "linux",
    "macos",
    "posix",
    "cygwin",
    "pypy",
    "cpython",
    "jython",
    "emscripten",
    "pyodide",
    "has_",
    "hasattr",
    "globals",
    "locals",
)
_PYTHON_FLAGS = frozenset({"py2", "py3", "py34", "py35", "py36", "py37", "py38", "py39", "py310", "py311", "py312"})
_SYS_VALUES = frozenset({"argv"})  # what ``sys`` holds that the user sets at run time; the rest is the interpreter


class LiteralConstants:
    """Module-level names assigned once, to a literal, and never declared ``global`` anywhere in the module: found
    when first asked (most tests name no such constant, and most modules never need to know)."""

    def __init__(self, tree: ast.Module) -> None:
        self._tree = tree
        self._names: frozenset[str] | None = None

    def __contains__(self, name: object) -> bool:
        if self._names is None:
            self._names = _literal_constants(self._tree)
        return name in self._names


def _literal_constants(tree: ast.Module) -> frozenset[str]:
    assigned: dict[str, int] = {}
    literal: set[str] = set()
    for node in tree.body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Name):
                assigned[target.id] = assigned.get(target.id, 0) + 1
                value = getattr(node, "value", None)
                if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(value, ast.Constant):
                    literal.add(target.id)
    if not literal:
        return frozenset()
    changed = {name for node in ast.walk(tree) if isinstance(node, (ast.Global, ast.Nonlocal)) for name in node.names}
    return frozenset(name for name in literal if assigned[name] == 1 and name not in changed)


def chooses_by_value(test: ast.expr, constants: Container[str] = ()) -> bool:
    """Whether ``test``'s truth is a choice made by a run-time value (see the module's docstring)."""
    if _says_something_else(test) or not _reads_a_value(test, constants):
        return False
    return _positive(test)


def _positive(test: ast.expr) -> bool:
    if isinstance(test, ast.BoolOp):
        parts = [_positive(value) for value in test.values]
        if isinstance(test.op, ast.Or):
            return all(parts)
        return any(parts) and all(part or _lazy(value) for part, value in zip(parts, test.values, strict=True))
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return False  # the branch taken unless something says otherwise
    if isinstance(test, ast.Compare):
        return not any(isinstance(op, (ast.NotEq, ast.NotIn, ast.Is, ast.IsNot)) for op in test.ops)
    return isinstance(test, (ast.Name, ast.Attribute, ast.Subscript, ast.Call))


def _lazy(test: ast.expr) -> bool:
    """``x is None``, ``not x``, ``key not in cache``: whether something was made yet, in an ``and`` with a choice."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return True
    return isinstance(test, ast.Compare) and all(isinstance(op, (ast.Is, ast.IsNot, ast.NotIn)) for op in test.ops)


def _says_something_else(test: ast.expr) -> bool:
    """A version, platform, typing, entry-point or availability test anywhere in ``test``."""
    for node in ast.walk(test):
        if isinstance(node, ast.Name):
            word = node.id
        elif isinstance(node, ast.Attribute):
            word = node.attr
            base = node.value
            if isinstance(base, ast.Name) and base.id == "sys" and word not in _SYS_VALUES:
                return True  # sys.version_info, sys.platform, sys.modules, sys.flags...
            if isinstance(base, ast.Name) and base.id in {"os", "platform"} and word in {"name", "uname", "system"}:
                return True
        elif isinstance(node, ast.Constant) and node.value == "__main__":
            return True
        else:
            continue
        lowered = word.lower()
        if lowered in _PYTHON_FLAGS or any(part in lowered for part in _NOT_A_SETTING):
            return True
    return False


def _reads_a_value(test: ast.expr, constants: Container[str]) -> bool:
    """Whether ``test`` reads something at run time, and no literal constant of the module: such a constant, as the
    module ships it, takes part in the choice, and code may set it by means no reading sees (a configuration file
    run with ``exec`` over the module's names)."""
    nodes = list(ast.walk(test))
    if any(isinstance(node, ast.Name) and node.id in constants for node in nodes):
        return False
    return any(isinstance(node, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)) for node in nodes)
