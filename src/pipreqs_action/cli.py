"""`pipreqs-action check PATH`: the engine on the command line. Exit 0 in sync, 1 out of sync, 2 usage error.

Start-up stays fast: only argparse and the small modules are imported here; the engine, the server and the
annotation writer are imported by the command that needs them.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, cast

from pipreqs_action import __version__
from pipreqs_action.errors import PipreqsActionError
from pipreqs_action.limits import DEFAULT_LIMITS, cap_process_memory, parse_limits, stop_process_after
from pipreqs_action.pins import DEFAULT_INDEX_URL, MODES
from pipreqs_action.render import FORMATS, headline, render
from pipreqs_action.settings import FAIL_ON, Settings, engine_settings
from pipreqs_action.terminal import COLORS, EscapingFormatter, StatusLine, escape_controls, paint, wants_color

if TYPE_CHECKING:
    from pipreqs_action.model import Report

log = logging.getLogger("pipreqs_action.cli")

_LOG_FORMAT = "pipreqs-action: %(levelname)s: %(message)s"
_EPILOG = """\
exit status:
  0  in sync (or --exit-zero, or --fail-on never)
  1  out of sync by --fail-on: a package the code needs is not declared (missing), or any finding (any)
  2  usage error: a bad option, a bad configuration file, a path that cannot be read

configuration:
  [tool.pipreqs-action] in PATH/pyproject.toml, else PATH/pipreqs-action.toml or PATH/.pipreqs-action.toml;
  keys: ignore-missing, ignore-unused, map, first-party, exclude, secondary, app, fail-on.
  Options given here win over the file. "import x  # pipreqs-action: ignore" silences one import.

examples:
  pipreqs-action check .
  pipreqs-action check src/app --format json --output report.json
  pipreqs-action check . --format github --exit-zero      # annotations in a workflow step
  pipreqs-action explain cv2 .
"""


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Each option's real default after its help, and the epilog (exit codes, examples) kept as written.

    argparse makes a formatter for every option it adds (to check its metavar), and each asked the terminal its
    width: it is asked once a process.
    """

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
    ) -> None:
        super().__init__(prog, indent_increment, max_help_position, width if width is not None else _columns() - 2)

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "default" in text or action.default in (None, False, [], argparse.SUPPRESS):
            return text
        return f"{text} (default: %(default)s)"


@functools.cache
def _columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` tells it (``COLUMNS``, else the terminal, else 80), without
    importing ``shutil`` for it (and the compression modules it loads as it is imported)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):  # no stdout (None), a closed one, not a terminal
            columns = 0
    return columns or 80


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; given the ``command`` asked for, only that subcommand's (building the others'
    options is wasted start-up for a check)."""
    parser = argparse.ArgumentParser(
        prog="pipreqs-action",
        description="Keep requirements.txt honest: compare what a project imports with what it declares.",
        epilog=_EPILOG,
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("-V", "--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{check,explain,serve}")
    for name, add in (("check", _add_check), ("explain", _add_explain), ("serve", _add_serve)):
        if command in (None, name):
            add(commands)
    return parser


def _add_check(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser(
        "check",
        help="compare what PATH imports with what it declares",
        description="Compare what PATH imports with what it declares.",
        epilog=_EPILOG,
        formatter_class=_HelpFormatter,
    )
    check.add_argument("path", nargs="?", default=".", help="project root")
    check.add_argument(
        "-r",
        "--requirements",
        action="append",
        default=[],
        metavar="FILE",
        help="requirements file to read instead of PATH/requirements.txt (repeatable; default: PATH/requirements.txt,"
        " else PATH/pyproject.toml)",
    )
    check.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="gitignore-style pattern to leave out (repeatable)",
    )
    check.add_argument("--config", metavar="FILE", help="configuration file (default: found under PATH, see below)")
    check.add_argument("--mode", choices=MODES, default="pin", help="version style for added lines")
    check.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default=None,
        help="what makes the exit status 1 (default: the configuration's fail-on, else missing)",
    )
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when out of sync (errors still exit 2)")
    check.add_argument(
        "--format",
        choices=(*FORMATS, "github"),
        default="text",
        dest="output_format",
        help="report format; github: the Action's ::warning annotations",
    )
    check.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument(
        "-q", "--quiet", action="store_true", help="text: only the verdict when out of sync, else nothing"
    )
    check.add_argument("--color", choices=COLORS, default="auto", help="colour the text report (NO_COLOR, FORCE_COLOR)")
    _add_index_options(check)
    check.add_argument("--full-parse", action="store_true", help="parse every file completely (slower)")
    check.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="IMPORT=DIST",
        dest="overrides",
        help="the distribution that provides an import name (repeatable)",
    )
    check.add_argument(
        "--timeout",
        metavar="SECONDS",
        default=None,
        help=f"stop a check that runs longer, with exit status 2 (default: {DEFAULT_LIMITS.seconds:g})",
    )
    check.add_argument(
        "--max-memory",
        metavar="MB",
        default=None,
        help=f"memory the check may use, in MB (default: {DEFAULT_LIMITS.memory_mb})",
    )
    check.add_argument("--debug", action="store_true", help="log progress and show tracebacks")


def _add_index_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--index-url",
        default=None,
        help="package index for versions: a PyPI JSON API or a PEP 503/691 simple index (default: PIP_INDEX_URL, "
        f"pip.conf's index-url, else {DEFAULT_INDEX_URL})",
    )
    parser.add_argument("--offline", action="store_true", help="make no network request at all")


def _add_explain(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    explain = commands.add_parser(
        "explain",
        help="say which distribution an import maps to, and why",
        description="Say which distribution provides IMPORT, why (data source, rule or configuration), and the "
        "other candidates. PATH's configuration ([tool.pipreqs-action] map) is taken into account.",
        formatter_class=_HelpFormatter,
    )
    explain.add_argument("module", metavar="IMPORT", help="an import name, dotted for namespace packages")
    explain.add_argument("path", nargs="?", default=".", help="project root whose configuration applies")
    explain.add_argument("--config", metavar="FILE", help="configuration file (default: found under PATH)")
    explain.add_argument("--map", action="append", default=[], metavar="IMPORT=DIST", dest="overrides")
    explain.add_argument("--debug", action="store_true", help="log progress and show tracebacks")


def _add_serve(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser(
        "serve",
        help="run the HTTP API and web page (needs the server extra)",
        description="Serve GET /pipreqs?code_url=..., GET /check?code_url=..., the page at / and OpenAPI at /docs.",
        formatter_class=_HelpFormatter,
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (0: any free port)")
    serve.add_argument("--server-url", default="https://github.com", help="GitHub whose owner/name code_urls name")
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="HOST",
        help="host code_urls may name (repeatable; replaces the default github.com, gitlab.com, bitbucket.org, "
        "codeberg.org; a host named here is trusted whatever address it resolves to)",
    )
    serve.add_argument("--allow-http", action="store_true", help="also accept http:// for allowed hosts (testing)")
    serve.add_argument(
        "--allow-http-host", action="append", default=[], metavar="HOST", help="same as --allow-host HOST --allow-http"
    )
    serve.add_argument("--clone-timeout", type=float, default=120.0, metavar="SECONDS", help="limit per clone")
    serve.add_argument("--scan-timeout", type=float, default=60.0, metavar="SECONDS", help="limit per scan of a clone")
    serve.add_argument("--max-clones", type=int, default=4, metavar="N", help="clones running at once")
    serve.add_argument("--max-queue", type=int, default=64, metavar="N", help="clones waiting; past it: 503")
    serve.add_argument("--cache-ttl", type=float, default=300.0, metavar="SECONDS", help="keep an answer this long")
    serve.add_argument(
        "--recheck-after",
        type=_number_from(0.0),
        default=10.0,
        metavar="SECONDS",
        help="a kept answer for a branch or tag older than this is served only if the ref has not moved (0: always "
        "ask the host)",
    )
    serve.add_argument(
        "--max-memory",
        type=_number_from(64, whole=True),
        default=1024,
        metavar="MB",
        help="memory one request's scans may use, and each git process of its clone",
    )
    serve.add_argument(
        "--workers", type=int, default=1, metavar="N", help="processes sharing the port (each: own cache)"
    )
    _add_index_options(serve)
    serve.add_argument("--debug", action="store_true", help="log every step")


def run() -> NoReturn:
    """The ``pipreqs-action`` console script: ``main``, then the process ends without Python's teardown.

    WHY: at exit Python frees every module and runs a last garbage collection, about 5 % of a small check's
    instructions (mypy skips it the same way, its ``--fast-exit``). Nothing is left to do by then: the report is
    written, forked helpers are reaped, temporary folders are removed by their ``with`` blocks. Only ``check``
    ends so; its output is flushed first, and should that fail (a closed pipe) the ordinary exit reports it.
    """
    status = main()
    if sys.argv[1:2] != ["check"]:  # the server, and the rest, end the ordinary way (multiprocessing cleans up)
        sys.exit(status)
    logging.shutdown()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(status)
    os._exit(status)


def _number_from(least: float, *, whole: bool = False) -> Callable[[str], float]:
    """An option's parser: a finite number no smaller than ``least`` (argparse names the option when it is not)."""

    def parse(text: str) -> float:
        try:
            number = int(text) if whole else float(text)
        except ValueError:
            kind = "a whole number" if whole else "a number"
            raise argparse.ArgumentTypeError(f"expected {kind}, got {text[:40]!r}") from None
        if not least <= number < float("inf"):
            raise argparse.ArgumentTypeError(f"expected at least {least:g}, got {text[:40]!r}")
        return number

    return parse


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    asked = arguments[0] if arguments and arguments[0] in ("check", "explain", "serve") else None
    args = _parser(asked).parse_args(arguments)
    debug = getattr(args, "debug", False)
    level = logging.DEBUG if debug else (logging.INFO if args.command == "serve" else logging.WARNING)
    logging.basicConfig(level=level, format=_LOG_FORMAT)
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)  # a status line may lower the package's level; the log keeps its own
        if getattr(handler.formatter, "_fmt", None) == _LOG_FORMAT:  # ours: names from the tree, escaped
            handler.setFormatter(EscapingFormatter(_LOG_FORMAT))
    try:
        if args.command == "serve":
            return _serve(args, os.environ)
        if args.command == "explain":
            return _explain(args)
        return _check(args, os.environ, own_process=argv is None)
    except PipreqsActionError as error:
        print(f"pipreqs-action: error: {escape_controls(str(error))}", file=sys.stderr)
        return 2
    except Exception as error:  # a strange repository must never produce a traceback
        if debug:
            raise
        detail = escape_controls(f"{type(error).__name__}: {error}")
        print(f"pipreqs-action: internal error: {detail} (rerun with --debug)", file=sys.stderr)
        return 2


def _check(args: argparse.Namespace, env: Mapping[str, str], *, own_process: bool = False) -> int:
    """``own_process``: the command line's own process (not a caller's ``main([...])``), whose memory is capped and
    which a watchdog ends should the check outlive its deadline."""
    from pipreqs_action import pipeline  # keeps `--help` instant

    github = args.output_format == "github"
    if github:
        from pipreqs_action.extras import require

        require("action", "--format github")  # before the check: its writer is the Action's
    limits = parse_limits(seconds=args.timeout, memory_mb=args.max_memory)
    if own_process:
        cap_process_memory(limits.memory_mb)
    settings = engine_settings(
        path=args.path,
        requirements=[Path(item).absolute() for item in args.requirements],  # relative to the cwd, as users expect
        exclude=args.exclude,
        mode=args.mode,
        fail_on=args.fail_on,
        index_url=_index_url(args, env),  # first: it may turn version lookups off
        offline=args.offline,
        output_format="text" if github else args.output_format,
        full_parse=args.full_parse,
        overrides=args.overrides,
        config=args.config,
        limits=limits,
    )
    with (
        stop_process_after(limits.seconds) if own_process else contextlib.nullcontext(),
        StatusLine(sys.stderr, f"checking {settings.path} ...", enabled=not args.quiet),
    ):
        report = pipeline.run(settings)
        if settings.exclude:
            _warn_unmatched_excludes(settings)
    text = _format(report, settings, args, env)
    _write(text, args.output)
    status = pipeline.exit_status(report, settings.fail_on)
    return 0 if args.exit_zero else status


def _index_url(args: argparse.Namespace, env: Mapping[str, str]) -> str:
    """--index-url, else pip's own configuration (PIP_INDEX_URL, pip.conf), else PyPI.

    pip also takes a local folder (``file:///srv/simple``) as its index; versions are only looked up over http(s),
    and a private index must never mean asking public PyPI instead, so such a run looks no versions up. An offline
    check asks no index at all, so pip's configuration files are not read (``configparser`` and a parse of each
    file were about 2 % of a small check's instructions).
    """
    if args.index_url:
        return cast(str, args.index_url)
    if getattr(args, "offline", False):
        return DEFAULT_INDEX_URL
    from pipreqs_action.pipconf import pip_index_url

    configured = pip_index_url(env)
    if configured and not configured.lower().startswith(("http://", "https://")):
        log.warning("pip's index-url is not an http(s) URL: no versions are looked up (pass --index-url to choose)")
        args.offline = True
        return DEFAULT_INDEX_URL
    return configured or DEFAULT_INDEX_URL


def _warn_unmatched_excludes(settings: Settings) -> None:
    from pipreqs_action.excludes import unmatched_excludes

    for pattern in unmatched_excludes(settings.path, settings.exclude):
        log.warning("exclude pattern %r matched no file", pattern)


def _format(report: Report, settings: Settings, args: argparse.Namespace, env: Mapping[str, str]) -> str:
    if args.output_format == "github":
        from pipreqs_action.github.workflow_annotations import to_github

        return to_github(report, _repository_prefix(settings.path))
    if settings.output_format != "text":
        return render(report, settings.output_format)
    if args.quiet:
        return "" if report.in_sync else headline(report) + "\n"
    text = render(report, "text")
    colored = wants_color(args.color, sys.stdout, env) and not (args.output and args.color == "auto")
    return paint(text, in_sync=report.in_sync) if colored else text


def _repository_prefix(path: Path) -> str:
    """Where the checked folder sits relative to the working directory (the repository root in a workflow)."""
    try:
        relative = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return ""
    return relative.as_posix() if relative.parts else ""


def _write(text: str, output: str | None) -> None:
    if not output:
        sys.stdout.write(text)
        return
    from pipreqs_action.errors import SettingsError

    try:
        Path(output).write_text(text, "utf-8")
    except OSError as error:
        raise SettingsError(f"output: cannot write {output!r} ({error.strerror or error})") from None


def _explain(args: argparse.Namespace) -> int:
    from pipreqs_action.explain import explain, render_explanation

    settings = engine_settings(path=args.path, overrides=args.overrides, config=args.config, offline=True)
    sys.stdout.write(render_explanation(explain(args.module, settings)))
    return 0


def _serve(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from pipreqs_action.errors import SettingsError
    from pipreqs_action.server.options import from_args  # only the server needs these

    try:
        from pipreqs_action.server.http import serve
    except ImportError as error:  # starlette or uvicorn missing
        extra = "pip install 'pipreqs-action[server]'"
        raise SettingsError(f"serve needs the server extra: {extra} ({error.name} is missing)") from None
    try:
        serve(args.host, args.port, from_args(args, _index_url(args, env)), workers=args.workers)
    except KeyboardInterrupt:  # Ctrl-C: uvicorn has stopped (requests answered, clones removed) and passes it on
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
