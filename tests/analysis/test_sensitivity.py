"""Sobol indices recover a known answer on a toy outcome."""

import numpy as np
import pandas as pd
import pytest

from analysis.sensitivity import (
    convergence_table,
    morris_bars,
    morris_convergence,
    morris_indices,
    point_means,
    seed_noise,
    sensitivity_bars,
    sobol_convergence,
    sobol_indices,
)
from sim.designs import expand_runs, make_design


def test_sobol_indices_find_the_only_parameter_that_matters():
    ranges = {"alignment.inertia": [0.5, 0.9], "hazards.coup_base": [0.0, 0.01]}
    runs = expand_runs(make_design("sobol", ranges, 256, seed=0), seeds_per_point=2, sweep_seed=0)
    # the outcome depends on inertia only (plus noise that averages out over the two seeds)
    rng = np.random.default_rng(1)
    outcome = pd.Series(runs["alignment.inertia"].to_numpy() * 10 + rng.normal(0, 0.01, len(runs)), index=runs["run"])
    idx = sobol_indices(runs, outcome, ranges).set_index("parameter")
    assert idx.loc["alignment.inertia", "ST"] == pytest.approx(1.0, abs=0.1)
    assert idx.loc["hazards.coup_base", "ST"] == pytest.approx(0.0, abs=0.05)
    fig = sensitivity_bars(idx.reset_index(), "a toy outcome")
    assert fig.axes[0].get_title() and fig.axes[0].get_xlabel()


def test_sobol_intervals_are_the_same_on_every_call_for_seed_0():
    # SALib treats seed=0 as no seed (numpy's global state): sobol_indices passes a derived nonzero seed
    ranges = {"alignment.inertia": [0.5, 0.9], "hazards.coup_base": [0.0, 0.01]}
    runs = expand_runs(make_design("sobol", ranges, 64, seed=0), seeds_per_point=1, sweep_seed=0)
    outcome = pd.Series(
        runs["alignment.inertia"].to_numpy() ** 2 + runs["hazards.coup_base"].to_numpy() * 50, index=runs["run"]
    )
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
        "hazards.coup_contagion",
        "alignment.inertia",
        "hazards.coup_base",
    ]
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


def _two_by_two(seeding):
    runs = pd.DataFrame({"run": [0, 1, 2, 3], "point": [0, 0, 1, 1], "replicate": [0, 1, 0, 1]})
    return seed_noise(runs, pd.Series([0.0, 2.0, 10.0, 12.0], index=[0, 1, 2, 3]), seeding)


def test_seed_noise_by_hand():
    # within-point variance 2, point means 1 and 11 (variance 50): the parameters' part is 50 - 2 / 2 = 49
    independent = _two_by_two("independent")
    assert independent.run_share == pytest.approx(2 / 51)
    assert independent.mean_share == pytest.approx(1 / 50)
    assert independent.common_share == 0.0
    # with common seeds the second seed adds 2 at both points: all the noise is common and cancels
    common = _two_by_two("common")
    assert common.common_share == pytest.approx(1.0)
    assert common.mean_share == pytest.approx(0.0)
    assert "common to every point" in common.text()


def test_seed_noise_is_unknown_with_one_seed_per_point():
    runs = pd.DataFrame({"run": [0, 1], "point": [0, 1], "replicate": [0, 0]})
    noise = seed_noise(runs, pd.Series([0.0, 1.0]), "common")
    assert np.isnan(noise.run_share) and "seeds_per_point=2" in noise.text()


def test_common_seeds_keep_seed_noise_out_of_the_sobol_indices():
    # the outcome is inertia plus a seed effect as large as inertia's whole range: with common seeds the
    # effect is the same at every point and cancels; with a seed per run it passes for interactions
    ranges = {"alignment.inertia": [0.5, 0.9], "hazards.coup_base": [0.0, 0.01]}
    design = make_design("sobol", ranges, 128, seed=0)
    sums = {}
    for seeding in ("common", "independent"):
        runs = expand_runs(design, seeds_per_point=2, sweep_seed=0, seeding=seeding)
        # a draw from each run's own seed (the same draw wherever that seed is used)
        seed_effect = np.array([np.random.default_rng(int(s)).normal(0, 0.4) for s in runs["seed"]])
        outcome = pd.Series(runs["alignment.inertia"].to_numpy() + seed_effect, index=runs["run"])
        noise = seed_noise(runs, outcome, seeding)
        idx = sobol_indices(runs, outcome, ranges, noise_share=noise.mean_share)
        sums[seeding] = (idx["ST"].sum(), noise)
    assert sums["common"][0] == pytest.approx(1.0, abs=0.05)
    assert sums["common"][1].mean_share == pytest.approx(0.0, abs=1e-9)
    assert sums["independent"][0] > 1.3  # seed noise counted as interaction
    assert sums["independent"][1].mean_share > 0.3


def test_sobol_intervals_are_clipped_to_0_1_and_noise_is_flagged():
    ranges = {"alignment.inertia": [0.5, 0.9], "hazards.coup_base": [0.0, 0.01], "hazards.coup_contagion": [0.0, 3.0]}
    runs = expand_runs(make_design("sobol", ranges, 32, seed=0), seeds_per_point=1, sweep_seed=0)
    rng = np.random.default_rng(3)
    outcome = pd.Series(runs["alignment.inertia"].to_numpy() + rng.normal(0, 0.1, len(runs)), index=runs["run"])
    idx = sobol_indices(runs, outcome, ranges, noise_share=0.2)
    assert (idx["S1"] < 0).any()  # the data are chosen so that one S1 is negative
    for name in ("S1", "ST"):
        assert idx[f"{name}_low"].between(0, 1).all() and idx[f"{name}_high"].between(0, 1).all()
        left = (idx[name] - idx[f"{name}_conf"] < 0) | (idx[name] + idx[f"{name}_conf"] > 1)
        assert (idx["flags"].str.contains(f"{name} interval clipped") == left).all()
    assert (idx["flags"].str.contains("S1 < 0: noise") == (idx["S1"] < 0)).all()
    assert (idx["flags"].str.contains("ST within seed noise") == (idx["ST"] <= 0.2)).all()
    # SALib's point estimates and half-widths are kept as they are
    assert idx.columns[:5].tolist() == ["parameter", "S1", "S1_conf", "ST", "ST_conf"]


def test_sobol_convergence_uses_the_first_quarter_half_and_all_base_samples():
    ranges = {"alignment.inertia": [0.5, 0.9], "hazards.coup_base": [0.0, 0.01]}
    runs = expand_runs(make_design("sobol", ranges, 256, seed=0), seeds_per_point=1, sweep_seed=0)
    outcome = pd.Series(
        runs["alignment.inertia"].to_numpy() ** 2 + 20 * runs["hazards.coup_base"].to_numpy(), index=runs["run"]
    )
    conv = sobol_convergence(runs, outcome, ranges)
    assert sorted(conv["N"].unique()) == [64, 128, 256]
    full = conv.loc[conv["N"] == 256].drop(columns="N").reset_index(drop=True)
    pd.testing.assert_frame_equal(full, sobol_indices(runs, outcome, ranges)[full.columns.tolist()])
    # the first 64 base samples are a Saltelli design of their own
    quarter = conv.loc[conv["N"] == 64].drop(columns="N").reset_index(drop=True)
    pd.testing.assert_frame_equal(
        quarter, sobol_indices(runs.loc[runs["point"] < 64 * 4], outcome, ranges)[quarter.columns.tolist()]
    )
    st = conv.pivot(index="N", columns="parameter", values="ST_conf")
    assert st.loc[256, "alignment.inertia"] < st.loc[64, "alignment.inertia"]
    table = convergence_table(conv)
    assert table.columns.tolist() == ["parameter", "ST at N = 64", "ST at N = 128", "ST at N = 256"]
    assert table["parameter"].tolist() == list(ranges)


def test_morris_convergence_and_seeded_bootstrap():
    ranges = {"alignment.inertia": [0.5, 0.9], "hazards.coup_base": [0.0, 0.01]}
    runs = expand_runs(make_design("morris", ranges, 12, seed=0, levels=4), seeds_per_point=1, sweep_seed=0)
    y = pd.Series((3 * runs["alignment.inertia"] ** 2).to_numpy(), index=runs["run"])
    conv = morris_convergence(runs, y, {"parameters": ranges})
    assert sorted(conv["N"].unique()) == [3, 6, 12]
    pd.testing.assert_frame_equal(
        morris_indices(runs, y, {"parameters": ranges}), morris_indices(runs, y, {"parameters": ranges})
    )  # identical intervals


def test_sobol_refuses_an_outcome_that_never_varies():
    ranges = {"alignment.inertia": [0.5, 0.9], "hazards.coup_base": [0.0, 0.01]}
    runs = expand_runs(make_design("sobol", ranges, 8, seed=0), seeds_per_point=1, sweep_seed=0)
    with pytest.raises(ValueError, match="all equal"):
        sobol_indices(runs, pd.Series(np.ones(len(runs)), index=runs["run"]), ranges)


def test_morris_intervals_are_clipped_at_0_and_flagged():
    # mu* is a mean size of effects: it cannot be negative, so neither can its interval's low end
    ranges = {"alignment.inertia": [0.5, 0.9], "hazards.coup_base": [0.0, 0.01], "hazards.coup_contagion": [0.0, 3.0]}
    runs = expand_runs(make_design("morris", ranges, 6, seed=0, levels=4), seeds_per_point=1, sweep_seed=0)
    # a rare yes/no outcome that no parameter explains (as a rare event on few trajectories): a few large
    # effects among zeros give bootstrap half-widths larger than mu* itself
    rng = np.random.default_rng(5)
    y = pd.Series((rng.random(len(runs)) < 0.1).astype(float), index=runs["run"])
    idx = morris_indices(runs, y, {"parameters": ranges})
    left = idx["mu_star"] - idx["mu_star_conf"] < 0
    assert left.any() and not left.all()  # the data are chosen so that some intervals reach below 0
    assert (idx["mu_star_low"] >= 0).all()
    np.testing.assert_allclose(idx["mu_star_low"], (idx["mu_star"] - idx["mu_star_conf"]).clip(lower=0))
    np.testing.assert_allclose(idx["mu_star_high"], idx["mu_star"] + idx["mu_star_conf"])
    assert (idx["flags"].str.contains("mu_star interval clipped at 0") == left).all()
    # the bars stop at 0
    ax = morris_bars(idx, "a toy outcome").axes[0]
    lows = [seg[0][0] for coll in ax.collections for seg in coll.get_segments() if len(seg) == 2]
    assert lows and min(lows) >= 0
