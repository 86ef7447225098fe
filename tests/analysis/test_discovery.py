"""PRIM finds the box of a known rule and draws it."""

import numpy as np
import pandas as pd
import pytest

from analysis.discovery import (
    cart_boxes,
    feature_score_bars,
    feature_scores,
    prim_box,
    prim_boxes,
    prim_figure,
    prim_summary,
)


def _synthetic(n=500, seed=0):
    rng = np.random.default_rng(seed)
    runs = pd.DataFrame({"run": np.arange(n), "x1": rng.random(n), "x2": rng.random(n), "x3": rng.random(n)})
    return runs, pd.Series((runs["x1"] > 0.7).to_numpy(), index=runs["run"])


def test_prim_finds_x1_above_0_7():
    runs, outcome = _synthetic()
    result = prim_box(runs, outcome, ranges={"x1": [0, 1], "x2": [0, 1], "x3": [0, 1]})
    box = result.box.set_index("parameter")
    assert box.loc["x1", "low"] == pytest.approx(0.7, abs=0.03)
    assert box.loc["x1", "high"] == 1.0 and box.loc["x1", "restricted"]
    assert not box.loc["x2", "restricted"] and not box.loc["x3", "restricted"]
    assert (box.loc["x2", "low"], box.loc["x2", "high"]) == (0.0, 1.0)
    assert result.coverage > 0.9 and result.density > 0.9
    assert box["coverage"].iloc[0] == result.coverage and box["density"].iloc[0] == result.density
    assert len(result.trajectory) > 5 and result.trajectory["mass"].iloc[0] == 1.0
    # about 30% of the runs have the outcome (34% in this sample); the box on x1 alone is a clear finding
    assert result.base_rate == pytest.approx(outcome.mean())
    assert box.loc["x1", "qp"] < 1e-6 and np.isnan(box.loc["x2", "qp"])
    assert result.worth_reporting and result.verdict().startswith("A box worth reporting: base rate 34%")


def test_a_box_on_noise_is_not_worth_reporting():
    # the outcome is a coin flip with a 90% base rate that no parameter explains: whatever box PRIM
    # peels to is chance (the case of a 90.3% box over a 90% base rate)
    rng = np.random.default_rng(3)
    runs = pd.DataFrame({"run": np.arange(2000), "x1": rng.random(2000), "x2": rng.random(2000)})
    outcome = pd.Series(rng.random(2000) < 0.9, index=runs["run"])
    result = prim_box(runs, outcome)
    assert not result.worth_reporting
    assert result.verdict().startswith("No box is worth reporting: base rate 89%")
    assert (result.box.loc[result.box["restricted"], "qp"] > 0.05).all()


def test_prim_refuses_an_outcome_that_never_varies():
    runs, _ = _synthetic(50)
    with pytest.raises(ValueError, match="with and without"):
        prim_box(runs, pd.Series(True, index=runs["run"]))


def test_prim_figure_has_titles_labels_and_legends():
    runs, outcome = _synthetic(200)
    fig = prim_figure(prim_box(runs, outcome), "x1 is large")
    left, right = fig.axes[:2]
    for ax in (left, right):
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel() and ax.get_legend() is not None
    assert "coverage" in right.get_xlabel() and "density" in right.get_ylabel()


def _runs(n, seed):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"run": np.arange(n), "x1": rng.random(n), "x2": rng.random(n), "x3": rng.random(n)})


def test_covering_finds_two_planted_boxes_one_after_the_other():
    runs = _runs(1000, 1)
    outcome = pd.Series(((runs["x1"] > 0.8) | (runs["x2"] > 0.85)).to_numpy(), index=runs["run"])
    boxes = prim_boxes(runs, outcome)
    assert [b.worth_reporting for b in boxes] == [True, True]
    first, second = (b.box.set_index("parameter") for b in boxes)
    assert first.loc["x1", "restricted"] and not first.loc["x2", "restricted"]
    assert second.loc["x2", "restricted"] and second.loc["x2", "low"] == pytest.approx(0.85, abs=0.02)
    # the second box is judged against the runs left outside the first: a lower base rate
    assert boxes[1].base_rate < boxes[0].base_rate == pytest.approx(outcome.mean())
    assert boxes[1].verdict().startswith("Box 2 (on the runs outside the earlier boxes): A box worth reporting")
    table = prim_summary(boxes)
    assert list(table["box"]) == [1, 2] and table["finding"].all() and (table["largest qp"] < 1e-6).all()


def _noise(seed, base, n=1000):
    runs = _runs(n, seed)
    return runs, pd.Series(np.random.default_rng(100 + seed).random(n) < base, index=runs["run"])


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("base", [0.5, 0.9])
def test_pure_noise_yields_no_prim_box(seed, base):
    runs, outcome = _noise(seed, base)
    boxes = prim_boxes(runs, outcome)
    assert len(boxes) == 1 and not boxes[0].worth_reporting  # covering stops at the first non-finding


def test_cart_on_pure_noise_finds_a_leaf_at_most_at_the_rules_false_alarm_rate():
    # qp <= 0.05 after Bonferroni over the leaves bounds the chance of any false leaf per tree by 5%;
    # 20 noise data sets, so about one false alarm is expected and more than three would break the rule
    # (in-sample leaves, without the held-out half, gave false findings in 6 of 10 noise data sets of 1,000 runs)
    alarms = [not cart_boxes(*_noise(seed, base, 600)).findings.empty for seed in range(10) for base in (0.5, 0.9)]
    assert sum(alarms) <= 3
    runs, outcome = _noise(1, 0.5)
    assert cart_boxes(runs, outcome).verdict().startswith("CART: no leaf beats the base rate 5")


def test_cart_finds_the_planted_box_on_held_out_runs():
    runs = _runs(1000, 2)
    outcome = pd.Series(((runs["x1"] > 0.7) & (runs["x2"] < 0.4)).to_numpy(), index=runs["run"])
    cart = cart_boxes(runs, outcome)
    best = cart.findings.iloc[0]
    assert "x1 >" in best["rule"] and "x2 <=" in best["rule"] and "x3" not in best["rule"]
    assert best["density"] > 0.9 and best["qp"] < 1e-6
    # held-out counts: the leaves hold the judged half of the runs, and their coverages sum to 1
    assert cart.leaves["runs"].sum() == 500 and cart.leaves["coverage"].sum() == pytest.approx(1.0)
    assert cart.base_rate == pytest.approx(0.12, abs=0.04)


def test_feature_scores_rank_the_planted_parameters_first_and_are_seeded():
    runs = _runs(600, 3)
    outcome = pd.Series(((runs["x1"] > 0.7) & (runs["x2"] < 0.4)).to_numpy(), index=runs["run"])
    scores = feature_scores(runs, outcome)
    assert set(scores.index[:2]) == {"x1", "x2"} and scores.sum() == pytest.approx(1.0)
    pd.testing.assert_series_equal(scores, feature_scores(runs, outcome))
    numeric = feature_scores(runs, pd.Series(runs["x3"].to_numpy() * 5.0, index=runs["run"]))
    assert numeric.index[0] == "x3"
    fig = feature_score_bars(scores, "x1 large and x2 small")
    ax = fig.axes[0]
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel() and ax.get_legend() is not None
