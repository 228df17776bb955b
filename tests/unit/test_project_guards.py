"""Context managers a project defines to swallow ImportError, and the imports inside their ``with`` blocks."""

from __future__ import annotations

import textwrap

import pytest

from pipreqs_action.intent import project_guards
from pipreqs_action.model import ImportRef, Location


@pytest.mark.parametrize(
    "source",
    [
        """\
        @contextlib.contextmanager
        def optional():
            try:
                yield
            except (ImportError, KeyError):
                pass
        """,
        """\
        @asynccontextmanager
        async def optional(mode="ignore"):
            try:
                yield None
            except ModuleNotFoundError as error:
                if mode == "raise":
                    raise
                log(error)
        """,
        """\
        class optional:
            def __exit__(self, kind, value, traceback):
                if kind is not None and issubclass(kind, ImportError):
                    self.error = value
                    return True
        """,
    ],
)
def test_a_helper_that_can_swallow_an_import_error_is_found(source: str) -> None:
    assert project_guards.definitions(textwrap.dedent(source)) == (("optional", 1 + source.count("@")),)


@pytest.mark.parametrize(
    "source",
    [
        """\
        @contextmanager
        def rewords(hint):
            try:
                yield
            except ImportError as error:
                raise ImportError(hint) from error
        """,
        """\
        def not_a_context_manager():
            try:
                yield
            except ImportError:
                pass
        """,
        """\
        @contextmanager
        def catches_something_else():
            try:
                yield
            except KeyError:
                pass
        """,
        """\
        class Lock:
            def __exit__(self, *args):
                if isinstance(args[1], ImportError):
                    log(args[1])
                return False
        """,
    ],
)
def test_a_helper_that_lets_the_import_error_through_is_not_a_guard(source: str) -> None:
    assert project_guards.definitions(textwrap.dedent(source)) == ()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a header over several lines, a comment between decorator and def, a method of a class
        (
            "class Tools:\n    @contextlib.contextmanager\n    # note\n    def optional(\n"
            "        self,\n    ) -> None:\n"
            "        try:\n            yield\n        except ImportError:\n            pass\n",
            (("optional", 4),),
        ),
        # an __exit__ in a class whose header spans lines: read from the whole file
        (
            "class Optional(\n    Base,\n):\n    def __exit__(self, kind, *rest):\n"
            "        return kind is ImportError\n",
            (("Optional", 1),),
        ),
        # an example in a docstring is no definition
        (
            '"""Use it so:\n\n@contextmanager\ndef optional():\n    try:\n        yield\n    except ImportError:\n'
            '        pass\n"""\n',
            (),
        ),
        # an __exit__ under an `if` of the class body, or in a function, is no method Python calls
        ("class A:\n    if X:\n        def __exit__(self, *a):\n            return ImportError\n", ()),
        ("def f():\n    def __exit__(*a):\n        return ImportError\n", ()),
        # a file that does not parse as a whole: the definition, which does, is still read
        (
            "@contextmanager\ndef optional():\n    try:\n        yield\n    except ImportError:\n        pass\n"
            "print 'python 2'\n",
            (("optional", 2),),
        ),
    ],
)
def test_each_definition_is_read_on_its_own(text: str, found: tuple[tuple[str, int], ...]) -> None:
    assert project_guards.definitions(text) == found


def test_only_the_imports_the_block_runs_itself_become_optional() -> None:
    text = textwrap.dedent(
        """\
        with guard():
            import a
            from b import (
                c,
            )
            def later():
                import d
        with other():
            import e
        """
    )
    refs = [ImportRef(module, Location("m.py", line)) for module, line in (("a", 2), ("b", 3), ("d", 7), ("e", 9))]
    found = project_guards.apply(refs, {"m.py": text}, {"guard": "pkg/util.py:4"})
    assert {ref.module: ref.reason for ref in found if ref.optional} == {
        "a": "guarded by guard(), which swallows the ImportError (defined at pkg/util.py:4)",
        "b": "guarded by guard(), which swallows the ImportError (defined at pkg/util.py:4)",
    }
    assert project_guards.mentions(text, {"guard": ""}) and not project_guards.mentions(text, {"guarded": ""})


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        # a block indented in a function, a comment at column 0 and a blank line inside it, code after it
        ("def f():\n    with guard():\n# note\n\n        import a\n    import b\n", {"a": 5}),
        # a header over several lines: the block alone does not parse, so the whole file is read
        ('with guard(\n    "reason",\n):\n    import a\nimport b\n', {"a": 4}),
        # a nested with on the helper inside a block already read is not counted twice
        ("async def f():\n    async with guard():\n        with guard():\n            import a\n", {"a": 4}),
        # a string running out of the block: the whole file is read
        ('with guard():\n    import a\n    s = """\nx\n"""\nimport b\n', {"a": 2}),
    ],
)
def test_blocks_are_read_on_their_own_with_the_whole_file_as_fallback(text: str, lines: dict[str, int]) -> None:
    refs = [ImportRef(module, Location("m.py", text.splitlines().index(line) + 1)) for module, line in _imports(text)]
    found = project_guards.apply(refs, {"m.py": text}, {"guard": "pkg/util.py:4"})
    assert {ref.module: ref.location.line for ref in found if ref.optional} == lines
    assert [ref.module for ref in found if not ref.optional] == [m for m, _ in _imports(text) if m not in lines]


def _imports(text: str) -> list[tuple[str, str]]:
    """(module, its line's text) of each ``import X`` line."""
    return [(line.split()[-1], line) for line in text.splitlines() if line.strip().startswith("import ")]


@pytest.mark.parametrize(
    ("text", "read_again"),
    [
        ("with guard():\n    import a\n", True),
        ("async with lock, guard ():\n    import a\n", True),
        ("x = 1; with other(), guard(\n    'why'\n):\n    import a\n", True),
        ('"""Open it with guard() around imports."""\n', True),  # a docstring: the search finds it, the parse decides
        ("guard()\nwith other():\n    import a\n", False),  # the helper named, but on no `with` line
    ],
)
def test_a_file_is_read_again_only_when_a_with_line_names_a_helper(text: str, read_again: bool) -> None:
    """``with_words`` (kept while the file is read) holds every helper that ``mentions`` finds in it."""
    for name in ("guard", "other", "lock"):
        if project_guards.mentions(text, {name: ""}):
            assert name in project_guards.with_words(text)
    assert ("guard" in project_guards.with_words(text)) == read_again
