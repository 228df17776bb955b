"""Container entrypoint of the pipreqs-action Docker action (see action.yml).

The runner starts the image with the workspace mounted at /github/workspace and every input in an
``INPUT_<NAME>`` variable, hyphens kept (``INPUT_GITHUB-TOKEN``); a POSIX shell drops such names, which is why
this is Python in exec form and not an ``entrypoint.sh``.
"""

from __future__ import annotations

import sys

from pipreqs_action.action import main

if __name__ == "__main__":
    sys.exit(main())
