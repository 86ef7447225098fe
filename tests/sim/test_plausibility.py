"""`python -m sim.plausibility`: bad input ends with one `error:` paragraph and exit 2 before anything
is simulated; a cheap battery (slow marker) writes its table, page and JSON with the structure the
docs describe. Whether the facts pass is the battery's own verdict, not this test's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.plausibility_facts import load_facts
from sim.plausibility import COLUMNS, DEFAULT_FACTS, experiment_names, main

ROOT = Path(__file__).resolve().parents[2]


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim.plausibility", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.parametrize(
    "argv, words",
    [
        (["--scenario", "nowhere"], "--scenario 'nowhere' names ['nowhere']"),
        (["--runs", "0"], "--runs must be at least 1"),
        (["experiment=coup_wave"], "select ensembles with --scenario"),
        (["--months", "0"], "between 1 and 600"),
    ],
)
def test_bad_options_exit_2_with_one_paragraph(argv, words, capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--out", str(tmp_path)])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and words in err
    assert not (tmp_path / "battery.csv").exists()


def test_a_bad_facts_file_exits_2_naming_file_and_field(capsys, tmp_path):
    bad = tmp_path / "facts.yaml"
    bad.write_text(
        "facts:\n  - {id: x, title: X, applies_to: all, metric: nope, expected: {max: 1}, "
        "tolerance: t, source: s, as_of: '2024-05'}\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit) as exit_:
        main(["--facts", str(bad), "--out", str(tmp_path / "out")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and str(bad) in err and "unknown metric 'nope'" in err
    assert not (tmp_path / "out").exists()


def test_a_fact_naming_an_unknown_state_exits_2(capsys, tmp_path):
    bad = tmp_path / "facts.yaml"
    bad.write_text(
        "facts:\n  - {id: x, title: X, applies_to: all, metric: share_of_runs_led_by, "
        "args: {states: [XXX], power: RUS, month: 0}, expected: {max: 1}, tolerance: t, source: s, "
        "as_of: '2024-05'}\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit) as exit_:
        main(["--facts", str(bad), "--runs", "1", "--scenario", "baseline", "--out", str(tmp_path / "out")])
    assert exit_.value.code == 2
    assert "args.states names ['XXX']" in capsys.readouterr().err


def test_one_run_of_one_ensemble_gives_every_applicable_fact_a_row(tmp_path, capsys):
    code = main(["--runs", "2", "--months", "36", "--scenario", "us_stays", "--quiet", "--out", str(tmp_path)])
    results = pd.read_csv(tmp_path / "battery.csv", keep_default_na=False)
    expected = [f.id for f in load_facts(DEFAULT_FACTS) if f.applies("us_stays")]
    assert results["fact"].tolist() == expected and set(results["ensemble"]) == {"us_stays"}
    assert code == (1 if (results["result"] == "fail").any() else 0)
    assert "us_stays_in_niger" in capsys.readouterr().out


@pytest.mark.slow
def test_the_battery_runs_end_to_end_and_writes_its_report(tmp_path, cli_env):
    out = tmp_path / "battery"
    proc = _cli(["--runs", "100", "--scenario", "baseline,coup_wave", "--out", str(out)], cli_env)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    results = pd.read_csv(out / "battery.csv", keep_default_na=False)
    assert list(results.columns) == COLUMNS
    assert set(results["ensemble"]) == {"baseline", "coup_wave"}
    assert set(results["result"]) <= {"pass", "fail", "n/a"}
    assert proc.returncode == (1 if (results["result"] == "fail").any() else 0)
    facts = load_facts(DEFAULT_FACTS, ["baseline", *experiment_names()])
    for ensemble in ("baseline", "coup_wave"):
        assert set(results.loc[results["ensemble"] == ensemble, "fact"]) == {f.id for f in facts if f.applies(ensemble)}
    applicable = results["result"] != "n/a"
    assert pd.to_numeric(results.loc[applicable, "value"]).notna().all()
    assert (results.loc[~applicable, "detail"].str.contains("missing from the vocabulary")).all()
    stored = pd.read_parquet(out / "battery.parquet")
    assert list(stored.columns) == COLUMNS
    assert stored[["ensemble", "fact", "result"]].equals(results[["ensemble", "fact", "result"]])
    values = pd.to_numeric(results["value"]).fillna(-1.0).round(9)
    assert stored["value"].fillna(-1.0).round(9).tolist() == values.tolist()
    summary = json.loads((out / "battery.json").read_text(encoding="utf-8"))
    assert summary["runs"] == 100 and summary["ensembles"] == ["baseline", "coup_wave"]
    assert sum(summary["counts"].values()) == len(results)
    page = (out / "battery.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count("<tr class=") == len(results)
    header = proc.stdout.splitlines()[0].split()
    assert header == ["ensemble", "fact", "expected", "model", "result", "source"]
    assert proc.stdout.rstrip().endswith("not applicable")
