"""Metrics over many runs (a sweep or an ensemble): quantile bands and event probabilities.

Functions take the long tables of the output contract (any number of runs) and return tidy
DataFrames; they never touch a model.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sim.core.vocabulary import EVENT_TYPES

BANDS: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)


def quantile_bands(df: pd.DataFrame, value: str, by: Sequence[str] = ("date", "power"),
                   quantiles: Sequence[float] = BANDS) -> pd.DataFrame:
    """Quantiles of `value` across runs for each group of `by` (e.g. each date and power).

    Returns one row per group with columns q05, q25, q50, q75, q95 (names from the quantiles)
    and n_runs. The 5-95 and 25-75 bands are the 90% and 50% bands of a fan chart.
    """
    grouped = df.groupby(list(by), sort=True)[value]
    out = grouped.quantile(list(quantiles)).unstack()
    out.columns = [f"q{round(q * 100):02d}" for q in quantiles]
    out["n_runs"] = df.groupby(list(by), sort=True)["run"].nunique()
    return out.reset_index()


def event_probability(events: pd.DataFrame, n_runs: int, horizons: Sequence[int] = (12, 24, 36),
                      by_power: bool = False) -> pd.DataFrame:
    """Probability that each event type happens at least once in each state within each horizon.

    The probability is the share of the `n_runs` runs with at least one such event at a step
    <= horizon (months after the start). With by_power, events are also split by power. Returns
    columns state, type, [power,] horizon, n_runs_with_event, probability.
    """
    if n_runs < 1:
        raise ValueError("n_runs must be at least 1")
    keys = ["state", "type"] + (["power"] if by_power else [])
    rows = []
    for horizon in horizons:
        within = events.loc[events["step"] <= horizon]
        hits = within.groupby(keys)["run"].nunique().rename("n_runs_with_event").reset_index()
        hits["horizon"] = horizon
        rows.append(hits)
    cols = [*keys, "horizon", "n_runs_with_event"]
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=cols)
    out["probability"] = out["n_runs_with_event"] / n_runs
    order = {t: i for i, t in enumerate(EVENT_TYPES)}
    out = out.assign(_t=out["type"].map(order)).sort_values(["horizon", "state", "_t"]).drop(columns="_t")
    return out[[*cols, "probability"]].reset_index(drop=True)
