"""Ambiguous imports resolved toward what the project already uses (declared set + candidates' metadata)."""

from __future__ import annotations

from pipreqs_action.affinity import candidate_keys, prefer_project_affinity
from pipreqs_action.model import Location, Missing, Report


def report(*items: Missing) -> Report:
    return Report(missing=items, unused=(), skipped=(), requirements="")


def ambiguous(package: str, *candidates: str) -> Missing:
    return Missing(package, ("x",), (Location("app.py", 1),), candidates=candidates)


HAYSTACK = ambiguous("haystack-ai", "django-haystack")


def test_a_candidate_that_requires_a_declared_distribution_ranks_first() -> None:
    requires = {"haystack-ai": ["pydantic", "jinja2"], "django-haystack": ["Django>=3.2", "packaging"]}
    (item,) = prefer_project_affinity(report(HAYSTACK), ["Django"], requires).missing
    assert (item.package, item.candidates) == ("django-haystack", ("haystack-ai",))


def test_without_metadata_the_declared_frameworks_family_ranks_first() -> None:
    (item,) = prefer_project_affinity(report(HAYSTACK), ["django"], {}).missing
    assert item.package == "django-haystack"
    flask = ambiguous("quokka-flask-htmlbuilder", "flask-htmlbuilder")
    assert prefer_project_affinity(report(flask), ["Flask"], {}).missing[0].package == "flask-htmlbuilder"


def test_when_every_candidate_fits_the_datas_own_order_stands() -> None:
    bootstrap = ambiguous("Bootstrap-Flask", "Flask-Bootstrap")
    requires = {"bootstrap-flask": ["flask"], "flask-bootstrap": ["Flask>=0.8"]}
    assert prefer_project_affinity(report(bootstrap), ["flask"], requires).missing[0].package == "Bootstrap-Flask"


def test_extras_only_requirements_do_not_make_a_candidate_fit() -> None:
    requires = {"haystack-ai": ['django; extra == "django"'], "django-haystack": []}
    assert prefer_project_affinity(report(HAYSTACK), ["django"], requires).missing[0].package == "haystack-ai"


def test_nothing_declared_or_nothing_ambiguous_changes_nothing() -> None:
    plain = report(HAYSTACK, Missing("requests", ("requests",), ()))
    assert prefer_project_affinity(plain, [], {}) is plain
    assert candidate_keys(plain) == ["django-haystack", "haystack-ai"]
