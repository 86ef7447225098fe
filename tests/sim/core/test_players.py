"""Config.players as masks: codes to the world's order, and an unknown code refused with the field
and the codes to choose from (python -m sim exits 2 before any step)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sim.core.params import ConfigError, PlayersConf
from sim.core.players import player_masks

ROOT = Path(__file__).resolve().parents[3]


def test_masks_follow_the_worlds_order(tiny_world):
    s, b, p = player_masks(PlayersConf(states=["BEN", "NER"], blocs=["AES"], powers=["RUS"]), tiny_world)
    np.testing.assert_array_equal(s, [True, False, True])  # NER, MLI, BEN
    np.testing.assert_array_equal(b, [False, True])  # ECOWAS, AES
    np.testing.assert_array_equal(p, [False, True])  # USA, RUS
    assert not any(m.any() for m in player_masks(PlayersConf(), tiny_world))


def test_an_unknown_code_is_refused(tiny_world):
    with pytest.raises(ConfigError, match=r"players\.powers names 'FRA'.*USA, RUS"):
        player_masks(PlayersConf(powers=["FRA"]), tiny_world)


def test_the_command_line_stops_before_any_step(tmp_path, cli_env):
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "players.states=[XXX]", "run.steps=2", f"hydra.run.dir={tmp_path / 'run'}"],
        cwd=ROOT,
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and proc.stderr.startswith("error: Configuration value players.states names 'XXX'")
    assert not (tmp_path / "run" / "states.parquet").exists()
