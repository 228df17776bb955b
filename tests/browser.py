"""A real headless Chromium for tests, driven over the DevTools protocol on a pipe (no driver package).

``--remote-debugging-pipe`` makes Chromium read protocol commands from fd 3 and write answers to fd 4, each a
JSON message ended by a NUL byte: the transport Puppeteer and Playwright use, with the standard library only.

    with Browser.start() as browser:
        page = browser.open("http://127.0.0.1:8000/")
        page.wait_for("document.querySelector('#report') !== null")
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
WAIT = 30.0


def find_chromium() -> str | None:
    return next((path for name in CANDIDATES if (path := shutil.which(name))), None)


class Browser:
    def __init__(self, proc: subprocess.Popen[bytes], commands: int, answers: int, profile: str) -> None:
        self._proc, self._commands, self._answers, self._profile = proc, commands, answers, profile
        self._buffer = b""
        self._next_id = 0

    @classmethod
    def start(cls) -> Browser:
        chromium = find_chromium()
        if chromium is None:
            raise RuntimeError("chromium is not installed")
        profile = tempfile.mkdtemp(prefix="chromium-profile-")
        to_browser_r, to_browser_w = _high_pipe()
        from_browser_r, from_browser_w = _high_pipe()
        args = [
            chromium,
            "--headless=new",
            "--no-sandbox",  # tests run as root in CI containers
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--remote-debugging-pipe",
            f"--user-data-dir={profile}",
            "about:blank",
        ]
        # fds 3 and 4 in the child, whatever numbers the pipes have here
        shell = f'exec "$@" 3<&{to_browser_r} 4>&{from_browser_w}'
        with open(os.path.join(profile, "stderr.log"), "wb") as log:
            proc = subprocess.Popen(
                ["/bin/bash", "-c", shell, "bash", *args],
                pass_fds=(to_browser_r, from_browser_w),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        os.close(to_browser_r)
        os.close(from_browser_w)
        return cls(proc, to_browser_w, from_browser_r, profile)

    def __enter__(self) -> Browser:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError):
            self.send("Browser.close")
        try:
            self._proc.wait(10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        os.close(self._commands)
        os.close(self._answers)
        shutil.rmtree(self._profile, ignore_errors=True)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._commands, json.dumps(message).encode() + b"\0")
        except BrokenPipeError:
            raise RuntimeError(f"chromium has exited: {self.log_tail()}") from None
        while True:
            answer = self._read()
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return dict(answer.get("result", {}))

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._answers, 1 << 16)
            if not chunk:
                raise RuntimeError(f"chromium closed the DevTools pipe: {self.log_tail()}")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        return dict(json.loads(raw))

    def log_tail(self) -> str:
        try:
            lines = Path(self._profile, "stderr.log").read_text(errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return " | ".join(line for line in lines[-8:] if "dbus" not in line)

    def open(self, url: str) -> Page:
        target = self.send("Target.createTarget", {"url": url})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        return Page(self, session)


def _high_pipe() -> tuple[int, int]:
    """A pipe whose ends are numbered 10 or above, so that bash's ``3<&N 4>&M`` never overwrites one with
    the other (a pipe made while fds 3 and 4 are free would get exactly those numbers)."""
    low = os.pipe()
    high = tuple(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in low)
    for fd in low:
        os.close(fd)
    return high[0], high[1]


class Page:
    def __init__(self, browser: Browser, session: str) -> None:
        self._browser, self._session = browser, session

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (awaited if it is a promise)."""
        params = {"expression": expression, "returnByValue": True, "awaitPromise": True}
        result = self._browser.send("Runtime.evaluate", params, self._session)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = WAIT) -> Any:
        """Poll until ``expression`` is truthy; its value. Errors while the page loads count as not yet."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.evaluate(expression)
            except RuntimeError:
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"still false after {timeout:g}s: {expression}")
            time.sleep(0.1)

    def text(self, selector: str) -> str:
        return str(self.evaluate(f"document.querySelector({json.dumps(selector)}).textContent"))
