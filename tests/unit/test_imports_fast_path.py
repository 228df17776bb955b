"""Which files stay on the fast path: falling back to a full parse is correct but costs ten times more."""

from __future__ import annotations

import textwrap

import pytest

from pipreqs_action import imports
from pipreqs_action.imports import NotPython, RawImport, extract


@pytest.fixture
def full_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every full parse extract() falls back to (full=True calls included)."""
    seen: list[str] = []
    real = imports._from_full_parse

    def recording(text: str) -> list[RawImport]:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(imports, "_from_full_parse", recording)
    return seen


def _key(item: RawImport) -> tuple[int, str]:
    return (item.line, item.module)


def fast_equals_full(source: str) -> list[RawImport]:
    text = textwrap.dedent(source)
    fast = sorted(extract(text), key=_key)
    assert fast == sorted(extract(text, full=True), key=_key)
    return fast


def test_python2_words_in_docstrings_keep_the_fast_path(full_parses: list[str]) -> None:
    source = '''\
        """Helpers.

        print the result of the computation, or
            print "this example" from Python 2 days
        exec "is prose here too"
        """
        import requests
        def f():
            """
            print statements are gone.
            """
            import yaml
        '''
    found = fast_equals_full(source)
    assert [item.module for item in found] == ["requests", "yaml"]
    assert len(full_parses) == 1  # only the comparison's own full=True call


@pytest.mark.parametrize(
    "source",
    [
        'import os\nprint "hello"\n',
        'x = """one line"""\nprint "hello"\n',
        "import os\ntry:\n    pass\nexcept Exception, e:\n    pass\n",
    ],
)
def test_python2_code_outside_strings_still_gets_the_full_parse(source: str, full_parses: list[str]) -> None:
    try:
        compile(source, "<py2>", "exec")
    except SyntaxError:
        with pytest.raises(NotPython):
            extract(source)
    else:  # `except Exception, e:` is PEP 758's `except A, B:` from Python 3.14 on
        extract(source)
    assert full_parses == [source]


def test_a_continued_line_with_import_only_in_strings_or_names_keeps_the_fast_path(full_parses: list[str]) -> None:
    source = """\
        import requests
        keywords = ["and", "as", \\
            "from", "import", "in"]
        import_path = first_part + \\
            import_names(module)
        import yaml
        """
    found = fast_equals_full(source)
    assert [item.module for item in found] == ["requests", "yaml"]
    assert len(full_parses) == 1


@pytest.mark.parametrize(
    "source",
    [
        "from b \\\n    import c\n",
        "x = 1; \\\nimport b\n",
        "# a comment \\\nimport b\n",
        'x = """\\\n""" + \\\nimport_module("b")\n',
    ],
)
def test_a_continued_line_that_may_hold_an_import_gets_the_full_parse(full_parses: list[str], source: str) -> None:
    found = extract(source)
    assert len(full_parses) == 1
    assert found == extract(source, full=True)
    assert [item.module for item in found] == ["b"]


def test_guards_multi_line_headers_and_continued_strings_keep_the_fast_path(full_parses: list[str]) -> None:
    source = '''\
        import sys
        from contextlib import suppress
        PY2 = sys.version_info[0] == 2
        HAS_YAML = find_spec("yaml") is not None
        class Loader:
            def load(
                self,
                name: str,
            ) -> None:
                text = \\
        """a string continued from the line above,
        at the left margin
        """
                if (
                    sys.platform == "win32"
                    and HAS_YAML
                ):
                    import yaml
                with suppress(ImportError):
                    import ujson
                if PY2:
                    import funcsigs
                else:
                    import inspect
                ensure_package("onnxruntime")
                import onnxruntime
        '''
    found = {item.module: item for item in fast_equals_full(source)}
    assert len(full_parses) == 1  # only the comparison's own full=True call
    assert found["yaml"].marker == 'sys_platform == "win32"' and found["yaml"].reason == "guarded by HAS_YAML"
    assert found["ujson"].optional and found["funcsigs"].optional and found["onnxruntime"].optional
    assert not found["inspect"].optional and all(found[name].in_function for name in ("yaml", "inspect"))


@pytest.mark.parametrize(
    "source",
    [
        "def f():\n    x = call(\n1)\n    import late\n",  # a continuation line at the margin inside a block
        "if x:\n    y = {\n'k':\n1}\n    import late\n",
    ],
)
def test_an_unreadable_enclosing_line_gets_the_full_parse(full_parses: list[str], source: str) -> None:
    fast_equals_full(source)
    assert len(full_parses) == 2  # the fast scan gave up, then the comparison's own call


def test_inline_ignore_markers_on_any_line_of_the_statement() -> None:
    source = """\
        import plain  # pipreqs-action: ignore
        from first_line import (  # deptry: ignore[DEP001]
            a,
        )
        from last_line import (
            b,
        )  # pipreqs-action: ignore[PRA001]
        import other_rule  # deptry: ignore[DEP002]
        import in_words  # we never write pipreqs-action: ignoring here
        text = "# pipreqs-action: ignore"; import after_string
        """
    found = {item.module: item.ignore_line for item in fast_equals_full(source)}
    assert found == {"plain": 1, "first_line": 2, "last_line": 7, "other_rule": 0, "in_words": 0, "after_string": 10}


def test_only_wanted_imports_get_their_context_read() -> None:
    """The scanner drops the standard library and the project's own imports: their blocks are never read."""
    source = "def f():\n    with suppress(ImportError):\n        import os\n        import x\n"
    found = {item.module: item for item in extract(source, wanted=lambda name: name != "os")}
    assert found["x"].in_function and found["x"].optional
    assert not found["os"].in_function and not found["os"].optional
