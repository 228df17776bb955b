from __future__ import annotations

from typing import get_args

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from pipreqs_action.errors import SettingsError
from pipreqs_action.pins import MODES, Mode, format_requirement, mode_for

VERSIONS = ["1.2.3", "2", "2rc1", "1!2", "1!2+abc", "1.0+local", "2.0rc1", "2.0.post1", "2.0.dev3", "v1.2", " 3.1 "]
OPERATORS = {"pin": "==", "compat": "~=", "gt": ">="}


def test_the_modes_are_the_ones_pipreqs_offers() -> None:
    assert set(MODES) == set(get_args(Mode)) == {"pin", "compat", "gt", "no-pin"}


@pytest.mark.parametrize("mode", ["pin", "compat", "gt"])
@pytest.mark.parametrize("version", VERSIONS)
def test_a_pinned_line_is_valid_pep508_and_admits_the_version(mode, version) -> None:
    line = format_requirement("demo-pkg", version, mode)
    requirement = Requirement(line)
    assert requirement.name == "demo-pkg"
    assert [spec.operator for spec in requirement.specifier] == [OPERATORS[mode]]
    assert requirement.specifier.contains(Version(version), prereleases=True)


@pytest.mark.parametrize("version", VERSIONS)
def test_pin_keeps_the_whole_normalised_version(version) -> None:
    assert format_requirement("demo", version, "pin") == f"demo=={Version(version)}"


@pytest.mark.parametrize("version", ["1.0+local", "1!2+abc"])
@pytest.mark.parametrize("mode", ["compat", "gt"])
def test_local_labels_are_dropped_where_pep440_forbids_them(mode, version) -> None:
    line = format_requirement("demo", version, mode)
    assert "+" not in line
    assert Version(line.split(OPERATORS[mode])[1]) == Version(Version(version).public)


@pytest.mark.parametrize(
    ("version", "floor"), [("2", "2.0"), ("2rc1", "2.0rc1"), ("1!2", "1!2.0"), ("1!2+abc", "1!2.0")]
)
def test_compat_needs_two_release_segments(version, floor) -> None:
    """`~=2` is invalid PEP 440; `~=2.0` means the same thing a user wants: any 2.x."""
    assert format_requirement("demo", version, "compat") == f"demo~={floor}"
    assert Version(floor).release[1:] == (0,)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("version", [None, "", "not a version", "1.0-junk-!"])
def test_no_usable_version_gives_the_bare_name(mode, version) -> None:
    assert format_requirement("demo", version, mode) == "demo"


@pytest.mark.parametrize("version", VERSIONS)
def test_no_pin_ignores_the_version(version) -> None:
    assert format_requirement("demo", version, "no-pin") == "demo"


def test_an_unknown_mode_is_a_settings_error_naming_the_option() -> None:
    with pytest.raises(SettingsError, match=r"^version mode: .*'exact'"):
        format_requirement("demo", "1.0", "exact")  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", MODES)
def test_a_library_never_gets_an_exact_pin(mode) -> None:
    assert mode_for(mode, library=True) == ("gt" if mode == "pin" else mode)
    assert mode_for(mode, library=False) == mode
