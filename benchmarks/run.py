"""Whole-process speed and memory of ``pipreqs-action check`` next to pipreqs and deptry, on one real tree.

    python benchmarks/run.py TREE...             # any directories, for example unpacked sdists
    python benchmarks/run.py --fetch-sympy --fetch-flask   # pip-download these sdists once, then measure them
    python benchmarks/run.py --declared          # only: no alarm on what sympy (setup.py) and flask (groups) declare

Every number is a whole process, started fresh the way a user or CI starts it, so interpreter start-up,
imports and output count. Each run happens inside a small wrapper process whose ``RUSAGE_CHILDREN`` peak is
that run's alone (the peak of the largest process the tool started, not the sum of a pool's workers).
It prints figures and checks one fact, never asserts timings: this is not a test (machines differ).

Beside the timings it shows that the fast import scan finds exactly the import names of a full ``ast``
parse of every file we scan (not timed), that a virtualenv inside the checked tree costs us nothing while
pipreqs reads it, how long a small app takes, what ``pip install`` costs and whether a first run waits
(``install.py``), and the image's size and build time where podman is installed (``image.py``); a summary
puts them side by side at the end.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE_APP = REPO / "examples" / "sample-app"
SYMPY = "sympy==1.14.0"
FLASK = "flask==3.1.1"
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "pipreqs-action-bench"
MIB = 1024 * 1024

# Runs one command and reports its own children's usage: a fresh process per run, so peaks do not carry over.
_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime  # KiB on Linux; CPU of the tool and its helpers
tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_kib": peak, "rc": done.returncode, "tail": tail[0][:200]}))
"""


@dataclass(frozen=True)
class Tool:
    """One command line to time; ``ok`` says which exit codes mean it did its job (deptry exits 1 on findings)."""

    name: str
    argv: tuple[str, ...]
    ok: frozenset[int]
    cwd: str | None = None  # deptry reads its manifests from the working directory, not from the tree it is given


@dataclass(frozen=True)
class Result:
    """Median wall time and the highest peak over the runs, or why the tool failed."""

    tool: str
    seconds: float | None
    cpu: float | None
    peak_mib: float | None
    runs: int
    error: str = ""


# --------------------------------------------------------------------------------------------- tools


def _executable(name: str) -> str | None:
    """Prefer the tool installed beside this interpreter (the project's venv), then PATH."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


def tools(tree: Path) -> list[Tool]:
    """The three commands, each as its users run it to list a tree's third-party imports."""
    found: list[Tool] = []
    ours = _executable("pipreqs-action")
    if ours:
        argv = (ours, "check", str(tree), "--offline", "--mode", "no-pin", "--format", "json", "--fail-on", "never")
        found.append(Tool("pipreqs-action", argv, frozenset({0})))
    pipreqs = _executable("pipreqs")
    if pipreqs:
        found.append(
            Tool("pipreqs", (pipreqs, "--print", "--mode", "no-pin", "--use-local", str(tree)), frozenset({0}))
        )
    deptry = _executable("deptry")
    if deptry:
        argv = (deptry, "--no-ansi", ".", *_deptry_declarations(tree))
        found.append(Tool("deptry", argv, frozenset({0, 1}), cwd=str(tree)))  # run from outside, it reads our manifests
    return found


def _deptry_declarations(tree: Path) -> tuple[str, ...]:
    """deptry reads requirements.txt and pyproject's [project], Poetry or PDM tables only, and stops at once
    without them (exit 1, like a finding): sympy declares in setup.py. There it is given an empty requirements
    file, so it scans the tree as it would for its users (every import then counts as missing)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10
        import tomli as tomllib

    try:
        pyproject = tomllib.loads((tree / "pyproject.toml").read_text("utf-8"))
    except (OSError, ValueError):
        pyproject = {}
    tool = pyproject.get("tool", {})
    if (tree / "requirements.txt").is_file() or "project" in pyproject or "poetry" in tool or "pdm" in tool:
        return ()
    empty = Path(tempfile.gettempdir(), "pipreqs-action-bench-no-requirements.txt")
    empty.write_text("", "utf-8")
    return ("--requirements-files", str(empty))


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("pipreqs-action", "pipreqs", "deptry"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} not installed")
    return ", ".join(found)


# --------------------------------------------------------------------------------------------- measuring


def run_once(tool: Tool, env: dict[str, str]) -> dict[str, object]:
    """One whole-process run inside a fresh wrapper; the wrapper's own start-up is not timed."""
    wrapper = subprocess.run(
        [sys.executable, "-I", "-c", _WRAPPER, *tool.argv],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=tool.cwd,
    )
    if wrapper.returncode != 0:
        return {"rc": -1, "tail": wrapper.stderr.strip()[-200:]}
    sample: dict[str, object] = json.loads(wrapper.stdout)
    return sample


def bytecode_env(cache: Path) -> dict[str, str]:
    """Byte-code caching on, into a private directory: installed tools run from .pyc files, and so should we.

    A development shell often sets PYTHONDONTWRITEBYTECODE, which would make every run of an editable
    install compile its own sources again (tens of milliseconds); the image byte-compiles at build time.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache / "pycache")
    return env


def measure(tools: Sequence[Tool], runs: int, env: dict[str, str]) -> list[Result]:
    """One untimed warm-up run each (byte code, page cache), then ``runs`` rounds taking the tools in turn.

    Taking turns spreads any background load over all tools instead of one. A tool that fails once is
    reported with its last stderr line and not run again.
    """
    samples: dict[str, list[dict[str, object]]] = {tool.name: [] for tool in tools}
    errors: dict[str, str] = {}
    for round_number in range(runs + 1):
        for tool in tools:
            if tool.name in errors:
                continue
            sample = run_once(tool, env)
            if sample["rc"] not in tool.ok:
                errors[tool.name] = f"exit {sample['rc']}: {sample['tail']}"
            elif round_number:
                samples[tool.name].append(sample)
    return [_result(tool.name, samples[tool.name], errors.get(tool.name, "")) for tool in tools]


def _result(name: str, samples: list[dict[str, object]], error: str) -> Result:
    if error:
        return Result(name, None, None, None, len(samples), error)
    seconds = statistics.median(float(sample["seconds"]) for sample in samples)  # type: ignore[arg-type]
    cpu = statistics.median(float(sample["cpu"]) for sample in samples)  # type: ignore[arg-type]
    peak = max(float(sample["peak_kib"]) for sample in samples) / 1024  # type: ignore[arg-type]
    return Result(name, seconds, cpu, peak, len(samples))


def _ratio(result: Result, other: Result | None) -> str:
    if result.seconds is None or other is None or not other.seconds:
        return "-"
    return f"{result.seconds / other.seconds:.2f}x"


def table(title: str, results: Sequence[Result]) -> str:
    """A plain text table: tool, median seconds, peak MiB, and the ratios to deptry and to pipreqs."""
    by_name = {result.tool: result for result in results}
    header = f"{'median s':>10}{'cpu s':>8}{'peak MiB':>10}{'vs deptry':>11}{'vs pipreqs':>12}  runs"
    lines = [title, f"  {'tool':<16}{header}"]
    for result in results:
        if result.seconds is None or result.cpu is None or result.peak_mib is None:
            lines.append(f"  {result.tool:<16}{'failed':>10}  {result.error}")
            continue
        deptry, pipreqs = _ratio(result, by_name.get("deptry")), _ratio(result, by_name.get("pipreqs"))
        figures = f"{result.seconds:>10.3f}{result.cpu:>8.3f}{result.peak_mib:>10.1f}{deptry:>11}{pipreqs:>12}"
        lines.append(f"  {result.tool:<16}{figures}  {result.runs}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------- import names


def _reference_roots(text: str) -> set[str] | None:
    """Top-level names of every absolute import in a full ``ast`` parse, or None when Python rejects the text."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.partition(".")[0])
    return names


def _difference(label: str, ours: set[str], reference: set[str]) -> str:
    if ours == reference:
        return f"  {label}: MATCH ({len(ours)} names)"
    return f"  {label}: DIFFER (only ours: {sorted(ours - reference)}; only ast: {sorted(reference - ours)})"


def check_names(tree: Path) -> str:
    """Our default (fast) scan against a plain ``ast`` walk of the same files (same discovery, same skips).

    Two views: every top-level name per file (the fast path itself), and the third-party names that
    ``scan`` reports, against the ast names passed through the same stdlib and local-module filter.
    """
    from pipreqs_action import imports, scan
    from pipreqs_action.local.local_modules import LocalModules
    from pipreqs_action.reading import files

    paths, _ = files.discover(tree)
    local, stdlib = LocalModules(paths), scan.standard_library()
    ours_all: set[str] = set()
    reference_all: set[str] = set()
    reference_third: set[str] = set()
    rejected: set[str] = set()
    for rel in paths:
        source = files.read_source(tree, rel)
        if not isinstance(source, files.SourceText):
            continue
        reference = _reference_roots(source.text)
        if reference is None:
            rejected.add(rel)
            continue
        reference_all |= {f"{rel}:{name}" for name in reference}
        reference_third |= {
            n for n in reference if n != "__future__" and n not in stdlib and not local.is_local(rel, n)
        }
        fast = imports.extract(source.text)
        ours_all |= {f"{rel}:{raw.module.partition('.')[0]}" for raw in fast if not raw.dynamic}
    scanned = {ref.root for ref in scan.scan(tree).imports if not ref.dynamic and ref.location.path not in rejected}
    return "\n".join(
        [
            f"import names ({len(paths)} files, {len(rejected)} rejected by ast.parse and left out):",
            _difference("per file, all top-level names", ours_all, reference_all),
            _difference("third-party names from scan()", scanned, reference_third),
        ]
    )


# --------------------------------------------------------------------------------------------- trees


def fetch_sympy(cache: Path) -> Path:
    """The sympy sdist, downloaded with pip (PyPI only) into ``cache`` once and unpacked there."""
    return fetch_sdist(cache, SYMPY)


def fetch_sdist(cache: Path, requirement: str) -> Path:
    """``name==version``'s sdist, downloaded with pip into ``cache`` once and unpacked there."""
    name, _, version = requirement.partition("==")
    tree = cache / f"{name}-{version}"
    if tree.is_dir():
        return tree
    cache.mkdir(parents=True, exist_ok=True)
    download = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", requirement]
    subprocess.run([*download, "-d", str(cache), "--quiet"], check=True)
    with tarfile.open(cache / f"{name}-{version}.tar.gz") as archive:
        archive.extractall(cache, filter="data")
    return tree


def _link_or_copy(source: str, target: str) -> None:
    """Hard links make a 300 MB environment in a moment; a copy where the file system refuses them."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def app_with_venv(workdir: Path) -> tuple[Path, Path, int]:
    """sample-app twice: bare, and with a real ``.venv`` holding this environment's site-packages."""
    bare, with_venv = workdir / "bare", workdir / "with-venv"
    for copy in (bare, with_venv):
        shutil.copytree(SAMPLE_APP, copy)
        (copy / "legacy.py").unlink()  # Python 2 code: pipreqs stops at it, and then shows no .venv cost
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(with_venv / ".venv")], check=True)
    site = Path(sysconfig.get_paths()["purelib"])
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    target = with_venv / ".venv" / "lib" / version / "site-packages"
    shutil.copytree(site, target, symlinks=True, dirs_exist_ok=True, copy_function=_link_or_copy)
    return bare, with_venv, sum(1 for _ in _python_files(target))


def _python_files(root: Path) -> Iterator[Path]:
    for directory, _, names in os.walk(root):
        yield from (Path(directory, name) for name in names if name.endswith(".py"))


# --------------------------------------------------------------------------------------------- declarations


def declared_section(cache: Path) -> str:
    """sympy declares in ``setup.py``, flask in ``[project]``, extras and ``[dependency-groups]`` (issue 8): an offline
    check of each must raise no alarm on a distribution it declares. Skipped, with a message, when the sdists
    cannot be downloaded (no network): this is a measuring script, never a failing test."""
    lines = ["declarations (an offline check raises no alarm on what the project declares):"]
    for wanted in (SYMPY, FLASK):
        try:
            tree = fetch_sdist(cache, wanted)
        except (subprocess.CalledProcessError, OSError, tarfile.TarError) as exc:
            lines.append(f"  {wanted}: skipped, its sdist could not be downloaded ({type(exc).__name__})")
            continue
        alarms, wrong, read = declared_alarms(tree)
        verdict = "no alarm on a declared distribution" if not wrong else f"ALARM ON DECLARED: {', '.join(wrong)}"
        lines += [f"  {wanted}: {verdict}", f"    declared in: {read}", f"    alarms: {', '.join(alarms) or 'none'}"]
    return "\n".join(lines)


def declared_alarms(tree: Path) -> tuple[list[str], list[str], str]:
    """The alarms of ``check --offline`` (missing or development-only, needed at run time, not ``via``), those naming
    a distribution the project declares anywhere (runtime, extras, groups), and what was read."""
    from packaging.utils import canonicalize_name

    from pipreqs_action.manifests import read_declared

    declared = read_declared(tree)
    keys = {req.key for req in (*declared.requirements, *declared.dev)}
    keys |= {req.key for _, group in declared.optional_groups for req in group}
    engine = _executable("pipreqs-action") or "pipreqs-action"
    done = subprocess.run([engine, "check", str(tree), "--format", "json", "--offline"], capture_output=True, text=True)
    report = json.loads(done.stdout)
    found = [*report["missing"], *report.get("dev_only", [])]
    alarms = sorted({item["package"] for item in found if not item["optional"] and not item.get("via")})
    wrong = [name for name in alarms if canonicalize_name(name) in keys]
    return alarms, wrong, ", ".join(str(item) for item in declared.declared_by)


# --------------------------------------------------------------------------------------------- sections


def large_tree_section(tree: Path, runs: int, env: dict[str, str]) -> str:
    return table(_tree_title(tree, runs), measure(tools(tree), runs, env))


def _tree_title(tree: Path, runs: int) -> str:
    count = sum(1 for _ in _python_files(tree))
    size = sum(path.stat().st_size for path in _python_files(tree)) / 1e6
    return f"{tree.name}: {count} .py files, {size:.1f} MB, median of {runs}"


def ratios_line(label: str, results: Sequence[Result]) -> str:
    """One summary line: our median seconds and peak, and the ratios to deptry and pipreqs."""
    by_name = {result.tool: result for result in results}
    ours = by_name.get("pipreqs-action")
    if ours is None or ours.seconds is None:
        return f"  {label}: pipreqs-action failed"
    ratios = f"{_ratio(ours, by_name.get('deptry'))} deptry, {_ratio(ours, by_name.get('pipreqs'))} pipreqs"
    return f"  {label}: {ours.seconds:.3f} s, {ours.peak_mib:.0f} MiB peak; {ratios}"


def venv_section(runs: int, env: dict[str, str]) -> str:
    """pipreqs reads a ``.venv`` (it skips only ``venv`` and ``env``); we and deptry prune it unread."""
    with tempfile.TemporaryDirectory(prefix="pipreqs-action-bench-") as tmp:
        bare, with_venv, inside = app_with_venv(Path(tmp))
        before = measure(tools(bare), runs, env)
        after = measure(tools(with_venv), runs, env)
    return "\n".join(
        [
            table(f"sample-app without legacy.py (pipreqs cannot parse it), median of {runs}", before),
            table(f"the same with a .venv of {inside} .py files inside, median of {runs}", after),
            "  cost of the .venv (with / without): " + ", ".join(_venv_costs(before, after)),
        ]
    )


def _venv_costs(before: Sequence[Result], after: Sequence[Result]) -> list[str]:
    costs = []
    for bare, loaded in zip(before, after, strict=True):
        if bare.seconds and loaded.seconds:
            costs.append(f"{bare.tool} {loaded.seconds / bare.seconds:.2f}x")
        else:
            costs.append(f"{bare.tool} -")
    return costs


def small_app_section(runs: int, env: dict[str, str]) -> str:
    return table(f"small app (examples/sample-app), median of {runs}", measure(tools(SAMPLE_APP), runs, env))


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else None)
    parser.add_argument("tree", nargs="*", type=Path, help="directories to scan (for example unpacked sdists)")
    parser.add_argument("--fetch-sympy", action="store_true", help=f"pip-download {SYMPY}'s sdist and use it")
    parser.add_argument("--fetch-flask", action="store_true", help=f"pip-download {FLASK}'s sdist and use it")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help=f"download cache (default {DEFAULT_CACHE})")
    parser.add_argument("--runs", type=int, default=3, help="runs per tool on the large tree (default 3)")
    parser.add_argument("--small-runs", type=int, default=10, help="runs per tool on the small app (default 10)")
    parser.add_argument("--skip-names", action="store_true", help="leave out the import-name check (a full parse)")
    parser.add_argument("--skip-venv", action="store_true", help="leave out the .venv case")
    parser.add_argument("--skip-small", action="store_true", help="leave out the small app")
    parser.add_argument("--skip-image", action="store_true", help="leave out the image build (podman only)")
    parser.add_argument("--skip-install", action="store_true", help="leave out the fresh-venv install and first run")
    parser.add_argument(
        "--declared", action="store_true", help="only check that sympy and flask get no alarm on what they declare"
    )
    args = parser.parse_args(argv)
    if not args.tree and not args.fetch_sympy and not args.fetch_flask and not args.declared:
        parser.error("give a TREE, --fetch-sympy, --fetch-flask or --declared")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    if args.declared:
        print(declared_section(args.cache), flush=True)
        return 0
    trees = [path.resolve() for path in args.tree]
    trees += [
        fetch_sdist(args.cache, wanted)
        for wanted, asked in ((FLASK, args.fetch_flask), (SYMPY, args.fetch_sympy))
        if asked
    ]
    env = bytecode_env(args.cache)
    print(f"python {sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} CPUs; {versions()}", flush=True)
    summary = ["summary:"]
    for tree in trees:
        results = measure(tools(tree), args.runs, env)
        print(table(_tree_title(tree, args.runs), results), flush=True)
        summary.append(ratios_line(tree.name, results))
        if not args.skip_names:
            print(check_names(tree), flush=True)
    if not args.skip_venv:
        print(venv_section(args.runs, env), flush=True)
    if not args.skip_small:
        results = measure(tools(SAMPLE_APP), args.small_runs, env)
        print(table(f"small app (examples/sample-app), median of {args.small_runs}", results), flush=True)
        summary.append(ratios_line("sample app", results))
    # benchmarks/ is on sys.path: the script runs from it
    if not args.skip_install:
        from install import install_section

        summary.append(install_section(REPO, SAMPLE_APP, args.small_runs))
    if not args.skip_image:
        from image import image_section

        summary.append(image_section(REPO) or "image: podman not installed, not measured")
    print("\n".join(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
