"""Summary metrics computed from a run's output tables (pure pandas/numpy, no plotting).

Every function takes the long tables a run writes (`states`, `ties`, `events`; see the module
docstring of `analysis.plots` for the columns used) and returns new DataFrames; inputs are never
modified. Tables from a sweep carry several `run` values and every metric is computed per run.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.colors import canonical_power, ordered_powers
from sim.core.vocabulary import EVENT_TYPES

_STEP_KEYS = ["run", "step"]


def month_to_timestamp(dates: pd.Series | list[str]) -> pd.Series:
    """Convert 'YYYY-MM' strings to timestamps on the first day of the month."""
    return pd.Series(pd.to_datetime(pd.Series(dates, dtype=object), format="%Y-%m"))


def resolve_run(df: pd.DataFrame, run: int | None = None) -> int:
    """Return `run` if the table has it, or the first (smallest) run when `run` is None.

    Raises:
        ValueError: the table is empty, or has no row for the requested run.
    """
    if df.empty:
        raise ValueError("table is empty: no run to select")
    runs = pd.unique(df["run"])
    if run is None:
        return int(np.min(runs))
    if run not in set(runs.tolist()):
        raise ValueError(f"run {run} not in table (runs: {sorted(runs.tolist())[:10]})")
    return int(run)


def select_run(df: pd.DataFrame, run: int | None = None) -> pd.DataFrame:
    """Return the rows of one run (the first run when `run` is None); see `resolve_run`."""
    chosen = resolve_run(df, run)
    return df.loc[df["run"] == chosen]


def _power_rank(codes: pd.Series) -> pd.Series:
    """Sort key placing powers in the fixed POWER_ORDER (unknown codes after, 'none' last)."""
    order = ordered_powers(codes.unique().tolist())
    return codes.map({code: i for i, code in enumerate(order)}).fillna(len(order))


def influence_share(ties: pd.DataFrame, states: pd.DataFrame) -> pd.DataFrame:
    """Each power's population-weighted share of positive affinity, per run and step.

    share(p) = sum_s pop_s * max(affinity_sp, 0) / sum_s sum_q pop_s * max(affinity_sq, 0),
    with share = 0 for every power at a step where the denominator is 0 (no state has a positive
    affinity to anyone). Shares at a step therefore sum to 1, or to 0 in that degenerate case.

    Args:
        ties: columns run, step, date, state, power, affinity.
        states: columns run, step, state, population_m (one row per run, step and state).

    Returns:
        DataFrame with columns run, step, date, power, share, sorted by run, step and power order.

    Raises:
        ValueError: a tie has no matching state row (so no population to weight it with).
    """
    population = states[["run", "step", "state", "population_m"]]
    merged = ties[["run", "step", "date", "state", "power", "affinity"]].merge(
        population, on=["run", "step", "state"], how="left", validate="many_to_one"
    )
    missing = merged["population_m"].isna()
    if missing.any():
        example = merged.loc[missing, ["run", "step", "state"]].iloc[0].to_dict()
        raise ValueError(f"{int(missing.sum())} ties have no population in states, e.g. {example}")

    merged["weight"] = merged["population_m"] * merged["affinity"].clip(lower=0.0)
    numerator = merged.groupby(["run", "step", "date", "power"], as_index=False, sort=False)["weight"].sum()
    denominator = numerator.groupby(_STEP_KEYS)["weight"].transform("sum").to_numpy()
    weight = numerator["weight"].to_numpy()
    share = np.divide(weight, denominator, out=np.zeros_like(weight, dtype=float), where=denominator > 0)
    out = numerator.drop(columns="weight").assign(share=share)
    out = out.assign(_rank=_power_rank(out["power"])).sort_values(["run", "step", "_rank"])
    return out.drop(columns="_rank").reset_index(drop=True)


def leading_partner_counts(states: pd.DataFrame) -> pd.DataFrame:
    """Number of states whose leading partner is each power, per run and step.

    Every partner seen anywhere in the table appears at every step (count 0 where absent);
    '' is read as 'none'.

    Returns:
        DataFrame with columns run, step, date, leading_partner, n_states.
    """
    partner = pd.Series([canonical_power(p) for p in states["leading_partner"]], index=states.index, dtype=object)
    counts = pd.crosstab(
        index=[states["run"], states["step"], states["date"]], columns=partner.rename("leading_partner")
    )
    counts = counts.reindex(columns=ordered_powers(counts.columns.tolist()), fill_value=0)
    counts.columns.name = None
    out = counts.reset_index().melt(id_vars=["run", "step", "date"], var_name="leading_partner", value_name="n_states")
    out["n_states"] = out["n_states"].astype(int)
    out = out.assign(_rank=_power_rank(out["leading_partner"])).sort_values(["run", "step", "_rank"])
    return out.drop(columns="_rank").reset_index(drop=True)


def final_summary(
    states: pd.DataFrame, ties: pd.DataFrame, events: pd.DataFrame, run: int | None = None
) -> dict[str, Any]:
    """What changed between the first and last step of one run (the first run when `run` is None).

    Returns:
        A dict with
        - ``run``, ``start_date``, ``end_date``, ``n_steps``;
        - ``states``: DataFrame indexed by state with name, regime_start, regime_end,
          regime_changed, leading_partner_start, leading_partner_end, partner_changed, n_coups;
        - ``event_counts``: Series of event counts indexed by type (every type of the event catalogue,
          zeros included, then any other type seen), named ``n_events``;
        - ``influence_share``: DataFrame indexed by power with columns start and end;
        - ``hedging``: mean partners per state (the states table's `partners`) and the number of states
          with two or more, at the start and the end (mean_start, mean_end, several_start, several_end); None
          for tables without the `partners` column.
    """
    chosen = resolve_run(states, run)
    st = states.loc[states["run"] == chosen]
    first_step, last_step = int(st["step"].min()), int(st["step"].max())
    start = st.loc[st["step"] == first_step].set_index("state")
    end = st.loc[st["step"] == last_step].set_index("state")

    ev = events.loc[events["run"] == chosen] if not events.empty else events
    coups = ev.loc[ev["type"] == "coup", "state"].value_counts()

    per_state = pd.DataFrame(
        {
            "name": start["name"],
            "regime_start": start["regime"],
            "regime_end": end["regime"].reindex(start.index),
            "leading_partner_start": start["leading_partner"],
            "leading_partner_end": end["leading_partner"].reindex(start.index),
        }
    )
    per_state["regime_changed"] = per_state["regime_start"] != per_state["regime_end"]
    per_state["partner_changed"] = per_state["leading_partner_start"] != per_state["leading_partner_end"]
    per_state["n_coups"] = coups.reindex(per_state.index, fill_value=0).astype(int).to_numpy()
    hedging = (
        {
            "mean_start": float(start["partners"].mean()),
            "mean_end": float(end["partners"].mean()),
            "several_start": int((start["partners"] >= 2).sum()),
            "several_end": int((end["partners"] >= 2).sum()),
        }
        if "partners" in st.columns
        else None
    )  # tables written before the column existed
    per_state = per_state[
        [
            "name",
            "regime_start",
            "regime_end",
            "regime_changed",
            "leading_partner_start",
            "leading_partner_end",
            "partner_changed",
            "n_coups",
        ]
    ].sort_index()

    observed = ev["type"].value_counts() if not ev.empty else pd.Series(dtype=int)
    types = list(EVENT_TYPES) + sorted(set(observed.index) - set(EVENT_TYPES))
    event_counts = observed.reindex(types, fill_value=0).astype(int).rename("n_events")
    event_counts.index.name = "type"

    shares = influence_share(ties.loc[ties["run"] == chosen], st)
    share_table = pd.DataFrame(
        {
            "start": shares.loc[shares["step"] == first_step].set_index("power")["share"],
            "end": shares.loc[shares["step"] == last_step].set_index("power")["share"],
        }
    )
    share_table = share_table.reindex(ordered_powers(share_table.index.tolist()))

    return {
        "run": chosen,
        "start_date": str(start["date"].iloc[0]),
        "end_date": str(end["date"].iloc[0]),
        "n_steps": last_step - first_step,
        "states": per_state,
        "event_counts": event_counts,
        "influence_share": share_table,
        "hedging": hedging,
    }
