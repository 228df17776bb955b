"""The runner protocol: our workflow commands against @actions/core's own, byte for byte, and files and logs as
the runner reads them.

@actions/core is the reference: ``tests/node/annotate.js`` hands it the same message and properties and prints
what it writes. The helpers at the top read a step's log and file commands back with the runner's rules
(actions/runner ``ActionCommand.TryParseV2`` and the file-command parser); the action's tests use them too.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import random
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from actions_toolkit import core

from pipreqs_action.github import runner

NODE_DIR = Path(__file__).resolve().parents[1] / "node"
ANNOTATE_JS = NODE_DIR / "annotate.js"
NODE_HINT = "install node and run `npm ci --prefix tests/node --no-audit --no-fund --ignore-scripts`"


# --- the runner's side, shared with test_action and test_entrypoint ------------------------------------------------


@dataclass(frozen=True)
class Command:
    """One workflow command the runner would act on, unescaped."""

    name: str
    properties: dict[str, str] = field(default_factory=dict)
    message: str = ""


def _unescape(value: str, *, prop: bool) -> str:
    codes = [("%0D", "\r"), ("%0A", "\n"), *([("%3A", ":"), ("%2C", ",")] if prop else []), ("%25", "%")]
    for code, char in codes:
        value = value.replace(code, char)
    return value


def _parse_command(line: str) -> Command | None:
    text = line.lstrip()  # the runner trims leading blanks before looking for "::"
    end = text.find("::", 2)
    if not text.startswith("::") or end < 0:
        return None
    name, _, props = text[2:end].partition(" ")
    pairs = (item.partition("=") for item in props.split(",") if item)
    properties = {key: _unescape(value, prop=True) for key, sep, value in pairs if sep}
    return Command(name, properties, _unescape(text[end + 2 :], prop=False))


def runner_commands(log: str) -> list[Command]:
    """Every command the runner reads from a log (lines end at \\r, \\n or \\r\\n), honouring stop-commands:
    while stopped only the resume token counts. The stop and resume commands themselves are listed too."""
    commands: list[Command] = []
    stop: str | None = None
    for line in re.split(r"\r\n|\r|\n", log):
        command = _parse_command(line)
        if command is None or (stop is not None and command.name != stop):
            continue
        commands.append(command)
        stop = command.message if command.name == "stop-commands" and stop is None else None
    return commands


def parse_file_commands(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT as the runner reads it: ``name=value`` or ``name<<DELIM`` ... ``DELIM``; a later name wins.
    Anything else fails the step on GitHub, so it fails the test here."""
    values: dict[str, str] = {}
    lines = iter(text.split("\n"))
    for line in lines:
        if not line:
            continue
        name, heredoc, delimiter = line.partition("<<")
        if "=" in name or not heredoc:
            key, equals, value = line.partition("=")
            assert equals and key, f"invalid file command line {line!r}"
            values[key] = value
            continue
        assert name and delimiter, f"empty name or delimiter in {line!r}"
        body: list[str] = []
        for inner in lines:
            if inner == delimiter:
                break
            body.append(inner)
        else:
            raise AssertionError(f"delimiter {delimiter!r} of {name!r} never closed")
        values[name] = "\n".join(body)
    return values


# --- @actions/core as the oracle --------------------------------------------------------------------------------


def actions_core(calls: list[dict[str, Any]]) -> bytes:
    """What @actions/core writes to stdout for these calls (see tests/node/annotate.js)."""
    if shutil.which("node") is None or not (NODE_DIR / "node_modules" / "@actions" / "core").is_dir():
        pytest.fail(f"@actions/core is not installed: {NODE_HINT}")
    done = subprocess.run(
        ["node", str(ANNOTATE_JS)], input=json.dumps(calls).encode(), capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert not done.stderr, done.stderr.decode(errors="replace")
    return done.stdout


def ours(write: Callable[[], None]) -> bytes:
    """What our code writes to stdout, as the UTF-8 bytes the runner would read."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        write()
    return buffer.getvalue().encode()


TRICKY = ["%", "\r", "\n", ":", ",", "=", "::", "%0A", "%25", " ", "\t", "é", "😀", ";", "]", "a", "b", "error"]


def _random_cases(count: int, seed: int = 20240521) -> list[tuple[str, str, str, int | None]]:
    rng = random.Random(seed)

    def text() -> str:
        return "".join(rng.choice(TRICKY) for _ in range(rng.randint(0, 12)))

    return [(text(), text(), text(), rng.choice([None, 0, 1, 7, 12345])) for _ in range(count)]


CASES: list[tuple[str, str, str, int | None]] = [
    ("'PyYAML' is imported but not declared", "Missing from requirements.txt: PyYAML", "app.py", 2),
    ("50% done, 100%", "100% sure", "src/50%.py", 1),
    ("line one\nline two\r\nline three\r", "a\r\nb", "dir\nname/x.py", 3),
    ("a: b, c", "t: x, y", "we:ird,name.py", 10),
    ("::error::not a command", "::warning::", "::error::x.py", 4),
    ("already %0A escaped %25", "%0D", "%3A%2C.py", 5),
    ("über 😀", "naïve", "модуль.py", 6),
    ("no properties at all", "", "", None),
    ("line zero counts as unset", "title only", "", 0),
    ("", "empty message", "e.py", 8),
    *_random_cases(40),
]


def _set(title: str, file: str, line: int | None) -> dict[str, Any]:
    """The properties a JavaScript caller passes: the set ones. (Given keys that are all empty, @actions/core
    writes ``::warning ::message``, a space and no properties; the runner reads that as no properties too.)"""
    given = {"title": title, "file": file, "startLine": line}
    return {key: value for key, value in given.items() if value}


@pytest.fixture(scope="module")
def reference() -> list[bytes]:
    """@actions/core's line for each case (one node run for them all), with the line end it writes."""
    calls = [
        {"kind": "warning" if n % 2 == 0 else "error", "message": message, "properties": _set(title, file, line)}
        for n, (message, title, file, line) in enumerate(CASES)
    ]
    written = actions_core(calls)
    lines = written.split(b"\n")
    assert lines[-1] == b"" and len(lines) == len(CASES) + 1, "every command must be one line ending in \\n"
    return [line + b"\n" for line in lines[:-1]]


@pytest.mark.parametrize("index", range(len(CASES)), ids=lambda i: f"case{i}")
def test_annotation_is_byte_for_byte_what_actions_core_writes(reference: list[bytes], index: int) -> None:
    message, title, file, line = CASES[index]
    kind = "warning" if index % 2 == 0 else "error"
    written = ours(lambda: runner.annotate(kind, message, title=title, file=file, line=line))
    assert written == reference[index]
    assert written.count(b"\n") == 1 and b"\r" not in written  # one line, whatever the text held


def test_annotation_reads_back_to_the_same_message_and_properties() -> None:
    message, title, file, line = CASES[2]
    written = ours(lambda: runner.annotate("warning", message, title=title, file=file, line=line)).decode()
    assert runner_commands(written) == [Command("warning", {"title": title, "file": file, "line": str(line)}, message)]


@pytest.mark.parametrize("text", ["ghs_plainToken123", "with%percent", "two\nlines\r\n", "a:b,c", "😀"])
def test_error_lines_and_masks_match_actions_core(text: str) -> None:
    """The action's one-line errors and its ::add-mask:: go through actions-toolkit: same bytes as @actions/core."""
    reference = actions_core([{"kind": "error", "message": text}, {"kind": "setSecret", "message": text}])
    assert ours(lambda: (core.error(text), core.set_secret(text))) == reference


# --- inputs, outputs, summary ----------------------------------------------------------------------------------


def test_inputs_are_read_from_the_given_environment_with_hyphens_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INPUT_PATH", "from-os-environ")
    env = {"INPUT_GITHUB-TOKEN": "  ghs_x \n", "INPUT_FAIL-ON": "missing", "INPUT_MY_INPUT": "spaced", "INPUT_PATH": ""}
    get_input = runner.input_reader(env)
    assert get_input("github-token") == "ghs_x"
    assert get_input("fail-on") == "missing"
    assert get_input("my input") == "spaced"  # @actions/core: spaces become underscores
    assert get_input("path") == ""  # never falls back to os.environ
    assert get_input("github_token") == ""  # INPUT_GITHUB_TOKEN is another variable


def test_outputs_are_heredocs_the_runner_reads_back(tmp_path: Path) -> None:
    output = tmp_path / "set_output_1"
    output.write_text("earlier=kept\n")
    values = {"in-sync": "false", "requirements": "requests==2.31.0\nPyYAML\n", "empty": "", "tricky": "a<<b\n=c"}
    for name, value in values.items():
        runner.set_output(str(output), name, value)
    assert parse_file_commands(output.read_text("utf-8")) == {"earlier": "kept", **values}


def test_outputs_without_a_runner_file_write_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runner.set_output("", "in-sync", "true")
    assert capsys.readouterr() == ("", "")  # no deprecated ::set-output either
    assert list(tmp_path.iterdir()) == []


def test_summary_is_appended_line_terminated(tmp_path: Path) -> None:
    summary = tmp_path / "step_summary_1"
    summary.write_text("# earlier step\n")
    runner.append_summary(str(summary), "### first")
    runner.append_summary(str(summary), "second\n")
    runner.append_summary("", "nowhere")
    assert summary.read_text("utf-8") == "# earlier step\n### first\nsecond\n"


# --- untrusted text and log records ----------------------------------------------------------------------------

HOSTILE = "  ::error::x.py: skipped\n::add-mask::oops\n::stop-commands::guess\n::warning file=a.py::fake\n"


def test_untrusted_text_is_printed_with_commands_stopped(capsys: pytest.CaptureFixture[str]) -> None:
    runner.log_untrusted(HOSTILE)
    runner.log_untrusted("no line end")
    out = capsys.readouterr().out
    commands = runner_commands(out)
    assert [c.name for c in commands[::2]] == ["stop-commands", "stop-commands"]
    tokens = [c.message for c in commands[::2]]
    assert [c.name for c in commands[1::2]] == tokens and len(set(tokens)) == 2  # resumed; a new token each time
    assert all(len(token) >= 32 and token not in HOSTILE for token in tokens)
    assert f"::stop-commands::{tokens[0]}\n{HOSTILE}::{tokens[0]}::\n" in out
    assert out.endswith(f"no line end\n::{tokens[1]}::\n")


@pytest.fixture
def package_logger() -> Iterator[logging.Logger]:
    logger = logging.getLogger("pipreqs_action.test_runner")
    yield logger
    assert not logger.handlers, "the handler must be gone after the run"


def test_log_records_become_escaped_commands(
    package_logger: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    with runner.logging_to_runner(package_logger.name):
        package_logger.warning("%s: ignoring invalid pattern %r", "::error::evil\n/.gitignore", "[")
        package_logger.error("cannot go on: %s", "50%")
        package_logger.info("cloning %s", "o/r\n::error::injected")
        package_logger.debug("hidden unless the run is in debug mode")
    out = capsys.readouterr().out
    assert runner_commands(out) == [
        Command("warning", {}, "::error::evil\n/.gitignore: ignoring invalid pattern '['"),
        Command("error", {}, "cannot go on: 50%"),
    ]
    assert "cloning o/r\\n::error::injected\n" in out
    assert "hidden" not in out


def test_debug_records_show_in_debug_runs_and_nothing_stays_behind(
    package_logger: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    level = package_logger.level
    with runner.logging_to_runner(package_logger.name, debug=True):
        package_logger.debug("step %d", 1)
    package_logger.warning("after the run")
    assert runner_commands(capsys.readouterr().out) == [Command("debug", {}, "step 1")]
    assert package_logger.level == level


def test_runner_parser_reads_what_actions_core_writes() -> None:
    """The test helper itself, checked against the reference: unescaping undoes @actions/core's escaping."""
    message, title, file = "a%b\r\nc: d, e", "t: 1, 2%", "x\n,y:.py"
    written = actions_core([{"kind": "warning", "message": message, "properties": {"title": title, "file": file}}])
    assert runner_commands(written.decode()) == [Command("warning", {"title": title, "file": file}, message)]
