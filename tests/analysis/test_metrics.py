"""Metrics on the synthetic run, checked against numbers worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.metrics import (
    final_summary,
    influence_share,
    leading_partner_counts,
    month_to_timestamp,
    resolve_run,
    select_run,
)
from analysis.summary import summarize
from sim.core.vocabulary import EVENT_TYPES


def _share(shares: pd.DataFrame, step: int, power: str, run: int = 0) -> float:
    row = shares.loc[(shares["run"] == run) & (shares["step"] == step) & (shares["power"] == power)]
    assert len(row) == 1
    return float(row["share"].iloc[0])


def test_influence_share_matches_hand_computation(run_tables):
    shares = influence_share(run_tables["ties"], run_tables["states"])

    # Step 0 (2024-01); populations MLI 20, NER 25, SEN 15 million; max(affinity, 0):
    #   USA: 20*0.2 + 25*0.4 + 15*0.3 = 4 + 10 + 4.5 = 18.5
    #   FRA: 20*0.5 + 25*0.2 + 15*0.6 = 10 + 5 + 9  = 24.0
    #   RUS: 20*0   + 25*0   + 15*0   = 0           (-0.1, 0.0, -0.4 are clipped to 0)
    #   total 42.5 -> USA 18.5/42.5 = 0.435294..., FRA 24/42.5 = 0.564705..., RUS 0
    assert _share(shares, 0, "USA") == pytest.approx(18.5 / 42.5)
    assert _share(shares, 0, "FRA") == pytest.approx(24.0 / 42.5)
    assert _share(shares, 0, "RUS") == 0.0

    # Step 3 (2024-04):
    #   USA: 20*0   + 25*0.1 + 15*0.3 = 0 + 2.5 + 4.5  = 7.0   (MLI -0.1 clipped)
    #   FRA: 20*0   + 25*0   + 15*0.4 = 6.0                    (MLI -0.4, NER -0.5 clipped)
    #   RUS: 20*0.7 + 25*0.6 + 15*0.1 = 14 + 15 + 1.5  = 30.5
    #   total 43.5 -> USA 0.160920..., FRA 0.137931..., RUS 0.701149...
    assert _share(shares, 3, "USA") == pytest.approx(7.0 / 43.5)
    assert _share(shares, 3, "FRA") == pytest.approx(6.0 / 43.5)
    assert _share(shares, 3, "RUS") == pytest.approx(30.5 / 43.5)


def test_influence_share_columns_order_and_dates(run_tables):
    shares = influence_share(run_tables["ties"], run_tables["states"])
    assert list(shares.columns) == ["run", "step", "date", "power", "share"]
    assert len(shares) == 4 * 3
    # Powers in the fixed order within each step, steps ascending.
    assert shares["power"].tolist()[:3] == ["USA", "FRA", "RUS"]
    assert shares["step"].is_monotonic_increasing
    assert shares.loc[shares["step"] == 2, "date"].unique().tolist() == ["2024-03"]


def test_influence_shares_sum_to_one_per_step(run_tables):
    shares = influence_share(run_tables["ties"], run_tables["states"])
    totals = shares.groupby(["run", "step"])["share"].sum()
    np.testing.assert_allclose(totals.to_numpy(), 1.0)


def test_influence_share_is_zero_when_no_positive_affinity():
    states = pd.DataFrame({"run": [0, 0], "step": [0, 0], "state": ["A", "B"], "population_m": [1.0, 2.0]})
    ties = pd.DataFrame(
        {
            "run": [0] * 4,
            "step": [0] * 4,
            "date": ["2024-01"] * 4,
            "state": ["A", "A", "B", "B"],
            "power": ["USA", "RUS", "USA", "RUS"],
            "affinity": [-0.5, 0.0, -0.1, -1.0],
        }
    )
    shares = influence_share(ties, states)
    assert shares["share"].tolist() == [0.0, 0.0]


def test_influence_share_is_per_run(sweep_tables):
    shares = influence_share(sweep_tables["ties"], sweep_tables["states"])
    assert sorted(shares["run"].unique().tolist()) == [3, 7]
    # Halving every affinity (run 7) leaves every share unchanged.
    a = shares.loc[shares["run"] == 3, "share"].to_numpy()
    b = shares.loc[shares["run"] == 7, "share"].to_numpy()
    np.testing.assert_allclose(a, b)
    assert _share(shares, 0, "USA", run=7) == pytest.approx(18.5 / 42.5)


def test_influence_share_rejects_ties_without_population(run_tables):
    states = run_tables["states"].loc[run_tables["states"]["state"] != "SEN"]
    with pytest.raises(ValueError, match="no population"):
        influence_share(run_tables["ties"], states)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0.1, 300.0), min_size=1, max_size=5),
    st.data(),
)
def test_influence_share_properties(populations, data):
    """Shares lie in [0, 1], sum to 1 (or all 0), and are proportional to weighted positive affinity."""
    powers = ["USA", "FRA", "RUS", "CHN", "TUR"]
    codes = [f"S{i}" for i in range(len(populations))]
    affinity = data.draw(st.lists(st.floats(-1.0, 1.0), min_size=len(codes) * 5, max_size=len(codes) * 5))
    states = pd.DataFrame({"run": 0, "step": 0, "state": codes, "population_m": populations})
    ties = pd.DataFrame(
        {
            "run": 0,
            "step": 0,
            "date": "2024-01",
            "state": np.repeat(codes, 5),
            "power": powers * len(codes),
            "affinity": affinity,
        }
    )
    shares = influence_share(ties, states).set_index("power")["share"]
    assert ((shares >= 0.0) & (shares <= 1.0 + 1e-12)).all()
    total = shares.sum()
    weights = ties.assign(w=np.repeat(populations, 5) * np.clip(affinity, 0.0, None)).groupby("power")["w"].sum()
    if weights.sum() > 0:
        assert total == pytest.approx(1.0)
        np.testing.assert_allclose(shares[weights.index], weights / weights.sum(), atol=1e-12)
    else:
        assert total == 0.0


def test_leading_partner_counts(run_tables):
    counts = leading_partner_counts(run_tables["states"])
    assert list(counts.columns) == ["run", "step", "date", "leading_partner", "n_states"]
    at = counts.set_index(["step", "leading_partner"])["n_states"]
    # Step 0: MLI FRA, NER USA, SEN FRA.
    assert (at[(0, "FRA")], at[(0, "USA")], at[(0, "RUS")], at[(0, "none")]) == (2, 1, 0, 0)
    # Step 2: MLI RUS, NER none, SEN FRA.
    assert (at[(2, "RUS")], at[(2, "none")], at[(2, "FRA")], at[(2, "USA")]) == (1, 1, 1, 0)
    # Every step counts every state once.
    assert counts.groupby("step")["n_states"].sum().tolist() == [3, 3, 3, 3]


def test_final_summary(run_tables):
    summary = final_summary(run_tables["states"], run_tables["ties"], run_tables["events"])
    assert summary["run"] == 0
    assert (summary["start_date"], summary["end_date"], summary["n_steps"]) == ("2024-01", "2024-04", 3)

    per_state = summary["states"]
    assert per_state.loc["MLI", ["leading_partner_start", "leading_partner_end"]].tolist() == ["FRA", "RUS"]
    assert per_state.loc["NER", ["regime_start", "regime_end"]].tolist() == ["civilian", "junta"]
    assert per_state["regime_changed"].to_dict() == {"MLI": False, "NER": True, "SEN": False}
    assert per_state["partner_changed"].to_dict() == {"MLI": True, "NER": True, "SEN": False}
    assert per_state["n_coups"].to_dict() == {"MLI": 0, "NER": 1, "SEN": 0}

    counts = summary["event_counts"]
    assert list(counts.index) == list(EVENT_TYPES)
    assert counts["coup"] == 1 and counts["expel"] == 1 and counts["transition"] == 0
    assert counts.sum() == 7

    share = summary["influence_share"]
    assert list(share.index) == ["USA", "FRA", "RUS"]
    assert share.loc["RUS", "start"] == 0.0
    assert share.loc["RUS", "end"] == pytest.approx(30.5 / 43.5)

    text = summarize(run_tables["states"], run_tables["ties"], run_tables["events"])
    assert "NER civilian -> junta" in text and "MLI FRA -> RUS" in text and "coup 1" in text
    assert "Main events:" in text


def test_final_summary_picks_the_requested_run(sweep_tables):
    summary = final_summary(sweep_tables["states"], sweep_tables["ties"], sweep_tables["events"], run=7)
    assert summary["run"] == 7
    assert summary["event_counts"].sum() == 7  # not 14: only run 7's events


def test_run_selection(sweep_tables):
    states = sweep_tables["states"]
    assert resolve_run(states) == 3
    assert resolve_run(states, 7) == 7
    assert set(select_run(states, 7)["run"]) == {7}
    with pytest.raises(ValueError, match="run 5"):
        resolve_run(states, 5)
    with pytest.raises(ValueError, match="empty"):
        resolve_run(states.iloc[0:0])


def test_month_to_timestamp():
    stamps = month_to_timestamp(pd.Series(["2024-01", "2025-12"]))
    assert stamps.tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2025-12-01")]
