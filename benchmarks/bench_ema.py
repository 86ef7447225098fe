"""Benchmark of the EMA Workbench interface (sim.ema) against the batched driver it runs on, side by
side in one run, on the baseline (36 months), the same uncertainties, levers, outcomes and seeds:

1. `sim.ensemble.run_batch` alone, one batch (the driver's speed);
2. `sim.ema.batch_outcomes`: run_batch plus the outcomes computed from its tables;
3. EMA's `perform_experiments` with `sim.ema.BatchedEvaluator` (batches of --batch runs);
4. EMA's `perform_experiments` with its own `SequentialEvaluator` (one run per call of the model).

Prints runs per second and ratios; asserts nothing.

    python benchmarks/bench_ema.py                    # 1,000 runs (120 for the sequential evaluator)
    python benchmarks/bench_ema.py --runs 300 --sequential-runs 40
"""

from __future__ import annotations

import argparse
import logging
import platform
import time

import numpy as np

from sim import ema
from sim.config import compose_config
from sim.ensemble import run_batch

OUTCOMES = ("share:USA@36", "lead:NER=RUS@36", "event:coup:any@36")


def main() -> None:
    """Time the four paths and print them side by side."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1000, help="runs of paths 1-3")
    parser.add_argument("--sequential-runs", type=int, default=120, help="runs of path 4 (slow)")
    parser.add_argument("--batch", type=int, default=1000, help="BatchedEvaluator's batch size")
    args = parser.parse_args()
    logging.getLogger("EMA").setLevel(logging.WARNING)
    from ema_workbench import SequentialEvaluator, perform_experiments

    cfg = compose_config()
    model = ema.sahel_model(
        uncertainties=[
            ema.uncertainty("scenario.powers.RUS.overstretch", 0.2, 0.9),
            ema.uncertainty("incentives.junta.regime_protection", 0.5, 2.5),
        ],
        levers=[ema.lever("scenario.powers.USA.budget_factor", 0.5, 2.0)],
        outcomes=[ema.outcome(s) for s in OUTCOMES],
        cfg=cfg,
    )
    gen = np.random.Generator(np.random.PCG64(0))
    n = args.runs
    numbers = {
        "scenario.powers.RUS.overstretch": gen.uniform(0.2, 0.9, n),
        "incentives.junta.regime_protection": gen.uniform(0.5, 2.5, n),
        "scenario.powers.USA.budget_factor": gen.uniform(0.5, 2.0, n),
    }
    seeds = list(range(n))
    ema.batch_outcomes(cfg, seeds[:10], {k: v[:10] for k, v in numbers.items()}, OUTCOMES)  # warm-up

    rows = []
    t = time.perf_counter()
    run_batch(cfg, seeds, run_parameters=numbers)
    rows.append(("run_batch alone (every month recorded)", n, time.perf_counter() - t))
    t = time.perf_counter()
    ema.batch_outcomes(cfg, seeds, numbers, OUTCOMES)
    rows.append(("run_batch + outcomes (sim.ema.batch_outcomes)", n, time.perf_counter() - t))
    t = time.perf_counter()
    perform_experiments(
        model, scenarios=n // 10, policies=10, evaluator=ema.BatchedEvaluator(model, batch_size=args.batch)
    )
    rows.append(
        (f"EMA perform_experiments, BatchedEvaluator ({args.batch} a batch)", n // 10 * 10, time.perf_counter() - t)
    )
    m = args.sequential_runs
    t = time.perf_counter()
    perform_experiments(model, scenarios=m // 2, policies=2, evaluator=SequentialEvaluator(model))
    rows.append(("EMA perform_experiments, SequentialEvaluator (one run a call)", m // 2 * 2, time.perf_counter() - t))

    base = rows[0][1] / rows[0][2]
    print(
        f"EMA interface benchmark: baseline, 36 months, {len(OUTCOMES)} outcomes; "
        f"{platform.processor() or platform.machine()}, python {platform.python_version()}, one process"
    )
    print(f"{'path':<66} {'runs':>6} {'seconds':>8} {'runs/s':>8} {'x run_batch':>11}")
    for name, runs, seconds in rows:
        print(f"{name:<66} {runs:>6} {seconds:>8.2f} {runs / seconds:>8.1f} {runs / seconds / base:>11.3f}")


if __name__ == "__main__":
    main()
