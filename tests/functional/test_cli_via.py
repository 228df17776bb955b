"""`via`: imports of distributions that a declared one installs, end to end (bundled snapshot, then the index)."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from pipreqs_action.metadata.dependency_metadata import snapshot_version, split_key
from tests.functional.expect import expectations, project
from tests.functional.test_cli import SCHEMA, check_json, cli, missing_named, offline
from tests.pypi_stub import project_document


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(SCHEMA)


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).write_text(text, "utf-8")
    return root


def test_offline_the_bundled_snapshot_answers_and_nothing_breaks_in_sync(capsys, validator) -> None:
    root = project("installed_through")
    code, report = offline(capsys, validator, root, "--mode", "no-pin")
    via = {item["package"]: item for item in report["missing"] if item["via"]}
    expected = {e.package: e.via for e in expectations(root) if e.verdict == "via"}
    assert {name: tuple(item["via"]) for name, item in via.items()} == expected
    assert {item["via_source"] for item in via.values()} == {"snapshot"}
    assert "pydantic" not in report["requirements"]  # suggested in its own section, not added
    assert code == 1  # PyYAML is missing outright


def test_fail_on_any_counts_what_comes_through_a_declared_distribution(capsys, tmp_path) -> None:
    root = write(tmp_path, {"requirements.txt": "fastapi\n", "app.py": "import fastapi\nimport pydantic\n"})
    assert cli(capsys, "check", root, "--offline", "--fail-on", "missing")[0] == 0
    assert cli(capsys, "check", root, "--offline", "--fail-on", "any")[0] == 1


def test_the_index_answers_for_a_distribution_the_snapshot_does_not_know(
    capsys, validator, pypi, tmp_path, monkeypatch
) -> None:
    document = {"info": {"name": "zq-scheduler", "version": "3.6.3", "requires_dist": ["pytz", "tzlocal>=2"]}}
    pypi.set_document("zq-scheduler", document)
    pypi.set_release_document("zq-scheduler", "3.6.3", document)  # the pinned release's own metadata
    root = write(tmp_path, {"requirements.txt": "zq-scheduler==3.6.3\n", "jobs.py": "import pytz\nimport tzlocal\n"})
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    code, report = check_json(capsys, validator, root, "--index-url", pypi.url, "--mode", "no-pin")
    assert code == 0 and report["in_sync"]
    assert [(item["package"], item["via"], item["via_source"]) for item in report["missing"]] == [
        ("pytz", ["zq-scheduler"], "index"),
        ("tzlocal", ["zq-scheduler"], "index"),
    ]


def test_offline_asks_no_index(capsys, validator, pypi, tmp_path) -> None:
    root = write(tmp_path, {"requirements.txt": "zq-scheduler\n", "jobs.py": "import pytz\n"})
    code, report = check_json(capsys, validator, root, "--offline", "--index-url", pypi.url)
    assert pypi.count() == 0
    assert code == 1 and report["missing"][0]["via"] == []  # nothing known offline: a plain alarm
    unknown = [text for text in report["warnings"] if text.startswith("dependency data:")]
    assert len(unknown) == 1 and "zq-scheduler" in unknown[0]  # ... and the report says what it could not know


def test_the_project_lock_file_answers_offline_for_what_no_bundled_data_knows(capsys, validator) -> None:
    root = project("via_lock_file")
    code, report = offline(capsys, validator, root, "--mode", "no-pin")
    via = {item["package"]: item for item in report["missing"] if item["via"]}
    assert {item["via_source"] for item in via.values()} == {"lock"}
    assert not [text for text in report["warnings"] if text.startswith("dependency data:")]
    assert code == 1 and [item["package"] for item in report["missing"] if not item["via"]] == ["requests"]


def test_each_claim_resting_on_a_release_the_range_excludes_says_so(capsys, validator, tmp_path) -> None:
    """Offline, an item counted via only declarations judged by the snapshot's newer release names that release
    and the range excluding it in its own ``reason`` (shown beside it in every format); one that a declaration the
    snapshot's release satisfies also installs rests on no such guess and says nothing."""
    root = project("via_declared_range")
    _, report = offline(capsys, validator, root, "--mode", "no-pin")
    for package, declared in (("keras", "tensorflow~=2.14.0"), ("tf-keras", "tensorflow-hub~=0.15.0")):
        item = missing_named(report, package)
        newest = f"{split_key(declared)[0]} ({snapshot_version(split_key(declared)[0])}, bundled snapshot)"
        assert (
            item["reason"]
            == f"judged by the newest {newest}, which {declared} excludes: the release it allows may not install it"
        )
    text = cli(capsys, "check", root, "--offline", "--mode", "no-pin")[1]
    assert "which tensorflow-hub~=0.15.0 excludes" in text
    both = write(
        tmp_path,
        {
            "requirements.txt": "tensorflow~=2.14.0\nkeras\n",
            "app.py": "import tensorflow\nimport keras\nimport numpy\n",
        },
    )
    _, report = offline(capsys, validator, both, "--mode", "no-pin")
    assert missing_named(report, "numpy")["via"] == ["keras", "tensorflow"]
    assert missing_named(report, "numpy")["reason"] is None  # keras's own (newest, allowed) release installs it


def test_a_declaration_is_judged_by_the_releases_its_range_allows(capsys, validator, pypi, tmp_path, monkeypatch):
    """Offline the snapshot's newer release answers, with a warning; online the allowed release's own metadata."""
    root = project("via_declared_range")
    _, report = offline(capsys, validator, root, "--mode", "no-pin")
    newer = [text for text in report["warnings"] if "newest release" in text]
    assert len(newer) == 1
    assert "keras through tensorflow~=2.14.0" in newer[0]
    assert "tf-keras through tensorflow-hub~=0.15.0" in newer[0]
    document = project_document("tensorflow-hub", ["0.15.0", "0.16.1"])
    document["info"]["requires_dist"] = ["numpy", "protobuf", "tf-keras>=2.14.1"]
    pypi.set_document("tensorflow-hub", document)
    pypi.set_release_document("tensorflow-hub", "0.15.0", {"info": {"requires_dist": ["numpy>=1.12.0", "protobuf"]}})
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    code, report = check_json(capsys, validator, root, "--index-url", pypi.url, "--mode", "no-pin")
    alarms = [item["package"] for item in report["missing"] if not item["via"]]
    assert code == 1 and alarms == ["tf-keras"]  # tensorflow-hub 0.15 does not install it
    assert missing_named(report, "keras")["via"] == ["tensorflow"]  # the index knows no tensorflow: the snapshot


def test_a_sub_project_gets_what_the_enclosing_group_declaring_all_it_declares_installs(capsys, validator) -> None:
    """A folder whose own declarations the enclosing project's optional group holds in full is installed with that
    group: its scipy comes through the group's scikit-learn. A folder declaring something the group lacks is not."""
    root = project("via_enclosing_group")
    code, report = offline(capsys, validator, root)
    projects = {item["path"]: item for item in report["projects"]}
    for expected in expectations(root):
        if expected.verdict not in ("via", "missing"):
            continue
        folder = next(path for path in projects if expected.location["path"].startswith(path + "/"))
        item = missing_named(projects[folder], expected.package)
        assert (item["via"], item["locations"]) == (list(expected.via), [expected.location])
        assert item["reason"] == (expected.reason or None)  # the via says which group it comes through
    assert code == 1 and projects["ch07/evaluation"]["in_sync"] and not projects["ch07/reporting"]["in_sync"]
