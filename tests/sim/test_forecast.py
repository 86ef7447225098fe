"""The forecast: `python -m sim.forecast` with few runs writes one row per state, event type,
power or bloc and horizon; incentives are selectable; bad input ends with one `error:` line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from sim.core.vocabulary import EVENT_TYPES, EVENTS
from sim.forecast import main, parse_horizons

ROOT = Path(__file__).resolve().parents[2]
# one row per event type naming nothing else, one per power (5) or per bloc (2) for the others
ROWS_PER_STATE = sum({"": 1, "power": 5, "bloc": 2}[kind.partner] for kind in EVENTS.values())


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim.forecast", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def small_forecast(tmp_path_factory, cli_env):
    out = tmp_path_factory.mktemp("forecast") / "out"
    proc = _cli(["--runs", "10", "--months", "12", "--horizons", "6,12", "--out", str(out)], cli_env)
    return proc, out


def test_forecast_cli_writes_the_table_and_figures(small_forecast):
    proc, out = small_forecast
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    table = pd.read_parquet(out / "forecast.parquet")
    assert list(table.columns) == [
        "state",
        "type",
        "power",
        "bloc",
        "horizon",
        "date_end",
        "n_runs_with_event",
        "probability",
        "n_runs",
    ]
    assert len(table) == 19 * ROWS_PER_STATE * 2
    assert set(table["type"]) == set(EVENT_TYPES) and set(table["horizon"]) == {6, 12}
    assert table.loc[table["horizon"] == 12, "date_end"].unique().tolist() == ["2025-05"]
    pd.testing.assert_frame_equal(pd.read_csv(out / "forecast.csv", keep_default_na=False), table, check_dtype=False)
    for h in (6, 12):
        assert (out / f"forecast_heat_{h}m.png").stat().st_size > 5000


def test_forecast_probabilities_grow_with_the_horizon(small_forecast):
    _, out = small_forecast
    table = pd.read_parquet(out / "forecast.parquet")
    wide = table.pivot_table(index=["state", "type", "power", "bloc"], columns="horizon", values="probability")
    assert (wide[12] >= wide[6]).all()
    # the world's one scripted event: the US withdrawal from Niger completes in 2024-09 (month 4)
    row = table.query("state == 'NER' and type == 'withdraw_complete' and power == 'USA' and horizon == 6")
    assert row["probability"].item() == 1.0


def test_forecast_incentives_are_selectable(tmp_path):
    out = main(
        [
            "incentives=sovereigntist",
            "--runs",
            "3",
            "--months",
            "3",
            "--horizons",
            "3",
            "--quiet",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    cfg = yaml.safe_load((out / "config.yaml").read_text())
    assert cfg["incentives"]["civilian"]["sovereignty"] == 1.2 and cfg["incentives"]["junta"]["sovereignty"] == 1.8
    assert (out / "forecast.parquet").is_file()


def test_forecast_default_set_follows_the_repository_verdict(small_forecast):
    proc, out = small_forecast
    verdict = json.loads((ROOT / "conf" / "incentives" / "calibrated_verdict.json").read_text())
    meta = yaml.safe_load((out / "forecast.json").read_text())
    assert meta["parameter_set"]["name"] == ("calibrated" if verdict["use_calibrated"] else "defaults")
    assert ("incentives=calibrated" in meta["overrides"]) == verdict["use_calibrated"]
    assert f"Parameter set: {meta['parameter_set']['name']}; " in proc.stdout


def _verdict(path: Path, use: bool) -> Path:
    path.write_text(json.dumps({"use_calibrated": use, "reason": f"test verdict {use}"}))
    return path


@pytest.mark.parametrize("use", [True, False])
def test_forecast_uses_the_calibrated_set_only_when_the_verdict_says_so(tmp_path, monkeypatch, use):
    monkeypatch.setattr("sim.forecast.VERDICT", _verdict(tmp_path / "v.json", use))
    out = main(["--runs", "2", "--months", "2", "--horizons", "2", "--quiet", "--out", str(tmp_path / "out")])
    calibrated = yaml.safe_load((ROOT / "conf" / "incentives" / "calibrated.yaml").read_text())
    cfg = yaml.safe_load((out / "config.yaml").read_text())
    meta = yaml.safe_load((out / "forecast.json").read_text())
    if use:
        assert cfg["hazards"]["coup_base"] == pytest.approx(calibrated["hazards"]["coup_base"])
        assert meta["overrides"][0] == "incentives=calibrated" and meta["parameter_set"]["name"] == "calibrated"
    else:  # the hand-set defaults of sim/core/params.py, though calibrated.yaml exists
        assert cfg["hazards"]["coup_base"] == 0.002 and cfg["incentives"]["junta"]["security"] == 1.0
        assert "incentives=calibrated" not in meta["overrides"] and meta["parameter_set"]["name"] == "defaults"
    assert f"test verdict {use}" in meta["parameter_set"]["reason"]


def test_an_incentives_override_wins_over_the_verdict(tmp_path, monkeypatch):
    monkeypatch.setattr("sim.forecast.VERDICT", _verdict(tmp_path / "v.json", False))
    out = main(
        [
            "incentives=calibrated",
            "--runs",
            "2",
            "--months",
            "2",
            "--horizons",
            "2",
            "--quiet",
            "--out",
            str(tmp_path / "cal"),
        ]
    )
    calibrated = yaml.safe_load((ROOT / "conf" / "incentives" / "calibrated.yaml").read_text())
    assert yaml.safe_load((out / "config.yaml").read_text())["hazards"]["coup_base"] == pytest.approx(
        calibrated["hazards"]["coup_base"]
    )
    assert yaml.safe_load((out / "forecast.json").read_text())["parameter_set"]["reason"].startswith("chosen on")
    monkeypatch.setattr("sim.forecast.VERDICT", _verdict(tmp_path / "v.json", True))
    base = main(
        [
            "incentives=baseline",
            "--runs",
            "2",
            "--months",
            "2",
            "--horizons",
            "2",
            "--quiet",
            "--out",
            str(tmp_path / "base"),
        ]
    )
    cfg = yaml.safe_load((base / "config.yaml").read_text())
    assert cfg["hazards"]["coup_base"] == 0.002 and cfg["incentives"]["junta"]["security"] == 1.0


def test_forecast_over_the_posterior_sample_gives_each_run_a_point(tmp_path):
    sample = tmp_path / "post.csv"
    # two points: no coups at all (coup_base 0) and frequent coups; runs alternate between them
    sample.write_text("point,hazards.coup_base,brier\n0,0.0,0.05\n1,0.2,0.06\n")
    out = main(
        [
            "--posterior",
            str(sample),
            "--runs",
            "40",
            "--months",
            "6",
            "--horizons",
            "6",
            "--quiet",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    meta = yaml.safe_load((out / "forecast.json").read_text())
    assert meta["posterior"] == {"file": str(sample), "points": 2, "parameters": ["hazards.coup_base"]}
    table = pd.read_parquet(out / "forecast.parquet")
    coups = table.query("type == 'coup'")
    # with coup_base 0 half the runs have no coup anywhere: no state can exceed 50% of the runs
    assert coups["probability"].max() <= 0.5 and coups["probability"].sum() > 0
    assert not (tmp_path / "bad").exists()


def test_forecast_refuses_a_bad_posterior_before_any_run(tmp_path, cli_env):
    bad = tmp_path / "post.csv"
    bad.write_text("point,hazards.coup_base,brier\n0,0.9,0.05\n")  # outside 0..0.5
    proc = _cli(["--posterior", str(bad), "--runs", "2", "--out", str(tmp_path / "out")], cli_env)
    assert proc.returncode == 2 and proc.stderr.startswith("error: --posterior") and "legal range" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_parse_horizons():
    assert parse_horizons("24, 12,36", 36) == [12, 24, 36]
    with pytest.raises(SystemExit):
        parse_horizons("12,48", 36)


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--world", "nope"], "nope.yaml"),
        (["--runs", "0"], "--runs"),
    ],
)
def test_forecast_bad_input_exits_2_with_one_error(tmp_path, cli_env, args, needle):
    proc = _cli([*args, "--months", "2", "--horizons", "2", "--out", str(tmp_path / "out")], cli_env)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error:") and needle in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("use", [True, False])
def test_forecast_reads_a_calibration_from_a_folder_the_user_names(tmp_path, use):
    """An installed package's calibration lives in its --out folder (calibrated.yaml, the verdict beside it):
    --calibration FOLDER applies its values when its verdict says so, whatever conf/incentives/ holds."""
    folder = tmp_path / "mycal"
    folder.mkdir()
    (folder / "calibrated.yaml").write_text(
        "# @package _global_\nhazards:\n  coup_base: 0.0031\nincentives:\n  junta:\n    security: 2.25\n"
    )
    _verdict(folder / "calibrated_verdict.json", use)
    out = main(
        [
            "--calibration",
            str(folder),
            "--runs",
            "2",
            "--months",
            "2",
            "--horizons",
            "2",
            "--quiet",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    cfg = yaml.safe_load((out / "config.yaml").read_text())
    meta = yaml.safe_load((out / "forecast.json").read_text())
    if use:
        assert cfg["hazards"]["coup_base"] == 0.0031 and cfg["incentives"]["junta"]["security"] == 2.25
        assert meta["parameter_set"]["name"] == "calibrated"
        assert meta["overrides"][:2] == ["hazards.coup_base=0.0031", "incentives.junta.security=2.25"]
    else:
        assert cfg["hazards"]["coup_base"] == 0.002 and meta["parameter_set"]["name"] == "defaults"
    assert f"test verdict {use}" in meta["parameter_set"]["reason"]


def test_forecast_names_a_folder_without_a_calibration(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim.forecast",
            "--calibration",
            str(tmp_path),
            "--runs",
            "2",
            "--quiet",
            "--out",
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"No calibration in {tmp_path}" in proc.stderr and "--out FOLDER" in proc.stderr
