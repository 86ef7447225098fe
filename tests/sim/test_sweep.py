"""Sweeps: design sizes, bad designs, worker independence, resume after a kill."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ctrl_c import ctrl_c_after_first_chunk

from analysis.sweep_data import with_parameters
from sim.config import compose_config
from sim.core.params import ConfigError
from sim.designs import expand_runs, grid, latin_hypercube, make_design, run_seed
from sim.sweep import chunk_marker, human_bytes, plan, run_sweep, sweep_summary
from sim.sweep_conf import SweepAppConfig

REPO = Path(__file__).resolve().parents[2]


def _cfg(*overrides):
    return compose_config(["run.steps=6", *overrides], config_name="sweep_app", schema=SweepAppConfig)


def test_grid_has_every_combination():
    d = grid({"hazards.coup_base": [0.001, 0.002, 0.003], "alignment.inertia": [0.5, 0.9]})
    assert len(d) == 6
    assert set(map(tuple, d.to_numpy())) == {(a, b) for a in (0.001, 0.002, 0.003) for b in (0.5, 0.9)}


def test_latin_hypercube_puts_one_point_in_each_stratum():
    d = latin_hypercube({"alignment.inertia": [0.5, 0.9], "hazards.coup_base": [0.0, 0.01]}, samples=10, seed=3)
    assert len(d) == 10
    for name, (lo, hi) in {"alignment.inertia": (0.5, 0.9), "hazards.coup_base": (0.0, 0.01)}.items():
        strata = np.floor((d[name] - lo) / (hi - lo) * 10).astype(int)
        assert sorted(strata) == list(range(10))
    # the design depends on its seed only
    pd.testing.assert_frame_equal(
        d, latin_hypercube({"alignment.inertia": [0.5, 0.9], "hazards.coup_base": [0.0, 0.01]}, 10, 3)
    )


def test_runs_expand_points_by_seeds_and_seeds_depend_on_run_id_only():
    runs = expand_runs(make_design("grid", {"hazards.coup_base": [0.001, 0.002]}, 0, 0), 3, sweep_seed=7)
    assert runs["run"].tolist() == list(range(6))
    assert runs["point"].tolist() == [0, 0, 0, 1, 1, 1]
    assert runs["seed"].tolist() == [run_seed(7, r) for r in range(6)]
    assert runs["seed"].nunique() == 6


@pytest.mark.parametrize(
    "parameters, design, message",
    [
        ({"hazards.nope": [0.0, 1.0]}, "lhs", "not a numeric model parameter"),
        ({"scenario.rivalry_default": [0.0, 1.0]}, "lhs", "not a numeric model parameter"),
        ({"hazards.coup_base": [0.01, 0.001]}, "lhs", "empty or reversed"),
        ({"hazards.coup_base": [0.01, 0.01]}, "lhs", "empty or reversed"),
        ({"hazards.coup_base": [0.0, 0.9]}, "lhs", "legal range"),
        ({"alignment.inertia": [0.5, 1.5]}, "grid", "legal range"),
        ({"alignment.inertia": []}, "grid", "no values"),
        ({}, "grid", "at least one parameter"),
    ],
)
def test_bad_designs_are_refused(parameters, design, message):
    with pytest.raises(ConfigError, match=message):
        make_design(design, parameters, samples=4, seed=0)


def _read(out, name):
    df = pd.read_parquet(out / name)
    # codes are stored dictionary-encoded (Categoricals in pandas); compare them as strings
    df = df.astype({c: str for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)})
    keys = [c for c in ("run", "step", "state", "power", "type") if c in df]
    return df.sort_values(keys, kind="stable").reset_index(drop=True)


def test_one_worker_and_two_give_the_same_sweep(tmp_path):
    cfg = _cfg("sweep=demo_grid", "sweep.seeds_per_point=2", "sweep.chunk_runs=4")
    one = run_sweep(cfg, tmp_path / "one", progress=False)
    cfg.workers = 2
    two = run_sweep(cfg, tmp_path / "two", progress=False)
    for name in ("states", "ties", "events"):
        pd.testing.assert_frame_equal(_read(one, name), _read(two, name))
    states = _read(one, "states")
    assert "hazards.coup_base" not in states  # parameters live in runs.parquet only, joined on demand
    states = with_parameters(states, one)
    assert states["run"].nunique() == 18 and set(states["hazards.coup_base"]) == {0.0005, 0.0015, 0.005}


def test_a_sweep_run_equals_the_single_run_with_its_seed_and_values(tmp_path):
    from sim.model import InfluenceModel

    cfg = _cfg(
        "sweep=demo_lhs", "sweep.samples=3", "sweep.seeds_per_point=2", "sweep.chunk_runs=5", "sweep.float32=false"
    )
    out = run_sweep(cfg, tmp_path / "s", progress=False)
    runs = pd.read_parquet(out / "runs.parquet")
    row = runs.iloc[3]
    seed = int(runs["seed"].iloc[3])  # not via the row: a mixed row is float64 and would round the seed
    single = compose_config(
        ["run.steps=6", f"seed={seed}"] + [f"{k}={float(row[k])!r}" for k in runs.columns if "." in k]
    )
    model = InfluenceModel(single, run_id=int(row["run"]))
    model.run()
    ties = _read(out, "ties")
    mine = ties[ties.run == row["run"]][model.recorder.ties_table().columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        mine, model.recorder.ties_table().sort_values(["run", "step", "state", "power"]).reset_index(drop=True)
    )


def test_float32_tables_hold_the_float64_values_rounded(tmp_path):
    exact = _read(
        run_sweep(
            _cfg("sweep=demo_grid", "sweep.seeds_per_point=1", "sweep.float32=false"), tmp_path / "f64", progress=False
        ),
        "ties",
    )
    small = _read(
        run_sweep(
            _cfg("sweep=demo_grid", "sweep.seeds_per_point=1", "sweep.float32=true"), tmp_path / "f32", progress=False
        ),
        "ties",
    )
    assert small["affinity"].dtype == np.float32 and exact["affinity"].dtype == np.float64
    floats = [c for c in exact.columns if exact[c].dtype == np.float64 and "." not in c]
    assert len(floats) > 10
    pd.testing.assert_frame_equal(small[floats], exact[floats].astype(np.float32))
    assert small["state"].tolist() == exact["state"].tolist()


def test_every_keeps_some_months_and_tables_picks_the_tables(tmp_path):
    cfg = _cfg("sweep=demo_grid", "sweep.seeds_per_point=1", "sweep.every=4", "sweep.tables=[states,events]")
    out = run_sweep(cfg, tmp_path, progress=False)
    assert not (out / "ties").exists() and (out / "events").is_dir()
    assert sorted(_read(out, "states")["step"].unique()) == [0, 4, 6]  # every 4th month and the last (6)
    full = _read(
        run_sweep(_cfg("sweep=demo_grid", "sweep.seeds_per_point=1"), tmp_path / "full", progress=False), "events"
    )
    pd.testing.assert_frame_equal(_read(out, "events"), full)  # events are kept whatever `every` is


def test_unknown_table_is_refused_before_any_run(tmp_path):
    with pytest.raises(ConfigError, match="sweep.tables"):
        run_sweep(_cfg("sweep=demo_grid", "sweep.tables=[states,borders]"), tmp_path, progress=False)
    assert not (tmp_path / "states").exists()


def test_a_different_design_in_the_same_folder_is_refused(tmp_path):
    run_sweep(_cfg("sweep=demo_grid", "sweep.seeds_per_point=1"), tmp_path, progress=False)
    with pytest.raises(ConfigError, match="different sweep"):
        run_sweep(_cfg("sweep=demo_grid", "sweep.seeds_per_point=2"), tmp_path, progress=False)


@pytest.mark.slow  # over 5 s: kept out of the default suite (make test), run by make test-slow and CI
def test_resume_after_a_kill_loses_and_duplicates_no_run(tmp_path, cli_env):
    out = tmp_path / "sweep"
    args = [
        sys.executable,
        "-m",
        "sim.sweep",
        "sweep=demo_lhs",
        "sweep.samples=40",
        "sweep.seeds_per_point=2",
        "sweep.chunk_runs=2",
        "run.steps=12",
        f"out={out}",
    ]
    proc = subprocess.Popen(
        args, cwd=REPO, env=cli_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((out / "done").glob("chunk-*"))) < 3:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len(list((out / "done").glob("chunk-*")))
    assert 3 <= done_before < 40, "the kill should land mid-sweep"
    subprocess.run(args, cwd=REPO, env=cli_env, check=True, capture_output=True)
    assert all(chunk_marker(out, c).exists() for c in range(40))
    states = pd.read_parquet(out / "states")
    counts = states.groupby("run").size()
    assert sorted(counts.index) == list(range(80))
    assert (counts == 13 * states["state"].nunique()).all()  # every step of every run exactly once
    # the same as an uninterrupted sweep
    clean = tmp_path / "clean"
    subprocess.run(args[:-1] + [f"out={clean}"], cwd=REPO, env=cli_env, check=True, capture_output=True)
    for name in ("states", "events"):
        pd.testing.assert_frame_equal(_read(out, name), _read(clean, name))


@pytest.mark.parametrize(
    "override, needle",
    [
        ("sweep=nope", "sweep/nope"),
        ("sweep.design=sobolx", "sweep.design"),
        ("sweep.samples=0", "sweep.samples"),
    ],
)
def test_cli_bad_sweep_input_is_a_clear_error(tmp_path, cli_env, override, needle):
    result = subprocess.run(
        [sys.executable, "-m", "sim.sweep", override, f"out={tmp_path / 'x'}"],
        cwd=REPO,
        env=cli_env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error:") and needle in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x" / "states").exists()


@pytest.mark.parametrize(
    "overrides, needle",
    [
        (["sweep=demo_lhs", "sweep.samples=10000000", "sweep.seeds_per_point=100000"], "1,000,000,000,000 runs"),
        (["sweep=demo_sobol", "sweep.samples=4194304", "sweep.seeds_per_point=10"], "points of the sobol design"),
        (["sweep=demo_lhs", "+sweep.parameters.hazards.coup_base=[0.1,abc]"], "'abc' among its values"),
        (["sweep=demo_grid", "+sweep.parameters.hazards.coup_base=[0.001,.nan]"], "numbers only"),
    ],
)
def test_cli_sweep_sizes_and_values_are_checked_before_anything_is_allocated(tmp_path, cli_env, overrides, needle):
    result = subprocess.run(
        [sys.executable, "-m", "sim.sweep", *overrides, f"out={tmp_path / 'x'}"],
        cwd=REPO,
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error:") and needle in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()


@pytest.mark.slow  # over 5 s: kept out of the default suite (make test), run by make test-slow and CI
@pytest.mark.parametrize("damage", ["runs.parquet", "sweep.json", "sweep.json list"])
def test_resuming_a_damaged_sweep_folder_is_a_clear_error(tmp_path, cli_env, damage):
    args = [
        sys.executable,
        "-m",
        "sim.sweep",
        "sweep=demo_grid",
        "sweep.seeds_per_point=1",
        "run.steps=2",
        f"out={tmp_path / 'x'}",
    ]
    subprocess.run(args, cwd=REPO, env=cli_env, check=True, capture_output=True)
    name = damage.split()[0]
    (tmp_path / "x" / name).write_text("[1, 2]" if damage.endswith("list") else "garbage", encoding="utf-8")
    result = subprocess.run(args, cwd=REPO, env=cli_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error:") and "cannot be read" in result.stderr and "out=DIR" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_second_sweep_into_the_same_folder_is_refused_while_the_first_writes(tmp_path, cli_env):
    import fcntl

    out = tmp_path / "x"
    args = [
        sys.executable,
        "-m",
        "sim.sweep",
        "sweep=demo_grid",
        "sweep.seeds_per_point=1",
        "run.steps=2",
        f"out={out}",
    ]
    out.mkdir()
    with open(out / ".lock", "a+") as held:  # as a first sweep running into the folder holds it
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        result = subprocess.run(args, cwd=REPO, env=cli_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error:") and "Another sweep is writing into" in result.stderr
    assert "Traceback" not in result.stderr and not (out / "runs.parquet").exists()
    # once the first is done, the same command runs
    assert subprocess.run(args, cwd=REPO, env=cli_env, capture_output=True, timeout=120).returncode == 0
    assert (out / "done").is_dir()


@pytest.mark.slow  # over 5 s: kept out of the default suite (make test), run by make test-slow and CI
@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_stops_with_one_line_and_the_same_command_resumes(tmp_path, cli_env, workers):
    out = tmp_path / "x"
    args = [
        sys.executable,
        "-m",
        "sim.sweep",
        "sweep=demo_lhs",
        "sweep.samples=40",
        "sweep.seeds_per_point=2",
        "sweep.chunk_runs=4",
        "run.steps=12",
        f"workers={workers}",
        f"out={out}",
    ]
    stderr = ctrl_c_after_first_chunk(args, REPO, cli_env, out, wait_s=90)
    lines = [line for line in stderr.splitlines() if line.strip() and "it/s" not in line and "run/s" not in line]
    assert "Traceback" not in stderr, stderr
    assert lines[-1].startswith("interrupted:") and "run the same command again to resume" in lines[-1]
    done = len(list((out / "done").glob("chunk-*")))
    assert 1 <= done < 20
    finished = subprocess.run(args, cwd=REPO, env=cli_env, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert len(list((out / "done").glob("chunk-*"))) == 20


@pytest.mark.slow  # over 5 s: kept out of the default suite (make test), run by make test-slow and CI
@pytest.mark.parametrize("damage", ["deleted", "truncated", "replaced", "flipped"])
def test_a_chunk_whose_data_was_lost_is_run_again_on_resume(tmp_path, cli_env, damage):
    # replaced (another chunk's valid file) and flipped (one byte changed, the footer intact) pass a footer
    # check: only the rows and SHA-256 the marker records find them
    args = [
        sys.executable,
        "-m",
        "sim.sweep",
        "sweep=demo_grid",
        "sweep.seeds_per_point=2",
        "sweep.chunk_runs=6",
        "run.steps=3",
    ]
    out, clean = tmp_path / "x", tmp_path / "clean"
    for folder in (out, clean):
        subprocess.run([*args, f"out={folder}"], cwd=REPO, env=cli_env, check=True, capture_output=True)
    part = out / "events" / "part-000001.parquet"
    data = part.read_bytes()
    if damage == "deleted":
        part.unlink()
    elif damage == "truncated":
        part.write_bytes(data[:100])
    elif damage == "replaced":
        part.write_bytes((out / "events" / "part-000000.parquet").read_bytes())
    else:
        middle = len(data) // 2
        part.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])
    assert chunk_marker(out, 1).exists()  # the marker outlived its data (a power loss, a careless clean-up)
    result = subprocess.run([*args, f"out={out}"], cwd=REPO, env=cli_env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert re.search(r"\(6 runs now in [\d.]+ s, [\d.]+ runs/s, 12 already done\); output [\d.]+ kB", result.stdout)
    for name in ("states", "events"):
        pd.testing.assert_frame_equal(_read(out, name), _read(clean, name))


def test_cli_bad_range_in_a_sweep_file_stops_before_any_run(tmp_path, cli_env):
    result = subprocess.run(
        [sys.executable, "-m", "sim.sweep", "sweep=demo_grid", "sweep.design=lhs", f"out={tmp_path / 'x'}"],
        cwd=REPO,
        env=cli_env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "needs a range" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x").exists()


def test_plan_of_the_demo_designs():
    assert len(plan(_cfg("sweep=demo_lhs"))) == 16 * 4
    assert len(plan(_cfg("sweep=demo_grid"))) == 9 * 5


def test_sobol_design_follows_saltelli_and_checks_its_size():
    d = make_design("sobol", {"alignment.inertia": [0.5, 0.9], "hazards.coup_base": [0.0, 0.01]}, 8, seed=1)
    assert len(d) == 8 * (2 + 2)
    assert d["alignment.inertia"].between(0.5, 0.9).all() and d["hazards.coup_base"].between(0.0, 0.01).all()
    with pytest.raises(ConfigError, match="power of two"):
        make_design("sobol", {"alignment.inertia": [0.5, 0.9]}, 10, seed=1)
    assert len(plan(_cfg("sweep=demo_sobol"))) == 32 * 5 * 2


def test_a_half_written_file_left_by_a_kill_neither_breaks_readers_nor_survives_a_resume(tmp_path):
    cfg = _cfg("sweep=demo_grid", "sweep.seeds_per_point=1")
    out = run_sweep(cfg, tmp_path, progress=False)
    stale = out / "states" / ".tmpkilled.tmp"
    stale.write_bytes(b"not parquet")  # what SIGKILL during write_parquet_atomic leaves behind
    assert pd.read_parquet(out / "states")["run"].nunique() == 9
    run_sweep(cfg, out, progress=False)
    assert not stale.exists()


def test_a_sweep_can_vary_a_power_knob(tmp_path):
    cfg = _cfg(
        "sweep=demo_grid", "sweep.seeds_per_point=1", "+sweep.parameters.scenario.powers.RUS.overstretch=[0.1,0.9]"
    )
    out = run_sweep(cfg, tmp_path, progress=False)
    runs = pd.read_parquet(out / "runs.parquet")
    assert sorted(runs["scenario.powers.RUS.overstretch"].unique()) == [0.1, 0.9]
    assert json.loads((out / "sweep.json").read_text())["parameters"]["scenario.powers.RUS.overstretch"] == [0.1, 0.9]
    ties = with_parameters(_read(out, "ties"), out)
    knob = ties[(ties.step == 6) & (ties.power == "RUS")].groupby("scenario.powers.RUS.overstretch")["affinity"]
    assert knob.mean().loc[0.1] != knob.mean().loc[0.9]


def test_a_power_knob_of_an_unknown_power_is_refused_before_any_run(tmp_path):
    cfg = _cfg("sweep=demo_grid", "+sweep.parameters.scenario.powers.XXX.overstretch=[0.1,0.9]")
    with pytest.raises(ConfigError, match="no power 'XXX'"):
        run_sweep(cfg, tmp_path, progress=False)
    assert not (tmp_path / "states").exists()


def test_morris_levels_reach_the_design():
    four = plan(_cfg("sweep=demo_morris"))
    six = plan(_cfg("sweep=demo_morris", "sweep.levels=6"))
    name = next(c for c in four.columns if "." in c)
    assert four[name].nunique() <= 4 < six[name].nunique() <= 6


def test_resuming_with_other_model_settings_is_refused(tmp_path):
    run_sweep(_cfg("sweep=demo_grid", "sweep.seeds_per_point=1"), tmp_path, progress=False)
    for override in ("run.steps=12", "experiment=us_stays", "sweep.every=3"):
        with pytest.raises(ConfigError, match="other settings"):
            run_sweep(_cfg("sweep=demo_grid", "sweep.seeds_per_point=1", override), tmp_path, progress=False)
    # how it runs is not a setting of the results: more workers resume the same sweep
    run_sweep(_cfg("sweep=demo_grid", "sweep.seeds_per_point=1", "workers=2"), tmp_path, progress=False)


def test_resuming_after_the_model_code_or_the_world_changed_is_refused(tmp_path, monkeypatch):
    import sim.sweep

    cfg = _cfg("sweep=demo_grid", "sweep.seeds_per_point=1", "run.steps=3")
    run_sweep(cfg, tmp_path, progress=False)
    spec = json.loads((tmp_path / "sweep.json").read_text())
    stored = spec["config"]
    assert len(stored["provenance.model_code_sha256"]) == 64
    from sim.core.provenance import package_versions

    assert spec["provenance"]["packages"] == package_versions()  # recorded with the sweep
    done = sorted((tmp_path / "done").glob("chunk-*"))
    monkeypatch.setattr(sim.sweep, "model_fingerprint", lambda: "0" * 64)  # as after an edit of the rules
    with pytest.raises(ConfigError, match="the model's code .* has changed since"):
        run_sweep(cfg, tmp_path, progress=False)
    monkeypatch.undo()
    monkeypatch.setattr(sim.sweep, "file_sha256", lambda path: "1" * 64)  # as after an edit of the world file
    with pytest.raises(ConfigError, match="the world file has been edited since"):
        run_sweep(cfg, tmp_path, progress=False)
    monkeypatch.undo()
    assert sorted((tmp_path / "done").glob("chunk-*")) == done  # nothing finished was lost
    run_sweep(cfg, tmp_path, progress=False)  # the same code and world resume


def test_resuming_with_other_package_versions_says_so_and_keeps_the_first(tmp_path, monkeypatch, capsys):
    import sim.sweep

    cfg = _cfg("sweep=demo_grid", "sweep.seeds_per_point=1", "run.steps=3")
    run_sweep(cfg, tmp_path, progress=False)
    first = json.loads((tmp_path / "sweep.json").read_text())["provenance"]["packages"]
    capsys.readouterr()
    monkeypatch.setattr(sim.sweep, "package_versions", lambda: dict(first, numpy="9.9.9"))
    run_sweep(cfg, tmp_path, progress=False)
    assert f"numpy {first['numpy']} -> 9.9.9" in capsys.readouterr().err
    assert json.loads((tmp_path / "sweep.json").read_text())["provenance"]["packages"] == first


def test_the_model_fingerprint_follows_the_rules_source(tmp_path, monkeypatch):
    import shutil

    import sim.core.provenance as prov

    copy = tmp_path / "core"
    shutil.copytree(prov.CORE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(prov, "CORE_DIR", copy)
    before = prov.model_fingerprint()
    assert before == prov.model_fingerprint()
    for edited in (copy / "rules" / "hazards.py", copy / "players.py"):  # every file of the core counts
        edited.write_text(edited.read_text() + "\n# edited\n")
        assert prov.model_fingerprint() != before
        before = prov.model_fingerprint()
    (copy / "new_rule.py").write_text("# a module added to the core\n")
    assert prov.model_fingerprint() != before


@pytest.mark.slow
def test_a_two_worker_sweep_killed_three_times_and_finished_by_dask_has_every_run_once(tmp_path, cli_env):
    """The heavy version of the kill test: 2,000 runs over the full horizon with two workers,
    killed three times at growing progress, then finished with the Dask engine; the result is the
    uninterrupted one-worker sweep, run for run."""
    out = tmp_path / "sweep"
    base = [
        sys.executable,
        "-m",
        "sim.sweep",
        "sweep=demo_lhs",
        "sweep.samples=200",
        "sweep.seeds_per_point=10",
        "sweep.chunk_runs=50",
        "sweep.every=6",
    ]
    for target in (5, 15, 25):
        proc = subprocess.Popen(
            base + ["workers=2", f"out={out}"],
            cwd=REPO,
            env=cli_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and len(list((out / "done").glob("chunk-*"))) < target:
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert len(list((out / "done").glob("chunk-*"))) < 40, "the last kill should land mid-sweep"
    subprocess.run(
        base + ["engine=dask", "workers=2", f"out={out}"], cwd=REPO, env=cli_env, check=True, capture_output=True
    )
    states = _read(out, "states")
    counts = states.groupby("run").size()
    assert sorted(counts.index) == list(range(2000))
    assert (counts == 7 * states["state"].nunique()).all()  # steps 0, 6, ..., 36 of every run exactly once
    clean = tmp_path / "clean"
    subprocess.run(base + [f"out={clean}"], cwd=REPO, env=cli_env, check=True, capture_output=True)
    for name in ("states", "ties", "events"):
        pd.testing.assert_frame_equal(_read(out, name), _read(clean, name))


def test_the_bar_counts_runs_and_the_sweep_ends_with_runs_per_second_and_size(tmp_path, capsys):
    cfg = compose_config(
        ["run.steps=2", "sweep=demo_grid", "sweep.seeds_per_point=2", "sweep.chunk_runs=4"],
        config_name="sweep_app",
        schema=SweepAppConfig,
    )
    run_sweep(cfg, tmp_path / "x", progress=True)
    captured = capsys.readouterr()
    # 9 points x 2 seeds = 18 runs in chunks of 4: the bar ends at 18/18 runs, not 5/5 chunks
    assert "18/18" in captured.err and "run/s" in captured.err and "chunk" not in captured.err
    size = sum(f.stat().st_size for f in (tmp_path / "x").rglob("*") if f.is_file())
    line = captured.out.strip().splitlines()[-1]
    assert re.fullmatch(
        rf"sweep demo_grid: 18 runs written to {re.escape(str(tmp_path / 'x'))} \(18 runs now in "
        rf"[\d.]+ s, [\d.]+ runs/s, 0 already done\); output {re.escape(human_bytes(size))}",
        line,
    )
    one = sweep_summary("demo_grid", 1, 1, 2.0, tmp_path / "x")
    assert "demo_grid: 1 run written" in one and "(1 run now in 2.0 s, 0.5 runs/s, 0 already done)" in one
    assert "(0 runs now in 0.0 s, 18 already done)" in sweep_summary("demo_grid", 18, 0, 0.0, tmp_path / "x")
    assert human_bytes(999) == "999 B" and human_bytes(1234) == "1.23 kB" and human_bytes(56_700_000) == "56.7 MB"


def test_a_sweep_without_causes_writes_the_same_events_without_their_cause_column(tmp_path):
    with_causes = _read(
        run_sweep(_cfg("sweep=demo_grid", "sweep.seeds_per_point=1"), tmp_path / "c", progress=False), "events"
    )
    without = _read(
        run_sweep(
            _cfg("sweep=demo_grid", "sweep.seeds_per_point=1", "sweep.causes=false"), tmp_path / "n", progress=False
        ),
        "events",
    )
    assert "cause" in with_causes and "cause" not in without and len(without) > 0
    pd.testing.assert_frame_equal(with_causes.drop(columns="cause"), without)
