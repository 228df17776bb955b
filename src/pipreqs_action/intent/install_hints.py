"""Install hints: a broad ``except`` that tells the user how to install what failed to import.

A bare ``except:`` or ``except Exception:`` around an application's import of one of its own modules is how the
application survives whatever goes wrong there (a plugin loader logging "Load function plugin failed" around each
plugin): by itself it says nothing about packages that may be absent, as ``call_guards`` says of such a handler one
call away. What turns it into a guard is a handler that tells the user how to install what is missing::

    try:
        from app.vector_fns.store import archive       # store.py imports langchain at its top level
    except Exception as error:
        chat.append(["missing dependencies", f"{error}\\n\\nInstall them with" + INSTALL_MSG])
        return

The author wrote down that the feature's packages may be absent and how to get them: that is the intent an
``except ImportError`` states. A hint is a string naming an installer command (``pip install``, ``conda install``,
``uv add``, ``poetry add``...) or a requirements file (``requirements-rag.txt``), found in the handler itself, in a
module-level string constant the handler names (``INSTALL_MSG = "pip install ..."``), or in a function of the same
file the handler calls (``except Exception: show_install_help()``).

A handler that names ``ImportError`` or ``ModuleNotFoundError`` needs no hint: it is a guard already.

The distributions the install command of an import guard's handler names (``pip install --upgrade
aliyun-python-sdk-core==2.13.3 webrtcvad scipy``) are the feature's extras, in the author's words: the feature often
imports some of them elsewhere, inside its functions (``hinted_features``).
"""

from __future__ import annotations

import ast
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from pipreqs_action.imports.lexical import indent_of, string_line_ranges
from pipreqs_action.reading.ast_names import catches_everything, last_name, names_import_error
from pipreqs_action.reading.lazy_regex import LazyPattern
from pipreqs_action.reading.line_search import line_matches

__all__ = [
    "HINT_WORDS",
    "GuardEvidence",
    "evidence_at",
    "has_install_command",
    "hinted_distributions",
    "hinted_in_source",
]

_INSTALLER = r"\b(?:pip3?|conda|mamba|micromamba|uv(?:[ \t]+pip)?|poetry|pipx)[ \t]+(?:install|add)\b"
_HINT = re.compile(_INSTALLER + r"|\brequirements[\w.-]*\.(?:txt|in)\b", re.IGNORECASE)
HINT_WORDS = ("install", "add")  # a file holding neither has no install command
_COMMAND = re.compile(_INSTALLER + r"(?P<args>[^\n`'\"]*)", re.IGNORECASE)
_REQUIREMENT = re.compile(r"(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(?:\[[\w,.-]*\])?(?:[<>=!~;].*)?")
_TRY: tuple[type[ast.Try], ...] = (ast.Try, *((ast.TryStar,) if hasattr(ast, "TryStar") else ()))  # except* (3.11)


class GuardEvidence(NamedTuple):
    """What the ``try`` statements around one line say: a handler names ImportError (``explicit``), or only broad
    handlers catch it and one tells how to install (``hint``: the 1-based line of the hint's text, 0 for none)."""

    explicit: bool = False
    hint: int = 0


def evidence_at(tree: ast.Module, line: int) -> GuardEvidence:
    """The evidence of every ``try`` whose body holds ``line`` (1-based), innermost first.

    The module's hint constants and functions are looked for only once a broad handler needs them: most guards
    name ImportError, and walking every function of a big module for each of its guarded imports took seconds."""
    hints: tuple[dict[str, int], dict[str, int]] | None = None
    hint = 0
    for handlers in _enclosing_handlers(tree, line):
        if any(names_import_error(handler.type) for handler in handlers):
            return GuardEvidence(explicit=True)
        for handler in handlers:
            if catches_everything(handler.type) and not hint:
                hints = hints or (_hint_constants(tree), _hint_functions(tree))
                hint = _hint_in(handler.body, *hints)
    return GuardEvidence(hint=hint)


def _enclosing_handlers(tree: ast.Module, line: int) -> Iterator[list[ast.ExceptHandler]]:
    """The handlers of each ``try`` whose body holds the line, innermost first."""
    found: list[tuple[int, list[ast.ExceptHandler]]] = []
    for node in _statements_around(tree, line):
        if isinstance(node, _TRY) and node.body:
            first, last = node.body[0].lineno, node.body[-1].end_lineno or node.body[-1].lineno
            if first <= line <= last:
                found.append((first, node.handlers))
    for _, handlers in sorted(found, key=lambda item: -item[0]):
        yield handlers


def _statements_around(tree: ast.Module, line: int) -> Iterator[ast.AST]:
    """The statements (and clauses) spanning ``line``, outermost first: the only ones whose body can hold it, since
    statements sit only in other statements' bodies, never inside an expression."""
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, _CLAUSES) and _spans(child, line):
                yield child
                todo.append(child)


_CLAUSES = (ast.stmt, ast.excepthandler, ast.match_case)


def _spans(node: ast.AST, line: int) -> bool:
    start = getattr(node, "lineno", None)  # a match case has no lines of its own: its pattern and body have
    return start is None or start <= line <= (getattr(node, "end_lineno", None) or start)


def _hint_in(body: Iterable[ast.stmt], constants: dict[str, int], functions: dict[str, int]) -> int:
    """The line of the first install hint a handler gives: its own text, a constant it names, a function it calls."""
    for statement in body:
        for node in ast.walk(statement):
            line = _text_hint(node)
            if line:
                return line
            if isinstance(node, ast.Name) and node.id in constants:
                return constants[node.id]
            if isinstance(node, ast.Call) and last_name(node.func) in functions:
                return functions[last_name(node.func)]
    return 0


def _hint_constants(tree: ast.Module) -> dict[str, int]:
    """Module-level names bound to text holding an install hint (``INSTALL_MSG = "pip install ..."``), with the
    hint's line."""
    found: dict[str, int] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            line = _hint_line(statement.value)
            if isinstance(target, ast.Name) and line:
                found.setdefault(target.id, line)
    return found


def _hint_functions(tree: ast.Module) -> dict[str, int]:
    """Functions of the module whose body holds an install hint (``def show_install_help(): print("pip ...")``)."""
    found: dict[str, int] = {}
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            line = _hint_line(statement)
            if line:
                found.setdefault(statement.name, line)
    return found


def _hint_line(node: ast.AST) -> int:
    return next(filter(None, map(_text_hint, ast.walk(node))), 0)


def _text_hint(node: ast.AST) -> int:
    """The line of the hint in a string literal (its first line plus the lines of text before the hint), else 0."""
    if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
        return 0
    match = _HINT.search(node.value)
    return node.lineno + node.value.count("\n", 0, match.start()) if match else 0


def has_install_command(text: str) -> bool:
    """Whether a file's text holds an install command anywhere (a cheap test before parsing it).

    The command is tried only where an installer's name starts in the lower-cased text: searched over a whole file,
    the case-blind pattern has no first letter to skip to and was tried at every character (2 s of a 20 MB
    monorepo). Lower-casing keeps each character where it was, but for the few that become two characters (then the
    whole text is searched as before) and the dotless i, which the case-blind pattern takes for an i."""
    if not any(word in text for word in HINT_WORDS):
        return False
    lowered = text.lower().replace("\u0131", "i")
    if len(lowered) != len(text):
        return bool(_COMMAND.search(text))
    for stem in _INSTALLER_STEMS:
        position = lowered.find(stem)
        while position != -1:
            if _COMMAND.match(text, position):
                return True
            position = lowered.find(stem, position + 1)
    return False


_INSTALLER_STEMS = ("pip", "conda", "mamba", "micromamba", "uv", "poetry")  # where every installer of _INSTALLER starts


def hinted_in_source(text: str) -> tuple[tuple[str, int], ...]:
    """``hinted_distributions`` of a file's text, parsing only its ``try`` statements that import something.

    WHY: a file with an install command somewhere and an ``except`` was parsed whole (a third of a monorepo's
    check: its big modules print ``pip install`` hints in some method and guard an import elsewhere), when the
    guards are a few percent of its text. Each outermost ``try`` holding the word ``import`` is parsed on its own,
    at its own lines. The whole file is parsed instead, to give exactly the answer ``hinted_distributions`` gives,
    when a ``try`` does not parse alone (a statement that runs on at a lesser indentation, a string running out of
    it), when a guard's handler names something defined at the top of the file (a constant or a function that may
    hold the hint), or when two guards name the same distribution (the line kept depends on the whole tree's order).
    A file that does not parse as a whole but whose guards do is read from its guards."""
    if "except" not in text or not has_install_command(text):
        return ()
    lines = text.split("\n")
    masked = _string_mask(text, len(lines))
    guarded: list[tuple[list[ast.ExceptHandler], int]] = []  # each fragment's import guards, and its line offset
    line, counted, covered = 0, 0, 0
    for match in line_matches(_TRY_LINE.compiled(), text, "try"):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        if line < covered or masked[line]:
            continue  # inside a try read already, or in a string
        covered = _try_end(lines, line, masked)
        if not any("import" in code for code in lines[line:covered]):
            continue
        fragment = "\n".join(lines[line:covered])
        offset = line
        if match.group(1):  # an indented try: its lines as they are, under a header that accepts their indentation
            fragment, offset = "if 1:\n" + fragment, line - 1
        try:
            tree = ast.parse(fragment)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return _hinted_in_whole(text)
        guarded.append((list(_import_guards(tree)), offset))
    names = {name for guards, _ in guarded for handler in guards for name in _names_in(handler.body)}
    if names and _defined_at_top(text, names):
        return _hinted_in_whole(text)
    found: dict[str, int] = {}
    for guards, offset in guarded:
        named: dict[str, int] = {}
        for name, line in _commands_of(guards, {}):
            named.setdefault(name, line + offset)
        if not named.keys().isdisjoint(found):
            return _hinted_in_whole(text)
        found.update(named)
    return tuple(sorted(found.items(), key=lambda item: (item[1], item[0])))


_TRY_LINE = LazyPattern(r"([ \t]*)try\b")  # tried at the start of each line holding "try" (line_matches)
_CONTINUES_TRY = LazyPattern(r"(?:except|else|finally)\b")


def _hinted_in_whole(text: str) -> tuple[tuple[str, int], ...]:
    try:
        return hinted_distributions(ast.parse(text))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ()


def _string_mask(text: str, count: int) -> bytearray:
    """One byte per line: 1 where the line starts inside a multi-line string (a ``try:`` there is no code)."""
    mask = bytearray(count)
    for first, last in string_line_ranges(text):
        mask[first : last + 1] = b"\x01" * (last + 1 - first)
    return mask


def _try_end(lines: Sequence[str], start: int, masked: bytearray) -> int:
    """Index after the last line of the ``try`` statement at ``start``: the lines indented deeper, blank lines,
    comments, lines inside its strings, and its ``except``, ``else`` and ``finally`` clauses at its own indentation.
    A line that continues a statement at a lesser indentation ends it too early: that fragment does not parse."""
    indent = indent_of(lines[start])
    end = start + 1
    while end < len(lines):
        stripped = lines[end].lstrip(" \t")
        if stripped and not stripped.startswith("#") and not masked[end]:
            at = indent_of(lines[end])
            if at < indent or (at == indent and not _CONTINUES_TRY.match(stripped)):
                break
        end += 1
    return end


def _names_in(body: Iterable[ast.stmt]) -> Iterator[str]:
    """The names a handler looks up in the module's hint constants and functions (``_handler_texts``)."""
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name):
                yield node.id
            elif isinstance(node, ast.Call) and last_name(node.func):
                yield last_name(node.func)


def _defined_at_top(text: str, names: Iterable[str]) -> bool:
    """Whether a line may bind one of ``names`` at the module's top level, by assignment or ``def``: at the start of
    a line or after a ``;`` (a superset of what ``_hint_constants`` and ``_hint_functions`` read: more lines than
    those only send the file to the whole parse). One search for all names, each alternative starting at a newline
    or a ``;``, which the engine skips to (a pattern anchored with ``^`` is tried at every character)."""
    word = "|".join(sorted(map(re.escape, names)))
    binding = rf"\(*(?:{word})[ \t)]*(?:\\\n[ \t]*)*=(?!=)|(?:async[ \t]+)?def[ \t]+(?:{word})\b"
    return bool(re.match(binding, text) or re.search(rf"(?:\n|;[ \t]*)(?:{binding})", text))


def hinted_distributions(tree: ast.Module) -> tuple[tuple[str, int], ...]:
    """The distributions named by the install commands that the handlers of import guards give, with the line of
    each command: ``except ImportError: print("pip install -U torch==2.1 webrtcvad")`` names torch and webrtcvad.
    Options, requirements files (``-r``), URLs and paths name nothing."""
    guards = list(_import_guards(tree))
    if not guards:
        return ()
    constants, functions = _hint_constants(tree), _hint_functions(tree)
    texts = {**_strings_of(tree, constants), **_strings_of_functions(tree, functions)}
    found: dict[str, int] = {}
    for name, line in _commands_of(guards, texts):
        found.setdefault(name, line)
    return tuple(sorted(found.items(), key=lambda item: (item[1], item[0])))


def _import_guards(tree: ast.AST) -> Iterator[ast.ExceptHandler]:
    """The handlers of the ``try`` statements that import something, naming ImportError or catching everything, in
    ``ast.walk``'s order."""
    for node in _statements(tree):
        if isinstance(node, _TRY) and _imports_in(node.body):
            for handler in node.handlers:
                if names_import_error(handler.type) or catches_everything(handler.type):
                    yield handler


def _commands_of(
    guards: Iterable[ast.ExceptHandler], texts: dict[str, list[tuple[str, int]]]
) -> Iterator[tuple[str, int]]:
    """(distribution, line) for each requirement the install commands of the handlers name, in order."""
    for handler in guards:
        for text, line in _handler_texts(handler.body, texts):
            for name, offset in _command_names(text):
                yield name, line + offset


def _statements(tree: ast.AST) -> Iterator[ast.AST]:
    """The statements (and clauses) below ``tree`` in ``ast.walk``'s order, their expressions not entered: a statement
    sits only in another's body, and most of a big module's nodes are expressions."""
    todo = deque([tree])
    while todo:
        node = todo.popleft()
        children = [child for child in ast.iter_child_nodes(node) if isinstance(child, _CLAUSES)]
        todo.extend(children)
        yield from children


def _imports_in(body: Iterable[ast.stmt]) -> bool:
    """Whether a ``try`` body imports something (a guard), not only runs code whose failure it reports."""
    return any(
        isinstance(node, (ast.Import, ast.ImportFrom))
        for statement in body
        for node in (statement, *_statements(statement))
    )


def _handler_texts(body: Iterable[ast.stmt], named: dict[str, list[tuple[str, int]]]) -> Iterator[tuple[str, int]]:
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield node.value, node.lineno
            elif isinstance(node, ast.Name):
                yield from named.get(node.id, ())
            elif isinstance(node, ast.Call):
                yield from named.get(last_name(node.func), ())


def _strings_of(tree: ast.Module, names: dict[str, int]) -> dict[str, list[tuple[str, int]]]:
    """The text of each hinting module-level constant."""
    found: dict[str, list[tuple[str, int]]] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name) and target.id in names:
                found.setdefault(target.id, list(_constants(statement.value)))
    return found


def _strings_of_functions(tree: ast.Module, names: dict[str, int]) -> dict[str, list[tuple[str, int]]]:
    return {
        statement.name: list(_constants(statement))
        for statement in tree.body
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name in names
    }


def _constants(node: ast.AST) -> Iterator[tuple[str, int]]:
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            yield child.value, child.lineno


def _command_names(text: str) -> Iterator[tuple[str, int]]:
    """(distribution, lines into the text) for each requirement an install command in the text names."""
    for match in _COMMAND.finditer(text):
        offset = text.count("\n", 0, match.start())
        words = match["args"].split()
        for index, word in enumerate(words):
            if word.startswith("-") or (index and words[index - 1] in ("-r", "-c", "-e", "--requirement")):
                continue
            requirement = _REQUIREMENT.fullmatch(word.strip(",;."))
            if requirement and "/" not in word and ":" not in word.partition(";")[0]:
                yield requirement["name"], offset
