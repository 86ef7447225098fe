"""The plausibility battery's ensembles and checks (docs/validation.md, "Plausibility battery"):
run an ensemble keeping what the metrics read, check it against the facts, and compare two
parameter sets fact by fact. Used by `python -m sim.plausibility` and by `python -m sim.calibrate`
(the fitted set may not be less plausible than the defaults)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.plausibility_facts import BASELINE, Fact, check_codes
from analysis.plausibility_metrics import NEEDS_REFERENCE, EnsembleTables, MetricValue, evaluate, verdict
from sim.config import CONF_DIR
from sim.core.params import Config
from sim.core.world import World
from sim.designs import run_seed
from sim.ensemble import run_batch

DEFAULT_FACTS = CONF_DIR / "plausibility" / "facts.yaml"
EXIT_FAILED = 1
_STATE_COLS = ["run", "step", "state", "regime", "leading_partner"]
_TIE_COLS = ["run", "step", "state", "power", "troops", "affinity"]
_EVENT_COLS = ["run", "step", "type", "state", "power", "bloc"]
COLUMNS = [
    "ensemble",
    "fact",
    "title",
    "metric",
    "expected",
    "low",
    "high",
    "value",
    "result",
    "detail",
    "tolerance",
    "source",
    "as_of",
]


def experiment_names() -> list[str]:
    """The experiments of conf/experiment/, in file order."""
    return sorted(p.stem for p in (CONF_DIR / "experiment").glob("*.yaml"))


def ensemble_tables(cfg: Config, world: World, runs: int, seed: int, months: int, chunk: int) -> EnsembleTables:
    """Simulate `runs` runs chunk by chunk with the batched driver (run r uses run_seed(seed, r)) and
    keep what the metrics read: states, ties and events per run and month."""
    states, ties, events = [], [], []
    for start in range(0, runs, chunk):
        ids = list(range(start, min(start + chunk, runs)))
        recorder = run_batch(cfg, [run_seed(seed, r) for r in ids], ids, world=world, steps=months)
        states.append(recorder.states_table()[_STATE_COLS])
        ties.append(recorder.ties_table()[_TIE_COLS])
        events.append(recorder.events_table(cause=False)[_EVENT_COLS])
        del recorder
    cat = lambda df, cols: df.astype({c: "category" for c in cols})  # noqa: E731  (memory)
    return EnsembleTables(
        states=cat(pd.concat(states, ignore_index=True), ["state", "regime", "leading_partner"]),
        ties=cat(pd.concat(ties, ignore_index=True), ["state", "power"]),
        events=pd.concat(events, ignore_index=True),
        runs=runs,
        months=months,
        state_codes=tuple(world.states),
    )


def check(facts: list[Fact], ensemble: str, tables: EnsembleTables, reference: EnsembleTables | None) -> list[dict]:
    """One result row per fact that applies to `ensemble`."""
    rows = []
    for fact in facts:
        if not fact.applies(ensemble):
            continue
        value: MetricValue = evaluate(fact.metric, tables, fact.args, reference)
        rows.append(
            {
                "ensemble": ensemble,
                "fact": fact.id,
                "title": fact.title,
                "metric": fact.metric,
                "expected": fact.expected,
                "low": fact.low,
                "high": fact.high,
                "value": value.value,
                "result": verdict(value, fact.low, fact.high),
                "detail": value.not_applicable or value.detail,
                "tolerance": fact.tolerance,
                "source": fact.source,
                "as_of": fact.as_of,
            }
        )
    return rows


def distance_outside(value: float | None, low: float | None, high: float | None) -> float:
    """How far a fact's value lies outside its expected range (0 inside it or when not applicable)."""
    if value is None or pd.isna(value):
        return 0.0
    below = (low - value) if low is not None and value < low else 0.0
    above = (value - high) if high is not None and value > high else 0.0
    return float(max(below, above))


def compare_sets(default: pd.DataFrame, fitted: pd.DataFrame, slack: float) -> pd.DataFrame:
    """Fact by fact, how far each set's value lies outside the expected range, and whether the
    fitted set is less plausible than the defaults: farther outside by more than `slack` x the
    range's scale (its width, or its one bound, or 1 for a bound of 0). Both tables are battery
    results of the same facts (columns fact, low, high, value)."""
    merged = default[["fact", "low", "high", "value"]].merge(
        fitted[["fact", "value"]], on="fact", suffixes=("_default", "_fitted")
    )
    rows = []
    for r in merged.itertuples(index=False):
        low = None if pd.isna(r.low) else float(r.low)
        high = None if pd.isna(r.high) else float(r.high)
        scale = (high - low) if low is not None and high is not None else abs(low if low is not None else high)
        d_def = distance_outside(r.value_default, low, high)
        d_fit = distance_outside(r.value_fitted, low, high)
        rows.append(
            {
                "fact": r.fact,
                "value_default": r.value_default,
                "value_fitted": r.value_fitted,
                "outside_default": d_def,
                "outside_fitted": d_fit,
                "worse": d_fit > d_def + slack * (scale or 1.0),
            }
        )
    return pd.DataFrame(rows)


def baseline_results(
    cfg: Config, world: World, facts: Sequence[Fact], runs: int, seed: int, months: int, chunk: int
) -> pd.DataFrame:
    """The battery's results on the baseline for one configuration (facts that need a reference
    ensemble are left out)."""
    check_codes(facts, world.states, world.powers, world.blocs, DEFAULT_FACTS)
    tables = ensemble_tables(cfg, world, runs, seed, months, chunk)
    own = [f for f in facts if f.applies(BASELINE) and f.metric not in NEEDS_REFERENCE]
    return pd.DataFrame(check(own, BASELINE, tables, None), columns=COLUMNS)
