from __future__ import annotations

import sys

import pytest

from pipreqs_action.metadata.stdlib_names import TYPING_AND_INTERNAL, is_standard_library, standard_library

PYTHON2_NAMES = [
    "urlparse",
    "Queue",
    "ConfigParser",
    "StringIO",
    "cPickle",
    "urllib2",
    "httplib",
    "HTMLParser",
    "Tkinter",
    "__builtin__",
    "cStringIO",
    "commands",
    "md5",
    "sets",
    "thread",
    "dummy_thread",
    "SocketServer",
    "SimpleHTTPServer",
    "BaseHTTPServer",
    "Cookie",
    "cookielib",
    "htmlentitydefs",
    "xmlrpclib",
    "anydbm",
    "dbhash",
    "whichdb",
    "UserDict",
    "copy_reg",
    "repr",
    "tkMessageBox",
    "tkFileDialog",
    "robotparser",
    "_winreg",
]
NEWER_NAMES = ["annotationlib", "tomllib", "zoneinfo", "graphlib", "_interpreters", "_typeshed"]
REMOVED_SINCE = ["imp", "asynchat", "asyncore", "distutils", "smtpd", "cgi", "telnetlib", "imghdr"]
NEVER_STANDARD = ["typing_extensions", "requests", "yaml", "numpy", "six", "attr", "lib"]
BEFORE_2_7_ONLY = ["regex", "lockfile", "util"]  # stdlib of 2.3-2.6 only: PyPI projects took the names over


@pytest.mark.parametrize("name", PYTHON2_NAMES)
def test_python2_modules_are_standard_library_on_any_interpreter(name: str) -> None:
    assert is_standard_library(name)


@pytest.mark.parametrize("name", NEWER_NAMES + REMOVED_SINCE)
def test_modules_added_or_removed_by_later_releases_are_standard_library(name: str) -> None:
    assert is_standard_library(name)


@pytest.mark.parametrize("name", NEVER_STANDARD)
def test_distributions_and_backports_on_pypi_are_not_standard_library(name: str) -> None:
    assert not is_standard_library(name)


def test_the_list_covers_this_interpreter_and_typing_only_names() -> None:
    names = standard_library()
    assert names >= sys.stdlib_module_names
    assert names >= TYPING_AND_INTERNAL
    assert all(name and "." not in name for name in names)


def test_a_dotted_module_is_judged_by_its_top_level_name() -> None:
    assert is_standard_library("os.path")
    assert is_standard_library("xml.etree.ElementTree")
    assert not is_standard_library("yaml.constructor")


@pytest.mark.parametrize("name", BEFORE_2_7_ONLY)
def test_names_only_older_pythons_had_are_left_to_pypi(name: str) -> None:
    assert not is_standard_library(name)
