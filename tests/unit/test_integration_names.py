"""Unreached modules of a library: integrations (named after what they import, or in contrib/) or public API."""

from __future__ import annotations

from pipreqs_action.app_code.integration_names import on_demand_in, split_integrations
from pipreqs_action.app_code.reachability import Packages
from pipreqs_action.model import ImportRef, Location

FILES = ["src/lib/__init__.py", "src/lib/flaskparser.py", "src/lib/audio.py", "src/lib/contrib/otel.py"]
UNREACHED = {path: f"{path}, unreached" for path in FILES[1:]}
IMPORTED = {"src/lib/flaskparser.py": ["flask"], "src/lib/audio.py": ["torchaudio"], "src/lib/contrib/otel.py": []}


def test_a_module_named_after_what_it_imports_or_kept_in_contrib_is_an_integration() -> None:
    whole, public = split_integrations(UNREACHED, IMPORTED, Packages(FILES))
    assert sorted(whole) == ["src/lib/contrib/otel.py", "src/lib/flaskparser.py"]
    assert public == {
        "src/lib/audio.py": (
            "src/lib/audio.py (inside a function), which nothing in the package imports (an optional feature)"
        )
    }


def test_the_top_level_package_s_name_names_nothing() -> None:
    files = ["vit_torch/__init__.py", "vit_torch/vaat.py"]
    whole, public = split_integrations({"vit_torch/vaat.py": "x"}, {"vit_torch/vaat.py": ["torch"]}, Packages(files))
    assert whole == {} and list(public) == ["vit_torch/vaat.py"]


def test_only_imports_inside_functions_of_a_public_module_are_set_apart() -> None:
    public = {"src/lib/audio.py": "why"}
    top = ImportRef("torchaudio", Location("src/lib/audio.py", 1))
    inner = ImportRef("huggingface_hub", Location("src/lib/audio.py", 9), in_function=True)
    other = ImportRef("requests", Location("src/lib/core.py", 3), in_function=True)
    assert [ref.secondary for ref in on_demand_in([top, inner, other], public)] == ["", "why", ""]
