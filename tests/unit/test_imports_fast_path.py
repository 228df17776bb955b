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
def test_python2_code_outside_strings_still_gets_the_full_parse(source: str) -> None:
    with pytest.raises(NotPython):
        extract(source)


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
