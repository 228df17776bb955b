"""Modules of a library reached only inside function bodies: a framework's integration when the function serves it."""

from __future__ import annotations

from pathlib import Path

from pipreqs_action.app_code.lazy_integrations import lazy_integrations
from pipreqs_action.app_code.lazy_loads import (
    Crossing,
    LazyImport,
    LazyImports,
    lazy_package_imports,
    reached_only_lazily,
)
from pipreqs_action.app_code.loading_functions import LoadingFunction, loading_function
from pipreqs_action.app_code.reachability import Packages
from pipreqs_action.scan import scan

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "projects" / "library_lazy_integrations"

FILES = ["lib/__init__.py", "lib/core.py", "lib/adapters/__init__.py", "lib/adapters/flask_app.py", "lib/_fast.py"]
CORE = """\
from typing import TYPE_CHECKING

from lib import _fast

if TYPE_CHECKING:
    from lib.adapters.flask_app import Hooks


class Tracer:
    from lib import _fast as fast  # a class body runs at import

    def instrument_flask(self, app):
        if app:
            from lib.adapters.flask_app import instrument
        instrument(app)

    async def later(self):
        def inner():
            from . import _fast
"""


def lines_of(found: LazyImports | None) -> list[int]:
    return [item.line for item in found.imports] if found else []


def test_imports_inside_function_bodies_are_lazy_and_class_bodies_are_not() -> None:
    packages = Packages(FILES)
    modules = [("lib", 3, ("_fast",)), ("lib.adapters.flask_app", 6, ("Hooks",)), ("lib", 10, ("_fast",))]
    found = lazy_package_imports(CORE, "lib/core.py", modules, packages)
    assert lines_of(found) == [14, 19]
    assert found is not None
    # imported at the top too (or in the class body): its import alone loads it; TYPE_CHECKING loads nothing
    assert "lib._fast" not in found.only
    assert "lib.adapters.flask_app" in found.only


def test_a_file_without_imports_in_functions_has_none() -> None:
    text = "from lib import _fast\nif True:\n    from lib import core\n"
    assert lazy_package_imports(text, "lib/x.py", [("lib", 1, ("_fast",))], Packages(FILES)) is None


def graph_with(lazy: dict[str, LazyImports]) -> dict[str, tuple[Crossing, ...]]:
    edges = {
        "lib/__init__.py": ["lib.core"],
        "lib/core.py": ["lib.adapters.flask_app", "lib._fast"],
        "lib/adapters/flask_app.py": [],
    }
    return reached_only_lazily(FILES, edges, lazy, {}, packages=Packages(FILES), app_code=FILES)


def test_a_module_reached_only_through_a_function_body_is_reached_lazily_with_that_import() -> None:
    lazy = {"lib/core.py": lazy_package_imports(CORE, "lib/core.py", [("lib", 3, ("_fast",))], Packages(FILES))}
    assert lazy["lib/core.py"] is not None
    found = graph_with({"lib/core.py": lazy["lib/core.py"]})
    crossing = Crossing("lib/core.py", 14, ("lib/adapters/flask_app.py",))
    assert found == {"lib/adapters/__init__.py": (crossing,), "lib/adapters/flask_app.py": (crossing,)}


def test_nothing_is_lazy_when_the_file_imports_the_module_at_its_top_too() -> None:
    also_at_top = LazyImports((LazyImport(14, ("lib.adapters.flask_app",)),), frozenset())
    assert graph_with({"lib/core.py": also_at_top}) == {}


def test_the_loading_function_is_named_with_its_class_and_its_annotations_resolved(tmp_path: Path) -> None:
    text = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from quart import Quart\n    import openai as oa\n"
        "class Tracer:\n    def instrument(self, app: 'Quart', client: oa.Client | None = None) -> None:\n"
        "        from .adapters import quart_app\n"
    )
    (tmp_path / "core.py").write_text(text, "utf-8")
    found = loading_function(tmp_path, "core.py", 7)
    assert found == LoadingFunction("Tracer.instrument", frozenset({"quart", "openai"}))
    assert loading_function(tmp_path, "core.py", 3) is None  # not inside a function


def test_a_function_serves_a_framework_it_names_or_whose_types_it_takes() -> None:
    assert LoadingFunction("Tracer.instrument_flask", frozenset()).serves(frozenset({"flask"}))
    assert LoadingFunction("instrument", frozenset({"quart"})).serves(frozenset({"quart", "anyio"}))
    assert LoadingFunction("Tracer.instrumentPydanticAi", frozenset()).serves(frozenset({"pydantic_ai"}))
    assert LoadingFunction("RwkvAdapter.load_model", frozenset()).serves(frozenset({"rwkv"}))  # its class names it
    assert not LoadingFunction("Tracer.to_table", frozenset()).serves(frozenset({"pyarrow"}))
    assert not LoadingFunction("__getattr__", frozenset()).serves(frozenset({"attr"}))  # a word, not a part of one


def test_a_module_is_set_apart_only_when_every_import_reaching_it_loads_an_integration() -> None:
    files = [*FILES, "lib/adapters/shared.py"]
    integration = Crossing("lib/core.py", 14, ("lib/adapters/flask_app.py",))
    for_speed = Crossing("lib/core.py", 30, ("lib/_fast.py",))
    reached = {
        "lib/adapters/flask_app.py": (integration,),
        "lib/adapters/shared.py": (integration, for_speed),
        "lib/_fast.py": (for_speed,),
    }
    imported = {"lib/adapters/flask_app.py": ["flask"], "lib/_fast.py": ["flask"]}
    functions = {14: LoadingFunction("Tracer.instrument_flask", frozenset()), 30: LoadingFunction("parse", frozenset())}
    found = lazy_integrations(reached, imported, Packages(files), lambda path, line: functions[line])
    assert found == {
        "lib/adapters/flask_app.py": (
            "lib/adapters/flask_app.py, loaded only inside Tracer.instrument_flask (lib/core.py:14)"
            " (an optional integration)"
        )
    }


def test_scan_sets_apart_lazily_loaded_integrations_but_not_lazy_imports_made_for_speed() -> None:
    found = {(ref.location.path, ref.module): ref for ref in scan(FIXTURE).imports}
    flask = found["tracelib/adapters/flask_app.py", "flask"]
    assert flask.secondary == (
        "tracelib/adapters/flask_app.py, loaded only inside Tracer.instrument_flask (tracelib/core.py:21)"
        " (an optional integration)"
    )
    assert found["tracelib/adapters/_flask_hooks.py", "werkzeug.wrappers"].secondary  # only the adapter loads it
    assert found["tracelib/adapters/asgi_quart.py", "quart"].secondary  # instrument_app(app: Quart)
    assert found["tracelib/adapters/colorlog_sink.py", "colorlog"].secondary  # colorlog_handler()
    assert not found["tracelib/formats/compact.py", "zstandard"].secondary  # lazy for speed: needed all the same
    assert not found["tracelib/formats/pyarrow_table.py", "pyarrow"].secondary  # to_table() serves no framework
    assert not found["tracelib/core.py", "msgpack"].secondary  # the framework imported eagerly stays required
