"""What an extra installs counts for the modules that need that extra, and only for them."""

from __future__ import annotations

from pathlib import Path

from pipreqs_action.pipeline import run
from pipreqs_action.render import as_dict
from pipreqs_action.settings import Settings

PYPROJECT = """[project]
name = "zq-vid"
dependencies = ["click"]

[project.optional-dependencies]
video = ["opencv-python"]
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    return root


def check(root: Path, files: dict[str, str]) -> dict:
    return as_dict(run(Settings(path=write(root, {"pyproject.toml": PYPROJECT, **files}), offline=True)))


def numpy(report: dict) -> dict:
    return next(item for item in report["missing"] if item["package"] == "numpy")


def test_a_module_needing_the_extra_gets_what_the_extra_installs(tmp_path: Path) -> None:
    report = check(tmp_path, {"zq_vid/__init__.py": "import click\nimport cv2\nimport numpy\n"})
    assert numpy(report)["via"] == ["opencv-python"] and report["in_sync"]
    assert "of the extra 'video'" in numpy(report)["reason"]


def test_a_module_needing_no_extra_keeps_the_alarm_even_if_another_module_needs_it(tmp_path: Path) -> None:
    report = check(
        tmp_path,
        {
            "zq_vid/__init__.py": "from zq_vid import core, video\n",
            "zq_vid/video.py": "import cv2\nimport numpy\n",
            "zq_vid/core.py": "import click\nimport numpy\n",  # a plain install runs this: numpy is missing
        },
    )
    assert numpy(report)["via"] == [] and not report["in_sync"]


def test_an_extra_imported_only_inside_a_function_does_not_make_the_module_need_it(tmp_path: Path) -> None:
    code = "import numpy\n\n\ndef frames():\n    import cv2\n    return cv2\n"
    report = check(tmp_path, {"zq_vid/__init__.py": code})
    assert numpy(report)["via"] == [] and not report["in_sync"]


def test_an_import_two_extras_provide_binds_the_module_to_neither(tmp_path: Path) -> None:
    """cv2 comes with the video extra (opencv-python) or the scan extra (opencv-python-headless):
    the module runs with either, so what only one of them installs is not certain to be there."""
    extras = 'video = ["opencv-python", "tqdm"]\nscan = ["opencv-python-headless"]'
    write(tmp_path, {"pyproject.toml": PYPROJECT.replace('video = ["opencv-python"]', extras)})
    code = "import cv2\nimport colorama\n"  # tqdm (video only) installs colorama on Windows
    report = as_dict(run(Settings(path=write(tmp_path, {"zq_vid/__init__.py": code}), offline=True)))
    colorama = next(item for item in report["missing"] if item["package"] == "colorama")
    assert colorama["via"] == [] and not report["in_sync"]


def test_the_extra_s_need_follows_local_imports_through_modules_that_only_need_it_too(tmp_path: Path) -> None:
    """zq_vid/video.py needs the extra; _pipeline.py is imported only by it, _frames.py only by _pipeline.py (which
    imports nothing third-party itself): both run only where the extra is installed."""
    report = check(
        tmp_path,
        {
            "zq_vid/__init__.py": "",
            "zq_vid/video.py": "import cv2\nfrom zq_vid import _pipeline\n",
            "zq_vid/_pipeline.py": "from ._frames import to_array\n",
            "zq_vid/_frames.py": "import numpy\n",
        },
    )
    assert numpy(report)["via"] == ["opencv-python"] and report["in_sync"]
    assert numpy(report)["reason"].endswith("(it is imported only by zq_vid/_pipeline.py, which needs it)")


def test_a_module_also_imported_by_one_needing_no_extra_gets_nothing_from_it(tmp_path: Path) -> None:
    report = check(
        tmp_path,
        {
            "zq_vid/__init__.py": "",
            "zq_vid/video.py": "import cv2\nfrom zq_vid import _frames\n",
            "zq_vid/cli.py": "import click\nfrom zq_vid import _frames\n",
            "zq_vid/_frames.py": "import numpy\n",
        },
    )
    assert numpy(report)["via"] == [] and not report["in_sync"]


def test_a_public_module_is_not_followed_into_its_users_may_import_it_without_the_extra(tmp_path: Path) -> None:
    """A package's ``__init__.py`` imported only by a script that needs the extra, a public module imported only by
    the module that needs it: either can be imported directly, so neither gets the extra's installs."""
    report = check(
        tmp_path,
        {
            "zq_vid/__init__.py": "from zq_vid import frames\n",
            "zq_vid/video.py": "import cv2\nfrom zq_vid import frames\n",
            "zq_vid/frames.py": "import numpy\n",
            "run.py": "import cv2\nimport zq_vid\n",
        },
    )
    assert numpy(report)["via"] == [] and not report["in_sync"]
