from __future__ import annotations

import textwrap

import pytest

from pipreqs_action.imports import NotPython, PartlyRead, RawImport, extract


def both(source: str) -> list[RawImport]:
    """Extract with the fast path and with a full parse; they must agree exactly."""
    text = textwrap.dedent(source)
    fast = sorted(extract(text), key=_key)
    full = sorted(extract(text, full=True), key=_key)
    assert fast == full
    return fast


def _key(item: RawImport) -> tuple[object, ...]:
    return (item.line, item.module, item.names, item.dynamic)


def modules(source: str) -> list[str]:
    return [item.module for item in both(source)]


def test_every_import_form_with_its_line() -> None:
    found = both(
        """\
        import os
        import a.b as c, d
        from e.f import g
        from h import (
            i,
            j,
        )
        from k import *
        """
    )
    assert [(item.module, item.line, item.names) for item in found] == [
        ("os", 1, ()),
        ("a.b", 2, ()),
        ("d", 2, ()),
        ("e.f", 3, ("g",)),
        ("h", 4, ("i", "j")),
        ("k", 8, ("*",)),
    ]


def test_relative_imports_are_dropped_but_future_is_kept_for_the_scanner() -> None:
    assert modules("from . import x\nfrom .y import z\nfrom ..w import v\nfrom __future__ import annotations\n") == [
        "__future__"
    ]


def test_imports_in_strings_comments_and_docstrings_are_not_imports() -> None:
    source = '''\
        """Module docstring.

            import fake_in_docstring
        from fake_from import x
        """
        # import fake_in_comment
        s = "import fake_in_string"
        t = \'\'\'
        import fake_in_single_triple
        \'\'\'
        import real
        def f():
            """
            import fake_in_function_docstring
            """
            import real_in_function
        '''
    assert modules(source) == ["real", "real_in_function"]


def test_quotes_inside_strings_do_not_confuse_the_string_tracking() -> None:
    source = """\
        a = '\"\"\"'  # a triple quote inside a one-line string
        import after_tricky_string
        b = "# not a comment" ; import after_hash_in_string
        c = r'\\''
        import after_escape
        """
    assert modules(source) == ["after_tricky_string", "after_hash_in_string", "after_escape"]


def test_one_line_compound_statements() -> None:
    found = both(
        """\
        try: import fast_json
        except ImportError: import json as fast_json
        if TYPE_CHECKING: import typed_only
        x = 1; import after_semicolon
        """
    )
    flags = {item.module: (item.optional, item.type_only) for item in found}
    assert flags == {
        "fast_json": (True, False),
        "json": (True, False),
        "typed_only": (False, True),
        "after_semicolon": (False, False),
    }


def test_optional_imports_follow_the_handlers_that_catch_import_errors() -> None:
    found = both(
        """\
        try:
            import guarded
            if x:
                import nested_guarded
        except (ImportError, KeyError):
            import fallback
        else:
            import in_else
        finally:
            import in_finally

        try:
            import not_guarded
        except KeyError:
            import in_keyerror_handler

        try:
            import mnf
        except ModuleNotFoundError as error:
            pass

        try:
            import bare
        except:
            pass
        """
    )
    optional = {item.module for item in found if item.optional}
    assert optional == {"guarded", "nested_guarded", "fallback", "mnf", "bare"}
    assert {item.module for item in found if not item.optional} == {
        "in_else",
        "in_finally",
        "not_guarded",
        "in_keyerror_handler",
    }


def test_type_checking_blocks_mark_type_only_imports() -> None:
    found = both(
        """\
        import typing
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from types_only import A
            if other:
                import deeper_type_only
        else:
            import runtime_after_else
        if typing.TYPE_CHECKING:
            import qualified_type_only
        def f():
            if TYPE_CHECKING:
                import inside_function
            import runtime_in_function
        """
    )
    type_only = {item.module for item in found if item.type_only}
    assert type_only == {"types_only", "deeper_type_only", "qualified_type_only", "inside_function"}


def test_dynamic_imports_with_literal_names() -> None:
    found = both(
        """\
        import importlib
        from importlib import import_module
        plugin = importlib.import_module("plugins.fancy")
        other = import_module('other_pkg')
        legacy = __import__("legacy_mod")
        spread = import_module(
            "spread_over_lines", package=None)
        relative = importlib.import_module(".relative", "pkg")
        computed = importlib.import_module(name)
        text = "import_module('in_a_string')"
        # import_module("commented_out")
        """
    )
    assert sorted(item.module for item in found if item.dynamic) == [
        "legacy_mod",
        "other_pkg",
        "plugins.fancy",
        "spread_over_lines",
    ]


def test_guarded_dynamic_import_is_optional() -> None:
    (found,) = [item for item in both("try:\n    x = __import__('ujson')\nexcept ImportError:\n    x = None\n")]
    assert found.dynamic and found.optional


def test_backslash_continuation_and_tabs() -> None:
    found = both("from a \\\n    import b\nif x:\n\ttry:\n\t\timport tabbed\n\texcept ImportError:\n\t\tpass\n")
    assert [(item.module, item.optional) for item in found] == [("a", False), ("tabbed", True)]


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ('import os\nprint "hello"\n', "line 2"),
        ("import os\ntry:\n    pass\nexcept Exception:\n    exec 'x = 1'\n", "line 5"),
        ("import os\n<<<<<<< HEAD\nimport a\n=======\nimport b\n>>>>>>> branch\n", "line 2"),
    ],
)
def test_files_that_are_not_python_3_raise_with_the_line(source: str, reason: str) -> None:
    with pytest.raises(NotPython, match=reason):
        extract(source)
    with pytest.raises(NotPython, match=reason):
        extract(source, full=True)


PYTHON2_EXCEPT = "import os\ntry:\n    pass\nexcept Exception, e:\n    pass\n"


def test_python2_except_with_a_comma_is_read_as_the_running_python_reads_it() -> None:
    """Python 2's `except Exception, e:` is also PEP 758's `except A, B:` (two types, no brackets), valid from
    Python 3.14 on: there the file is read whole; before, its imports are read and the rest said to be newer."""
    try:
        compile(PYTHON2_EXCEPT, "<py2>", "exec")
    except SyntaxError:
        for full in (False, True):
            with pytest.raises(PartlyRead, match="line 4") as caught:
                extract(PYTHON2_EXCEPT, full=full)
            assert [item.module for item in caught.value.imports] == ["os"]
    else:
        assert [item.module for item in both(PYTHON2_EXCEPT)] == ["os"]


def test_a_syntax_error_away_from_imports_is_found_by_the_full_parse_only() -> None:
    """Documented trade-off: the fast path parses import statements, not every line of every file."""
    source = "import requests\ndef f(:\n    pass\n"
    assert [item.module for item in extract(source)] == ["requests"]
    with pytest.raises(NotPython, match="line 2"):
        extract(source, full=True)


def test_deeply_nested_code_does_not_crash_the_full_parse() -> None:
    source = "import ok\nx = " + "[" * 180 + "]" * 180 + "\n"
    assert [item.module for item in extract(source, full=True)] == ["ok"]


def test_absurd_nesting_is_reported_not_raised() -> None:
    with pytest.raises(NotPython):
        extract("x = " + "(" * 5000 + ")" * 5000 + "\n", full=True)


def test_a_long_line_with_strings_before_an_import_is_read() -> None:
    """Regression: nested quantifiers in the string pattern once made lines like this take forever."""
    line = 'x = "a " ; import real  # don\'t ' + "a" * 20_000 + "\n"
    assert [item.module for item in both(line)] == ["real"]


def test_aliased_type_checking_and_headers_with_comments() -> None:
    found = both(
        """\
        import typing as t
        if t.TYPE_CHECKING:
            import aliased_type_only
        try:
            import guarded_with_comment
        except ImportError:  # an old Python
            guarded_with_comment = None
        loader = self._conditional_import_module("not_a_dynamic_import")
        """
    )
    flags = {item.module: (item.optional, item.type_only, item.dynamic) for item in found}
    assert flags == {
        "typing": (False, False, False),
        "aliased_type_only": (False, True, False),
        "guarded_with_comment": (True, False, False),
    }


def test_several_statements_on_one_line_are_all_found() -> None:
    found = both("import first; import second\nfrom __future__ import annotations; import third\n")
    assert [item.module for item in found] == ["first", "second", "__future__", "third"]
