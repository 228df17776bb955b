"""What ``pipreqs-action check`` withholds on the field corpus: the recall side that run.py's precision cannot see.

    python benchmarks/field/withheld.py TREES               # every withheld entry, by class; counts; the estimate
    python benchmarks/field/withheld.py TREES --summary     # counts and the estimate only
    python benchmarks/field/withheld.py TREES --draw        # the stratified random sample withheld.toml was drawn as
    python benchmarks/field/withheld.py TREES --batch 4     # only one set (0 = the tuned repositories)
    python benchmarks/field/withheld.py TREES --cache DIR   # keep each JSON report in DIR and reuse it next time

A *withheld* entry is a ``missing`` (or ``dev_only``) entry of the JSON report that is not an alarm (run.py's
``is_alarm``): the engine shows it, but as ``optional`` (guarded, only in tests or examples, an unreached helper, a
Colab-only branch...) or with ``via`` (installed through a declared distribution). Such an entry never opens the
Action's issue, so a rule that withholds too much hides true alarms without moving the precision run.py prints.

Each entry falls in one *class*, read from its ``via`` and ``reason`` (``CLASSES`` below, first match wins; a reason
naming several locations takes its riskiest part: an unreached module before a guard before secondary code before
tests). The sample in ``withheld.toml`` was drawn by ``--draw`` (fixed seed, recorded there) from the non-``via``
entries of batches 0-4, stratified by class, and each entry judged by reading the code: ``withheld-right`` (the app
does not need it at run time, or only in the secondary or optional code the reason names) or ``withheld-wrong`` (the
app needs it and no manifest declares it, nor a declared distribution installs it: a true alarm hidden). The
estimate scales each class's share of wrong entries to the class's size in this run.

Repositories of ``batch = 7`` (held out from everyone but the judge) are never run; batches 0-6 are studied. This is
a measuring script, not a test: it never fails on a figure. Checks run ``--offline`` (the bundled metadata
snapshot), as run.py's default.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from layout import HERE, Repo, load_repos
from run import ENGINE, _entries, alarms_of, is_alarm, load_verdicts, normalize

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

HELD_OUT_BATCH = 7  # repos.toml ``batch = 7``: the judge's alone, never run here (batch 6 was, until it was judged)
SEED = 20261207  # the sample of withheld.toml was drawn with this seed (``--draw``)
SAMPLE_SIZE = 40
# Classes judged whole rather than sampled: the one holding the case found by reading before any sample was drawn
# (an "unreached" module that a relative import reaches), so its rate is counted, not guessed from 4 entries.
CENSUS = ("unreached-module",)
VIA = "via"


def _any(*patterns: str) -> Callable[[str], bool]:
    compiled = [re.compile(p) for p in patterns]
    return lambda reason: any(p.search(reason) for p in compiled)


# (class, what it means, test on the reason), riskiest first: a reason naming several locations takes the first class
# any of its parts matches. The names say which rule withheld the entry.
CLASSES: list[tuple[str, str, Callable[[str], bool]]] = [
    (
        "unreached-module",
        "only in modules nothing in the package or app imports (optional integrations, helpers no entry point reaches)",
        _any(r"which nothing in the (package|app) imports"),
    ),
    (
        "unnamed-script",
        "only in scripts that nothing imports and no text of the repository names (maintainer tooling)",
        _any(r"a script nothing imports and no documentation or other file names"),
    ),
    (
        "lazy-integration",
        "only in a library's module loaded only inside the function that instruments its framework (instrument_x)",
        _any(r", loaded only inside .* \(an optional integration\)"),
    ),
    (
        "program-loaded",
        "a program's own imports in a module the docs give that program by name (gunicorn -k pkg.workers.Worker)",
        _any(r"^\S+ loads \S+ by name \("),
    ),
    ("import-guard", "guarded: except ImportError, suppress, find_spec, availability flags", _any(r"^guarded by ")),
    (
        "hinted-feature",
        "imported inside a function of a feature whose import guard's install hint names it",
        _any(r"^optional feature: named by the install hint"),
    ),
    (
        "install-on-demand",
        "installed at run time (check_requirements(), a notebook's pip install)",
        _any(r"^installed on demand"),
    ),
    (
        "alternative-choice",
        "one of several alternatives: backend modules, a branch chosen by name, another edition of a notebook",
        _any(r"^alternative backend module", r"^an alternative chosen by name", r"^in the .* edition of "),
    ),
    (
        "value-choice",
        "imported only in a branch a run-time value chooses (a setting, an argument, a file type), or in a function"
        " only such branches call",
        _any(r"^imported only when "),
    ),
    (
        "hosted-runtime",
        "only inside a hosted notebook runtime (Colab-only code, the kernel's IPython)",
        _any(r"Google Colab", r"provided by the notebook's kernel"),
    ),
    (
        "version-or-typing",
        "only for older Pythons, or only under TYPE_CHECKING",
        _any(r"^only for Python ", r"TYPE_CHECKING"),
    ),
    (
        "probably-provided",
        "a declared distribution whose modules no data knows probably provides it",
        _any(r"^probably provided by declared "),
    ),
    (
        "sub-project-on-demand",
        "declared by a project inside this one, imported here only on demand",
        _any(r"\(a project inside this one\)"),
    ),
    (
        "secondary-code",
        "only in secondary code: examples/, docs/, scripts/, ci/, setup.py, notebooks beside a script app, vendored",
        _any(r"^only in (?!tests(?: \(.*\))?$)", r"^only in notebooks at the root"),
    ),
    ("tests", "only in tests", _any(r"^only in tests")),
    ("commented-out", "declared by a line the manifest comments out", _any(r"^commented out in ")),
]


def reason_class(entry: Mapping[str, Any]) -> str:
    """The class an entry is withheld for: ``via`` when a declared distribution installs it, else its reason's."""
    if entry.get("via"):
        return VIA
    reason = str(entry.get("reason") or "")
    return next((name for name, _, matches in CLASSES if matches(reason)), "other")


CLASS_ORDER = [VIA, *(name for name, _, _ in CLASSES), "other"]


def set_name(repo: Repo) -> str:
    return "tuned" if repo.batch == 0 else f"batch {repo.batch}"


@dataclass(frozen=True)
class Withheld:
    """One withheld entry: ``key`` is the package, ``path:package`` in a sub-project (as verdicts.toml keys it)."""

    repo: Repo
    key: str
    cls: str
    entry: Mapping[str, Any]

    @property
    def evidence(self) -> str:
        locations = self.entry.get("locations") or []
        shown = ", ".join(f"{loc.get('path')}:{loc.get('line')}" for loc in locations[:3])
        return shown + (f" (+{len(locations) - 3})" if len(locations) > 3 else "")

    @property
    def how(self) -> str:
        """The JSON's own words: optional / scope / via / reason."""
        entry, parts = self.entry, []
        if entry.get("optional"):
            parts.append("optional")
        if entry.get("scope") and entry.get("scope") != "app":
            parts.append(f"scope={entry['scope']}")
        if entry.get("via"):
            parts.append(f"via={','.join(entry['via'])} ({entry.get('via_source')})")
        if entry.get("reason"):
            parts.append(f"reason: {entry['reason']}")
        return "; ".join(parts)


def report_of(repo: Repo, trees: Path, cache: Path | None = None) -> Mapping[str, Any] | str:
    """The engine's JSON report on one tree, or why there is none; read from (else written to) ``cache`` if given."""
    saved = cache / f"{repo.slug}.json" if cache else None
    if saved and saved.is_file():
        cached: Mapping[str, Any] = json.loads(saved.read_text(encoding="utf-8"))
        return cached
    tree = trees / repo.slug
    if not tree.is_dir():
        return "no tree"
    argv = [str(ENGINE), "check", str(tree), "--format", "json", "--offline"]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        return f"exit {done.returncode}: {(done.stderr.strip().splitlines() or [''])[-1][:160]}"
    try:
        report: Mapping[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError as error:
        return f"no JSON report ({error})"
    if saved:
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(done.stdout, encoding="utf-8")
    return report


def withheld_of(repo: Repo, report: Mapping[str, Any]) -> list[Withheld]:
    found = [Withheld(repo, normalize(key), reason_class(e), e) for key, e in _entries(report) if not is_alarm(e)]
    return sorted(found, key=lambda w: w.key)


def wilson(wrong: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion: honest at 0 of 3, where the normal approximation says 0 +- 0."""
    if n == 0:
        return 0.0, 1.0
    p = wrong / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Judged:
    repo: str
    key: str
    cls: str
    verdict: str  # "withheld-right" or "withheld-wrong"
    why: str

    @property
    def wrong(self) -> bool:
        return self.verdict == "withheld-wrong"


def load_judged(path: Path) -> tuple[dict[str, Any], list[Judged]]:
    if not path.exists():
        return {}, []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    judged = []
    for item in data.get("entry", []):
        verdict, _, why = str(item.get("verdict", "")).partition(":")
        verdict, _, qualifier = verdict.partition(" (")  # "withheld-right (borderline): ..."
        why = f"({qualifier} {why.strip()}" if qualifier else why
        if verdict.strip() not in ("withheld-right", "withheld-wrong"):
            raise SystemExit(f"{path}: [{item.get('repo')}] {item.get('key')}: verdict must start with withheld-right: "
                             "or withheld-wrong:")  # fmt: skip
        judged.append(Judged(item["repo"], normalize(item["key"]), item["class"], verdict.strip(), why.strip()))
    return data.get("sample", {}), judged


def draw(population: Sequence[Withheld], size: int, seed: int, census: Collection[str] = CENSUS) -> list[Withheld]:
    """A random sample stratified by class, ``size`` shared by the square root of each class's size (so small, risky
    classes get more than their share and the 200-entry ones less), at least 2 per class (all when fewer). Classes in
    ``census`` are taken whole; they are drawn all the same, so the other classes' draws stay what they were."""
    classes = Counter(w.cls for w in population if w.cls != VIA)
    weights = {cls: math.sqrt(n) for cls, n in classes.items()}
    total = sum(weights.values())
    rng = random.Random(seed)
    sample: list[Withheld] = []
    for cls in CLASS_ORDER:
        if cls not in classes:
            continue
        members = sorted((w for w in population if w.cls == cls), key=lambda w: (w.repo.name, w.key))
        wanted = min(len(members), max(2, round(size * weights[cls] / total)))
        drawn = rng.sample(members, wanted)
        sample += members if cls in census else drawn
    return sample


def print_counts(withheld: Sequence[Withheld], sets: Sequence[str]) -> None:
    counts = Counter((w.cls, set_name(w.repo)) for w in withheld)
    header = ["class", *sets, "all"]
    rows = [header]
    for cls in CLASS_ORDER:
        cells = [counts[(cls, s)] for s in sets]
        if any(cells):
            rows.append([cls, *map(str, cells), str(sum(cells))])
    rows.append(["all", *(str(sum(counts[(c, s)] for c in CLASS_ORDER)) for s in sets), str(len(withheld))])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for r in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(r, widths, strict=True)).rstrip())


def print_list(withheld: Sequence[Withheld]) -> None:
    for cls in CLASS_ORDER:
        members = [w for w in withheld if w.cls == cls]
        if members:
            print(f"\n## {cls} ({len(members)})")
            for w in members:
                print(f"  {w.repo.name} [{set_name(w.repo)}] {w.key}: {w.evidence} -- {w.how}")


def print_judged_true(withheld: Iterable[Withheld], verdicts_path: Path) -> None:
    """Withheld entries that verdicts.toml judged a true alarm when they were alarms: known recall losses."""
    verdicts = load_verdicts(verdicts_path)
    lost = [w for w in withheld if (v := verdicts.get(w.repo.name, {}).get(w.key)) is not None and v.is_true]
    print(f"\nwithheld entries judged true in verdicts.toml: {len(lost)}")
    for w in lost:
        print(f"  {w.repo.name} {w.key} [{w.cls}] {w.how}")


@dataclass(frozen=True)
class ClassEstimate:
    """One class's share of wrong entries in the sample, scaled to the class's size in this run."""

    cls: str
    size: int  # withheld entries of the class in this run
    sampled: int
    wrong: int

    @property
    def census(self) -> bool:
        return self.sampled >= self.size

    @property
    def share(self) -> tuple[float, float]:
        """95 % interval of the wrong share: exact for a census, Wilson's for a sample."""
        if self.census:
            exact = self.wrong / self.size if self.size else 0.0  # nothing of the class is withheld in this run
            return exact, exact
        return wilson(self.wrong, self.sampled)

    @property
    def hidden(self) -> tuple[float, float, float]:
        """Hidden true alarms: the estimate and its 95 % range (never below the wrong entries seen)."""
        low, high = self.share
        return (
            self.size * self.wrong / self.sampled,
            max(self.size * low, self.wrong),
            max(self.size * high, self.wrong),
        )


def estimates(withheld: Sequence[Withheld], judged: Sequence[Judged]) -> list[ClassEstimate]:
    sizes = Counter(w.cls for w in withheld)
    found = []
    for cls in CLASS_ORDER:
        members = [j for j in judged if j.cls == cls]
        if members:
            found.append(ClassEstimate(cls, sizes[cls], len(members), sum(j.wrong for j in members)))
    return found


def print_estimate(withheld: Sequence[Withheld], judged: Sequence[Judged], sample: Mapping[str, Any]) -> None:
    """Per class: the sample, how many were wrong, and that share scaled to the class's size in this run."""
    print(f"\nrecall sample (withheld.toml: seed {sample.get('seed', '?')}, drawn on {sample.get('engine', '?')})")
    header = ["class", "withheld", "judged", "wrong", "wrong share (95%)", "hidden true alarms (95% range)"]
    rows, classes = [header], estimates(withheld, judged)
    for c in classes:
        (low, high), (point, least, most) = c.share, c.hidden
        judged_cell = f"{c.sampled} (all)" if c.census else str(c.sampled)
        rows.append([c.cls, str(c.size), judged_cell, str(c.wrong), f"{c.wrong / c.sampled:.2f} ({low:.2f}-{high:.2f})",
                     f"{point:.1f} ({least:.1f}-{most:.1f})"])  # fmt: skip
    unsampled = sorted({w.cls for w in withheld} - {c.cls for c in classes} - {VIA})
    rows += [[cls, str(sum(w.cls == cls for w in withheld)), "0", "-", "not sampled", "unknown"] for cls in unsampled]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for r in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(r, widths, strict=True)).rstrip())
    population = sum(w.cls != VIA for w in withheld)
    point = sum(c.hidden[0] for c in classes)
    least, most = sum(c.hidden[1] for c in classes), sum(c.hidden[2] for c in classes)
    print(f"\njudged {len(judged)}, withheld-wrong {sum(j.wrong for j in judged)}; estimated hidden true alarms in "
          f"the {population} non-via withheld entries: {point:.0f} (per-class 95% ranges summed: "
          f"{least:.0f}-{most:.0f}, a conservative band: 2 to 10 entries a class cannot say more)")  # fmt: skip
    drawn = [c for c in classes if not c.census]
    if drawn:
        wrong, n, size = sum(c.wrong for c in drawn), sum(c.sampled for c in drawn), sum(c.size for c in drawn)
        low, high = wilson(wrong, n)
        print(f"sampled classes pooled: {wrong} wrong of {n} judged; 95% share {low:.2f}-{high:.2f}, i.e. at most "
              f"{size * high:.0f} of their {size} entries (rough: pools classes sampled at unequal rates)")  # fmt: skip
    present = {(w.repo.name, w.key) for w in withheld}
    gone = [j for j in judged if (j.repo, j.key) not in present]
    if gone:
        print(f"judged entries no longer withheld (now an alarm, or not reported): {len(gone)}")
        for j in gone:
            print(f"  {j.repo} {j.key} [{j.cls}, {j.verdict}]")
    for j in judged:
        if j.wrong:
            print(f"  WRONG {j.repo} {j.key} [{j.cls}]: {j.why}")


def print_draw(sample: Sequence[Withheld], seed: int, engine: str) -> None:
    """The sample as withheld.toml entries, for a judge to fill ``verdict`` in."""
    print(f'[sample]\nseed = {seed}\nsize = {len(sample)}\nengine = "{engine}"\n')
    for w in sample:
        print(f'[[entry]]\nrepo = "{w.repo.name}"\nkey = "{w.key}"\nclass = "{w.cls}"')
        print(f'evidence = {json.dumps(w.evidence)}\nhow = {json.dumps(w.how)}\nverdict = ""\n')


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("trees", type=Path, help="folder holding <owner>+<name> trees (layout.py)")
    parser.add_argument("--judged", type=Path, default=HERE / "withheld.toml", help="the judged sample")
    parser.add_argument("--verdicts", type=Path, default=HERE / "verdicts.toml")
    parser.add_argument("--batch", type=int, help="only this set (repos.toml `batch`; 0 = the tuned set)")
    parser.add_argument("--only", action="append", default=[], help="owner/name to run (repeatable)")
    parser.add_argument("--summary", action="store_true", help="counts and estimate only, not every entry")
    parser.add_argument("--draw", action="store_true", help="print the stratified sample (withheld.toml skeleton)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--size", type=int, default=SAMPLE_SIZE)
    parser.add_argument("--engine", default="main", help="what --draw records as the engine it ran (a commit)")
    parser.add_argument("--cache", type=Path, help="keep each report in CACHE/<owner>+<name>.json; reuse it if there")
    parser.add_argument("--jobs", type=int, default=2, help="checks run at once")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    repos = [
        r
        for r in load_repos()
        if r.batch != HELD_OUT_BATCH
        and (args.batch is None or r.batch == args.batch)
        and (not args.only or r.name in args.only)
    ]
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        reports = list(pool.map(lambda repo: report_of(repo, args.trees, args.cache), repos))
    withheld: list[Withheld] = []
    alarms = 0
    for repo, report in zip(repos, reports, strict=True):
        if isinstance(report, str):
            print(f"CRASH {repo.name}: {report}")
        else:
            withheld += withheld_of(repo, report)
            alarms += len(alarms_of(report)[0])
    if args.draw:
        print_draw(draw(withheld, args.size, args.seed), args.seed, args.engine)
        return 0
    sets = sorted({set_name(r) for r in repos}, key=lambda s: (s != "tuned", s))
    if not args.summary:
        print_list(withheld)
        print()
    print(f"withheld entries (not alarms) by class and set, offline, {len(repos)} repositories ({alarms} alarms):")
    print_counts(withheld, sets)
    print_judged_true(withheld, args.verdicts)
    sample, judged = load_judged(args.judged)
    judged = [j for j in judged if j.repo in {r.name for r in repos}]  # --batch, --only: the sample of those run
    if judged:
        print_estimate(withheld, judged, sample)
    return 0


if __name__ == "__main__":
    sys.exit(main())
