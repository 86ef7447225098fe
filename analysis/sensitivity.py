"""Global sensitivity of a sweep outcome to its parameters (SALib), from tables only.

The sweep's `runs.parquet` gives each run's point and parameter values, `sweep.json` the
design's ranges; an outcome is one number per run (for example Russia's influence share at the
last step). Outcomes are averaged over the seeds of each point before the analysis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis.plots import _new_axes


def point_means(runs: pd.DataFrame, outcome: pd.Series) -> np.ndarray:
    """The outcome averaged over the seeds of each design point, in point order."""
    df = runs[["run", "point"]].merge(outcome.rename("y"), left_on="run", right_index=True, how="left")
    if df["y"].isna().any():
        raise ValueError("the outcome is missing for some runs of the sweep")
    return df.groupby("point", sort=True)["y"].mean().to_numpy()


def salib_seed(seed: int) -> int:
    """A nonzero seed for SALib derived from ours: SALib's Sobol analysis treats a seed of 0 as no
    seed and then draws its bootstrap from numpy's global state, so its intervals would change from
    call to call."""
    return int(np.random.SeedSequence(seed).generate_state(1)[0]) or 1


def sobol_indices(runs: pd.DataFrame, outcome: pd.Series, ranges: Mapping[str, Sequence[float]],
                  seed: int = 0) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol indices with 95% confidence half-widths, from a
    sweep made with the `sobol` design (Saltelli points in their original order)."""
    from SALib.analyze import sobol

    names = list(ranges)
    problem = {"num_vars": len(names), "names": names, "bounds": [list(map(float, ranges[n])) for n in names]}
    y = point_means(runs, outcome)
    if len(y) % (len(names) + 2):
        raise ValueError(f"{len(y)} points is not a Saltelli design for {len(names)} parameters "
                         f"(expected a multiple of {len(names) + 2}); was the sweep made with design=sobol?")
    res = sobol.analyze(problem, y, calc_second_order=False, seed=salib_seed(seed))
    return pd.DataFrame({"parameter": names, "S1": res["S1"], "S1_conf": res["S1_conf"],
                         "ST": res["ST"], "ST_conf": res["ST_conf"]})


def sensitivity_bars(indices: pd.DataFrame, outcome_name: str, ax: Axes | None = None) -> Figure:
    """First-order and total Sobol indices per parameter, with confidence bars."""
    fig, ax = _new_axes(ax, (8.0, 1.6 + 0.5 * len(indices)))
    y = np.arange(len(indices))
    ax.barh(y - 0.2, indices["S1"], height=0.38, xerr=indices["S1_conf"], color="#0072B2", label="first order (S1)")
    ax.barh(y + 0.2, indices["ST"], height=0.38, xerr=indices["ST_conf"], color="#E69F00", label="total (ST)")
    ax.set_yticks(y, indices["parameter"])
    ax.set_xlabel("Sobol index (share of outcome variance, 0-1)")
    ax.set_ylabel("parameter")
    ax.set_title(f"What drives {outcome_name}?\nSobol sensitivity indices with 95% confidence intervals")
    ax.axvline(0.0, color="0.5", linewidth=0.8)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, frameon=False)
    return fig


def _morris_levels(unit: np.ndarray, names: list[str]) -> int:
    """The grid levels p of a Morris design, from its jump delta = p / (2 (p - 1)) in [0, 1] units."""
    jumps = np.abs(np.diff(unit, axis=0))
    jumps = jumps[jumps > 1e-9]
    if not len(jumps):
        raise ValueError("the design never moves a parameter: was the sweep made with design=morris?")
    delta = float(np.median(jumps))
    if delta <= 0.5 + 1e-9:
        raise ValueError(f"the design's parameter jumps ({delta:.3g} of the range) are not those of a Morris "
                         f"design over {', '.join(names)}; was the sweep made with design=morris?")
    return int(round(2 * delta / (2 * delta - 1)))


def morris_indices(table: pd.DataFrame, outcome: pd.Series | np.ndarray, spec: Mapping[str, Any],
                   seed: int = 0) -> pd.DataFrame:
    """Morris elementary-effects screening (SALib): mu_star (mean absolute effect), its 95%
    bootstrap confidence half-width, mu and sigma (spread of the effects: interactions or
    non-linearity) per parameter, from a sweep made with the `morris` design.

    table: the runs table (run, point and parameter columns; `outcome` indexed by run, averaged
    over the seeds of each point) or a point table (one row per point in design order, parameter
    columns; `outcome` aligned with its rows). spec: the sweep's design (sweep.json): its
    `parameters` give the ranges; the grid levels are read from the design itself. Effects are in
    outcome units per full parameter range.
    """
    from SALib.analyze import morris

    ranges = {str(k): [float(x) for x in v] for k, v in dict(spec["parameters"]).items()}
    names = list(ranges)
    missing = [n for n in names if n not in table.columns]
    if missing:
        raise ValueError(f"the table has no column for the parameters {', '.join(missing)}")
    if "run" in table.columns:
        y = point_means(table, pd.Series(outcome))
        x = table.groupby("point", sort=True)[names].first().to_numpy(dtype=float)
    else:
        y = np.asarray(outcome, dtype=float)
        x = table[names].to_numpy(dtype=float)
    d = len(names)
    if len(y) != len(x) or len(y) % (d + 1) or len(y) < 2 * (d + 1):
        raise ValueError(f"{len(y)} points is not a Morris design for {d} parameters (expected at least two "
                         f"trajectories of {d + 1} points); was the sweep made with design=morris?")
    lo = np.array([ranges[n][0] for n in names])
    hi = np.array([ranges[n][1] for n in names])
    levels = _morris_levels((x - lo) / (hi - lo), names)
    problem = {"num_vars": d, "names": names, "bounds": [ranges[n] for n in names]}
    res = morris.analyze(problem, x, y.astype(float), num_levels=levels, seed=seed)
    return pd.DataFrame({"parameter": names, "mu_star": np.asarray(res["mu_star"], dtype=float),
                         "mu_star_conf": np.asarray(res["mu_star_conf"], dtype=float),
                         "mu": np.asarray(res["mu"], dtype=float), "sigma": np.asarray(res["sigma"], dtype=float)})


def morris_bars(indices: pd.DataFrame, outcome_name: str, unit: str = "outcome units",
                ax: Axes | None = None) -> Figure:
    """Morris mu_star per parameter (with 95% confidence bars) beside sigma, most influential on top."""
    order = indices.sort_values("mu_star", ascending=True).reset_index(drop=True)
    fig, ax = _new_axes(ax, (8.0, 1.6 + 0.5 * len(order)))
    y = np.arange(len(order))
    ax.barh(y + 0.2, order["mu_star"], height=0.38, xerr=order["mu_star_conf"], color="#0072B2",
            label="mean |elementary effect| (mu*)")
    ax.barh(y - 0.2, order["sigma"], height=0.38, color="#E69F00", label="spread of effects (sigma)")
    ax.set_yticks(y, order["parameter"])
    ax.set_xlabel(f"elementary effect ({unit}, per full parameter range)")
    ax.set_ylabel("parameter")
    ax.set_title(f"What drives {outcome_name}?\nMorris screening: mu* with 95% confidence intervals, and sigma")
    ax.axvline(0.0, color="0.5", linewidth=0.8)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, frameon=False)
    return fig
