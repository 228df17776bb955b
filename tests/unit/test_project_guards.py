"""Context managers a project defines to swallow ImportError, and the imports inside their ``with`` blocks."""

from __future__ import annotations

import textwrap

import pytest

from pipreqs_action import project_guards
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
