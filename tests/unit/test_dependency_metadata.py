"""Which distributions the declared ones install: requires_dist followed a few levels, extras and markers."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import pytest

from pipreqs_action.metadata import dependency_metadata
from pipreqs_action.metadata.dependency_metadata import MAX_DEPTH, encode_snapshot, installed_through, snapshot


def table(data: Mapping[str, Sequence[str]]):
    def lookup(keys: Sequence[str]) -> Mapping[str, Sequence[str]]:
        return {key: data[key] for key in keys if key in data}

    return lookup


INDEX = {
    "fastapi": ["starlette<0.42,>=0.40", "pydantic>=2", 'uvicorn[standard]; extra == "all"'],
    "starlette": ["anyio<5,>=3.4"],
    "anyio": ["idna>=2.8", "sniffio>=1.1"],
    "idna": [],
    "uvicorn": ["click>=7", "h11", 'httptools>=0.6; extra == "standard"', 'colorama; sys_platform == "win32"'],
    "click": ['colorama; platform_system == "Windows"'],
    "legacy": ['futures; python_version < "3"', "six"],
}


def test_requirements_are_followed_through_the_declared_distribution() -> None:
    found = installed_through([("fastapi", ())], [("index", table(INDEX))])
    assert found.through["pydantic"] == ("fastapi",)
    assert found.through["anyio"] == ("fastapi",)  # fastapi -> starlette -> anyio
    assert found.sources["starlette"] == "index"


def test_depth_is_bounded() -> None:
    chain = {f"d{n}": [f"d{n + 1}"] for n in range(10)}
    found = installed_through([("d0", ())], [("index", table(chain))])
    assert set(found.through) == {f"d{n}" for n in range(1, MAX_DEPTH + 1)}


def test_extras_only_requirements_count_only_when_the_declared_line_asks_for_the_extra() -> None:
    plain = installed_through([("fastapi", ())], [("index", table(INDEX))])
    assert "uvicorn" not in plain.through
    extra = installed_through([("fastapi", ("all",))], [("index", table(INDEX))])
    assert extra.through["uvicorn"] == ("fastapi",)
    assert "httptools" in extra.through  # uvicorn[standard], asked by fastapi's own requirement


def test_a_platform_marker_counts_and_a_python2_one_does_not() -> None:
    found = installed_through([("click", ()), ("legacy", ())], [("index", table(INDEX))])
    assert found.through["colorama"] == ("click",)  # installed through click on Windows
    assert "futures" not in found.through and found.through["six"] == ("legacy",)


def test_a_declared_distribution_is_never_reported_as_coming_through_another() -> None:
    found = installed_through([("fastapi", ()), ("starlette", ())], [("index", table(INDEX))])
    assert "starlette" not in found.through
    assert found.through["anyio"] == ("starlette",)  # the declared starlette is its own root


def test_cycles_end() -> None:
    cycle = {"a": ["b"], "b": ["a", "c"], "c": ["a"]}
    found = installed_through([("a", ())], [("index", table(cycle))])
    assert set(found.through) == {"b", "c"}


def test_the_first_lookup_that_knows_a_name_answers_and_says_so() -> None:
    first = table({"fastapi": ["pydantic"]})
    second = table({"fastapi": ["other"], "pydantic": ["annotated-types"]})
    found = installed_through([("fastapi", ())], [("snapshot", first), ("index", second)])
    assert set(found.through) == {"pydantic", "annotated-types"}
    assert found.sources == {"pydantic": "snapshot", "annotated-types": "index"}


_SOURCES_PROGRAM = """
from pipreqs_action.metadata.dependency_metadata import installed_through
local = lambda keys: {k: {"core": ["pydantic"], "ext": ["pydantic"]}[k] for k in keys if k in ("core", "ext")}
snap = lambda keys: {k: ["pydantic"] for k in keys if k in ("fastapi", "web", "zeta")}
declared = [(name, ()) for name in ("zeta", "core", "fastapi", "ext", "web")]
found = installed_through(declared, [("local", local), ("snapshot", snap)])
print(found.sources["pydantic"], found.through["pydantic"])
"""


def test_which_source_names_a_distribution_several_declarations_install_never_varies_between_runs() -> None:
    """Found through a local project and a snapshot entry alike: the answer must not follow string hashing, or the
    Action's issue would change on every run."""
    import subprocess
    import sys

    answers = {
        subprocess.run(
            [sys.executable, "-c", _SOURCES_PROGRAM],
            env={"PYTHONHASHSEED": str(seed), "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(8)
    }
    assert answers == {"local ('core', 'ext', 'fastapi', 'web', 'zeta')\n"}


def test_the_snapshot_file_round_trips_and_drops_what_never_applies(tmp_path, monkeypatch) -> None:
    path = tmp_path / "requires_dist.json"
    projects = {"uvicorn": ("0.32.0", INDEX["uvicorn"]), "legacy": ("1.0", INDEX["legacy"])}
    path.write_text(encode_snapshot({"generated": "2026-12-07"}, projects), "utf-8")
    data = json.loads(path.read_text("utf-8"))
    assert data["projects"]["uvicorn"] == ["0.32.0", "click colorama h11", {"standard": "httptools"}]
    assert data["projects"]["legacy"] == ["1.0", "six"]
    monkeypatch.setattr(dependency_metadata, "SNAPSHOT", path)
    snapshot.cache_clear()
    try:
        found = dependency_metadata.snapshot_lookup(["uvicorn", "nowhere"])
        assert set(found["uvicorn"]) == {"click", "colorama", "h11", 'httptools; extra == "standard"'}
        assert "nowhere" not in found
    finally:
        snapshot.cache_clear()


@pytest.mark.parametrize(
    ("declared", "installed"),
    [("fastapi", "pydantic"), ("fastapi", "starlette"), ("pandas", "numpy"), ("requests", "urllib3")],
)
def test_the_bundled_snapshot_knows_the_common_cases(declared, installed) -> None:
    found = installed_through([(declared, ())], [("snapshot", dependency_metadata.snapshot_lookup)])
    assert found.through[installed] == (declared,)
    assert found.sources[installed] == "snapshot"


@pytest.mark.parametrize(
    ("specifier", "version", "answer"),
    [("~=2.14.0", "2.14.2", True), ("~=0.15.0", "0.16.1", False), ("", "1.0", True), ("not a specifier", "1.0", False)],
)
def test_a_specifier_allows_a_release_or_not(specifier, version, answer) -> None:
    assert dependency_metadata.allows(specifier, version) is answer


def test_a_declaration_is_judged_by_a_release_its_specifier_allows_else_by_the_newest_and_says_so() -> None:
    """The snapshot describes one release: it answers for a range that allows it; for one that excludes it the
    index is asked (here there is none), and last the snapshot's newer release, named in ``newer``."""
    strict = [("snapshot", dependency_metadata.snapshot_lookup)]
    current = str(snapshot()["fastapi"][0])
    allowed = installed_through([("fastapi", ())], strict, {"fastapi": f">={current}"})
    assert allowed.through["pydantic"] == ("fastapi",) and allowed.unknown == () and allowed.newer == ()
    older = installed_through([("fastapi", ())], strict, {"fastapi": "==0.1.0"})
    assert older.through == {} and older.unknown == ("fastapi==0.1.0",)
    fallback = [*strict, (dependency_metadata.NEWEST, dependency_metadata.snapshot_newest_lookup)]
    newest = installed_through([("fastapi", ())], fallback, {"fastapi": "==0.1.0"})
    assert newest.through["pydantic"] == ("fastapi",) and newest.sources["pydantic"] == "snapshot"
    assert newest.newer == ("fastapi==0.1.0",) and newest.unknown == ()


def test_offline_a_declaration_no_source_knows_is_named_in_a_warning_and_hides_nothing() -> None:
    from pipreqs_action.model import Location, Requirement

    def line(name: str, specifier: str = "", local: bool = False) -> Requirement:
        where = Location("requirements.txt", 1)
        return Requirement(name, name, where, name + specifier, specifier, local=local)

    declared = [line("zq-private-core", "==1.0"), line("zq-other"), line("pandas"), line("myself", local=True)]
    found, warnings = dependency_metadata.dependencies_of(declared, index_url="http://127.0.0.1:9/pypi", offline=True)
    assert found.through["numpy"] == ("pandas",)
    assert len(warnings) == 1
    assert "zq-other, zq-private-core==1.0 install is unknown" in warnings[0] and "myself" not in warnings[0]
    assert "without --offline" in warnings[0]
