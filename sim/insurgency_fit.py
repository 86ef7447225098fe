"""`python -m sim.insurgency_fit`: fit the insurgency rates to the growth of the Sahel's insurgency
from January 2020 to December 2023 (docs/calibration.md, "Insurgency rates").

    python -m sim.insurgency_fit                       # the default grid, 200 runs per point
    python -m sim.insurgency_fit --growth 0.05,0.06 --suppression 0.02 --spread 0.005,0.01 --runs 100
    python -m sim.insurgency_fit --growth 0.04 --suppression 0.01 --spread 0.005 --group-growth LCB=0,0.1,0.25,0.5,1

Every combination of the given insurgency.growth, insurgency.suppression and insurgency.spread
values runs --runs times from the January 2020 world (the same seeds for every point) to --at. The
mean intensity of each group in each state is compared with the intensities of the target world
(default the May 2024 world, whose intensities are set from ACSS deaths for 2023). Two errors are
reported per point: the sum of squared errors over the group-state cells that either world lists
(where the insurgency is), and over every other cell (spill-over where the record has none); the
points are ranked by their sum. --group-growth GROUP=v1,v2,... adds one group's `growth_factor` (a
world-file field, 0..5) as a dimension of the grid: the Lake Chad groups' was fitted this way.
Writes insurgency_fit.csv into --out and prints the table. Bad input stops with one `error:`
paragraph and exit code 2.
"""

from __future__ import annotations

import copy
import itertools
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sim.commandline import Parser, add_common, check_common, configure, fail, make_out, save_config
from sim.config import compose_config
from sim.core.atomic import atomic_path
from sim.core.params import Config
from sim.core.world import World, WorldError, load_world, scenario_path, str_to_month
from sim.designs import run_seed
from sim.ensemble import run_batch

DEFAULT_GRID = {
    "insurgency.growth": (0.04, 0.05, 0.06, 0.07, 0.08),
    "insurgency.suppression": (0.01, 0.015, 0.02, 0.025, 0.03, 0.06),
    "insurgency.spread": (0.005, 0.01, 0.03),
}
START_WORLD = "hindcast_2020"
TARGET_WORLD = "sahel_2024"
AT = "2023-12"


def intensity_errors(mean: np.ndarray, start: np.ndarray, target: np.ndarray) -> tuple[float, float]:
    """Sum of squared errors of the mean intensities (S, G) against the target: over the cells
    where either world has the group, and over the others."""
    listed = (start > 0) | (target > 0)
    sq = (mean - target) ** 2
    return float(sq[listed].sum()), float(sq[~listed].sum())


def mean_intensity(states: pd.DataFrame, world: World, step: int) -> np.ndarray:
    """Mean intensity of each group in each state at `step` over the runs of a states table: (S, G)."""
    at = states.loc[states["step"] == step]
    by_state = at.groupby("state")[[f"insurgency_{g.lower()}" for g in world.groups]].mean()
    return by_state.reindex(world.states).to_numpy(float)


def fit_grid(
    cfg: Config,
    world: World,
    grid: dict[str, Sequence[float]],
    runs: int,
    seed: int,
    months: int,
    target: World,
    chunk: int = 250,
) -> pd.DataFrame:
    """One row per grid point of runs from `world`: its values, the two errors, their sum, and the
    mean intensity of every listed cell."""
    names = list(grid)
    points = list(itertools.product(*(grid[n] for n in names)))
    total = len(points) * runs
    frames = []
    for start in range(0, total, chunk):
        ids = np.arange(start, min(start + chunk, total))
        point = ids // runs
        values = {n: np.array([points[p][i] for p in point]) for i, n in enumerate(names)}
        rec = run_batch(
            cfg,
            [run_seed(seed, int(r % runs)) for r in ids],
            ids,
            world=world,
            steps=months,
            run_parameters=values,
            every=months,
        )
        frames.append(rec.states_table().assign(point=lambda d: d["run"] // runs))
    states = pd.concat(frames, ignore_index=True)
    listed = (world.insurgency > 0) | (target.insurgency > 0)
    cells = [f"{g} {s}" for s_i, s in enumerate(world.states) for g_i, g in enumerate(world.groups) if listed[s_i, g_i]]
    rows = []
    for p, vals in enumerate(points):
        mean = mean_intensity(states.loc[states["point"] == p], world, months)
        e_listed, e_other = intensity_errors(mean, world.insurgency, target.insurgency)
        row = dict(zip(names, vals, strict=True))
        row.update(error_listed=e_listed, error_other=e_other, error=e_listed + e_other)
        row.update(dict(zip(cells, mean[listed], strict=True)))
        rows.append(row)
    table = pd.DataFrame(rows).sort_values("error", kind="stable").reset_index(drop=True)
    target_row = {n: np.nan for n in names} | {"error_listed": 0.0, "error_other": 0.0, "error": 0.0}
    target_row.update(dict(zip(cells, target.insurgency[listed], strict=True)))
    return pd.concat([table, pd.DataFrame([target_row], index=["target"])])


def fit_group_growth(
    cfg: Config,
    world: World,
    group: str,
    factors: Sequence[float],
    grid: dict[str, Sequence[float]],
    runs: int,
    seed: int,
    months: int,
    target: World,
    chunk: int = 250,
) -> pd.DataFrame:
    """fit_grid for each growth factor of one group (world field `growth_factor`), ranked together."""
    g = world.groups.index(group)
    column = f"growth_factor.{group}"
    tables = []
    for factor in factors:
        trial = copy.deepcopy(world)
        trial.group_growth[g] = factor
        table = fit_grid(cfg, trial, grid, runs, seed, months, target, chunk)
        tables.append(table.drop(index="target").assign(**{column: factor}))
    target_row = table.loc[["target"]].assign(**{column: np.nan})
    ranked = pd.concat(tables).sort_values("error", kind="stable").reset_index(drop=True)
    return pd.concat([ranked, target_row])[[column, *(c for c in ranked.columns if c != column)]]


def _group_growth(text: str, world: World) -> tuple[str, tuple[float, ...]]:
    group, _, values = text.partition("=")
    if group not in world.groups or not values:
        fail(
            f"--group-growth {text!r}: write GROUP=v1,v2,... with GROUP one of {', '.join(world.groups)} "
            f"(the world's insurgent groups), e.g. --group-growth LCB=0,0.25,1."
        )
    return group, _values(values, f"--group-growth {group}=", high=5.0, what="a growth factor")


def _values(text: str, option: str, high: float = 1.0, what: str = "a monthly rate") -> tuple[float, ...]:
    try:
        vals = tuple(float(v) for v in text.split(","))
    except ValueError:
        fail(f"{option} {text!r} is not a comma-separated list of numbers, e.g. {option} 0.04,0.06.")
    if not all(0.0 <= v <= high for v in vals):
        fail(f"{option} {text!r}: every value must lie in 0..{high:g} ({what}).")
    return vals


def main(argv: list[str] | None = None) -> Path:
    parser = Parser(prog="python -m sim.insurgency_fit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--growth", help="insurgency.growth values, comma-separated")
    parser.add_argument("--suppression", help="insurgency.suppression values, comma-separated")
    parser.add_argument("--spread", help="insurgency.spread values, comma-separated")
    parser.add_argument("--group-growth", help="GROUP=v1,v2,...: one group's growth_factor values (world field)")
    add_common(parser, runs=200, out="outputs/insurgency_fit")
    parser.add_argument("--at", default=AT, help=f"month compared with the target world (default {AT})")
    parser.add_argument(
        "--target", default=TARGET_WORLD, help=f"world whose intensities are the target (default {TARGET_WORLD})"
    )
    args = parser.parse_intermixed_args(argv)
    check_common(args)
    grid = {
        n: (
            _values(getattr(args, n.split(".")[1]), f"--{n.split('.')[1]}")
            if getattr(args, n.split(".")[1])
            else DEFAULT_GRID[n]
        )
        for n in DEFAULT_GRID
    }
    cfg, start = configure([f"scenario={START_WORLD}", *args.overrides])
    try:
        target = load_world(scenario_path(args.target), compose_config([]).scenario)
        months = str_to_month(args.at) - str_to_month(start.as_of)
    except (WorldError, ValueError) as exc:
        fail(
            f"The target world {args.target!r} or the month --at {args.at!r} cannot be used ({exc}). Give a world "
            f"name under scenarios/ and a month YYYY-MM after {START_WORLD}'s start."
        )
    if not 1 <= months <= 600 or target.groups != start.groups or target.states != start.states:
        fail(
            f"--at {args.at} must fall 1 to 600 months after {start.as_of}, and the target world {args.target} "
            f"must list the same states and insurgent groups as {START_WORLD}."
        )
    if args.group_growth:
        group, factors = _group_growth(args.group_growth, start)
        table = fit_group_growth(cfg, start, group, factors, grid, args.runs, args.seed, months, target, args.chunk)
    else:
        table = fit_grid(cfg, start, grid, args.runs, args.seed, months, target, args.chunk)
    make_out(args.out)
    with atomic_path(args.out / "insurgency_fit.csv") as tmp:
        table.to_csv(tmp, index_label="rank")
    save_config(cfg, args.out / "config.yaml")
    if args.quiet:
        return args.out
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.precision", 3):
        print(
            f"Insurgency fit: {start.as_of} -> {args.at} ({months} months), {args.runs} runs per point, "
            f"target {args.target}; best first, the target last"
        )
        print(table.head(10).to_string())
        print(table.tail(1).to_string(header=False))
        print(f"Written to {args.out / 'insurgency_fit.csv'}")
    return args.out


if __name__ == "__main__":
    main(sys.argv[1:])
