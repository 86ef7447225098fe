"""Global sensitivity of a sweep outcome to its parameters (SALib), from tables only, noise-aware.

The sweep's `runs.parquet` gives each run's point, replicate and parameter values, `sweep.json` the
design's ranges and seeding; an outcome is one number per run (for example Russia's influence share
at the last step). Outcomes are averaged over the seeds of each point before the analysis (the
indices are about the model's expected outcome, not one draw of it). `seed_noise` says how much of
the outcome's variance is seed noise, `sobol_convergence` / `morris_convergence` give the indices
on the first quarter, half and all of the design, and `sobol_indices` clips its intervals to [0, 1]
and flags what is noise (a negative S1, an ST no larger than the noise share). docs/sweeps-analysis.md
explains the choices.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class SeedNoise:
    """How much of an outcome's variance is due to the runs' seeds (NaN when it cannot be told).

    run_share: pooled within-point variance / variance over all runs: the share of a single run's
    variance that is seed noise. mean_share: the estimated noise variance left in the per-point means
    (what the indices are computed on) / their variance across points: the share of the analysed
    variance that is noise, and about what seed noise adds to each total index ST. common_share: with
    common random numbers, the share of the seed noise that is common to every point (the seed's
    main effect, which cancels between points); 0 with independent seeds."""

    seeds_per_point: int
    seeding: str
    run_share: float
    mean_share: float
    common_share: float

    def text(self) -> str:
        """One sentence for a report."""
        if self.seeds_per_point < 2:
            return (
                "Seed noise cannot be measured: each design point has one run. Run the sweep with "
                "sweep.seeds_per_point=2 or more to see how much of the variance is noise."
            )
        crn = (
            f" With common random numbers, {_pct(self.common_share)} of that noise is common to every "
            f"point and cancels between points."
            if self.seeding == "common"
            else ""
        )
        return (
            f"Seed noise: {_pct(self.run_share)} of a single run's variance is due to its seed "
            f"({self.seeds_per_point} seeds per point, {self.seeding} seeds).{crn} In the per-point means "
            f"the indices are computed on, noise is about {_pct(self.mean_share)} of the variance: a total "
            f"index (ST) no larger than that is indistinguishable from noise."
        )


def _pct(x: float) -> str:
    return "?" if not np.isfinite(x) else f"{x:.0%}"


def seed_noise(runs: pd.DataFrame, outcome: pd.Series, seeding: str = "independent") -> SeedNoise:
    """The share of the outcome's variance due to seeds (see SeedNoise), from the runs table (run,
    point, replicate) and the outcome per run; `seeding` is the sweep's (`common` or `independent`,
    sweep.json's "seeding"; sweeps made before it existed used independent seeds)."""
    df = runs[["run", "point", "replicate"]].merge(
        outcome.astype(float).rename("y"), left_on="run", right_index=True, how="left"
    )
    if df["y"].isna().any():
        raise ValueError("the outcome is missing for some runs of the sweep")
    counts = df.groupby("point")["y"].size()
    r = int(counts.min())
    nan = float("nan")
    y = df["y"].to_numpy()
    if r < 2 or len(counts) < 2 or np.ptp(y) == 0:  # one run per point, or a constant outcome
        return SeedNoise(r, seeding, nan, nan, nan)
    means = df.groupby("point")["y"].transform("mean").to_numpy()
    within = float(np.sum((y - means) ** 2) / (len(y) - len(counts)))  # seed variance of one run
    between = float(np.var(df.groupby("point")["y"].mean().to_numpy(), ddof=1))  # variance of the means
    noise, common = within, 0.0  # per run, the noise that differs from point to point
    if seeding == "common" and (counts == r).all():
        # two-way layout points x replicates: the replicate (seed) main effect is shared by every point
        # and cancels between points; the residual (point x seed interaction) is what is left
        table = df.pivot(index="point", columns="replicate", values="y").to_numpy()
        resid = table - table.mean(axis=1, keepdims=True) - table.mean(axis=0, keepdims=True) + table.mean()
        noise = float(np.sum(resid**2) / ((table.shape[0] - 1) * (r - 1)))
        common = float(np.clip(1.0 - noise / within, 0.0, 1.0)) if within > 0 else 0.0
    # variance components: the means' variance is the parameters' part plus noise / r
    signal = max(0.0, between - noise / r)
    run_share = within / (within + signal) if within + signal > 0 else nan
    mean_share = min(noise / r / between, 1.0) if between > 0 else nan
    return SeedNoise(r, seeding, run_share, mean_share, common)


def salib_seed(seed: int) -> int:
    """A nonzero seed for SALib derived from ours: SALib's Sobol analysis treats a seed of 0 as no
    seed and then draws its bootstrap from numpy's global state, so its intervals would change from
    call to call."""
    return int(np.random.SeedSequence(seed).generate_state(1)[0]) or 1


def sobol_indices(
    runs: pd.DataFrame,
    outcome: pd.Series,
    ranges: Mapping[str, Sequence[float]],
    seed: int = 0,
    noise_share: float = float("nan"),
) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol indices with 95% confidence half-widths (SALib's, from
    a bootstrap seeded from `seed`, so the same on every call), from a sweep made with the `sobol`
    design (Saltelli points in their original order), on the outcome's per-point means.

    Indices are shares of variance, so each interval is also given clipped to [0, 1] (S1_low,
    S1_high, ST_low, ST_high); `flags` says when an interval left [0, 1], when S1 < 0 (noise: a
    share cannot be negative) and when ST is no larger than `noise_share` (SeedNoise.mean_share:
    about what seed noise adds to every ST)."""
    return _flag(_sobol(point_means(runs, outcome), ranges, seed), noise_share)


def _sobol(y: np.ndarray, ranges: Mapping[str, Sequence[float]], seed: int) -> pd.DataFrame:
    from SALib.analyze import sobol

    names = list(ranges)
    problem = {"num_vars": len(names), "names": names, "bounds": [list(map(float, ranges[n])) for n in names]}
    if np.ptp(y) == 0:
        raise ValueError(
            "the outcome's per-point means are all equal: no parameter moves it over these seeds "
            "(with common seeds, the seeds alone decide it)"
        )
    if len(y) % (len(names) + 2):
        raise ValueError(
            f"{len(y)} points is not a Saltelli design for {len(names)} parameters "
            f"(expected a multiple of {len(names) + 2}); was the sweep made with design=sobol?"
        )
    res = sobol.analyze(problem, y, calc_second_order=False, seed=salib_seed(seed))
    return pd.DataFrame(
        {"parameter": names, "S1": res["S1"], "S1_conf": res["S1_conf"], "ST": res["ST"], "ST_conf": res["ST_conf"]}
    )


def _flag(indices: pd.DataFrame, noise_share: float) -> pd.DataFrame:
    out = indices.copy()
    flags: list[list[str]] = [[] for _ in range(len(out))]
    for name in ("S1", "ST"):
        low, high = out[name] - out[f"{name}_conf"], out[name] + out[f"{name}_conf"]
        out[f"{name}_low"], out[f"{name}_high"] = low.clip(0.0, 1.0), high.clip(0.0, 1.0)
        for i in np.flatnonzero(((low < 0) | (high > 1)).to_numpy()):
            flags[i].append(f"{name} interval clipped to [0, 1]")
    for i in np.flatnonzero((out["S1"] < 0).to_numpy()):
        flags[i].append("S1 < 0: noise")
    if np.isfinite(noise_share):
        for i in np.flatnonzero((out["ST"] <= noise_share).to_numpy()):
            flags[i].append("ST within seed noise")
    out["flags"] = ["; ".join(f) for f in flags]
    return out


def sobol_convergence(
    runs: pd.DataFrame,
    outcome: pd.Series,
    ranges: Mapping[str, Sequence[float]],
    seed: int = 0,
    fractions: Sequence[float] = (0.25, 0.5, 1.0),
) -> pd.DataFrame:
    """Sobol indices on the first N/4, N/2 and N base samples of the design (each a Saltelli design
    of its own: SALib lays out the points base sample by base sample), one row per (N, parameter):
    intervals that shrink and indices that settle show the design is large enough."""
    y = point_means(runs, outcome)
    block = len(ranges) + 2
    n = len(y) // block
    rows = []
    for f in fractions:
        m = max(int(round(n * f)), 2)
        if m > n or (rows and rows[-1]["N"].iloc[0] == m):
            continue
        part = _sobol(y[: m * block], ranges, seed)
        part.insert(0, "N", m)
        rows.append(part)
    return pd.concat(rows, ignore_index=True)


def convergence_table(convergence: pd.DataFrame, index: str = "ST") -> pd.DataFrame:
    """One row per parameter, one column per N: `index` +- its half-width, as text for a report."""
    conf = f"{index}_conf"
    cells = [f"{v:.2f} +- {c:.2f}" for v, c in zip(convergence[index], convergence[conf], strict=True)]
    wide = convergence.assign(cell=cells).pivot(index="parameter", columns="N", values="cell")
    wide = wide.loc[list(dict.fromkeys(convergence["parameter"]))]
    wide.columns = [f"{index} at N = {n}" for n in wide.columns]
    return wide.reset_index()


def _err(indices: pd.DataFrame, name: str) -> np.ndarray | pd.Series:
    """Error bar lengths: to the clipped limits when known (asymmetric), else the half-widths."""
    if f"{name}_low" not in indices:
        return indices[f"{name}_conf"]
    v = indices[name].to_numpy(dtype=float)
    low = np.minimum(indices[f"{name}_low"].to_numpy(dtype=float), v)
    high = np.maximum(indices[f"{name}_high"].to_numpy(dtype=float), v)
    return np.vstack([v - low, high - v])


def sensitivity_bars(
    indices: pd.DataFrame, outcome_name: str, ax: Axes | None = None, noise_share: float | None = None
) -> Figure:
    """First-order and total Sobol indices per parameter, with confidence bars (clipped to [0, 1]
    when `indices` has the clipped limits of `sobol_indices`), and the seed-noise share as a line
    when given."""
    fig, ax = _new_axes(ax, (8.0, 1.6 + 0.5 * len(indices)))
    y = np.arange(len(indices))
    ax.barh(y - 0.2, indices["S1"], height=0.38, xerr=_err(indices, "S1"), color="#0072B2", label="first order (S1)")
    ax.barh(y + 0.2, indices["ST"], height=0.38, xerr=_err(indices, "ST"), color="#E69F00", label="total (ST)")
    if noise_share is not None and np.isfinite(noise_share):
        ax.axvline(
            noise_share,
            color="#CC79A7",
            linestyle="--",
            linewidth=1.2,
            label=f"seed noise ({noise_share:.0%}): ST below it is noise",
        )
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
        raise ValueError(
            f"the design's parameter jumps ({delta:.3g} of the range) are not those of a Morris "
            f"design over {', '.join(names)}; was the sweep made with design=morris?"
        )
    return int(round(2 * delta / (2 * delta - 1)))


def morris_indices(
    table: pd.DataFrame,
    outcome: pd.Series | np.ndarray,
    spec: Mapping[str, Any],
    seed: int = 0,
    trajectories: int | None = None,
) -> pd.DataFrame:
    """Morris elementary-effects screening (SALib): mu_star (mean absolute effect), its 95%
    bootstrap confidence half-width, mu and sigma (spread of the effects: interactions or
    non-linearity) per parameter, from a sweep made with the `morris` design.

    table: the runs table (run, point and parameter columns; `outcome` indexed by run, averaged
    over the seeds of each point) or a point table (one row per point in design order, parameter
    columns; `outcome` aligned with its rows). spec: the sweep's design (sweep.json): its
    `parameters` give the ranges; the grid levels are read from the design itself. Effects are in
    outcome units per full parameter range. trajectories: use only the first ones (for convergence).
    The bootstrap is seeded (SALib seeds a Generator with `seed`, 0 included). mu* cannot be negative, so
    its interval is also given clipped at 0 (mu_star_low, mu_star_high), and `flags` says when it was.
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
    if trajectories is not None:
        x, y = x[: trajectories * (d + 1)], y[: trajectories * (d + 1)]
    if len(y) != len(x) or len(y) % (d + 1) or len(y) < 2 * (d + 1):
        raise ValueError(
            f"{len(y)} points is not a Morris design for {d} parameters (expected at least two "
            f"trajectories of {d + 1} points); was the sweep made with design=morris?"
        )
    lo = np.array([ranges[n][0] for n in names])
    hi = np.array([ranges[n][1] for n in names])
    levels = _morris_levels((x - lo) / (hi - lo), names)
    problem = {"num_vars": d, "names": names, "bounds": [ranges[n] for n in names]}
    res = morris.analyze(problem, x, y.astype(float), num_levels=levels, seed=seed)
    out = pd.DataFrame(
        {
            "parameter": names,
            "mu_star": np.asarray(res["mu_star"], dtype=float),
            "mu_star_conf": np.asarray(res["mu_star_conf"], dtype=float),
            "mu": np.asarray(res["mu"], dtype=float),
            "sigma": np.asarray(res["sigma"], dtype=float),
        }
    )
    # mu* is a mean size of effects, never negative: its interval is also given clipped at 0, and flagged
    low = out["mu_star"] - out["mu_star_conf"]
    out["mu_star_low"], out["mu_star_high"] = low.clip(lower=0.0), out["mu_star"] + out["mu_star_conf"]
    out["flags"] = np.where(low < 0, "mu_star interval clipped at 0", "")
    return out


def morris_convergence(
    table: pd.DataFrame,
    outcome: pd.Series | np.ndarray,
    spec: Mapping[str, Any],
    seed: int = 0,
    fractions: Sequence[float] = (0.25, 0.5, 1.0),
) -> pd.DataFrame:
    """Morris indices on the first N/4, N/2 and N trajectories (at least 2), one row per (N, parameter)."""
    d = len(dict(spec["parameters"]))
    points = table["point"].nunique() if "run" in table.columns else len(table)
    n = points // (d + 1)
    rows, seen = [], set()
    for f in fractions:
        m = max(int(round(n * f)), 2)
        if m > n or m in seen:
            continue
        seen.add(m)
        part = morris_indices(table, outcome, spec, seed=seed, trajectories=m)
        part.insert(0, "N", m)
        rows.append(part)
    return pd.concat(rows, ignore_index=True)


def morris_bars(
    indices: pd.DataFrame, outcome_name: str, unit: str = "outcome units", ax: Axes | None = None
) -> Figure:
    """Morris mu_star per parameter (with 95% confidence bars, clipped at 0 when `indices` has the clipped
    limits of `morris_indices`) beside sigma, most influential on top."""
    order = indices.sort_values("mu_star", ascending=True).reset_index(drop=True)
    fig, ax = _new_axes(ax, (8.0, 1.6 + 0.5 * len(order)))
    y = np.arange(len(order))
    ax.barh(
        y + 0.2,
        order["mu_star"],
        height=0.38,
        xerr=_err(order, "mu_star"),
        color="#0072B2",
        label="mean |elementary effect| (mu*)",
    )
    ax.barh(y - 0.2, order["sigma"], height=0.38, color="#E69F00", label="spread of effects (sigma)")
    ax.set_yticks(y, order["parameter"])
    ax.set_xlabel(f"elementary effect ({unit}, per full parameter range)")
    ax.set_ylabel("parameter")
    ax.set_title(f"What drives {outcome_name}?\nMorris screening: mu* with 95% confidence intervals, and sigma")
    ax.axvline(0.0, color="0.5", linewidth=0.8)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, frameon=False)
    return fig
