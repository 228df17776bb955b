"""Regenerate the example issue and job summary in README.md from the code itself (never written by hand).

Usage: python scripts/render_example.py          # rewrite the block between the markers in README.md
       python scripts/render_example.py --check  # exit 1 if README.md is out of date (run by the tests)
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipreqs_action import pipeline, render
from pipreqs_action.settings import engine_settings

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- example:start -->", "<!-- example:end -->"
LINKS = render.Links("https://github.com", "octo-org/sample-app", "4f9c2b1e0d8a7c6b5a4f3e2d1c0b9a8f7e6d5c4b")


def example() -> str:
    settings = engine_settings(path=ROOT / "examples" / "sample-app", offline=True, mode="no-pin")
    body = render.issue_body(pipeline.run(settings), LINKS)
    return f"{START}\n````markdown\n{body}````\n{END}"


def main(argv: list[str]) -> int:
    readme = ROOT / "README.md"
    text = readme.read_text("utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    updated = f"{head}{example()}{tail}"
    if "--check" in argv:
        return 0 if updated == text else 1
    readme.write_text(updated, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
