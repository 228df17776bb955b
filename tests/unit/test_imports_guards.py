"""The author's intent around an import: guards, Python 2 and platform branches, installs on demand.

Every case is read twice, by the fast scan and by a full parse, and the two must agree on every field.
"""

from __future__ import annotations

import textwrap

import pytest

from pipreqs_action.imports import RawImport, extract


def both(source: str) -> dict[str, RawImport]:
    text = textwrap.dedent(source)
    fast = sorted(extract(text), key=_key)
    full = sorted(extract(text, full=True), key=_key)
    assert fast == full
    return {item.module: item for item in fast}


def _key(item: RawImport) -> tuple[object, ...]:
    return (item.line, item.module, item.dynamic)


def reason(source: str, module: str) -> str:
    found = both(source)[module]
    assert found.optional == bool(found.reason) or found.type_only
    return found.reason


# --- guards beyond try/except ImportError ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import contextlib\nwith contextlib.suppress(ImportError):\n    import x\n", "ImportError"),
        ("from contextlib import suppress\nwith suppress(ModuleNotFoundError):\n    import x\n", "ModuleNotFoundError"),
        ("with suppress(Exception):\n    import x\n", "Exception"),
        ("with suppress((OSError, ImportError)):\n    import x\n", "ImportError"),
        ("with suppress(KeyError, ImportError):\n    import x\n", "ImportError"),
        ("with lock, suppress(ImportError):\n    import x\n", "ImportError"),
        (
            "async def f():\n    async with a:\n        with suppress(ImportError):\n            import x\n",
            "ImportError",
        ),
    ],
)
def test_suppress_of_an_import_error_makes_the_import_optional(source: str, expected: str) -> None:
    assert reason(source, "x") == f"guarded by contextlib.suppress({expected})"


@pytest.mark.parametrize(
    "source",
    [
        "with suppress(KeyError):\n    import x\n",
        "with open('f') as handle:\n    import x\n",
        "with warnings.catch_warnings():\n    import x\n",
    ],
)
def test_other_context_managers_guard_nothing(source: str) -> None:
    found = both(source)["x"]
    assert not found.optional and found.reason == ""


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "with LazyImport('pip install x') as x_import:\n    import x\ndef f():\n    x_import.check()\n",
            "guarded by LazyImport() as x_import, which defers the ImportError to x_import.check()",
        ),
        (
            "with lazy.try_import() as imports:\n    import x\nif imports.is_successful():\n    pass\n",
            "guarded by try_import() as imports, which defers the ImportError to imports.is_successful()",
        ),
        (
            "with optional_import_block() as result:\n    import x\nOK = result.is_successful\n",
            "guarded by optional_import_block() as result, which defers the ImportError to result.is_successful",
        ),
        (
            "with lock, Deferred(\n    message='x',\n) as h:\n    import x\nh.check()\n",
            "guarded by Deferred() as h, which defers the ImportError to h.check()",
        ),
    ],
)
def test_a_deferred_import_guard_whose_handle_the_file_asks_makes_the_import_optional(
    source: str, expected: str
) -> None:
    assert reason(source, "x") == expected


@pytest.mark.parametrize(
    "source",
    [
        "with LazyImport('pip install x') as x_import:\n    import x\n",  # never asked: nothing says the error waits
        "with LazyImport() as x_import:\n    import x\nx_import_2.check()\nself.x_import.check()\nx_import.checked\n",
        "with LazyImport() as x_import:\n    import x\n# x_import .check() is spelled apart\n",
        "with open('f') as handle:\n    import x\nother.check()\n",
        "with LazyImport():\n    import x\nx_import.check()\n",  # no handle bound
    ],
)
def test_a_context_manager_whose_handle_is_not_asked_guards_nothing(source: str) -> None:
    found = both(source)["x"]
    assert not found.optional and found.reason == ""


@pytest.mark.parametrize(
    "test",
    [
        'importlib.util.find_spec("x")',
        'find_spec("x") is not None',
        'util.find_spec("x")',
        'importlib.util.find_spec("x") and other',
        'pkgutil.find_loader("x")',
    ],
)
def test_find_spec_guards_the_branch(test: str) -> None:
    assert reason(f"if {test}:\n    import x\n", "x") == "guarded by find_spec('x')"


def test_find_spec_guards_the_fallback_too() -> None:
    source = "if not find_spec('x'):\n    import fallback\nelse:\n    import x\n"
    found = both(source)
    assert found["x"].reason == found["fallback"].reason == "guarded by find_spec('x')"


def test_availability_helpers_and_flags() -> None:
    found = both(
        """\
        try:
            import torch
            _has_torch = True
        except ImportError:
            _has_torch = False
        try:
            import yaml
        except ImportError:
            yaml = None
        HAS_X = importlib.util.find_spec("x") is not None
        from .utils import HAS_NUMPY, DEBUG

        if is_deepspeed_available():
            import deepspeed
        if _has_torch and cuda:
            import torchvision
        if yaml is not None:
            import yaml.constructor
        if HAS_X:
            import x
        if HAS_NUMPY:
            import numpy
        if DEBUG:
            import debugpy
        if settings.enabled:
            import not_a_guard
        """
    )
    assert found["deepspeed"].reason == "guarded by is_deepspeed_available()"
    assert found["torchvision"].reason == "guarded by _has_torch"
    assert found["yaml.constructor"].reason == "guarded by yaml"
    assert found["x"].reason == "guarded by HAS_X"
    assert found["numpy"].reason == "guarded by HAS_NUMPY"  # a flag by its conventional name, set elsewhere
    assert not found["debugpy"].optional and not found["not_a_guard"].optional


def test_a_module_already_loaded_guards_the_branch() -> None:
    found = both(
        """\
        IN_COLAB = "google.colab" in sys.modules
        if "google.colab" in sys.modules:
            from google.colab import drive
        if IN_COLAB:
            from kaggle_secrets import UserSecretsClient
        """
    )
    assert found["google.colab"].reason == "guarded by 'google.colab' in sys.modules"
    assert found["kaggle_secrets"].reason == "guarded by IN_COLAB"


def test_a_name_computed_in_a_try_is_not_a_flag() -> None:
    source = "try:\n    value = compute()\nexcept Exception:\n    value = 0\nif value:\n    import x\n"
    assert not both(source)["x"].optional


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        ('ensure_package("onnxruntime>=1.16")', "installed on demand by ensure_package()"),
        ('require("x")', "installed on demand by require()"),
        ('subprocess.check_call([sys.executable, "-m", "pip", "install", "x"])', "installed on demand by pip"),
        (
            'subprocess.run(\n    [sys.executable, "-m", "pip", "install", "x"],\n    check=True,\n)',
            "installed on demand by pip",
        ),
        ('os.system("pip install x")', "installed on demand by pip"),
        ('pip.main(["install", "x"])', "installed on demand by pip"),
        ('result = install_package("x")', "installed on demand by install_package()"),
        (
            'check_requirements(("onnx", "onnxruntime-gpu" if cuda else "onnxruntime"))',
            "installed on demand by check_requirements()",
        ),
    ],
)
def test_an_install_on_demand_right_before_the_import(before: str, expected: str) -> None:
    body = textwrap.indent(f"{before}\nimport other\nimport x\n", "    ")
    found = both(f"def load():\n{body}")
    assert found["x"].reason == found["other"].reason == expected
    assert found["x"].in_function


@pytest.mark.parametrize(
    "source",
    [
        'install("x")\ncount = 1\nimport x\n',  # another statement in between
        'if missing:\n    install("x")\nimport x\n',  # inside another block
        'print("please pip install x")\nimport x\n',  # words, not a command
        'install_requires = ["x"]\nimport x\n',
        'reqs = parse_requirements("requirements.txt")\nimport x\n',
    ],
)
def test_not_an_install_on_demand(source: str) -> None:
    assert not both(source)["x"].optional


def test_install_on_the_same_line() -> None:
    assert both('ensure("x"); import x\n')["x"].reason == "installed on demand by ensure()"


# --- Python 2 and version branches -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("test", "branch"),
    [
        ("sys.version_info[0] < 3", "body"),
        ("sys.version_info[0] == 2", "body"),
        ("sys.version_info.major < 3", "body"),
        ("sys.version_info < (3,)", "body"),
        ("sys.version_info < (3, 0)", "body"),
        ("sys.version_info[:2] < (3, 0)", "body"),
        ("sys.version_info >= (3, 0)", "else"),
        ("sys.version_info > (3,)", "else"),
        ("sys.version_info[0] >= 3", "else"),
        ("sys.version > '3'", "else"),
        ("sys.version < '3'", "body"),
        ("six.PY2", "body"),
        ("PY2", "body"),
        ("not PY3", "body"),
        ("six.PY3", "else"),
        ("not six.PY2", "else"),
    ],
)
def test_the_python_2_branch_is_never_required(test: str, branch: str) -> None:
    found = both(f"if {test}:\n    import in_body\nelse:\n    import in_else\n")
    py2, py3 = (found["in_body"], found["in_else"]) if branch == "body" else (found["in_else"], found["in_body"])
    assert py2.optional and py2.reason == "Python 2 branch"
    assert not py3.optional and py3.reason == "" and py3.marker == ""


def test_a_python_2_flag_defined_in_the_file() -> None:
    found = both("PY2 = sys.version_info[0] == 2\nIS_OLD = sys.version_info < (3,)\nif IS_OLD:\n    import old\n")
    assert found["old"].reason == "Python 2 branch"


@pytest.mark.parametrize(
    ("test", "inside", "outside"),
    [
        ("sys.version_info < (3, 11)", 'python_version < "3.11"', 'python_version >= "3.11"'),
        ("sys.version_info >= (3, 8)", 'python_version >= "3.8"', 'python_version < "3.8"'),
        ("sys.version_info > (3, 8)", 'python_version >= "3.8"', 'python_version < "3.8"'),
        ("sys.version_info[:2] <= (3, 9)", 'python_version < "3.9"', 'python_version >= "3.9"'),
    ],
)
def test_a_python_3_version_branch_carries_a_marker(test: str, inside: str, outside: str) -> None:
    found = both(f"if {test}:\n    import a\nelse:\n    import b\n")
    assert (found["a"].marker, found["b"].marker) == (inside, outside)
    assert not found["a"].optional and not found["b"].optional


# --- platform branches -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("test", "inside", "outside"),
    [
        ('sys.platform == "win32"', 'sys_platform == "win32"', 'sys_platform != "win32"'),
        ('sys.platform.startswith("win")', 'sys_platform == "win32"', 'sys_platform != "win32"'),
        ('os.name == "nt"', 'sys_platform == "win32"', 'sys_platform != "win32"'),
        ('os.name != "nt"', 'sys_platform != "win32"', 'sys_platform == "win32"'),
        ('platform.system() == "Windows"', 'sys_platform == "win32"', 'sys_platform != "win32"'),
        ('sys.platform == "darwin"', 'sys_platform == "darwin"', 'sys_platform != "darwin"'),
        ('platform.system() == "Linux"', 'sys_platform == "linux"', 'sys_platform != "linux"'),
        ('sys.platform.startswith("linux")', 'sys_platform == "linux"', 'sys_platform != "linux"'),
        (
            'sys.platform in ("win32", "cygwin")',
            'sys_platform == "cygwin" or sys_platform == "win32"',
            'sys_platform != "cygwin" and sys_platform != "win32"',
        ),
    ],
)
def test_a_platform_branch_carries_a_marker(test: str, inside: str, outside: str) -> None:
    found = both(f"if {test}:\n    import a\nelse:\n    import b\n")
    assert (found["a"].marker, found["b"].marker) == (inside, outside)
    assert not found["a"].optional and not found["b"].optional


def test_platform_flags_nesting_and_elif_chains() -> None:
    found = both(
        """\
        WINDOWS = os.name == "nt"
        if WINDOWS:
            import win_flag
        if sys.platform == "win32" and debug:
            import win_and_debug
        if sys.platform == "win32":
            if sys.version_info < (3, 9):
                import nested
        if sys.platform == "win32":
            import chain_win
        elif sys.platform == "darwin":
            import chain_mac
        else:
            import chain_other
        if os.name == "posix":
            import posix_unknown
        """
    )
    assert found["win_flag"].marker == 'sys_platform == "win32"'
    assert found["win_and_debug"].marker == 'sys_platform == "win32"'
    assert found["nested"].marker == 'python_version < "3.9" and sys_platform == "win32"'
    assert found["chain_win"].marker == 'sys_platform == "win32"'
    assert found["chain_mac"].marker == 'sys_platform == "darwin"'  # "not win32" goes without saying there
    assert found["chain_other"].marker == 'sys_platform != "darwin" and sys_platform != "win32"'
    assert found["posix_unknown"].marker == ""


def test_each_clause_of_an_elif_chain_holds_the_opposite_of_every_earlier_test() -> None:
    found = both(
        """\
        if sys.platform == "win32":
            import on_windows
        elif sys.version_info < (3, 11):
            import old_python
        elif PY3:
            import py3_flag
        else:
            import python2_only
        if sys.version_info >= (3, 11):
            import tomllib
        elif sys.platform == "win32": import tomli
        else:  # a comment
            import toml
        if sys.version_info >= (3, 11):
            pass
        else:
            if sys.platform == "win32":
                import nested_in_else
        for item in items:
            pass
        else:
            import after_a_loop
        """
    )
    assert found["on_windows"].marker == 'sys_platform == "win32"'
    assert found["old_python"].marker == 'python_version < "3.11" and sys_platform != "win32"'
    assert found["py3_flag"].marker == 'python_version >= "3.11" and sys_platform != "win32"'
    assert found["python2_only"].reason == "Python 2 branch"  # every Python 3 took an earlier clause
    assert found["tomli"].marker == 'python_version < "3.11" and sys_platform == "win32"'
    assert found["toml"].marker == 'python_version < "3.11" and sys_platform != "win32"'
    assert found["nested_in_else"].marker == 'python_version < "3.11" and sys_platform == "win32"'
    assert found["after_a_loop"].marker == ""


# --- how the headers are read ----------------------------------------------------------------------------------


def test_multi_line_headers_and_one_line_bodies() -> None:
    found = both(
        """\
        if (
            sys.platform == "win32"
            and True
        ):
            import multi_line
        def load(
            name: str,
            default: int = 0,
        ) -> None:
            import in_long_def
        if PY2: import one_line
        else: import one_line_else
        class Loader:
            def method(self):
                if importlib.util.find_spec("deep"):  # a comment: with a colon
                    import deep
        """
    )
    assert found["multi_line"].marker == 'sys_platform == "win32"'
    assert found["in_long_def"].in_function and not found["in_long_def"].optional
    assert found["one_line"].reason == "Python 2 branch" and not found["one_line_else"].optional
    assert found["deep"].reason == "guarded by find_spec('deep')" and found["deep"].in_function


def test_in_function_is_only_inside_a_def() -> None:
    found = both(
        """\
        import top
        class Config:
            import in_class
        def f():
            import in_def
            def g():
                import in_nested_def
        async def h():
            import in_async_def
        with lock:
            import in_with
        """
    )
    assert [name for name, item in found.items() if item.in_function] == ["in_def", "in_nested_def", "in_async_def"]


def test_nested_guards_keep_the_most_informative_reason() -> None:
    found = both(
        """\
        try:
            with suppress(ImportError):
                import inner
        except ImportError:
            pass
        if TYPE_CHECKING:
            try:
                import typed
            except ImportError:
                pass
        """
    )
    assert found["inner"].reason == "guarded by contextlib.suppress(ImportError)"
    assert found["typed"].reason == "guarded by except ImportError" and found["typed"].type_only


def test_type_checking_says_why() -> None:
    found = both("if TYPE_CHECKING:\n    import typed\n")["typed"]
    assert found.type_only and found.reason == "only under if TYPE_CHECKING"


def test_an_if_on_the_environment_runs_its_body_on_demand_and_leaves_the_default_branch_alone():
    found = both(
        """
        import os
        from os import environ
        if os.environ.get("APP_COVERAGE"):
            import coverage
        if os.getenv("PROFILE") == "1":
            import pyinstrument
        if "COLAB_GPU" in environ:
            import google.colab
        else:
            import yaml
        if DEBUG:
            import ipdb
        """
    )
    assert [name for name, item in found.items() if item.in_function] == ["coverage", "pyinstrument", "google.colab"]
    assert not any(item.optional for item in found.values())  # on demand is not a guard: the package is still needed
