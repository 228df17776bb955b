"""A project's lock file as dependency data: uv.lock, poetry.lock and pdm.lock, read as TOML and never run."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipreqs_action.metadata.dependency_metadata import installed_through, lock_lookup
from pipreqs_action.metadata.lock_dependencies import read_lock, without_unread_values
from pipreqs_action.reading.toml_documents import loads

UV_LOCK = """\
version = 1
requires-python = ">=3.12"

[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [{ name = "zq-core", extra = ["all"] }]

[[package]]
name = "zq-core"
version = "11.10.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "discord-py" },
    { name = "colorama", marker = "sys_platform == 'win32'" },
]

[package.optional-dependencies]
all = [{ name = "async-rediscache" }, { name = "fakeredis", extra = ["lua"] }]

[[package]]
name = "discord-py"
version = "2.4.0"
dependencies = [{ name = "aiohttp" }]

[[package]]
name = "fakeredis"
version = "2.26.0"
dependencies = [{ name = "redis" }]

[package.optional-dependencies]
lua = [{ name = "lupa" }]
"""

POETRY_LOCK = """\
[[package]]
name = "fastapi"
version = "0.95.2"

[package.dependencies]
pydantic = ">=1.6.2,<2.0.0"
starlette = ">=0.27.0,<0.28.0"
email-validator = {version = ">=1.1.1", optional = true}
typing-extensions = [
    {version = ">=4", markers = "python_version < \\"3.10\\""},
    {version = ">=4.5", markers = "python_version >= \\"3.10\\""},
]

[package.extras]
all = ["email-validator (>=1.1.1)", "uvicorn[standard] (>=0.12.0)"]
"""

PDM_LOCK = """\
[[package]]
name = "uvicorn"
version = "0.23.2"
dependencies = ["click>=7.0", "h11>=0.8", "colorama; sys_platform == 'win32'"]

[[package]]
name = "uvicorn"
version = "0.23.2"
extras = ["standard"]
dependencies = ["uvicorn==0.23.2", "httptools>=0.5.0"]
"""


def lock(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / name).write_text(text, "utf-8")
    return tmp_path


def test_uv_lock_gives_each_locked_release_its_requirements_extras_and_markers(tmp_path) -> None:
    found = read_lock(lock(tmp_path, "uv.lock", UV_LOCK))
    assert found.file == "uv.lock" and found.warnings == ()
    core = found.known["zq-core"]
    assert core.version == "11.10.0"
    assert set(core.requires) == {
        "discord-py",
        "colorama; sys_platform == 'win32'",
        'async-rediscache; extra == "all"',
        'fakeredis[lua]; extra == "all"',
    }


def test_what_a_declared_extra_installs_comes_from_the_lock_even_offline(tmp_path) -> None:
    locked = read_lock(lock(tmp_path, "uv.lock", UV_LOCK)).known
    source = ("lock", lambda keys: lock_lookup(locked, keys))
    found = installed_through([("zq-core", ("all",))], [source], {"zq-core": "==11.10.0"})
    assert {"discord-py", "aiohttp", "async-rediscache", "fakeredis", "redis", "lupa", "colorama"} <= set(found.through)
    assert found.sources["redis"] == "lock" and found.unknown == ()
    plain = installed_through([("zq-core", ())], [source])
    assert "async-rediscache" not in plain.through and "aiohttp" in plain.through


def test_a_lock_that_describes_another_release_than_the_declared_range_is_not_used_for_it(tmp_path) -> None:
    locked = read_lock(lock(tmp_path, "uv.lock", UV_LOCK)).known
    source = ("lock", lambda keys: lock_lookup(locked, keys))
    found = installed_through([("zq-core", ())], [source], {"zq-core": ">=12"})
    assert found.through == {} and found.unknown == ("zq-core>=12",)


def test_poetry_lock_leaves_optional_dependencies_to_their_extras(tmp_path) -> None:
    fastapi = read_lock(lock(tmp_path, "poetry.lock", POETRY_LOCK)).known["fastapi"]
    assert set(fastapi.requires) == {
        "pydantic",
        "starlette",
        'typing-extensions; python_version < "3.10"',
        'typing-extensions; python_version >= "3.10"',
        'email-validator; extra == "all"',
        'uvicorn[standard]; extra == "all"',
    }


def test_pdm_lock_keeps_an_extras_entry_under_its_extra(tmp_path) -> None:
    uvicorn = read_lock(lock(tmp_path, "pdm.lock", PDM_LOCK)).known["uvicorn"]
    assert set(uvicorn.requires) == {
        "click",
        "h11",
        "colorama; sys_platform == 'win32'",
        'httptools; extra == "standard"',
    }


def test_no_lock_and_a_broken_lock_answer_nothing_and_a_broken_one_says_why(tmp_path) -> None:
    assert read_lock(tmp_path).known == {} and read_lock(tmp_path).warnings == ()
    broken = read_lock(lock(tmp_path, "uv.lock", "[[package]\nname = "))
    assert broken.known == {}
    assert len(broken.warnings) == 1 and broken.warnings[0].startswith("dependency data: uv.lock cannot be read")
    binary = read_lock(lock(tmp_path, "uv.lock", "")).known  # empty: no packages, nothing to say
    assert binary == {}


def test_a_lock_file_is_parsed_once_per_version_of_it(tmp_path, monkeypatch) -> None:
    """Every member of a uv workspace reads the root's lock: one parse serves them all, a rewrite is read again."""
    import os

    from pipreqs_action.metadata import lock_dependencies

    lock = tmp_path / "uv.lock"
    lock.write_text('[[package]]\nname = "a"\nversion = "1"\ndependencies = [{ name = "b" }]\n', "utf-8")
    loads: list[object] = []
    real_load = lock_dependencies._load
    monkeypatch.setattr(lock_dependencies, "_load", lambda path: loads.append(path) or real_load(path))
    lock_dependencies._read.cache_clear()
    first = lock_dependencies.read_lock(tmp_path)
    again = lock_dependencies.read_lock(tmp_path)
    assert len(loads) == 1 and first.known == again.known and list(first.known) == ["a"]
    lock.write_text('[[package]]\nname = "c"\nversion = "2"\n', "utf-8")
    stat = lock.stat()
    os.utime(lock, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert list(lock_dependencies.read_lock(tmp_path).known) == ["c"]
    assert len(loads) == 2


WHEELS = """\
[[package]]
name = "app"
version = "1.0"
sdist = { url = "https://x/app-1.0.tar.gz", hash = "sha256:ab", size = 10 }
wheels = [
    { url = "https://x/app-1.0-py3-none-any.whl", hash = "sha256:cd", size = 5 },
    { url = "https://x/app-1.0-{odd}]-name.whl", hash = "sha256:ef" },
]
dependencies = [
    { name = "b" },
]

[package.extras]
files = ["c (>=1)"]
"""


@pytest.mark.parametrize(
    ("text", "left_out"),
    [
        (WHEELS, True),  # a package's wheels and sdist; an extra that happens to be named "files" stays
        (POETRY_LOCK + 'files = [\n    {file = "f.whl", hash = "sha256:00"},\n]\n', False),  # in [package.extras]
        # an indented key after the array closed early: not as uv writes it, so the whole text is parsed
        ('[[package]]\nname = "a"\nwheels = [\n    {url = "u"}]\n    dependencies = [\n]\n', False),
        ('[[package]]\nname = "a"\nwheels = [\n    """x\n]\n"""]\n', False),  # a multi-line string
    ],
)
def test_what_is_never_read_is_left_out_before_parsing(text: str, left_out: bool) -> None:
    shorter = without_unread_values(text)
    assert (shorter != text) == left_out
    assert _packages_read(shorter) == _packages_read(text)


def _packages_read(text: str) -> list[dict[str, object]]:
    unread = {"wheels", "sdist", "files"}
    return [{key: value for key, value in entry.items() if key not in unread} for entry in loads(text)["package"]]
