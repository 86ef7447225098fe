"""`python -m sim.sweep sweep=NAME`: a sample design x seeds, run chunk by chunk with the batched
driver, streamed into Parquet datasets, resumable.

    python -m sim.sweep sweep=demo_lhs workers=2
    python -m sim.sweep sweep=demo_grid sweep.seeds_per_point=10 out=outputs/my_sweep

The output folder holds `runs.parquet` (run, point, replicate, seed and the parameter values)
and the datasets `states/`, `ties/`, `events/` (one Parquet file per chunk, with the parameter
columns). A chunk counts as done once its marker in `done/` exists, written after its three
files; killing the sweep at any moment and running the same command again finishes the missing
chunks, with no run lost or duplicated.
"""

from __future__ import annotations

import json
import logging
import multiprocessing as mp
import sys
from pathlib import Path

import hydra
import pandas as pd
from omegaconf import DictConfig

from sim.__main__ import fail
from sim.config import CONF_DIR, precheck_overrides, register_schema, to_config
from sim.designs import expand_runs, make_design
from sim.ensemble import run_batch
from sim.io import write_parquet_atomic
from sim.params import ConfigError, _validate
from sim.sweep_conf import SweepAppConfig, SweepConf
from sim.world import WorldError, load_world, scenario_path

logging.getLogger("MESA").setLevel(logging.WARNING)
register_schema()
TABLES = ("states", "ties", "events")


def plan(cfg: SweepAppConfig) -> pd.DataFrame:
    """The runs of a sweep: one row per run with its seed and parameter values (checked)."""
    _validate(cfg.sweep, SweepConf, "sweep.")
    sw = cfg.sweep
    parameters = {k: list(v) if isinstance(v, (list, tuple)) else v for k, v in sw.parameters.items()}
    for name, values in parameters.items():
        if not isinstance(values, list):
            form = "of values" if sw.design == "grid" else "[low, high]"
            raise ConfigError(f"Sweep parameter {name!r} must be a list {form}, got {values!r}.")
    design = make_design(sw.design, parameters, sw.samples, sw.seed)
    return expand_runs(design, sw.seeds_per_point, sw.seed)


def chunk_marker(out: Path, chunk: int) -> Path:
    return out / "done" / f"chunk-{chunk:06d}"


def run_chunk(cfg: SweepAppConfig, runs: pd.DataFrame, chunk: int, out: Path) -> int:
    """Simulate one chunk of runs and write its three files, then its done marker."""
    params = [c for c in runs.columns if c not in ("run", "point", "replicate", "seed")]
    world = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    rec = run_batch(cfg, runs["seed"].tolist(), runs["run"].tolist(), world=world,
                    run_parameters={p: runs[p].to_numpy() for p in params})
    labels = runs[["run", "point", "replicate", "seed", *params]]
    for name in TABLES:
        table = getattr(rec, f"{name}_table")().merge(labels, on="run", how="left", validate="many_to_one")
        write_parquet_atomic(table, out / name / f"part-{chunk:06d}.parquet")
    marker = chunk_marker(out, chunk)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(f"{len(runs)} runs\n")
    return chunk


def _work(args: tuple) -> int:
    logging.getLogger("MESA").setLevel(logging.WARNING)
    return run_chunk(*args)


def run_sweep(cfg: SweepAppConfig, out: Path, progress: bool = True) -> Path:
    """Run (or resume) a sweep into `out`."""
    runs = plan(cfg)
    load_world(scenario_path(cfg.scenario.name), cfg.scenario)  # a broken world stops before any run
    out.mkdir(parents=True, exist_ok=True)
    runs_path = out / "runs.parquet"
    if runs_path.exists():
        previous = pd.read_parquet(runs_path)
        if not previous.equals(runs):
            raise ConfigError(f"The folder {out} holds a different sweep (its runs.parquet differs from this "
                              f"design). Choose another folder with out=DIR, or delete that one to start again.")
    else:
        write_parquet_atomic(runs, runs_path)
        # the design as specified (ranges, design kind), for the sensitivity analysis
        spec = {k: getattr(cfg.sweep, k) for k in ("name", "design", "samples", "seeds_per_point", "seed")}
        spec["parameters"] = {k: [float(x) for x in v] for k, v in cfg.sweep.parameters.items()}
        (out / "sweep.json").write_text(json.dumps(spec, indent=2) + "\n")
    for stale in out.glob("*/.*.tmp"):  # left by a killed run; its chunk has no done marker
        stale.unlink()
    size = cfg.sweep.chunk_runs
    chunks = [(c, runs.iloc[i:i + size]) for c, i in enumerate(range(0, len(runs), size))]
    todo = [(c, part) for c, part in chunks if not chunk_marker(out, c).exists()]
    from tqdm import tqdm

    bar = tqdm(total=len(chunks), initial=len(chunks) - len(todo), unit="chunk", disable=not progress,
               desc=f"sweep {cfg.sweep.name}: {len(runs)} runs", file=sys.stderr)
    jobs = [(cfg, part, c, out) for c, part in todo]
    if cfg.workers > 1 and len(jobs) > 1:
        with mp.get_context("fork").Pool(cfg.workers) as pool:
            for _ in pool.imap_unordered(_work, jobs):
                bar.update(1)
    else:
        for job in jobs:
            _work(job)
            bar.update(1)
    bar.close()
    print(f"sweep {cfg.sweep.name}: {len(runs)} runs in {len(chunks)} chunks written to {out} "
          f"({len(todo)} chunks run now, {len(chunks) - len(todo)} already done)")
    return out


@hydra.main(config_path=str(CONF_DIR), config_name="sweep_app", version_base="1.3")
def main(cfg: DictConfig) -> None:
    try:
        config = to_config(cfg, SweepAppConfig)
        out = Path(config.out) if config.out else Path("outputs") / "sweeps" / config.sweep.name
        run_sweep(config, out)
    except (ConfigError, WorldError) as exc:
        fail(str(exc))


def cli() -> None:
    """Check the overrides with a clear message first, then hand over to Hydra."""
    problem = precheck_overrides(sys.argv[1:], "sweep_app", SweepAppConfig)
    if problem:
        fail(problem)
    main()


if __name__ == "__main__":
    cli()
