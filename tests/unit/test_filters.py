from __future__ import annotations

from pipreqs_action.config import ProjectConfig
from pipreqs_action.filters import apply_config, drop_first_party
from pipreqs_action.model import ImportRef, Location, Missing, Report, ScanResult, Unused

HERE = Location("app.py", 1)


def missing(package: str, *imports: str) -> Missing:
    return Missing(package=package, imports=imports, locations=(HERE,))


REPORT = Report(
    missing=(
        missing("PyYAML", "yaml"),
        missing("internal-tool", "internal_tool"),
        missing("google-cloud-storage", "google.cloud.storage"),
        missing("opencv-python", "cv2"),
    ),
    unused=(Unused("gunicorn"), Unused("Rich")),
    skipped=(),
    requirements="",
)


def packages(report: Report) -> list[str]:
    return [item.package for item in report.missing]


def test_ignore_missing_takes_distribution_names_in_any_spelling() -> None:
    report = apply_config(REPORT, ProjectConfig(ignore_missing=("pyyaml", "Internal_Tool")))
    assert packages(report) == ["google-cloud-storage", "opencv-python"]


def test_ignore_missing_takes_import_names_and_namespace_paths() -> None:
    report = apply_config(REPORT, ProjectConfig(ignore_missing=("cv2", "google.cloud.storage")))
    assert packages(report) == ["PyYAML", "internal-tool"]


def test_a_finding_stays_while_one_of_its_imports_is_not_ignored() -> None:
    both = Report(
        missing=(missing("protobuf", "google.protobuf", "grpc_tools"),), unused=(), skipped=(), requirements=""
    )
    assert packages(apply_config(both, ProjectConfig(ignore_missing=("google.protobuf",)))) == ["protobuf"]
    assert packages(apply_config(both, ProjectConfig(ignore_missing=("google.protobuf", "grpc_tools")))) == []


def test_ignore_unused_drops_only_the_named_distributions() -> None:
    report = apply_config(REPORT, ProjectConfig(ignore_unused=("GUNICORN",)))
    assert [item.package for item in report.unused] == ["Rich"]
    assert packages(report) == packages(REPORT)


def test_the_report_names_the_configuration_file_and_an_empty_one_changes_nothing() -> None:
    report = apply_config(REPORT, ProjectConfig(source="pyproject.toml"))
    assert report.config_file == "pyproject.toml"
    assert (report.missing, report.unused) == (REPORT.missing, REPORT.unused)


def test_first_party_names_leave_the_scan_with_their_submodules_only() -> None:
    refs = tuple(ImportRef(module, HERE) for module in ("acme", "acme.util", "acme_other", "requests"))
    scanned = drop_first_party(ScanResult(refs, files_scanned=1), ["acme"])
    assert [ref.module for ref in scanned.imports] == ["acme_other", "requests"]
    assert scanned.files_scanned == 1
    assert drop_first_party(ScanResult(refs), []).imports == refs


def test_the_pipeline_hands_secondary_and_app_patterns_to_the_scan(tmp_path, monkeypatch) -> None:
    from pipreqs_action import pipeline
    from pipreqs_action.settings import engine_settings

    (tmp_path / "pipreqs-action.toml").write_text('secondary = ["scripts/deploy/"]\napp = ["tools/server/"]\n', "utf-8")
    seen = {}

    def fake_scan(root, **options):
        seen.update(options)
        return ScanResult((), files_scanned=1)

    monkeypatch.setattr(pipeline, "scan", fake_scan)
    pipeline.run(engine_settings(path=tmp_path, offline=True))
    assert (seen["secondary"], seen["app"]) == (("scripts/deploy/",), ("tools/server/",))
