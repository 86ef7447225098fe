"""`python -m app`: an address it cannot use ends it with one `error:` line and exit code 2, not a
traceback (a port out of range, a port another program holds, an unknown host, an --allow-host
that is not an address, a --games-root that is a file)."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _app(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--port", "99999"], "99999 is not a port number"),
        (["--port", "0"], "0 is not a port number"),
        (["--port", "abc"], "'abc' is not a port number"),
        (["--port", "-1"], "-1 is not a port number"),
        (["--port", "1e9"], "'1e9' is not a port number"),
        (["--host", "no-such-host.invalid", "--port", "8799"], "is not one of this computer's"),
        (["--host", "999.1.1.1", "--port", "8799"], "is not one of this computer's"),
        (["--allow-host", "evil.example/x"], "'evil.example/x' is not a host name or address"),
        (["--allow-host", "room.local:99999"], "is not a host name or address"),
        (["--games-root", "README.md"], "--games-root README.md is a file"),
        (["--no-such-option"], "unrecognized arguments: --no-such-option"),
        (["--render-workers", "-1"], "'-1' is not a number of render workers"),
        (["--render-workers", "two"], "'two' is not a number of render workers"),
    ],
)
def test_an_address_that_cannot_be_used_is_one_error_line(args, needle):
    done = _app(*args)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert needle in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith("error:")


def test_a_busy_port_is_refused_before_the_server_starts():
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        done = _app("--port", str(port))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"error: 127.0.0.1:{port} cannot be used") and "--port" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Classroom app: open" not in done.stdout
