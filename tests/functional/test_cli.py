"""`pipreqs-action check` on the fixture projects, end to end: what a user sees, in each output format.

Expected findings come from the `# expect:` comments in the fixtures (tests/functional/expect.py), never from a
previous run of the code.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the package's own dependency
    import tomli as tomllib

from pipreqs_action.cli import main
from tests.functional.expect import (
    by_package,
    check_report,
    copy_project,
    expectations,
    fixture_projects,
    project,
    required_packages,
)
from tests.pypi_stub import PyPIStub

SCHEMA = json.loads(Path(__file__).with_name("report.schema.json").read_text("utf-8"))
CASES = fixture_projects()
CONSOLE_SCRIPT = Path(sys.executable).with_name("pipreqs-action")


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    return jsonschema.Draft202012Validator(SCHEMA)


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def check_json(capsys, validator, root: Path, *args) -> tuple[int, dict]:
    """Run `check --format json`; the output must be one JSON object that satisfies the schema."""
    code, out, err = cli(capsys, "check", root, "--format", "json", *args)
    assert "Traceback" not in err
    report = json.loads(out)
    validator.validate(report)
    return code, report


def offline(capsys, validator, root: Path, *args) -> tuple[int, dict]:
    return check_json(capsys, validator, root, "--offline", *args)


def declared_names(path: Path) -> list[str]:
    lines = path.read_text("utf-8").splitlines()
    return [Requirement(line).name for line in lines if line.strip() and not line.lstrip().startswith(("#", "-"))]


def missing_named(report: dict, package: str) -> dict:
    return next(item for item in report["missing"] if item["package"] == package)


def one_expectation(root: Path, verdict: str, module: str):
    return next(e for e in expectations(root) if e.verdict == verdict and e.module.partition(".")[0] == module)


# --- every fixture: the report says what its comments say -------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_each_fixture_project_gets_exactly_the_findings_its_comments_expect(case, capsys, validator):
    root = project(case)
    code, report = offline(capsys, validator, root, "--mode", "no-pin")
    check_report(report, expectations(root))
    assert code == (0 if report["in_sync"] else 1)


@pytest.mark.parametrize("case", CASES)
def test_the_fast_scan_and_a_full_parse_report_the_same(case, capsys, validator):
    root = project(case)
    assert offline(capsys, validator, root) == offline(capsys, validator, root, "--full-parse")


# --- no false alarms ----------------------------------------------------------------------------------------------


def test_distributions_declared_under_other_names_satisfy_their_imports(capsys, validator):
    """PyYAML -> yaml, psycopg2-binary -> psycopg2, opencv-python-headless -> cv2, beautifulsoup4 -> bs4,
    google-cloud-storage -> google.cloud.storage: each declared distribution is used, none is missing."""
    root = project("declared_aliases")
    _, report = offline(capsys, validator, root)
    assert report["unused"] == []  # every declared distribution provides an import of the code
    declared = {one_expectation(root, "declared", name).module for name in ("yaml", "psycopg2", "cv2", "bs4")}
    imported = {name for item in report["missing"] for name in item["imports"]}
    assert declared.isdisjoint(imported)
    assert "google.cloud.storage" not in imported


def test_a_declared_namespace_distribution_does_not_cover_the_whole_namespace(capsys, validator):
    root = project("declared_aliases")
    assert "google-cloud-storage" in declared_names(root / "requirements.txt")
    protobuf = one_expectation(root, "via", "google")  # reported, though google-cloud-storage installs it
    _, report = offline(capsys, validator, root)
    item = missing_named(report, protobuf.package)
    assert item["imports"] == [protobuf.module]
    assert item["locations"] == [protobuf.location]


def reference_pipreqs() -> Any:
    """pipreqs' own scanner, the reference compared with (a test extra on Python < 3.13, its supported range)."""
    return pytest.importorskip("pipreqs.pipreqs", reason="pipreqs 0.5.0's scanner supports Python < 3.13 only")


def test_a_deep_module_named_like_a_package_hides_it_only_beside_itself_unlike_pipreqs(capsys, validator):
    root = project("local_modules")
    shadow = root / "tools" / "redis.py"
    assert shadow.is_file()
    real_pipreqs = reference_pipreqs()
    inferred = set(real_pipreqs.get_all_imports(str(root)))  # pipreqs' own scan, offline
    assert "requests" in inferred
    assert "redis" not in inferred  # pipreqs: any file named redis.py anywhere hides the package everywhere
    _, report = offline(capsys, validator, root)
    app_import = one_expectation(root, "missing", "redis")
    local_import = one_expectation(root, "local", "redis")
    assert local_import.path.startswith("tools/")
    assert missing_named(report, app_import.package)["locations"] == [app_import.location]


def test_the_projects_own_modules_are_never_third_party(capsys, validator):
    """utils.py at the root, the src/ package, a namespace package directory and a script folder's siblings."""
    root = project("local_modules")
    local = [e for e in expectations(root) if e.verdict == "local"]
    assert {e.module.partition(".")[0] for e in local} >= {"utils", "mypkg", "nspkg", "release_notes"}
    _, report = offline(capsys, validator, root)
    imported = {name.partition(".")[0] for item in report["missing"] for name in item["imports"]}
    assert imported.isdisjoint({"utils", "mypkg", "nspkg", "release_notes"})


# --- real omissions, under the right name --------------------------------------------------------------------------


def test_missing_packages_are_named_by_the_distribution_to_install(capsys):
    root = project("omissions")
    code, out, _ = cli(capsys, "check", root, "--offline")
    assert code == 1
    section = out.split("Missing (imported, not declared):\n", 1)[1].split("\n\n", 1)[0]
    rows = {line.split()[0]: line for line in section.splitlines() if not line.startswith(" " * 4)}
    for package, items in by_package(expectations(root)).items():
        row = rows[package]
        for item in items:
            assert f"{item.path}:{item.line}" in row
            assert item.module.partition(".")[0] in row


def test_ambiguous_imports_list_the_other_candidates(capsys, validator):
    root = project("omissions")
    ambiguous = [e for e in expectations(root) if e.verdict == "ambiguous"]
    assert ambiguous
    _, report = offline(capsys, validator, root)
    _, out, _ = cli(capsys, "check", root, "--offline")
    for item in ambiguous:
        assert set(item.candidates) <= set(missing_named(report, item.package)["candidates"])
        assert f"ambiguous: could also be {', '.join(missing_named(report, item.package)['candidates'])}" in out


def test_a_user_mapping_names_the_distribution(capsys, validator):
    root = project("omissions")
    fitz = one_expectation(root, "missing", "fitz")
    _, report = offline(capsys, validator, root, "--map", "fitz=pymupdf-fork")
    packages = {item["package"] for item in report["missing"]}
    assert "pymupdf-fork" in packages
    assert fitz.package not in packages


# --- notebooks -----------------------------------------------------------------------------------------------------


def test_notebook_findings_point_at_lines_of_the_ipynb_file(capsys, validator):
    root = project("notebooks")
    notebook = root / "analysis" / "explore.ipynb"
    raw_lines = notebook.read_text("utf-8").splitlines()
    _, report = offline(capsys, validator, root)
    in_notebook = [(item, loc) for item in report["missing"] for loc in item["locations"] if loc["path"].endswith("nb")]
    assert in_notebook
    for item, location in in_notebook:
        line = raw_lines[location["line"] - 1]
        assert re.search(rf"(?:import|from)\s+{re.escape(item['imports'][0])}\b", line), line


def test_magics_shell_escapes_markdown_and_outputs_are_not_code(capsys, validator):
    root = project("notebooks")
    raw = (root / "analysis" / "explore.ipynb").read_text("utf-8")
    annotated = {e.module.partition(".")[0] for e in expectations(root)}
    not_code = {name for name in re.findall(r"import (\w+)", raw) if name not in annotated}
    assert not_code  # the fixture holds import-looking text outside code: markdown, outputs, %%bash
    _, report = offline(capsys, validator, root)
    imported = {name for item in report["missing"] for name in item["imports"]}
    assert imported.isdisjoint(not_code)
    assert "plotly" not in required_packages(expectations(root))  # `!pip install ... plotly` is not an import


# --- trees with things that are not the project's code -------------------------------------------------------------


def make_venv(path: Path, *, with_pip: bool) -> None:
    args = [sys.executable, "-m", "venv", *([] if with_pip else ["--without-pip"]), str(path)]
    subprocess.run(args, check=True, capture_output=True, timeout=120)


def test_a_virtualenv_inside_the_repository_is_not_scanned(tmp_path, capsys, validator):
    root = copy_project("venv_inside", tmp_path)
    own_files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py"))
    make_venv(root / ".venv", with_pip=True)
    make_venv(root / "tools-env", with_pip=False)  # a name no convention knows: found by its pyvenv.cfg
    site_packages = next((root / ".venv").glob("lib/python3*/site-packages"))
    assert (site_packages / "pip").is_dir()  # a real environment, full of third-party code
    for decoy in (root / "tools-env" / "bin" / "decoy.py", site_packages / "decoy_pkg" / "__init__.py"):
        decoy.parent.mkdir(parents=True, exist_ok=True)
        decoy.write_text("import numpy\nimport decoy_only_here\n", "utf-8")
    code, report = offline(capsys, validator, root)
    assert report["files_scanned"] == len(own_files)
    assert all(loc["path"] in own_files for item in report["missing"] for loc in item["locations"])
    check_report(report, expectations(project("venv_inside")))
    assert code == 1


BAD_FILE_REASONS = {
    "bad/legacy_py2.py": "not valid Python 3",
    "bad/merge_conflict.py": "not valid Python 3 (line 2",
    "bad/bom_latin1_cookie.py": "BOM",
    "bad/utf16.py": "UTF-16",
    "bad/invalid_utf8.py": "not valid UTF-8",
    "bad/nul_bytes.py": "NUL",
    "bad/broken.ipynb": "broken notebook",
    "bad/cycle": "symlink loop",
}


def test_each_kind_of_bad_file_is_skipped_with_its_reason_and_the_run_goes_on(tmp_path, capsys, validator):
    root = copy_project("bad_files", tmp_path)
    (root / "bad" / "cycle").symlink_to("..", target_is_directory=True)
    committed = {p.relative_to(root).as_posix() for p in (root / "bad").iterdir() if not p.is_symlink()}
    assert committed | {"bad/cycle"} == set(BAD_FILE_REASONS)
    code, report = offline(capsys, validator, root)
    skipped = {item["path"]: item["reason"] for item in report["skipped"]}
    assert sorted(skipped) == sorted(BAD_FILE_REASONS)
    for path, reason in BAD_FILE_REASONS.items():
        assert reason in skipped[path], (path, skipped[path])
    check_report(report, expectations(project("bad_files")))  # the good files, a BOM one among them, still count
    assert code == 1


def test_a_file_symlink_loop_is_reported_as_skipped(tmp_path, capsys, validator):
    root = copy_project("clean", tmp_path)
    (root / "loop_a.py").symlink_to("loop_b.py")
    (root / "loop_b.py").symlink_to("loop_a.py")
    code, report = offline(capsys, validator, root)
    assert {item["path"] for item in report["skipped"]} == {"loop_a.py", "loop_b.py"}
    assert code == 0


def test_excluded_paths_are_neither_scanned_nor_skipped(capsys, validator):
    root = project("bad_files")
    _, everything = offline(capsys, validator, root)
    _, report = offline(capsys, validator, root, "--exclude", "bad/")
    assert everything["skipped"]
    assert report["skipped"] == []
    assert report["files_scanned"] == everything["files_scanned"] - len(everything["skipped"])
    assert report["missing"] == everything["missing"]


# --- what is declared ---------------------------------------------------------------------------------------------


def test_included_files_declare_and_constraint_files_only_pin(capsys, validator):
    root = project("includes")
    _, report = offline(capsys, validator, root, "--mode", "no-pin")
    files = {p.relative_to(root).as_posix() for p in root.rglob("*.txt")}
    assert report["declared_in"][0] == "requirements.txt"
    assert set(report["declared_in"]) == files
    constrained = declared_names(root / "requirements" / "constraints.txt")
    assert {item["package"] for item in report["missing"]} == set(constrained)  # pinned, yet not declared
    # the suggested file is the top file as written (its -r and -c lines keep the includes) plus the additions
    top = (root / "requirements.txt").read_text("utf-8")
    assert report["requirements"].startswith(top)
    added = [Requirement(line).name for line in report["requirements"][len(top) :].splitlines()]
    assert added == [item["package"] for item in report["missing"] if not item["optional"]]


def test_a_utf16_requirements_file_is_read(capsys, validator):
    root = project("utf16_requirements")
    data = (root / "requirements.txt").read_bytes()
    assert data.startswith(b"\xff\xfe")  # what PowerShell's `>` writes
    names = [Requirement(line).name for line in data.decode("utf-16").splitlines() if not line.startswith("#")]
    _, report = offline(capsys, validator, root)
    assert report["skipped"] == []
    assert report["declared_in"] == ["requirements.txt"]
    assert report["unused"] == []
    assert report["requirements"].startswith(data.decode("utf-16").lstrip("\ufeff"))  # kept as written
    assert names


def test_blank_lines_of_a_requirements_file_are_kept_in_the_suggested_file(capsys, validator):
    """The suggested file is the user's file as written (groups split by blank lines) plus the missing lines; the
    report stays valid against the schema (each line, empty or not, ends with a newline)."""
    root = project("requirements_blank_lines")
    written = (root / "requirements.txt").read_text("utf-8")
    assert "\n\n" in written
    _, report = offline(capsys, validator, root, "--mode", "no-pin")
    added = "".join(f"{item['package']}\n" for item in report["missing"] if not item["optional"])
    assert added
    assert report["requirements"] == written + added


def test_an_empty_requirements_file_makes_every_inferred_package_missing(capsys, validator):
    real_pipreqs = reference_pipreqs()
    root = project("empty_requirements")
    assert (root / "requirements.txt").read_bytes() == b""
    _, report = offline(capsys, validator, root)
    imported = {name for item in report["missing"] for name in item["imports"]}
    assert imported == set(real_pipreqs.get_all_imports(str(root)))  # the same list pipreqs infers
    assert report["requirements"].splitlines() == [item["package"] for item in report["missing"]]
    assert report["unused"] == []


def test_without_requirements_txt_the_pyproject_dependencies_are_used(capsys, validator):
    root = project("pyproject_only")
    assert not (root / "requirements.txt").exists()
    project_table = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["project"]
    _, report = offline(capsys, validator, root)
    assert report["declared_in"] == ["pyproject.toml"]
    lines = report["requirements"].splitlines()
    assert lines[: len(project_table["dependencies"])] == project_table["dependencies"]
    assert lines[len(project_table["dependencies"]) :] == required_packages(expectations(root))


# --- optional imports and exit status -----------------------------------------------------------------------------


def test_optional_and_test_only_imports_are_reported_but_keep_the_project_in_sync(capsys, validator):
    root = project("optional_imports")
    code, report = offline(capsys, validator, root)
    assert report["in_sync"] is True
    assert code == 0
    assert report["missing"]
    assert all(item["optional"] for item in report["missing"])
    test_code = [e for e in expectations(root) if e.path.startswith("tests/") or e.path == "conftest.py"]
    tests_only = {e.package for e in test_code if e.verdict == "secondary"}
    assert tests_only
    assert tests_only <= {item["package"] for item in report["missing"]}
    for item in report["missing"]:
        if item["package"] in tests_only:
            assert (item["scope"], item["reason"]) == ("secondary", "only in tests"), item
    assert report["requirements"] == (root / "requirements.txt").read_text("utf-8")  # nothing optional is added


# (in_sync, anything missing, anything unused) of each project, checked first so the table below means something.
SHAPES = {"clean": (True, False, False), "optional_imports": (True, True, True), "omissions": (False, True, False)}


@pytest.mark.parametrize(
    ("case", "fail_on", "status"),
    [
        ("clean", "missing", 0),
        ("clean", "any", 0),
        ("clean", "never", 0),
        ("optional_imports", "missing", 0),  # in sync, with optional imports and an unused declaration
        ("optional_imports", "any", 1),
        ("optional_imports", "never", 0),
        ("omissions", "missing", 1),
        ("omissions", "any", 1),
        ("omissions", "never", 0),
    ],
)
def test_exit_status_follows_fail_on(case, fail_on, status, capsys, validator):
    code, report = offline(capsys, validator, project(case), "--fail-on", fail_on)
    assert (report["in_sync"], bool(report["missing"]), bool(report["unused"])) == SHAPES[case]
    assert code == status


BAD_USAGE = [
    (["check", "{tmp}/no-such-dir", "--offline"], "path"),
    (["check", "{clean}", "--offline", "--requirements", "no-such-requirements.txt"], "requirements"),
    (["check", "{clean}", "--offline", "--map", "yaml"], "map"),
    (["check", "{clean}", "--offline", "--map", "=PyYAML"], "map"),
    (["check", "{clean}", "--index-url", "ftp://deploy:s3cr3t-T0KEN@example.invalid/pypi"], "index-url"),
    (["check", "{clean}", "--index-url", "https://deploy:s3cr3t-T0KEN@"], "index-url"),
]


@pytest.mark.parametrize(("argv", "option"), BAD_USAGE)
def test_usage_errors_exit_2_with_one_line_naming_the_option(argv, option, tmp_path, capsys):
    args = [arg.format(tmp=tmp_path, clean=project("clean")) for arg in argv]
    code, out, err = cli(capsys, *args)
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith(f"pipreqs-action: error: {option}:")
    assert "Traceback" not in err
    assert "s3cr3t-T0KEN" not in err


def test_an_unknown_choice_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(project("clean")), "--mode", "exact"])
    assert exit_info.value.code == 2
    assert "--mode" in capsys.readouterr().err


def test_the_console_script_runs_as_a_subprocess(capsys, validator):
    root = project("omissions")
    _, in_process = offline(capsys, validator, root)
    result = subprocess.run(
        [str(CONSOLE_SCRIPT), "check", str(root), "--offline", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert json.loads(result.stdout) == in_process
    missing = subprocess.run(
        [str(CONSOLE_SCRIPT), "check", str(root / "no-such-dir")], capture_output=True, text=True, timeout=60
    )
    assert missing.returncode == 2
    assert missing.stdout == ""
    assert len(missing.stderr.splitlines()) == 1
    assert "Traceback" not in missing.stderr


# --- output formats -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_every_format_is_the_same_on_every_run(fmt, capsys):
    root = project("omissions")
    first = cli(capsys, "check", root, "--offline", "--format", fmt)
    assert first == cli(capsys, "check", root, "--offline", "--format", fmt)
    assert first[1].endswith("\n")


def test_the_json_report_is_one_object_with_the_documented_fields(capsys, validator):
    root = project("omissions")
    _, report = offline(capsys, validator, root, "--mode", "no-pin")
    assert list(report)[:5] == ["in_sync", "missing", "unused", "skipped", "requirements"]
    assert report["in_sync"] is False
    expected = by_package(expectations(root))
    assert [item["package"] for item in report["missing"]] == sorted(expected, key=str.lower)
    for item in report["missing"]:
        assert item["locations"] == [e.location for e in sorted(expected[item["package"]], key=lambda e: e.line)]
        assert item["optional"] is False
        assert item["version"] is None  # offline
    declared = (root / "requirements.txt").read_text("utf-8").splitlines()
    assert report["requirements"].splitlines() == declared + [item["package"] for item in report["missing"]]
    assert report["declared_in"] == ["requirements.txt"]


def test_the_schema_rejects_a_report_that_breaks_the_contract(capsys, validator):
    _, report = offline(capsys, validator, project("omissions"))
    broken = json.loads(json.dumps(report))
    broken["missing"][0]["locations"][0]["line"] = "3"
    del broken["unused"]
    errors = {error.validator for error in validator.iter_errors(broken)}
    assert errors == {"type", "required"}


# --- versions -----------------------------------------------------------------------------------------------------

RELEASES = {"PyYAML": ["5.4.1", "6.0.1", "6.0.2", "7.0.0b1"], "scikit-learn": ["1.4.2", "1.5.1"]}
OPERATORS = {"pin": "==", "compat": "~=", "gt": ">="}


@pytest.fixture
def index(pypi: PyPIStub) -> PyPIStub:
    for name, versions in RELEASES.items():
        pypi.add_project(name, versions)
    root = project("versions")
    for name in declared_names(root / "requirements.txt"):  # the index has newer releases of what is pinned
        pypi.add_project(name, ["2.0.0", "2.31.0", "2.32.3"])
    return pypi


def newest_final(versions: list[str]) -> str:
    return str(max(Version(v) for v in versions if not Version(v).is_prerelease))


@pytest.mark.parametrize("mode", ["pin", "compat", "gt"])
def test_missing_packages_get_the_latest_version_in_the_chosen_style(mode, index, capsys, validator):
    root = project("versions")
    code, report = check_json(capsys, validator, root, "--index-url", index.url, "--mode", mode)
    assert code == 1
    declared = (root / "requirements.txt").read_text("utf-8").splitlines()
    required = required_packages(expectations(root))
    added = [f"{name}{OPERATORS[mode]}{newest_final(RELEASES[name])}" for name in sorted(required, key=str.lower)]
    assert report["requirements"].splitlines() == declared + added  # the declared pin is kept as written
    for item in report["missing"]:
        expected_version = None if item["optional"] else newest_final(RELEASES[item["package"]])
        assert item["version"] == expected_version
    latest = [path for path in index.paths if path.count("/") == 3]  # /pypi/<name>/json: the latest version
    for name in declared_names(root / "requirements.txt"):
        assert f"/pypi/{name}/json" not in latest  # declared: no version to look up (its own release's metadata
        # may be asked, /pypi/<name>/<version>/json, for what it installs: via)
    assert len(latest) == len(required)  # optional imports are not looked up either


def test_no_pin_mode_asks_the_index_for_no_version(index, capsys, validator):
    root = project("versions")
    _, report = check_json(capsys, validator, root, "--index-url", index.url, "--mode", "no-pin")
    assert [path for path in index.paths if path.count("/") == 3] == []  # /pypi/<name>/json: no latest version
    # (a declared pin's own release, /pypi/<name>/<version>/json, may be asked: what it installs, for via)
    assert report["requirements"].splitlines()[-len(required_packages(expectations(root))) :] == sorted(
        required_packages(expectations(root)), key=str.lower
    )


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_offline_makes_no_request_even_when_pinning(fmt, index, capsys):
    code, out, _ = cli(capsys, "check", project("versions"), "--index-url", index.url, "--offline", "--format", fmt)
    assert code == 1
    assert index.count() == 0
    assert "==" not in out.split("requests==2.0.0", 1)[1]  # only the declared pin


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_index_costs_the_versions_not_the_run(closed_port, capsys, validator):
    root = project("versions")
    url = f"http://mirror-user:hunter2-secret@127.0.0.1:{closed_port}/pypi"
    code, report = check_json(capsys, validator, root, "--index-url", url)
    assert code == 1
    assert all(item["version"] is None for item in report["missing"])
    versions = [text for text in report["warnings"] if not text.startswith("dependency data:")]  # (via: its own)
    assert len(versions) == 1
    assert f"127.0.0.1:{closed_port}" in versions[0]
    assert "hunter2-secret" not in json.dumps(report)
    code, out, err = cli(capsys, "check", root, "--index-url", url)
    assert code == 1
    assert f"warning: {versions[0]}" in out.splitlines()
    assert "hunter2-secret" not in out + err
    code, out, _ = cli(capsys, "check", root, "--index-url", url, "--fail-on", "never")
    assert code == 0
    assert f"warning: {versions[0]}" in out.splitlines()


def test_versions_are_looked_up_under_the_canonical_name(index, capsys, validator):
    root = project("versions")
    check_json(capsys, validator, root, "--index-url", index.url)
    asked = {path.split("/")[-2] for path in index.paths if path.count("/") == 3}  # not a pin's own release (via)
    assert asked == {canonicalize_name(name) for name in required_packages(expectations(root))}


def test_a_requirements_option_is_relative_to_the_current_directory(capsys, validator, tmp_path, monkeypatch):
    app = tmp_path / "proj"
    app.mkdir()
    (app / "main.py").write_text("import yaml\nimport requests\n", "utf-8")
    (app / "deps.txt").write_text("PyYAML\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    code, report = offline(capsys, validator, Path("proj"), "--requirements", "proj/deps.txt")
    assert code == 1
    assert [item["package"] for item in report["missing"]] == ["requests"]
    assert report["requirements"] == "PyYAML\nrequests\n"


# --- manifests: every kind read, answers in the manifest's own terms ------------------------------------------


def test_the_fix_is_given_in_the_target_manifests_terms(capsys, validator):
    root = project("manifest_dependency_groups")
    missing = one_expectation(root, "missing", "httpx")
    code, out, _ = cli(capsys, "check", root, "--offline")
    assert code == 1
    assert out.startswith("pyproject.toml is missing 1 package")
    assert (
        f'Add to pyproject.toml [project] dependencies:\n  "{missing.package}",\nor run: uv add {missing.package}\n'
        in out
    )
    assert "Suggested requirements.txt" not in out
    _, report = offline(capsys, validator, root)
    assert report["fix"] == {
        "file": "pyproject.toml",
        "kind": "pyproject",
        "table": "[project] dependencies",
        "entries": [f'"{missing.package}",'],
        "command": f"uv add {missing.package}",
    }
    _, markdown, _ = cli(capsys, "check", root, "--offline", "--format", "markdown")
    assert "#### Missing from pyproject.toml" in markdown
    assert f'```toml\n"{missing.package}",\n```' in markdown
    assert f"```sh\nuv add {missing.package}\n```" in markdown


def test_a_library_gets_a_lower_bound_never_an_exact_pin(capsys, validator, pypi):
    root = project("manifest_setup_py")
    numpy = one_expectation(root, "missing", "numpy")
    pypi.add_project(numpy.package, ["1.25.0", "1.26.4"])
    _, report = check_json(capsys, validator, root, "--index-url", pypi.url)
    assert report["fix"]["entries"] == [f'"{numpy.package}>=1.26.4",']
    assert report["requirements"].endswith(f"{numpy.package}==1.26.4\n")  # the requirements.txt view keeps --mode


def test_every_manifest_is_listed_with_what_it_contributed(capsys, validator):
    root = project("manifest_combined")
    _, out, _ = cli(capsys, "check", root, "--offline")
    assert "declared in: requirements.txt (2), pyproject.toml [project] (1), [dependency-groups] dev (1)." in out
    _, report = offline(capsys, validator, root)
    assert report["declared_in"] == ["requirements.txt", "pyproject.toml"]
    assert report["declared_by"] == [
        {"file": "requirements.txt", "table": "", "count": 2, "dev": False},
        {"file": "pyproject.toml", "table": "[project]", "count": 1, "dev": False},
        {"file": "pyproject.toml", "table": "[dependency-groups] dev", "count": 1, "dev": True},
    ]


def test_an_app_import_declared_only_for_development_is_its_own_finding(capsys, validator):
    root = project("manifest_requirements_dev")
    rich = one_expectation(root, "dev-only", "rich")
    code, out, _ = cli(capsys, "check", root, "--offline")
    assert code == 1
    assert "Declared for development only, imported by the app:" in out
    assert f"{rich.path}:{rich.line}" in out
    _, report = offline(capsys, validator, root)
    assert report["missing"] == []
    assert report["dev_only"][0]["reason"] == "declared for development only (requirements-dev.txt:4)"


def test_broken_requirement_lines_have_their_own_heading_not_the_skipped_files(capsys, validator):
    root = project("manifest_local_paths")
    _, out, _ = cli(capsys, "check", root, "--offline")
    assert "Requirement lines that could not be used:\n  - requirements.txt:4: 'bad-line==': " in out
    assert "Skipped" not in out
    _, report = offline(capsys, validator, root)
    assert report["skipped"] == []
    assert [item["path"] for item in report["unusable_requirements"]] == ["requirements.txt:4"]


def test_a_commented_out_requirement_makes_its_import_optional_and_says_where(capsys, validator):
    root = project("manifest_commented")
    tensorrt = one_expectation(root, "optional", "tensorrt")
    line = next(
        n for n, text in enumerate((root / "requirements.txt").read_text().splitlines(), 1) if "tensorrt" in text
    )
    _, report = offline(capsys, validator, root)
    assert missing_named(report, tensorrt.package)["reason"] == f"commented out in requirements.txt:{line}"


def test_a_pyproject_given_as_requirements_is_read_as_pyproject(capsys, validator):
    root = project("manifest_dependency_groups")
    _, report = offline(capsys, validator, root, "--requirements", root / "pyproject.toml")
    assert report["declared_in"] == ["pyproject.toml"]
    assert {item["package"] for item in report["missing"]} == {one_expectation(root, "missing", "httpx").package}


def test_no_python_file_under_the_path_is_an_error_naming_it(capsys, tmp_path):
    (tmp_path / "requirements.txt").write_text("requests\n")
    code, out, err = cli(capsys, "check", tmp_path, "--offline")
    assert (code, out) == (2, "")
    assert err == f"pipreqs-action: error: no Python files under {str(tmp_path)!r}: nothing to check\n"


def test_environment_values_never_reach_any_output(capsys, validator, monkeypatch, tmp_path):
    """A runner's secrets live in the environment: a ``${VAR}`` line is used or reported as written, never filled."""
    secrets = {"GH_TOKEN": "ghp_s3cr3tT0kenValue", "PKG_VERSION": "9.8.7-secret", "PRIVATE_INDEX": "hunter2.invalid"}
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    root = copy_project("clean", tmp_path)
    lines = [
        "private @ git+https://${GH_TOKEN}@github.com/org/private.git",
        "requests==${PKG_VERSION}",
        "${PRIVATE_INDEX}",
    ]
    with (root / "requirements.txt").open("a", encoding="utf-8") as handle:
        handle.write("".join(f"{line}\n" for line in lines))
    outputs = [cli(capsys, "check", root, "--offline", "--format", fmt) for fmt in ("text", "markdown", "json")]
    for _, out, err in outputs:
        assert not any(value in out + err for value in secrets.values())
    report = json.loads(outputs[2][1])
    validator.validate(report)
    assert "${PKG_VERSION}" in " ".join(item["reason"] for item in report["unusable_requirements"])
    assert "private @ git+https://${GH_TOKEN}@github.com/org/private.git" in report["requirements"]


# --- monorepos: each folder with a manifest of its own is a project of its own ----------------------------------


def test_each_service_of_a_monorepo_is_checked_against_its_own_manifest(capsys, validator):
    root = project("monorepo_services")
    redis = one_expectation(root, "missing", "redis")
    fastapi = one_expectation(root, "missing", "fastapi")
    code, report = offline(capsys, validator, root)
    assert code == 1 and report["in_sync"] is False
    assert report["missing"] == [] and report["declared_in"] == ["requirements.txt"]  # the root project's own
    projects = {item["path"]: item for item in report["projects"]}
    assert sorted(projects) == ["services/api", "services/worker"]
    api, worker = projects["services/api"], projects["services/worker"]
    assert [(m["package"], m["locations"]) for m in api["missing"]] == [(redis.package, [redis.location])]
    assert api["declared_in"] == ["services/api/requirements.txt"]
    assert [(m["package"], m["locations"]) for m in worker["missing"]] == [(fastapi.package, [fastapi.location])]
    assert worker["fix"]["file"] == "services/worker/pyproject.toml"
    assert not any("a project of its own" in (m["reason"] or "") for m in report["missing"])


def test_a_monorepo_report_has_one_section_per_project(capsys):
    root = project("monorepo_services")
    _, text, _ = cli(capsys, "check", root, "--offline")
    assert text.startswith("2 projects out of sync: services/api/, services/worker/.\n")
    assert "=== Project services/api/ ===\nservices/api/requirements.txt is missing 1 package" in text
    _, markdown, _ = cli(capsys, "check", root, "--offline", "--format", "markdown")
    assert markdown.count("## Project ") == 2
    assert "#### Missing from services/worker/pyproject.toml" in markdown
