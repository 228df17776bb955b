"""The container scenarios run only when an image is given (run_container_test.py gives one).

A plain ``pytest`` run leaves ``test_container_action.py`` out, since it needs a container engine and a built
image; naming the file explicitly without an image fails (see its ``image`` fixture) rather than skipping.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

IMAGE_ENV = "PIPREQS_ACTION_CONTAINER_IMAGE"
SCENARIOS = "test_container_action.py"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if collection_path.name != SCENARIOS or os.environ.get(IMAGE_ENV):
        return None
    named = {Path(str(arg).split("::")[0]).resolve() for arg in config.args}
    return None if collection_path.resolve() in named else True
