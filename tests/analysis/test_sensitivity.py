"""Sobol indices recover a known answer on a toy outcome."""

import numpy as np
import pandas as pd
import pytest

from analysis.sensitivity import point_means, sensitivity_bars, sobol_indices
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


def test_point_means_average_the_seeds_and_refuse_missing_runs():
    runs = pd.DataFrame({"run": [0, 1, 2, 3], "point": [0, 0, 1, 1]})
    assert point_means(runs, pd.Series([1.0, 3.0, 5.0, 7.0], index=[0, 1, 2, 3])).tolist() == [2.0, 6.0]
    with pytest.raises(ValueError, match="missing"):
        point_means(runs, pd.Series([1.0], index=[0]))
