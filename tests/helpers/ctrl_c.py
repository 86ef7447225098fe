"""Ctrl-C in the middle of a sweep, as a terminal sends it: used by the local and Dask engines' tests."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest


def ctrl_c_after_first_chunk(args: list[str], cwd: Path, env: dict[str, str], out: Path, wait_s: float) -> str:
    """Start the sweep `args`, send SIGINT to its whole process group (the workers included) once its
    first chunk is done (or after `wait_s`), and return its stderr; skips the test if the sweep finished
    before the signal arrived, and checks the exit code of an interrupted sweep (130)."""
    proc = subprocess.Popen(
        args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.time() + wait_s
    while not list((out / "done").glob("chunk-*")) and time.time() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the sweep finished before Ctrl-C arrived")
    assert proc.returncode == 130, stderr
    return stderr
