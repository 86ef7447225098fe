"""Global sensitivity of a sweep outcome to its parameters (SALib), from tables only.

The sweep's `runs.parquet` gives each run's point and parameter values, `sweep.json` the
design's ranges; an outcome is one number per run (for example Russia's influence share at the
last step). Outcomes are averaged over the seeds of each point before the analysis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
    res = sobol.analyze(problem, y, calc_second_order=False, seed=seed)
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
