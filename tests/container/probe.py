"""Runs INSIDE the action's image, in place of the action (``--entrypoint python``), to report what the runner's
way of starting a container gives a step: user, mounts, environment, tools. Standard library only.

Writes its findings to GITHUB_OUTPUT (one heredoc value among them) and a line to the step summary, the way an
action reports, so the harness's read-back is exercised on the same run. Values of inputs are never written:
only a SHA-256 of each, so a token cannot leak into outputs.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import stat
import subprocess
import sys
import urllib.request
from collections.abc import Mapping
from pathlib import Path


def git(*args: str) -> tuple[int, str]:
    """git's exit code and output; (127, "absent") where the image has no git (it needs none: tarballs)."""
    try:
        proc = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return 127, "absent"
    return proc.returncode, (proc.stdout + proc.stderr).strip()


def _pigar_database() -> bool:
    spec = importlib.util.find_spec("pigar")
    return bool(spec and spec.submodule_search_locations and any(
        Path(location, ".db.sqlite3").exists() for location in spec.submodule_search_locations
    ))  # fmt: skip


def _import_index(env: Mapping[str, str]) -> Path:
    """The index a run reads: ``PIPREQS_ACTION_INDEX``, else the one shipped inside the installed package."""
    if env.get("PIPREQS_ACTION_INDEX"):
        return Path(env["PIPREQS_ACTION_INDEX"])
    spec = importlib.util.find_spec("pipreqs_action")
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0], "data", "import_index.bin") if locations else Path("/nonexistent")


def loopback_status(url: str) -> str:
    """Whether a server on the host's loopback answers (it does only with --network host)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return str(answer.status)
    except OSError as exc:
        return f"error: {exc}"


def findings() -> dict[str, str]:
    env = os.environ
    workspace = Path.cwd()
    event = json.loads(Path(env["GITHUB_EVENT_PATH"]).read_text(encoding="utf-8"))
    index = _import_index(env)
    plain_rc, plain_git = git("rev-parse", "HEAD")
    safe_rc, safe_head = git("-c", f"safe.directory={workspace}", "rev-parse", "HEAD")
    socket_path = Path("/var/run/docker.sock")
    return {
        "uid": str(os.getuid()),
        "cwd": str(workspace),
        "python": sys.executable,
        "python_version": ".".join(map(str, sys.version_info[:3])),
        "home": env.get("HOME", ""),
        "workspace_uid": str(workspace.stat().st_uid),
        "event_keys": ",".join(sorted(event)),
        "git_plain_rc": str(plain_rc),
        "git_plain": plain_git,
        "git_safe_rc": str(safe_rc),
        "git_safe_head": safe_head,
        "index_bytes": str(index.stat().st_size) if index.is_file() else "missing",
        "shell": "present" if Path("/bin/sh").exists() else "absent",
        "pip": "present" if importlib.util.find_spec("pip") else "absent",
        "pigar_database": "present" if _pigar_database() else "absent",
        "docker_sock": "socket" if socket_path.exists() and stat.S_ISSOCK(socket_path.stat().st_mode) else "absent",
        "runner_temp_visible": str(Path(env.get("RUNNER_TEMP", "/nonexistent")).exists()).lower(),
        "loopback": loopback_status(env.get("PROBE_URL", "http://127.0.0.1:9/")),
        "inputs": json.dumps(
            {k: hashlib.sha256(v.encode()).hexdigest() for k, v in sorted(env.items()) if k.startswith("INPUT_")}
        ),
        "flags": ",".join(f"{k}={env.get(k, '<unset>')}" for k in ("GITHUB_ACTIONS", "CI", "PYTHONDONTWRITEBYTECODE")),
    }


def main() -> int:
    found = findings()
    found["git_version"] = git("--version")[1]
    try:
        import pipreqs_action  # the installed package, as the action imports it

        found["pipreqs_action"] = Path(pipreqs_action.__file__).parent.as_posix()
    except ImportError as exc:
        found["pipreqs_action"] = f"error: {exc}"
    delimiter = "ghadelimiter_" + hashlib.sha256(os.urandom(16)).hexdigest()
    with Path(os.environ["GITHUB_OUTPUT"]).open("a", encoding="utf-8") as out:
        for key, value in found.items():
            out.write(f"{key}<<{delimiter}\n{value}\n{delimiter}\n")
        out.write("probe=done\n")
    with Path(os.environ["GITHUB_STEP_SUMMARY"]).open("a", encoding="utf-8") as summary:
        summary.write("### probe\n\n| key | value |\n| --- | --- |\n")
        summary.writelines(f"| {key} | {value.splitlines()[0] if value else ''} |\n" for key, value in found.items())
    print(f"::notice title=probe::ran as uid {found['uid']} in {found['cwd']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
