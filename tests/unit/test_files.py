"""Discovery and reading of an untrusted tree: every tree is built in tmp_path by the test itself."""

from __future__ import annotations

import ast
import errno
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from pathspec import GitIgnoreSpec

from pipreqs_action.errors import SettingsError, SourceError
from pipreqs_action.model import Skipped
from pipreqs_action.reading import discovery, files, ignore_rules
from pipreqs_action.reading.files import SourceText, discover, read_source, walk_sources


def put(root: Path, rel: str, content: str | bytes = "import os\n") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def found(root: Path, exclude: tuple[str, ...] = ()) -> list[str]:
    paths, _ = discover(root, exclude)
    return paths


# ------------------------------------------------------------------------------------------- discovery


def test_discover_lists_py_pyw_and_notebooks_sorted(tmp_path: Path) -> None:
    for rel in ["z.py", "a/b.pyw", "a/nb.ipynb", "a/types.pyi", "README.md", "setup.cfg", "a/c.PY", "B.py"]:
        put(tmp_path, rel)
    assert discover(tmp_path) == (["B.py", "a/b.pyw", "a/nb.ipynb", "z.py"], [])


def test_discover_rejects_a_root_that_is_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="missing: No such file or directory"):
        discover(tmp_path / "missing")
    with pytest.raises(SourceError, match="not a directory"):
        discover(put(tmp_path, "file.py"))


@pytest.fixture
def ignore_tree(tmp_path: Path) -> Path:
    """Nested .gitignore files exercising negation, dir-only, anchoring, ** and precedence."""
    put(tmp_path, ".gitignore", "*.gen.py\n/top_only.py\nsecret/\n!secret/back.py\ndocs/**/gen_*.py\nx.py/\nvendor/\n")
    put(tmp_path, "sub/.gitignore", "!keep.gen.py\n/local.py\n")
    put(tmp_path, "vendor/.gitignore", "!*\n")  # inside an ignored directory: must have no effect
    put(tmp_path, ".git/info/exclude", "private.py\nnotmine.py\n")
    put(tmp_path, "sub/.gitignore", "!keep.gen.py\n/local.py\n!notmine.py\n")
    for rel in [
        "app.py",
        "a.gen.py",
        "top_only.py",
        "sub/top_only.py",
        "sub/keep.gen.py",
        "sub/other.gen.py",
        "sub/local.py",
        "sub/deeper/local.py",
        "secret/x.py",
        "secret/back.py",
        "docs/a/b/gen_api.py",
        "docs/conf.py",
        "x.py",
        "other/x.py/inner.py",
        "vendor/lib.py",
        "private.py",
        "sub/private.py",
        "notmine.py",
        "sub/notmine.py",
    ]:
        put(tmp_path, rel)
    return tmp_path


def test_gitignore_semantics(ignore_tree: Path) -> None:
    assert found(ignore_tree) == [
        "app.py",
        "docs/conf.py",
        "sub/deeper/local.py",
        "sub/keep.gen.py",
        "sub/notmine.py",
        "sub/top_only.py",
        "x.py",
    ]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_gitignore_handling_agrees_with_git(ignore_tree: Path) -> None:
    """git itself is the oracle: untracked, not-ignored files are exactly what we must scan."""
    git_dir = ignore_tree / ".git"
    exclude = (git_dir / "info" / "exclude").read_text()
    shutil.rmtree(git_dir)
    subprocess.run(["git", "init", "-q", "--", str(ignore_tree)], check=True)
    (git_dir / "info").mkdir(exist_ok=True)
    (git_dir / "info" / "exclude").write_text(exclude)
    listed = subprocess.run(
        ["git", "-C", str(ignore_tree), "ls-files", "--others", "--exclude-standard", "-z"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\0")
    assert found(ignore_tree) == sorted(p for p in listed if p.endswith(".py"))


PATTERNS = [
    "*.py[cod]",
    "build/",
    "/top.py",
    "!keep.py",
    "docs/**/gen_*.py",
    "**/fixtures",
    "a/b/",
    "\\#literal.py",
    "*.egg",
    "!important/",
    "[!a]x.py",
    "deep/**",
    "  trailing.py  ",
    "# comment",
    "",
    "(?P<name>x).py",
]
PATHS = [
    "m.pyc",
    "pkg/m.pyo",
    "build/",
    "src/build/",
    "build.py",
    "top.py",
    "sub/top.py",
    "keep.py",
    "x/keep.py",
    "docs/a/b/gen_api.py",
    "docs/gen_x.py",
    "tests/unit/fixtures/",
    "fixtures.py",
    "a/b/",
    "x/a/b/",
    "#literal.py",
    "z.egg",
    "important/",
    "bx.py",
    "ax.py",
    "deep/er/most.py",
    "trailing.py",
    "(?P<name>x).py",
    "plain.py",
]


@pytest.mark.parametrize("count", [1, 4, len(PATTERNS)])
def test_ignore_shortcut_agrees_with_pathspec(count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without RE2, the one-regex shortcut may only ever answer "no pattern matches" when pathspec says the same."""
    monkeypatch.setattr(ignore_rules, "_re2_error", lambda: None)
    spec = GitIgnoreSpec.from_lines(PATTERNS[:count], backend="simple")
    level = ignore_rules.ignore_file("", spec)
    expected = [spec.check_file(path).include for path in PATHS]
    assert level.any_match is not None
    assert [level.verdict(path) for path in PATHS] == expected
    assert {True, None} <= set(expected)
    assert count < len(PATTERNS) or False in expected


def test_info_exclude_is_ignored_when_git_is_a_file(tmp_path: Path) -> None:
    put(tmp_path, ".git", "gitdir: /elsewhere\n")
    put(tmp_path, "private.py")
    assert found(tmp_path) == ["private.py"]


def test_broken_gitignore_patterns_are_dropped_not_fatal(tmp_path: Path) -> None:
    put(tmp_path, ".gitignore", "!\nignored.py\n")
    put(tmp_path, "ignored.py")
    put(tmp_path, "kept.py")
    assert found(tmp_path) == ["kept.py"]


def test_symlinked_gitignore_is_not_followed(tmp_path: Path) -> None:
    put(tmp_path, "patterns.txt", "*.py\n")
    (tmp_path / ".gitignore").symlink_to("patterns.txt")
    put(tmp_path, "kept.py")
    assert found(tmp_path) == ["kept.py"]


def test_real_virtualenv_is_pruned_whatever_its_name(tmp_path: Path) -> None:
    put(tmp_path, "app.py")
    for name in (".venv", "tooling-env"):
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / name)], check=True)
        site = next((tmp_path / name / "lib").glob("python*/site-packages"))
        put(site, "requests_clone/__init__.py", "import urllib3\nimport idna\n")
        put(tmp_path, f"{name}/helper.py")
    assert found(tmp_path) == ["app.py"]


def test_a_virtualenv_is_never_descended(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / ".venv")], check=True)
    put(tmp_path, "pkg/mod.py")
    listed: list[str] = []
    real_scandir = os.scandir

    def recording_scandir(path: str) -> Any:
        listed.append(os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", recording_scandir)
    assert found(tmp_path) == ["pkg/mod.py"]
    venv = str(tmp_path / ".venv")
    assert venv in listed  # its top level is looked at once, to see pyvenv.cfg ...
    assert not [path for path in listed if path.startswith(venv + os.sep)]  # ... and nothing below it


def test_environment_without_pyvenv_cfg_is_recognised_by_its_interpreter(tmp_path: Path) -> None:
    put(tmp_path, "venv/bin/python", "")
    put(tmp_path, "venv/lib/python3.11/mod.py")
    put(tmp_path, ".env/Scripts/python.exe", "")
    put(tmp_path, ".env/Lib/mod.py")
    put(tmp_path, "env/lib/python3.9/os.py")
    put(tmp_path, "envs/real.py")
    put(tmp_path, "env2/env/code.py")  # a plain package called env: no interpreter, so it is code
    assert found(tmp_path) == ["env2/env/code.py", "envs/real.py"]


def test_conda_environment_is_pruned(tmp_path: Path) -> None:
    put(tmp_path, "envs/py311/conda-meta/history", "")
    put(tmp_path, "envs/py311/lib/python3.11/site.py")
    put(tmp_path, "envs/py311/bin/tool.py")
    put(tmp_path, "main.py")
    assert found(tmp_path) == ["main.py"]


@pytest.mark.parametrize(
    "directory",
    [
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".tox",
        ".nox",
        "build",
        "dist",
        "mypkg.egg-info",
        ".eggs",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".ipynb_checkpoints",
        "lib/site-packages",
        "deep/er/node_modules",
    ],
)
def test_tool_and_build_directories_are_skipped(tmp_path: Path, directory: str) -> None:
    put(tmp_path, f"{directory}/module.py")
    put(tmp_path, f"{directory}/nb.ipynb", "{}")
    put(tmp_path, "src/app.py")
    assert found(tmp_path) == ["src/app.py"]


def test_a_package_named_build_is_code_not_build_output(tmp_path: Path) -> None:
    put(tmp_path, "tool/build/__init__.py")
    put(tmp_path, "tool/build/steps.py")
    put(tmp_path, "build/lib/tool/__init__.py")
    assert found(tmp_path) == ["tool/build/__init__.py", "tool/build/steps.py"]


def test_exclude_patterns_add_to_gitignore(tmp_path: Path) -> None:
    for rel in ["app.py", "gui.pyw", "docs/conf.py", "tests/unit/fixtures/f.py", "tests/unit/test_a.py", "x/docs.py"]:
        put(tmp_path, rel)
    assert found(tmp_path, ("docs/", "tests/**/fixtures", "*.pyw")) == ["app.py", "tests/unit/test_a.py", "x/docs.py"]


def test_exclude_negation_can_bring_back_a_gitignored_directory(tmp_path: Path) -> None:
    put(tmp_path, ".gitignore", "generated/\n")
    put(tmp_path, "generated/api.py")
    assert found(tmp_path) == []
    assert found(tmp_path, ("!generated/",)) == ["generated/api.py"]


def test_invalid_exclude_pattern_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="'!'"):
        discover(tmp_path, ["!"])


def test_unlistable_directory_is_reported_and_the_walk_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    put(tmp_path, "locked/inner.py")
    put(tmp_path, "open/mod.py")
    real_scandir = os.scandir
    locked = str(tmp_path / "locked")

    def scandir(path: str) -> Any:
        if os.fspath(path) == locked:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert discover(tmp_path) == (["open/mod.py"], [Skipped("locked", "Permission denied")])


def test_an_entry_failing_mid_listing_costs_its_directory_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    put(tmp_path, "flaky/gone.py")
    put(tmp_path, "steady/mod.py")
    real_take_entry = discovery._take_entry

    def take_entry(walk: Any, entry: os.DirEntry[str], *args: Any) -> None:
        if entry.name == "gone.py":
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), entry.path)
        real_take_entry(walk, entry, *args)

    monkeypatch.setattr(discovery, "_take_entry", take_entry)
    assert discover(tmp_path) == (["steady/mod.py"], [Skipped("flaky", "No such file or directory")])


def test_file_name_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    put(tmp_path, "ok.py")
    fd = os.open(os.fsencode(tmp_path) + b"/bad\xff.py", os.O_CREAT | os.O_WRONLY, 0o644)
    os.close(fd)
    assert discover(tmp_path) == (["ok.py"], [Skipped("bad\ufffd.py", "file name is not valid UTF-8")])


# -------------------------------------------------------------------------------------------- symlinks


def test_symlink_loop_is_reported_and_the_walk_ends(tmp_path: Path) -> None:
    put(tmp_path, "pkg/mod.py")
    (tmp_path / "pkg" / "again").symlink_to("..")
    (tmp_path / "self").symlink_to(".")
    paths, skipped = discover(tmp_path)
    assert paths == ["pkg/mod.py"]
    assert skipped == [Skipped("pkg/again", files.SYMLINK_LOOP), Skipped("self", files.SYMLINK_LOOP)]


def test_symlinks_outside_the_root_are_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    put(outside, "secret.py", "import leaked\n")
    root = tmp_path / "repo"
    put(root, "app.py")
    (root / "leak.py").symlink_to(outside / "secret.py")
    (root / "ext").symlink_to(outside)
    (root / "dangling.py").symlink_to(outside / "nothing.py")
    paths, skipped = discover(root)
    assert paths == ["app.py"]
    assert skipped == [Skipped(rel, files.OUTSIDE_ROOT) for rel in ("dangling.py", "ext", "leak.py")]
    assert read_source(root, "leak.py") == Skipped("leak.py", files.OUTSIDE_ROOT)
    assert read_source(root, "ext/secret.py") == Skipped("ext/secret.py", files.OUTSIDE_ROOT)
    assert read_source(root, "../outside/secret.py") == Skipped(
        "../outside/secret.py", "path is outside the repository"
    )
    assert all(item.text != "import leaked\n" for item in walk_sources(root) if isinstance(item, SourceText))


def test_a_directory_swapped_for_an_outside_link_after_discovery_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    put(outside, "secret.py", "import leaked\n")
    root = tmp_path / "repo"
    put(root, "a.py")
    put(root, "b/secret.py", "import fine\n")
    items = walk_sources(root)
    assert next(items) == SourceText("a.py", "import os\n")
    shutil.rmtree(root / "b")
    (root / "b").symlink_to(outside)
    assert list(items) == [Skipped("b/secret.py", files.OUTSIDE_ROOT)]


def test_symlinks_inside_the_root_are_followed_once(tmp_path: Path) -> None:
    put(tmp_path, ".gitignore", "hidden/\n")
    put(tmp_path, "pkg/real.py", "import real\n")
    put(tmp_path, "hidden/only_here.py")
    put(tmp_path, "script", "import script\n")
    (tmp_path / "alias.py").symlink_to("pkg/real.py")
    (tmp_path / "tool.py").symlink_to("script")
    (tmp_path / "mirror").symlink_to("pkg")
    (tmp_path / "shown").symlink_to("hidden")
    assert discover(tmp_path) == (["pkg/real.py", "shown/only_here.py", "tool.py"], [])
    tool = read_source(tmp_path, "tool.py")
    assert isinstance(tool, SourceText) and tool.text == "import script\n"


def test_symlink_into_a_virtualenv_is_not_followed(tmp_path: Path) -> None:
    put(tmp_path, ".venv/pyvenv.cfg", "home = /usr/bin\n")
    put(tmp_path, ".venv/lib/python3.11/site-packages/pkg/mod.py")
    (tmp_path / "libs").symlink_to(".venv/lib/python3.11/site-packages")
    (tmp_path / "mod.py").symlink_to(".venv/lib/python3.11/site-packages/pkg/mod.py")
    assert discover(tmp_path) == ([], [])


def test_broken_symlink_inside_the_root_is_skipped_when_read(tmp_path: Path) -> None:
    (tmp_path / "gone.py").symlink_to("nowhere.py")
    assert list(walk_sources(tmp_path)) == [Skipped("gone.py", "No such file or directory")]


# --------------------------------------------------------------------------------------------- reading


def read(root: Path, rel: str, content: bytes) -> SourceText | Skipped:
    put(root, rel, content)
    return read_source(root, rel)


def test_plain_utf8_source(tmp_path: Path) -> None:
    assert read(tmp_path, "m.py", "import os\nname = 'café'\n".encode()) == SourceText(
        "m.py", "import os\nname = 'café'\n"
    )


def test_utf8_bom_is_stripped_not_skipped(tmp_path: Path) -> None:
    assert read(tmp_path, "m.py", b"\xef\xbb\xbfimport numpy\n") == SourceText("m.py", "import numpy\n")


@pytest.mark.parametrize(
    ("header", "encoding"),
    [
        ("# -*- coding: latin-1 -*-\n", "latin-1"),
        ("#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\n", "cp1252"),
        ("# coding=iso-8859-15\n", "iso-8859-15"),
        ("# -*- coding: utf-8-unix -*-\n", "utf-8"),
    ],
)
def test_pep263_cookie_is_honoured(tmp_path: Path, header: str, encoding: str) -> None:
    text = f"{header}import yaml\nsign = '€' if False else 'é'\n" if encoding != "latin-1" else f"{header}x = 'é'\n"
    assert read(tmp_path, "m.py", text.encode(encoding)) == SourceText("m.py", text)


def test_cookie_on_line_two_only_counts_after_a_comment_line(tmp_path: Path) -> None:
    content = "x = 1\n# coding: latin-1\ny = 'é'\n".encode("latin-1")
    offset = content.index(b"\xe9")
    assert read(tmp_path, "m.py", content) == Skipped("m.py", f"not valid UTF-8 (byte 0xe9 at offset {offset})")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"# coding: klingon\nimport os\n", "unknown encoding 'klingon' in coding cookie"),
        (b"# coding: utf-16\nimport os\n", "coding cookie names 'utf-16', which Python cannot use for source"),
        (b"# coding: rot13\nimport os\n", "coding cookie names 'rot13', which Python cannot use for source"),
        (
            b"\xef\xbb\xbf# coding: latin-1\nimport os\n",
            "coding cookie says iso-8859-1 but the file starts with a UTF-8 BOM",
        ),
        (b"# coding: cp1252\nx = '\x81'\n", "not valid cp1252 (byte 0x81 at offset 22)"),
    ],
)
def test_unusable_cookie_is_skipped(tmp_path: Path, content: bytes, reason: str) -> None:
    assert read(tmp_path, "m.py", content) == Skipped("m.py", reason)


@pytest.mark.parametrize(
    ("encoding", "bom", "name"),
    [
        ("utf-16-le", b"\xff\xfe", "UTF-16"),
        ("utf-16-be", b"\xfe\xff", "UTF-16"),
        ("utf-16-le", b"", "UTF-16"),
        ("utf-16-be", b"", "UTF-16"),
        ("utf-32-le", b"\xff\xfe\x00\x00", "UTF-32"),
        ("utf-32-be", b"", "UTF-32"),
    ],
)
def test_wide_encodings_are_skipped(tmp_path: Path, encoding: str, bom: bytes, name: str) -> None:
    content = bom + "import requests\nprint('hi')\n".encode(encoding)
    assert read(tmp_path, "m.py", content) == Skipped("m.py", f"{name} encoded: Python cannot run it")


def test_invalid_utf8_names_byte_and_offset(tmp_path: Path) -> None:
    assert read(tmp_path, "m.py", b"import os\nx = '\xff'\n") == Skipped(
        "m.py", "not valid UTF-8 (byte 0xff at offset 15)"
    )
    assert read(tmp_path, "b.py", b"\xef\xbb\xbfx = '\xc3'\n") == Skipped(
        "b.py", "not valid UTF-8 (byte 0xc3 at offset 8)"
    )


def test_nul_bytes_are_skipped(tmp_path: Path) -> None:
    assert read(tmp_path, "m.py", b"import os\n\x00\x00junk\n") == Skipped(
        "m.py", "contains NUL bytes (first at offset 10)"
    )


def test_file_over_10_mib_is_skipped_without_reading_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with (tmp_path / "huge.py").open("wb") as handle:
        handle.truncate(11 * 1024 * 1024)  # sparse: costs no disk
    monkeypatch.setattr(os, "read", lambda *_: pytest.fail("a too-large file was read"))
    assert read_source(tmp_path, "huge.py") == Skipped("huge.py", "larger than 10 MiB")


def test_notebook_limit_is_higher_but_exists(tmp_path: Path) -> None:
    with (tmp_path / "nb.ipynb").open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)
    assert read_source(tmp_path, "nb.ipynb") == Skipped("nb.ipynb", "larger than 64 MiB")


def test_minified_source_is_skipped_but_a_long_ordinary_file_is_not(tmp_path: Path) -> None:
    line = "x=[" + ",".join(["1"] * 1500) + "]\n"
    minified = read(tmp_path, "min.py", (line * 40).encode())
    assert minified == Skipped("min.py", f"looks minified (average line {len(line * 40) // 41} characters)")
    ordinary = "import os\n" + "value = os.getcwd()  # a comment to make the line longer\n" * 3000
    assert read(tmp_path, "big.py", ordinary.encode()) == SourceText("big.py", ordinary)


def test_fifo_is_skipped_without_blocking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    put(tmp_path, "ok.py")
    real_open = os.open

    def guarded_open(path: str, flags: int, *args: Any) -> int:
        assert not path.endswith("pipe.py"), "a FIFO was opened"
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", guarded_open)
    results: list[list[SourceText | Skipped]] = []
    worker = threading.Thread(target=lambda: results.append(list(walk_sources(tmp_path))), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert results == [[SourceText("ok.py", "import os\n"), Skipped("pipe.py", "not a regular file (named pipe)")]]


def test_directory_named_like_a_source_is_skipped_when_read(tmp_path: Path) -> None:
    put(tmp_path, "x.py/inner.py")
    assert found(tmp_path) == ["x.py/inner.py"]
    assert read_source(tmp_path, "x.py") == Skipped("x.py", "Is a directory")


def test_unreadable_and_vanished_files_are_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    put(tmp_path, "locked.py")
    real_open = os.open

    def deny(path: str, flags: int, *args: Any) -> int:
        if path.endswith("locked.py"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", deny)
    assert read_source(tmp_path, "locked.py") == Skipped("locked.py", "Permission denied")
    assert read_source(tmp_path, "gone.py") == Skipped("gone.py", "No such file or directory")


def test_walk_sources_reports_discovery_problems_then_files_in_order(tmp_path: Path) -> None:
    put(tmp_path, "b.py", "import b\n")
    put(tmp_path, "a.py", b"\xff")
    (tmp_path / "loop").symlink_to(".")
    assert list(walk_sources(tmp_path)) == [
        Skipped("loop", files.SYMLINK_LOOP),
        Skipped("a.py", "not valid UTF-8 (byte 0xff at offset 0)"),
        SourceText("b.py", "import b\n"),
    ]


# ------------------------------------------------------------------------------------------- notebooks


def notebook(cells: list[dict[str, Any]], language: str = "python", **top: Any) -> dict[str, Any]:
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": language, "language": language, "name": language},
            "language_info": {"name": language},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
        **top,
    }


def code(source: str | list[str], outputs: list[Any] | None = None) -> dict[str, Any]:
    return {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": outputs or [], "source": source}


def stream(text: str) -> dict[str, Any]:
    return {"name": "stdout", "output_type": "stream", "text": lines(text)}


def markdown(source: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {}, "source": source.splitlines(keepends=True)}


def lines(text: str) -> list[str]:
    """A cell source as nbformat stores it: one list element per line, the last without its newline."""
    return text.splitlines(keepends=True)


def write_notebook(root: Path, rel: str, nb: dict[str, Any], **dump: Any) -> str:
    """Serialise like nbformat (sort_keys, indent=1, raw non-ASCII) unless told otherwise."""
    options: dict[str, Any] = {"sort_keys": True, "indent": 1, "ensure_ascii": False} | dump
    raw = json.dumps(nb, **options) + "\n"
    put(root, rel, raw)
    return raw


def read_notebook(root: Path, rel: str = "nb.ipynb") -> SourceText:
    result = read_source(root, rel)
    assert isinstance(result, SourceText), result
    return result


def assert_line_map_points_into_file(source: SourceText, raw: str) -> None:
    """Every non-blank text line must sit, JSON-encoded, on the file line the map names."""
    assert source.line_map is not None
    text_lines = source.text.split("\n")
    assert len(source.line_map) == len(text_lines)
    file_lines = raw.split("\n")
    for text_line, file_line in zip(text_lines, source.line_map, strict=True):
        if text_line.strip():
            encoded = json.dumps(text_line, ensure_ascii=False)[1:-1]
            ascii_encoded = json.dumps(text_line)[1:-1]
            assert encoded in file_lines[file_line - 1] or ascii_encoded in file_lines[file_line - 1]


def test_notebook_v4_list_and_string_sources(tmp_path: Path) -> None:
    nb = notebook(
        [
            markdown("# Title\nimport not_code\n"),
            code(lines("import pandas as pd\nimport numpy as np\n\ndf = pd.DataFrame()")),
            code("from sklearn import svm\nclf = svm.SVC()"),
            code([]),
        ]
    )
    raw = write_notebook(tmp_path, "nb.ipynb", nb)
    source = read_notebook(tmp_path)
    assert (
        source.text
        == "import pandas as pd\nimport numpy as np\n\ndf = pd.DataFrame()\nfrom sklearn import svm\nclf = svm.SVC()"
    )
    assert_line_map_points_into_file(source, raw)
    assert source.line_map is not None
    file_lines = raw.split("\n")
    assert '"from sklearn import svm\\nclf = svm.SVC()"' in file_lines[source.line_map[4] - 1]
    assert source.line_map[4] == source.line_map[5]  # one JSON string holds both lines


def test_imports_found_by_ast_map_to_the_real_notebook_line(tmp_path: Path) -> None:
    nb = notebook(
        [
            code(lines("import pandas as pd\nprint(1)")),
            markdown("Some text:\nimport yaml\n"),
            code(
                lines("%matplotlib inline\nimport yaml\n!pip install yaml\n"),
                outputs=[stream("%matplotlib inline\nimport yaml\n")],
            ),
        ]
    )
    raw = write_notebook(tmp_path, "nb.ipynb", nb)
    source = read_notebook(tmp_path)
    assert source.line_map is not None
    file_lines = raw.split("\n")
    imported = {
        node.names[0].name: source.line_map[node.lineno - 1]
        for node in ast.walk(ast.parse(source.text))
        if isinstance(node, ast.Import)
    }
    assert set(imported) == {"pandas", "yaml"}
    for name, line in imported.items():
        assert f"import {name}" in file_lines[line - 1]
        opening = next(text for text in reversed(file_lines[: line - 1]) if text.rstrip().endswith("["))
        assert opening.strip() == '"source": ['  # the real source, not the output or the markdown


def test_ipython_syntax_becomes_empty_lines(tmp_path: Path) -> None:
    cell = (
        "%matplotlib inline\n"
        "!pip install requests \\\n"
        "    certifi\n"
        "files = !ls -la\n"
        "timing = %timeit -o sum(range(9))\n"
        "?print\n"
        "np.array??\n"
        "import requests\n"
        "if True:\n"
        "    %time x = 1\n"
        "    y = 2\n"
        "msg = ('%s'\n"
        "       % 'kept')\n"
        'doc = """\n'
        "!not shell\n"
        '"""\n'
        "z = x != y  # what?\n"
    )
    write_notebook(tmp_path, "nb.ipynb", notebook([code(lines(cell))]))
    text = read_notebook(tmp_path).text
    assert text.split("\n") == [
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "import requests",
        "if True:",
        "",
        "    y = 2",
        "msg = ('%s'",
        "       % 'kept')",
        'doc = """',
        "!not shell",
        '"""',
        "z = x != y  # what?",
    ]
    ast.parse(text)


def test_cell_magics_blank_the_cell_unless_the_body_is_python(tmp_path: Path) -> None:
    """A ``%%writefile x.py`` body is a module of the project: kept as code, and the module is recorded."""
    cells = [
        code(lines("%%bash\nimport fake\necho hi")),
        code(lines("\n%%writefile helper.py\nimport fake2")),
        code(lines("%%time\nimport torch\n!nvidia-smi")),
        code(lines("%%capture out\nimport tqdm")),
        code(lines("%%writefile notes.txt\nimport not_code")),
    ]
    write_notebook(tmp_path, "nb.ipynb", notebook(cells))
    source = read_notebook(tmp_path)
    assert source.writes == ("helper.py",)
    assert source.text.split("\n") == [
        "",
        "",
        "",
        "",
        "",
        "import fake2",
        "",
        "import torch",
        "",
        "",
        "import tqdm",
        "",
        "",
    ]


def test_line_map_passes_over_nested_source_keys_and_cells_without_source(tmp_path: Path) -> None:
    nested = {"source": lines("# generated\nimport yaml\n")}
    decoy = {"data": {"application/json": nested}, "output_type": "display_data"}
    cells = [
        {"cell_type": "code", "metadata": {}, "outputs": []},
        code(lines("import yaml\nx = 1"), outputs=[decoy]),
    ]
    raw = write_notebook(tmp_path, "nb.ipynb", notebook(cells))
    source = read_notebook(tmp_path)
    assert source.text == "import yaml\nx = 1"
    file_lines = raw.split("\n")
    for text_line, mapped in zip(source.text.split("\n"), source.line_map or (), strict=True):
        holding = [number for number, line in enumerate(file_lines, 1) if json.dumps(text_line)[:-1] in line]
        assert len(holding) == (2 if "yaml" in text_line else 1)  # the decoy in the outputs, then the real source
        assert mapped == holding[-1]


def test_unrecognised_escaping_degrades_the_map_not_the_read(tmp_path: Path) -> None:
    """A writer escaping "/" as "\\/" defeats the search: lines fall back to the last line found, in order."""
    nb = notebook([code(lines("import os\npath = 'a/b'\nimport sys\n" * 50))])
    raw = json.dumps(nb, sort_keys=True, indent=1).replace("/", "\\/")
    put(tmp_path, "nb.ipynb", raw)
    source = read_notebook(tmp_path)
    assert source.line_map is not None
    assert len(source.line_map) == 150
    assert list(source.line_map) == sorted(source.line_map)
    file_lines = raw.split("\n")
    for text_line, mapped in zip(source.text.split("\n"), source.line_map, strict=True):
        if "/" not in text_line:
            assert json.dumps(text_line)[1:-1] in file_lines[mapped - 1]


def test_notebook_v3_worksheets(tmp_path: Path) -> None:
    nb = {
        "metadata": {"name": "old"},
        "nbformat": 3,
        "nbformat_minor": 0,
        "worksheets": [
            {
                "cells": [
                    {"cell_type": "heading", "level": 1, "metadata": {}, "source": ["import nope"]},
                    {
                        "cell_type": "code",
                        "input": ["import scipy\n", "%pylab inline"],
                        "language": "python",
                        "outputs": [],
                    },
                ],
                "metadata": {},
            },
            {"cells": [{"cell_type": "code", "input": "import sympy", "language": "python", "outputs": []}]},
        ],
    }
    raw = write_notebook(tmp_path, "old.ipynb", nb)
    source = read_notebook(tmp_path, "old.ipynb")
    assert source.text == "import scipy\n\nimport sympy"
    assert_line_map_points_into_file(source, raw)


def test_minified_notebook_maps_everything_to_line_one(tmp_path: Path) -> None:
    write_notebook(tmp_path, "nb.ipynb", notebook([code(lines("import a\nimport b")), code("import c")]), indent=None)
    source = read_notebook(tmp_path)
    assert source.text == "import a\nimport b\nimport c"
    assert source.line_map == (1, 1, 1)


def test_line_map_survives_ascii_escaped_notebooks_and_bom(tmp_path: Path) -> None:
    nb = notebook([code(lines("# café ☕\nimport unicodedata\nname = 'naïve'"))])
    raw = json.dumps(nb, sort_keys=True, indent=2, ensure_ascii=True)
    put(tmp_path, "nb.ipynb", b"\xef\xbb\xbf" + raw.encode())
    source = read_notebook(tmp_path)
    assert source.text == "# café ☕\nimport unicodedata\nname = 'naïve'"
    assert_line_map_points_into_file(source, raw)
    assert len(set(source.line_map or ())) == 3


def test_cells_split_mid_line_are_joined(tmp_path: Path) -> None:
    raw = write_notebook(tmp_path, "nb.ipynb", notebook([code(["import ", "os\n", "import sys"])]))
    source = read_notebook(tmp_path)
    assert source.text == "import os\nimport sys"
    assert source.line_map is not None
    assert '"import "' in raw.split("\n")[source.line_map[0] - 1]


def test_every_python_line_break_gets_its_own_mapped_line(tmp_path: Path) -> None:
    """ast counts \\r and \\r\\n as line breaks; the map must have one entry per line ast will see."""
    write_notebook(tmp_path, "nb.ipynb", notebook([code(["import a\rimport b\r\n", "import c\r\n", "x = 1"])]))
    source = read_notebook(tmp_path)
    assert source.line_map is not None
    assert source.text == "import a\nimport b\nimport c\nx = 1"
    assert source.line_map[0] == source.line_map[1] < source.line_map[2] < source.line_map[3]
    linenos = [node.lineno for node in ast.parse(source.text).body]
    assert max(linenos) == len(source.line_map)


def test_notebook_code_with_nul_is_skipped(tmp_path: Path) -> None:
    write_notebook(tmp_path, "nb.ipynb", notebook([code("import os\u0000")]))
    assert read_source(tmp_path, "nb.ipynb") == Skipped("nb.ipynb", "contains NUL bytes")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"cells": [', "broken notebook: invalid JSON (Expecting value at line 1 column 12)"),
        (b"[1, 2]", "broken notebook: top level is not a JSON object"),
        (b'{"cells": {}}', "broken notebook: 'cells' is not a list"),
        (b'{"cells": [3]}', "broken notebook: cell 1 is not an object"),
        (b'{"cells": [{"cell_type": "code", "source": [1]}]}', "broken notebook: cell 1 'source' holds a non-string"),
        (b'{"metadata": {}}', "broken notebook: no 'cells' or 'worksheets'"),
        (b'{"worksheets": 5}', "broken notebook: 'worksheets' is not a list"),
        (b"\xff{}", "broken notebook: not valid UTF-8 (byte 0xff at offset 0)"),
        (b"[" * 100_000 + b"]" * 100_000, None),
    ],
)
def test_broken_notebooks_are_skipped(tmp_path: Path, content: bytes, reason: str | None) -> None:
    result = read(tmp_path, "nb.ipynb", content)
    assert isinstance(result, Skipped)
    assert result.reason == reason if reason else result.reason.startswith("broken notebook: ")


@pytest.mark.parametrize(
    ("metadata", "language"),
    [
        ({"kernelspec": {"language": "R", "name": "ir"}, "language_info": {"name": "R"}}, "R"),
        ({"language_info": {"name": "julia"}}, "julia"),
        ({"kernelspec": {"language": "scala"}}, "scala"),
    ],
)
def test_non_python_kernels_are_skipped(tmp_path: Path, metadata: dict[str, Any], language: str) -> None:
    write_notebook(tmp_path, "nb.ipynb", notebook([code("library(ggplot2)")]) | {"metadata": metadata})
    assert read_source(tmp_path, "nb.ipynb") == Skipped("nb.ipynb", f"notebook kernel is {language}, not Python")


def test_python_kernels_and_missing_metadata_are_read(tmp_path: Path) -> None:
    for index, metadata in enumerate(
        [{}, {"kernelspec": {"language": "python", "name": "python3"}}, {"language_info": {"name": "Python"}}]
    ):
        write_notebook(tmp_path, f"nb{index}.ipynb", notebook([code("import attr")]) | {"metadata": metadata})
        assert read_notebook(tmp_path, f"nb{index}.ipynb").text == "import attr"


def test_walk_sources_reads_notebooks_and_scripts_together(tmp_path: Path) -> None:
    write_notebook(tmp_path, "analysis.ipynb", notebook([code("import polars")]))
    put(tmp_path, "run.py", "import click\n")
    items = list(walk_sources(tmp_path))
    assert [(item.rel, item.text, item.line_map is None) for item in items if isinstance(item, SourceText)] == [
        ("analysis.ipynb", "import polars", False),
        ("run.py", "import click\n", True),
    ]
