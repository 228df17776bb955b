"""Modules a file names in a string (``ROOT_URLCONF = "site.urls"``): a framework imports them by that name."""

from __future__ import annotations

from pipreqs_action.app_code.reachability import Packages, optional_integrations, package_imports
from pipreqs_action.local.named_modules import named_modules

PACKAGES = frozenset({"site", "shop"})


def test_a_dotted_name_of_the_project_in_a_string_names_the_module_and_its_prefixes() -> None:
    text = 'ROOT_URLCONF = "site.urls"\nAPPS = ["shop.apps.ShopConfig"]\nrun("site.wsgi:application")\n'
    assert list(named_modules(text, PACKAGES)) == [
        "site.urls",
        "shop.apps",
        "shop.apps.ShopConfig",
        "site.wsgi",
    ]


def test_sentences_bare_package_names_and_other_projects_name_nothing() -> None:
    text = (
        '"""Import site.urls to route requests."""\n'
        'NAME = "site"\n'
        'OTHER = "django.contrib.admin"\n'
        "LABEL = 'website.urls'\n"
        'MIXED = "site.urls and more"\n'
    )
    assert list(named_modules(text, PACKAGES)) == []
    assert list(named_modules('"site.urls"', frozenset())) == []


def test_package_imports_count_the_modules_a_file_names() -> None:
    packages = Packages(["src/site/__init__.py", "src/site/settings.py", "src/site/urls.py", "src/manage.py"])
    text = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n'
    assert "site.settings" in package_imports(text, "src/manage.py", [("os", ())], packages)


FILES = ["pkg/__init__.py", "pkg/core.py", "pkg/contrib/__init__.py", "pkg/contrib/flask.py", "manage.py"]


def judge(edges: dict[str, list[str]]) -> dict[str, str]:
    return optional_integrations(FILES, edges, packages=Packages(FILES), app_code=FILES, manifests=["pyproject.toml"])


def test_a_package_whose_init_names_only_a_module_that_is_no_file_is_not_judged() -> None:
    # a logger's name ("pkg.events") is no import: the package imports nothing up front, so nothing is optional
    assert judge({"pkg/__init__.py": ["pkg.events"]}) == {}
    assert "pkg/contrib/flask.py" in judge({"pkg/__init__.py": ["pkg.core"]})
