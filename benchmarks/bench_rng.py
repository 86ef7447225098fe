"""Benchmark of the random draws: draw_batch by numpy's generators (the reference, the code before
issue 19's step 1) against the compiled draw_batch, per run at R = 1, 100, 1,000, then the batched
driver's runs per second at R = 1,000 with each, side by side in one process. Prints numbers (wall
and CPU time, the load average before and after); asserts nothing.

    PYTHONPATH=. python benchmarks/bench_rng.py [--steps 36] [--repeats 5] [--driver-repeats 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import sim.core.simulation as simulation_module
from sim.config import compose_config
from sim.core.rng import Sizes, draw_batch, draw_batch_numpy
from sim.core.world import load_world, scenario_path
from sim.ensemble import run_batch

FIRST_CALL = """
import time
t = time.perf_counter()
from sim.core.rng import Sizes, draw_batch
draw_batch([0], 1, Sizes(S=1, P=1, G=1, B=1, K=1))
print(time.perf_counter() - t)
"""


def _timed(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall and CPU seconds of `repeats` calls."""
    walls, cpus = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=36)
    ap.add_argument("--repeats", type=int, default=5, help="timed calls of draw_batch per size (median)")
    ap.add_argument("--driver-repeats", type=int, default=3, help="timed batches of the driver per variant (median)")
    ap.add_argument("--driver-runs", type=int, default=1000)
    args = ap.parse_args()
    print(f"load average at the start: {_load()}")

    # the compiled draws' first call in a fresh process: numba's import and its cache (or a compile)
    first = float(subprocess.run([sys.executable, "-c", FIRST_CALL], capture_output=True, text=True, check=True).stdout)
    print(f"first draw_batch in a fresh process (import numba, load or compile the kernel): {first:.2f} s")

    cfg = compose_config([f"run.steps={args.steps}", "run.plots=false", "run.summary=false"])
    world = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    sizes = Sizes.of(world)
    draw_batch([0], 1, sizes)  # warm-up
    print(
        f"draw_batch, baseline world ({sizes.S} states, {sizes.P} powers, {len(sizes.commitments)} commitments), "
        f"{args.steps} months, median of {args.repeats}:"
    )
    header = f"  {'R':>6} {'numpy us/run':>13} {'compiled us/run':>16} {'ratio':>6}"
    print(f"{header}   (CPU us/run: numpy, compiled, ratio)")
    for runs in (1, 100, 1000):
        seeds = list(range(runs))
        repeats = args.repeats if runs < 1000 else max(1, args.repeats // 2)
        old_w, old_c = _timed(lambda seeds=seeds: draw_batch_numpy(seeds, args.steps, sizes), repeats)
        new_w, new_c = _timed(lambda seeds=seeds: draw_batch(seeds, args.steps, sizes), repeats)
        print(
            f"  {runs:>6} {old_w / runs * 1e6:>13.1f} {new_w / runs * 1e6:>16.1f} {old_w / new_w:>5.1f}x"
            f"   ({old_c / runs * 1e6:.1f}, {new_c / runs * 1e6:.1f}, {old_c / new_c:.1f}x)"
        )

    # the batched driver, recording every month (as benchmarks/bench_drivers.py), with each draw_batch
    runs = args.driver_runs
    variants = {"numpy draws": draw_batch_numpy, "compiled draws": draw_batch}
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    run_batch(cfg, range(2), world=world)  # warm-up
    for repeat in range(args.driver_repeats):  # alternating, so a change of load hits both
        for name, fn in variants.items():
            simulation_module.draw_batch = fn
            try:
                seeds = range(repeat * runs, (repeat + 1) * runs)
                results[name].append(_timed(lambda seeds=seeds: run_batch(cfg, seeds, world=world), 1))
            finally:
                simulation_module.draw_batch = draw_batch
    print(f"Batched driver, {runs} runs per batch, {args.steps} months, median of {args.driver_repeats} batches:")
    wall = {name: statistics.median(w for w, _ in r) for name, r in results.items()}
    cpu = {name: statistics.median(c for _, c in r) for name, r in results.items()}
    for name in variants:
        print(
            f"  {name:<15} {runs / wall[name]:8.1f} runs/s wall, {runs / cpu[name]:8.1f} runs per CPU-second "
            f"({cpu[name] / runs * 1e3:.2f} ms CPU per run)"
        )
    print(
        f"  ratio           {wall['numpy draws'] / wall['compiled draws']:8.2f}x wall, "
        f"{cpu['numpy draws'] / cpu['compiled draws']:8.2f}x CPU"
    )
    print(f"load average at the end: {_load()}")


if __name__ == "__main__":
    main()
