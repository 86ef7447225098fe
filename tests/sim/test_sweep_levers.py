"""Sweeps with levers and categorical factors: the crossed design, common random numbers across lever
settings, each setting's runs equal to runs composed with the same choices, bad factors refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.choices import choice_names, with_choices
from sim.config import compose_config
from sim.core.params import ConfigError
from sim.designs import cross, expand_setting_runs, lever_settings, make_design, run_seed
from sim.ensemble import run_batch
from sim.sweep import plan, run_sweep
from sim.sweep_conf import SweepAppConfig


def _cfg(*overrides):
    return compose_config(["run.steps=4", *overrides], config_name="sweep_app", schema=SweepAppConfig)


def test_choices_are_read_from_conf_and_applied_as_the_command_line_applies_them():
    assert {"none", "us_stays", "us_reengages"} <= set(choice_names("experiment"))
    assert {"heuristic", "fixed"} <= set(choice_names("policy.default"))
    base = compose_config(["+scenario.powers.USA.budget_factor=2"])
    got = with_choices(base, {"experiment": "us_stays", "policy.default": "fixed", "incentives": "calibrated"})
    assert got == compose_config(
        ["+scenario.powers.USA.budget_factor=2", "experiment=us_stays", "policy=fixed", "incentives=calibrated"]
    )
    assert with_choices(compose_config(["incentives=sovereigntist"]), {"incentives": "baseline"}) == compose_config()
    with pytest.raises(ConfigError, match="cannot be undone"):
        with_choices(compose_config(["experiment=us_stays"]), {"experiment": "none"})


def test_the_design_crosses_every_setting_with_every_future_with_common_seeds():
    settings = lever_settings({"experiment": ["none", "us_stays"]}, {"scenario.powers.USA.budget_factor": [1.0, 2.0]})
    assert len(settings) == 4 and settings["lever_setting"].tolist() == [0, 1, 2, 3]
    design = make_design("lhs", {"hazards.coup_base": [0.001, 0.005]}, 5, seed=1)
    runs = expand_setting_runs(cross(settings, design), seeds_per_point=3, sweep_seed=9)
    assert len(runs) == 4 * 5 * 3 and runs["run"].tolist() == list(range(60))
    # every setting meets future u, replicate k with the seed of run u*3+k of a sweep of the futures alone
    for (u, k), rows in runs.groupby(["uncertainty_point", "replicate"]):
        assert rows["seed"].nunique() == 1 and rows["seed"].iloc[0] == run_seed(9, u * 3 + k)
        assert rows["hazards.coup_base"].nunique() == 1 and rows["lever_setting"].nunique() == 4


@pytest.mark.parametrize(
    "factors, message",
    [
        ({"experiment": ["us_leaves"]}, "conf/experiment/ does not have"),
        ({"weather": ["rain"]}, "not a categorical factor"),
        ({"incentives": []}, "lists no choices"),
    ],
)
def test_bad_factors_are_refused_with_the_fix(factors, message):
    with pytest.raises(ConfigError, match=message):
        lever_settings(factors, {})


def test_a_lever_sweep_runs_each_setting_as_a_run_with_those_choices(tmp_path):
    cfg = _cfg(
        "sweep=demo_lhs",
        "sweep.samples=2",
        "sweep.seeds_per_point=2",
        "sweep.chunk_runs=3",
        "sweep.float32=false",
        "+sweep.factors.experiment=[none,us_reengages]",
        "+sweep.factors.policy.default=[heuristic,fixed]",
    )
    runs = plan(cfg)
    assert len(runs) == 4 * 2 * 2 and set(runs["policy.default"]) == {"heuristic", "fixed"}
    out = run_sweep(cfg, tmp_path / "sw", progress=False)
    ties = pd.read_parquet(
        out / "ties", columns=["run", "step", "state", "power", "affinity"], filters=[("step", "==", 4)]
    )
    one = runs.loc[(runs["experiment"] == "us_reengages") & (runs["policy.default"] == "fixed")]
    params = ["incentives.junta.sovereignty", "incentives.junta.conditionality", "alignment.inertia"]
    direct = run_batch(
        compose_config(["run.steps=4", "experiment=us_reengages", "policy=fixed"]),
        one["seed"].tolist(),
        one["run"].tolist(),
        run_parameters={p: one[p].to_numpy() for p in params},
    ).ties_table()
    direct = direct.loc[direct["step"] == 4].sort_values(["run", "state", "power"])
    mine = ties.loc[ties["run"].isin(one["run"])].astype({"state": str, "power": str})
    mine = mine.sort_values(["run", "state", "power"])
    np.testing.assert_array_equal(mine["affinity"].to_numpy(), direct["affinity"].to_numpy())
    # the choice matters: the same seeds under another choice give other affinities
    other = runs.loc[(runs["experiment"] == "none") & (runs["policy.default"] == "fixed")]
    a = ties.loc[ties["run"].isin(other["run"])].sort_values(["run", "state", "power"])["affinity"].to_numpy()
    assert not np.array_equal(a, mine["affinity"].to_numpy())
