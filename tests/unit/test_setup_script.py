"""A file named setup.py is a manifest only when it is a packaging script (``manifests.setup_script``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipreqs_action.errors import RequirementsError
from pipreqs_action.manifests import read_declared
from pipreqs_action.manifests.setup_script import NOT_A_PACKAGING_SCRIPT, is_packaging_script, packaging_markers

PACKAGING_SCRIPTS = {
    "setuptools": "from setuptools import setup\nsetup()\n",
    "setuptools module": "import setuptools\nsetuptools.setup(name='x')\n",
    "distutils": "from distutils.core import setup\nsetup(name='x')\n",
    "numpy distutils": "from numpy.distutils.core import setup\nsetup(configuration=configuration)\n",
    "scikit-build": "from skbuild import setup\nsetup()\n",
    "keywords without an import": "setup(name='x', install_requires=['requests'])\n",
    "metadata unpacked": "from mybuild import setup\nsetup(**metadata)\n",
    "unparseable (the reader says why)": "setup(name=\n",
}
MODULES = {
    "an argument parser calling the package's own setup": (
        "import argparse\nfrom mypkg.utils.config import setup\n\ndef run(args):\n    return setup(args)\n"
    ),
    "a bot extension defining setup": "async def setup(bot):\n    await bot.add_cog(Cog(bot))\n",
    "a settings module": "DEBUG = True\n",
    "a local setup function called with a positional argument": "def setup(app):\n    pass\n\nsetup(None)\n",
}


@pytest.mark.parametrize("text", PACKAGING_SCRIPTS.values(), ids=PACKAGING_SCRIPTS.keys())
def test_a_setup_py_calling_setup_of_a_build_tool_or_with_distribution_keywords_is_a_packaging_script(text):
    assert is_packaging_script(text)


@pytest.mark.parametrize("text", MODULES.values(), ids=MODULES.keys())
def test_a_module_named_setup_py_is_no_packaging_script(text):
    assert not is_packaging_script(text)


def test_the_layout_markers_keep_every_manifest_but_a_module_named_setup_py(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "eval").mkdir(parents=True)
    (tmp_path / "setup.py").write_text(PACKAGING_SCRIPTS["setuptools"])
    (tmp_path / "pkg" / "eval" / "setup.py").write_text(MODULES["an argument parser calling the package's own setup"])
    markers = ("LICENSE", "pkg/eval/setup.py", "requirements.txt", "setup.py")

    assert packaging_markers(tmp_path, markers) == ("LICENSE", "requirements.txt", "setup.py")


def test_a_folder_whose_only_setup_py_is_a_module_declares_nothing_and_is_no_project(tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_text(MODULES["an argument parser calling the package's own setup"])
    (tmp_path / "requirements.txt").write_text("numpy\n")

    declared = read_declared(tmp_path)

    assert declared.sources == ("requirements.txt",)
    assert [item.file for item in declared.declared_by] == ["requirements.txt"]  # setup.py is not even named


def test_a_module_named_setup_py_given_as_the_manifest_is_refused_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_text(MODULES["an argument parser calling the package's own setup"])

    with pytest.raises(RequirementsError, match=re.escape(f"requirements: setup.py: {NOT_A_PACKAGING_SCRIPT}")):
        read_declared(tmp_path, [tmp_path / "setup.py"])
