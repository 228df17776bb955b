from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from pipreqs_action.declared import read_declared
from pipreqs_action.errors import RequirementsError
from pipreqs_action.model import DeclaredBy, FixTarget, Location, Requirement


def write(root: Path, name: str, text: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def by_key(reqs: tuple[Requirement, ...]) -> dict[str, Requirement]:
    return {r.key: r for r in reqs}


def problem_paths(declared) -> list[str]:
    return [p.path for p in declared.problems]


# --- requirements.txt: plain lines -----------------------------------------------------------------------------


def test_plain_lines_give_name_key_specifier_extras_marker_and_location(tmp_path):
    write(
        tmp_path,
        "requirements.txt",
        "# a comment\n"
        "\n"
        "Django ~= 4.2  # trailing comment\n"
        'uvicorn[standard,a-extra]>=0.20 ; python_version < "3.8"\n'
        "numpy>=1.0,<2.0\n"
        "Flask_SQLAlchemy\n",
    )
    declared = read_declared(tmp_path)

    assert [r.name for r in declared.requirements] == ["Django", "uvicorn", "numpy", "Flask_SQLAlchemy"]
    django, uvicorn, numpy, flask = declared.requirements
    assert django.key == "django"
    assert django.location == Location("requirements.txt", 3)
    assert django.line == "Django ~= 4.2"
    assert django.specifier == "~=4.2"
    assert uvicorn.extras == ("a-extra", "standard")
    assert uvicorn.marker == 'python_version < "3.8"'
    assert uvicorn.line == 'uvicorn[standard,a-extra]>=0.20 ; python_version < "3.8"'
    assert set(numpy.specifier.split(",")) == {">=1.0", "<2.0"}
    assert flask.key == "flask-sqlalchemy"
    assert not any(r.url or r.editable or r.name_guessed for r in declared.requirements)
    assert declared.sources == ("requirements.txt",)
    assert declared.problems == ()
    assert declared.constraints == ()


def test_index_and_find_links_options_are_ignored(tmp_path):
    write(
        tmp_path,
        "requirements.txt",
        "-i https://pypi.example/simple\n"
        "--index-url https://pypi.example/simple\n"
        "--extra-index-url https://extra.example/simple\n"
        "--find-links ./wheels\n"
        "-f https://links.example/\n"
        "--pre\n"
        "requests\n",
    )
    declared = read_declared(tmp_path)

    assert [r.key for r in declared.requirements] == ["requests"]
    assert declared.requirements[0].location.line == 7
    assert declared.problems == ()


def test_hash_options_on_continuation_lines_are_dropped_and_line_numbers_stay_right(tmp_path):
    write(
        tmp_path,
        "requirements.txt",
        "certifi==2024.2.2 \\\n"
        "    --hash=sha256:aaaa \\\n"
        "    --hash=sha256:bbbb\n"
        "idna==3.6 --hash=sha256:cccc  # pinned\n"
        "charset-normalizer==3.3.2 \\\n"
        "    ; python_version >= '3.7'\n",
    )
    declared = read_declared(tmp_path)

    certifi, idna, charset = declared.requirements
    assert certifi.line == "certifi==2024.2.2"
    assert certifi.location == Location("requirements.txt", 1)
    assert certifi.specifier == "==2024.2.2"
    assert idna.line == "idna==3.6"
    assert idna.location.line == 4
    assert charset.location.line == 5
    assert charset.marker == 'python_version >= "3.7"'
    assert "\\" not in charset.line
    assert declared.problems == ()


def test_name_at_url_keeps_the_written_name(tmp_path):
    write(
        tmp_path, "requirements.txt", "my_pkg[extra] @ https://files.example/my_pkg-1.0.tar.gz ; os_name == 'posix'\n"
    )
    (req,) = read_declared(tmp_path).requirements

    assert (req.name, req.key) == ("my_pkg", "my-pkg")
    assert req.url == "https://files.example/my_pkg-1.0.tar.gz"
    assert req.extras == ("extra",)
    assert req.marker == 'os_name == "posix"'
    assert req.name_guessed is False


def test_vcs_lines_with_and_without_egg(tmp_path):
    write(
        tmp_path,
        "requirements.txt",
        "git+https://github.com/org/proj.git@v1.2#egg=Real_Name\n"
        "git+https://github.com/org/other-proj.git@main\n"
        "git+ssh://git@github.com/org/ssh_lib.git\n"
        "-e git+https://github.com/org/ed.git#egg=edpkg\n"
        "--editable git+https://github.com/org/ed2.git@feature\n"
        "git+https://github.com/org/monorepo.git@v1#subdirectory=libs/inner-pkg\n",
    )
    reqs = read_declared(tmp_path).requirements

    assert [(r.name, r.name_guessed, r.editable) for r in reqs] == [
        ("Real_Name", False, False),
        ("other-proj", True, False),
        ("ssh_lib", True, False),
        ("edpkg", False, True),
        ("ed2", True, True),
        ("inner-pkg", True, False),
    ]
    assert reqs[0].key == "real-name"
    assert reqs[1].url == "git+https://github.com/org/other-proj.git@main"
    assert reqs[3].line == "-e git+https://github.com/org/ed.git#egg=edpkg"
    assert reqs[4].line == "-e git+https://github.com/org/ed2.git@feature"


def test_archive_and_wheel_urls_get_a_guessed_name(tmp_path):
    write(
        tmp_path,
        "requirements.txt",
        "https://files.example/pkgs/thing-2.0.tar.gz\nhttps://files.example/whl/foo_bar-1.0-py3-none-any.whl\n",
    )
    thing, wheel = read_declared(tmp_path).requirements

    assert (thing.key, thing.name_guessed) == ("thing", True)
    assert (wheel.key, wheel.name_guessed) == ("foo-bar", True)


def test_local_paths_are_the_projects_they_point_at_named_by_their_own_metadata(tmp_path):
    write(tmp_path, "pyproject.toml", '[project]\nname = "acme-app"\ndependencies = []\n')
    write(tmp_path, "libs/two/setup.cfg", "[metadata]\nname = two-lib\n")
    write(tmp_path, "libs/two/src/two_lib/__init__.py", "")
    write(tmp_path, "vendor/pkg_one/setup.py", "from setuptools import setup\nsetup(name='pkg-one')\n")
    write(tmp_path, "requirements.txt", "./vendor/pkg_one\n-e ./libs/two[dev]\n.\n-e .\nrequests\n./gone\n")
    declared = read_declared(tmp_path)

    one, two, itself, editable, requests = declared.requirements
    assert (one.name, one.local, one.name_guessed, one.editable) == ("pkg-one", True, False, False)
    assert (two.name, two.extras, two.editable, two.line) == ("two-lib", ("dev",), True, "-e ./libs/two[dev]")
    assert (itself.name, itself.local, editable.name, editable.editable) == ("acme-app", True, "acme-app", True)
    assert (requests.location.line, requests.local) == (5, False)
    assert {"two_lib", "pkg_one", "acme_app"} <= set(declared.first_party)
    assert [(p.path, p.reason) for p in declared.problems] == [
        ("requirements.txt:6", "'./gone': local project './gone' not found")
    ]


def test_a_local_path_without_metadata_is_named_after_its_folder(tmp_path):
    (tmp_path / "libs" / "helpers").mkdir(parents=True)
    write(tmp_path, "requirements.txt", "-e libs/helpers\n")
    (helpers,) = read_declared(tmp_path).requirements

    assert (helpers.name, helpers.local) == ("helpers", True)


def test_malformed_lines_become_problems_with_file_and_line_and_reading_continues(tmp_path):
    write(tmp_path, "requirements.txt", "ok1\nfoo==\n===bad\nrequests>=\nname>=1.0[extra]\n--no-such-option\nok2\n")
    declared = read_declared(tmp_path)

    assert [r.name for r in declared.requirements] == ["ok1", "ok2"]
    assert problem_paths(declared) == [f"requirements.txt:{n}" for n in (2, 3, 4, 5, 6)]
    assert declared.problems[0].reason.startswith("'foo==': ")
    assert "no such option" in declared.problems[4].reason
    assert all("\n" not in p.reason for p in declared.problems)


def test_environment_variables_are_never_expanded_and_lines_are_reported_as_written(tmp_path, monkeypatch):
    """The process environment of the Action holds the runner's secrets: nothing of it may reach a report."""
    monkeypatch.setenv("PKG_VERSION", "2.31.0")
    monkeypatch.setenv("GH_TOKEN", "s3cr3t-t0ken-value")
    monkeypatch.setenv("SECRET_DIR", "hunter2-secret-dir")
    write(
        tmp_path,
        "requirements.txt",
        "requests==${PKG_VERSION}\n"
        "private @ git+https://${GH_TOKEN}@github.com/org/private.git\n"
        "-r ${SECRET_DIR}/reqs.txt\n"
        "${GH_TOKEN}\n",
    )
    declared = read_declared(tmp_path)

    (private,) = declared.requirements
    assert private.url == "git+https://${GH_TOKEN}@github.com/org/private.git"
    assert problem_paths(declared) == ["requirements.txt:1", "requirements.txt:3", "requirements.txt:4"]
    assert declared.problems[0].reason.startswith("'requests==${PKG_VERSION}': ")
    assert declared.problems[1].reason == "include '${SECRET_DIR}/reqs.txt': file not found"
    assert declared.problems[2].reason.startswith("'${GH_TOKEN}': ")
    for secret in ("2.31.0", "s3cr3t", "hunter2"):
        assert secret not in repr(declared)


# --- encodings and weird files ---------------------------------------------------------------------------------

TEXT = "requests==2.31.0\n# café comment\nnumpy\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "utf32-le-bom", "crlf"],
)
def test_encodings_with_bom_read_correctly(tmp_path, data):
    write(tmp_path, "requirements.txt", data)
    declared = read_declared(tmp_path)

    assert [(r.name, r.location.line) for r in declared.requirements] == [("requests", 1), ("numpy", 3)]
    assert declared.requirements[0].line == "requests==2.31.0"
    assert declared.problems == ()


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not UTF-8"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "binary"),
        (b"requests\n\x00\x00junk\n", "binary"),
        (b"requests\n\xc3\x28 latin\xe9\n", "not UTF-8"),
        (codecs.BOM_UTF16_LE + b"r\x00e", "not UTF-8 or UTF-16"),
    ],
)
def test_unreadable_top_file_raises_naming_the_file(tmp_path, data, why):
    write(tmp_path, "requirements.txt", data)
    with pytest.raises(RequirementsError, match=rf"^requirements: requirements\.txt: .*{why}"):
        read_declared(tmp_path)


def test_directory_instead_of_requirements_file_raises(tmp_path):
    (tmp_path / "requirements.txt").mkdir()
    with pytest.raises(RequirementsError, match=r"^requirements: requirements\.txt: not a regular file$"):
        read_declared(tmp_path)


def test_permission_denied_raises_for_top_file_and_is_a_problem_for_an_include(tmp_path, monkeypatch):
    write(tmp_path, "requirements.txt", "-r locked.txt\nrequests\n")
    write(tmp_path, "locked.txt", "hidden\n")
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:  # root can read a chmod 000 file, so the refusal is simulated
        if self.name == denied:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    denied = "locked.txt"
    declared = read_declared(tmp_path)
    assert [r.name for r in declared.requirements] == ["requests"]
    assert [(p.path, p.reason) for p in declared.problems] == [
        ("requirements.txt:1", "include 'locked.txt': Permission denied")
    ]

    denied = "requirements.txt"
    with pytest.raises(RequirementsError, match=r"^requirements: requirements\.txt: Permission denied$"):
        read_declared(tmp_path)


def test_too_large_file_is_refused(tmp_path):
    write(tmp_path, "requirements.txt", b"#" * (5 * 1024 * 1024 + 1))
    with pytest.raises(RequirementsError, match="larger than 5 MiB"):
        read_declared(tmp_path)


def test_symlink_leaving_the_tree_is_refused(tmp_path):
    outside = write(tmp_path, "outside/secret.txt", "secret-token-line\n")
    root = tmp_path / "repo"
    root.mkdir()
    (root / "requirements.txt").symlink_to(outside)
    with pytest.raises(RequirementsError, match="outside the checked tree"):
        read_declared(root)


def test_dangling_symlink_is_reported_not_skipped(tmp_path):
    (tmp_path / "requirements.txt").symlink_to(tmp_path / "gone.txt")
    with pytest.raises(RequirementsError, match=r"^requirements: requirements\.txt: file not found$"):
        read_declared(tmp_path)


def test_an_unusable_requirements_file_beside_a_usable_manifest_is_named_with_the_reason(tmp_path):
    (tmp_path / "requirements.txt").symlink_to(tmp_path / "gone.txt")
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\ndependencies = ["requests"]\n')
    declared = read_declared(tmp_path)

    assert [r.key for r in declared.requirements] == ["requests"]
    assert DeclaredBy("requirements.txt", unusable="file not found") in declared.declared_by
    assert declared.sources == ("pyproject.toml",)


# --- includes and constraints ----------------------------------------------------------------------------------


def test_nested_includes_are_relative_to_the_including_file_and_cycles_are_noted(tmp_path):
    write(tmp_path, "requirements.txt", "first\n-r reqs/base.txt\nlast\n")
    write(tmp_path, "reqs/base.txt", "base-pkg\n--requirement=common/shared.txt\n")
    write(tmp_path, "reqs/common/shared.txt", "shared-pkg\n-r ../../requirements.txt\n")
    declared = read_declared(tmp_path)

    assert [(r.name, str(r.location)) for r in declared.requirements] == [
        ("first", "requirements.txt:1"),
        ("base-pkg", "reqs/base.txt:1"),
        ("shared-pkg", "reqs/common/shared.txt:1"),
        ("last", "requirements.txt:3"),
    ]
    assert declared.sources == ("requirements.txt", "reqs/base.txt", "reqs/common/shared.txt")
    (cycle,) = declared.problems
    assert cycle.path == "reqs/common/shared.txt:2"
    assert "cycle" in cycle.reason


def test_a_file_included_twice_without_a_cycle_is_read_once(tmp_path):
    write(tmp_path, "requirements.txt", "-r a.txt\n-r b.txt\n")
    write(tmp_path, "a.txt", "-r common.txt\n")
    write(tmp_path, "b.txt", "-r common.txt\n")
    write(tmp_path, "common.txt", "requests\n")
    declared = read_declared(tmp_path)

    assert [r.name for r in declared.requirements] == ["requests"]
    assert declared.problems == ()
    assert declared.sources == ("requirements.txt", "a.txt", "common.txt", "b.txt")


def test_missing_remote_and_escaping_includes_are_problems_not_crashes(tmp_path):
    write(tmp_path, "outside.txt", "should-not-be-read\n")
    root = tmp_path / "repo"
    write(
        root,
        "requirements.txt",
        "-r missing.txt\n-r https://example.com/reqs.txt\n-r ../outside.txt\n-c /etc/hostname\n-r sub\nrequests\n",
    )
    (root / "sub").mkdir()
    declared = read_declared(root)

    assert [r.name for r in declared.requirements] == ["requests"]
    assert declared.constraints == ()
    reasons = {p.path: p.reason for p in declared.problems}
    assert reasons == {
        "requirements.txt:1": "include 'missing.txt': file not found",
        "requirements.txt:2": "include 'https://example.com/reqs.txt': remote files are not fetched",
        "requirements.txt:3": "include '../outside.txt': points outside the checked tree",
        "requirements.txt:4": "include '/etc/hostname': points outside the checked tree",
        "requirements.txt:5": "include 'sub': not a regular file",
    }
    assert declared.sources == ("requirements.txt",)


def test_constraints_files_pin_but_declare_nothing(tmp_path):
    write(tmp_path, "requirements.txt", "-c constraints.txt\nrequests\n")
    write(tmp_path, "constraints.txt", "requests<3\nurllib3==2.2.1\n")
    declared = read_declared(tmp_path)

    assert [r.name for r in declared.requirements] == ["requests"]
    assert [(r.key, r.specifier, str(r.location)) for r in declared.constraints] == [
        ("requests", "<3", "constraints.txt:1"),
        ("urllib3", "==2.2.1", "constraints.txt:2"),
    ]
    assert declared.sources == ("requirements.txt", "constraints.txt")


def test_an_included_file_counts_as_its_includer_whatever_its_name(tmp_path):
    write(tmp_path, "requirements-dev.txt", "-r test-base.txt\n")
    write(tmp_path, "requirements.txt", "-r dev.txt\n")
    write(tmp_path, "dev.txt", "flask\n")
    write(tmp_path, "test-base.txt", "pytest\n")
    declared = read_declared(tmp_path)

    assert [r.key for r in declared.requirements] == ["flask"]
    assert [r.key for r in declared.dev] == ["pytest"]


def test_duplicate_declarations_across_files_are_all_kept_in_reading_order(tmp_path):
    write(tmp_path, "requirements.txt", "requests>=2\n-r dev.txt\n")
    write(tmp_path, "dev.txt", "Requests==2.31\npytest\n")
    reqs = read_declared(tmp_path).requirements

    assert [(r.key, str(r.location)) for r in reqs] == [
        ("requests", "requirements.txt:1"),
        ("requests", "dev.txt:1"),
        ("pytest", "dev.txt:2"),
    ]


def test_include_of_a_binary_file_is_a_problem(tmp_path):
    write(tmp_path, "requirements.txt", "-r blob.txt\nrequests\n")
    write(tmp_path, "blob.txt", b"\x00\x01\x02binary")
    declared = read_declared(tmp_path)

    assert [r.name for r in declared.requirements] == ["requests"]
    assert [(p.path, p.reason) for p in declared.problems] == [
        ("requirements.txt:1", "include 'blob.txt': binary file (contains NUL bytes)")
    ]


# --- requirement_files override --------------------------------------------------------------------------------


def test_requirement_files_are_read_exactly_and_relative_to_root(tmp_path):
    write(tmp_path, "requirements.txt", "ignored-default\n")
    write(tmp_path, "reqs/prod.in", "django\n")
    write(tmp_path, "reqs/dev.in", "-r prod.in\npytest\n")
    declared = read_declared(tmp_path, [Path("reqs/dev.in"), tmp_path / "reqs" / "prod.in"])

    assert [(r.name, str(r.location)) for r in declared.requirements] == [("django", "reqs/prod.in:1")]
    assert [(r.name, str(r.location)) for r in declared.dev] == [("pytest", "reqs/dev.in:2")]
    assert declared.sources == ("reqs/prod.in", "reqs/dev.in")


def test_a_development_file_given_alone_is_the_projects_declaration(tmp_path):
    write(tmp_path, "requirements-dev.txt", "pytest\n")
    declared = read_declared(tmp_path, [Path("requirements-dev.txt")])

    assert ([r.key for r in declared.requirements], declared.dev) == (["pytest"], ())


def test_requirement_file_outside_root_is_labelled_as_given(tmp_path):
    shared = write(tmp_path, "shared/requirements.txt", "-r base.txt\nrequests\n")
    write(tmp_path, "shared/base.txt", "six\n")
    root = tmp_path / "repo"
    root.mkdir()
    declared = read_declared(root, [shared])

    assert [r.name for r in declared.requirements] == ["six", "requests"]
    assert declared.requirements[1].location == Location(str(shared), 2)
    assert declared.sources == (str(shared), (tmp_path / "shared" / "base.txt").as_posix())


def test_requirement_file_not_found_message(tmp_path):
    with pytest.raises(RequirementsError) as info:
        read_declared(tmp_path, [Path("reqs/missing.txt")])
    assert str(info.value) == "requirements: reqs/missing.txt: file not found"


def test_relative_root_gives_relative_labels(tmp_path, monkeypatch):
    write(tmp_path, "proj/requirements.txt", "requests\n")
    monkeypatch.chdir(tmp_path)
    declared = read_declared(Path("proj"))

    assert declared.sources == ("requirements.txt",)
    assert declared.requirements[0].location == Location("requirements.txt", 1)


# --- pyproject.toml --------------------------------------------------------------------------------------------

PYPROJECT = """\
[build-system]
requires = ["setuptools"]

[project]
name = "demo"
dependencies = [
    "requests>=2.31",
    'uvicorn[standard] ; python_version >= "3.8"',
    "not a valid === requirement",
]

[project.optional-dependencies]
test = ["pytest>=8", "requests"]
docs = [
    "sphinx",
]

[tool.hatch.envs.default]
dependencies = ["requests"]
"""


def test_pyproject_dependencies_and_extras_with_test_and_docs_extras_for_development(tmp_path):
    write(tmp_path, "pyproject.toml", PYPROJECT.replace("docs = [", 'postgres = ["psycopg"]\ndocs = ['))
    declared = read_declared(tmp_path)

    assert declared.sources == ("pyproject.toml",)
    assert [(r.name, r.location.line) for r in declared.requirements] == [("requests", 7), ("uvicorn", 8)]
    assert declared.requirements[1].extras == ("standard",)
    assert declared.requirements[1].marker == 'python_version >= "3.8"'
    assert declared.requirements[0].line == "requests>=2.31"
    assert [(g, [r.key for r in reqs]) for g, reqs in declared.optional_groups] == [("postgres", ["psycopg"])]
    assert [(r.key, r.location.line) for r in declared.dev] == [("sphinx", 16), ("pytest", 13), ("requests", 13)]
    assert [p.path for p in declared.problems] == ["pyproject.toml:9"]
    assert [str(item) for item in declared.declared_by] == [
        "pyproject.toml [project] (2)",
        "pyproject.toml [project.optional-dependencies] docs (1)",
        "pyproject.toml [project.optional-dependencies] postgres (1)",
        "pyproject.toml [project.optional-dependencies] test (2)",
    ]
    assert declared.target == FixTarget("pyproject", "pyproject.toml", "[project] dependencies", "", library=True)


def test_requirements_txt_and_pyproject_are_read_together(tmp_path):
    write(tmp_path, "pyproject.toml", PYPROJECT)
    write(tmp_path, "requirements.txt", "flask\n")
    declared = read_declared(tmp_path)

    assert declared.sources == ("requirements.txt", "pyproject.toml")
    assert [r.name for r in declared.requirements] == ["flask", "requests", "uvicorn"]
    assert [str(item) for item in declared.declared_by][:2] == ["requirements.txt (1)", "pyproject.toml [project] (2)"]


def test_an_app_with_requirements_txt_and_a_tool_only_pyproject_takes_the_fix_in_requirements_txt(tmp_path):
    write(tmp_path, "pyproject.toml", '[tool.ruff]\nline-length = 100\n[dependency-groups]\ndev = ["pytest"]\n')
    write(tmp_path, "requirements.txt", "flask\n")
    declared = read_declared(tmp_path)

    assert declared.target == FixTarget("requirements", "requirements.txt")
    assert [r.key for r in declared.dev] == ["pytest"]


def test_requirements_in_takes_the_fix_over_its_compiled_requirements_txt(tmp_path):
    write(tmp_path, "requirements.in", "flask\n")
    write(tmp_path, "requirements.txt", "flask==3.0\nwerkzeug==3.0\n")
    declared = read_declared(tmp_path)

    assert declared.sources == ("requirements.in", "requirements.txt")
    assert declared.target == FixTarget("requirements", "requirements.in")


def test_development_requirements_files_are_found_and_kept_apart(tmp_path):
    write(tmp_path, "requirements.txt", "flask\n")
    write(tmp_path, "requirements-dev.txt", "-r requirements.txt\nblack\n")
    write(tmp_path, "test-requirements.txt", "pytest\n")
    write(tmp_path, "requirements/docs.txt", "sphinx\n")
    write(tmp_path, "requirements/prod.txt", "gunicorn\n")
    declared = read_declared(tmp_path)

    assert [r.key for r in declared.requirements] == ["flask", "gunicorn"]
    assert sorted(r.key for r in declared.dev) == ["black", "pytest", "sphinx"]
    assert [(item.file, item.count, item.dev) for item in declared.declared_by] == [
        ("requirements.txt", 1, False),
        ("requirements/prod.txt", 1, False),
        ("requirements-dev.txt", 1, True),
        ("requirements/docs.txt", 1, True),
        ("test-requirements.txt", 1, True),
    ]


POETRY = """\
[tool.poetry]
name = "demo"

[tool.poetry.dependencies]
python = "^3.10"
requests = "^2.31"
Flask = ">=2.0,<4"
uvicorn = { version = "^0.29", extras = ["standard"], markers = "sys_platform != 'win32'" }
mylib = { git = "https://github.com/org/mylib.git", branch = "main" }
"bad name!" = "*"

[tool.poetry.group.dev.dependencies]
pytest = "^8"

[tool.poetry.dev-dependencies]
black = "*"
"""


def test_poetry_main_groups_and_legacy_dev_dependencies(tmp_path):
    write(tmp_path, "pyproject.toml", '[project]\nname = "demo"\ndynamic = ["dependencies"]\n\n' + POETRY)
    write(tmp_path, "poetry.lock", "")
    declared = read_declared(tmp_path)

    assert declared.sources == ("pyproject.toml",)
    reqs = by_key(declared.requirements)
    assert list(reqs) == ["requests", "flask", "uvicorn", "mylib"]
    assert reqs["requests"].specifier == ""  # a Poetry caret range is not PEP 440
    assert reqs["flask"].specifier in ("<4,>=2.0", ">=2.0,<4")
    assert reqs["uvicorn"].extras == ("standard",)
    assert reqs["uvicorn"].marker == 'sys_platform != "win32"'
    assert reqs["mylib"].url == "https://github.com/org/mylib.git"
    assert [r.location.line for r in declared.requirements] == [10, 11, 12, 13]
    assert [p.path for p in declared.problems] == ["pyproject.toml:14"]
    assert [(r.key, r.location.line) for r in declared.dev] == [("black", 20), ("pytest", 17)]
    assert declared.optional_groups == ()
    assert declared.target == FixTarget("pyproject", "pyproject.toml", "[tool.poetry.dependencies]", "poetry", True)


def test_project_dependencies_and_poetry_groups_next_to_them(tmp_path):
    write(tmp_path, "pyproject.toml", '[project]\nname = "demo"\ndependencies = ["httpx"]\n\n' + POETRY)
    declared = read_declared(tmp_path)

    assert [r.key for r in declared.requirements][:1] == ["httpx"]
    assert {"pytest", "black"} <= {r.key for r in declared.dev}
    assert declared.target is not None and declared.target.table == "[project] dependencies"


def test_an_empty_dependencies_list_is_a_declaration_not_a_fall_through(tmp_path):
    write(tmp_path, "pyproject.toml", '[project]\nname = "demo"\ndependencies = []\n[tool.uv]\n')
    declared = read_declared(tmp_path)

    assert declared.requirements == ()
    assert declared.sources == ("pyproject.toml",)
    assert [str(item) for item in declared.declared_by] == ["pyproject.toml [project] (0)"]
    assert declared.target == FixTarget("pyproject", "pyproject.toml", "[project] dependencies", "uv", library=True)


def test_nothing_declared_gives_an_empty_result(tmp_path):
    assert read_declared(tmp_path) == read_declared(tmp_path / "does-not-exist")
    empty = read_declared(tmp_path)
    assert (empty.requirements, empty.sources, empty.optional_groups, empty.problems) == ((), (), (), ())
    assert empty.target is None

    write(tmp_path, "pyproject.toml", '[project]\nname = "demo"\n[tool.black]\nline-length = 100\n')
    assert read_declared(tmp_path).sources == ()


def test_invalid_toml_raises_naming_the_file(tmp_path):
    write(tmp_path, "pyproject.toml", "[project\ndependencies = [\n")
    with pytest.raises(RequirementsError, match=r"^requirements: pyproject\.toml: "):
        read_declared(tmp_path)


def test_invalid_toml_beside_a_usable_manifest_is_named_not_fatal(tmp_path):
    write(tmp_path, "pyproject.toml", "[project\ndependencies = [\n")
    write(tmp_path, "requirements.txt", "flask\n")
    declared = read_declared(tmp_path)

    assert [r.key for r in declared.requirements] == ["flask"]
    (broken,) = [item for item in declared.declared_by if item.unusable]
    assert broken.file == "pyproject.toml"
    assert str(broken).startswith("pyproject.toml (unusable: ")


def test_odd_toml_types_are_tolerated(tmp_path):
    write(tmp_path, "pyproject.toml", '[project]\ndependencies = "requests"\noptional-dependencies = 3\n')
    declared = read_declared(tmp_path)

    assert (declared.requirements, declared.optional_groups) == ((), ())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "requirements.txt")
    with pytest.raises(RequirementsError, match="not a regular file"):
        read_declared(tmp_path)
