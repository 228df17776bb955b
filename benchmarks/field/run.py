"""Alarm precision of ``pipreqs-action check`` on the field corpus: real repositories nobody here tuned for.

    python benchmarks/field/run.py TREES                    # TREES as laid out by layout.py (see fetch.md)
    python benchmarks/field/run.py TREES --markdown         # the per-repository table for the README
    python benchmarks/field/run.py TREES --write-baseline   # record today's alarms as the baseline of the repos run
    python benchmarks/field/run.py TREES --set heldout      # only the held-out repositories (heldout.md)
    python benchmarks/field/run.py TREES --batch 3          # only the third held-out batch (``batch`` in repos.toml)
    python benchmarks/field/run.py TREES --online           # ask the package index, as the Action does by default

An *alarm* is what would open the Action's issue: a ``missing`` (or ``dev_only``) entry that is not optional, not
installed through a declared distribution (``via``) and not in secondary code, in a report whose ``in_sync`` is false.
Every alarm is judged by a person who read the code, in ``verdicts.toml``::

    ["owner/name"]
    "pyyaml" = "true: app/main.py:5 imports yaml at top level; PyYAML is in no manifest"
    "pytest" = "false: imported only in tests/conftest.py:1"
    "pydantic" = "via: app/models.py:2; installed through fastapi, declared"

``via`` verdicts count as false alarms (the design reports them apart, never as an alarm). Alarms with no
verdict are *unjudged*: judge them before quoting a precision. It also lists true alarms of the baseline that
are no longer alarms ("lost"). Totals are printed for the whole corpus and apart for the *tuned* repositories (used
to write the rules) and the *held-out* ones (``heldout = true`` in repos.toml, never used to tune: their precision is
the honest estimate for a repository nobody looked at). This is a measuring script, not a test: it never fails on a
figure.

By default every check runs ``--offline``: the bundled metadata snapshot answers which declared distribution installs
what, so a figure can be reproduced years later. The Action itself asks the package index (PyPI's JSON API) for
distributions the snapshot lacks; ``--online`` runs the checks that way (against ``--index-url``, PyPI unless told),
to show what a user actually sees. Online figures move as the index moves: quote them with the date.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from layout import HERE, Repo, load_repos

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

ENGINE = Path(sys.executable).parent / "pipreqs-action"
PYPI_JSON_API = "https://pypi.org/pypi"  # what the Action asks when neither its input nor pip's configuration names one
SLOW_SECONDS = 1.0
_NOT_ALARM_FLAGS = ("optional", "via", "secondary")  # any of them truthy: reported, but never opens the issue
# Lists of the JSON report whose entries break in_sync: undeclared imports, and app imports that only a development
# declaration provides ("dev_only", since the manifests change).
_ALARM_LISTS = ("missing", "dev_only")


def normalize(name: str) -> str:
    """PEP 503 form, so a verdict matches whatever spelling the engine prints."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Verdict:
    kind: str  # "true", "false" or "via"
    reason: str

    @property
    def is_true(self) -> bool:
        return self.kind == "true"


def load_verdicts(path: Path) -> dict[str, dict[str, Verdict]]:
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    verdicts: dict[str, dict[str, Verdict]] = {}
    for repo, packages in data.items():
        for package, text in packages.items():
            kind, _, reason = str(text).partition(":")
            if kind.strip() not in ("true", "false", "via"):
                raise SystemExit(f"{path}: [{repo}] {package}: verdict must start with true:, false: or via:")
            verdicts.setdefault(repo, {})[normalize(package)] = Verdict(kind.strip(), reason.strip())
    return verdicts


@dataclass
class Outcome:
    """What the engine said about one repository, and how the verdicts judge it."""

    repo: Repo
    seconds: float = 0.0  # wall time of the fastest run
    cpu: float = 0.0  # CPU time (user + system) of that run: steadier than wall time on a busy machine
    crash: str = ""
    alarms: list[str] = field(default_factory=list)
    reported: set[str] = field(default_factory=set)  # every missing entry, alarm or not
    reported_via: set[str] = field(default_factory=set)  # missing entries the engine says a declared one installs
    note: str = ""
    true: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)  # false alarms judged "via": reported apart in the new design
    unjudged: list[str] = field(default_factory=list)

    @property
    def only_false(self) -> bool:
        """The issue would open and hold nothing right (unjudged alarms keep this undecided, so False)."""
        return bool(self.false) and not self.true and not self.unjudged


def is_alarm(entry: Mapping[str, Any]) -> bool:
    return not any(entry.get(flag) for flag in _NOT_ALARM_FLAGS) and entry.get("scope") != "secondary"


def _has_via(entry: object) -> bool:
    return isinstance(entry, Mapping) and "package" in entry and bool(entry.get("via"))


def via_found(outcomes: Iterable[Outcome], verdicts: Mapping[str, Mapping[str, Verdict]]) -> tuple[int, int]:
    """How many packages judged ``via`` the engine now reports with a ``via``, out of all judged so."""
    judged = found = 0
    for outcome in outcomes:
        for package, verdict in verdicts.get(outcome.repo.name, {}).items():
            if verdict.kind == "via":
                judged += 1
                found += package in outcome.reported_via
    return found, judged


def _entries(report: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Mapping[str, Any]]]:
    """Every missing/dev_only entry of the report and of its sub-projects (``projects``: folders with a manifest of
    their own, whose sections the same issue holds), keyed ``package`` at the root and ``path:package`` below it, so
    one package can be judged apart in each project."""
    found = [
        (prefix + str(e["package"]), e)
        for key in _ALARM_LISTS
        for e in report.get(key, [])
        if isinstance(e, Mapping) and "package" in e
    ]
    for project in report.get("projects", []):
        if isinstance(project, Mapping):
            found += _entries(project, f"{project.get('path', '?')}:")
    return found


def alarms_of(report: Mapping[str, Any]) -> tuple[list[str], set[str], str]:
    """The alarmed packages, every reported missing package, and a note when flags and ``in_sync`` disagree."""
    entries = _entries(report)
    reported = {normalize(key) for key, _ in entries}
    flagged = sorted({normalize(key) for key, e in entries if is_alarm(e)})
    if report.get("in_sync", not flagged):
        return [], reported, f"in_sync, yet {len(flagged)} entries look required" if flagged else ""
    return flagged, reported, "" if flagged else "in_sync is false, but no entry looks required"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def network_args(index_url: str | None) -> list[str]:
    """``--offline`` (the reproducible default), or the index to ask when run ``--online`` as the Action runs."""
    return ["--offline"] if index_url is None else ["--index-url", index_url]


def check(repo: Repo, tree: Path, extra: Sequence[str], repeat: int, index_url: str | None = None) -> Outcome:
    outcome = Outcome(repo)
    argv = [str(ENGINE), "check", str(tree), "--format", "json", *network_args(index_url), *extra]
    runs: list[tuple[float, float]] = []
    for _ in range(repeat):
        before, start = _children_cpu(), time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        runs.append((time.perf_counter() - start, _children_cpu() - before))
    outcome.seconds, outcome.cpu = min(runs)
    if done.returncode not in (0, 1):
        outcome.crash = f"exit {done.returncode}: {(done.stderr.strip().splitlines() or [''])[-1][:160]}"
        return outcome
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError as error:
        outcome.crash = f"no JSON report ({error})"
        return outcome
    outcome.alarms, outcome.reported, outcome.note = alarms_of(report)
    outcome.reported_via = {normalize(key) for key, e in _entries(report) if _has_via(e)}
    return outcome


def judge(outcome: Outcome, verdicts: Mapping[str, Verdict]) -> None:
    for package in outcome.alarms:
        verdict = verdicts.get(package)
        if verdict is None:
            outcome.unjudged.append(package)
        elif verdict.is_true:
            outcome.true.append(package)
        else:
            outcome.false.append(package)
            if verdict.kind == "via":
                outcome.via.append(package)


def lost_true_alarms(
    outcomes: Iterable[Outcome], baseline: Mapping[str, Sequence[str]], verdicts: Mapping[str, Mapping[str, Verdict]]
) -> list[str]:
    """True alarms of the baseline that are no alarm now, saying whether the report still shows them."""
    lost = []
    for outcome in outcomes:
        if outcome.crash:
            continue
        judged = verdicts.get(outcome.repo.name, {})
        for package in map(normalize, baseline.get(outcome.repo.name, ())):
            verdict = judged.get(package)
            if verdict and verdict.is_true and package not in outcome.alarms:
                shown = "still reported, not as an alarm" if package in outcome.reported else "no longer reported"
                lost.append(f"{outcome.repo.name}: {package} ({shown}; {verdict.reason})")
    return lost


def precision(true: int, false: int) -> str:
    return f"{true / (true + false):.2f}" if true + false else "n/a"


def row(outcome: Outcome) -> list[str]:
    status = outcome.crash or outcome.note or ("only false alarms" if outcome.only_false else "")
    slow = " SLOW" if outcome.seconds >= SLOW_SECONDS else ""
    return [
        outcome.repo.name,
        outcome.repo.kind,
        str(len(outcome.alarms)),
        str(len(outcome.true)),
        str(len(outcome.false)),
        str(len(outcome.via)),
        str(len(outcome.unjudged)),
        precision(len(outcome.true), len(outcome.false)),
        f"{outcome.seconds:.2f}{slow}",
        f"{outcome.cpu:.2f}",
        status,
    ]


HEADER = ["repository", "kind", "alarms", "true", "false", "of which via", "unjudged", "precision", "seconds", "cpu"]
HEADER += ["note"]


def totals(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    true = sum(len(o.true) for o in outcomes)
    false = sum(len(o.false) for o in outcomes)
    return {
        "repositories": len(outcomes),
        "alarms": sum(len(o.alarms) for o in outcomes),
        "true": true,
        "false": false,
        "of which via": sum(len(o.via) for o in outcomes),
        "unjudged": sum(len(o.unjudged) for o in outcomes),
        "precision": precision(true, false),
        "issues opened": sum(1 for o in outcomes if o.alarms),
        "issues with only false alarms": sum(1 for o in outcomes if o.only_false),
        "crashes": sum(1 for o in outcomes if o.crash),
        f"slower than {SLOW_SECONDS:.0f} s": sum(1 for o in outcomes if o.seconds >= SLOW_SECONDS),
        "slowest seconds": f"{max((o.seconds for o in outcomes), default=0.0):.2f}",
        "slowest cpu seconds": f"{max((o.cpu for o in outcomes), default=0.0):.2f}",
    }


SETS = {"all": lambda repo: True, "tuned": lambda repo: not repo.heldout, "heldout": lambda repo: repo.heldout}
SET_COLUMNS = ("repositories", "alarms", "true", "false", "of which via", "unjudged", "precision", "issues opened")
SET_COLUMNS += ("issues with only false alarms",)


def set_rows(outcomes: Sequence[Outcome]) -> list[list[str]]:
    """One row of totals per set present in this run (tuned, held-out, all), so the two estimates sit side by side."""
    rows = []
    for name in ("tuned", "heldout", "all"):
        members = [o for o in outcomes if SETS[name](o.repo)]
        if members and (name == "all" or len(members) < len(outcomes)):
            figures = totals(members)
            rows.append([name, *(str(figures[column]) for column in SET_COLUMNS)])
    return rows


def print_text(outcomes: Sequence[Outcome], lost: Sequence[str], via: tuple[int, int]) -> None:
    rows = [HEADER, *(row(o) for o in outcomes)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER) - 1)]
    for r in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(r, widths, strict=False)), r[-1])
    for outcome in outcomes:
        for label, packages in (("FALSE", outcome.false), ("UNJUDGED", outcome.unjudged)):
            if packages:
                print(f"  {label:8} {outcome.repo.name}: {', '.join(packages)}")
    print()
    for key, value in totals(outcomes).items():
        print(f"{key:32} {value}")
    print(f"{'judged via, reported with via':32} {via[0]} of {via[1]}")
    print(f"{'true alarms lost vs baseline':32} {len(lost)}")
    for line in lost:
        print(f"  LOST {line}")
    print()
    table = [["set", *SET_COLUMNS], *set_rows(outcomes)]
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for r in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(r, widths, strict=True)).rstrip())


def print_markdown(outcomes: Sequence[Outcome], lost: Sequence[str], via: tuple[int, int]) -> None:
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "---|" * len(HEADER))
    for outcome in outcomes:
        print("| " + " | ".join(row(outcome)) + " |")
    print()
    print("| total | |")
    print("|---|---|")
    for key, value in totals(outcomes).items():
        print(f"| {key} | {value} |")
    print(f"| judged via, reported with via | {via[0]} of {via[1]} |")
    print(f"| true alarms lost vs baseline | {len(lost)} |")
    print()
    print("| set | " + " | ".join(SET_COLUMNS) + " |")
    print("|" + "---|" * (len(SET_COLUMNS) + 1))
    for r in set_rows(outcomes):
        print("| " + " | ".join(r) + " |")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("trees", type=Path, help="folder holding <owner>+<name> trees (layout.py)")
    parser.add_argument("--verdicts", type=Path, default=HERE / "verdicts.toml")
    parser.add_argument("--baseline", type=Path, default=HERE / "baseline.json")
    parser.add_argument(
        "--write-baseline", action="store_true", help="record this run's alarms as the baseline of the repositories run"
    )
    parser.add_argument("--only", action="append", default=[], help="owner/name to run (repeatable)")
    parser.add_argument("--set", choices=sorted(SETS), default="all", help="tuned, heldout (heldout.md) or all")
    parser.add_argument("--batch", type=int, help="only this held-out batch (repos.toml `batch`; 0 = the tuned set)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per repository; the fastest time counts")
    parser.add_argument(
        "--online", action="store_true", help="ask the package index as the Action does (default: --offline)"
    )
    parser.add_argument("--index-url", default=PYPI_JSON_API, help="the index --online asks (default: PyPI's JSON API)")
    parser.add_argument("--markdown", action="store_true", help="print the README table instead of text")
    parser.add_argument("--json", type=Path, help="also write every outcome to this file")
    parser.add_argument("engine_args", nargs="*", help="more options for check, after --")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    verdicts = load_verdicts(args.verdicts)
    repos = [
        r
        for r in load_repos()
        if (not args.only or r.name in args.only)
        and SETS[args.set](r)
        and (args.batch is None or r.batch == args.batch)
    ]
    outcomes = []
    for repo in repos:
        tree = args.trees / repo.slug
        if not tree.is_dir():
            outcome = Outcome(repo, crash="no tree")
        else:
            outcome = check(repo, tree, args.engine_args, args.repeat, args.index_url if args.online else None)
        judge(outcome, verdicts.get(repo.name, {}))
        outcomes.append(outcome)
    baseline = json.loads(args.baseline.read_text(encoding="utf-8")) if args.baseline.exists() else {}
    if args.write_baseline:  # only the repositories run: the others keep the baseline they were first judged on
        baseline.update({o.repo.name: o.alarms for o in outcomes if not o.crash})
        args.baseline.write_text(json.dumps(baseline, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    lost = lost_true_alarms(outcomes, baseline, verdicts)
    via = via_found(outcomes, verdicts)
    if not args.markdown:
        print(f"checks run {'online, asking ' + args.index_url if args.online else 'offline'}")
    (print_markdown if args.markdown else print_text)(outcomes, lost, via)
    if args.json:
        dump = [{**vars(o), "repo": o.repo.name, "reported": sorted(o.reported), "reported_via": sorted(o.reported_via)}
                for o in outcomes]  # fmt: skip
        args.json.write_text(json.dumps({"outcomes": dump, "totals": totals(outcomes), "lost": lost}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
