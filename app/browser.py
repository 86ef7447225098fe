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
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
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


@contextmanager
def app_server(home: Path, port: int | None = None, log: Path | None = None,
               timeout_s: float = 60.0, args: Sequence[str] = ()) -> Iterator[str]:
    """Start `python -m app` on 127.0.0.1 with HOME and MPLCONFIGDIR under `home` (and `args`, e.g.
    --games-root); yield its URL, then stop it (this process only)."""
    port = port or free_port()
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HOME": str(home), "MPLCONFIGDIR": str(home / "mpl"), "MPLBACKEND": "Agg"}
    env.pop("PYTHONWARNINGS", None)
    out = open(log, "w", encoding="utf-8") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen([sys.executable, "-m", "app", "--host", "127.0.0.1", "--port", str(port), *args],
                               cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, process, timeout_s)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log is not None:
            out.close()  # type: ignore[union-attr]


def launch_chromium(playwright: Any) -> Any:
    """A headless Chromium browser from a started `sync_playwright()`."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_FLAGS))
