from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_example_is_what_the_code_renders_today() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "render_example.py"), "--check"], capture_output=True, check=False
    )
    assert result.returncode == 0, "README example is stale: run python scripts/render_example.py"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    quick_start = re.search(r"## Quick start.*?```sh\n(.*?)```", readme, re.DOTALL)
    assert quick_start is not None
    commands = quick_start.group(1).strip().splitlines()
    assert len(commands) == 2
    assert commands[1] == "bash scripts/test"
    assert "bash scripts/test" in (ROOT / ".ci" / "run").read_text("utf-8")
    assert "pipreqs-action check examples/sample-app" in commands[0]
