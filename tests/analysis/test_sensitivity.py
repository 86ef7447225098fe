"""Sobol indices recover a known answer on a toy outcome."""

import numpy as np
import pandas as pd
import pytest

from analysis.sensitivity import morris_bars, morris_indices, point_means, sensitivity_bars, sobol_indices
from sim.designs import expand_runs, make_design


def test_sobol_indices_find_the_only_parameter_that_matters():
    ranges = {"alignment.inertia": [0.5, 0.9], "hazards.coup_base": [0.0, 0.01]}
    runs = expand_runs(make_design("sobol", ranges, 256, seed=0), seeds_per_point=2, sweep_seed=0)
    # the outcome depends on inertia only (plus noise that averages out over the two seeds)
    rng = np.random.default_rng(1)
    outcome = pd.Series(runs["alignment.inertia"].to_numpy() * 10 + rng.normal(0, 0.01, len(runs)),
                        index=runs["run"])
    idx = sobol_indices(runs, outcome, ranges).set_index("parameter")
    assert idx.loc["alignment.inertia", "ST"] == pytest.approx(1.0, abs=0.1)
    assert idx.loc["hazards.coup_base", "ST"] == pytest.approx(0.0, abs=0.05)
    fig = sensitivity_bars(idx.reset_index(), "a toy outcome")
    assert fig.axes[0].get_title() and fig.axes[0].get_xlabel()


def test_sobol_intervals_are_the_same_on_every_call_for_seed_0():
    # SALib treats seed=0 as no seed (numpy's global state): sobol_indices passes a derived nonzero seed
    ranges = {"alignment.inertia": [0.5, 0.9], "hazards.coup_base": [0.0, 0.01]}
    runs = expand_runs(make_design("sobol", ranges, 64, seed=0), seeds_per_point=1, sweep_seed=0)
    outcome = pd.Series(runs["alignment.inertia"].to_numpy() ** 2 + runs["hazards.coup_base"].to_numpy() * 50,
                        index=runs["run"])
    first = sobol_indices(runs, outcome, ranges, seed=0)
    pd.testing.assert_frame_equal(sobol_indices(runs, outcome, ranges, seed=0), first)
    assert not sobol_indices(runs, outcome, ranges, seed=1)["ST_conf"].equals(first["ST_conf"])


def test_point_means_average_the_seeds_and_refuse_missing_runs():
    runs = pd.DataFrame({"run": [0, 1, 2, 3], "point": [0, 0, 1, 1]})
    assert point_means(runs, pd.Series([1.0, 3.0, 5.0, 7.0], index=[0, 1, 2, 3])).tolist() == [2.0, 6.0]
    with pytest.raises(ValueError, match="missing"):
        point_means(runs, pd.Series([1.0], index=[0]))


def test_morris_indices_rank_the_influential_parameter_first():
    ranges = {"alignment.inertia": [0.5, 0.9], "hazards.coup_base": [0.0, 0.01], "hazards.coup_contagion": [0.0, 3.0]}
    runs = expand_runs(make_design("morris", ranges, 20, seed=0, levels=4), seeds_per_point=2, sweep_seed=0)
    rng = np.random.default_rng(1)
    # contagion matters most, inertia a little, the coup base rate not at all
    y = 5 * runs["hazards.coup_contagion"] / 3 + 0.5 * runs["alignment.inertia"] + rng.normal(0, 0.01, len(runs))
    idx = morris_indices(runs, pd.Series(y.to_numpy(), index=runs["run"]), {"parameters": ranges})
    assert idx.sort_values("mu_star", ascending=False)["parameter"].tolist() == [
        "hazards.coup_contagion", "alignment.inertia", "hazards.coup_base"]
    by = idx.set_index("parameter")
    # effects are per full range: contagion moves the outcome by 5 across [0, 3], inertia by 0.5 x 0.4
    assert by.loc["hazards.coup_contagion", "mu_star"] == pytest.approx(5.0, abs=0.05)
    assert by.loc["alignment.inertia", "mu_star"] == pytest.approx(0.2, abs=0.05)
    fig = morris_bars(idx, "a toy outcome", unit="toy units")
    ax = fig.axes[0]
    assert ax.get_title() and "toy units" in ax.get_xlabel() and ax.get_legend() is not None
    assert ax.get_yticklabels()[-1].get_text() == "hazards.coup_contagion"  # most influential on top


def test_morris_indices_refuse_a_design_that_is_not_morris():
    ranges = {"alignment.inertia": [0.5, 0.9], "hazards.coup_base": [0.0, 0.01]}
    runs = expand_runs(make_design("lhs", ranges, 12, seed=0), seeds_per_point=1, sweep_seed=0)
    with pytest.raises(ValueError, match="design=morris"):
        morris_indices(runs, pd.Series(np.ones(len(runs)), index=runs["run"]), {"parameters": ranges})
