"""Benchmark of sweeps on the baseline scenario (36 months), measured side by side in one run:

1. a whole sweep (simulation, tables, Parquet) with one local worker and with two;
2. a large sweep's peak memory, summed over the process and its workers;
3. the batched driver on one core at several batch sizes, random draws included, against the
   Mesa driver on the same seeds (and a check that the runs are identical).

Prints numbers and ratios; asserts nothing.

    python benchmarks/bench_sweep.py                 # 100,000-run sweep for the memory figure
    python benchmarks/bench_sweep.py --big-runs 20000 --sweep-runs 1000   # quicker
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import psutil

from sim.config import compose_config
from sim.core.world import load_world, scenario_path
from sim.ensemble import run_batch
from sim.model import InfluenceModel
from sim.sweep import run_sweep
from sim.sweep_conf import SweepAppConfig


class TreeMemory:
    """Peak memory of a process plus its workers, sampled every 50 ms: the sum of their
    proportional set sizes (PSS), so pages that forked workers share with the parent count once."""

    def __init__(self, root: psutil.Process) -> None:
        self.root = root
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = 0
            try:
                tree = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                tree = []
            for proc in tree:
                try:
                    total += proc.memory_full_info().pss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.05)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def sweep_cfg(runs: int, chunk: int, workers: int, extra: list[str]) -> SweepAppConfig:
    """A Latin hypercube over three incentive parameters with `runs` runs (10 seeds per point)."""
    return compose_config(
        [
            "sweep=demo_lhs",
            f"sweep.samples={max(runs // 10, 1)}",
            "sweep.seeds_per_point=10",
            f"sweep.chunk_runs={chunk}",
            f"workers={workers}",
            "sweep.float32=true",
            *extra,
        ],
        config_name="sweep_app",
        schema=SweepAppConfig,
    )


def folder_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20, help="Mesa runs to time and compare")
    ap.add_argument("--sweep-runs", type=int, default=2000, help="runs of the one-vs-two-workers sweep")
    ap.add_argument("--big-runs", type=int, default=100_000, help="runs of the memory sweep (0 to skip)")
    args = ap.parse_args()
    cfg = compose_config(["run.plots=false", "run.summary=false"])
    world = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    print(
        f"Sweep benchmark: baseline scenario ({len(world.states)} states, {len(world.powers)} powers), "
        f"{cfg.run.steps} months; Python {platform.python_version()}, {os.cpu_count()} cores"
    )

    # sweeps first, while this process is still small: workers are forked from it
    # 1. one worker against two, whole sweep written to Parquet
    tmp = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    try:
        for label, extra in (
            ("every month of states/ties/events kept", []),
            ("every 12th month of states/ties kept, all events", ["sweep.every=12"]),
        ):
            print(f"  sweep of {args.sweep_runs} runs, chunks of 100, {label}, float32:")
            rates = {}
            for workers in (1, 2):
                out = tmp / f"w{workers}"
                t = time.perf_counter()
                run_sweep(sweep_cfg(args.sweep_runs, 100, workers, extra), out, progress=False)
                elapsed = time.perf_counter() - t
                rates[workers] = args.sweep_runs / elapsed
                print(
                    f"    {workers} worker{'s' if workers > 1 else ' '}                       {elapsed:7.1f} s  "
                    f"{rates[workers]:6.0f} runs/s   {folder_mib(out):7.0f} MiB on disk"
                )
            same = all(
                pd.read_parquet(tmp / "w1" / name)
                .sort_values(["run", "step"], kind="stable")
                .reset_index(drop=True)
                .equals(
                    pd.read_parquet(tmp / "w2" / name)
                    .sort_values(["run", "step"], kind="stable")
                    .reset_index(drop=True)
                )
                for name in ("states", "ties")
            )
            print(f"    two workers / one                {rates[2] / rates[1]:7.2f} x   (identical tables: {same})")
            shutil.rmtree(tmp / "w1"), shutil.rmtree(tmp / "w2")

        # 2. memory of a large sweep, run as an analyst would, in its own process
        if args.big_runs:
            out = tmp / "big"
            command = [
                sys.executable,
                "-m",
                "sim.sweep",
                "sweep=demo_lhs",
                f"sweep.samples={args.big_runs // 10}",
                "sweep.seeds_per_point=10",
                "sweep.chunk_runs=100",
                "sweep.every=12",
                "workers=2",
                "sweep.float32=true",
                f"out={out}",
            ]
            print(f"  sweep of {args.big_runs} runs, 2 workers, chunks of 100, states/ties/events every 12 months:")
            print("    " + " ".join(command[1:]))
            t = time.perf_counter()
            proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            with TreeMemory(psutil.Process(proc.pid)) as mem:
                proc.wait()
            elapsed = time.perf_counter() - t
            n = pd.read_parquet(out / "states", columns=["run"])["run"].nunique()
            print(
                f"    {elapsed:7.1f} s, {args.big_runs / elapsed:6.0f} runs/s, {folder_mib(out):7.0f} MiB on disk, "
                f"exit code {proc.returncode}, {n} runs in the states dataset"
            )
            print(f"    peak memory, process and workers  {mem.peak / 2**20:7.0f} MiB (sum of PSS)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    # 3. Mesa against batches, same seeds
    InfluenceModel(cfg, world=world).run()
    mesa = []
    for seed in range(args.seeds):
        cfg.seed = seed
        t = time.perf_counter()
        model = InfluenceModel(cfg, world=world)
        model.run()
        mesa.append(time.perf_counter() - t)
    mesa_s = statistics.median(mesa)
    rec = run_batch(cfg, range(args.seeds), world=world)
    for seed in range(5):  # identical trajectories, table for table
        cfg.seed = seed
        model = InfluenceModel(cfg, world=world, run_id=seed)
        model.run()
        mine = rec.ties_table().query("run == @seed").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, model.recorder.ties_table())
    print(
        f"  Mesa driver                        {mesa_s * 1e3:7.1f} ms per run ({1 / mesa_s:6.1f} runs/s), "
        f"median of {args.seeds}"
    )
    print("  batched driver, one core (construction, random draws, 36 months, history kept):")
    for size in (100, 500, 1000):
        times = []
        for repeat in range(3):
            t = time.perf_counter()
            run_batch(cfg, range(repeat * size, (repeat + 1) * size), world=world)
            times.append(time.perf_counter() - t)
        per = statistics.median(times) / size
        print(f"    batches of {size:5d} runs            {1 / per:7.0f} runs/s   {mesa_s / per:5.1f} x Mesa")
    print("    (first 5 seeds: batched runs equal to Mesa runs, table for table)")


if __name__ == "__main__":
    main()
