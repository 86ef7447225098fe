"""Quantile bands and event probabilities on hand-made tables."""

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis.ensemble_metrics import event_probability, factor_levels, quantile_bands, wilson_interval
from analysis.ensemble_plots import fan_chart, fan_chart_by_level, probability_heat_table


def test_quantile_bands_by_hand():
    # five runs with shares 0.1 .. 0.5 for one power on one date: median 0.3, q25 0.2, q75 0.4
    df = pd.DataFrame({"run": range(5), "date": "2024-06", "power": "RUS", "share": [0.1, 0.2, 0.3, 0.4, 0.5]})
    b = quantile_bands(df, "share").iloc[0]
    assert (b["q25"], b["q50"], b["q75"]) == pytest.approx((0.2, 0.3, 0.4))
    assert b["q05"] == pytest.approx(0.12)  # linear interpolation at position 4 x 0.05 = 0.2: 0.1 + 0.2 x 0.1
    assert b["n_runs"] == 5


def test_event_probability_by_hand():
    events = pd.DataFrame(
        {
            "run": [0, 0, 1, 2, 2],
            "step": [3, 20, 14, 30, 31],
            "type": ["coup"] * 4 + ["expel"],
            "state": ["NER", "NER", "NER", "NER", "TCD"],
            "power": ["", "", "", "", "FRA"],
        }
    )
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
    df = pd.DataFrame(
        {
            "run": [0, 1, 0, 1],
            "date": ["2024-06", "2024-06", "2024-07", "2024-07"],
            "power": "USA",
            "share": [0.2, 0.4, 0.3, 0.5],
        }
    )
    fig = fan_chart(quantile_bands(df, "share"))
    ax = fig.axes[0]
    assert isinstance(fig, Figure) and ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_legend() is not None
    events = pd.DataFrame({"run": [0], "step": [3], "type": ["coup"], "state": ["NER"], "power": [""]})
    heat = probability_heat_table(event_probability(events, 2), horizon=12)
    assert "12 months" in heat.axes[0].get_title()


def test_wilson_interval_by_hand():
    # 3 of 10: Wilson's 95% interval is 0.1078 to 0.6032 (statsmodels' proportion_confint(3, 10, method="wilson"))
    low, high = wilson_interval(3, 10)
    assert (float(low), float(high)) == pytest.approx((0.1078, 0.6032), abs=1e-4)
    low, high = wilson_interval(np.array([0, 10, 0]), np.array([10, 10, 0]))
    assert low[0] == 0.0 and high[0] == pytest.approx(0.2775, abs=1e-4)  # never below 0 or above 1
    assert high[1] == pytest.approx(1.0) and (low[2], high[2]) == (0.0, 1.0)


def test_scripted_events_are_inputs_not_results():
    events = pd.DataFrame(
        {
            "run": [0, 1, 1, 2],
            "step": [2, 2, 5, 9],
            "type": ["coup"] * 4,
            "state": ["MLI"] * 4,
            "power": [""] * 4,
            "scripted": [True, True, False, False],
        }
    )
    p = event_probability(events, n_runs=4, horizons=(12,)).iloc[0]
    # two runs with an unscripted coup (1 and 2): 2/4; two runs with the scripted one, counted apart
    assert (p["n_runs_with_event"], p["probability"], p["scripted_runs"]) == (2, 0.5, 2)
    assert p["low"] == pytest.approx(wilson_interval(2, 4)[0]) and p["high"] > 0.5
    fig = probability_heat_table(event_probability(events, 4, horizons=(12,)), horizon=12)
    ax = fig.axes[0]
    assert "+ scripted" in ax.texts[0].get_text() and "50%" in ax.texts[0].get_text()
    assert "scripted" in ax.get_legend().get_texts()[0].get_text() and "Wilson" in ax.get_title()


def test_factor_levels_and_fan_charts_per_level():
    runs = pd.DataFrame({"run": range(6), "x": [0.1, 0.2, 0.3, 0.7, 0.8, 0.9], "g": [1, 1, 2, 2, 3, 3]})
    grid = factor_levels(runs, "g")
    assert list(grid) == ["g = 1", "g = 1", "g = 2", "g = 2", "g = 3", "g = 3"] and grid.cat.ordered
    terciles = factor_levels(runs, "x")
    assert terciles.nunique() == 3 and terciles.iloc[0] == terciles.iloc[1] != terciles.iloc[5]
    shares = pd.DataFrame(
        {
            "run": list(range(6)) * 2,
            "date": ["2024-06"] * 6 + ["2024-07"] * 6,
            "power": "RUS",
            "share": np.linspace(0, 1, 12),
        }
    )
    shares["level"] = shares["run"].map(grid)
    fig = fan_chart_by_level(quantile_bands(shares, "share", by=("date", "power", "level")))
    assert [ax.get_title().split("\n")[0] for ax in fig.axes] == ["g = 1", "g = 2", "g = 3"]
    assert fig.axes[-1].get_legend() is not None and fig.axes[0].get_ylabel() and fig.get_suptitle()
