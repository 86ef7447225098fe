"""Metrics over many runs (a sweep or an ensemble): quantile bands and event probabilities.

Functions take the long tables of the output contract (any number of runs) and return tidy
DataFrames; they never touch a model.

Event probabilities carry 95% Wilson score intervals (Wilson 1927; Brown, Cai and DasGupta 2001
recommend it over the normal approximation, which gives intervals outside 0-1 near 0% and 100%).
Scripted events (a scenario's facts, imposed on every run) are inputs, not results: they are
counted apart (`scripted_runs`) and left out of the probability.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.core.vocabulary import EVENT_TYPES

BANDS: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)
#: z of a two-sided 95% interval.
Z95 = 1.959963984540054


def wilson_interval(
    k: np.ndarray | pd.Series | int, n: np.ndarray | pd.Series | int, z: float = Z95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval (low, high) of a proportion k / n; (0, 1) where n is 0."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low, high = np.where(n > 0, centre - half, 0.0), np.where(n > 0, centre + half, 1.0)
    return np.clip(low, 0.0, 1.0), np.clip(high, 0.0, 1.0)


def factor_levels(runs: pd.DataFrame, factor: str, n_levels: int = 3) -> pd.Series:
    """A label per run for the level of one swept factor: its value when it takes at most
    `n_levels` values (a grid), else the tercile (or n_levels-quantile) of the runs it falls in,
    named by its range; indexed by run, an ordered categorical."""
    values = runs.set_index("run")[factor].astype(float)
    distinct = np.unique(values)
    if len(distinct) <= n_levels:
        labels = [f"{factor} = {v:.3g}" for v in distinct]
        out = values.map(dict(zip(distinct, labels, strict=True)))
    else:
        bins = pd.qcut(values, n_levels, duplicates="drop")
        names = {c: f"{factor} {c.left:.3g} to {c.right:.3g}" for c in bins.cat.categories}
        labels = list(names.values())
        out = bins.map(names)
    return pd.Series(pd.Categorical(out, categories=labels, ordered=True), index=values.index, name="level")


def quantile_bands(
    df: pd.DataFrame, value: str, by: Sequence[str] = ("date", "power"), quantiles: Sequence[float] = BANDS
) -> pd.DataFrame:
    """Quantiles of `value` across runs for each group of `by` (e.g. each date and power).

    Returns one row per group with columns q05, q25, q50, q75, q95 (names from the quantiles)
    and n_runs. The 5-95 and 25-75 bands are the 90% and 50% bands of a fan chart.
    """
    grouped = df.groupby(list(by), sort=True, observed=True)[value]  # codes may be categorical
    out = grouped.quantile(list(quantiles)).unstack()
    out.columns = [f"q{round(q * 100):02d}" for q in quantiles]
    out["n_runs"] = df.groupby(list(by), sort=True, observed=True)["run"].nunique()
    return out.reset_index()


def event_probability(
    events: pd.DataFrame, n_runs: int, horizons: Sequence[int] = (12, 24, 36), by_power: bool = False
) -> pd.DataFrame:
    """Probability that each event type happens at least once in each state within each horizon.

    The probability is the share of the `n_runs` runs with at least one such event at a step
    <= horizon (months after the start), with its 95% Wilson interval (low, high). With by_power,
    events are also split by power. When events has a `scripted` column, scripted events are not
    results: they are left out of the probability and counted in `scripted_runs` (runs with one).
    Returns columns state, type, [power,] horizon, n_runs_with_event, probability, low, high,
    scripted_runs.
    """
    if n_runs < 1:
        raise ValueError("n_runs must be at least 1")
    keys = ["state", "type"] + (["power"] if by_power else [])
    scripted = events["scripted"].astype(bool) if "scripted" in events.columns else pd.Series(False, events.index)
    rows = []
    for horizon in horizons:
        within = events["step"] <= horizon
        hits = events.loc[within & ~scripted].groupby(keys, observed=True)["run"].nunique().rename("n_runs_with_event")
        inputs = events.loc[within & scripted].groupby(keys, observed=True)["run"].nunique().rename("scripted_runs")
        both = pd.concat([hits, inputs], axis=1).fillna(0).astype("int64").reset_index()
        both["horizon"] = horizon
        rows.append(both)
    cols = [*keys, "horizon", "n_runs_with_event"]
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=[*cols, "scripted_runs"])
    out["probability"] = out["n_runs_with_event"] / n_runs
    out["low"], out["high"] = wilson_interval(out["n_runs_with_event"].to_numpy(), n_runs)
    order = {t: i for i, t in enumerate(EVENT_TYPES)}
    out = out.assign(_t=out["type"].map(order)).sort_values(["horizon", "state", "_t"]).drop(columns="_t")
    return out[[*cols, "probability", "low", "high", "scripted_runs"]].reset_index(drop=True)
