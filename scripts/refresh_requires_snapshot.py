"""Rewrite ``src/pipreqs_action/data/requires_dist.json``: the dependencies of the most downloaded distributions.

    python scripts/refresh_requires_snapshot.py [--top 5000] [--index-url https://pypi.org/pypi] [--workers 16]

A developer's tool, never run by the product. For each of the ``--top`` first names of ``data/popular.txt`` it
asks the index's JSON API (``{index}/{name}/json``) for the latest release's ``info.requires_dist`` and writes
them, one project per line, so ``--offline`` runs know which declared distribution installs which
(``dependency_metadata``). A name the index does not answer for is left out (and counted on stderr).
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

import requests

from pipreqs_action.mapping import normalise
from pipreqs_action.metadata.dependency_metadata import SNAPSHOT, encode_snapshot
from pipreqs_action.metadata.name_tables import DATA

TIMEOUT = 30.0


def popular_names(top: int) -> list[str]:
    lines = (DATA / "popular.txt").read_text("utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")][:top]


def fetch(session: requests.Session, index_url: str, name: str) -> tuple[str, str, list[str]] | None:
    """(normalised name, latest version, requires_dist) or None when the index has no usable answer."""
    try:
        response = session.get(f"{index_url.rstrip('/')}/{name}/json", timeout=TIMEOUT)
        if response.status_code != 200:
            return None
        info = response.json().get("info") or {}
    except (requests.RequestException, ValueError):
        return None
    version = info.get("version")
    if not isinstance(version, str):
        return None
    requires = [item for item in info.get("requires_dist") or [] if isinstance(item, str)]
    return normalise(name), version, requires


def fetch_all(names: Iterable[str], index_url: str, workers: int) -> dict[str, tuple[str, list[str]]]:
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=workers, pool_maxsize=workers)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    with ThreadPoolExecutor(workers) as pool:
        answers = list(pool.map(lambda name: fetch(session, index_url, name), names))
    return {key: (version, requires) for key, version, requires in filter(None, answers)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--top", type=int, default=5000)
    parser.add_argument("--index-url", default="https://pypi.org/pypi")
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args(argv)
    names = popular_names(args.top)
    projects = fetch_all(names, args.index_url, args.workers)
    about = {
        "source": f"{args.index_url} JSON API, info.requires_dist of each project's latest release",
        "projects": f"the {args.top} most downloaded names of popular.txt",
        "generated": datetime.date.today().isoformat(),
    }
    SNAPSHOT.write_text(encode_snapshot(about, projects), "utf-8")
    print(f"{SNAPSHOT}: {len(projects)} projects ({len(names) - len(projects)} not answered)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
