"""Alternatives chosen by name (``named_choices``): which branches choose a package by its own name, which not.

The fixture `alternatives_by_name` carries the end-to-end verdicts in its comments (test_cli checks them); here
are the shapes of ``if`` the rule reads, one at a time.
"""

from __future__ import annotations

import ast
import textwrap

from pipreqs_action.intent.named_choices import chosen_imports


def chosen(code: str, *names: str) -> list[tuple[int, str]]:
    tree = ast.parse(textwrap.dedent(code))
    return sorted((line, name) for line, name, _, _ in chosen_imports(tree, set(names)))


def test_a_branch_whose_test_names_the_package_is_chosen_when_the_if_has_another_branch() -> None:
    code = """
        if backend == "jax":
            import jax
        else:
            import numpy
    """
    assert chosen(code, "jax", "numpy") == [(3, "jax")]


def test_without_another_branch_it_is_a_feature_that_is_on_or_off() -> None:
    code = """
        if logger == "wandb":
            import wandb
    """
    assert chosen(code, "wandb") == []


def test_the_compared_string_must_be_the_imports_own_top_level_name() -> None:
    code = """
        if fmt == "yml":
            import yaml
        elif fmt == "msgpack-python":
            import msgpack
        else:
            import json
    """
    assert chosen(code, "yaml", "msgpack") == []


def test_every_elif_has_the_branch_above_it_as_another() -> None:
    code = """
        if kind == "a":
            pass
        elif kind == "ujson":
            import ujson
    """
    assert chosen(code, "ujson") == [(5, "ujson")]


def test_the_else_of_an_inequality_and_of_a_negation_is_chosen_by_the_name() -> None:
    code = """
        if engine != "duckdb":
            import sqlite3
        else:
            from duckdb import connect
        if not version == "parrots":
            pass
        else:
            import parrots.jit
    """
    assert chosen(code, "duckdb", "parrots", "sqlite3") == [(5, "duckdb"), (9, "parrots")]


def test_an_and_chooses_its_body_an_or_does_not() -> None:
    code = """
        if version == "parrots" and option == "ON":
            from parrots.jit import pat
        else:
            pat = None
        if version == "orjson" or fast:
            import orjson
        else:
            import json
    """
    assert chosen(code, "parrots", "orjson") == [(3, "parrots")]


def test_a_choice_holds_inside_functions_and_nested_blocks_of_the_branch() -> None:
    code = """
        if name in ("redis", "valkey"):
            def connect():
                import redis
                return redis
        else:
            def connect():
                return None
        import redis
    """
    assert chosen(code, "redis") == [(4, "redis")]  # the top-level import after the if is not in the branch


def test_a_dynamic_import_in_the_branch_is_chosen_too() -> None:
    code = """
        if backend == "tensorflow":
            tf = importlib.import_module("tensorflow")
        else:
            tf = None
    """
    assert chosen(code, "tensorflow") == [(3, "tensorflow")]
