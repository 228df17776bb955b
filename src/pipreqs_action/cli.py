"""`pipreqs-action check PATH`: the engine on the command line. Exit 0 in sync, 1 out of sync, 2 usage error."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from pipreqs_action import __version__
from pipreqs_action.errors import PipreqsActionError
from pipreqs_action.pins import DEFAULT_INDEX_URL, MODES
from pipreqs_action.render import FORMATS, render
from pipreqs_action.settings import FAIL_ON, engine_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pipreqs-action", description="Keep requirements.txt honest.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="compare what PATH imports with what it declares")
    check.add_argument("path", nargs="?", default=".", help="project root (default: .)")
    check.add_argument(
        "--requirements",
        "-r",
        action="append",
        default=[],
        metavar="FILE",
        help="requirements file to read instead of PATH/requirements.txt (repeatable)",
    )
    check.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="gitignore-style pattern of paths to leave out (repeatable)",
    )
    check.add_argument("--mode", choices=MODES, default="pin", help="version style for added lines")
    check.add_argument("--fail-on", choices=FAIL_ON, default="missing", help="what makes the exit status 1")
    check.add_argument("--format", choices=FORMATS, default="text", dest="output_format")
    check.add_argument("--index-url", default=DEFAULT_INDEX_URL, help="PyPI JSON API base for versions")
    check.add_argument("--offline", action="store_true", help="make no network request at all")
    check.add_argument("--full-parse", action="store_true", help="parse every file completely (slower)")
    check.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="IMPORT=DIST",
        dest="overrides",
        help="the distribution that provides an import name (repeatable)",
    )
    check.add_argument("--debug", action="store_true", help="log progress and show tracebacks")
    serve = commands.add_parser("serve", help="run the HTTP API (GET /pipreqs?code_url=...)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG
        if getattr(args, "debug", False)
        else (logging.INFO if args.command == "serve" else logging.WARNING),
        format="pipreqs-action: %(levelname)s: %(message)s",
    )
    try:
        if args.command == "serve":
            from pipreqs_action.server import serve  # only the server needs it

            serve(args.host, args.port)
            return 0
        return _check(args)
    except PipreqsActionError as error:
        print(f"pipreqs-action: error: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # a strange repository must never produce a traceback
        if args.debug:
            raise
        print(f"pipreqs-action: internal error: {type(error).__name__}: {error} (rerun with --debug)", file=sys.stderr)
        return 2


def _check(args: argparse.Namespace) -> int:
    from pipreqs_action import pipeline  # keeps `--help` instant

    settings = engine_settings(
        path=args.path,
        requirements=[Path(item).absolute() for item in args.requirements],  # relative to the cwd, as users expect
        exclude=args.exclude,
        mode=args.mode,
        fail_on=args.fail_on,
        index_url=args.index_url,
        offline=args.offline,
        output_format=args.output_format,
        full_parse=args.full_parse,
        overrides=args.overrides,
    )
    report = pipeline.run(settings)
    sys.stdout.write(render(report, settings.output_format))
    return pipeline.exit_status(report, settings.fail_on)


if __name__ == "__main__":
    sys.exit(main())
