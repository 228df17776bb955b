"""The extras an install hint names (``hinted_features``): optional where its feature imports them lazily."""

from __future__ import annotations

from collections.abc import Iterable

from pipreqs_action.app_code.reachability import Packages
from pipreqs_action.intent.hinted_features import apply, scope
from pipreqs_action.model import ImportRef, InstallHint, Location, ScanResult

FILES = ["app.py", "pkg/__init__.py", "pkg/voice.py", "pkg/asr.py", "pkg/shared.py", "pkg/other.py"]
EDGES = {
    "app.py": ["pkg.voice", "pkg.other"],
    "pkg/voice.py": ["pkg.asr", "pkg.shared"],
    "pkg/other.py": ["pkg.shared"],
}


def test_the_feature_is_the_hinting_file_and_what_only_it_reaches() -> None:
    found = scope("pkg/voice.py", ["app.py", "pkg/__init__.py"], EDGES, Packages(FILES), set(FILES))
    assert found == ("pkg/asr.py", "pkg/voice.py")


def provides(dist: str) -> frozenset[str]:
    return frozenset({dist.replace("-", "_")})


def covers(provided: Iterable[str], module: str) -> bool:
    return any(module == path or module.startswith(f"{path}.") for path in provided)


def ref(module: str, path: str, *, in_function: bool = True) -> ImportRef:
    return ImportRef(module, Location(path, 3), in_function=in_function)


def test_only_lazy_imports_inside_the_feature_of_a_named_distribution_become_optional() -> None:
    hint = InstallHint("webrtcvad", Location("pkg/voice.py", 9), ("pkg/asr.py", "pkg/voice.py"))
    refs = (
        ref("webrtcvad", "pkg/asr.py"),
        ref("webrtcvad.vad", "pkg/asr.py", in_function=False),
        ref("webrtcvad", "pkg/other.py"),
        ref("scipy", "pkg/asr.py"),
    )
    found = apply(ScanResult(refs, install_hints=(hint,)), provides, covers).imports
    assert [(item.optional, item.reason) for item in found] == [
        (True, "optional feature: named by the install hint at pkg/voice.py:9"),
        (False, ""),
        (False, ""),
        (False, ""),
    ]
