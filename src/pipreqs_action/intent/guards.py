"""What the author meant by the code around an import: guarded, type-only, Python 2, one platform, on demand.

Both ways of reading a file (the fast scan of import statements and the full ``ast`` parse) hand the same small
``ast`` nodes to these functions: an ``if`` test, the items of a ``with``, the statement before an import. So the
two paths cannot disagree about what a guard means, only about which headers they see.

Each guard becomes a ``Context``: ``optional`` (the app runs without the package), ``type_only``, a ``marker``
(PEP 508: the import runs only on that platform or Python version, so the suggested line carries it) and the
``reason`` a user reads in the report.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import NamedTuple

from pipreqs_action.intent.deferred_imports import Checked, deferred_reason, never_checked
from pipreqs_action.reading.ast_names import catches_everything, last_name, names_import_error

IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})

EXCEPT_IMPORT_ERROR = "guarded by except ImportError"
TYPE_CHECKING_ONLY = "only under if TYPE_CHECKING"
PYTHON2_BRANCH = "Python 2 branch"
_GUARD_PREFIXES = ("guarded by ", "installed on demand")

# Most informative first: a named guard says more than a generic except, which says more than a path rule.
_REASON_RANK = (
    "installed on demand",
    "guarded by find_spec",
    "guarded by contextlib.suppress",
    "guarded by ",  # availability helpers and flags (except ImportError is ranked below)
    PYTHON2_BRANCH,
    EXCEPT_IMPORT_ERROR,
    TYPE_CHECKING_ONLY,
    "in typing-only module",
    "optional feature",
)

_AVAILABILITY_CALL = re.compile(r"^_?(?:is_\w+_available|\w+_available|has_\w+)$")
_AVAILABILITY_NAME = re.compile(r"^_?(?:has|HAS|have|HAVE)_\w+$|^_?\w+_(?:available|AVAILABLE|installed|INSTALLED)$")
_FIND_SPEC = frozenset({"find_spec", "find_loader"})
# ensure_package, install_package, require, pip_install, check_requirements (yolov5), ensure_installed...
_INSTALL_CALL = re.compile(r"^_?(?:ensure|install|require|pip_install)(?:_\w+)?$|^_?check_requirements?$|^\w+_install$")
_PY2_NAMES = frozenset({"PY2", "IS_PY2", "is_py2", "PY_2"})
_PY3_NAMES = frozenset({"PY3", "IS_PY3", "is_py3", "PY_3", "PY3K"})
# A platform as each API spells it -> the sys_platform value PEP 508 markers use.
_PLATFORMS = {
    ("sys.platform", "win32"): "win32",
    ("sys.platform", "cygwin"): "cygwin",
    ("sys.platform", "darwin"): "darwin",
    ("sys.platform", "linux"): "linux",
    ("sys.platform", "linux2"): "linux",
    ("os.name", "nt"): "win32",
    ("platform.system()", "Windows"): "win32",
    ("platform.system()", "Darwin"): "darwin",
    ("platform.system()", "Linux"): "linux",
}
_PLATFORM_PREFIXES = {"win": "win32", "linux": "linux", "darwin": "darwin", "cygwin": "cygwin"}


class Context(NamedTuple):
    """What holds for code at one place; ``within`` adds an enclosing block's context (order does not matter)."""

    optional: bool = False
    type_only: bool = False
    reason: str = ""
    markers: tuple[str, ...] = ()  # PEP 508 conditions that all hold here, sorted
    in_function: bool = False

    def within(self, outer: Context) -> Context:
        if outer == NOTHING:
            return self
        return Context(
            optional=self.optional or outer.optional,
            type_only=self.type_only or outer.type_only,
            reason=best_reason((self.reason, outer.reason)),
            markers=_implied_left_out({*self.markers, *outer.markers}),
            in_function=self.in_function or outer.in_function,
        )

    @property
    def marker(self) -> str:
        """One PEP 508 marker: the conditions joined by ``and``, an ``or`` inside one put in brackets."""
        if len(self.markers) == 1:
            return self.markers[0]
        return " and ".join(f"({part})" if " or " in part else part for part in self.markers)


def _implied_left_out(markers: set[str]) -> tuple[str, ...]:
    """The conditions, sorted, less those one platform already implies: under ``sys_platform == "darwin"``,
    ``sys_platform != "win32"`` (an ``elif`` after a Windows branch) says nothing more."""
    platforms = [marker for marker in markers if _ONE_PLATFORM.fullmatch(marker)]
    if len(platforms) == 1:
        named = platforms[0].split('"')[1]
        markers = {
            marker
            for marker in markers
            if not (_NOT_PLATFORMS.fullmatch(marker) and f'"{named}"' not in marker)  # a contradiction stays
        }
    return tuple(sorted(markers))


_ONE_PLATFORM = re.compile(r'sys_platform == "[\w.-]+"')
_NOT_PLATFORMS = re.compile(r'sys_platform != "[\w.-]+"(?: and sys_platform != "[\w.-]+")*')

NOTHING = Context()
FUNCTION = Context(in_function=True)
ON_DEMAND = FUNCTION  # an ``if`` on the environment: runs only when asked, like a function's body
EXCEPT_GUARD = Context(optional=True, reason=EXCEPT_IMPORT_ERROR)


def best_reason(reasons: tuple[str, ...] | list[str]) -> str:
    """The most informative of several reasons; deterministic (rank, then text)."""
    given = [reason for reason in reasons if reason]
    return min(given, key=lambda reason: (_rank(reason), reason), default="")


def _rank(reason: str) -> int:
    if reason == EXCEPT_IMPORT_ERROR:
        return _REASON_RANK.index(EXCEPT_IMPORT_ERROR)
    return next((rank for rank, prefix in enumerate(_REASON_RANK) if reason.startswith(prefix)), len(_REASON_RANK))


def is_guard_reason(reason: str) -> bool:
    """A guard the author wrote for a package that may be absent (not a Python 2 branch or a type-only block)."""
    return reason.startswith(_GUARD_PREFIXES)


# --- try / with -------------------------------------------------------------------------------------------------


def handler_catches_import_error(handler: ast.ExceptHandler) -> bool:
    return names_import_error(handler.type) or catches_everything(handler.type)


def with_context(items: list[ast.withitem], checked: Checked = never_checked) -> Context:
    """``with contextlib.suppress(ImportError):`` (or any of the errors a failed import raises), or a deferred-import
    guard whose handle the file asks later (``with LazyImport(...) as x_import:``, see ``deferred_imports``)."""
    for item in items:
        call = item.context_expr
        if isinstance(call, ast.Call) and last_name(call.func) == "suppress":
            kinds = [kind for arg in call.args for kind in (arg.elts if isinstance(arg, ast.Tuple) else [arg])]
            caught = [last_name(kind) for kind in kinds if last_name(kind) in IMPORT_ERRORS]
            if caught:
                return Context(optional=True, reason=f"guarded by contextlib.suppress({caught[0]})")
        deferred = deferred_reason(item, checked)
        if deferred:
            return Context(optional=True, reason=deferred)
    return NOTHING


# --- if tests ---------------------------------------------------------------------------------------------------

Lookup = Callable[[str], "Names"]


class Names(NamedTuple):
    """What the file says about a bare name used in an ``if`` test."""

    flag: bool = False  # set by a guarded import, or from find_spec / an availability helper
    alias: ast.expr | None = None  # its only assignment, e.g. ``WINDOWS = sys.platform == "win32"``


def if_contexts(test: ast.expr, lookup: Lookup) -> tuple[Context, Context]:
    """The contexts of an ``if`` statement's body and of its ``else`` block."""
    if last_name(test) == "TYPE_CHECKING":
        return Context(type_only=True, reason=TYPE_CHECKING_ONLY), NOTHING
    condition = _condition(test, lookup, depth=0)
    reason = _availability(test, lookup)
    if not reason:
        if condition is None and reads_environment(test):
            return ON_DEMAND, NOTHING
        return condition or (NOTHING, NOTHING)
    guarded = Context(optional=True, reason=reason)  # both branches: the code runs with the package or without
    return (guarded, guarded) if condition is None else (condition[0].within(guarded), condition[1].within(guarded))


def reads_environment(test: ast.expr) -> bool:
    """``os.environ.get("FLASK_COVERAGE")``, ``os.getenv("X") == "1"``, ``"X" in os.environ``: the body runs only
    when whoever starts the program asks for it (a flag for coverage, profiling, a debugger): on demand, like a
    function's body. The ``else`` block is the default path and stays as it is."""
    for node in ast.walk(test):
        name = _dotted(node) if isinstance(node, (ast.Attribute, ast.Name)) else ""
        if name.rpartition(".")[2] in ("environ", "getenv", "environb", "getenvb"):
            return True
    return False


def _availability(test: ast.expr, lookup: Lookup) -> str:
    """``find_spec("x")``, ``is_x_available()``, or a flag name anywhere in the test: a reason, else ""."""
    for node in ast.walk(test):
        if isinstance(node, ast.Call):
            name = last_name(node.func)
            if name in _FIND_SPEC:
                first = node.args[0] if node.args else None
                literal = repr(first.value) if isinstance(first, ast.Constant) and isinstance(first.value, str) else ""
                return f"guarded by find_spec({literal})"
            if _AVAILABILITY_CALL.match(name):
                return f"guarded by {name}()"
        elif isinstance(node, ast.Compare) and _in_sys_modules(node):
            return f"guarded by {node.left.value!r} in sys.modules"  # type: ignore[attr-defined]
    return next((f"guarded by {name}" for name in _truth_names(test) if lookup(name).flag), "")


def _in_sys_modules(test: ast.Compare) -> bool:
    """``"google.colab" in sys.modules``: the code runs only where that module is already loaded."""
    return (
        isinstance(test.left, ast.Constant)
        and isinstance(test.left.value, str)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.In)
        and _dotted(test.comparators[0]) == "sys.modules"
    )


def _truth_names(test: ast.expr) -> list[str]:
    """Names whose truth the test asks about: ``x``, ``not x``, ``x and y``, ``x is None``, not call arguments."""
    if isinstance(test, ast.Name):
        return [test.id]
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _truth_names(test.operand)
    if isinstance(test, ast.BoolOp):
        return [name for value in test.values for name in _truth_names(value)]
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Is, ast.IsNot)):
        right = test.comparators[0]
        return _truth_names(test.left) if isinstance(right, ast.Constant) and right.value is None else []
    return []


_Branches = tuple[Context, Context]


def _condition(test: ast.expr, lookup: Lookup, depth: int) -> _Branches | None:
    """Python-version and platform tests: (body, else) contexts, or None when the test is neither."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _condition(test.operand, lookup, depth)
        return None if inner is None else (inner[1], inner[0])
    if isinstance(test, ast.BoolOp):
        return _bool_condition(test, lookup, depth)
    name = last_name(test)
    if isinstance(test, (ast.Name, ast.Attribute)) and name in _PY2_NAMES | _PY3_NAMES:
        py2 = Context(optional=True, reason=PYTHON2_BRANCH)
        return (py2, NOTHING) if name in _PY2_NAMES else (NOTHING, py2)
    if isinstance(test, ast.Name) and depth == 0:
        alias = lookup(test.id).alias
        return None if alias is None else _condition(alias, lookup, depth + 1)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        return _version_compare(test) or _platform_compare(test)
    if isinstance(test, ast.Call) and _dotted(test.func) == "sys.platform.startswith" and len(test.args) == 1:
        prefixes = _strings(test.args[0])
        platforms = {_PLATFORM_PREFIXES.get(prefix) for prefix in prefixes}
        if prefixes and None not in platforms:
            return _platform_branches(sorted(p for p in platforms if p), equal=True)
    return None


def _bool_condition(test: ast.BoolOp, lookup: Lookup, depth: int) -> _Branches | None:
    """``A and B``: the body needs every known part; ``A or B`` only when every part is known."""
    parts = [_condition(value, lookup, depth) for value in test.values]
    known = [part for part in parts if part is not None]
    if not known:
        return None
    if isinstance(test.op, ast.And):
        body = NOTHING
        for part in known:
            body = body.within(part[0])
        return body, NOTHING
    if len(known) != len(parts) or any(part[0].optional or part[1].optional for part in known):
        return None
    markers = sorted({part[0].marker for part in known})
    if "" in markers:
        return None
    return Context(markers=(" or ".join(markers),)), NOTHING


def _version_compare(test: ast.Compare) -> _Branches | None:
    """A Python 2 branch (optional), or a Python 3.x branch (a ``python_version`` marker)."""
    symbol = _OPERATORS.get(type(test.ops[0]))
    found = _version_value(test.left, test.comparators[0])
    if symbol is None or found is None:
        return None
    width, version = found
    py2 = _holds(symbol, (2, 7, 18)[:width], version)
    py3 = {_holds(symbol, actual[:width], version) for actual in ((3, 0, 0), (3, 8, 1), (3, 99, 0))}
    if len(py3) == 1 and py2 not in py3:
        branch = Context(optional=True, reason=PYTHON2_BRANCH)
        return (branch, NOTHING) if py2 else (NOTHING, branch)
    if width > 1 and len(version) == 2 and version[0] == 3 and symbol in _VERSION_MARKERS:
        true_op, false_op = _VERSION_MARKERS[symbol]
        number = f"{version[0]}.{version[1]}"
        inside = Context(markers=(f'python_version {true_op} "{number}"',))
        return inside, Context(markers=(f'python_version {false_op} "{number}"',))
    return None


_OPERATORS: dict[type[ast.cmpop], str] = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
}
# sys.version_info against a two-part tuple: (3, 8, 1) > (3, 8), so ">" means ">=" and "<=" means "<".
_VERSION_MARKERS = {"<": ("<", ">="), "<=": ("<", ">="), ">=": (">=", "<"), ">": (">=", "<")}


def _holds(symbol: str, actual: tuple[int, ...], version: tuple[int, ...]) -> bool:
    """Python's own tuple comparison, as ``sys.version_info`` (or its parts) compares with ``version``."""
    return {
        "<": actual < version,
        "<=": actual <= version,
        ">": actual > version,
        ">=": actual >= version,
        "==": actual == version,
        "!=": actual != version,
    }[symbol]


def _version_value(left: ast.expr, right: ast.expr) -> tuple[int, tuple[int, ...]] | None:
    """(how many parts of the running version are compared, the version) for ``sys.version_info`` tests:
    the whole tuple, ``[:2]``, ``[0]`` or ``.major``, and ``sys.version`` against a string like ``'3'``."""
    target = _dotted(left)
    version: tuple[int, ...] | None = None
    width = 3
    if target == "sys.version_info" or _is_version_slice(left):
        version = _int_tuple(right)
        width = 2 if target != "sys.version_info" else 3
    elif target == "sys.version_info.major" or _is_version_index(left):
        version = (right.value,) if isinstance(right, ast.Constant) and type(right.value) is int else None
        width = 1
    elif target == "sys.version" and isinstance(right, ast.Constant) and isinstance(right.value, str):
        parts = right.value.split(".")[:2]
        version = tuple(int(part) for part in parts) if all(part.isdigit() for part in parts) else None
    if version is None or len(version) > 3:
        return None
    return width, version


def _is_version_index(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Subscript)
        and _dotted(node.value) == "sys.version_info"
        and isinstance(node.slice, ast.Constant)
        and node.slice.value == 0
    )


def _is_version_slice(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Subscript)
        and _dotted(node.value) == "sys.version_info"
        and isinstance(node.slice, ast.Slice)
        and node.slice.lower is None
    )


def _int_tuple(node: ast.expr) -> tuple[int, ...] | None:
    if not isinstance(node, ast.Tuple) or not node.elts:
        return None
    values = [elt.value for elt in node.elts if isinstance(elt, ast.Constant) and type(elt.value) is int]
    return tuple(values) if len(values) == len(node.elts) else None


def _platform_compare(test: ast.Compare) -> _Branches | None:
    source = _dotted(test.left)
    if isinstance(test.left, ast.Call) and not test.left.args and _dotted(test.left.func) == "platform.system":
        source = "platform.system()"
    op, values = test.ops[0], _strings(test.comparators[0])
    if source not in ("sys.platform", "os.name", "platform.system()") or not values:
        return None
    platforms = [_PLATFORMS.get((source, value)) for value in values]
    if None in platforms:
        return None
    if source == "os.name" and values == ["posix"]:
        platforms = []
    known = sorted({platform for platform in platforms if platform})
    if isinstance(op, (ast.Eq, ast.In)) and known:
        return _platform_branches(known, equal=True)
    if isinstance(op, (ast.NotEq, ast.NotIn)) and known:
        return _platform_branches(known, equal=False)
    return None


def _platform_branches(platforms: list[str], *, equal: bool) -> _Branches:
    anyone = " or ".join(f'sys_platform == "{platform}"' for platform in platforms)
    none = " and ".join(f'sys_platform != "{platform}"' for platform in platforms)
    inside, outside = Context(markers=(anyone,)), Context(markers=(none,))
    return (inside, outside) if equal else (outside, inside)


def _strings(node: ast.expr) -> list[str]:
    items = node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else [node]
    values = [item.value for item in items if isinstance(item, ast.Constant) and isinstance(item.value, str)]
    return values if len(values) == len(items) else []


# --- install on demand ------------------------------------------------------------------------------------------


def install_context(statement: ast.stmt) -> Context:
    """``ensure_package("x>=1")`` or ``pip install`` run by the statement just before an import."""
    call = statement.value if isinstance(statement, (ast.Expr, ast.Assign, ast.AnnAssign)) else None
    if not isinstance(call, ast.Call):
        return NOTHING
    name = last_name(call.func)
    if _INSTALL_CALL.match(name) and name != "install_requires":
        return Context(optional=True, reason=f"installed on demand by {name}()")
    if name not in _COMMAND_RUNNERS and _dotted(call.func) != "pip.main":
        return NOTHING
    words = [node.value for node in ast.walk(call) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    if any(re.search(r"\bpip3? install\b", word) for word in words) or (
        "install" in words and ("pip" in words or name == "main")
    ):
        return Context(optional=True, reason="installed on demand by pip")
    return NOTHING


# Calls that run a command: os.system, subprocess.*, IPython's get_ipython().system (a notebook's !pip install).
_COMMAND_RUNNERS = frozenset({"system", "popen", "run", "call", "check_call", "check_output", "Popen", "getoutput"})


# --- names ------------------------------------------------------------------------------------------------------


def _dotted(node: ast.expr) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    return ".".join([node.id, *reversed(parts)])


def availability_value(value: ast.expr | None) -> bool:
    """An assignment like ``HAS_X = find_spec("x") is not None`` or ``_x_available = is_x_available()``."""
    if value is None:
        return False
    nodes = list(ast.walk(value))
    calls = [last_name(node.func) for node in nodes if isinstance(node, ast.Call)]
    if any(isinstance(node, ast.Compare) and _in_sys_modules(node) for node in nodes):
        return True
    return any(name in _FIND_SPEC or _AVAILABILITY_CALL.match(name) for name in calls)


def is_flag_constant(value: ast.expr | None) -> bool:
    """``True``, ``False`` or ``None``: what a guarded block assigns to say whether an import worked."""
    return isinstance(value, ast.Constant) and any(value.value is constant for constant in (True, False, None))


def looks_like_flag(name: str) -> bool:
    """``HAS_NUMPY``, ``_torch_available``: the conventional name of an availability flag from another module."""
    return bool(_AVAILABILITY_NAME.match(name))


def no_names(name: str) -> Names:
    return Names()


def names_from(name: str, assignments: list[tuple[ast.expr | None, Context]]) -> Names:
    """A flag: some assignment is guarded (``HAS_X = True`` in a try) or asks find_spec; an alias: one assignment."""
    if not assignments:
        return Names(flag=looks_like_flag(name))
    flag = any(
        availability_value(value) or (context.reason.startswith(_IMPORT_GUARDS) and is_flag_constant(value))
        for value, context in assignments
    )
    alias = assignments[0][0] if len(assignments) == 1 else None
    return Names(flag=flag, alias=alias)


_IMPORT_GUARDS = (EXCEPT_IMPORT_ERROR, "guarded by contextlib.suppress")
