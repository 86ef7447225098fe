"""Benchmark of the month's cost, side by side in one run (issue 19, "make bench"): runs per
CPU-second of the batched driver at batch sizes 1 to 10,000, the Mesa driver, horizons of 36, 120
and 360 months, and worlds of 19, 54 and 100 states (benchmarks/synthetic_world.py).

"Per CPU-second" is the process's CPU time (time.process_time), so the figure is per core and does
not depend on what else the machine runs, as far as caches and memory bandwidth allow; the load
average is printed with it. Each cell is the median of `--repeats` runs of the same seeds.
"simulation" runs the months without keeping a history (random draws, rules, events with their
causes); "+ history" keeps every 12th month and builds the states, ties and events tables, as a
sweep with sweep.every=12 does before writing. Sweeps on one and two workers and a large sweep's
peak memory are measured by benchmarks/bench_sweep.py (`make bench` runs both).
Prints numbers and ratios; asserts nothing.

    python benchmarks/bench_kernel.py [--repeats 3] [--quick]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from synthetic_world import write_synthetic_world

from sim.config import compose_config
from sim.core.params import Config
from sim.core.simulation import Simulation
from sim.core.world import World, load_world, scenario_path
from sim.model import InfluenceModel


def cpu_seconds(work: Callable[[], object], repeats: int) -> float:
    """Median CPU time of `work` over `repeats` calls."""
    times = []
    for _ in range(repeats):
        t = time.process_time()
        work()
        times.append(time.process_time() - t)
    return statistics.median(times)


def batched(cfg: Config, world: World, runs: int, months: int, history: bool) -> Callable[[], object]:
    """One batch of `runs` runs for `months` months, optionally keeping and tabulating its history."""

    def work() -> object:
        sim = Simulation(cfg, world, range(runs), horizon=months, record=history, every=12)
        sim.run()
        if history:
            assert sim.recorder is not None
            return sim.recorder.states_table(), sim.recorder.ties_table(), sim.recorder.events_table()
        return sim

    return work


def commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="smaller batches (R up to 1,000; 100 for sizes and horizons)")
    args = ap.parse_args()
    cfg = compose_config(["run.plots=false", "run.summary=false"])
    world = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    print(
        f"Month cost benchmark, commit {commit()}: baseline world ({len(world.states)} states, "
        f"{len(world.powers)} powers); Python {platform.python_version()}, numpy {np.__version__}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    batched(cfg, world, 10, 36, True)()  # warm-up: imports, caches

    sizes = (1, 100, 1000) if args.quick else (1, 100, 1000, 10_000)
    print("\n1. Batched driver, 36 months, runs per CPU-second (= per core)")
    print(f"   {'runs per batch':>14}  {'simulation':>11}  {'+ history':>10}  {'history share':>13}")
    rate_1000 = None
    for runs in sizes:
        reps = 1 if runs >= 10_000 else args.repeats
        sim_s = cpu_seconds(batched(cfg, world, runs, 36, False), reps) / runs
        hist_s = cpu_seconds(batched(cfg, world, runs, 36, True), reps) / runs
        if runs == 1000:
            rate_1000 = 1 / sim_s
        print(f"   {runs:>14,}  {1 / sim_s:>11,.0f}  {1 / hist_s:>10,.0f}  {1 - sim_s / hist_s:>12.0%}")

    print("\n2. Mesa driver, one run of 36 months (history kept, as `python -m sim` runs it)")

    def mesa() -> object:
        model = InfluenceModel(cfg, world=world)
        model.run()
        return model

    mesa_s = cpu_seconds(mesa, max(args.repeats, 5))
    ratio = f"; the batched driver at 1,000 runs is {rate_1000 * mesa_s:,.0f} x faster per run" if rate_1000 else ""
    print(f"   {mesa_s * 1e3:,.1f} ms CPU per run ({1 / mesa_s:,.1f} runs per CPU-second){ratio}")

    runs = 100 if args.quick else 1000
    print(f"\n3. Horizon, batched driver at {runs:,} runs, simulation only")
    print(f"   {'months':>6}  {'runs/CPU-s':>10}  {'run-months/CPU-s':>16}  {'per month vs 36':>15}")
    base = None
    for months in (36, 120, 360):
        per_run = cpu_seconds(batched(cfg, world, runs, months, False), 1 if months > 36 else args.repeats) / runs
        per_month = per_run / months
        base = base or per_month
        print(f"   {months:>6}  {1 / per_run:>10,.0f}  {1 / per_month:>16,.0f}  {per_month / base:>14.2f}x")

    print(f"\n4. World size, batched driver at {runs:,} runs, 36 months, simulation only (synthetic worlds)")
    print(f"   {'states':>6}  {'runs/CPU-s':>10}  {'cost vs 19':>10}  {'per state vs 19':>15}")
    base = None
    with tempfile.TemporaryDirectory(prefix="bench-kernel-") as tmp:
        for n in (19, 54, 100):
            w = load_world(write_synthetic_world(n, Path(tmp) / f"world{n}.yaml"), cfg.scenario)
            per_run = cpu_seconds(batched(cfg, w, runs, 36, False), args.repeats) / runs
            base = base or per_run
            print(f"   {n:>6}  {1 / per_run:>10,.0f}  {per_run / base:>9.2f}x  {per_run / base * 19 / n:>14.2f}x")
    print(f"\n   load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
