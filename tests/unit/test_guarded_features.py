"""A module built on the one that guards a package: what it imports of the project, and which guard it rests on."""

from __future__ import annotations

from pathlib import Path

from tests.unit.test_shipped import tree

from pipreqs_action.intent.guarded_features import GuardedFeatures, imported_modules
from pipreqs_action.model import ImportRef, Location, ScanResult

GUARD = "guarded by except ImportError"


def write(root: Path, rel: str, text: str) -> None:
    tree(root, {rel: text})


def test_relative_imports_resolve_against_the_files_package(tmp_path: Path) -> None:
    write(
        tmp_path,
        "shop/api/prune.py",
        "import os\nfrom ..lib import s3\nfrom . import models\nfrom .jobs import run\nfrom .....x import y\n",
    )
    assert imported_modules(tmp_path, "shop/api/prune.py") == frozenset(
        {"os", "shop.lib", "shop.lib.s3", "shop.api", "shop.api.models", "shop.api.jobs", "shop.api.jobs.run"}
    )
    write(tmp_path, "broken.py", "from . import (\n")
    assert imported_modules(tmp_path, "broken.py") == frozenset()
    assert imported_modules(tmp_path, "notebook.ipynb") == frozenset()


def test_a_guard_counts_only_for_a_module_that_imports_the_guarding_one(tmp_path: Path) -> None:
    write(tmp_path, "src/shop/commands/prune.py", "import minio\nfrom shop.storage import client\n")
    write(tmp_path, "src/shop/views.py", "import minio\nimport storage\n")  # a bare name: never a match
    refs = (
        ImportRef("minio", Location("src/shop/storage.py", 3), optional=True, reason=GUARD),
        ImportRef("minio", Location("tests/test_storage.py", 2), optional=True, reason=GUARD, secondary="tests"),
        ImportRef("minio", Location("src/shop/commands/prune.py", 1)),
        ImportRef("minio", Location("src/shop/views.py", 1)),
    )
    guarded = GuardedFeatures(ScanResult(refs), tmp_path)
    assert guarded.guard_of(refs[2]) == "src/shop/storage.py"
    assert guarded.guard_of(refs[3]) == ""
    assert guarded.guard_of(ImportRef("redis", Location("src/shop/commands/prune.py", 1))) == ""


def test_a_tests_guard_or_a_type_only_import_is_no_feature_of_the_app(tmp_path: Path) -> None:
    write(tmp_path, "shop/prune.py", "import minio\nfrom shop import storage\n")
    refs = (
        ImportRef("minio", Location("shop/storage.py", 3), optional=True, reason=GUARD, secondary="tests"),
        ImportRef("minio", Location("shop/storage.py", 5), optional=True, type_only=True),
        ImportRef("minio", Location("shop/prune.py", 1)),
    )
    assert GuardedFeatures(ScanResult(refs), tmp_path).guard_of(refs[2]) == ""
