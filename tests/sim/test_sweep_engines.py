"""Sweep engines: local worker processes and Dask (a LocalCluster of two workers) give exactly the
tables of one local process, which equal single Mesa runs; every run is written once; a Dask sweep
resumes; a bad engine or scheduler stops with one `error:` paragraph before any run."""

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dask
import pandas as pd
import pytest
from ctrl_c import ctrl_c_after_first_chunk

from sim.config import compose_config
from sim.core.params import ConfigError
from sim.sweep import chunk_marker, run_sweep, scheduler_address
from sim.sweep_conf import SweepAppConfig

REPO = Path(__file__).resolve().parents[2]
STEPS = 6
# 5 points x 2 seeds = 10 runs in chunks of 3, 3, 3 and 1; float64 tables, to compare with Mesa runs
DESIGN = ("sweep=demo_lhs", "sweep.samples=5", "sweep.seeds_per_point=2", "sweep.chunk_runs=3", "sweep.float32=false")
RUNS, CHUNKS = 10, 4
KEYS = ("run", "step", "state", "power", "type")


def _cfg(*overrides: str) -> SweepAppConfig:
    return compose_config([f"run.steps={STEPS}", *DESIGN, *overrides], config_name="sweep_app", schema=SweepAppConfig)


def _read(out: Path, name: str) -> pd.DataFrame:
    df = pd.read_parquet(out / name)
    # codes are stored dictionary-encoded (Categoricals in pandas); compare them as strings
    df = df.astype({c: str for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)})
    return df.sort_values([c for c in KEYS if c in df], kind="stable").reset_index(drop=True)


def _assert_same_sweep(out: Path, ref: Path) -> None:
    for name in ("states", "ties", "events"):
        pd.testing.assert_frame_equal(_read(out, name), _read(ref, name))


def _assert_every_run_once(out: Path) -> None:
    states = _read(out, "states")
    counts = states.groupby("run").size()
    assert sorted(counts.index) == list(range(RUNS))
    assert (counts == (STEPS + 1) * states["state"].nunique()).all()  # each step of each run exactly once
    assert not states.duplicated(["run", "step", "state"]).any()
    assert sorted(p.name for p in (out / "done").iterdir()) == [chunk_marker(out, c).name for c in range(CHUNKS)]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sweep on the local engine, one process."""
    return run_sweep(_cfg(), tmp_path_factory.mktemp("sweep") / "local1", progress=False)


@pytest.fixture(scope="module")
def two_local_workers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sweep on the local engine, two processes."""
    return run_sweep(_cfg("workers=2"), tmp_path_factory.mktemp("sweep") / "local2", progress=False)


@pytest.fixture
def dask_tmp(tmp_path: Path):
    """Dask's worker scratch space in the test's folder, not in the system's temporary folder."""
    with dask.config.set({"temporary-directory": str(tmp_path / "dask-scratch")}):
        yield


def test_the_reference_sweep_has_every_run_once(reference):
    _assert_every_run_once(reference)
    assert _read(reference, "events")["run"].nunique() > 1  # there are events to compare


def test_two_local_workers_equal_one(reference, two_local_workers):
    _assert_every_run_once(two_local_workers)
    _assert_same_sweep(two_local_workers, reference)


@pytest.mark.parametrize("run", [0, 4, 9])  # the first, the second and the last chunk
def test_a_run_of_a_two_worker_sweep_equals_the_single_mesa_run(two_local_workers, run):
    from sim.model import InfluenceModel

    out = two_local_workers
    runs = pd.read_parquet(out / "runs.parquet").set_index("run")
    params = [c for c in runs.columns if "." in c]
    seed = int(runs["seed"].loc[run])  # not via a row: a mixed row is float64 and would round the seed
    single = compose_config(
        [f"run.steps={STEPS}", f"seed={seed}"] + [f"{k}={float(runs[k].loc[run])!r}" for k in params]
    )
    model = InfluenceModel(single, run_id=run)
    model.run()
    for name in ("states", "ties", "events"):
        mesa = getattr(model.recorder, f"{name}_table")()
        mesa = mesa.sort_values([c for c in KEYS if c in mesa], kind="stable").reset_index(drop=True)
        swept = _read(out, name)
        swept = swept[swept.run == run][list(mesa.columns)].reset_index(drop=True)
        assert len(swept) == len(mesa)
        pd.testing.assert_frame_equal(swept, mesa, check_dtype=False, check_exact=True)
        if name == "states":
            assert len(mesa) == (STEPS + 1) * mesa["state"].nunique()


def test_dask_on_two_workers_equals_the_local_engine(reference, tmp_path, dask_tmp):
    out = run_sweep(_cfg("engine=dask", "workers=2"), tmp_path / "dask", progress=False)
    _assert_every_run_once(out)
    _assert_same_sweep(out, reference)


def test_a_dask_sweep_resumes_only_the_missing_chunk(reference, tmp_path, dask_tmp):
    out = tmp_path / "dask"
    shutil.copytree(reference, out)
    missing = 1
    chunk_marker(out, missing).unlink()
    for name in ("states", "ties", "events"):
        (out / name / f"part-{missing:06d}.parquet").unlink()
    kept = {p: p.stat().st_mtime_ns for p in out.glob("*/part-*.parquet")}
    assert len(kept) == 3 * (CHUNKS - 1)
    run_sweep(_cfg("engine=dask", "workers=2"), out, progress=False)
    assert {p: p.stat().st_mtime_ns for p in kept} == kept, "a finished chunk was run again"
    assert all((out / name / f"part-{missing:06d}.parquet").is_file() for name in ("states", "ties", "events"))
    _assert_every_run_once(out)
    _assert_same_sweep(out, reference)


@pytest.mark.slow  # over 5 s (a LocalCluster starts twice): run by make test-slow and CI
def test_ctrl_c_stops_a_dask_sweep_with_one_line_and_the_same_command_resumes(tmp_path, cli_env):
    """As on the local engine (tests/sim/test_sweep.py): Ctrl-C reaches the whole process group, the
    Dask worker processes included; the sweep stops with one line, no traceback from the workers, exit
    code 130, and the same command finishes the missing chunks into the tables of an uninterrupted sweep."""
    design = ("sweep=demo_lhs", "sweep.samples=40", "sweep.seeds_per_point=2", "sweep.chunk_runs=4", "run.steps=12")
    out = tmp_path / "x"
    args = [sys.executable, "-m", "sim.sweep", *design, "engine=dask", "workers=2", f"out={out}"]
    env = dict(cli_env, TMPDIR=str(tmp_path))  # the workers' scratch space
    stderr = ctrl_c_after_first_chunk(args, REPO, env, out, wait_s=120)
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip() and "run/s" not in line]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("interrupted:") and "run the same command again to resume" in lines[0]
    done = len(list((out / "done").glob("chunk-*")))
    assert 1 <= done < 20
    finished = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert f"{80 - 4 * done} runs now" in finished.stdout, finished.stdout  # only the missing chunks ran
    assert len(list((out / "done").glob("chunk-*"))) == 20
    whole = run_sweep(
        compose_config(list(design), config_name="sweep_app", schema=SweepAppConfig), tmp_path / "whole", progress=False
    )
    _assert_same_sweep(out, whole)


@pytest.mark.parametrize(
    "text, address",
    [
        ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
        ("scheduler.cluster:8786", "tcp://scheduler.cluster:8786"),
        (" tls://[::1]:8786 ", "tls://[::1]:8786"),
    ],
)
def test_scheduler_addresses(text, address):
    assert scheduler_address(text) == address


@pytest.mark.parametrize("text", ["http://host:8786", "tcp://host", "tcp://:8786", "host:port", "tcp://h:70000"])
def test_malformed_scheduler_addresses_are_refused(text):
    with pytest.raises(ConfigError, match="not a Dask scheduler address"):
        scheduler_address(text)


@pytest.mark.parametrize(
    "overrides, needle",
    [
        (["engine=ray"], "engine"),
        (["engine=dask", "scheduler=http://host:8786"], "not a Dask scheduler address"),
        (
            ["engine=dask", "scheduler=tcp://127.0.0.1:1"],
            "Could not connect to the Dask scheduler at tcp://127.0.0.1:1",
        ),
    ],
)
def test_cli_bad_engine_or_scheduler_is_a_clear_error_before_any_run(tmp_path, cli_env, overrides, needle):
    env = dict(cli_env, DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="1s")  # nobody listens on port 1
    out = tmp_path / "x"
    result = subprocess.run(
        [sys.executable, "-m", "sim.sweep", "sweep=demo_grid", f"run.steps={STEPS}", *overrides, f"out={out}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error:") and needle in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()  # nothing written: not even the design or the spec


@pytest.mark.parametrize("kind", ["file", "unwritable", "a folder of something else"])
def test_cli_sweep_out_that_is_no_folder_is_a_clear_error(tmp_path, cli_env, kind):
    if kind == "file":
        out = tmp_path / "a_file"
        out.write_text("not a folder")
    elif kind == "a folder of something else":  # issue 14: nothing written into a folder that is not a sweep's
        out = tmp_path / "notes"
        out.mkdir()
        (out / "todo.txt").write_text("keep me")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        out = locked / "sweep"
        if os.access(locked, os.W_OK):  # root writes anywhere: nothing to test here
            pytest.skip("this user can write into a read-only folder")
    result = subprocess.run(
        [sys.executable, "-m", "sim.sweep", "sweep=demo_grid", f"run.steps={STEPS}", f"out={out}"],
        cwd=REPO,
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error:") and f"out={out}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    if kind == "a folder of something else":
        assert "holds no sweep" in result.stderr and sorted(p.name for p in out.iterdir()) == ["todo.txt"]


@contextmanager
def _port_taken(port: int) -> Iterator[None]:
    """Port `port` of 127.0.0.1 held by someone else for the block (by this test, unless already taken)."""
    with socket.socket() as held:
        try:
            held.bind(("127.0.0.1", port))
            held.listen()
        except OSError:  # already in use: taken all the same
            pass
        yield


def test_cli_dask_sweep_is_quiet_and_leaves_home_alone(tmp_path, cli_env):
    """A Dask sweep through the CLI logs nothing from Dask and writes nothing into HOME; the workers'
    scratch space goes to the temporary folder and is cleared at shutdown. Dask's default HTTP port
    (8787) taken by another cluster changes nothing (its scheduler used to warn on stderr)."""
    home = Path(cli_env["HOME"])
    before = set(home.rglob("*"))
    out = tmp_path / "s"
    env = dict(cli_env, TMPDIR=str(tmp_path / "tmp"))
    os.makedirs(env["TMPDIR"])
    with _port_taken(8787):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "sim.sweep",
                "sweep=demo_grid",
                "sweep.seeds_per_point=1",
                f"run.steps={STEPS}",
                "engine=dask",
                "workers=2",
                f"out={out}",
            ],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "WARNING" not in result.stdout + result.stderr
    assert "already in use" not in result.stderr, result.stderr
    assert "INFO" not in result.stdout and "distributed" not in result.stdout + result.stderr  # dask kept quiet
    assert pd.read_parquet(out / "states")["run"].nunique() == 9
    assert set(home.rglob("*")) == before
    scratch = tmp_path / "tmp" / "dask-scratch-space"  # the workers' scratch space was here, and is cleared
    assert scratch.is_dir() and not [p for p in scratch.iterdir() if p.suffix != ".lock"]
