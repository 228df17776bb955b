"""Modules a file names in a string, which a framework imports by that name when the file runs.

A Django project's ``manage.py`` imports nothing of its own: it sets ``DJANGO_SETTINGS_MODULE`` to
``"mysite.settings"``, whose ``ROOT_URLCONF = "mysite.urls"`` makes Django import the URL configuration, which
imports every view. Uvicorn and Gunicorn take ``"app.main:app"``, Celery ``include=["app.tasks"]``, Django's
``MIDDLEWARE``, ``INSTALLED_APPS`` and REST framework's settings take dotted paths to classes
(``"shop.apps.ShopConfig"``). Following only import statements, every module behind such a name looks
unreached, and its imports would be withheld as those of an optional integration nobody imports.

So a string literal that is exactly a dotted name inside one of the project's packages, with at most an
``:attribute`` after it, counts as an import of that module by the file holding it (followed only once that file
is reached). Every dotted prefix of the name is given, because a class path (``"shop.apps.ShopConfig"``) names
its module (``shop.apps``) by a prefix; names that are no file of the project are dropped by reachability. A
string holding anything else (a sentence, a docstring naming a module, a bare package name) names nothing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

__all__ = ["named_modules"]


@functools.lru_cache(maxsize=8)
def _pattern(packages: frozenset[str]) -> re.Pattern[str]:
    names = "|".join(sorted(map(re.escape, packages)))
    return re.compile(rf"""(?P<q>["'])(?P<name>(?:{names})(?:\.[A-Za-z_]\w*)+)(?::[A-Za-z_][\w.]*)?(?P=q)""")


def named_modules(text: str, packages: frozenset[str]) -> Iterable[str]:
    """The project modules a file's strings name (``"mysite.urls"``, ``"app.main:app"``), with every dotted prefix
    of at least two parts (``"shop.apps.ShopConfig"``: ``shop.apps`` and ``shop.apps.ShopConfig``)."""
    if not packages or not any(f"{name}." in text for name in packages):
        return
    for match in _pattern(packages).finditer(text):
        parts = match["name"].split(".")
        yield from (".".join(parts[:depth]) for depth in range(2, len(parts) + 1))
