"""Morris designs: size, bounds, levels, reproducibility, bad input. (The grid, Latin hypercube and
Sobol designs are tested in test_sweep.py.)"""

import numpy as np
import pandas as pd
import pytest

from sim.config import compose_config
from sim.core.params import ConfigError
from sim.designs import DESIGNS, make_design, morris
from sim.sweep import plan
from sim.sweep_conf import SweepAppConfig, SweepConf

RANGES = {"alignment.inertia": [0.5, 0.9], "hazards.coup_base": [0.0, 0.01], "hazards.coup_contagion": [0.0, 3.0]}


def test_morris_design_has_n_trajectories_of_d_plus_one_points_inside_the_bounds():
    d = make_design("morris", RANGES, samples=6, seed=2)
    assert len(d) == 6 * (3 + 1)
    assert d["point"].tolist() == list(range(24))
    for name, (lo, hi) in RANGES.items():
        assert d[name].between(lo, hi).all()
        # four levels per parameter: lo, lo + (hi - lo) / 3, lo + 2 (hi - lo) / 3, hi
        assert set(np.round((d[name] - lo) / (hi - lo) * 3, 9)) <= {0.0, 1.0, 2.0, 3.0}


def test_each_morris_step_moves_one_parameter_by_the_same_grid_jump():
    d = morris(RANGES, trajectories=5, levels=4, seed=0)
    unit = (d - [lo for lo, _ in RANGES.values()]) / [hi - lo for lo, hi in RANGES.values()]
    for t in range(5):
        steps = np.diff(unit.iloc[t * 4 : (t + 1) * 4].to_numpy(), axis=0)
        assert ((np.abs(steps) > 1e-12).sum(axis=1) == 1).all()  # one parameter at a time
        assert np.allclose(np.abs(steps).sum(axis=1), 4 / (2 * (4 - 1)))  # delta = p / (2 (p - 1))
    # every parameter moves once per trajectory
    assert sorted(np.argmax(np.abs(steps), axis=1)) == [0, 1, 2]


def test_morris_levels_and_seed():
    six = morris(RANGES, trajectories=8, levels=6, seed=1)
    assert set(np.round((six["alignment.inertia"] - 0.5) / 0.4 * 5, 9)) <= set(map(float, range(6)))
    pd.testing.assert_frame_equal(six, morris(RANGES, trajectories=8, levels=6, seed=1))
    assert not six.equals(morris(RANGES, trajectories=8, levels=6, seed=2))


@pytest.mark.parametrize(
    "trajectories, levels, message",
    [
        (1, 4, "at least 2"),
        (4, 3, "even number"),
        (4, 0, "even number"),
    ],
)
def test_bad_morris_designs_are_refused(trajectories, levels, message):
    with pytest.raises(ConfigError, match=message):
        morris(RANGES, trajectories, levels, seed=0)
    with pytest.raises(ConfigError, match="legal range"):
        morris({"hazards.coup_base": [0.0, 0.9]}, 4, 4, seed=0)


def test_morris_is_a_sweep_design_choice_and_the_demo_plans():
    assert "morris" in DESIGNS
    design_field = {f.name: f for f in SweepConf.__dataclass_fields__.values()}["design"]
    assert "morris" in design_field.metadata["choices"]
    assert SweepConf().levels == 4
    cfg = compose_config(["run.steps=6", "sweep=demo_morris"], config_name="sweep_app", schema=SweepAppConfig)
    runs = plan(cfg)
    d = len(cfg.sweep.parameters)
    assert 3 <= d <= 4
    assert len(runs) == cfg.sweep.samples * (d + 1) * cfg.sweep.seeds_per_point
