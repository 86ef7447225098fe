"""An outcome over two parameters: the mean per cell of a regular grid, and its heatmap.

A grid design gets one cell per pair of values it ran; any other design (lhs, sobol, morris) gets
its points binned into a regular grid of cells over the parameters' ranges. Each cell holds the
mean of the outcome over the runs that fall in it (every seed of every point), so a yes/no
outcome becomes a probability; cells with no run stay empty (blank in the figure).

Which pair: the two parameters that explain the outcome most (`pick_pair`, by Sobol ST or by
feature scores), or a pair the analyst names. How many bins: as many as keep at least
MIN_RUNS_PER_CELL runs in a cell on average (`adaptive_bins`), so a cell's mean is not the luck of
two runs. The colour scale spans the cell means found, not 0-1, and is centred on the base rate
(the mean over every run), which is marked on the colour bar: cells above it and below it get
opposite hues.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from textwrap import fill

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from analysis.plots import _new_axes

#: The fewest runs a binned cell should hold on average.
MIN_RUNS_PER_CELL = 10
#: The most bins per axis (beyond this a heatmap stops being readable).
MAX_BINS = 10


def adaptive_bins(n_runs: int, min_per_cell: int = MIN_RUNS_PER_CELL, max_bins: int = MAX_BINS) -> int:
    """Bins per axis: the most (2 to `max_bins`) that leave at least `min_per_cell` runs per cell
    on average over the bins x bins cells."""
    fit = int(np.floor(np.sqrt(max(n_runs, 0) / min_per_cell)))
    return int(np.clip(fit, 2, max_bins))


def pick_pair(scores: pd.Series, chosen: Sequence[str] | None = None) -> tuple[str, str]:
    """The pair of parameters to draw: `chosen` when given (two names among the scores' index),
    else the two with the highest scores (Sobol ST or feature scores, indexed by parameter).

    Raises:
        ValueError: fewer than two parameters, or a chosen name that is not one of them.
    """
    names = list(scores.index)
    if chosen:
        pair = tuple(chosen)
        unknown = [n for n in pair if n not in names]
        if len(pair) != 2 or pair[0] == pair[1] or unknown:
            raise ValueError(
                f"the pair {','.join(pair)} must name two different parameters of the sweep (one of {', '.join(names)})"
            )
        return str(pair[0]), str(pair[1])
    if len(names) < 2:
        raise ValueError("a heatmap needs two parameters, and the sweep has fewer")
    top = scores.astype(float).fillna(-np.inf).sort_values(ascending=False, kind="stable").index[:2]
    return str(top[0]), str(top[1])


@dataclass(frozen=True)
class CellMeans:
    """Outcome means on a grid of cells; arrays are indexed [y cell, x cell]."""

    x_name: str
    y_name: str
    x_values: np.ndarray  # distinct values (discrete) or bin centres
    y_values: np.ndarray
    x_edges: np.ndarray | None  # bin edges, None when discrete
    y_edges: np.ndarray | None
    mean: np.ndarray  # NaN where a cell has no run
    count: np.ndarray  # runs per cell

    @property
    def discrete(self) -> bool:
        return self.x_edges is None


def _bin(values: np.ndarray, lo: float, hi: float, bins: int, name: str) -> tuple[np.ndarray, np.ndarray]:
    if not hi > lo:
        raise ValueError(f"the range of {name} is empty ([{lo}, {hi}]): give low < high")
    outside = (values < lo) | (values > hi)
    if outside.any():
        raise ValueError(
            f"{int(outside.sum())} values of {name} lie outside its range [{lo}, {hi}], e.g. {values[outside][0]}"
        )
    edges = np.linspace(lo, hi, bins + 1)
    index = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, bins - 1)  # hi goes in the last bin
    return index, edges


def cell_means(
    runs: pd.DataFrame,
    outcome: pd.Series,
    x: str,
    y: str,
    *,
    bins: int | tuple[int, int] = 8,
    ranges: dict[str, Sequence[float]] | None = None,
    discrete: bool | None = None,
) -> CellMeans:
    """Mean outcome per (x, y) cell over the runs of a sweep.

    runs: the runs table (column run and the parameter columns); outcome: one value per run,
    indexed by run (bool or number). discrete: one cell per distinct value pair (a grid design);
    None picks it when both parameters take at most `bins` distinct values. Otherwise values are
    binned into `bins` (or (x bins, y bins)) equal cells over `ranges` (default: the values' min
    and max); a value on an inner edge goes to the upper cell, the range's top to the last cell.
    """
    for name in (x, y):
        if name not in runs.columns:
            raise ValueError(f"the runs table has no parameter column {name!r}")
    df = runs[["run", x, y]].merge(
        pd.Series(outcome, name="_y").astype(float), left_on="run", right_index=True, how="left"
    )
    if df["_y"].isna().any():
        raise ValueError("the outcome is missing for some runs of the sweep")
    xv, yv = df[x].to_numpy(dtype=float), df[y].to_numpy(dtype=float)
    nx, ny = (bins, bins) if isinstance(bins, int) else bins
    if discrete is None:
        discrete = len(np.unique(xv)) <= nx and len(np.unique(yv)) <= ny
    if discrete:
        x_values, ix = np.unique(xv, return_inverse=True)
        y_values, iy = np.unique(yv, return_inverse=True)
        x_edges = y_edges = None
    else:
        ranges = ranges or {}
        x_lo, x_hi = (float(v) for v in ranges.get(x, (xv.min(), xv.max())))
        y_lo, y_hi = (float(v) for v in ranges.get(y, (yv.min(), yv.max())))
        ix, x_edges = _bin(xv, x_lo, x_hi, nx, x)
        iy, y_edges = _bin(yv, y_lo, y_hi, ny, y)
        x_values, y_values = (x_edges[:-1] + x_edges[1:]) / 2, (y_edges[:-1] + y_edges[1:]) / 2
    shape = (len(y_values), len(x_values))
    total, count = np.zeros(shape), np.zeros(shape, dtype=np.int64)
    np.add.at(total, (iy, ix), df["_y"].to_numpy())
    np.add.at(count, (iy, ix), 1)
    mean = np.divide(total, count, out=np.full(shape, np.nan), where=count > 0)
    return CellMeans(x, y, x_values, y_values, x_edges, y_edges, mean, count)


def _tick(v: float) -> str:
    return f"{v:.3g}"


def outcome_heatmap(
    cells: CellMeans,
    outcome_label: str,
    unit: str,
    *,
    vmin: float | None = None,
    vmax: float | None = None,
    base: float | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Heatmap of the cell means: x and y are the two parameters, colour the outcome (blank: no run).

    vmin, vmax: the colour scale (default: the lowest and highest cell mean). base: the base rate
    (mean over every run): marked on the colour bar, and the scale is diverging around it when it
    lies inside the scale. Cells are annotated with their mean and runs when there are at most 144.
    """
    fig, ax = _new_axes(ax, (8.0, 6.0))
    masked = np.ma.masked_invalid(cells.mean)
    found = cells.mean[np.isfinite(cells.mean)]
    lo = float(found.min()) if vmin is None and found.size else vmin
    hi = float(found.max()) if vmax is None and found.size else vmax
    if lo is not None and hi is not None and not hi > lo:
        lo, hi = lo - 0.5, hi + 0.5  # one value everywhere: a scale around it
    if base is not None and lo is not None and hi is not None and lo < base < hi:
        scale = {"norm": TwoSlopeNorm(vcenter=base, vmin=lo, vmax=hi), "cmap": "RdBu_r"}
    else:
        scale = {"vmin": lo, "vmax": hi, "cmap": "viridis"}
    if cells.discrete:
        image = ax.imshow(masked, origin="lower", aspect="auto", **scale)
        ax.set_xticks(np.arange(len(cells.x_values)), [_tick(v) for v in cells.x_values])
        ax.set_yticks(np.arange(len(cells.y_values)), [_tick(v) for v in cells.y_values])
        centres_x, centres_y = np.arange(len(cells.x_values)), np.arange(len(cells.y_values))
        how = "one cell per pair of values run"
    else:
        assert cells.x_edges is not None and cells.y_edges is not None
        image = ax.pcolormesh(cells.x_edges, cells.y_edges, masked, shading="flat", **scale)
        ax.set_xlim(cells.x_edges[0], cells.x_edges[-1])
        ax.set_ylim(cells.y_edges[0], cells.y_edges[-1])
        centres_x, centres_y = cells.x_values, cells.y_values
        filled = cells.count[cells.count > 0]
        how = (
            f"mean over {len(cells.x_values)} x {len(cells.y_values)} equal bins, "
            f"{int(np.median(filled)) if filled.size else 0} runs in the median cell; blank: no run"
        )
    ax.set_facecolor("white")
    if cells.mean.size <= 144:
        for (i, j), v in np.ndenumerate(cells.mean):
            if np.isfinite(v):
                shade = float(image.norm(v))
                dark = shade < 0.25 or shade > 0.75 if "norm" in scale else shade < 0.5
                ax.text(
                    centres_x[j],
                    centres_y[i],
                    f"{v:.2g}\n(n={cells.count[i, j]})",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if dark else "black",
                )
    ax.set_xlabel(f"{cells.x_name} (parameter value)")
    ax.set_ylabel(f"{cells.y_name} (parameter value)")
    ax.set_title(f"{fill(outcome_label, 70)}\nby {cells.x_name} and {cells.y_name}\n({how})", fontsize=11)
    bar = fig.colorbar(image, ax=ax, label=f"{fill(outcome_label, 50)}\n({unit}, mean over runs)")
    if base is not None:
        bar.ax.axhline(base, color="black", linewidth=2.0)
        ax.plot(
            [], [], color="black", linewidth=2.0, label=f"base rate (every run): {base:.3g}, marked on the colour bar"
        )
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False, fontsize=8)
    return fig
