"""Choices one call away: an import inside a function that only branches chosen by a run-time value ever call.

A module serving several providers keeps each one's client in a function of its own, and picks the function by
the endpoint's configuration::

    def stream(endpoint, prompt):
        if endpoint["kind"] == "acme":
            return acme_stream(prompt)       # the only call of acme_stream
        elif endpoint["kind"] == "globex":
            return globex_stream(prompt)

    def acme_stream(prompt):
        import acme_sdk                      # runs only when the configuration says "acme"
        ...

The caller chooses: the import runs only where the value chooses the call, so it is as optional as it would be in
that branch (``named_choices``), and the reason names the test that chooses the call.

Only what can be proven is believed: the function is defined once in its module, with no decorator but
``staticmethod``/``classmethod`` (a decorator may register it to be called from anywhere), named in its module
only in calls (never as a value, a string or an attribute read), and every one of those calls sits, inside some
function, in a branch chosen by a value (``value_tests``); a call from its own body does not count. A private
name (a leading ``_``) is its module's own, as ``call_guards`` believes. A public one may be called from anywhere:
every other file of the project that names it (the project's files are read for it, once, only then) must be a
module that neither defines it nor uses it otherwise, and calls it only in such branches (a notebook naming it
keeps the import). It must be called somewhere: a function nobody calls says nothing about who chooses it. A
top-level import is not in a function: it stays as it is.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from pipreqs_action.intent.value_tests import BY_VALUE
from pipreqs_action.model import SourceText
from pipreqs_action.reading.discovery import discover
from pipreqs_action.reading.files import read_source

__all__ = ["ProjectNames", "Uses", "chosen_by_callers"]

_PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod"})
_MAX_TESTS = 2  # tests quoted in one reason; the rest are counted
_DEFINES = re.compile(r"\bdef\s+$")  # the name after it is a function being defined
_CLASS = re.compile(r"\bclass\s+$")  # ...a class: another thing of the same name
Test = tuple[str, int]


class Uses:
    """What one module says of its functions: where each is defined, the blocks a value chooses, the imports each
    function makes unconditionally (not in such a block); the module's lines, to find each name's uses in.

    Uses are read off the lines (a name followed by ``(`` is a call, anything else a use as a value, a string or a
    comment), so that only the names asked about cost anything; a mention in a comment or a string counts as a use
    the module cannot vouch for."""

    def __init__(self, text: str = "") -> None:
        self.lines = text.split("\n")
        self.definitions: dict[str, int] = {}
        self.decorated: set[str] = set()
        self.functions: list[tuple[int, int, str]] = []  # (first line, last line, name) of each function
        self.chosen: list[tuple[int, int, Test]] = []  # (first line, last line, test) of each block a value chooses
        self.import_lines: set[int] = set()  # lines of import statements: naming a function there is no use
        self.imports: dict[str, list[tuple[int, str]]] = {}  # function -> (line, top-level name)

    def define(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.definitions[node.name] = self.definitions.get(node.name, 0) + 1
        if any(not (isinstance(item, ast.Name) and item.id in _PLAIN_DECORATORS) for item in node.decorator_list):
            self.decorated.add(node.name)
        self.functions.append((node.lineno, node.end_lineno or node.lineno, node.name))

    def choose(self, body: Sequence[ast.stmt], test: Test) -> None:
        if body:
            self.chosen.append((body[0].lineno, body[-1].end_lineno or body[-1].lineno, test))

    def import_statement(self, node: ast.Import | ast.ImportFrom) -> None:
        self.import_lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))

    def lazy_import(self, function: str, line: int, name: str) -> None:
        self.imports.setdefault(function, []).append((line, name))

    def chosen_calls(self, function: str) -> list[tuple[Test, int]] | None:
        """The test that chooses each call of ``function`` in this module, with the call's line ([] when it is
        never called here), or None when some call is not chosen or the name is used otherwise. Its definitions
        and a call from its own body do not count."""
        pattern = re.compile(rf"(?<![\w]){re.escape(function)}(?!\w)")
        found: list[tuple[Test, int]] = []
        for index, text in enumerate(self.lines):
            line = index + 1
            if function not in text or line in self.import_lines:
                continue
            for match in pattern.finditer(text):
                before, after = text[: match.start()], text[match.end() :]
                if _DEFINES.search(before):
                    continue
                if _CLASS.search(before) or not after.lstrip().startswith("("):
                    return None  # a value, a string, a comment: called from who knows where
                if _innermost(self.functions, line) == function:
                    continue
                test = _innermost(self.chosen, line)
                if test is None:
                    return None
                found.append((test, line))
        return found

    def plainly_defined(self, function: str) -> bool:
        """Defined once in this module, with no decorator that could hand it to someone else to call."""
        return self.definitions.get(function) == 1 and function not in self.decorated


_Item = TypeVar("_Item")


def _innermost(spans: list[tuple[int, int, _Item]], line: int) -> _Item | None:
    """What the innermost span holding ``line`` holds (spans nest: the one starting last)."""
    holding = [(first, item) for first, last, item in spans if first <= line <= last]
    return max(holding, key=lambda pair: pair[0])[1] if holding else None


class ProjectNames:
    """The uses of a name in the project's other files, each file read and walked (``uses_of``) once, and only
    when first asked about."""

    def __init__(self, root: Path, uses_of: Callable[[str], Uses], exclude: Iterable[str] = ()) -> None:
        self.root = root
        self.uses_of = uses_of
        self.exclude = tuple(exclude)
        self._files: list[str] | None = None  # the project's source files, found when first needed
        self._texts: dict[str, str] = {}  # the text of each file that named an asked-for name, kept for its walk
        self._uses: dict[str, Uses | None] = {}

    def choosers(self, name: str, path: str) -> list[tuple[Test, int, str]] | None:
        """The tests that choose every call of ``name`` in files other than ``path`` (test, call line, file), or
        None when one of those files uses it otherwise, defines it too, or cannot be read as one module."""
        found: list[tuple[Test, int, str]] = []
        for rel in self._naming(name):
            if rel == path:
                continue
            uses = self._uses_in(rel)
            calls = None if uses is None or name in uses.definitions else uses.chosen_calls(name)
            if not calls:  # used otherwise, defined again, or named only in an import or a comment: not proven
                return None
            found += [(test, line, rel) for test, line in calls]
        return found

    def _naming(self, name: str) -> Iterator[str]:
        """The files whose text names ``name`` as a word. Each question reads the files again rather than keeping
        the whole project's text: a check asks about a few names (2 on sympy, 28 on a big app), and sympy's text
        held for the whole run cost 27 MiB. An ASCII name is looked for in the raw bytes first, so only the files
        that hold it are decoded; a name in another script decodes every file (the file's encoding may differ)."""
        if self._files is None:
            self._files, _ = discover(self.root, self.exclude)
        word = re.compile(rf"\b{re.escape(name)}\b")
        raw = name.encode("ascii") if name.isascii() else None
        for rel in self._files:
            if raw is not None and rel not in self._texts:
                try:
                    if raw not in (self.root / rel).read_bytes():
                        continue
                except OSError:
                    continue
            text = self._text(rel)
            if text is not None and name in text and word.search(text):
                yield rel

    def _text(self, rel: str) -> str | None:
        if rel not in self._texts:
            source = read_source(self.root, rel)
            if not isinstance(source, SourceText):
                return None
            self._texts[rel] = source.text
        return self._texts[rel]

    def _uses_in(self, rel: str) -> Uses | None:
        if rel not in self._uses:
            try:  # a notebook's cells are no module whose calls one walk can prove
                text = self._texts.get(rel, "")
                self._uses[rel] = self.uses_of(text) if rel.endswith((".py", ".pyw")) else None
            except (SyntaxError, ValueError, RecursionError):
                self._uses[rel] = None
        return self._uses[rel]


def chosen_by_callers(uses: Uses, path: str, roots: set[str], project: ProjectNames) -> list[tuple[int, str, str]]:
    """(import line, top-level name, reason) for the imports of ``roots`` in functions whose every call a value
    chooses."""
    found: list[tuple[int, str, str]] = []
    for function, every_import in sorted(uses.imports.items()):
        imports = [(line, name) for line, name in every_import if name in roots]
        if not imports:
            continue
        here = uses.chosen_calls(function) if uses.plainly_defined(function) else None
        elsewhere = None if here is None else [] if function.startswith("_") else project.choosers(function, path)
        if here is None or elsewhere is None or not (here or elsewhere):
            continue  # some call not chosen, or none at all: nothing says who calls it
        choosers = [(test, line, path) for test, line in here] + elsewhere
        found += [(line, name, _reason(function, choosers)) for line, name in imports]
    return found


def _reason(function: str, choosers: list[tuple[Test, int, str]]) -> str:
    tests = sorted({(test, rel) for test, _, rel in choosers}, key=lambda item: (item[1], item[0][1]))
    shown = " or ".join(f"`{test}` ({rel}:{line})" for (test, line), rel in tests[:_MAX_TESTS])
    more = f" (+{len(tests) - _MAX_TESTS} more)" if len(tests) > _MAX_TESTS else ""
    return f"{BY_VALUE} {shown}{more} calls {function}()"
