from __future__ import annotations

import random

import pytest
from packaging.requirements import Requirement as Pep508
from packaging.utils import canonicalize_name

from pipreqs_action.compare import compare, compare_inferred, exit_status, with_requirements
from pipreqs_action.mapping import ImportNames, load_import_names
from pipreqs_action.model import (
    Declared,
    ImportRef,
    Location,
    Missing,
    Report,
    Requirement,
    ScanResult,
    Skipped,
    Unused,
)


@pytest.fixture
def names() -> ImportNames:
    return load_import_names()


def ref(module: str, where: str = "app.py:1", *names: str, **flags: bool | str) -> ImportRef:
    path, _, line = where.partition(":")
    return ImportRef(module=module, location=Location(path, int(line)), names=names, **flags)


def declared(*lines: str, groups: dict[str, list[str]] | None = None, path: str = "requirements.txt") -> Declared:
    def requirement(number: int, line: str, source: str) -> Requirement:
        parsed = Pep508(line)
        return Requirement(
            name=parsed.name,
            key=canonicalize_name(parsed.name),
            location=Location(source, number),
            line=line,
            specifier=str(parsed.specifier),
        )

    reqs = tuple(requirement(n, line, path) for n, line in enumerate(lines, start=1))
    optional = tuple(
        (group, tuple(requirement(n, line, "pyproject.toml") for n, line in enumerate(items, 1)))
        for group, items in (groups or {}).items()
    )
    return Declared(requirements=reqs, sources=(path,), optional_groups=optional)


def scanned(*refs: ImportRef) -> ScanResult:
    return ScanResult(imports=refs, files_scanned=len({r.location.path for r in refs}))


# --- satisfied or missing -----------------------------------------------------------------------------------------


def test_a_declared_distribution_satisfies_its_import_whatever_the_spelling(names) -> None:
    report = compare(
        scanned(ref("yaml"), ref("cv2"), ref("bs4")),
        declared("pyyaml", "opencv-python-headless", "beautifulsoup4"),
        names,
    )
    assert report.missing == ()
    assert report.unused == ()
    assert report.in_sync


def test_a_missing_distribution_gathers_all_its_import_lines(names) -> None:
    refs = [ref("sklearn.svm", "b.py:9"), ref("sklearn", "a.py:3"), ref("sklearn", "a.py:3"), ref("yaml", "a.py:1")]
    report = compare(scanned(*refs), declared("PyYAML"), names)
    assert [item.package for item in report.missing] == ["scikit-learn"]
    item = report.missing[0]
    assert item.imports == ("sklearn",)
    assert item.locations == (Location("a.py", 3), Location("b.py", 9))
    assert not item.optional
    assert not report.in_sync


def test_imports_provided_by_one_distribution_are_reported_once() -> None:
    names = load_import_names({"alpha_api": "alpha-sdk", "alpha_cli": "alpha-sdk"})
    report = compare(scanned(ref("alpha_cli", "b.py:1"), ref("alpha_api", "a.py:1")), declared(), names)
    assert [(m.package, m.imports) for m in report.missing] == [("alpha-sdk", ("alpha_api", "alpha_cli"))]


def test_a_namespace_distribution_provides_only_its_own_path(names) -> None:
    refs = [ref("google.cloud", "app.py:1", "storage", "bigquery"), ref("google.protobuf", "app.py:2", "message")]
    report = compare(scanned(*refs), declared("google-cloud-storage"), names)
    assert {item.package: item.imports for item in report.missing} == {
        "google-cloud-bigquery": ("google.cloud.bigquery",),
        "protobuf": ("google.protobuf",),
    }
    assert report.unused == ()


@pytest.mark.parametrize(
    "flags",
    [{"optional": True}, {"type_only": True}, {"secondary": "tests"}, {"secondary": "examples/"}],
)
def test_imports_that_cannot_break_the_app_are_optional(flags, names) -> None:
    where = flags.pop("where", "app.py:1")
    report = compare(scanned(ref("ujson", where, **flags)), declared(), names)
    assert [(m.package, m.optional) for m in report.missing] == [("ujson", True)]
    assert report.in_sync
    assert report.required_missing == ()


def test_one_run_time_import_makes_the_package_required(names) -> None:
    refs = [
        ref("ujson", "app.py:2", optional=True),
        ref("ujson", "tests/test_x.py:1", secondary="tests"),
        ref("ujson", "cli.py:5"),
    ]
    report = compare(scanned(*refs), declared(), names)
    assert report.missing[0].optional is False
    assert len(report.missing[0].locations) == 3


def test_missing_packages_are_sorted_case_insensitively(names) -> None:
    refs = [ref("yaml"), ref("attr"), ref("zmq"), ref("fitz"), ref("bs4")]
    packages = [m.package for m in compare(scanned(*refs), declared(), names).missing]
    assert packages == sorted(packages, key=str.lower)
    assert len(packages) == len(refs)


def test_the_report_does_not_depend_on_the_order_of_the_imports(names) -> None:
    refs = [ref("yaml", "a.py:1"), ref("cv2", "b.py:2"), ref("sklearn", "c.py:3"), ref("sklearn", "a.py:7")]
    refs += [ref("requests", "d.py:1"), ref("ujson", "e.py:4", optional=True)]
    first = compare(scanned(*refs), declared("requests", "gunicorn", "flask"), names)
    shuffled = refs[:]
    random.Random(7).shuffle(shuffled)
    assert compare(scanned(*shuffled), declared("flask", "requests", "gunicorn"), names).missing == first.missing


# --- unused -------------------------------------------------------------------------------------------------------


def test_declared_but_not_imported_is_unused_once_at_its_first_line(names) -> None:
    report = compare(scanned(ref("requests")), declared("requests", "gunicorn", "Gunicorn>=21", "alembic"), names)
    assert report.unused == (
        Unused("alembic", Location("requirements.txt", 4)),
        Unused("gunicorn", Location("requirements.txt", 2)),
    )
    assert report.in_sync  # unused declarations never break the sync


def test_optional_dependency_groups_declare_but_are_never_unused(names) -> None:
    report = compare(
        scanned(ref("click")), declared("requests", groups={"cli": ["click>=8"], "docs": ["sphinx"]}), names
    )
    assert report.missing == ()
    assert [item.package for item in report.unused] == ["requests"]


def test_problems_in_the_declarations_are_unusable_requirements_not_skipped_files(names) -> None:
    problem = Skipped("requirements.txt:2", "'requests ==': expected a version")
    unreadable = Skipped("legacy.py", "not valid Python 3 (line 1: invalid syntax)")
    broken = declared("requests")._replace(problems=(problem,))
    result = scanned(ref("requests"))._replace(skipped=(unreadable,))
    report = compare(result, broken, names)
    assert (report.skipped, report.unusable_requirements) == ((unreadable,), (problem,))


# --- the suggested requirements.txt ---------------------------------------------------------------------------------


def report_with(*missing: Missing) -> Report:
    return Report(missing=missing, unused=(), skipped=(), requirements="")


def test_declared_lines_are_kept_as_written_and_required_missing_appended() -> None:
    have = declared("requests==2.0.0  ", "PyYAML>=5; python_version >= '3.8'", "requests==2.0.0  ")
    report = report_with(
        Missing("scikit-learn", ("sklearn",), ()),
        Missing("ujson", ("ujson",), (), optional=True),
        Missing("PyMuPDF", ("fitz",), ()),
    )
    done = with_requirements(report, have, {"scikit-learn": "1.5.1", "pymupdf": "1.24.0", "ujson": "5.0"}, "pin")
    assert done.requirements.splitlines() == [
        "requests==2.0.0  ",
        "PyYAML>=5; python_version >= '3.8'",
        "scikit-learn==1.5.1",
        "PyMuPDF==1.24.0",
    ]
    assert [m.version for m in done.missing] == ["1.5.1", "5.0", "1.24.0"]


@pytest.mark.parametrize(
    ("mode", "line"), [("pin", "attrs==24.2.0"), ("compat", "attrs~=24.2.0"), ("gt", "attrs>=24.2.0")]
)
def test_the_version_style_follows_the_mode(mode, line) -> None:
    done = with_requirements(report_with(Missing("attrs", ("attr",), ())), declared(), {"attrs": "24.2.0"}, mode)
    assert done.requirements == f"{line}\n"


def test_without_a_version_the_name_alone_is_suggested() -> None:
    done = with_requirements(report_with(Missing("attrs", ("attr",), ())), declared("requests"), {}, "pin")
    assert done.requirements == "requests\nattrs\n"
    assert done.missing[0].version == ""


# --- exit status ------------------------------------------------------------------------------------------------

REQUIRED = Missing("attrs", ("attr",), ())
OPTIONAL = Missing("ujson", ("ujson",), (), optional=True)
UNUSED = Unused("gunicorn")


@pytest.mark.parametrize(
    ("missing", "unused", "statuses"),
    [
        ((), (), {"missing": 0, "any": 0, "never": 0}),
        ((OPTIONAL,), (), {"missing": 0, "any": 1, "never": 0}),
        ((), (UNUSED,), {"missing": 0, "any": 1, "never": 0}),
        ((REQUIRED,), (), {"missing": 1, "any": 1, "never": 0}),
        ((REQUIRED, OPTIONAL), (UNUSED,), {"missing": 1, "any": 1, "never": 0}),
    ],
)
def test_exit_status_by_fail_on(missing, unused, statuses) -> None:
    report = Report(missing=missing, unused=unused, skipped=(), requirements="")
    assert {fail_on: exit_status(report, fail_on) for fail_on in statuses} == statuses


# --- a requirements list generated elsewhere (the pipreqs HTTP API) -------------------------------------------------


def test_generated_requirements_are_matched_by_what_they_provide(names) -> None:
    generated = declared("opencv-python==4.10.0.84", "PyYAML==6.0.2", "requests==2.32.3", path="generated.txt")
    report = compare_inferred(generated, declared("opencv-python-headless", "pyyaml", "gunicorn"), names)
    assert [(item.package, item.locations) for item in report.missing] == [("requests", ())]
    assert "requests" in report.missing[0].imports
    assert [item.package for item in report.unused] == ["gunicorn"]
    assert report.declared_sources == ("requirements.txt",)


def test_a_package_imported_only_by_secondary_code_says_where_and_why(names) -> None:
    refs = [
        ref("pytest", "tests/test_x.py:1", secondary="tests"),
        ref("pytest", "examples/a.py:3", secondary="examples/"),
    ]
    report = compare(scanned(*refs), declared(), names)
    (item,) = report.missing
    assert (item.optional, item.scope, item.reason) == (True, "secondary", "only in examples/, tests")
    assert report.in_sync


def test_a_package_the_app_also_imports_is_the_apps(names) -> None:
    refs = [ref("rich", "tools/x.py:1", secondary="tools/"), ref("rich", "app.py:3", optional=True)]
    (item,) = compare(scanned(*refs), declared(), names).missing
    assert (item.optional, item.scope, item.reason) == (True, "app", "")
