"""An outcome over two parameters: cell means checked by hand, for binned and grid designs."""

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis.heatmap import cell_means, outcome_heatmap


def _runs(x, y):
    return pd.DataFrame({"run": range(len(x)), "a": x, "b": y})


def test_binned_means_by_hand():
    runs = _runs([0.1, 0.2, 0.9, 0.6], [0.1, 0.1, 0.9, 0.2])
    cells = cell_means(runs, pd.Series([1.0, 3.0, 10.0, 4.0]), "a", "b", bins=2, ranges={"a": [0, 1], "b": [0, 1]})
    assert not cells.discrete
    assert cells.x_edges.tolist() == [0.0, 0.5, 1.0] and cells.x_values.tolist() == [0.25, 0.75]
    # rows are b cells, columns a cells: (b low, a low) holds runs 0 and 1; (b low, a high) run 3;
    # (b high, a high) run 2; (b high, a low) nothing
    assert cells.mean[0, 0] == 2.0 and cells.count[0, 0] == 2
    assert cells.mean[0, 1] == 4.0 and cells.mean[1, 1] == 10.0
    assert np.isnan(cells.mean[1, 0]) and cells.count[1, 0] == 0


def test_edges_go_up_and_the_top_goes_in_the_last_cell():
    runs = _runs([0.0, 0.5, 1.0], [0.0, 0.0, 0.0])
    cells = cell_means(runs, pd.Series([1.0, 2.0, 3.0]), "a", "b", bins=(2, 1), ranges={"a": [0, 1], "b": [0, 1]},
                       discrete=False)
    assert cells.mean.shape == (1, 2)
    assert cells.mean[0].tolist() == [1.0, 2.5]  # 0.5 is in the upper cell with 1.0


def test_grid_designs_get_one_cell_per_value_pair_and_booleans_become_probabilities():
    runs = _runs([1, 1, 2, 2, 2, 3], [5, 5, 5, 7, 7, 7])
    outcome = pd.Series([True, False, True, True, True, False], index=range(6))
    cells = cell_means(runs, outcome, "a", "b")  # 3 and 2 distinct values: discrete
    assert cells.discrete and cells.x_values.tolist() == [1, 2, 3] and cells.y_values.tolist() == [5, 7]
    assert cells.mean[0, 0] == 0.5 and cells.mean[1, 1] == 1.0 and cells.mean[1, 2] == 0.0
    assert np.isnan(cells.mean[0, 2]) and cells.count.sum() == 6


def test_values_outside_the_range_or_missing_outcomes_are_refused():
    runs = _runs([0.1, 1.2], [0.0, 0.0])
    with pytest.raises(ValueError, match="outside its range"):
        cell_means(runs, pd.Series([1.0, 2.0]), "a", "b", bins=2, ranges={"a": [0, 1], "b": [0, 1]}, discrete=False)
    with pytest.raises(ValueError, match="missing"):
        cell_means(runs, pd.Series([1.0]), "a", "b")


@pytest.mark.parametrize("discrete", [True, False])
def test_heatmap_is_labelled(discrete):
    rng = np.random.default_rng(0)
    runs = _runs(np.repeat([0.1, 0.5, 0.9], 4) if discrete else rng.random(12), np.tile([1.0, 2.0], 6))
    cells = cell_means(runs, pd.Series(rng.random(12)), "a", "b", bins=3, discrete=discrete)
    fig = outcome_heatmap(cells, "Russia leads Niger at month 36", "probability across runs, 0-1", vmin=0, vmax=1)
    ax = fig.axes[0]
    assert isinstance(fig, Figure) and "Russia leads Niger" in ax.get_title()
    assert ax.get_xlabel().startswith("a") and ax.get_ylabel().startswith("b")
    assert "probability across runs" in fig.axes[1].get_ylabel()  # the colour bar
