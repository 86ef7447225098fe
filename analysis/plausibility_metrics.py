"""Metrics of the plausibility battery (`python -m sim.plausibility`, docs/validation.md): numbers
a specialist can check against the literature, computed from an ensemble's tables.

Every metric takes an `EnsembleTables` (the states, ties and events tables of R runs, one row per
run and month as the batched driver records them) and keyword arguments from the facts file
(conf/plausibility/facts.yaml), and returns a `MetricValue`: the number, a short detail (which
state is worst, the per-state values) or the reason it does not apply (an event type the
vocabulary does not have yet). Pure data functions: no model, no randomness.

Per-state metrics take `states` (a list of codes) and an `aggregate`: "max" (the worst state for
a ceiling), "min" (the worst state for a floor) or "mean".
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.core.vocabulary import EVENT_TYPES

MONTHS_PER_YEAR = 12
AGGREGATES = ("max", "min", "mean")


@dataclass(frozen=True)
class EnsembleTables:
    """One ensemble: `runs` runs of `months` months over the states `state_codes`.

    states: run, step, state, regime, leading_partner (one row per run, month and state, month 0 included);
    ties: run, step, state, power, troops, affinity (one row per run, month, state and power);
    events: run, step, type, state, power, bloc ('' where an event names none).
    """

    states: pd.DataFrame
    ties: pd.DataFrame
    events: pd.DataFrame
    runs: int
    months: int
    state_codes: tuple[str, ...]


@dataclass(frozen=True)
class MetricValue:
    """A metric's number (NaN when it does not apply), a detail in words, and why it does not apply."""

    value: float
    detail: str = ""
    not_applicable: str = ""


def not_applicable(reason: str) -> MetricValue:
    """A metric that cannot be computed on this model, with the reason."""
    return MetricValue(math.nan, "", reason)


def _aggregate(per_state: pd.Series, aggregate: str, fmt: str = "{:.3f}") -> MetricValue:
    """The max, min or mean of per-state values, the detail naming each state (worst first)."""
    if aggregate not in AGGREGATES:
        raise ValueError(f"aggregate must be one of {AGGREGATES}, got {aggregate!r}")
    ordered = per_state.sort_values(ascending=aggregate == "min")
    detail = ", ".join(f"{s} {fmt.format(v)}" for s, v in ordered.items())
    value = {"max": per_state.max, "min": per_state.min, "mean": per_state.mean}[aggregate]()
    return MetricValue(float(value), detail)


def _check_months(tables: EnsembleTables, month: int) -> None:
    if not 0 <= month <= tables.months:
        raise ValueError(f"month {month} is outside the ensemble's months 0..{tables.months}")


def _events(
    tables: EnsembleTables,
    event_type: str,
    by_month: int | None = None,
    power: str | None = None,
    bloc: str | None = None,
) -> pd.DataFrame:
    ev = tables.events
    keep = ev["type"] == event_type
    if by_month is not None:
        keep &= ev["step"] <= by_month
    if power is not None:
        keep &= ev["power"] == power
    if bloc is not None:
        keep &= ev["bloc"] == bloc
    return ev.loc[keep]


def _at_month(frame: pd.DataFrame, month: int) -> pd.DataFrame:
    return frame.loc[frame["step"] == month]


def coups_per_100_state_years(tables: EnsembleTables, states: Sequence[str] | None = None) -> MetricValue:
    """Successful coups per 100 state-years over the ensemble's months (all states, or `states`)."""
    codes = list(states) if states else list(tables.state_codes)
    coups = _events(tables, "coup")
    n = int(coups["state"].isin(codes).sum())
    state_years = tables.runs * len(codes) * tables.months / MONTHS_PER_YEAR
    return MetricValue(100.0 * n / state_years, f"{n} coups in {state_years:,.0f} state-years")


def coups_per_state_month(
    tables: EnsembleTables, states: Sequence[str] | None = None, aggregate: str = "max"
) -> MetricValue:
    """Successful coups per state-month in percent, per state (coups / (runs x months)), aggregated."""
    codes = list(states) if states else list(tables.state_codes)
    counts = _events(tables, "coup")["state"].value_counts().reindex(codes, fill_value=0)
    return _aggregate(100.0 * counts / (tables.runs * tables.months), aggregate, "{:.2f}%")


def share_of_runs_with_event(
    tables: EnsembleTables,
    type: str,
    states: Sequence[str],
    by_month: int,  # noqa: A002
    power: str | None = None,
    bloc: str | None = None,
    aggregate: str = "max",
) -> MetricValue:
    """Per state, the share of runs in which an event of `type` (with `power` or `bloc` if given)
    happens at least once by month `by_month`; aggregated over `states`. Not applicable when the
    vocabulary has no such event type."""
    if type not in EVENT_TYPES:
        return not_applicable(f"event type {type!r} missing from the vocabulary")
    _check_months(tables, by_month)
    ev = _events(tables, type, by_month, power, bloc)
    hit = ev.loc[ev["state"].isin(states)].groupby("state")["run"].nunique()
    return _aggregate(hit.reindex(list(states), fill_value=0) / tables.runs, aggregate)


def share_of_runs_with_more_than(
    tables: EnsembleTables,
    type: str,
    count: int,  # noqa: A002
    by_month: int | None = None,
) -> MetricValue:
    """Share of runs in which no state has more than `count` events of `type` by `by_month` (default: the end)."""
    if type not in EVENT_TYPES:
        return not_applicable(f"event type {type!r} missing from the vocabulary")
    ev = _events(tables, type, by_month)
    per = ev.groupby(["run", "state"]).size()
    bad = per.loc[per > count].index.get_level_values("run").unique()
    worst = int(per.max()) if len(per) else 0
    return MetricValue(
        1.0 - len(bad) / tables.runs, f"{len(bad)} runs with a state above {count}; most in one state and run: {worst}"
    )


def ratio_of_event_counts(tables: EnsembleTables, reference: EnsembleTables, type: str) -> MetricValue:  # noqa: A002
    """Events of `type` per run-month in this ensemble over the same in the reference ensemble."""
    if type not in EVENT_TYPES:
        return not_applicable(f"event type {type!r} missing from the vocabulary")
    rate = lambda t: len(_events(t, type)) / (t.runs * t.months)  # noqa: E731
    mine, ref = rate(tables), rate(reference)
    if ref == 0:
        return not_applicable(f"no {type} event in the reference ensemble")
    return MetricValue(mine / ref, f"{mine:.4f} against {ref:.4f} per run-month")


def juntas_at_month(tables: EnsembleTables, month: int, statistic: str = "mean") -> MetricValue:
    """Number of states under a junta at `month`: its mean over runs, or its max ("max"), or the
    share of runs in which every state is a junta ("share_all")."""
    _check_months(tables, month)
    st = _at_month(tables.states, month)
    per_run = (st["regime"] == "junta").groupby(st["run"]).sum()
    if statistic == "mean":
        value = float(per_run.mean())
    elif statistic == "max":
        value = float(per_run.max())
    elif statistic == "share_all":
        value = float((per_run == len(tables.state_codes)).sum() / tables.runs)
    else:
        raise ValueError(f"statistic must be 'mean', 'max' or 'share_all', got {statistic!r}")
    q = per_run.quantile([0.05, 0.5, 0.95])
    return MetricValue(value, f"5%/50%/95% of runs: {q.iloc[0]:.0f}/{q.iloc[1]:.0f}/{q.iloc[2]:.0f}")


def share_of_runs_with_regime(
    tables: EnsembleTables, states: Sequence[str], regime: str, month: int, aggregate: str = "min"
) -> MetricValue:
    """Per state, the share of runs in which it is under `regime` ('civilian' or 'junta') at `month`."""
    _check_months(tables, month)
    st = _at_month(tables.states, month)
    st = st.loc[st["state"].isin(states)]
    hits = (st["regime"] == regime).groupby(st["state"], observed=True).sum()
    share = hits.reindex(list(states), fill_value=0) / tables.runs
    return _aggregate(share, aggregate)


def share_of_runs_led_by(
    tables: EnsembleTables, states: Sequence[str], power: str, month: int, aggregate: str = "min"
) -> MetricValue:
    """Per state, the share of runs in which `power` is its leading partner at `month`."""
    _check_months(tables, month)
    st = _at_month(tables.states, month)
    st = st.loc[st["state"].isin(states)]
    led = (st["leading_partner"] == power).groupby(st["state"], observed=True).sum().reindex(list(states), fill_value=0)
    return _aggregate(led / tables.runs, aggregate)


def states_led_by(tables: EnsembleTables, power: str, month: int) -> MetricValue:
    """Mean number of states (over runs) whose leading partner at `month` is `power`."""
    _check_months(tables, month)
    st = _at_month(tables.states, month)
    per_run = (st["leading_partner"] == power).groupby(st["run"]).sum()
    return MetricValue(float(per_run.mean()), f"most in one run: {int(per_run.max())}")


def states_led_in_security(tables: EnsembleTables, power: str, month: int) -> MetricValue:
    """Mean number of states (over runs) in which `power` has more troops than any other power at
    `month` (its leading security partner; a state with no foreign troops has none)."""
    _check_months(tables, month)
    ti = _at_month(tables.ties, month)
    ti = ti.loc[ti["troops"] > 0]
    top = ti.loc[ti.groupby(["run", "state"], observed=True)["troops"].idxmax()]
    per_run = (top["power"] == power).groupby(top["run"]).sum()
    total = float(per_run.sum()) / tables.runs
    return MetricValue(total, f"most in one run: {int(per_run.max()) if len(per_run) else 0}")


def share_of_runs_with_troops(
    tables: EnsembleTables,
    states: Sequence[str],
    power: str,
    month: int,
    min_troops: float = 1.0,
    aggregate: str = "min",
) -> MetricValue:
    """Per state, the share of runs in which `power` has at least `min_troops` troops there at `month`."""
    _check_months(tables, month)
    ti = _at_month(tables.ties, month)
    ti = ti.loc[ti["state"].isin(states) & (ti["power"] == power)]
    present = (ti["troops"] >= min_troops).groupby(ti["state"], observed=True).sum().reindex(list(states), fill_value=0)
    return _aggregate(present / tables.runs, aggregate)


def share_of_states_disliking(tables: EnsembleTables, power: str, month: int, threshold: float = 0.0) -> MetricValue:
    """Share of states whose affinity to `power` is below `threshold` at `month`, averaged over runs."""
    _check_months(tables, month)
    ti = _at_month(tables.ties, month)
    ti = ti.loc[ti["power"] == power]
    per_run = (ti["affinity"] < threshold).groupby(ti["run"]).mean()
    return MetricValue(float(per_run.mean()), f"most in one run: {per_run.max():.0%} of states")


def most_states_led(tables: EnsembleTables, month: int) -> MetricValue:
    """The largest mean number of states (over runs) that any one power leads at `month`: how far one
    power dominates the region."""
    _check_months(tables, month)
    st = _at_month(tables.states, month)
    st = st.loc[st["leading_partner"].astype(str) != ""]
    per_power = st.groupby("leading_partner", observed=True).size() / tables.runs
    if per_power.empty:
        return MetricValue(0.0, "no state has a leading partner")
    top = per_power.idxmax()
    return MetricValue(
        float(per_power.max()),
        f"{top}; " + ", ".join(f"{p} {v:.1f}" for p, v in per_power.sort_values(ascending=False).items()),
    )


def share_of_runs_power_leads_any(tables: EnsembleTables, power: str, month: int) -> MetricValue:
    """Share of runs in which `power` is the leading partner of at least one state at `month`."""
    _check_months(tables, month)
    st = _at_month(tables.states, month)
    runs = st.loc[st["leading_partner"] == power, "run"].nunique()
    return MetricValue(runs / tables.runs, f"{runs} of {tables.runs} runs")


def partners_per_state(tables: EnsembleTables, month: int, threshold: float = 0.25) -> MetricValue:
    """Mean number of powers whose affinity exceeds `threshold` per state at `month` (hedging: several
    partners at once), over states and runs."""
    _check_months(tables, month)
    ti = _at_month(tables.ties, month)
    per_state = (ti["affinity"] > threshold).groupby([ti["run"], ti["state"]], observed=True).sum()
    return MetricValue(float(per_state.mean()), f"states with two or more: {(per_state >= 2).mean():.0%}")


def events_per_run(
    tables: EnsembleTables, types: Sequence[str], by_month: int, powers: Sequence[str] | None = None
) -> MetricValue:
    """Mean number of events of the given types per run up to `by_month` (of the given powers, if any)."""
    missing = [t for t in types if t not in EVENT_TYPES]
    if missing:
        return not_applicable(f"event types {', '.join(missing)} are not in the model's vocabulary")
    _check_months(tables, by_month)
    ev = tables.events
    ev = ev.loc[ev["type"].isin(types) & (ev["step"] <= by_month)]
    if powers is not None:
        ev = ev.loc[ev["power"].isin(powers)]
    counts = ev.groupby("type").size()
    return MetricValue(len(ev) / tables.runs, ", ".join(f"{t} {counts.get(t, 0) / tables.runs:.2f}" for t in types))


def share_of_new_juntas_led_by(
    tables: EnsembleTables, power: str, after_months: int, coups_by: int, turned_only: bool = False
) -> MetricValue:
    """Of the coups against civilian governments up to month `coups_by`, the share whose state has `power`
    as its leading partner `after_months` later (the new junta's choice of partner). With `turned_only`,
    only states whose leading partner the month before the coup was not `power`: a junta that turned to
    it, not one that kept it."""
    _check_months(tables, coups_by + after_months)
    ev = tables.events
    coups = ev.loc[(ev["type"] == "coup") & (ev["step"] <= coups_by), ["run", "step", "state"]]
    if coups.empty:
        return not_applicable("no coup in the window")
    st = tables.states[["run", "step", "state", "regime", "leading_partner"]]
    before = coups.assign(step=coups["step"] - 1).merge(st, on=["run", "step", "state"])
    civilian = before["regime"].astype(str) == "civilian"
    if turned_only:
        civilian &= before["leading_partner"].astype(str) != power
    new = before.loc[civilian, ["run", "step", "state"]]
    if new.empty:
        return not_applicable("no coup against a civilian government in the window")
    later = new.assign(step=new["step"] + 1 + after_months).merge(st, on=["run", "step", "state"])
    share = float((later["leading_partner"] == power).mean())
    led = f" not led by {power} before" if turned_only else ""
    return MetricValue(share, f"{len(later)} coups against civilian governments{led}")


#: The metrics the facts file may name.
METRICS: dict[str, Callable[..., MetricValue]] = {
    f.__name__: f
    for f in (
        coups_per_100_state_years,
        coups_per_state_month,
        share_of_runs_with_event,
        share_of_runs_with_more_than,
        ratio_of_event_counts,
        juntas_at_month,
        share_of_runs_with_regime,
        share_of_runs_led_by,
        states_led_by,
        states_led_in_security,
        share_of_runs_with_troops,
        share_of_states_disliking,
        most_states_led,
        share_of_runs_power_leads_any,
        partners_per_state,
        events_per_run,
        share_of_new_juntas_led_by,
    )
}
#: Metrics that compare the ensemble with a reference ensemble (the baseline): they take `reference`.
NEEDS_REFERENCE: frozenset[str] = frozenset({"ratio_of_event_counts"})


def metric_arguments(name: str) -> tuple[set[str], set[str]]:
    """The (required, optional) keyword arguments a metric takes from the facts file."""
    params = list(inspect.signature(METRICS[name]).parameters.values())[1:]
    params = [p for p in params if p.name != "reference"]
    return (
        {p.name for p in params if p.default is inspect.Parameter.empty},
        {p.name for p in params if p.default is not inspect.Parameter.empty},
    )


def evaluate(name: str, tables: EnsembleTables, args: dict, reference: EnsembleTables | None = None) -> MetricValue:
    """Metric `name` on `tables` with the facts file's `args` (and the reference ensemble if it needs one)."""
    function = METRICS[name]
    if name in NEEDS_REFERENCE:
        if reference is None:
            return not_applicable("needs the baseline ensemble, which was not run")
        return function(tables, reference, **args)
    return function(tables, **args)


def verdict(value: MetricValue, low: float | None, high: float | None) -> str:
    """'pass' when the value lies in [low, high] (either bound may be None), 'fail' otherwise, 'n/a'
    when the metric does not apply."""
    if value.not_applicable or np.isnan(value.value):
        return "n/a"
    ok = (low is None or value.value >= low) and (high is None or value.value <= high)
    return "pass" if ok else "fail"
