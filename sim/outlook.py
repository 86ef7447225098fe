"""Event probabilities from a large ensemble, run chunk by chunk with the batched driver (what
`python -m sim.hindcast`, `sim.forecast` and `sim.calibrate` score and tabulate).

Only the first month of each (run, state, event type, power, bloc) is kept from a chunk, so memory
stays small whatever the number of runs. Run r's seed is `sim.designs.run_seed(seed, r)` (as in
sweeps), so results do not depend on the chunk size.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from sim.core.events import Event, EventLog
from sim.core.params import Config
from sim.core.vocabulary import EVENT_TYPES, EVENTS
from sim.core.world import World
from sim.designs import run_seed
from sim.ensemble import run_batch

KEYS = ["state", "type", "power", "bloc"]


def first_months(events: Sequence[Event], world: World, after: int = 0) -> pd.DataFrame:
    """The first month of each (run, state, type, power, bloc) among `events` after month `after`:
    columns run, state, type, power, bloc, step; codes as in events.parquet ('' for no power or
    bloc). after=k scores a window that starts after month k (events of months 1..k ignored)."""
    cols = ["run", *KEYS, "step"]
    if isinstance(events, EventLog):  # the log's columns: no Event records, no causes written
        c = events.columns()
        arr = np.column_stack([c["run"], c["step"], c["type"], c["state"], c["power"], c["bloc"]])
    else:
        arr = np.array(
            [(e.run, e.step, EVENT_TYPES.index(e.type), e.state, e.power, e.bloc) for e in events], dtype=np.int64
        ).reshape(-1, 6)
    arr = arr[arr[:, 1] > after]
    if not len(arr):
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("run", "step") else object) for c in cols})
    df = pd.DataFrame(arr, columns=["run", "step", "t", "s", "p", "b"])
    df = df.groupby(["run", "s", "t", "p", "b"], sort=True, as_index=False)["step"].min()
    codes = lambda names, i: np.array([*names, ""], dtype=object)[i]  # noqa: E731  (index -1 -> '')
    return pd.DataFrame(
        {
            "run": df["run"],
            "state": codes(world.states, df["s"]),
            "type": np.array(EVENT_TYPES, dtype=object)[df["t"]],
            "power": codes(world.powers, df["p"]),
            "bloc": codes(world.blocs, df["b"]),
            "step": df["step"],
        }
    )[cols]


def ensemble_first_months(
    cfg: Config,
    world: World,
    runs: int,
    seed: int,
    steps: int,
    chunk: int = 250,
    progress: bool = False,
    run_parameters: Mapping[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Simulate `runs` runs of `steps` months in chunks; the first month of every event in every run.
    run_parameters gives parameters one value per run (arrays of length `runs`), e.g. draws from a
    posterior; run r then uses entry r whatever the chunk size."""
    from tqdm import tqdm

    values = {k: np.asarray(v, dtype=float) for k, v in (run_parameters or {}).items()}
    for name, column in values.items():
        if column.shape != (runs,):
            raise ValueError(f"run parameter {name!r} has {column.size} values for {runs} runs")
    parts = []
    for start in tqdm(
        range(0, runs, chunk), disable=not progress, unit="chunk", file=sys.stderr, desc=f"{runs} runs x {steps} months"
    ):
        ids = np.arange(start, min(start + chunk, runs))
        recorder = run_batch(
            cfg,
            [run_seed(seed, int(r)) for r in ids],
            ids,
            world=world,
            steps=steps,
            every=steps,
            run_parameters={k: v[ids] for k, v in values.items()} or None,
        )
        parts.append(first_months(recorder.events, world))
        del recorder
    out = pd.concat(parts, ignore_index=True)
    return out.astype({k: str for k in KEYS})  # one string dtype whatever the chunks held


def probability_within(first: pd.DataFrame, runs: int, horizon: int, keys: Sequence[str] = KEYS) -> pd.DataFrame:
    """Share of the `runs` runs with at least one such event by month `horizon`, per `keys`."""
    hit = first.loc[first["step"] <= horizon].groupby(list(keys), sort=False)["run"].nunique()
    out = hit.rename("n_runs_with_event").reset_index()
    out["probability"] = out["n_runs_with_event"] / runs
    return out


def forecast_grid(world: World) -> pd.DataFrame:
    """Every (state, type, power, bloc) the vocabulary allows: one row per power for power events,
    per bloc for bloc events, and one with neither for coups and transitions."""
    rows = []
    for s in world.states:
        for t in EVENT_TYPES:
            partners = {
                "power": [(p, "") for p in world.powers],
                "bloc": [("", b) for b in world.blocs],
                "": [("", "")],
            }[EVENTS[t].partner]
            rows += [(s, t, p, b) for p, b in partners]
    return pd.DataFrame(rows, columns=KEYS)
