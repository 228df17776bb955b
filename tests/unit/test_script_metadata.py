"""PEP 723 inline script metadata (script_metadata): read as the specification reads it, declared for its script."""

from __future__ import annotations

import pytest

from pipreqs_action import script_metadata
from pipreqs_action.model import Declared, DeclaredBy, Location, ScriptMetadata, Skipped

BLOCK = """#!/usr/bin/env python3
# /// script
# requires-python = ">=3.11"
# dependencies = [
#   "accelerate>=0.20",
#
#   'wandb; sys_platform != "win32"',
# ]
# [tool.uv]
# exclude-newer = "2024-01-01T00:00:00Z"
# ///
import accelerate
"""


def test_the_block_declares_its_dependencies_each_at_its_line() -> None:
    found = script_metadata.read(BLOCK, "train.py")
    assert found is not None
    assert (found.path, found.line, found.requires_python, found.unusable) == ("train.py", 2, ">=3.11", "")
    assert [(req.key, req.specifier, req.marker, req.location) for req in found.requirements] == [
        ("accelerate", ">=0.20", "", Location("train.py", 5)),
        ("wandb", "", 'sys_platform != "win32"', Location("train.py", 7)),
    ]


def test_windows_line_ends_are_read_like_unix_ones() -> None:
    found = script_metadata.read(BLOCK.replace("\n", "\r\n"), "train.py")
    assert found is not None and [req.key for req in found.requirements] == ["accelerate", "wandb"]


@pytest.mark.parametrize(
    "text",
    [
        "import os\n",
        "# /// pyproject\n# [project]\n# dependencies = ['x']\n# ///\n",  # another block type
        "# /// script\n# dependencies = ['x']\n",  # never closed
        "# /// script\n#dependencies = ['x']\n# ///\n",  # a content line must be '#' alone or '# ' and text
        "x = 1  # /// script\n",
    ],
)
def test_text_that_is_no_script_block_declares_nothing(text: str) -> None:
    assert script_metadata.read(text, "x.py") is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("# /// script\n# dependencies = ['x'\n# ///\n", "not valid TOML (Unclosed array (at end of document))"),
        ("# /// script\n# dependencies = 'x'\n# ///\n", "'dependencies' is not a list of strings"),
        (
            "# /// script\n# dependencies = []\n# ///\nimport os\n# /// script\n# dependencies = []\n# ///\n",
            "2 '# /// script' blocks; PEP 723 allows one",
        ),
    ],
)
def test_a_block_that_cannot_be_read_says_why_and_declares_nothing(text: str, reason: str) -> None:
    found = script_metadata.read("import x\n\n" + text, "job.py")
    assert found == ScriptMetadata("job.py", 3, unusable=reason)


def test_an_entry_that_is_not_pep_508_is_a_problem_at_its_line_and_the_others_count() -> None:
    found = script_metadata.read("# /// script\n# dependencies = [\n#  'click',\n#  'no good!',\n# ]\n# ///\n", "a.py")
    assert found is not None
    assert [req.key for req in found.requirements] == ["click"]
    assert [problem.path for problem in found.problems] == ["a.py:4"]


def test_declared_for_the_script_alone_with_warnings_and_problems_and_not_for_sub_projects() -> None:
    good = script_metadata.read(BLOCK, "train.py")
    broken = ScriptMetadata("tools/job.py", 2, unusable="not valid TOML (x)")
    bad_entry = ScriptMetadata("tools/ok.py", 1, problems=(Skipped("tools/ok.py:2", "'no good!': x"),))
    nested = ScriptMetadata("services/api/run.py", 1)
    assert good is not None
    declared = script_metadata.declare(Declared(requirements=()), [good, broken, bad_entry, nested], ["services/api"])

    assert declared.requirements == ()  # nothing is declared for the project
    assert [script.path for script in declared.scripts] == ["train.py", "tools/job.py", "tools/ok.py"]
    assert declared.warnings == ("tools/job.py:2: inline script metadata not read: not valid TOML (x)",)
    assert declared.problems == (Skipped("tools/ok.py:2", "'no good!': x"),)
    assert script_metadata.contributions(declared) == (
        DeclaredBy("train.py", "inline script metadata", 2),
        DeclaredBy("tools/ok.py", "inline script metadata", 0),
    )
    assert list(script_metadata.requires_python(declared.scripts)) == ["train.py"]
