"""Python-version branches that the project's supported Pythons never take (version_branches), and where the
supported Pythons are read from (manifests.requires_python)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipreqs_action.intent import version_branches
from pipreqs_action.manifests import requires_python
from pipreqs_action.manifests.requires_python import RequiresPython
from pipreqs_action.model import ImportRef, Location, ScanResult


def write(root: Path, name: str, text: str) -> None:
    (root / name).write_text(text, encoding="utf-8")


def scan_of(*refs: ImportRef) -> ScanResult:
    return ScanResult(imports=refs)


def ref(module: str, marker: str, path: str = "app.py") -> ImportRef:
    return ImportRef(module, Location(path, 3), marker=marker)


def supported(specifier: str) -> RequiresPython:
    return RequiresPython(specifier, Location("pyproject.toml", 4))


@pytest.mark.parametrize(
    ("specifier", "marker", "dead"),
    [
        (">=3.10", 'python_version < "3.9"', True),
        (">=3.10", 'python_version < "3.10"', True),
        (">=3.10", 'python_version < "3.11"', False),  # 3.10 takes it: tomli stays needed there
        (">=3.10.2", 'python_version < "3.10"', True),
        ("~=3.8", 'python_version < "3.9"', False),
        ("<3.8", 'python_version >= "3.8"', True),
        (">=3.10", 'python_version < "3.9" and sys_platform == "win32"', True),
        (">=3.10", 'sys_platform == "win32"', False),  # a platform branch: not ours to judge
        (">=4", 'python_version < "3.9"', False),  # no release known to meet it: says nothing
    ],
)
def test_a_branch_is_dead_only_when_no_supported_python_takes_it(specifier, marker, dead) -> None:
    judged = version_branches.apply(scan_of(ref("backport", marker)), lambda: supported(specifier))
    assert judged.imports[0].optional is dead
    if dead:
        assert judged.imports[0].reason.endswith(f"; requires-python {specifier}")


def test_the_reason_names_the_branch_and_the_declaration() -> None:
    judged = version_branches.apply(
        scan_of(ref("importlib_resources", 'python_version < "3.9"')), lambda: supported(">=3.10")
    )
    assert judged.imports[0].reason == "only for Python < 3.9; requires-python >=3.10"


def test_without_a_declaration_or_a_version_branch_nothing_changes() -> None:
    scan = scan_of(ref("tomli", 'python_version < "3.11"'), ref("requests", ""))
    assert version_branches.apply(scan, lambda: None) == scan
    asked: list[bool] = []
    plain = scan_of(ref("requests", ""))
    assert version_branches.apply(plain, lambda: asked.append(True) or supported(">=3.10")) == plain
    assert not asked  # no version branch: the manifests are not even read


def test_a_file_with_its_own_declaration_is_judged_by_it() -> None:
    scan = scan_of(ref("tomli", 'python_version < "3.11"', "tool.py"), ref("tomli", 'python_version < "3.11"'))
    judged = version_branches.apply(scan, lambda: supported(">=3.10"), {"tool.py": supported(">=3.12")})
    assert [item.optional for item in judged.imports] == [True, False]


def test_requires_python_from_pyproject_first_then_setup_cfg_then_setup_py(tmp_path: Path) -> None:
    write(tmp_path, "setup.py", "from setuptools import setup\nPY = '>=3.8'\nsetup(name='x',\n  python_requires=PY)\n")
    assert requires_python.read(tmp_path) == RequiresPython(">=3.8", Location("setup.py", 4))
    write(tmp_path, "setup.cfg", "[metadata]\nname = x\n[options]\npython_requires = >=3.9\n")
    assert requires_python.read(tmp_path) == RequiresPython(">=3.9", Location("setup.cfg", 4))
    write(
        tmp_path,
        "pyproject.toml",
        '[tool.x]\nrequires-python = "no"\n[project]\nname = "x"\nrequires-python = ">=3.10"\n',
    )
    assert requires_python.read(tmp_path) == RequiresPython(">=3.10", Location("pyproject.toml", 5))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("pyproject.toml", '[project]\nrequires-python = "three point ten"\n'),
        ("pyproject.toml", "[project\nrequires-python = '>=3.10'\n"),
        ("setup.cfg", "[options\npython_requires = >=3.9\n"),
        ("setup.py", "setup(python_requires=min_version())\n"),
        ("setup.py", "def broken(:\n"),
    ],
)
def test_a_declaration_that_cannot_be_read_says_nothing(tmp_path: Path, name: str, text: str) -> None:
    write(tmp_path, name, text)
    assert requires_python.read(tmp_path) is None
