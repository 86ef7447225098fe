"""Event probabilities from a large ensemble, run chunk by chunk with the batched driver; and the
command-line plumbing shared by `python -m sim.hindcast` and `python -m sim.forecast`.

Only the first month of each (run, state, event type, power, bloc) is kept from a chunk, so memory
stays small whatever the number of runs. Run r's seed is `sim.designs.run_seed(seed, r)` (as in
sweeps), so results do not depend on the chunk size.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import pandas as pd
import yaml

from sim.__main__ import fail
from sim.config import compose_config, precheck_overrides
from sim.core.events import Event
from sim.core.params import Config, ConfigError
from sim.core.vocabulary import EVENT_TYPES, EVENTS
from sim.core.world import World, WorldError, load_world, scenario_path
from sim.designs import run_seed
from sim.ensemble import run_batch

KEYS = ["state", "type", "power", "bloc"]


def first_months(events: Sequence[Event], world: World, after: int = 0) -> pd.DataFrame:
    """The first month of each (run, state, type, power, bloc) among `events` after month `after`:
    columns run, state, type, power, bloc, step; codes as in events.parquet ('' for no power or
    bloc). after=k scores a window that starts after month k (events of months 1..k ignored)."""
    cols = ["run", *KEYS, "step"]
    if after:
        events = [e for e in events if e.step > after]
    if not events:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("run", "step") else object) for c in cols})
    arr = np.array([(e.run, e.step, EVENT_TYPES.index(e.type), e.state, e.power, e.bloc) for e in events],
                   dtype=np.int64)
    df = pd.DataFrame(arr, columns=["run", "step", "t", "s", "p", "b"])
    df = df.groupby(["run", "s", "t", "p", "b"], sort=True, as_index=False)["step"].min()
    codes = lambda names, i: np.array([*names, ""], dtype=object)[i]  # noqa: E731  (index -1 -> '')
    return pd.DataFrame({"run": df["run"], "state": codes(world.states, df["s"]),
                         "type": np.array(EVENT_TYPES, dtype=object)[df["t"]], "power": codes(world.powers, df["p"]),
                         "bloc": codes(world.blocs, df["b"]), "step": df["step"]})[cols]


def ensemble_first_months(cfg: Config, world: World, runs: int, seed: int, steps: int, chunk: int = 250,
                          progress: bool = False, run_parameters: Mapping[str, np.ndarray] | None = None
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
    for start in tqdm(range(0, runs, chunk), disable=not progress, unit="chunk", file=sys.stderr,
                      desc=f"{runs} runs x {steps} months"):
        ids = np.arange(start, min(start + chunk, runs))
        recorder = run_batch(cfg, [run_seed(seed, int(r)) for r in ids], ids, world=world, steps=steps, every=steps,
                             run_parameters={k: v[ids] for k, v in values.items()} or None)
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
            partners = {"power": [(p, "") for p in world.powers], "bloc": [("", b) for b in world.blocs],
                        "": [("", "")]}[EVENTS[t].partner]
            rows += [(s, t, p, b) for p, b in partners]
    return pd.DataFrame(rows, columns=KEYS)


# ---------------------------------------------------------------- command line


class Parser(argparse.ArgumentParser):
    """An argument parser whose mistakes end like `python -m sim`'s: one `error:` line, exit 2."""

    def error(self, message: str) -> NoReturn:
        usage = " ".join(self.format_usage().split()).removeprefix("usage: ")
        fail(f"{message}. Usage: {usage} (see --help).")
        raise AssertionError  # fail exits


def add_common(parser: argparse.ArgumentParser, runs: int, out: str) -> None:
    parser.add_argument("overrides", nargs="*", metavar="KEY=VALUE",
                        help="configuration overrides as for python -m sim, e.g. incentives=sovereigntist "
                             "hazards.coup_base=0.002")
    parser.add_argument("--runs", type=int, default=runs, help=f"number of runs (default {runs})")
    parser.add_argument("--seed", type=int, default=0, help="ensemble seed; run r uses run_seed(seed, r) (default 0)")
    parser.add_argument("--out", type=Path, default=Path(out), help=f"output folder (default {out})")
    parser.add_argument("--chunk", type=int, default=250, help="runs simulated at once (memory; default 250)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no summary")


def check_counts(args: argparse.Namespace) -> None:
    if args.runs < 1:
        fail(f"--runs must be at least 1, got {args.runs}. Give the number of simulated histories, e.g. --runs 1000.")
    if args.chunk < 1:
        fail(f"--chunk must be at least 1, got {args.chunk}. It is the number of runs simulated at once, e.g. 250.")
    if args.seed < 0:
        fail(f"--seed must be 0 or more, got {args.seed}.")


def configure(overrides: list[str]) -> tuple[Config, World]:
    """The configuration composed from conf/ with the overrides, and its world (knobs applied);
    a bad key, value or world file ends the program with one `error:` paragraph."""
    problem = precheck_overrides(overrides)
    if problem:
        fail(problem)
    try:
        cfg = compose_config(overrides)
        world = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    except (ConfigError, WorldError) as exc:
        fail(str(exc))
    return cfg, world


def check_months(months: int, what: str) -> None:
    if not 1 <= months <= 600:
        fail(f"{what} gives {months} months to simulate; it must be between 1 and 600.")


def save_config(cfg: Config, path: Path) -> None:
    """The resolved configuration, for reproducibility."""
    path.write_text(yaml.safe_dump(dataclasses.asdict(cfg), sort_keys=False), encoding="utf-8")


def json_ready(value: Any) -> Any:
    """DataFrames as lists of records and NaN as null, recursively, for json.dumps."""
    if isinstance(value, pd.DataFrame):
        return json_ready(value.to_dict(orient="records"))
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, Path):
        return str(value)
    return value


def write_json(data: dict, path: Path) -> None:
    path.write_text(json.dumps(json_ready(data), indent=2) + "\n", encoding="utf-8")
