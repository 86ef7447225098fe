"""An outcome over two parameters: cell means checked by hand, for binned and grid designs."""

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis.heatmap import adaptive_bins, cell_means, outcome_heatmap, pick_pair


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
    cells = cell_means(
        runs, pd.Series([1.0, 2.0, 3.0]), "a", "b", bins=(2, 1), ranges={"a": [0, 1], "b": [0, 1]}, discrete=False
    )
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


def test_adaptive_bins_keep_enough_runs_per_cell():
    assert adaptive_bins(40) == 2  # never fewer than 2
    assert adaptive_bins(250) == 5  # 250 / 25 = 10 runs per cell
    assert adaptive_bins(249) == 4
    assert adaptive_bins(1_000_000) == 10  # never more than 10
    assert adaptive_bins(250, min_per_cell=5) == 7


def test_the_pair_is_the_two_highest_scores_or_the_chosen_one():
    scores = pd.Series({"a": 0.1, "b": 0.5, "c": 0.3, "d": float("nan")})
    assert pick_pair(scores) == ("b", "c")
    assert pick_pair(scores, ["d", "a"]) == ("d", "a")
    with pytest.raises(ValueError, match="two different parameters"):
        pick_pair(scores, ["a", "zz"])
    with pytest.raises(ValueError, match="two parameters"):
        pick_pair(pd.Series({"a": 1.0}))


def test_the_colour_scale_fits_the_data_and_marks_the_base_rate():
    rng = np.random.default_rng(1)
    runs = _runs(rng.random(400), rng.random(400))
    outcome = pd.Series(0.4 + 0.2 * runs["a"].to_numpy(), index=runs["run"])
    cells = cell_means(runs, outcome, "a", "b", bins=adaptive_bins(400), ranges={"a": [0, 1], "b": [0, 1]})
    fig = outcome_heatmap(cells, "an outcome", "share, 0-1", base=float(outcome.mean()))
    image = fig.axes[0].collections[0]
    lo, hi = image.get_clim()
    assert lo == pytest.approx(np.nanmin(cells.mean)) and hi == pytest.approx(np.nanmax(cells.mean))
    assert 0.4 < lo < 0.45 and 0.55 < hi < 0.6  # not 0-1
    assert image.norm.vcenter == pytest.approx(outcome.mean())  # diverging around the base rate
    bar_lines = fig.axes[1].lines
    assert len(bar_lines) == 1 and bar_lines[0].get_ydata()[0] == pytest.approx(outcome.mean())
    assert "base rate" in fig.axes[0].get_legend().get_texts()[0].get_text()
    assert "runs in the median cell" in fig.axes[0].get_title()
