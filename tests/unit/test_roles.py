"""Declarations made for another use (development, a project inside this one), believed when the code agrees."""

from __future__ import annotations

import pytest
from packaging.utils import canonicalize_name

from pipreqs_action import roles
from pipreqs_action.app_code.pytest_plugins import PytestPlugins
from pipreqs_action.app_code.shipped import Shipped
from pipreqs_action.mapping import ImportNames, load_import_names
from pipreqs_action.model import Declared, ImportRef, Location, Requirement, ScanResult


@pytest.fixture(scope="module")
def names() -> ImportNames:
    return load_import_names()


def req(name: str, where: str) -> Requirement:
    path, _, line = where.partition(":")
    return Requirement(name, canonicalize_name(name), Location(path, int(line)), name)


def judged(names: ImportNames, declared: Declared, *refs: ImportRef) -> dict[str, str]:
    scanned = roles.believed(ScanResult(refs), declared, names)
    return {f"{ref.location.path}:{ref.module}": ref.reason for ref in scanned.imports if ref.optional}


def test_a_dev_declaration_is_believed_only_where_the_code_also_says_development(names: ImportNames) -> None:
    declared = Declared((req("flask", "requirements.txt:1"),), dev=(req("Faker", "requirements-dev.txt:2"),))
    found = judged(
        names,
        declared,
        ImportRef("faker", Location("app/fake.py", 3)),  # a module named for development support
        ImportRef("faker", Location("app/seed.py", 9), in_function=True),  # on demand
        ImportRef("faker", Location("app/views.py", 1)),  # top level of the app's own module: still an alarm
        ImportRef("flask", Location("app/views.py", 2), in_function=True),  # declared at run time: nothing to say
    )
    assert found == {
        "app/fake.py:faker": "declared for development only (requirements-dev.txt:2), in a development-support module",
        "app/seed.py:faker": "declared for development only (requirements-dev.txt:2), imported only on demand",
    }


def test_a_dev_declaration_is_believed_in_a_pytest_plugin_the_project_registers(names: ImportNames) -> None:
    declared = Declared((req("discord.py", "requirements/base.txt:1"),), dev=(req("pytest", "setup.cfg:12"),))
    plugins = PytestPlugins({"redbot.pytest": "pyproject.toml:43"})
    refs = (
        ImportRef("pytest", Location("redbot/pytest/alias.py", 1)),  # loaded only by pytest
        ImportRef("pytest", Location("redbot/core/bot.py", 3)),  # the bot's own module: still an alarm
        ImportRef("aiohttp", Location("redbot/pytest/rpc.py", 2)),  # declared nowhere: the plugin does not say
    )
    scanned = roles.believed(ScanResult(refs), declared, names, lambda: plugins)
    found = {f"{ref.location.path}:{ref.module}": ref.reason for ref in scanned.imports if ref.optional}
    assert found == {
        "redbot/pytest/alias.py:pytest": "declared for development only (setup.cfg:12), in a pytest plugin "
        "registered under the pytest11 entry point (pyproject.toml:43)"
    }
    assert judged(names, declared, *refs) == {}  # no plugin registered: nothing believed


def test_a_package_a_project_inside_this_one_declares_is_its_optional_feature_where_imported_on_demand(
    names: ImportNames,
) -> None:
    declared = Declared((), nested=(req("SpeechRecognition", "extensions/stt/requirements.txt:1"),))
    found = judged(
        names,
        declared,
        ImportRef("speech_recognition", Location("api/script.py", 348), in_function=True),
        ImportRef("speech_recognition", Location("api/other.py", 2)),
    )
    assert found == {
        "api/script.py:speech_recognition": "declared in extensions/stt/requirements.txt:1 (a project inside this "
        "one), imported here only on demand"
    }


def test_nothing_declared_for_other_uses_leaves_the_scan_as_it_is(names: ImportNames) -> None:
    scanned = ScanResult((ImportRef("faker", Location("app/fake.py", 3)),))
    assert roles.believed(scanned, Declared(()), names) is scanned


def test_an_unshipped_file_importing_a_development_tool_is_a_maintainer_script(names: ImportNames) -> None:
    """Both signals: the build leaves the file out and it imports what only development declares. Every import of
    such a file is then secondary; an unshipped file without that signal, shipped code, and the user's ``app``
    patterns are left alone."""
    declared = Declared((req("click", "pyproject.toml:9"),), dev=(req("msgspec", "pyproject.toml:12"),))
    refs = (
        ImportRef("msgspec", Location("generate_schema.py", 3)),
        ImportRef("jinja2", Location("generate_schema.py", 4)),
        ImportRef("uvicorn", Location("serve.py", 1)),  # unshipped, but no development import: the app's
        ImportRef("msgspec", Location("acme_cli/schema.py", 2)),  # shipped: dev-only stays an alarm elsewhere
        ImportRef("msgspec", Location("tools_claimed/gen.py", 1)),
    )
    shipped = Shipped(("acme_cli",))
    marked = roles.unshipped_tooling(ScanResult(refs), declared, names, lambda: shipped, claimed=["tools_claimed/"])
    secondary = {f"{ref.location.path}:{ref.module}": ref.secondary for ref in marked.imports if ref.secondary}
    why = "a development script the distribution does not ship (it ships acme_cli/)"
    assert secondary == {"generate_schema.py:msgspec": why, "generate_schema.py:jinja2": why}
    assert roles.unshipped_tooling(ScanResult(refs), declared, names, lambda: None).imports == refs
