"""The project's own word on the findings: its first-party names and its ignore lists (``config.ProjectConfig``).

Two small stages around ``compare``: first-party imports leave the scan before anything is matched (they are
the project's own code, like the local modules ``scan`` finds itself), and ignored names leave the report after
(so an ignored import never reaches the suggested requirements.txt either). Names are matched PEP 503-normalised,
so ``PyYAML``, ``pyyaml`` and ``py_yaml`` are one name, and an ignore entry may be a distribution or an import.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipreqs_action.config import ProjectConfig
from pipreqs_action.model import ImportRef, Missing, Report, ScanResult
from pipreqs_action.pep508 import canonical_name

__all__ = ["apply_config", "drop_first_party"]


def drop_first_party(scanned: ScanResult, first_party: Iterable[str]) -> ScanResult:
    """The scan without imports of the named packages (``acme`` also drops ``acme.sub``)."""
    names = tuple(name.strip(".") for name in first_party if name.strip("."))
    if not names:
        return scanned
    kept = tuple(ref for ref in scanned.imports if not _is_under(ref, names))
    return scanned._replace(imports=kept)


def _is_under(ref: ImportRef, names: tuple[str, ...]) -> bool:
    return any(ref.module == name or ref.module.startswith(f"{name}.") for name in names)


def apply_config(report: Report, config: ProjectConfig) -> Report:
    """Drop the findings the configuration silences, and say which configuration file was read."""
    missing_keys = _keys(config.ignore_missing)
    unused_keys = _keys(config.ignore_unused)
    return report._replace(
        missing=tuple(item for item in report.missing if not _ignored_missing(item, missing_keys)),
        unused=tuple(item for item in report.unused if canonical_name(item.package) not in unused_keys),
        unresolved=tuple(item for item in report.unresolved if not _ignored_path(item.module, missing_keys)),
        config_file=config.source,
    )


def _ignored_path(path: str, keys: frozenset[str]) -> bool:
    return canonical_name(path) in keys or canonical_name(path.partition(".")[0]) in keys


def _keys(names: Iterable[str]) -> frozenset[str]:
    return frozenset(canonical_name(name) for name in names)


def _ignored_missing(item: Missing, keys: frozenset[str]) -> bool:
    """Ignored by its distribution's name, or when every import it stands for is ignored by name or root."""
    if not keys:
        return False
    if canonical_name(item.package) in keys:
        return True
    imports = [(canonical_name(path), canonical_name(path.partition(".")[0])) for path in item.imports]
    return bool(imports) and all(full in keys or root in keys for full, root in imports)
