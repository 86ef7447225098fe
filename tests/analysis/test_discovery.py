"""PRIM finds the box of a known rule and draws it."""

import numpy as np
import pandas as pd
import pytest

from analysis.discovery import prim_box, prim_figure


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
