"""Regret and satisficing of lever settings over futures, with hand-computed numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.robustness import future_values, plot_robustness, regret, robustness, setting_labels


def _runs() -> pd.DataFrame:
    # 2 settings x 3 futures x 2 seeds
    rows = [(s, f, k) for s in range(2) for f in range(3) for k in range(2)]
    runs = pd.DataFrame(rows, columns=["lever_setting", "uncertainty_point", "replicate"])
    runs.insert(0, "run", np.arange(len(runs)))
    runs["point"], runs["seed"] = runs["lever_setting"] * 3 + runs["uncertainty_point"], 0
    runs["experiment"] = np.where(runs["lever_setting"] == 0, "none", "us_stays")
    runs["hazards.coup_base"] = runs["uncertainty_point"] * 0.001 + 0.001
    return runs


def test_values_are_means_over_seeds_and_regret_is_the_shortfall_from_the_best_in_each_future():
    runs = _runs()
    # setting 0: futures 0.5, 0.2, 0.9 (means of seed pairs); setting 1: 0.4, 0.6, 0.3
    values = pd.Series([0.4, 0.6, 0.2, 0.2, 0.8, 1.0, 0.4, 0.4, 0.5, 0.7, 0.3, 0.3], index=runs["run"])
    table = future_values(runs, values)
    np.testing.assert_allclose(table[0], [0.5, 0.2, 0.9])
    np.testing.assert_allclose(table[1], [0.4, 0.6, 0.3])
    np.testing.assert_allclose(regret(table)[0], [0.0, 0.4, 0.0])
    np.testing.assert_allclose(regret(table)[1], [0.1, 0.0, 0.6])
    summary = robustness(table, threshold=0.35)
    assert summary.index.tolist() == [0, 1] and summary["rank"].tolist() == [1, 2]  # max regret 0.4 < 0.6
    assert summary.loc[0, "max_regret"] == pytest.approx(0.4) and summary.loc[1, "max_regret"] == pytest.approx(0.6)
    assert summary["satisficing"].tolist() == pytest.approx([2 / 3, 2 / 3])
    assert summary.loc[0, "worst"] == pytest.approx(0.2) and summary.loc[1, "mean"] == pytest.approx(1.3 / 3)
    # to minimize: the regret is the excess over the lowest, setting 1 is then the robust one
    low = robustness(table, maximize=False, threshold=0.35)
    assert low.index.tolist() == [1, 0] and low.loc[1, "max_regret"] == pytest.approx(0.4)
    assert low.loc[0, "satisficing"] == pytest.approx(1 / 3)
    assert setting_labels(runs).tolist() == ["experiment=none", "experiment=us_stays"]
    fig = plot_robustness(table, summary, setting_labels(runs), "share:USA@36", threshold=0.35, power="USA")
    assert "robust" in fig.texts[0].get_text() and fig.axes[0].get_xlabel()


def test_a_sweep_without_levers_is_refused_with_the_fix():
    runs = _runs().drop(columns=["lever_setting"])
    with pytest.raises(ValueError, match="sweep.levers or sweep.factors"):
        future_values(runs, pd.Series(0.0, index=runs["run"]))


def test_a_lever_sweeps_parameters_are_its_numbers_not_its_factors_or_ids(tmp_path):
    from analysis.sweep_data import Sweep

    sweep = Sweep(path=tmp_path, spec={}, runs=_runs(), tables=("states",))
    assert sweep.parameters == ["hazards.coup_base"]


def test_the_command_ranks_the_settings_of_a_lever_sweep_and_writes_the_table_and_figure(tmp_path, capsys):
    from analysis.robustness_report import main
    from sim.config import compose_config
    from sim.sweep import run_sweep
    from sim.sweep_conf import SweepAppConfig

    cfg = compose_config(
        [
            "run.steps=4",
            "sweep=demo_lhs",
            "sweep.samples=3",
            "sweep.seeds_per_point=2",
            "sweep.tables=[states,ties]",
            "+sweep.factors.experiment=[none,us_reengages]",
            "+sweep.levers.scenario.powers.USA.budget_factor=[1.0,2.0]",
        ],
        config_name="sweep_app",
        schema=SweepAppConfig,
    )
    sweep = run_sweep(cfg, tmp_path / "sweep", progress=False)
    capsys.readouterr()
    assert main([str(sweep), "--outcome", "share:USA@4", "--threshold", "0.2", "--out", str(tmp_path / "r")]) == 0
    printed = capsys.readouterr().out
    assert "over 3 futures, 2 seeds each" in printed and "satisficing" in printed
    table = pd.read_csv(tmp_path / "r" / "robustness.csv", index_col=0)
    assert len(table) == 4 and table["rank"].tolist() == [1, 2, 3, 4]
    assert table["max_regret"].is_monotonic_increasing and table["max_regret"].iloc[0] >= 0
    assert table["setting"].str.contains("experiment=").all() and table["satisficing"].between(0, 1).all()
    assert (tmp_path / "r" / "robustness.png").stat().st_size > 10_000
    # a sweep without levers is refused with one error line
    plain = run_sweep(
        compose_config(
            ["run.steps=2", "sweep=demo_lhs", "sweep.samples=2", "sweep.seeds_per_point=1", "sweep.tables=[states]"],
            config_name="sweep_app",
            schema=SweepAppConfig,
        ),
        tmp_path / "plain",
        progress=False,
    )
    assert main([str(plain), "--outcome", "lead:NER=RUS@2"]) == 2
    assert capsys.readouterr().err.startswith("error:")
