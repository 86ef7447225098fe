"""A short text summary of one run, read from its tables: who leads where, how influence moved,
and the main events explained in words."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.metrics import influence_share

MAIN_EVENTS = (
    "coup",
    "transition",
    "expel",
    "withdraw_complete",
    "deploy",
    "base_handover",
    "incident",
    "bloc_join",
    "bloc_leave",
    "sanction",
    "sanction_lift",
)


def summarize(
    states: pd.DataFrame,
    ties: pd.DataFrame,
    events: pd.DataFrame,
    run: int | None = None,
    max_events: int = 20,
) -> str:
    """The summary of one run (the first run in the tables unless `run` is given)."""
    run = int(states["run"].min()) if run is None else run
    st = states[states["run"] == run]
    ti = ties[ties["run"] == run]
    ev = events[events["run"] == run]
    first, last = int(st["step"].min()), int(st["step"].max())
    d0 = st.loc[st["step"] == first, "date"].iloc[0]
    d1 = st.loc[st["step"] == last, "date"].iloc[0]
    lines = [
        f"Run {run}: {d0} to {d1} ({last - first} months), {st['state'].nunique()} states, "
        f"{ti['power'].nunique()} powers, {len(ev)} events."
    ]

    share = influence_share(ti, st)
    s0 = share[share["step"] == first].set_index("power")["share"]
    s1 = share[share["step"] == last].set_index("power")["share"]
    moves = ", ".join(
        f"{p} {s0.get(p, 0):.0%} -> {s1.get(p, 0):.0%}" for p in s1.sort_values(ascending=False).index
    )
    lines.append(f"Influence share (population-weighted): {moves}.")

    a = st[st["step"] == first].set_index("state")
    b = st[st["step"] == last].set_index("state")
    changed = [
        f"{s} {a.at[s, 'leading_partner']} -> {b.at[s, 'leading_partner']}"
        for s in b.index
        if a.at[s, "leading_partner"] != b.at[s, "leading_partner"]
    ]
    lines.append("Leading partner changed: " + (", ".join(changed) if changed else "nowhere") + ".")
    regimes = [
        f"{s} {a.at[s, 'regime']} -> {b.at[s, 'regime']}"
        for s in b.index
        if a.at[s, "regime"] != b.at[s, "regime"]
    ]
    juntas = sorted(b.index[b["regime"] == "junta"])
    lines.append(
        "Regime changed: "
        + (", ".join(regimes) if regimes else "nowhere")
        + f". Under military rule at the end: {', '.join(juntas) if juntas else 'none'}."
    )

    counts = ev["type"].value_counts()
    lines.append(
        "Events: " + (", ".join(f"{t} {n}" for t, n in counts.items()) if len(counts) else "none") + "."
    )
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
    """The summary of a run directory's tables."""
    run_dir = Path(run_dir)
    tables = {n: pd.read_parquet(run_dir / f"{n}.parquet") for n in ("states", "ties", "events")}
    return summarize(tables["states"], tables["ties"], tables["events"]) + f"\nTables and plots in {run_dir}"
