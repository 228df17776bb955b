"""Container entrypoint of the pipreqs-action Docker action (see action.yml).

The runner starts the image with the workspace mounted at /github/workspace and every input in an
``INPUT_<NAME>`` variable, hyphens kept (``INPUT_GITHUB-TOKEN``); a POSIX shell drops such names, which is why
this is Python in exec form and not an ``entrypoint.sh``. ``serve`` as the first argument runs the HTTP API
instead (the action is never given arguments).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from pipreqs_action.extras import missing_message

TOKEN_INPUT = "INPUT_GITHUB-TOKEN"  # noqa: S105 (the name of a variable, not a secret)


def runner_env(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment the action reads. A step `uses: docker://ghcr.io/...` skips action.yml, so the
    `github-token` input has no `${{ github.token }}` default there: an empty input then falls back to a
    ``GITHUB_TOKEN`` variable (``env: GITHUB_TOKEN: ${{ github.token }}``), the convention most actions follow."""
    env = dict(environ)
    if not env.get(TOKEN_INPUT) and env.get("GITHUB_TOKEN"):
        env[TOKEN_INPUT] = env["GITHUB_TOKEN"]
    return env


def run(environ: Mapping[str, str]) -> int:
    """The step, or one error line when the image (or a venv) lacks the Action's extra (``[action]``)."""
    problem = missing_message("action", "The GitHub Action")
    if problem:
        print(f"::error::{problem}")
        return 1
    from pipreqs_action.action import main

    return main(runner_env(environ), own_process=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:  # the same image runs the HTTP API: `docker run IMAGE serve --host 0.0.0.0`
        from pipreqs_action.cli import main as cli_main

        sys.exit(cli_main(sys.argv[1:]))
    sys.exit(run(os.environ))
