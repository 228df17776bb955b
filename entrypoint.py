"""Container entrypoint of the pipreqs-action Docker action (see action.yml).

The runner starts the image with the workspace mounted at /github/workspace and every input in an
``INPUT_<NAME>`` variable, hyphens kept (``INPUT_GITHUB-TOKEN``); a POSIX shell drops such names, which is why
this is Python in exec form and not an ``entrypoint.sh``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from pipreqs_action.action import main

TOKEN_INPUT = "INPUT_GITHUB-TOKEN"  # noqa: S105 (the name of a variable, not a secret)


def runner_env(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment the action reads. A step `uses: docker://ghcr.io/...` skips action.yml, so the
    `github-token` input has no `${{ github.token }}` default there: an empty input then falls back to a
    ``GITHUB_TOKEN`` variable (``env: GITHUB_TOKEN: ${{ github.token }}``), the convention most actions follow."""
    env = dict(environ)
    if not env.get(TOKEN_INPUT) and env.get("GITHUB_TOKEN"):
        env[TOKEN_INPUT] = env["GITHUB_TOKEN"]
    return env


if __name__ == "__main__":
    sys.exit(main(runner_env(os.environ), own_process=True))
