"""Benchmark of the drivers on the baseline scenario: the Mesa driver's time per run, per step,
per phase and peak memory, then the batched driver on the same seeds and its ratio to Mesa, the
share of recording events and the events table with its causes written out or left out.
Prints numbers; asserts nothing.

    python benchmarks/bench_drivers.py [--runs 20] [--steps 36] [--batch 100]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import time
import tracemalloc
from collections import defaultdict

import sim.core.phases as step_module
from sim.config import compose_config
from sim.core.context import StepContext
from sim.core.world import load_world, scenario_path
from sim.ensemble import run_batch
from sim.model import InfluenceModel


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--steps", type=int, default=36)
    ap.add_argument("--batch", type=int, default=100, help="runs per batch for the batched driver")
    args = ap.parse_args()
    cfg = compose_config([f"run.steps={args.steps}", "run.plots=false", "run.summary=false"])

    t0 = time.perf_counter()
    world = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    load_s = time.perf_counter() - t0

    # warm-up (imports, caches)
    InfluenceModel(cfg, world=load_world(scenario_path(cfg.scenario.name), cfg.scenario)).run()

    # per-phase time, by wrapping the phases of the month
    phase_time: dict[str, float] = defaultdict(float)
    original = step_module.PHASES

    def timed(phase):
        def wrapper(ctx):
            t = time.perf_counter()
            phase(ctx)
            phase_time[phase.__name__] += time.perf_counter() - t

        wrapper.__name__ = phase.__name__
        return wrapper

    run_times, init_times, table_times = [], [], []
    step_module.PHASES = tuple(timed(p) for p in original)
    try:
        for seed in range(args.runs):
            cfg.seed = seed
            t = time.perf_counter()
            model = InfluenceModel(cfg, world=load_world(scenario_path(cfg.scenario.name), cfg.scenario))
            t1 = time.perf_counter()
            model.run()
            t2 = time.perf_counter()
            model.recorder.states_table(), model.recorder.ties_table(), model.recorder.events_table()
            t3 = time.perf_counter()
            init_times.append(t1 - t)
            run_times.append(t2 - t1)
            table_times.append(t3 - t2)
    finally:
        step_module.PHASES = original

    tracemalloc.start()
    cfg.seed = 0
    m = InfluenceModel(cfg, world=world)
    m.run()
    m.recorder.ties_table()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    per_run = statistics.median(run_times)
    total = sum(phase_time.values())
    print(
        f"Mesa driver, baseline scenario ({len(world.states)} states, {len(world.powers)} powers), "
        f"{args.steps} months, {args.runs} seeds; Python {platform.python_version()} on {platform.machine()}"
    )
    print(f"  world file load + validation   {load_s * 1e3:8.1f} ms")
    print(f"  model construction (median)    {statistics.median(init_times) * 1e3:8.1f} ms")
    print(
        f"  simulate {args.steps} months (median)   {per_run * 1e3:8.1f} ms per run "
        f"(min {min(run_times) * 1e3:.1f}, max {max(run_times) * 1e3:.1f})"
    )
    print(f"  per step                       {per_run / args.steps * 1e3:8.2f} ms")
    print(f"  runs per second (simulation)   {1 / per_run:8.1f}")
    print(f"  build tables (median)          {statistics.median(table_times) * 1e3:8.1f} ms per run")
    print(f"  peak traced memory, one run    {peak / 2**20:8.1f} MiB")
    print(f"  process max RSS                {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.1f} MiB")
    print("  time per phase (share of step time):")
    for name, secs in sorted(phase_time.items(), key=lambda kv: -kv[1]):
        print(f"    {name:<24} {secs / (args.runs * args.steps) * 1e6:8.0f} us/step  {secs / total:6.1%}")

    # the batched driver on one core, same configuration, random draws and recording included
    run_batch(cfg, range(2), world=world)  # warm-up
    batch_times, batch_cpu = [], []
    for repeat in range(3):
        t, c = time.perf_counter(), time.process_time()
        rec = run_batch(cfg, range(repeat * args.batch, (repeat + 1) * args.batch), world=world)
        batch_times.append(time.perf_counter() - t)
        batch_cpu.append(time.process_time() - c)
    batch_s, cpu_s = statistics.median(batch_times), statistics.median(batch_cpu)
    t = time.perf_counter()
    rec.ties_table()
    ties_s = time.perf_counter() - t
    # the events table straight to Arrow, its causes written out or left out (sweeps, the battery): CPU time
    c = time.process_time()
    rec.arrow_table("events")
    events_s = time.process_time() - c
    c = time.process_time()
    rec.arrow_table("events", cause=False)
    bare_s = time.process_time() - c
    # the share of recording events (StepContext.add: indices and the causes' numbers) in one batch
    add_time = [0.0]
    original_add = StepContext.add

    def timed_add(self, *a, **k):
        t = time.perf_counter()
        original_add(self, *a, **k)
        add_time[0] += time.perf_counter() - t

    StepContext.add = timed_add
    try:
        t = time.perf_counter()
        run_batch(cfg, range(3 * args.batch, 4 * args.batch), world=world)
        timed_s = time.perf_counter() - t
    finally:
        StepContext.add = original_add
    mesa_total = per_run + statistics.median(init_times) - load_s
    print(f"Batched driver, {args.batch} runs per batch (median of 3 batches), one process:")
    print(
        f"  simulate incl. random draws    {batch_s * 1e3:8.1f} ms per batch, "
        f"{args.batch / batch_s:8.1f} runs per second"
    )
    print(
        f"  the same in CPU time           {cpu_s * 1e3:8.1f} ms per batch, "
        f"{args.batch / cpu_s:8.1f} runs per CPU-second (load average {os.getloadavg()[0]:.1f})"
    )
    print(f"  recording events (ctx.add)     {add_time[0] / timed_s:8.1%} of a batch's time")
    print(f"  ties table of the batch        {ties_s * 1e3:8.1f} ms")
    print(
        f"  events table, causes written   {events_s * 1e3:8.1f} ms CPU, with the simulation "
        f"{args.batch / (cpu_s + events_s):8.1f} runs per CPU-second"
    )
    print(
        f"  events table, causes left out  {bare_s * 1e3:8.1f} ms CPU, with the simulation "
        f"{args.batch / (cpu_s + bare_s):8.1f} runs per CPU-second"
    )
    print(
        f"  ratio to the Mesa driver       {mesa_total / (batch_s / args.batch):8.1f} x "
        f"(Mesa construction + simulation per run, world load excluded)"
    )


if __name__ == "__main__":
    main()
