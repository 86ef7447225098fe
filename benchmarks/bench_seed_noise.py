"""How much of the demo Sobol sweep's indices is seed noise, with common and with independent seeds.

Runs the demo Sobol design (conf/sweep/demo_sobol.yaml: N = 32, 3 junta weights, 160 points) with
`--seeds` seeds per point twice, once with common random numbers (sweep.seeding=common, the default
for Sobol) and once with a seed per run (sweep.seeding=independent, the behaviour before), then, for
each outcome and for the first r = 1, 2, 4, ... seeds of every point, prints the seed-noise shares
(analysis.sensitivity.seed_noise) and the sums of S1 and ST on the per-point means. With common seeds
the first r replicates are exactly the sweep run with r seeds per point, so those rows do not depend on
--seeds; with independent seeds a run's seed comes from its run id (point x seeds + replicate), so the
first r replicates are other draws for every --seeds, and those rows differ. Asserts nothing.

    PYTHONPATH=. python benchmarks/bench_seed_noise.py                       # 8 seeds, ~2 x 1,280 runs
    PYTHONPATH=. python benchmarks/bench_seed_noise.py --seeds 4 --outcome share:CHN@36
"""

from __future__ import annotations

import argparse
import tempfile
import warnings
from pathlib import Path

from analysis.outcomes import sweep_outcome
from analysis.sensitivity import seed_noise, sobol_indices
from analysis.sweep_data import open_sweep
from sim.config import compose_config
from sim.sweep import run_sweep
from sim.sweep_conf import SweepAppConfig

OUTCOMES = ("share:RUS@36", "share:CHN@36", "event:coup:any@36", "event:expel:any@36")


def _row(sweep_dir: Path, spec: str, seeds: int) -> list[str]:
    sweep = open_sweep(sweep_dir)
    _, values = sweep_outcome(sweep, spec)
    seeding = sweep.spec["seeding"]
    lines, r = [], 1
    while r <= seeds:
        runs = sweep.runs.loc[sweep.runs["replicate"] < r]
        y = values.loc[runs["run"]].astype(float)
        noise = seed_noise(runs, y, seeding)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                idx = sobol_indices(runs, y, sweep.spec["parameters"], noise_share=noise.mean_share)
            sums = f"{idx['S1'].sum():7.2f} {idx['ST'].sum():7.2f} {idx['ST_conf'].max():8.2f}"
        except ValueError:
            sums = f"{'(per-point means all equal: no indices)':>24}"
        lines.append(
            f"{spec:20s} {seeding:12s} {r:3d} {noise.run_share:9.2f} {noise.mean_share:10.2f} "
            f"{noise.common_share:7.2f} {sums}"
        )
        r *= 2
    return lines


def main() -> None:
    """Run the two sweeps and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=8, help="seeds per point (default 8)")
    parser.add_argument("--outcome", action="append", default=[], help=f"outcomes (default {', '.join(OUTCOMES)})")
    parser.add_argument("--out", default=None, help="folder for the two sweeps (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(args.out or tmp)
        folders = {}
        for seeding in ("common", "independent"):
            cfg = compose_config(
                [
                    "sweep=demo_sobol",
                    f"sweep.seeds_per_point={args.seeds}",
                    f"sweep.seeding={seeding}",
                    "sweep.every=12",
                ],
                config_name="sweep_app",
                schema=SweepAppConfig,
            )
            folders[seeding] = run_sweep(cfg, base / f"demo_sobol_{seeding}{args.seeds}", progress=False)
        print(
            f"{'outcome':20s} {'seeding':12s} {'r':>3s} {'run_share':>9s} {'mean_share':>10s} {'common':>7s} "
            f"{'sum S1':>7s} {'sum ST':>7s} {'max ST+-':>8s}"
        )
        for spec in args.outcome or OUTCOMES:
            for folder in folders.values():
                print("\n".join(_row(folder, spec, args.seeds)))


if __name__ == "__main__":
    main()
