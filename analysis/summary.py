"""A short text summary of one run, read from its tables: who leads where, how influence moved,
and the main events explained in words."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.metrics import final_summary
from analysis.sweep_data import plain_strings
from sim.core.vocabulary import MAIN_EVENTS, PARTNER_AFFINITY


def summarize(
    states: pd.DataFrame, ties: pd.DataFrame, events: pd.DataFrame, run: int | None = None, max_events: int = 20
) -> str:
    """The summary of one run (the first run in the tables unless `run` is given)."""
    fs = final_summary(states, ties, events, run)
    per_state, share, counts = fs["states"], fs["influence_share"], fs["event_counts"]
    ev = events[events["run"] == fs["run"]]
    lines = [
        f"Run {fs['run']}: {fs['start_date']} to {fs['end_date']} ({fs['n_steps']} months), "
        f"{len(per_state)} states, {len(share)} powers, {len(ev)} events."
    ]
    moves = ", ".join(
        f"{p} {row.start:.0%} -> {row.end:.0%}" for p, row in share.sort_values("end", ascending=False).iterrows()
    )
    lines.append(f"Influence share (population-weighted): {moves}.")
    changed = [
        f"{s} {r.leading_partner_start} -> {r.leading_partner_end}"
        for s, r in per_state[per_state["partner_changed"]].iterrows()
    ]
    lines.append("Leading partner changed: " + (", ".join(changed) if changed else "nowhere") + ".")
    hedge = fs["hedging"]
    if hedge is not None:
        lines.append(
            f"Hedging (powers with affinity above {PARTNER_AFFINITY:g}): {hedge['mean_start']:.1f} -> "
            f"{hedge['mean_end']:.1f} partners per state; states with two or more {hedge['several_start']} "
            f"-> {hedge['several_end']}."
        )
    regimes = [f"{s} {r.regime_start} -> {r.regime_end}" for s, r in per_state[per_state["regime_changed"]].iterrows()]
    juntas = sorted(per_state.index[per_state["regime_end"] == "junta"])
    lines.append(
        "Regime changed: "
        + (", ".join(regimes) if regimes else "nowhere")
        + f". Under military rule at the end: {', '.join(juntas) if juntas else 'none'}."
    )
    seen = counts[counts > 0].sort_values(ascending=False, kind="stable")
    lines.append("Events: " + (", ".join(f"{t} {n}" for t, n in seen.items()) if len(seen) else "none") + ".")
    main = ev[ev["type"].isin(MAIN_EVENTS)].sort_values(["step"], kind="stable")
    if len(main):
        lines.append("Main events:")
        for row in main.head(max_events).itertuples():
            who = row.state + (f"/{row.power}" if row.power else "") + (f"/{row.bloc}" if row.bloc else "")
            tag = " [scripted]" if row.scripted else ""
            lines.append(f"  {row.date}  {row.type:<17} {who:<10} {row.cause}{tag}")
        if len(main) > max_events:
            lines.append(f"  ... and {len(main) - max_events} more in events.parquet")
    return "\n".join(lines)


def run_summary(run_dir: str | Path) -> str:
    """The summary of a run directory's tables, naming what the folder holds."""
    run_dir = Path(run_dir)
    tables = {n: plain_strings(pd.read_parquet(run_dir / f"{n}.parquet")) for n in ("states", "ties", "events")}
    held = "Tables and plots" if (run_dir / "plots").is_dir() else "Tables"
    return summarize(tables["states"], tables["ties"], tables["events"]) + f"\n{held} in {run_dir}"
