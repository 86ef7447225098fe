"""Quantile bands and event probabilities on hand-made tables."""

import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis.ensemble_metrics import event_probability, quantile_bands
from analysis.ensemble_plots import fan_chart, probability_heat_table


def test_quantile_bands_by_hand():
    # five runs with shares 0.1 .. 0.5 for one power on one date: median 0.3, q25 0.2, q75 0.4
    df = pd.DataFrame({"run": range(5), "date": "2024-06", "power": "RUS", "share": [0.1, 0.2, 0.3, 0.4, 0.5]})
    b = quantile_bands(df, "share").iloc[0]
    assert (b["q25"], b["q50"], b["q75"]) == pytest.approx((0.2, 0.3, 0.4))
    assert b["q05"] == pytest.approx(0.12)  # linear interpolation at position 4 x 0.05 = 0.2: 0.1 + 0.2 x 0.1
    assert b["n_runs"] == 5


def test_event_probability_by_hand():
    events = pd.DataFrame({
        "run": [0, 0, 1, 2, 2], "step": [3, 20, 14, 30, 31], "type": ["coup"] * 4 + ["expel"],
        "state": ["NER", "NER", "NER", "NER", "TCD"], "power": ["", "", "", "", "FRA"],
    })
    p = event_probability(events, n_runs=4, horizons=(12, 24, 36)).set_index(["state", "type", "horizon"])
    # NER coups: run 0 by month 3; run 1 by 14; run 2 by 30 -> 1/4, 2/4, 3/4 (run 0's second coup counts once)
    assert p.loc[("NER", "coup", 12), "probability"] == 0.25
    assert p.loc[("NER", "coup", 24), "probability"] == 0.5
    assert p.loc[("NER", "coup", 36), "probability"] == 0.75
    assert p.loc[("TCD", "expel", 36), "probability"] == 0.25
    assert ("TCD", "expel", 24) not in p.index
    by_power = event_probability(events, n_runs=4, by_power=True)
    assert set(by_power.loc[by_power.type == "expel", "power"]) == {"FRA"}


def test_sweep_figures_have_titles_and_labels():
    df = pd.DataFrame({"run": [0, 1, 0, 1], "date": ["2024-06", "2024-06", "2024-07", "2024-07"],
                       "power": "USA", "share": [0.2, 0.4, 0.3, 0.5]})
    fig = fan_chart(quantile_bands(df, "share"))
    ax = fig.axes[0]
    assert isinstance(fig, Figure) and ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_legend() is not None
    events = pd.DataFrame({"run": [0], "step": [3], "type": ["coup"], "state": ["NER"], "power": [""]})
    heat = probability_heat_table(event_probability(events, 2), horizon=12)
    assert "12 months" in heat.axes[0].get_title()
