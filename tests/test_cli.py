"""`python -m sim` end to end in a subprocess: a short run writes the contract's tables, plots, the
config and a summary; bad input exits 2 with one `error:` paragraph naming the field, no traceback and
no tables."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

CHECK_OUTPUTS = Path("/work/shared/tools/check_outputs.py")
TABLES = ("states", "ties", "events", "bases", "borders")


def _sim(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture(scope="module")
def good_run(tmp_path_factory, cli_env):
    out = tmp_path_factory.mktemp("cli") / "run"
    proc = _sim(["seed=3", "run.steps=4", f"hydra.run.dir={out}"], cwd=out.parent, env=cli_env)
    return proc, out


def test_cli_run_exits_zero(good_run):
    proc, _ = good_run
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_run_writes_tables_and_plots(good_run):
    _, out = good_run
    for name in TABLES:
        assert (out / f"{name}.parquet").is_file(), name
    pngs = sorted(p.name for p in (out / "plots").glob("*.png"))
    assert pngs, "no plots written"
    assert all((out / "plots" / p).stat().st_size > 1000 for p in pngs)


def test_cli_run_passes_the_output_contract(good_run, cli_env):
    _, out = good_run
    check = subprocess.run([sys.executable, str(CHECK_OUTPUTS), str(out)], capture_output=True, text=True,
                           env=cli_env, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith("ok:")


def test_cli_run_writes_the_resolved_config(good_run):
    _, out = good_run
    cfg = yaml.safe_load((out / "config.yaml").read_text())
    assert cfg["seed"] == 3 and cfg["run"]["steps"] == 4
    assert cfg["scenario"]["name"] == "sahel_2024"
    assert "hydra" not in cfg


def test_cli_run_prints_a_summary(good_run):
    proc, out = good_run
    assert "Run 0: 2024-05 to 2024-09 (4 months)" in proc.stdout
    assert "withdraw_complete" in proc.stdout  # the US leaves Niger in 2024-09 (step 4)
    assert str(out) in proc.stdout


def test_cli_tables_match_the_horizon(good_run):
    import pandas as pd

    _, out = good_run
    states = pd.read_parquet(out / "states.parquet")
    assert sorted(states["step"].unique()) == [0, 1, 2, 3, 4]
    assert len(states) == 5 * 19


# ------------------------------------------------------------------ bad input


@pytest.fixture(scope="module")
def broken_world(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("worlds") / "broken.yaml"
    text = (Path(__file__).resolve().parent / "fixtures" / "tiny_world.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["powers"][0]["colonial_baggage"] = 1.5
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


BAD = {
    # case: (overrides, text the message must contain)
    "broken world file": (["scenario.name={broken}"], "powers[USA].colonial_baggage"),
    "unknown override key": (["alignment.inertai=0.5"], "inertai"),
    "out of range": (["alignment.inertia=1.5"], "alignment.inertia"),
    "out of range int": (["run.steps=0"], "run.steps"),
    "wrong type": (["run.steps=abc"], "run.steps"),
    "unknown experiment": (["experiment=nope"], "experiment"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_cli_bad_input_exits_2_with_one_clear_error(case, tmp_path, cli_env, broken_world):
    overrides, field = BAD[case]
    overrides = [o.format(broken=broken_world) for o in overrides]
    out = tmp_path / "run"
    # the case's overrides come last, so they win over the short-run defaults
    args = ["run.steps=2", "run.plots=false", *overrides, f"hydra.run.dir={out}"]
    proc = _sim(args, cwd=tmp_path, env=cli_env)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error:"), proc.stderr
    assert field in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1  # one paragraph
    assert not list(tmp_path.rglob("*.parquet"))
    assert not (out / "config.yaml").exists()
    if case == "broken world file":
        assert str(broken_world) in proc.stderr
    if case == "unknown experiment":
        assert "nope" in proc.stderr and "us_stays" in proc.stderr  # names the choices


def test_cli_unquoted_impossible_date_is_a_clear_error(tmp_path, cli_env):
    text = (Path(__file__).resolve().parent / "fixtures" / "tiny_world.yaml").read_text(encoding="utf-8")
    world = tmp_path / "unquoted.yaml"
    text = text.replace("withdrawal_ends: '2024-07'", "withdrawal_ends: 2024-06-31")
    world.write_text(text, encoding="utf-8")
    args = [f"scenario.name={world}", "run.steps=2", "run.plots=false", f"hydra.run.dir={tmp_path / 'run'}"]
    proc = _sim(args, cwd=tmp_path, env=cli_env)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2 and proc.stderr.startswith("error:") and "withdrawal_ends" in proc.stderr
