"""The calibration: window scoring on a toy case worked by hand, ABC rejection and the posterior,
the incentives file, a tiny calibration through `python -m sim.calibrate` writing its files, and
bad input ending with one `error:` line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.observed import OBSERVED_COLUMNS
from analysis.scoring import brier_score
from sim.calibrate import (
    Window,
    accept,
    bootstrap_test_window,
    calibrated_yaml,
    coup_counts,
    incentives_yaml,
    parse_priors,
    plausibility,
    posterior,
    window_cells,
)
from sim.core.events import Event
from sim.core.vocabulary import TERMS
from sim.outlook import first_months
from sim.posterior_sample import posterior_draws, read_posterior

ROOT = Path(__file__).resolve().parents[2]


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim.calibrate", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_windows_of_the_2020_world():
    fit, test = Window("fit", "2020-01", "2022-12", "2020-01"), Window("test", "2023-01", "2024-05", "2020-01")
    assert (fit.after, fit.steps, fit.observed_start) == (0, 35, "2020-01")  # events of Feb 2020 .. Dec 2022
    assert (test.after, test.steps, test.observed_start) == (35, 52, "2022-12")  # Jan 2023 .. May 2024


def test_first_months_after_a_month_keep_later_repeats():
    world = SimpleNamespace(states=["AAA", "BBB"], powers=["FRA"], blocs=["ECOWAS"])
    events = [Event(0, 2, "coup", 0), Event(0, 7, "coup", 0), Event(1, 1, "coup", 1)]
    assert first_months(events, world)["step"].tolist() == [2, 1]
    later = first_months(events, world, after=4)
    assert later[["run", "state", "step"]].values.tolist() == [[0, "AAA", 7]]


def test_window_cells_by_hand():
    # world from 2020-01; window Apr..Jun 2020 = simulated months 3..5; 4 runs; 2 states x 8 outcomes
    window = Window("test", "2020-04", "2020-06", "2020-01")
    assert (window.after, window.steps) == (2, 5)
    mapped = pd.DataFrame(
        [
            ["E1", "2020-03", "coup", "coup", "AAA", "", "", True, ""],  # before the window
            ["E2", "2020-05", "coup", "coup", "BBB", "", "", True, ""],  # inside
            ["E3", "2020-07", "expulsion", "expel", "AAA", "FRA", "", True, ""],  # after
            ["E4", "2020-06", "expulsion", "expel", "BBB", "USA", "", False, ""],  # not scored
        ],
        columns=OBSERVED_COLUMNS,
    )
    first = pd.DataFrame(
        [
            [0, "AAA", "coup", "", "", 3],  # inside
            [1, "AAA", "coup", "", "", 6],  # after the window
            [2, "BBB", "coup", "", "", 5],  # inside, last month
            [3, "BBB", "coup", "", "", 2],  # before the window: ignored
            [0, "BBB", "expel", "FRA", "", 4],  # inside
        ],
        columns=["run", "state", "type", "power", "bloc", "step"],
    )
    cells = window_cells(first, 4, window, mapped, ["AAA", "BBB"])
    assert len(cells) == 16 and cells["observed"].sum() == 1
    got = {(r.state, r.type, r.power): (r.probability, r.observed) for r in cells.itertuples() if r.probability}
    assert got == {("AAA", "coup", ""): (0.25, 0), ("BBB", "coup", ""): (0.25, 1), ("BBB", "expel", "FRA"): (0.25, 0)}
    assert brier_score(cells["probability"], cells["observed"]) == pytest.approx((0.25**2 + 0.75**2 + 0.25**2) / 16)


def test_accept_and_posterior():
    briers = [0.3, 0.1, 0.2, 0.4, 0.05]
    assert accept(briers, 0.4).tolist() == [4, 1]
    assert accept(briers, 0.01).tolist() == [4]  # at least one
    # only plausible points are accepted; the share still counts all points
    assert accept(briers, 0.4, [True, False, True, True, False]).tolist() == [2, 0]
    assert accept(briers, 0.4, [False] * 5).tolist() == []
    points = pd.DataFrame({"a": [1.0, 3.0], "b": [2.0, 2.0]})
    post = posterior(points, ["a", "b"])
    assert post["a"] == pytest.approx({"mean": 2.0, "sd": np.sqrt(2)}) and post["b"]["sd"] == 0


def test_coup_rates_of_the_plausibility_constraint_by_hand():
    # 2 points x 2 seeds (runs 0-3), 3 states, 6 months after the fit window (months 36..41 simulated: 35 < step <= 41)
    events = [
        Event(0, 36, "coup", 0),
        Event(0, 40, "coup", 0),
        Event(1, 35, "coup", 1),  # run 1: before: ignored
        Event(2, 41, "coup", 2),
        Event(3, 39, "expel", 1, 0),
        Event(3, 42, "coup", 1),
    ]  # after: ignored
    counts = coup_counts(events, 35, 41, 3)
    assert counts.values.tolist() == [[0, 0, 2], [2, 2, 1]]
    rates = plausibility(counts.assign(point=counts["run"] // 2), points=2, seeds=2, states=3, months=6)
    # point 0: 2 coups in 2 runs x 3 states x 0.5 years = 3 state-years -> 66.7 per 100; state 0: 2 / (2 x 6) a month
    np.testing.assert_allclose(rates["coups_per_100_state_years"], [200 / 3, 100 / 3])
    np.testing.assert_allclose(rates["max_state_coups_per_month_pct"], [100 * 2 / 12, 100 / 12])
    assert rates["max_state"].tolist() == [0, 2]


def test_test_bootstrap_pairs_the_sets_cells():
    cells = pd.DataFrame(
        {
            "state": ["A", "A", "B", "B"],
            "type": ["coup", "expel"] * 2,
            "power": ["", "FRA"] * 2,
            "bloc": [""] * 4,
            "observed": [1, 0, 0, 0],
            "probability": [0.5, 0.1, 0.2, 0.0],
        }
    )
    better = cells.assign(probability=[0.9, 0.0, 0.1, 0.0])
    boot = bootstrap_test_window({"default": cells, "calibrated": better}, 200, 0, 0.9)
    assert boot["diff default-calibrated"]["brier"] == pytest.approx((0.25 + 0.01 + 0.04 - 0.01 - 0.01) / 4)
    with pytest.raises(ValueError, match="same order"):
        bootstrap_test_window({"default": cells, "calibrated": better.iloc[::-1]}, 10, 0, 0.9)


def test_incentives_yaml_replaces_the_weights_and_keeps_the_layout():
    weights = {g: {t: 0.25 for t in TERMS} for g in ("civilian", "junta")}
    weights["junta"]["sovereignty"] = 2.5
    text = incentives_yaml(weights, ["a header", ""])
    assert text.startswith("# a header\n#\n") and "# aid, trade and investment" in text
    data = yaml.safe_load(text)
    assert data["junta"]["sovereignty"] == 2.5 and data["civilian"] == {t: 0.25 for t in TERMS}


def test_calibrated_yaml_is_a_global_package_with_weights_and_hazards():
    from sim.core.params import Config

    text = calibrated_yaml(
        Config(),
        {"incentives.junta.sovereignty": 2.5, "hazards.coup_base": 0.00123, "hazards.expel_rate": 0.2},
        ["a header", ""],
    )
    assert text.startswith("# @package _global_\n# a header\n")
    data = yaml.safe_load(text)
    assert set(data) == {"incentives", "hazards"}
    assert data["incentives"]["junta"]["sovereignty"] == 2.5
    assert data["incentives"]["junta"]["regime_protection"] == 1.5  # not fitted: the configured value
    assert data["hazards"] == {"coup_base": 0.00123, "expel_rate": 0.2}
    assert "# fitted; configured value 0.002" in text


def test_priors_name_weights_or_model_parameters():
    given = parse_priors(["junta.sovereignty=0.2:3", "hazards.coup_base=0.0005:0.004"])
    assert {n: (p.distribution, p.low, p.high) for n, p in given.items()} == {
        "incentives.junta.sovereignty": ("uniform", 0.2, 3.0),
        "hazards.coup_base": ("uniform", 0.0005, 0.004),
    }
    defaults = parse_priors(None)  # the priors file's list
    assert any(n.startswith("hazards.") for n in defaults) and any(n.startswith("incentives.") for n in defaults)
    assert defaults["hazards.coup_base"].distribution == "lognormal"


def test_posterior_draws_cycle_through_the_accepted_points():
    accepted = pd.DataFrame({"hazards.coup_base": [0.001, 0.002, 0.003], "brier": [0.1, 0.2, 0.3]})
    draws = posterior_draws(accepted, ["hazards.coup_base"], 7)
    np.testing.assert_allclose(draws["hazards.coup_base"], [0.001, 0.002, 0.003, 0.001, 0.002, 0.003, 0.001])


def test_read_posterior_refuses_what_is_not_a_sample(tmp_path):
    good = tmp_path / "p.csv"
    good.write_text("point,hazards.coup_base,incentives.junta.security,brier\n3,0.001,1.2,0.05\n")
    assert list(read_posterior(good).columns) == ["point", "hazards.coup_base", "incentives.junta.security", "brier"]
    for name, text in {"empty.csv": "point,brier\n", "odd.csv": "point,scenario.name,brier\n1,x,0.1\n"}.items():
        (tmp_path / name).write_text(text)
        with pytest.raises(ValueError, match=name):
            read_posterior(tmp_path / name)
    with pytest.raises(ValueError, match="cannot be read"):
        read_posterior(tmp_path / "missing.csv")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory, cli_env):
    tmp = tmp_path_factory.mktemp("calibrate")
    args = [
        "--points",
        "4",
        "--seeds",
        "3",
        "--runs",
        "6",
        "--accept",
        "0.5",
        "--fit-end",
        "2020-09",
        "--end",
        "2020-12",
        "--prior",
        "junta.sovereignty=0.2:3",
        "--prior",
        "hazards.coup_base=0.0005:0.004",
        "--max-coup-rate",
        "1000",
        "--max-state-coup-month",
        "100",
        "--resamples",
        "50",
        "--gate-runs",
        "8",
        "--out",
        str(tmp / "out"),
        "--write-config",
        str(tmp / "cal.yaml"),
    ]
    return _cli(args, cli_env), tmp


def test_tiny_calibration_writes_its_files(tiny):
    proc, tmp = tiny
    assert proc.returncode == 0, proc.stderr
    out = tmp / "out"
    for name in ("calibration.json", "points.csv", "config.yaml"):
        assert (out / name).is_file(), name
    assert (out / "calibration.png").stat().st_size > 5000
    result = json.loads((out / "calibration.json").read_text())
    names = ["incentives.junta.sovereignty", "hazards.coup_base"]
    assert list(result["prior"]) == names and result["accepted"] == 2 and len(result["all_points"]) == 4
    accepted = pd.DataFrame(result["accepted_points"])
    assert accepted["brier"].max() <= min(p["brier"] for p in result["all_points"] if not p["accepted"])
    for n in names:
        assert result["posterior"][n]["mean"] == pytest.approx(accepted[n].mean())
    for label in ("default", "calibrated", "posterior"):
        for w in ("fit", "test"):
            assert result["scores"][label][w]["cells"] == 19 * 8
    assert result["scores"]["default"]["fit"]["events"] == 2  # Mali's coup and the US aid halt (Aug 2020)
    assert result["scores"]["default"]["test"]["events"] == 1  # Russia reinforces the CAR (Dec 2020)
    assert "Posterior mean" in proc.stdout and "Verdict:" in proc.stdout
    points = pd.DataFrame(result["all_points"])
    assert points["plausible"].all() and {"coups_per_100_state_years", "max_state_coups_per_month_pct"} <= set(points)
    assert result["plausibility"]["months"] == ["2020-10", "2020-12"]
    boot = result["bootstrap"]
    assert boot["resamples"] == 50 and boot["cells"] == 19 * 8
    for label in ("default", "calibrated", "posterior"):
        assert boot[label]["brier"] == pytest.approx(result["scores"][label]["test"]["brier"])
        lo, hi = boot[label]["interval"]
        assert lo <= boot[label]["brier"] <= hi
    diff = boot["diff calibrated-default"]
    gate = pd.DataFrame(result["plausibility_gate"]["facts"])
    assert result["plausibility_gate"]["runs"] == 8 and {"coup_rate_region", "coups_coastal_rare"} <= set(gate["fact"])
    assert result["verdict"]["use_calibrated"] == (diff["interval"][1] < 0 and not gate["worse"].any())


def test_tiny_calibration_writes_a_loadable_config_file(tiny, cli_env):
    _, tmp = tiny
    text = (tmp / "cal.yaml").read_text()
    data = yaml.safe_load(text)
    result = json.loads((tmp / "out" / "calibration.json").read_text())
    assert set(data) == {"incentives", "hazards"}
    assert all(set(data["incentives"][g]) == set(TERMS) for g in ("civilian", "junta"))
    assert data["incentives"]["junta"]["sovereignty"] == pytest.approx(
        result["posterior"]["incentives.junta.sovereignty"]["mean"], abs=1e-3
    )
    assert data["hazards"]["coup_base"] == pytest.approx(result["posterior"]["hazards.coup_base"]["mean"], rel=1e-3)
    assert data["incentives"]["junta"]["regime_protection"] == 1.5  # not fitted: the baseline value
    sample = read_posterior(tmp / "cal_posterior.csv")  # the accepted points, next to the config file
    accepted = pd.DataFrame(result["accepted_points"])
    assert list(sample["point"]) == list(accepted["point"])
    np.testing.assert_allclose(sample["hazards.coup_base"], accepted["hazards.coup_base"])
    assert text.startswith("# @package _global_\n# Calibrated incentive weights and hazards: `python -m sim.calibrate")
    verdict = json.loads((tmp / "cal_verdict.json").read_text())  # what the forecast reads
    assert verdict["use_calibrated"] == result["verdict"]["use_calibrated"] and verdict["reason"]
    assert verdict["bootstrap"]["diff calibrated-default"] == result["bootstrap"]["diff calibrated-default"]


def test_the_repository_calibrated_option_sets_weights_and_hazards():
    # conf/incentives/calibrated.yaml is one group option that sets both (Hydra's global package)
    from sim.config import compose_config

    data = yaml.safe_load((ROOT / "conf" / "incentives" / "calibrated.yaml").read_text())
    cfg = compose_config(["incentives=calibrated"])
    assert cfg.hazards.coup_base == pytest.approx(data["hazards"]["coup_base"])
    assert cfg.incentives.junta.security == pytest.approx(data["incentives"]["junta"]["security"])
    assert compose_config([]).hazards.coup_base != cfg.hazards.coup_base


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--accept", "0"], "--accept"),
        (["--prior", "junta.charm=0:1"], "junta.charm"),
        (["--prior", "hazards.coup_base=0:0.9"], "legal range"),
        (["--prior", "hazards.coup_contagion_months=1:30"], "real-valued"),
        (["--prior", "junta.security=3:1"], "LOW < HIGH"),
        (["--fit-end", "2025-01"], "--fit-end"),
        (["--level", "1"], "--level"),
        (["--priors", "no/such.yaml"], "cannot be read"),
        (
            ["--prior", "hazards.coup_base=0.4:0.5", "--fit-end", "2020-06", "--end", "2020-12", "--quiet"],
            "None of the 2 points",
        ),
    ],
)
def test_calibrate_bad_input_exits_2_with_one_error(tmp_path, cli_env, args, needle):
    proc = _cli(
        [
            *args,
            "--points",
            "2",
            "--seeds",
            "1",
            "--runs",
            "1",
            "--out",
            str(tmp_path / "out"),
            "--write-config",
            str(tmp_path / "c.yaml"),
        ],
        cli_env,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error:") and needle in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists() and not (tmp_path / "c.yaml").exists()
