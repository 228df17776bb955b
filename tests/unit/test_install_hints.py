"""Install hints (``install_hints``): what the ``try`` statements around an import say about packages that may be
absent."""

from __future__ import annotations

import ast

import pytest

from pipreqs_action.intent.install_hints import (
    _COMMAND,
    HINT_WORDS,
    GuardEvidence,
    evidence_at,
    has_install_command,
    hinted_distributions,
    hinted_in_source,
)


def evidence(code: str, marker: str = "from app import feature") -> GuardEvidence:
    line = next(number for number, text in enumerate(code.split("\n"), 1) if marker in text)
    return evidence_at(ast.parse(code), line)


def test_a_handler_naming_import_error_is_explicit_whatever_else_it_says() -> None:
    code = "try:\n    from app import feature\nexcept (ImportError, OSError):\n    feature = None\n"
    assert evidence(code) == GuardEvidence(explicit=True)


def test_a_broad_handler_that_only_logs_gives_no_evidence() -> None:
    code = "try:\n    from app import feature\nexcept Exception:\n    log.exception('Load plugin failed')\n"
    assert evidence(code) == GuardEvidence()


def test_the_hint_in_the_handler_s_own_text_at_the_line_the_command_sits_on() -> None:
    code = 'try:\n    from app import feature\nexcept:\n    print("""missing extras:\n  pip install chromadb""")\n'
    assert evidence(code) == GuardEvidence(hint=5)


def test_the_hint_in_a_module_constant_the_handler_names() -> None:
    code = (
        'MSG = "conda install faiss"\n\ndef f():\n    try:\n        from app import feature\n'
        "    except BaseException as e:\n        return str(e) + MSG\n"
    )
    assert evidence(code) == GuardEvidence(hint=1)


def test_the_hint_in_a_function_of_the_file_the_handler_calls() -> None:
    code = (
        'def help_me():\n    print("see requirements-voice.txt")\n\n'
        "try:\n    from app import feature\nexcept Exception:\n    help_me()\n"
    )
    assert evidence(code) == GuardEvidence(hint=2)


def test_a_hint_elsewhere_in_the_file_is_not_the_handler_s() -> None:
    code = 'MSG = "pip install x"\nprint(MSG)\ntry:\n    from app import feature\nexcept Exception:\n    pass\n'
    assert evidence(code) == GuardEvidence()


def test_an_outer_explicit_guard_holds_for_an_import_inside_an_inner_broad_one() -> None:
    code = (
        "try:\n    try:\n        from app import feature\n    except Exception:\n        raise\n"
        "except ModuleNotFoundError:\n    feature = None\n"
    )
    assert evidence(code) == GuardEvidence(explicit=True)


def test_an_import_outside_any_try_gives_no_evidence() -> None:
    assert evidence("from app import feature\n") == GuardEvidence()


def test_an_import_guard_s_install_command_names_its_distributions_but_options_files_and_urls() -> None:
    code = (
        "try:\n    import nls\nexcept:\n"
        '    say("extras: ```pip install --upgrade aliyun-python-sdk-core==2.13.3 pyOpenSSL unstructured[all-docs]'
        ' -r requirements-voice.txt git+https://example.invalid/nls.git ./local```")\n'
    )
    found = hinted_distributions(ast.parse(code))
    assert found == (("aliyun-python-sdk-core", 4), ("pyOpenSSL", 4), ("unstructured", 4))


def test_the_command_s_line_inside_a_constant_the_handler_names() -> None:
    code = 'MSG = """\n1. install torch first\n2. python -m pip install langchain faiss-cpu\n"""\n'
    code += "try:\n    from app import store\nexcept Exception as e:\n    print(e, MSG)\n"
    assert hinted_distributions(ast.parse(code)) == (("faiss-cpu", 3), ("langchain", 3))


def test_a_handler_of_a_try_that_imports_nothing_is_no_import_guard() -> None:
    code = 'try:\n    run_job()\nexcept Exception:\n    print("pip install celery")\n'
    assert hinted_distributions(ast.parse(code)) == ()


def test_a_handler_that_catches_no_import_error_names_nothing() -> None:
    code = 'try:\n    import yaml\nexcept ValueError:\n    print("pip install pyyaml")\n'
    assert hinted_distributions(ast.parse(code)) == ()


# hinted_in_source reads only the file's guards, and must answer exactly as the whole file's parse does.
_SOURCES = {
    "an indented guard in a method": (
        "class Store:\n    def load(self):\n        try:\n            import faiss\n"
        '        except ImportError:\n            raise ImportError("pip install faiss-cpu")\n'
    ),
    "a nested guard, the hint in a string spanning lines": (
        "try:\n    try:\n        import a\n    except Exception:\n        raise\n"
        'except ModuleNotFoundError:\n    print("""missing:\n    conda install  pyarrow\n""")\n'
    ),
    "a try: inside a docstring and a try with no import": (
        'def f():\n    """Example:\n    try:\n        import x\n    except ImportError:\n'
        '        print("pip install x")\n    """\n    try:\n        run()\n    except Exception:\n'
        '        print("pip install celery")\n'
    ),
    "the same distribution in two guards, the deeper one first in the file": (
        'def f():\n    try:\n        import a\n    except ImportError:\n        print("pip install torch")\n'
        'try:\n    import b\nexcept ImportError:\n    print("pip install torch")\n'
    ),
    "a handler naming a module constant": (
        'MSG = "uv add httpx"\n\ntry:\n    import httpx\nexcept ImportError:\n    print(MSG)\n'
    ),
    "a handler calling a function of the module": (
        'def help_me():\n    print("poetry add redis")\n\n'
        "class C:\n    def f(self):\n        try:\n            import redis\n        except Exception:\n"
        "            help_me()\n"
    ),
    "a statement of the guard running on below its indentation": (
        'def f():\n    try:\n        import a\n    except ImportError:\n        print(\n"pip install a-dist")\n'
    ),
    "else and finally clauses, comments at the margin": (
        "if True:\n    try:\n        import a\n# a comment\n    except ImportError:\n"
        '        print("pip3 install a-dist b-dist")\n    else:\n        pass\n    finally:\n        pass\n'
        'x = "pip install never-a-hint"\n'
    ),
}


@pytest.mark.parametrize("name", sorted(_SOURCES))
def test_reading_only_the_guards_answers_as_the_whole_parse(name: str) -> None:
    code = _SOURCES[name]
    assert hinted_in_source(code) == hinted_distributions(ast.parse(code))


def test_the_guards_found_by_reading_only_them() -> None:
    code = _SOURCES["an indented guard in a method"] + _SOURCES["else and finally clauses, comments at the margin"]
    assert hinted_in_source(code) == (("faiss-cpu", 6), ("a-dist", 12), ("b-dist", 12))


def test_two_guards_naming_one_distribution_keep_the_line_the_whole_tree_s_order_finds_first() -> None:
    assert hinted_in_source(_SOURCES["the same distribution in two guards, the deeper one first in the file"]) == (
        ("torch", 9),
    )


def test_a_file_with_no_install_command_or_no_except_names_nothing() -> None:
    assert hinted_in_source("try:\n    import a\nexcept ImportError:\n    print('install a')\n") == ()
    assert hinted_in_source("import a\nprint('pip install a')\n") == ()


_COMMAND_TEXTS = [
    "print('PIP INSTALL x')  # the installer's words in another case: install",
    "print('Pip  Install x')",
    "print('p\u0131p install x')",  # the case-blind pattern takes a dotless i for an i
    "print('\u0130 then pip install x')",  # a character that lower-casing makes two
    "print('micromamba install x')",
    "print('uv pip install x')",
    "print('pipx add x')",
    "print('apip install x')",
    "print('pip uninstall x')",
    "print('pip installs x')",
]


@pytest.mark.parametrize("text", _COMMAND_TEXTS)
def test_an_install_command_is_found_where_the_case_blind_pattern_finds_one_in_the_whole_text(text: str) -> None:
    whole = any(word in text for word in HINT_WORDS) and _COMMAND.search(text) is not None
    assert has_install_command(text) is whole


def test_the_texts_above_hold_commands_and_near_misses() -> None:
    assert {has_install_command(text) for text in _COMMAND_TEXTS} == {True, False}
