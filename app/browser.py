"""Run the app in a subprocess and drive it with Debian's headless Chromium (for the browser test
and the benchmark). Playwright is pointed at the system Chromium; it never downloads a browser.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: Where the browser is; SAHEL_CHROMIUM overrides it.
CHROMIUM = os.environ.get("SAHEL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app server exited with code {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"the app server did not listen on port {port} within {timeout_s:.0f} s")


class AppProcess:
    """One `python -m app` on 127.0.0.1:`port` (HOME and MPLCONFIGDIR under `home`, then `args`, e.g.
    --games-root), its output appended to `log`. `start` may be called again after `kill` or `stop`:
    the same URL then reaches a new process (a server restarted in the middle of a game).

    Unless `args` name --render-workers, the server draws its pictures in its own process
    (--render-workers 0), so that a page showing a month also shows that month's pictures: the
    browser tests and the screenshots wait for the month. The render pool has its own tests
    (tests/app/test_renderpool.py) and benchmark (benchmarks/bench_class_load.py)."""

    def __init__(
        self,
        home: Path,
        port: int | None = None,
        log: Path | None = None,
        timeout_s: float = 60.0,
        args: Sequence[str] = (),
    ) -> None:
        self.home, self.port, self.log, self.timeout_s = home, port or free_port(), log, timeout_s
        self.args = [*args] if "--render-workers" in args else [*args, "--render-workers", "0"]
        self.process: subprocess.Popen | None = None
        self._out: Any = None

    @property
    def url(self) -> str:
        """The server's address, the same for every start."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> str:
        """Start the server and wait until it listens; return its URL."""
        self.home.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "HOME": str(self.home), "MPLCONFIGDIR": str(self.home / "mpl"), "MPLBACKEND": "Agg"}
        env.pop("PYTHONWARNINGS", None)
        self._out = open(self.log, "a", encoding="utf-8") if self.log is not None else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app", "--host", "127.0.0.1", "--port", str(self.port), *self.args],
            cwd=ROOT,
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for_port(self.port, self.process, self.timeout_s)
        except BaseException:
            self.stop()
            raise
        return self.url

    def kill(self) -> None:
        """SIGKILL the server (no shutdown of any kind, as a crash or a pulled plug) and reap it."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        self._reap()

    def stop(self) -> None:
        """Stop the server politely (SIGTERM, then SIGKILL after 10 s); this process only."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._reap()

    def _reap(self) -> None:
        if self.process is not None:
            self.process.wait()
        if self.log is not None and self._out is not None:
            self._out.close()
        self._out = None


@contextmanager
def app_server(
    home: Path, port: int | None = None, log: Path | None = None, timeout_s: float = 60.0, args: Sequence[str] = ()
) -> Iterator[str]:
    """Start `python -m app` on 127.0.0.1 with HOME and MPLCONFIGDIR under `home` (and `args`, e.g.
    --games-root); yield its URL, then stop it (this process only)."""
    if log is not None:
        log.write_text("", encoding="utf-8")  # a new log for each server, as before
    server = AppProcess(home, port, log, timeout_s, args)
    try:
        yield server.start()
    finally:
        server.stop()


def launch_chromium(playwright: Any) -> Any:
    """A headless Chromium browser from a started `sync_playwright()`."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_FLAGS))
