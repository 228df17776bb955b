"""A declared distribution no data knows probably provides the imports its name suggests, and only those."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipreqs_action.metadata.declared_names import suggested_modules
from pipreqs_action.pipeline import run
from pipreqs_action.render import as_dict
from pipreqs_action.settings import Settings


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("fastmcp-slim", {"fastmcp", "fastmcpslim"}),
        ("griffelib", {"griffe"}),
        ("python-foo", {"foo", "pythonfoo"}),
        ("py-foo", {"foo", "pyfoo"}),
        ("pyfoo", {"foo"}),
        ("foo-lite", {"foo", "foolite"}),
        ("foo-ai", {"foo", "fooai"}),  # a brand suffix: haystack-ai installs haystack
        ("foo-bar", {"foobar"}),  # no affix: only the name without its separators
        ("foo", set()),
        ("pylib", set()),  # what a joined affix leaves must still be a name
        ("zlib", set()),
        ("foo-slim-extra", {"fooslimextra"}),  # an affix counts only at the end (or the start)
        ("cuml-cu11", {"cuml", "cumlcu11"}),  # a CUDA build
        ("cupy-cuda11x", {"cupy", "cupycuda11x"}),
        ("foo-cube", {"foocube"}),  # not a build tag
    ],
)
def test_the_names_a_distribution_name_suggests(key: str, expected: set[str]) -> None:
    assert suggested_modules(key) == expected


def check(root: Path, requirements: str, code: str) -> dict:
    (root / "requirements.txt").write_text(requirements, "utf-8")
    (root / "app.py").write_text(code, "utf-8")
    return as_dict(run(Settings(path=root, offline=True)))


def test_an_unknown_declared_distribution_is_used_and_its_namesake_import_is_never_an_alarm(tmp_path: Path) -> None:
    report = check(tmp_path, "rich-slim\n", "import rich\n")
    assert report["in_sync"] and report["unused"] == []
    (item,) = report["missing"]
    assert item["optional"]
    assert item["reason"] == "probably provided by declared rich-slim (requirements.txt:1): no data knows its modules"


def test_a_local_project_is_not_judged_by_its_name(tmp_path: Path) -> None:
    """``./rich-slim`` is a folder of the tree: its own manifest says what it is, not its name."""
    (tmp_path / "rich-slim").mkdir()
    (tmp_path / "rich-slim" / "setup.cfg").write_text("[metadata]\nname = rich-slim\n", "utf-8")
    report = check(tmp_path, "./rich-slim\n", "import rich\n")
    assert [(item["package"], item["optional"]) for item in report["missing"]] == [("rich", False)]


def test_a_namespace_import_is_never_taken_for_a_name(tmp_path: Path) -> None:
    report = check(tmp_path, "google-slim\n", "from google.cloud import storage\n")
    assert [(item["package"], item["optional"]) for item in report["missing"]] == [("google-cloud-storage", False)]


def test_only_the_import_the_name_suggests_is_taken(tmp_path: Path) -> None:
    """yaml is no affix away from rich-slim: it stays missing beside the rich it explains."""
    report = check(tmp_path, "rich-slim\n", "import rich\nimport yaml\n")
    by_package = {item["package"]: item["optional"] for item in report["missing"]}
    assert by_package == {"rich": True, "PyYAML": False}
