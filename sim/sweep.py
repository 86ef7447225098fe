"""`python -m sim.sweep sweep=NAME`: a sample design x seeds, run chunk by chunk with the batched
driver, streamed into Parquet datasets, resumable.

    python -m sim.sweep sweep=demo_lhs workers=2
    python -m sim.sweep sweep=demo_grid sweep.seeds_per_point=10 out=outputs/my_sweep
    python -m sim.sweep sweep=demo_lhs engine=dask workers=4                      # a Dask LocalCluster
    python -m sim.sweep sweep=demo_lhs engine=dask scheduler=tcp://head:8786 out=/shared/sweeps/x

The output folder holds `runs.parquet` (run, point, replicate, seed and the parameter values)
and the datasets `states/`, `ties/`, `events/` (one Parquet file per chunk, with the parameter
columns). A chunk counts as done once its marker in `done/` exists, written after its three
files; killing the sweep at any moment and running the same command again finishes the missing
chunks, with no run lost or duplicated.

Engines: chunks are independent tasks. `engine=local` runs them in this process (workers=1) or
in a pool of `workers` forked processes; `engine=dask` submits each chunk as one task to a Dask
LocalCluster of `workers` single-threaded processes, or to a running scheduler (`scheduler=`),
whose workers need the repository installed and the output folder on a shared file system. A
run's seed comes from (sweep seed, run id), or (sweep seed, replicate) with common random numbers
(sweep.seeding, the default for sobol and morris designs), so the tables do not depend on the engine, the
number of workers or the chunk size. docs/sweeps-engines.md has the details, a cluster example
and when to use Hydra's multirun (`python -m sim -m ...`) instead.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import json
import logging
import multiprocessing as mp
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import hydra
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from omegaconf import DictConfig

from sim.choices import CHOICES, with_choices
from sim.commandline import fail
from sim.config import CONF_DIR, precheck_overrides, to_config
from sim.core.atomic import write_text_atomic
from sim.core.io import write_arrow_atomic, write_parquet_atomic
from sim.core.params import ConfigError, power_knob, validate_schema
from sim.core.provenance import file_sha256, model_fingerprint, package_versions
from sim.core.world import World, WorldError, load_world, scenario_path
from sim.designs import (
    LEVER_SETTING,
    UNCERTAINTY_POINT,
    check_size,
    cross,
    expand_runs,
    expand_setting_runs,
    lever_settings,
    make_design,
    resolve_seeding,
)
from sim.ensemble import run_batch
from sim.extras import missing_extra
from sim.sweep_conf import SweepAppConfig, SweepConf, register_sweep_schema

if TYPE_CHECKING:
    from distributed import Client

logging.getLogger("MESA").setLevel(logging.WARNING)
register_sweep_schema()  # before Hydra or a test composes conf/sweep_app.yaml
TABLES = ("states", "ties", "events")
RUN_ONLY = ("workers", "engine", "scheduler", "out")  # how a sweep runs, not what it computes


def flat_parameters(parameters: dict, prefix: str = "") -> dict:
    """Dotted names for parameters given nested, as the command line gives them
    (+sweep.parameters.scenario.powers.RUS.overstretch=[0.1,0.9])."""
    out = {}
    for key, value in parameters.items():
        if isinstance(value, dict):
            out.update(flat_parameters(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def plan(cfg: SweepAppConfig) -> pd.DataFrame:
    """The runs of a sweep: one row per run with its seed and parameter values (checked)."""
    validate_schema(cfg.sweep, SweepConf, "sweep.")
    sw = cfg.sweep
    parameters = {k: list(v) if isinstance(v, (list, tuple)) else v for k, v in flat_parameters(sw.parameters).items()}
    for name, values in parameters.items():
        if not isinstance(values, list):
            form = "of values" if sw.design == "grid" else "[low, high]"
            raise ConfigError(f"Sweep parameter {name!r} must be a list {form}, got {values!r}.")
    unknown = [t for t in sw.tables if t not in TABLES]
    if unknown or not sw.tables:
        raise ConfigError(
            f"sweep.tables={list(sw.tables)!r} must name one or more of {', '.join(TABLES)}: "
            f"fix {', '.join(map(repr, unknown)) or 'the empty list'}."
        )
    factors, levers = flat_parameters(sw.factors), _lever_values(flat_parameters(sw.levers))
    settings = lever_settings(factors, levers) if factors or levers else None
    check_size(sw.design, parameters, sw.samples, sw.seeds_per_point, 1 if settings is None else len(settings))
    design = make_design(sw.design, parameters, sw.samples, sw.seed, levels=sw.levels)
    if settings is None:
        return expand_runs(design, sw.seeds_per_point, sw.seed, resolve_seeding(sw.design, sw.seeding))
    twice = sorted(set(levers) & set(parameters))
    if twice:
        raise ConfigError(
            f"{', '.join(twice)} is both a lever (sweep.levers) and an uncertainty (sweep.parameters): "
            f"keep it in one of the two."
        )
    return expand_setting_runs(cross(settings, design), sw.seeds_per_point, sw.seed)


def _lever_values(levers: dict) -> dict[str, list]:
    for name, values in levers.items():
        if not isinstance(values, (list, tuple)):
            raise ConfigError(f"Sweep lever {name!r} must be a list of values, e.g. [0.5, 1, 2], got {values!r}.")
    return {k: list(v) for k, v in levers.items()}


def run_columns(runs: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(numeric parameters varied run by run, categorical factors) among the columns of a sweep's runs."""
    factors = [c for c in runs.columns if c in CHOICES]
    keys = ("run", "point", "replicate", "seed", LEVER_SETTING, UNCERTAINTY_POINT)
    return [c for c in runs.columns if c not in keys and c not in factors], factors


def chunk_marker(out: Path, chunk: int) -> Path:
    return out / "done" / f"chunk-{chunk:06d}"


def chunk_done(out: Path, chunk: int, tables: Sequence[str]) -> bool:
    """A chunk counts as done when its marker is there and each of its table files is there and matches
    what the marker recorded when it was written (rows and SHA-256; a marker of an older sweep, without
    them, is checked by reading the files' Parquet footers); a marker whose data is missing, damaged or
    different is removed, so the chunk runs again."""
    marker = chunk_marker(out, chunk)
    if not marker.exists():
        return False
    try:
        text = marker.read_text(encoding="utf-8")
        recorded = json.loads(text) if text.startswith("{") else None
        for name in tables:
            part = out / name / f"part-{chunk:06d}.parquet"
            rows = pq.read_metadata(part).num_rows
            if recorded is not None:
                want = recorded["tables"][name]
                if rows != want["rows"] or file_sha256(part) != want["sha256"]:
                    raise ValueError(f"{part} differs from its done marker")
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
        marker.unlink()
        return False
    return True


def run_chunk(cfg: SweepAppConfig, runs: pd.DataFrame, chunk: int, out: Path) -> int:
    """Simulate one chunk of runs and write its table files, then its done marker."""
    sw = cfg.sweep
    params, factors = run_columns(runs)
    # runs of one choice of the categorical factors share a configuration: one batch each
    groups = runs.groupby(factors, sort=False) if factors else [((), runs)]
    parts: dict[str, list[pa.Table]] = {name: [] for name in sw.tables}
    for key, group in groups:
        choices = dict(zip(factors, key if isinstance(key, tuple) else (key,), strict=True))
        group_cfg = with_choices(cfg, choices)
        rec = run_batch(
            group_cfg,
            group["seed"].tolist(),
            group["run"].tolist(),
            world=chunk_world(group_cfg),
            run_parameters={p: group[p].to_numpy() for p in params},
            every=sw.every,
        )
        for name in sw.tables:
            # parameters stay in runs.parquet (analysis.sweep_data.with_parameters joins them)
            parts[name].append(rec.arrow_table(name, float32=sw.float32, cause=sw.causes))
    for name in sw.tables:
        table = parts[name][0]
        if len(parts[name]) > 1:  # several factor choices: one table sorted by step again (row groups by step)
            table = pa.concat_tables(parts[name])
            if "step" in table.column_names:
                table = table.sort_by([("step", "ascending")])  # Arrow's sort is stable
        write_arrow_atomic(table, out / name / f"part-{chunk:06d}.parquet")
    record = {"runs": len(runs), "tables": {}}
    for name in sw.tables:
        part = out / name / f"part-{chunk:06d}.parquet"
        record["tables"][name] = {"rows": pq.read_metadata(part).num_rows, "sha256": file_sha256(part)}
    write_text_atomic(chunk_marker(out, chunk), json.dumps(record) + "\n")
    return chunk


_WORLDS: dict[str, World] = {}
_MAX_WORLDS = 16


def chunk_world(cfg: SweepAppConfig) -> World:
    """The sweep's world, loaded once per worker process (loading takes ~30 ms, a fifth of a
    100-run chunk); the key is the scenario section, so a different world is loaded afresh."""
    key = repr(cfg.scenario)
    if key not in _WORLDS:
        if len(_WORLDS) >= _MAX_WORLDS:  # a sweep over experiments alternates a few worlds
            _WORLDS.pop(next(iter(_WORLDS)))
        _WORLDS[key] = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    return _WORLDS[key]


def _leave_ctrl_c_to_the_parent() -> None:
    """A pool worker ignores Ctrl-C (SIGINT): the parent stops the sweep and says how to resume, instead of
    every worker printing its own traceback."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def dask_setup(worker: object) -> None:
    """Dask's preload hook, run in each worker process of the sweep's LocalCluster as it starts
    (`preload=["sim.sweep"]`): the worker ignores Ctrl-C, as a pool worker does, so that a Ctrl-C in the
    terminal stops the sweep with its one line instead of a traceback from every worker. The sweep
    shuts the cluster down as it stops. Workers of a running scheduler (`scheduler=`) are not touched:
    they stop on their own Ctrl-C."""
    _leave_ctrl_c_to_the_parent()


def _work(args: tuple) -> int:
    logging.getLogger("MESA").setLevel(logging.WARNING)
    return run_chunk(*args)


DASK_SCHEMES = ("tcp", "tls", "ws", "wss")


def scheduler_address(text: str) -> str:
    """The full form (tcp://HOST:PORT) of a Dask scheduler address given as `scheduler=`, or a
    ConfigError showing the form. A bare HOST:PORT means tcp."""
    address = text.strip()
    if "://" not in address:
        address = f"tcp://{address}"
    scheme, _, rest = address.partition("://")
    host, _, port = rest.rpartition(":")
    if scheme not in DASK_SCHEMES or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(
            f"scheduler={text!r} is not a Dask scheduler address: write it as tcp://HOST:PORT, "
            f"as printed by `dask scheduler` (e.g. scheduler=tcp://10.0.0.5:8786), or leave it "
            f"empty to start a local cluster of `workers` processes."
        )
    return address


@contextmanager
def dask_client(cfg: SweepAppConfig, tasks: int | None = None) -> Iterator[Client]:
    """A Dask client for a sweep: connected to the scheduler `cfg.scheduler`, or to a LocalCluster
    of `cfg.workers` single-threaded worker processes (no more than `tasks`) that is started here
    and shut down on exit. A scheduler that cannot be reached is a ConfigError."""
    from distributed import Client, LocalCluster

    with _log_level("distributed", logging.WARNING):  # its INFO lines would flood Hydra's stdout log
        if cfg.scheduler:
            with _scheduler_client(cfg.scheduler) as client:
                yield client
            return
        workers = max(1, min(cfg.workers, tasks or cfg.workers))
        # processes, one thread each (the batched driver is numpy-bound); no dashboard; only errors logged;
        # Ctrl-C left to this process
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
                preload=["sim.sweep"],  # its dask_setup: the workers leave Ctrl-C to this process
                # the scheduler serves its HTTP routes even without a dashboard: on a free local port, not on
                # 8787, which another cluster (another sweep, a notebook's) may hold and which would warn
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            ) as cluster,
            Client(cluster, set_as_default=False) as client,
        ):
            yield client


@contextmanager
def _scheduler_client(text: str) -> Iterator[Client]:
    from distributed import Client

    address = scheduler_address(text)  # checked here: Client() leaves a hanging object behind on a bad one
    try:  # waits up to distributed.comm.timeouts.connect (30 s; env DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT)
        client = Client(address, set_as_default=False)
    except OSError as exc:  # refused, unknown host, timed out
        raise ConfigError(
            f"Could not connect to the Dask scheduler at {address} ({exc}). Start one with "
            f"`dask scheduler` and workers with `dask worker {address}` (see "
            f"docs/sweeps-engines.md), check the host and port, or leave scheduler empty to run "
            f"on a local cluster."
        ) from None
    with client:
        if not client.scheduler_info()["workers"]:
            print(
                f"note: the Dask scheduler at {address} has no workers yet; chunks start when workers join "
                f"(`dask worker {address}`).",
                file=sys.stderr,
            )
        yield client


@contextmanager
def _log_level(name: str, level: int) -> Iterator[None]:
    logger = logging.getLogger(name)
    old = logger.level
    logger.setLevel(max(level, logger.getEffectiveLevel()))
    try:
        yield
    finally:
        logger.setLevel(old)


def run_on_dask(client: Client, jobs: list[tuple]) -> Iterator[int]:
    """Submit each chunk job (cfg, runs, chunk, out) as one Dask task and yield chunk numbers as
    they finish; the first failing chunk raises its error. Paths are made absolute, since workers
    may run in other folders (or on other machines, sharing the file system)."""
    from distributed import as_completed

    # the task by its module's name, so that workers import it (python -m sim.sweep runs this file as __main__)
    task = importlib.import_module("sim.sweep")._work
    token = uuid.uuid4().hex[:8]
    futures = [client.submit(task, _portable_job(job), key=f"sweep-chunk-{job[2]:06d}-{token}") for job in jobs]
    for future in as_completed(futures, loop=client.loop):
        yield future.result()


def _portable_job(job: tuple) -> tuple:
    cfg, part, chunk, out = job
    name = Path(cfg.scenario.name)
    if name.suffix in (".yaml", ".yml") and not name.is_absolute():
        cfg = copy.deepcopy(cfg)
        cfg.scenario.name = str(name.absolute())
    return cfg, part, chunk, Path(out).absolute()


def sweep_settings(cfg: SweepAppConfig) -> dict[str, Any]:
    """Every setting that shapes a sweep's results, flattened to dotted names: the model's
    configuration and the sweep's, but not how it is run (workers, engine, scheduler, folder)."""
    flat: dict[str, Any] = {}

    def walk(node: Any, prefix: str) -> None:
        for key, value in node.items():
            if isinstance(value, dict) and value:
                walk(value, f"{prefix}{key}.")
            else:
                flat[f"{prefix}{key}"] = value

    everything = json.loads(json.dumps(dataclasses.asdict(cfg), default=str))
    walk({k: v for k, v in everything.items() if k not in RUN_ONLY}, "")
    # the rules and the world file decide the results as much as the configuration does
    flat["provenance.model_code_sha256"] = model_fingerprint()
    flat["provenance.world_file_sha256"] = file_sha256(scenario_path(cfg.scenario.name))
    return flat


def run_sweep(cfg: SweepAppConfig, out: Path, progress: bool = True) -> Path:
    """Run (or resume) a sweep into `out`."""
    runs = plan(cfg)
    world = load_world(scenario_path(cfg.scenario.name), cfg.scenario)  # a broken world stops before any run
    for name in [*flat_parameters(cfg.sweep.parameters), *flat_parameters(cfg.sweep.levers)]:
        knob = power_knob(name)
        if knob is not None and knob[0] not in world.powers:
            raise ConfigError(
                f"Sweep parameter {name!r}: no power {knob[0]!r} in the world "
                f"{cfg.scenario.name!r}. Use one of {', '.join(world.powers)}."
            )
    if cfg.engine == "dask":
        absent = missing_extra("sweep", "A sweep on Dask (engine=dask)", ("distributed",))
        if absent:
            raise ConfigError(f"{absent} Or leave engine=local (processes on this machine).")
    if cfg.engine == "dask" and cfg.scheduler:
        with dask_client(cfg):  # a scheduler that cannot be reached stops before anything is written
            pass
    if out.exists() and not out.is_dir():
        raise ConfigError(
            f"out={out} is a file, not a folder: give a folder for the sweep (it is created if "
            f"missing), e.g. out={out.with_suffix('')}_sweep."
        )
    if out.is_dir() and not any((out / name).exists() for name in SWEEP_MARKS):
        others = sorted(p.name for p in out.iterdir())
        if others:  # a folder of something else: a sweep would mix its files (and its lock) into it
            raise ConfigError(
                f"out={out} is a folder that holds no sweep but other files ({', '.join(others[:3])}"
                f"{' ...' if len(others) > 3 else ''}): give a new or empty folder for the sweep "
                f"with out=DIR, or the folder of the sweep to resume."
            )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"Cannot create the sweep folder out={out} ({exc.strerror}): choose a folder you can write to with out=DIR."
        ) from None
    with _only_writer(out):
        return _fill(cfg, runs, out, progress)


#: What a sweep folder holds from its first moment (the lock) to its end: a folder with none of them and other
#: files is not a sweep's, and no sweep writes into it.
SWEEP_MARKS = (".lock", "runs.parquet", "sweep.json", "done")


@contextmanager
def _only_writer(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on the sweep folder (an flock on OUT/.lock) while this process writes into it:
    a second sweep started into the same folder stops at once with one error line instead of racing the
    first over its files."""
    import fcntl

    with open(out / ".lock", "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigError(
                f"Another sweep is writing into {out} right now: wait for it to finish (then the "
                f"same command resumes or reports it complete), or choose another folder with "
                f"out=DIR."
            ) from None
        yield


def _fill(cfg: SweepAppConfig, runs: pd.DataFrame, out: Path, progress: bool) -> Path:
    """Write the sweep's design and spec (or check them against a folder being resumed) and run the
    chunks not done yet; the caller holds the folder's lock."""
    runs_path, spec_path = out / "runs.parquet", out / "sweep.json"
    settings = sweep_settings(cfg)
    if runs_path.exists():
        try:
            stored_spec = json.loads(spec_path.read_text(encoding="utf-8")) if spec_path.exists() else {}
            if not isinstance(stored_spec, dict):
                raise ValueError("sweep.json is not a JSON object")
            # Read on this thread only: Arrow's worker pools can abort the interpreter at exit
            # ("terminate called without an active exception", apache/arrow#34314) when the
            # command then stops with an error.
            previous = pd.read_parquet(runs_path, use_threads=False, pre_buffer=False)
        except (OSError, ValueError, pa.ArrowException) as exc:
            raise ConfigError(
                f"The folder {out} holds a sweep whose runs.parquet or sweep.json cannot be read "
                f"({type(exc).__name__}: {str(exc)[:120]}), so it cannot be resumed: choose another "
                f"folder with out=DIR, or delete that one to start again."
            ) from None
        if not previous.equals(runs):
            raise ConfigError(
                f"The folder {out} holds a different sweep (its runs.parquet differs from this "
                f"design). Choose another folder with out=DIR, or delete that one to start again."
            )
        stored = stored_spec.get("config") if spec_path.exists() else None
        changed = sorted(k for k in set(settings) | set(stored or {}) if (stored or {}).get(k) != settings.get(k))
        if stored is not None and changed:
            why = {
                "provenance.model_code_sha256": "the model's code (sim/core/) has changed since",
                "provenance.world_file_sha256": "the world file has been edited since",
            }
            reasons = [why[k] for k in changed if k in why]
            names = [k for k in changed if k not in why]
            parts = ([f"{', '.join(names[:5])}{' ...' if len(names) > 5 else ''} differ"] if names else []) + reasons
            raise ConfigError(
                f"The folder {out} holds a sweep run with other settings ({'; '.join(parts)}), so its "
                f"finished chunks would not match this one. Choose another folder with out=DIR, or "
                f"delete that one."
            )
        started = stored_spec.get("provenance", {}).get("packages", {})
        now = package_versions()
        moved = [f"{k} {started[k]} -> {now[k]}" for k in now if k in started and started[k] != now[k]]
        if moved:
            print(
                f"note: resuming {out} with other package versions than it started with ({', '.join(moved)}); "
                f"sweep.json keeps the versions it started with.",
                file=sys.stderr,
            )
    else:
        # the design as specified (ranges, design kind), for the sensitivity analysis, and every
        # setting that shapes the results, to refuse resuming with other ones
        spec = {k: getattr(cfg.sweep, k) for k in ("name", "design", "samples", "levels", "seeds_per_point", "seed")}
        spec["seeding"] = resolve_seeding(cfg.sweep.design, cfg.sweep.seeding)  # common or independent
        spec["parameters"] = {k: [float(x) for x in v] for k, v in flat_parameters(cfg.sweep.parameters).items()}
        if cfg.sweep.factors or cfg.sweep.levers:
            spec["factors"] = {k: [str(x) for x in v] for k, v in flat_parameters(cfg.sweep.factors).items()}
            spec["levers"] = {k: [float(x) for x in v] for k, v in flat_parameters(cfg.sweep.levers).items()}
        spec["config"] = settings
        spec["provenance"] = {"packages": package_versions()}  # recorded, not compared on resume
        write_text_atomic(spec_path, json.dumps(spec, indent=2) + "\n")
        write_parquet_atomic(runs, runs_path)
    for stale in out.glob("*/.*.tmp"):  # left by a killed run; its chunk has no done marker
        stale.unlink()
    size = cfg.sweep.chunk_runs
    chunks = [(c, runs.iloc[i : i + size]) for c, i in enumerate(range(0, len(runs), size))]
    todo = [(c, part) for c, part in chunks if not chunk_done(out, c, cfg.sweep.tables)]
    from tqdm import tqdm

    jobs = [(cfg, part, c, out) for c, part in todo]
    size_of = {c: len(part) for c, part in chunks}
    n_now = sum(size_of[c] for c, _ in todo)
    started = time.perf_counter()
    with ExitStack() as stack:
        # the Dask client first: a scheduler that cannot be reached stops before the bar and any run
        client = stack.enter_context(dask_client(cfg, len(jobs))) if cfg.engine == "dask" and jobs else None
        bar = stack.enter_context(
            tqdm(
                total=len(runs),
                initial=len(runs) - n_now,
                unit="run",
                disable=not progress,
                desc=f"sweep {cfg.sweep.name}",
                file=sys.stderr,
            )
        )
        if client is not None:
            for c in run_on_dask(client, jobs):
                bar.update(size_of[c])
        elif cfg.workers > 1 and len(jobs) > 1:
            with mp.get_context("fork").Pool(cfg.workers, initializer=_leave_ctrl_c_to_the_parent) as pool:
                for c in pool.imap_unordered(_work, jobs):
                    bar.update(size_of[c])
        else:
            for job in jobs:
                bar.update(size_of[_work(job)])
    print(sweep_summary(cfg.sweep.name, len(runs), n_now, time.perf_counter() - started, out))
    return out


def folder_bytes(path: Path) -> int:
    """The size of every file under a folder, in bytes."""
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def human_bytes(n: int) -> str:
    """A size in B, kB, MB or GB (powers of 1000), three significant figures."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} B"


def sweep_summary(name: str, n_runs: int, n_now: int, seconds: float, out: Path) -> str:
    """The line a sweep ends with: runs done now and before, runs per second, the output's size."""
    rate = f", {n_now / seconds:.1f} runs/s" if n_now and seconds > 0 else ""
    return (
        f"sweep {name}: {_runs(n_runs)} written to {out} ({_runs(n_now)} now in {seconds:.1f} s{rate}, "
        f"{n_runs - n_now} already done); output {human_bytes(folder_bytes(out))}"
    )


def _runs(n: int) -> str:
    """'1 run', '0 runs', '18 runs'."""
    return f"{n} run" if n == 1 else f"{n} runs"


@hydra.main(config_path=str(CONF_DIR), config_name="sweep_app", version_base="1.3")
def main(cfg: DictConfig) -> None:
    try:
        config = to_config(cfg, SweepAppConfig)
        out = Path(config.out) if config.out else Path("outputs") / "sweeps" / config.sweep.name
        run_sweep(config, out)
    except (ConfigError, WorldError) as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        print(
            f"interrupted: the chunks finished so far are kept in {out}; run the same command again to resume",
            file=sys.stderr,
        )
        sys.exit(130)


def cli() -> None:
    """Check the overrides with a clear message first, then hand over to Hydra."""
    problem = precheck_overrides(sys.argv[1:], "sweep_app", SweepAppConfig)
    if problem:
        fail(problem)
    main()


if __name__ == "__main__":
    cli()
