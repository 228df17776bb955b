"""Imports chosen by a run-time value (``named_choices``, ``value_tests``, ``chosen_calls``): which branches of a
function choose their imports, which tests say something else, and which functions only chosen branches call.

The fixture `choices_by_value` carries the end-to-end verdicts in its comments (test_cli checks them); here are the
shapes one at a time.
"""

from __future__ import annotations

import ast
import json
import textwrap
from pathlib import Path

import pytest

from pipreqs_action.intent import chosen_calls, named_choices
from pipreqs_action.intent.named_choices import run_time_choices
from pipreqs_action.model import ImportRef, Location, ScanResult


def chosen(code: str) -> list[tuple[int, str]]:
    tree = ast.parse(textwrap.dedent(code))
    return sorted((choice.line, choice.name) for choice in run_time_choices(tree))


def reasons(code: str) -> list[str]:
    return [choice.reason for choice in run_time_choices(ast.parse(textwrap.dedent(code)))]


def test_a_branch_of_a_function_whose_test_reads_a_setting_chooses_its_import() -> None:
    code = """
        def connect(options):
            if options.get("cluster"):
                import clusterdb
            elif options["kind"] == "ssh":
                import paramiko
            else:
                import sqlite_utils
    """
    assert chosen(code) == [(4, "clusterdb"), (6, "paramiko")]  # the final else is the default
    assert reasons(code) == [
        "imported only when `options.get('cluster')`",
        "imported only when `options['kind'] == 'ssh'`",
    ]


def test_at_module_level_a_setting_chooses_too_but_not_the_entry_point_nor_a_constant() -> None:
    code = """
        import os
        DSN = os.environ.get("SENTRY_DSN")
        PROFILE = False
        if DSN:
            import sentry_sdk
        if PROFILE:
            import pyinstrument
        if __name__ == "__main__":
            import uvicorn
        import numpy
    """
    assert chosen(code) == [(6, "sentry_sdk")]


@pytest.mark.parametrize(
    "test",
    [
        "sys.version_info >= (3, 11)",
        "sys.platform == 'win32'",
        "os.name == 'nt'",
        "platform.system() == 'Windows'",
        "TORCH_VERSION > '2.0'",
        "IS_WINDOWS",
        "PY2",
        "TYPE_CHECKING",
        "typing.TYPE_CHECKING",
        "__name__ == '__main__'",
        "is_torch_available()",
        "HAS_TORCH",
        "importlib.util.find_spec('torch') is not None",
        "'torch' in sys.modules",
        "hasattr(obj, 'tensor')",
        "self._client is None",
        "not self._client",
        "key not in cache",
        "backend != 'cuda'",
        "not args.no_cuda",
        "True",
        "LIMIT > 3",  # a module constant, below
        "LIMIT > limit and args.fast",  # the constant takes part, whatever else the test reads
        "args.fast or client is None",
    ],
)
def test_tests_that_say_something_else_choose_nothing(test: str) -> None:
    code = f"""
        LIMIT = 5
        def load(args, obj, key, cache, backend):
            if {test}:
                import torch
    """
    assert chosen(code) == []


@pytest.mark.parametrize(
    "test",
    [
        "gridgain",
        "self.configuration.get('gridgain', False)",
        "url.endswith('.svg')",
        "args.backend in ('torch', 'cuda')",
        "len(images) > 0",
        "os.environ.get('USE_TORCH')",
        "sys.argv[1] == 'train'",
        "settings.USE_GPU and self._model is None",
        "fmt == 'a' or fmt == 'b'",
    ],
)
def test_tests_that_read_a_value_choose_their_body(test: str) -> None:
    code = f"""
        LIMIT = 5
        def load(gridgain, url, args, images, settings, fmt, limit):
            if {test}:
                import torch
    """
    assert chosen(code) == [(5, "torch")]


def test_a_constant_assigned_again_or_declared_global_is_a_value() -> None:
    code = """
        FAST = False
        def configure():
            global FAST
            FAST = True
        def dump():
            if FAST:
                import orjson
    """
    assert chosen(code) == [(8, "orjson")]


def test_a_choice_holds_in_nested_blocks_and_functions_of_the_branch() -> None:
    code = """
        def serve(kind):
            if kind == "grpc":
                for _ in range(3):
                    if ready():
                        import grpc
                def later():
                    import protobuf
                try:
                    import grpc_status
                except ValueError:
                    pass
            import uvicorn
    """
    assert chosen(code) == [(6, "grpc"), (8, "protobuf"), (10, "grpc_status")]


def test_a_match_chooses_each_case_but_the_default() -> None:
    code = """
        def encode(fmt, data):
            match fmt:
                case "toml":
                    import tomlkit
                case "yaml" | "yml":
                    import yaml
                case other:
                    import json5
                case _:
                    import ujson
    """
    assert chosen(code) == [(5, "tomlkit"), (7, "yaml")]
    assert reasons(code)[1] == "imported only when `fmt matches 'yaml' | 'yml'`"


def test_the_name_contract_still_holds_at_module_level() -> None:
    code = """
        if settings.JSON == "orjson":
            import orjson
        else:
            import json
    """
    assert chosen(code) == [(3, "orjson")]


# --- one call away: the caller chooses -------------------------------------------------------------------------


def check(tmp_path: Path, files: dict[str, str], path: str) -> dict[tuple[int, str], str]:
    """Runs the stage on a project of ``files`` whose file ``path`` imports (inside functions) every top-level
    import written in it; the reasons of the imports it makes optional, by (line, name)."""
    for name, code in files.items():
        (tmp_path / name).write_text(textwrap.dedent(code), "utf-8")
    tree = ast.parse(textwrap.dedent(files[path]))
    refs = [
        ImportRef(alias.name, Location(path, node.lineno), in_function=True)
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    scan = named_choices.apply(ScanResult(imports=tuple(refs)), tmp_path)
    return {(ref.location.line, ref.root): ref.reason for ref in scan.imports if ref.optional}


PROVIDERS = textwrap.dedent(
    """
    def stream(endpoint, prompt):
        if endpoint["kind"] == "acme":
            return acme_stream(prompt)
        elif endpoint["kind"] == "globex":
            return _globex_stream(prompt) + _globex_stream(prompt)
        return plain_stream(prompt)

    def acme_stream(prompt):
        import acme_sdk
        return acme_sdk.run(prompt)

    def _globex_stream(prompt):
        import globex
        return globex.run(prompt)

    def plain_stream(prompt):
        import plainsdk
        return plainsdk.run(prompt)
"""
)


def test_a_function_only_chosen_branches_call_imports_optionally(tmp_path: Path) -> None:
    found = check(tmp_path, {"providers.py": PROVIDERS}, "providers.py")
    assert found == {
        (10, "acme_sdk"): "imported only when `endpoint['kind'] == 'acme'` (providers.py:3) calls acme_stream()",
        (14, "globex"): "imported only when `endpoint['kind'] == 'globex'` (providers.py:5) calls _globex_stream()",
    }


def test_a_public_function_another_module_calls_unconditionally_stays(tmp_path: Path) -> None:
    other = """
        from providers import acme_stream
        def main():
            acme_stream("hi")
    """
    found = check(tmp_path, {"providers.py": PROVIDERS, "main.py": other}, "providers.py")
    assert (10, "acme_sdk") not in found
    assert (14, "globex") in found


def test_a_call_from_another_module_in_a_chosen_branch_is_a_choice_too(tmp_path: Path) -> None:
    other = """
        import providers
        def main(args):
            if args.acme:
                providers.acme_stream("hi")
    """
    found = check(tmp_path, {"providers.py": PROVIDERS, "main.py": other}, "providers.py")
    assert found[(10, "acme_sdk")] == (
        "imported only when `args.acme` (main.py:4) or `endpoint['kind'] == 'acme'` (providers.py:3)"
        " calls acme_stream()"
    )


@pytest.mark.parametrize(
    "use",
    [
        "HANDLERS = {'acme': acme_stream}",  # a value: who calls it is not for this module to say
        "__all__ = ['acme_stream']",
        "def main():\n    acme_stream('x')",  # called unconditionally
        "def acme_stream(prompt):\n    return None",  # defined twice
        "acme_stream('x')",  # called when the module is imported
        "if __name__ == '__main__':\n    acme_stream('x')",  # the entry point is no choice
    ],
)
def test_any_other_use_keeps_the_import(tmp_path: Path, use: str) -> None:
    found = check(tmp_path, {"providers.py": PROVIDERS + "\n" + use + "\n"}, "providers.py")
    assert (10, "acme_sdk") not in found


def test_a_decorated_or_never_called_function_keeps_its_import(tmp_path: Path) -> None:
    code = """
        import functools

        def pick(kind):
            if kind == "a":
                return loader()

        @functools.cache
        def loader():
            import acme_sdk
            return acme_sdk

        def unused():
            import globex
            return globex
    """
    assert check(tmp_path, {"m.py": code}, "m.py") == {}


def test_a_notebook_naming_the_function_keeps_the_import(tmp_path: Path) -> None:
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["acme_stream(1)"]}
    notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "demo.ipynb").write_text(json.dumps(notebook), "utf-8")
    found = check(tmp_path, {"providers.py": PROVIDERS}, "providers.py")
    assert (10, "acme_sdk") not in found


def test_only_the_files_that_name_a_function_are_kept_read(tmp_path: Path) -> None:
    """The project's other files are searched for each asked-for name, not held whole for the run: on a big tree
    (sympy) holding every file's text cost more memory than the rest of the check."""
    other = """
        import providers
        def main(args):
            if args.acme:
                providers.acme_stream("hi")
    """
    files = {"providers.py": PROVIDERS, "main.py": other, "unrelated.py": "VALUE = 1\n", "café.py": "naïve = 2\n"}
    for name, text in files.items():
        (tmp_path / name).write_text(textwrap.dedent(text), "utf-8")
    project = chosen_calls.ProjectNames(tmp_path, named_choices._uses_of)
    choosers = project.choosers("acme_stream", "providers.py")
    assert choosers is not None and [rel for _, _, rel in choosers] == ["main.py"]
    assert set(project._texts) == {"main.py", "providers.py"}
    assert list(project._naming("naïve")) == ["café.py"]  # a name in another script is still found
