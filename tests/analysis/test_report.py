"""The sweep report: one offline HTML file, read a chunk or a few columns at a time; clear CLI errors."""

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import analysis.report as report
from analysis.ensemble_metrics import quantile_bands
from analysis.metrics import influence_share
from analysis.sweep_data import layout, open_sweep

REPO = Path(__file__).resolve().parents[2]


def _offline(text: str) -> None:
    assert "http://" not in text and "https://" not in text
    assert "<script" not in text and "<link" not in text and "@import" not in text and "url(" not in text
    # every src is an embedded image
    assert all(src.startswith("data:image/png;base64,") for src in re.findall(r'src="([^"]*)"', text))


def test_morris_report_is_one_offline_file(morris_sweep, tmp_path, monkeypatch):
    reads = []
    real = pd.read_parquet

    def spy(path, *args, **kwargs):
        reads.append((Path(path), kwargs.get("columns"), kwargs.get("filters")))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pd, "read_parquet", spy)
    out = report.build_report(morris_sweep, ["lead:GAB=FRA@end", "affinity:NER:RUS@6"], tmp_path / "r" / "x.html")
    text = out.read_text(encoding="utf-8")
    assert out == tmp_path / "r" / "x.html"
    _offline(text)
    # 3 fan charts (shares, shares by factor level, affinities), 1 event table (12 months), per outcome feature
    # scores and a heatmap (4), 2 Morris charts, and one PRIM figure per reported box of the yes/no outcome
    # (at least one; how many boxes are findings depends on the model's runs)
    prim_figures = text.count("<figcaption>PRIM peels the parameter box down")
    assert prim_figures >= 1
    assert text.count('<img src="data:image/png;base64,') == 10 + prim_figures
    for needle in (
        "demo_morris",
        "morris",
        "incentives.junta.sovereignty",
        "0.4 to 2",
        "Influence over time",
        "Niger&#x27;s affinity to each power",
        "within 12 months",
        "Morris screening",
        "PRIM",
        "France is Gabon&#x27;s leading partner at month 12",
        "Niger&#x27;s affinity to Russia at month 6",
        "Seed noise:",
        "common seeds",
        "mu_star at N = 2",
        "mu_star at N = 6",
        "Wilson interval",
        "Scenario discovery (PRIM and CART)",
        "qp",
        "CART",
        "feature score",
        "the two parameters with the highest feature score",
        "split by the level of",
    ):
        assert needle in text, needle
    assert "Sobol" not in text
    # never a whole dataset: columns always chosen; whole-folder reads of states and ties filter steps or runs
    assert len(reads) > 5
    for path, columns, filters in reads:
        if path.name in ("states", "ties", "events") or path.parent.name in ("states", "ties", "events"):
            assert columns is not None, path
            if path.name in ("states", "ties"):
                assert filters is not None, path


def test_grid_and_sobol_reports(grid_sweep, sobol_sweep):
    grid = report.build_report(grid_sweep).read_text(encoding="utf-8")  # default place and outcome
    assert (grid_sweep / "report.html").exists()
    _offline(grid)
    assert "values (grid)" in grid and "0.0005, 0.0015, 0.005" in grid
    assert "lead:NER=RUS@end" in grid and "at month 12" in grid and "Morris" not in grid and "Sobol" not in grid
    sobol = report.build_report(sobol_sweep, ["share:RUS@end"]).read_text(encoding="utf-8")
    _offline(sobol)
    assert "Sobol indices" in sobol and "PRIM" not in sobol  # a number, not yes/no: no PRIM box
    # the seed-noise share beside the indices, and the indices at N/2 and N
    for needle in (
        "Seed noise:",
        "2 seeds per point, common seeds",
        "seed_noise_share",
        "ST at N = 2",
        "ST at N = 4",
        "flags",
    ):
        assert needle in sobol, needle


def test_progress_per_section_and_a_chosen_pair_and_factor(morris_sweep, tmp_path, capsys):
    params = open_sweep(morris_sweep).parameters
    out = report.build_report(
        morris_sweep, ["lead:GAB=FRA@end"], tmp_path / "p.html", pair=params[-2:], by=params[0], progress=True
    )
    err = capsys.readouterr().err.splitlines()
    # header, outcomes, fan charts, events, one outcome: numbered, each with its seconds, then a total line
    assert [line.split(" ")[1] for line in err[:5]] == ["[1/5]", "[2/5]", "[3/5]", "[4/5]", "[5/5]"]
    assert all(re.search(r"\.\.\. \d+\.\d s$", line) for line in err[:5])
    assert err[5].startswith("report: 5 sections in") and str(out) in err[5]
    text = out.read_text(encoding="utf-8")
    assert f"{params[-2]} x {params[-1]}, the pair chosen with --pair" in text
    assert f"split by the level of {params[0]}" in text
    with pytest.raises(report.ReportError, match="--pair argument: 'nope' is not a parameter"):
        report.build_report(morris_sweep, pair=["nope", params[0]])
    with pytest.raises(report.ReportError, match="--by argument"):
        report.build_report(morris_sweep, by="nope")


def test_chunk_wise_shares_equal_the_whole_computation(morris_sweep):
    sweep = open_sweep(morris_sweep)
    shares, affinities = report.monthly_tables(sweep, layout(sweep), "NER")
    ties = pd.read_parquet(morris_sweep / "ties", columns=["run", "step", "date", "state", "power", "affinity"])
    states = pd.read_parquet(morris_sweep / "states", columns=["run", "step", "state", "population_m"])
    whole = influence_share(ties.astype({"date": str, "state": str, "power": str}), states.astype({"state": str}))
    pd.testing.assert_frame_equal(quantile_bands(shares, "share"), quantile_bands(whole, "share"))
    assert len(affinities) == 60 * 13 * 5 and set(affinities["power"]) == {"USA", "FRA", "RUS", "CHN", "TUR"}


def _cli_error(capsys, *argv):
    with pytest.raises(SystemExit) as exit_:
        report.main([str(a) for a in argv])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.startswith("error:") and err.count("\n") == 1 and "Traceback" not in err
    return err


def test_cli_errors_exit_2_with_one_paragraph(morris_sweep, tmp_path, capsys):
    assert "does not exist" in _cli_error(capsys, tmp_path / "nope")
    assert "no runs.parquet" in _cli_error(capsys, tmp_path)
    (tmp_path / "runs.parquet").write_bytes(b"x")
    (tmp_path / "sweep.json").write_text("{not json")
    assert "sweep.json is not readable JSON" in _cli_error(capsys, tmp_path)
    err = _cli_error(capsys, morris_sweep, "--outcome", "lead:NER-RUS@3", "--out", tmp_path / "bad.html")
    assert "--outcome" in err and "'NER-RUS' should read STATE=POWER" in err
    assert not (tmp_path / "bad.html").exists()
    err = _cli_error(capsys, morris_sweep, "--outcome", "lead:NER=RUS@40")
    assert "--outcome" in err and "step 40" in err and "or end" in err
    err = _cli_error(capsys, morris_sweep, "--outcome", "share:XYZ@3")
    assert "'XYZ'" in err and "USA" in err
    assert "--state" in _cli_error(capsys, morris_sweep, "--state", "ZZZ")
    assert "--out" in _cli_error(capsys, morris_sweep, "--out", tmp_path)
    assert "usage" in _cli_error(capsys).lower()  # no DIR at all


def test_the_real_command_line(morris_sweep, cli_env):
    result = subprocess.run(
        [sys.executable, "-m", "analysis.report", str(morris_sweep), "--outcome", "foo:NER@3"],
        cwd=REPO,
        env=cli_env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and result.stderr.startswith("error: the --outcome argument")
    assert "Traceback" not in result.stderr


def test_figures_are_also_saved_as_png_files_when_asked(grid_sweep, tmp_path):
    out = report.build_report(grid_sweep, out=tmp_path / "r.html", figures=tmp_path / "figs")
    pngs = sorted((tmp_path / "figs").glob("*.png"))
    assert len(pngs) == out.read_text(encoding="utf-8").count("<img src=") >= 3
    assert pngs[0].name.startswith("01-") and pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_page_says_when_no_scenario_is_worth_reporting(tmp_path):
    # the case: a 90% base rate that no parameter explains; the page must not present a box as a finding
    import numpy as np

    from analysis.sweep_data import Sweep

    rng = np.random.default_rng(3)
    n = 1000
    runs = pd.DataFrame(
        {
            "run": np.arange(n),
            "point": np.arange(n),
            "replicate": 0,
            "seed": np.arange(n),
            "alignment.inertia": rng.uniform(0.5, 0.9, n),
            "hazards.coup_base": rng.uniform(0, 0.01, n),
        }
    )
    sweep = Sweep(
        path=tmp_path,
        spec={"design": "lhs", "parameters": {"alignment.inertia": [0.5, 0.9], "hazards.coup_base": [0.0, 0.01]}},
        runs=runs,
        tables=("states",),
    )
    page = report._Page()
    report._discovery(page, sweep, runs, pd.Series(rng.random(n) < 0.9, index=runs["run"]), "a coin flip")
    text = "\n".join(page.parts)
    assert "No box is worth reporting: base rate 9" in text and "qp" in text
    assert "No scenario worth reporting" in text and "A box worth reporting" not in text
    assert "CART: no leaf beats the base rate" in text
