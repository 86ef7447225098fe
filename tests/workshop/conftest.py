"""Fixtures of the workshop tests: the baseline world's situation at the start of a game, a way to
run `python -m workshop` in a subprocess or in this process, and move files written on the fly."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def world_cfg():
    """The baseline configuration (18 months) and its world."""
    from sim.config import compose_config
    from sim.core.world import load_world, scenario_path

    cfg = compose_config(["run.steps=18", "run.plots=false"])
    return cfg, load_world(scenario_path(cfg.scenario.name), cfg.scenario)


@pytest.fixture
def opening(world_cfg):
    """The Situation at the start of turn 1 of a 6-turn, 3-month game."""
    from sim.core.state import initial_state
    from workshop.moves import Situation

    cfg, world = world_cfg
    return Situation.at(initial_state(world, 1), world, 1, 3, 6, cfg.hazards.deploy_size)


@pytest.fixture
def workshop_env(cli_env) -> dict[str, str]:
    env = dict(cli_env)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("WORKSHOP_PAUSE_AT", None)
    return env


@pytest.fixture
def ws(workshop_env) -> Callable[..., subprocess.CompletedProcess]:
    """Run `python -m workshop ARGS` in a subprocess; returns the completed process."""

    def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "workshop", *map(str, args)],
            cwd=REPO,
            env=env or workshop_env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


@pytest.fixture
def ws_inproc(capsys) -> Callable[..., subprocess.CompletedProcess]:
    """Run a workshop command in this process (faster); returns what a subprocess run would."""
    from workshop.cli import main

    def run(*args: str) -> subprocess.CompletedProcess:
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, out.out, out.err)

    return run


@pytest.fixture
def write_moves(tmp_path) -> Callable[[str, str], Path]:
    """Write a move file (dedented) under tmp_path/moves and return its path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / "moves" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return write
