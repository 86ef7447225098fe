"""Scenario discovery with PRIM (ema_workbench): which box of parameter values makes a yes/no
outcome likely.

PRIM (the Patient Rule Induction Method, Friedman and Fisher 1999) starts from the box holding
every run and peels off thin slices of one parameter's range at a time, each time the slice whose
removal raises the share of runs with the outcome the most. Every box on the way is a candidate:
its *coverage* is the share of all runs with the outcome that lie inside it, its *density* the
share of the runs inside it that have the outcome. Peeling trades coverage for density; the box
reported is the one with the highest coverage among those at least `min_density` dense (ties go
to the denser box; the densest box when none is that dense). By default `min_density` is halfway
between the share of all runs with the outcome and 1, so the box always says more than "every
run".

A box is a finding only when it beats the base rate clearly (Bryant and Lempert 2010; Kwakkel
and Jaxa-Rozen 2016): every restriction it makes must be significant (its qp-value, the one-sided
binomial p-value of the density gain of that restriction alone, EMA Workbench's `p_values`, at most
QP_MAX) and its density must exceed the base rate by at least MIN_LIFT of the room above it.
Otherwise the report says that no box is worth reporting.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

#: A restriction is significant when its qp-value is at most this.
QP_MAX = 0.05
#: A box beats the base rate clearly when density - base >= MIN_LIFT x (1 - base).
MIN_LIFT = 0.25


@dataclass(frozen=True)
class PrimResult:
    """The chosen PRIM box and the peeling trajectory it was chosen from, with the base rate and
    whether the box is worth reporting."""

    box: pd.DataFrame  # one row per parameter: low, high, range_low, range_high, restricted, qp, coverage, density
    trajectory: pd.DataFrame  # one row per candidate box: coverage, density, mass, n_restricted, n_runs
    chosen: int  # row of the trajectory
    base_rate: float = float("nan")  # share of all runs with the outcome

    @property
    def worth_reporting(self) -> bool:
        """The box restricts something, every restriction is significant (qp <= QP_MAX) and its
        density beats the base rate by at least MIN_LIFT of the room above it."""
        restricted = self.box.loc[self.box["restricted"]]
        return (len(restricted) > 0 and bool((restricted["qp"] <= QP_MAX).all())
                and self.density - self.base_rate >= MIN_LIFT * (1.0 - self.base_rate) - 1e-12)

    def verdict(self) -> str:
        """One sentence: the box as a finding, or why there is none."""
        head = (f"base rate {self.base_rate:.0%}; box density {self.density:.0%}, coverage {self.coverage:.0%}, "
                f"{int(self.trajectory.loc[self.chosen, 'n_runs'])} runs inside")
        restricted = self.box.loc[self.box["restricted"]]
        qps = ", ".join(f"{r.parameter} qp {r.qp:.2g}" for r in restricted.itertuples()) or "no restriction"
        if self.worth_reporting:
            return f"A box worth reporting: {head} ({qps})."
        return (f"No box is worth reporting: {head} ({qps}); a finding needs every restriction at qp <= "
                f"{QP_MAX:g} and a density at least {MIN_LIFT:.0%} of the way from the base rate to 100%.")

    @property
    def coverage(self) -> float:
        return float(self.trajectory.loc[self.chosen, "coverage"])

    @property
    def density(self) -> float:
        return float(self.trajectory.loc[self.chosen, "density"])


#: What a report says instead of a PRIM box when EMA Workbench is absent (the package's `sweep` extra, sim.extras).
NO_EMA_WORKBENCH = ("PRIM needs EMA Workbench, in the optional 'sweep' extra, which is not installed: "
                    "pip install 'sahel-influence[sweep]' (in a clone: make setup)")


def _prim_module() -> Any:
    """EMA Workbench's PRIM module; a ValueError (NO_EMA_WORKBENCH) when it is not installed."""
    # ema_workbench announces two optional extras it cannot find when imported; nothing else is hidden
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="ipyparallel not installed", category=UserWarning)
        warnings.filterwarnings("ignore", message="altair based interactive inspection", category=ImportWarning)
        try:
            from ema_workbench.analysis import prim
        except ImportError:
            raise ValueError(NO_EMA_WORKBENCH) from None
    return prim


def prim_box(runs: pd.DataFrame, outcome: pd.Series, parameters: Sequence[str] | None = None, *,
             ranges: Mapping[str, Sequence[float]] | None = None, min_density: float | None = None,
             peel_alpha: float = 0.05, paste_alpha: float = 0.05, mass_min: float = 0.05) -> PrimResult:
    """Find the PRIM box of a yes/no outcome over the sweep's parameters.

    runs: the runs table (run and parameter columns); outcome: one bool per run, indexed by run.
    parameters: the columns to box (default: every column except run, point, replicate, seed).
    ranges: the parameters' full ranges for the table (default: the values' min and max).
    min_density: the density the chosen box must reach (default: halfway from the base rate to 1).
    Returns the box (limits, coverage, density) and the peeling trajectory.

    Raises:
        ValueError: the outcome is missing for some runs, or is the same in every run, or EMA
            Workbench is not installed.
    """
    names = list(parameters) if parameters is not None else [
        c for c in runs.columns if c not in ("run", "point", "replicate", "seed")]
    df = runs[["run", *names]].merge(pd.Series(outcome, name="_y"), left_on="run", right_index=True, how="left")
    if df["_y"].isna().any():
        raise ValueError("the outcome is missing for some runs of the sweep")
    y = df["_y"].astype(bool).to_numpy()
    if y.all() or not y.any():
        raise ValueError(f"PRIM needs runs with and without the outcome, but it is {bool(y[0])} in all {len(y)} "
                         f"runs: choose another outcome or widen the parameter ranges")
    x = df[names].astype(float).reset_index(drop=True)
    prim = _prim_module()
    with warnings.catch_warnings():
        # pandas deprecations inside ema_workbench's own code
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"ema_workbench\.")
        warnings.filterwarnings("ignore", category=FutureWarning, module=r"ema_workbench\.")
        finder = prim.Prim(x, y, peel_alpha=peel_alpha, paste_alpha=paste_alpha, mass_min=mass_min)
        found = finder.find_box()
    peel = found.peeling_trajectory.reset_index(drop=True)
    trajectory = pd.DataFrame({"coverage": peel["coverage"].astype(float), "density": peel["density"].astype(float),
                               "mass": peel["mass"].astype(float), "n_restricted": peel["res_dim"].astype(int),
                               "n_runs": peel["n"].astype(int)})
    if min_density is None:
        min_density = (float(y.mean()) + 1.0) / 2
    dense = trajectory.loc[trajectory["density"] >= min_density - 1e-12]
    pool, keys = (dense, ["coverage", "density"]) if len(dense) else (trajectory, ["density", "coverage"])
    chosen = int(pool.sort_values(keys, ascending=False, kind="stable").index[0])
    limits = found.box_lims[chosen]
    initial = found.box_lims[0]
    qp = {n: min((v for v in sides if v >= 0), default=float("nan"))
          for n, sides in found.p_values[chosen].items()}
    full = {n: (float(x[n].min()), float(x[n].max())) for n in names}
    full.update({n: (float(v[0]), float(v[1])) for n, v in (ranges or {}).items() if n in full})
    rows = []
    for n in names:
        lo, hi = float(limits.loc[0, n]), float(limits.loc[1, n])
        # a side PRIM did not peel is open: show it at the full range's end, not the data's extreme
        cut_lo, cut_hi = lo > float(initial.loc[0, n]), hi < float(initial.loc[1, n])
        restricted = cut_lo or cut_hi
        lo, hi = (lo if cut_lo else full[n][0]), (hi if cut_hi else full[n][1])
        rows.append({"parameter": n, "low": lo, "high": hi, "range_low": full[n][0], "range_high": full[n][1],
                     "restricted": restricted, "qp": qp.get(n, float("nan")) if restricted else float("nan")})
    box = pd.DataFrame(rows).assign(coverage=trajectory.loc[chosen, "coverage"],
                                    density=trajectory.loc[chosen, "density"], mass=trajectory.loc[chosen, "mass"])
    return PrimResult(box=box, trajectory=trajectory, chosen=chosen, base_rate=float(y.mean()))


def prim_figure(result: PrimResult, outcome_label: str) -> Figure:
    """Two panels: the box's limits on each parameter against its full range (scaled to 0-1), and
    the coverage/density trade-off of the peeling trajectory with the chosen box marked."""
    box = result.box
    fig = Figure(figsize=(13.0, max(4.8, 2.4 + 0.45 * len(box))), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1.3, 1.0])
    span = (box["range_high"] - box["range_low"]).replace(0, np.nan)
    lo = ((box["low"] - box["range_low"]) / span).fillna(0.0)
    hi = ((box["high"] - box["range_low"]) / span).fillna(1.0)
    y = np.arange(len(box))[::-1]
    left.barh(y, np.ones(len(box)), color="0.9", height=0.6)
    colors = np.where(box["restricted"], "#D55E00", "#999999")
    left.barh(y, hi - lo, left=lo, color=colors, height=0.6)
    for yi, (_, row) in zip(y, box.iterrows(), strict=True):
        left.text(-0.02, yi, f"{row['range_low']:.3g}", ha="right", va="center", fontsize=8)
        left.text(1.02, yi, f"{row['range_high']:.3g}", ha="left", va="center", fontsize=8)
        if row["restricted"]:
            left.text((lo[_] + hi[_]) / 2, yi, f"{row['low']:.3g} to {row['high']:.3g} (qp {row['qp']:.2g})",
                      ha="center", va="center", fontsize=8, color="white", fontweight="bold")
    left.set_yticks(y, box["parameter"])
    left.set_xlim(-0.15, 1.15)
    left.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["low", "25%", "50%", "75%", "high"])
    left.set_xlabel("position within the parameter's full range (0 = low end, 1 = high end)")
    left.set_ylabel("parameter")
    left.set_title(f"PRIM box: coverage {result.coverage:.0%}, density {result.density:.0%} "
                   f"(base rate {result.base_rate:.0%})")
    left.legend(handles=[Patch(color="#D55E00", label="restricted by the box"),
                         Patch(color="#999999", label="not restricted"),
                         Patch(color="0.9", label="full range (labels at the ends)")],
                loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=3, frameon=False, fontsize=8)
    t = result.trajectory
    points = right.scatter(t["coverage"], t["density"], c=t["n_restricted"], cmap="viridis", s=22, zorder=3)
    right.plot(t["coverage"], t["density"], color="0.7", linewidth=0.8, zorder=2)
    right.scatter([result.coverage], [result.density], s=160, facecolors="none", edgecolors="#D55E00",
                  linewidths=2.0, zorder=4)
    right.set_xlabel("coverage (share of the runs with the outcome\nthat lie inside the box, 0-1)")
    right.set_ylabel("density (share of the runs inside\nthe box that have the outcome, 0-1)")
    right.set_title("Peeling trajectory: coverage against density")
    right.axhline(result.base_rate, color="0.4", linestyle="--", linewidth=1.0, zorder=1)
    right.set_xlim(-0.02, 1.02)
    right.set_ylim(-0.02, 1.02)
    right.grid(True, color="0.92", linewidth=0.6)
    right.legend(handles=[Line2D([], [], marker="o", linestyle="none", markerfacecolor="none",
                                markeredgecolor="#D55E00", markeredgewidth=2.0, markersize=11, label="chosen box"),
                          Line2D([], [], marker="o", linestyle="-", color="0.7", markerfacecolor="#21918c",
                                 markeredgecolor="none", label="candidate boxes (peeling order)"),
                          Line2D([], [], linestyle="--", color="0.4", label="base rate (every run)")],
                 loc="lower left", frameon=False, fontsize=8)
    bar = fig.colorbar(points, ax=right, label="parameters restricted by the box (count)")
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    finding = "" if result.worth_reporting else "\n(no box beats the base rate clearly: not a finding)"
    fig.suptitle(f"Scenario discovery (PRIM): which parameter values make it likely that\n{outcome_label}{finding}")
    return fig
