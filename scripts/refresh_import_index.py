"""Maintain the import-name data in ``src/pipreqs_action/data/``: a developer's tool, never run by the product.

    python scripts/refresh_import_index.py index [--from DIR] # rebuild the data taken from pipreqs and pigar
    python scripts/refresh_import_index.py popular TOP.json   # rewrite data/popular.txt from a download ranking
    python scripts/refresh_import_index.py audit [--limit N]  # where our suggestion is not the most used provider

``index`` installs the pipreqs and pigar releases pinned in ``requirements/data.txt`` (``--no-deps``, into a scratch
folder, whatever this Python's version: pipreqs 0.5.0 says ``<3.13`` only for its scanner), or reads them from
``--from DIR`` (a ``pip install --target`` folder), and rewrites ``data/import_index.bin`` from pigar's database
(``pipreqs_action.metadata.index_build``), ``data/pipreqs_mapping.txt`` from pipreqs' ``mapping`` file, and their
license texts in ``data/licenses/`` (both ship inside our wheel; pipreqs is Apache-2.0, pigar BSD-3-Clause).

``popular`` reads the JSON of https://hugovk.github.io/top-pypi-packages/ (``top-pypi-packages-30-days.min.json``:
its ``rows`` and its ``last_update``, which becomes the snapshot date), or a CSV or TSV with a header: a ``project``
or ``name`` column, and either a rank column (any header containing ``rank``; blank rows are skipped) or a
``download_count`` column, with ``--date``. The source (``--source``) and the date are written in the file's header.

``audit`` lists, most downloaded first, the top-level modules of popular distributions for which ``suggest`` names
another distribution than the most downloaded provider: each line is a candidate for ``data/import_names.json``
(or a case where the most downloaded provider is not the right answer, like ``py`` provided by ``pytest``).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from pipreqs_action.mapping import ImportNames, load_import_names, normalise
from pipreqs_action.metadata.index_build import read_pigar, write_index

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "pipreqs_action" / "data"
PINS = ROOT / "requirements" / "data.txt"
HEADER = "# PyPI projects by downloads in the 30 days to {date}, most downloaded first; PEP 503 names. Source: {source}"
TOP_PYPI = "https://hugovk.github.io/top-pypi-packages/ (PyPI's BigQuery download statistics)"


def ranked_json(path: Path) -> tuple[list[str], str]:
    """Normalised project names, most downloaded first, and the snapshot's date, from top-pypi-packages' JSON."""
    data = json.loads(path.read_text("utf-8"))
    ranked = sorted((-int(row["download_count"]), row["project"]) for row in data["rows"])
    return list(dict.fromkeys(normalise(project) for _, project in ranked)), str(data["last_update"])[:10]


def ranked_names(path: Path) -> list[str]:
    """Normalised project names, most downloaded first, from a CSV/TSV ranking."""
    with path.open(newline="", encoding="utf-8") as handle:
        tabs = "\t" in handle.readline()
        handle.seek(0)  # TSV summaries hold stray quotes: read tabs literally
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if tabs else csv.DictReader(handle)
        rows = list(reader)
    fields = list(rows[0]) if rows else []
    name = next(field for field in fields if field in ("project", "name"))
    rank = next((field for field in fields if "rank" in field), None)
    if rank:
        ranked = sorted((int(row[rank]), row[name]) for row in rows if row[rank].strip())
    else:
        ranked = sorted((-int(row["download_count"]), row[name]) for row in rows)
    return list(dict.fromkeys(normalise(project) for _, project in ranked))


def installed_version(site: Path, project: str) -> str:
    """The version of ``project`` installed in ``site``, from its ``.dist-info`` folder's name."""
    found = sorted(site.glob(f"{project}-*.dist-info"))
    if not found:
        raise SystemExit(f"{site}: {project} is not installed there")
    return found[-1].name.removeprefix(f"{project}-").removesuffix(".dist-info")


def refresh_index(site: Path) -> list[Path]:
    """Rewrite the data taken from pipreqs and pigar, installed in ``site``; returns the files written."""
    versions = {project: installed_version(site, project) for project in ("pipreqs", "pigar")}
    licenses = DATA / "licenses"
    licenses.mkdir(exist_ok=True)
    written = [
        write_index(read_pigar(site / "pigar" / ".db.sqlite3"), DATA / "import_index.bin", versions),
        Path(shutil.copyfile(site / "pipreqs" / "mapping", DATA / "pipreqs_mapping.txt")),
    ]
    for project, version in versions.items():
        notice = min(site.glob(f"{project}-{version}.dist-info/**/LICENSE*"), key=lambda path: len(path.parts))
        written.append(Path(shutil.copyfile(notice, licenses / f"{project}-LICENSE.txt")))
    return written


def scratch_install(target: Path) -> Path:
    """pipreqs and pigar as pinned, without their dependencies (only their data files are read)."""
    pins = [line for line in PINS.read_text("utf-8").splitlines() if re.match(r"[A-Za-z]", line)]
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--ignore-requires-python"]
    subprocess.run([*pip, "--target", str(target), *pins], check=True)
    return target


def write_popular(names: Iterable[str], date: str, source: str) -> Path:
    target = DATA / "popular.txt"
    target.write_text("\n".join((HEADER.format(date=date, source=source), *names)) + "\n", encoding="utf-8")
    return target


def audit(names: ImportNames, popular: Sequence[str]) -> Iterable[str]:
    """Yield one tab-separated line per module whose suggestion differs from its most downloaded provider."""
    best: dict[str, tuple[int, str]] = {}
    for rank, project in enumerate(popular, start=1):
        for path in names.provides(project):
            if "." not in path and path not in best:
                best[path] = (rank, project)
    for path, (rank, project) in sorted(best.items(), key=lambda item: item[1]):
        suggestion = names.suggest(path)
        if normalise(suggestion.package) != project:
            yield f"{rank}\t{path}\t{project}\t{suggestion.package}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("index").add_argument("--from", dest="site", type=Path, metavar="DIR")
    popular = commands.add_parser("popular")
    popular.add_argument("ranking", type=Path)
    popular.add_argument("--date", help="the snapshot's last day, YYYY-MM-DD (read from the JSON's last_update)")
    popular.add_argument("--source", default=TOP_PYPI, help="where the ranking comes from (written in the header)")
    commands.add_parser("audit").add_argument("--limit", type=int, default=200)
    args = parser.parse_args(argv)
    if args.command == "index":
        with tempfile.TemporaryDirectory() as scratch:
            for path in refresh_index(args.site or scratch_install(Path(scratch))):
                print(path)
        return 0
    if args.command == "popular":
        if args.ranking.suffix == ".json":
            names, date = ranked_json(args.ranking)
        elif args.date:
            names, date = ranked_names(args.ranking), args.date
        else:
            parser.error("popular: give --date YYYY-MM-DD for a CSV or TSV ranking")
        print(write_popular(names[:15_000], args.date or date, args.source))
        return 0
    popular = (DATA / "popular.txt").read_text("utf-8").split("\n")
    lines = audit(load_import_names(), [line for line in popular if line and not line.startswith("#")])
    for _, line in zip(range(args.limit), lines, strict=False):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
