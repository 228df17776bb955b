"""Install hints (``install_hints``): what the ``try`` statements around an import say about packages that may be
absent."""

from __future__ import annotations

import ast

from pipreqs_action.install_hints import GuardEvidence, evidence_at, hinted_distributions


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
