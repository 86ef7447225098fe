"""`python -m sim` end to end in a subprocess: a short run writes the contract's tables, plots, the
config and a summary; bad input exits 2 with one `error:` paragraph naming the field, no traceback and
no tables."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("states", "ties", "events", "bases", "borders")


def _sim(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


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
    check = subprocess.run(
        [sys.executable, "-m", "sim.check_outputs", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=cli_env,
        timeout=60,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith("ok:")


def test_the_output_contract_knows_the_catalogue_and_refuses_other_types(good_run, cli_env, tmp_path):
    import pandas as pd

    _, out = good_run
    events = pd.read_parquet(out / "events.parquet")
    row = events.iloc[[0]] if len(events) else None
    for name, expected in (("coup_attempt", 0), ("regime_collapse", 1)):
        folder = tmp_path / name
        folder.mkdir()
        for table in ("states", "ties"):
            (folder / f"{table}.parquet").write_bytes((out / f"{table}.parquet").read_bytes())
        base = (
            row
            if row is not None
            else pd.DataFrame(
                [
                    {
                        "run": 0,
                        "step": 1,
                        "date": "2024-06",
                        "state": "NER",
                        "power": "",
                        "bloc": "",
                        "scripted": False,
                        "cause": "",
                    }
                ]
            )
        )
        base.assign(type=name).to_parquet(folder / "events.parquet")
        check = subprocess.run(
            [sys.executable, "-m", "sim.check_outputs", str(folder)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=cli_env,
            timeout=60,
        )
        assert check.returncode == expected, check.stdout
    assert "types outside the vocabulary ['regime_collapse']" in check.stdout


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
    "unknown power knob": (["+scenario.powers.XXX.overstretch=0.5"], "scenario.powers.XXX"),
    "unknown policy power": (["+policy.per_power.XXX=fixed"], "policy.per_power"),
    "unknown player": (["players.states=[XXX]"], "XXX"),
    "bad scripted event": (["+scenario.extra_events=[{{date: '2024-08', type: coup, state: XXX}}]"], "XXX"),
    "unknown commitment": (["scenario.cancel_commitments=[nope]"], "nope"),
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
    assert not out.exists()  # refused before Hydra made the run folder: nothing left behind
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
    assert not (tmp_path / "run").exists()  # issue 14: refused before Hydra made the run folder


# ------------------------------------------------------------------ multirun (Hydra, joblib launcher)

MULTIRUN = [
    "-m",
    "experiment=us_stays,france_resets",
    "seed=0,1",
    "run=short",
    "hydra/launcher=joblib",
    "hydra.launcher.n_jobs=2",
]


def _job_overrides(job: Path) -> dict[str, str]:
    return dict(o.split("=", 1) for o in yaml.safe_load((job / ".hydra" / "overrides.yaml").read_text()))


@pytest.fixture(scope="module")
def multirun(tmp_path_factory, cli_env):
    """Four jobs, two at a time, into the default hydra.sweep.dir under a fresh working folder."""
    cwd = tmp_path_factory.mktemp("multirun")
    proc = _sim(MULTIRUN, cwd=cwd, env=cli_env)
    return proc, cwd


def test_cli_multirun_writes_a_folder_per_job_under_outputs_multirun(multirun):
    proc, cwd = multirun
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    (sweep_dir,) = (cwd / "outputs" / "multirun").glob("*/*")  # outputs/multirun/DATE/TIME
    jobs = sorted(p for p in sweep_dir.iterdir() if p.is_dir())
    assert [p.name for p in jobs] == ["0", "1", "2", "3"]
    cases = {(o["experiment"], o["seed"]) for o in map(_job_overrides, jobs)}
    assert cases == {(e, s) for e in ("us_stays", "france_resets") for s in ("0", "1")}
    for job in jobs:
        assert all((job / f"{name}.parquet").is_file() for name in TABLES), job
        assert yaml.safe_load((job / "config.yaml").read_text())["run"]["steps"] == 6
        assert f"Tables in {job}" in proc.stdout  # each job printed its summary (run=short: no plots)
    assert proc.stdout.count("Run 0: 2024-05 to 2024-11 (6 months)") == 4


def test_cli_multirun_job_equals_the_single_run_with_its_overrides(multirun, cli_env, tmp_path):
    import pandas as pd

    _, cwd = multirun
    jobs = {tuple(_job_overrides(p).values()): p for p in (cwd / "outputs" / "multirun").glob("*/*/[0-9]")}
    job = jobs[("france_resets", "1", "short")]
    proc = _sim(
        ["experiment=france_resets", "seed=1", "run=short", f"hydra.run.dir={tmp_path / 'single'}"],
        cwd=tmp_path,
        env=cli_env,
    )
    assert proc.returncode == 0, proc.stderr
    for name in ("states", "ties", "events"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(job / f"{name}.parquet"), pd.read_parquet(tmp_path / "single" / f"{name}.parquet")
        )
    # the comparison can tell jobs apart: the other seed of the same experiment differs
    other = pd.read_parquet(jobs[("france_resets", "0", "short")] / "ties.parquet")
    assert not other["affinity"].equals(pd.read_parquet(job / "ties.parquet")["affinity"])


@pytest.mark.parametrize(
    "sweep, needle",
    [
        ("alignment.inertia=0.5,1.5", "job #1 (alignment.inertia=1.5"),
        ("experiment=us_stays,nope", "experiment/nope"),
    ],
)
def test_cli_multirun_bad_override_stops_before_any_job(tmp_path, cli_env, sweep, needle):
    sweep_dir = tmp_path / "sweep"
    proc = _sim(
        ["-m", sweep, "run=short", "hydra/launcher=joblib", f"hydra.sweep.dir={sweep_dir}"], cwd=tmp_path, env=cli_env
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error:") and needle in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not sweep_dir.exists() and not list(tmp_path.rglob("*.parquet"))
