"""The output contract: tidy tables built from the state of R runs, and run directories.

One file schema for single runs and sweeps (`contract_table`, used by every writer here):
- codes (state, name, regime, power, leading_partner, type, bloc, cause, base, owner, co_tenant,
  state_a, state_b) are dictionary-encoded strings (int32 indices) in every table; pandas reads them
  as Categoricals, polars as Categoricals, duckdb as VARCHAR;
- `date` is the month as `YYYY-MM` (the contract's form, which the shared checker requires),
  dictionary-encoded and *ordered*, with every month of the run in time order as its dictionary, so
  pandas gets an ordered Categorical (`states.date.max()` is the last month) and string comparisons
  (`date >= '2025-01'`) are chronological in any client;
- run and step are int64, flags bool, measures float64 (a sweep run with sweep.float32=true, an
  opt-in for big sweeps, stores float32 instead: half the disk, no longer the one schema);
- rows sorted by step, then run, and Parquet row groups by step: one per step, or a few
  consecutive steps together when a step has fewer than MIN_ROW_GROUP_ROWS rows, so a filter on
  `step` (or `date`) reads only the row groups that hold it;
- a sweep's parameter values live only in its runs.parquet (join them on `run` when needed:
  `analysis.sweep_data.with_parameters`).

Tables (DESIGN section 5, long and tidy):
states (run, step, date, state, regime, legitimacy, insurgency, leading_partner, partners (powers with
affinity above vocabulary.PARTNER_AFFINITY: hedging), ...),
ties (run, step, date, state, power, affinity, opinion, troops, aid, incentive terms, ...),
events (run, step, date, type, state, power, bloc, scripted, cause, base; built from the event log's
columns, the cause written out only when asked: `cause=False` leaves the column out and skips it),
bases (run, step, date, base, state, owner, co_tenant, ...), borders (state_a, state_b).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sim.core.atomic import atomic_path
from sim.core.events import Event, EventLog
from sim.core.state import SimState
from sim.core.vocabulary import EVENT_TYPES, PARTNER_AFFINITY, TERMS
from sim.core.world import World

NO_PARTNER = "none"

#: The contract's code columns: dictionary-encoded strings in every file.
CODE_COLUMNS: frozenset[str] = frozenset(
    {
        "state",
        "name",
        "regime",
        "power",
        "leading_partner",
        "type",
        "bloc",
        "cause",
        "base",
        "owner",
        "co_tenant",
        "state_a",
        "state_b",
    }
)
#: Index type of every dictionary-encoded column.
CODE_TYPE = pa.dictionary(pa.int32(), pa.string())
DATE_TYPE = pa.dictionary(pa.int32(), pa.string(), ordered=True)
#: The fewest rows of a Parquet row group: a step with fewer rows shares its group with the next
#: steps (each group's column chunks carry their own metadata and dictionary; a row group per step
#: of a small chunk of events made the events files 13 times larger).
MIN_ROW_GROUP_ROWS = 8192


def contract_table(table: pa.Table | pd.DataFrame, months: list[str] | None = None, float32: bool = False) -> pa.Table:
    """A table in the contract's file schema (see the module docstring): codes dictionary-encoded,
    `date` an ordered dictionary over `months` (every month of the run, in order; default: the
    months present, sorted), floats as float32 if asked, rows sorted by step then run."""
    if isinstance(table, pd.DataFrame):
        table = pa.Table.from_pandas(table, preserve_index=False)
    fields, columns = [], []
    for field, column in zip(table.schema, table.columns, strict=True):
        if field.name == "date":
            values = column.cast(pa.string()) if pa.types.is_dictionary(field.type) else column
            values = pc.cast(values, pa.string()).combine_chunks()
            order = list(months) if months is not None else sorted(set(values.drop_null().to_pylist()))
            index = pc.index_in(values, value_set=pa.array(order, pa.string()))
            if index.null_count > values.null_count:
                raise ValueError(f"dates outside the run's months in the {field.name} column")
            column = pa.DictionaryArray.from_arrays(index.cast(pa.int32()), pa.array(order, pa.string()), ordered=True)
            field = pa.field("date", DATE_TYPE)
        elif field.name in CODE_COLUMNS:
            column = pc.cast(column, pa.string()).combine_chunks().dictionary_encode().cast(CODE_TYPE)
            field = pa.field(field.name, CODE_TYPE)
        elif pa.types.is_floating(field.type):
            target = pa.float32() if float32 else pa.float64()
            column, field = column.cast(target), pa.field(field.name, target)
        elif pa.types.is_integer(field.type) and field.name in ("run", "step"):
            column, field = column.cast(pa.int64()), pa.field(field.name, pa.int64())
        fields.append(field)
        columns.append(column)
    out = pa.Table.from_arrays(columns, schema=pa.schema(fields))
    if "step" in out.column_names and out.num_rows:
        keys = [("step", "ascending")] + ([("run", "ascending")] if "run" in out.column_names else [])
        out = out.take(pc.sort_indices(out, sort_keys=keys))
    return out


def leading_partner_index(affinity: np.ndarray) -> np.ndarray:
    """Index of the power each state is most aligned with: (S, P, R) -> (S, R).

    -1 ('none') if it likes no power, or if two powers tie for first (as in a world file's
    default affinities): a tie names no leader rather than the first power listed.
    """
    best = np.argmax(affinity, axis=1)
    top = np.max(affinity, axis=1)
    unique = (affinity == top[:, None, :]).sum(axis=1) == 1
    return np.where((top > 0) & unique, best, -1)


class Recorder:
    """Collects the state of every run at every step and turns it into the contract's tables."""

    def __init__(
        self,
        world: World,
        run_ids: np.ndarray,
        every: int = 1,
        last_step: int | None = None,
        events: EventLog | None = None,
    ):
        """every: keep the state of every k-th month only (plus month 0 and last_step); sweeps use
        it to keep their tables small. events: the log of the runs' events, which the simulation
        extends month by month (the events table reads it)."""
        self.world = world
        self.run_ids = np.asarray(run_ids)
        self.every = max(int(every), 1)
        self.last_step = last_step
        self._states: list[dict[str, np.ndarray]] = []
        self._ties: list[dict[str, np.ndarray]] = []
        self._bases: list[dict[str, np.ndarray]] = []
        self.events: EventLog = EventLog(world) if events is None else events

    def record(self, st: SimState) -> None:
        """Snapshot one step (arrays are copied into flat columns, runs outermost)."""
        if st.step % self.every and st.step != self.last_step:
            return
        w = self.world
        S, P, R = st.affinity.shape
        flat = lambda a: np.moveaxis(a, -1, 0).reshape(-1).copy()  # noqa: E731  (..., R) -> runs outermost, copied
        run_s = np.repeat(self.run_ids, S)
        lead = leading_partner_index(st.affinity)  # -1 ('none') is stored as P, the last label
        srow = {
            "run": run_s,
            "step": np.full(R * S, st.step),
            "state_i": np.tile(np.arange(S), R),
            "junta": flat(st.junta),
            "legitimacy": flat(st.legitimacy),
            "insurgency": flat(st.threat),
            "partner_i": flat(np.where(lead < 0, len(w.powers), lead)),
            "partners": flat((st.affinity > PARTNER_AFFINITY).sum(axis=1)),
            "sanctioned": flat(st.sanctioned.any(axis=1)),
            "months_since_coup": flat(st.months_since_coup),
        }
        for g, code in enumerate(w.groups):
            srow[f"insurgency_{code.lower()}"] = flat(st.insurgency[:, g])
        for b, code in enumerate(w.blocs):
            srow[code.lower()] = flat(st.member[:, b])
        self._states.append(srow)
        trow = {
            "run": np.repeat(self.run_ids, S * P),
            "step": np.full(R * S * P, st.step),
            "state_i": np.tile(np.repeat(np.arange(S), P), R),
            "power_i": np.tile(np.arange(P), R * S),
            "affinity": flat(st.affinity),
            "opinion": flat(st.opinion),
            "troops": flat(st.troops),
            "aid_security_usd_m": flat(st.aid_security_usd_m),
            "aid_economic_usd_m": flat(st.aid_economic_usd_m),
            "info_ops_usd_m": flat(st.info_ops_usd_m),
            "aid_suspended": flat(st.aid_suspended),
            "expelled": flat(st.expelled),
            "withdrawing": flat(st.withdraw_left > 0),
            "utility": flat(st.utility),
        }
        for t, name in enumerate(TERMS):
            trow[f"term_{name}"] = flat(st.contributions[t])
        self._ties.append(trow)
        K = len(w.base_names)
        if K:
            self._bases.append(
                {
                    "run": np.repeat(self.run_ids, K),
                    "step": np.full(R * K, st.step),
                    "base_i": np.tile(np.arange(K), R),
                    "owner_i": flat(st.base_owner),
                    "tenant_i": flat(st.base_co_tenant),
                }
            )

    def _dates(self, steps: pd.Series) -> pd.Series:
        lookup = {s: self.world.date_of(int(s)) for s in steps.unique()}
        return steps.map(lookup)

    def states_table(self) -> pd.DataFrame:
        w = self.world
        df = pd.DataFrame({k: np.concatenate([r[k] for r in self._states]) for k in self._states[0]})
        i = df.pop("state_i").to_numpy()
        df.insert(2, "date", self._dates(df["step"]))
        df.insert(3, "state", np.array(w.states)[i])
        df.insert(4, "name", np.array(w.state_names)[i])
        df.insert(5, "regime", np.where(df.pop("junta"), "junta", "civilian"))
        partner = df.pop("partner_i").to_numpy()
        df.insert(
            df.columns.get_loc("sanctioned"),
            "leading_partner",
            np.array(w.powers + [NO_PARTNER], dtype=object)[partner],
        )
        df["population_m"] = w.population_m[i]
        df["lon"], df["lat"] = w.lon[i], w.lat[i]
        return df

    def ties_table(self) -> pd.DataFrame:
        w = self.world
        df = pd.DataFrame({k: np.concatenate([r[k] for r in self._ties]) for k in self._ties[0]})
        si, pi = df.pop("state_i").to_numpy(), df.pop("power_i").to_numpy()
        df.insert(2, "date", self._dates(df["step"]))
        df.insert(3, "state", np.array(w.states)[si])
        df.insert(4, "power", np.array(w.powers)[pi])
        return df

    def bases_table(self) -> pd.DataFrame:
        w = self.world
        cols = ["run", "step", "date", "base", "state", "owner", "co_tenant", "lon", "lat"]
        if not self._bases:
            kinds = {"run": "int64", "step": "int64", "lon": "float64", "lat": "float64"}
            return pd.DataFrame({c: pd.Series(dtype=kinds.get(c, object)) for c in cols})
        df = pd.DataFrame({k: np.concatenate([r[k] for r in self._bases]) for k in self._bases[0]})
        k = df.pop("base_i").to_numpy()
        codes = np.array(w.powers + [""], dtype=object)  # index -1 -> '' (held by the host)
        df.insert(2, "date", self._dates(df["step"]))
        df.insert(3, "base", np.array(w.base_names)[k])
        df.insert(4, "state", np.array(w.states)[w.base_state[k]])
        df["owner"] = codes[df.pop("owner_i").to_numpy()]
        df["co_tenant"] = codes[df.pop("tenant_i").to_numpy()]
        df["lon"], df["lat"] = w.base_lon[k], w.base_lat[k]
        return df

    def events_table(self, cause: bool = True) -> pd.DataFrame:
        """The events table (`events_table`); cause=False leaves the causes out, unwritten."""
        return events_table(self.events, self.world, cause=cause)

    def months(self) -> list[str]:
        """Every month of the runs recorded so far, step 0 first (the dictionary of `date`)."""
        steps = [int(r["step"][0]) for r in self._states] + [self.events.last_step()]
        last = max([*steps, self.last_step or 0])
        return [self.world.date_of(t) for t in range(last + 1)]

    def arrow_table(self, name: str, float32: bool = False, cause: bool = True) -> pa.Table:
        """The states, ties, events or bases table in the contract's file schema (`contract_table`),
        built straight from the arrays for states, ties and events (much faster and smaller than the
        DataFrame for sweeps; the same rows and values otherwise). cause=False leaves the events'
        causes out (and never writes them)."""
        w = self.world
        months = self.months()
        if name == "events":
            return contract_table(_event_arrow(self.events, w, months, cause), months, float32)
        if name == "bases":
            return contract_table(self.bases_table(), months, float32)
        recorded = {"states": self._states, "ties": self._ties}[name]
        cols = {k: np.concatenate([r[k] for r in recorded]) for k in recorded[0]}
        steps = cols["step"]
        out: dict[str, pa.Array] = {"run": pa.array(cols.pop("run")), "step": pa.array(steps)}
        cols.pop("step")
        out["date"] = _dictionary(steps, months)
        i = cols.pop("state_i")
        out["state"] = _dictionary(i, w.states)
        if name == "states":
            out["name"] = _dictionary(i, w.state_names)
            out["regime"] = _dictionary(cols.pop("junta").astype(np.int8), ["civilian", "junta"])
        else:
            out["power"] = _dictionary(cols.pop("power_i"), w.powers)
        for key, values in cols.items():
            if key == "partner_i":
                out["leading_partner"] = _dictionary(values, [*w.powers, NO_PARTNER])
                continue
            out[key] = pa.array(values)
        if name == "states":
            for key, per_state in (("population_m", w.population_m), ("lon", w.lon), ("lat", w.lat)):
                out[key] = pa.array(np.asarray(per_state)[i])
        return contract_table(pa.table(out), months, float32)


def _dictionary(codes: np.ndarray, labels: list[str]) -> pa.DictionaryArray:
    """Dictionary-encoded strings from integer codes (read back by pandas as a Categorical)."""
    return pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes, dtype=np.int32)), pa.array(labels))


def _event_codes(log: EventLog, world: World) -> dict[str, tuple[np.ndarray, list[str]]]:
    """The events' code columns as (index, labels): index -1 (none) points at a last label ''."""
    c = log.columns()
    steps = c["step"]
    return {
        "date": (steps, [world.date_of(t) for t in range(int(steps.max(initial=0)) + 1)]),
        "type": (c["type"], list(EVENT_TYPES)),
        "state": (c["state"], [*world.states, ""]),
        "power": (c["power"], [*world.powers, ""]),
        "bloc": (c["bloc"], [*world.blocs, ""]),
        "base": (c["base"], [*world.base_names, ""]),
    }


_EVENT_COLUMNS = ("run", "step", "date", "type", "state", "power", "bloc", "scripted", "cause", "base")


def _event_arrow(log: EventLog, world: World, months: list[str], cause: bool = True) -> pa.Table:
    """The events as an Arrow table straight from the log's columns (`contract_table` then encodes
    and sorts it as any table); cause=False leaves the causes out."""
    c = log.columns()
    codes = _event_codes(log, world)
    out: dict[str, pa.Array] = {}
    for name in _EVENT_COLUMNS:
        if name in ("run", "step"):
            out[name] = pa.array(c[name], pa.int64())
        elif name == "scripted":
            out[name] = pa.array(c[name], pa.bool_())
        elif name == "cause":
            if cause:
                out[name] = pa.array(log.causes(), pa.string())
        else:
            index, labels = codes[name]
            out[name] = _dictionary(np.where(index < 0, len(labels) - 1, index), labels)
    return pa.table(out)


def events_table(events: EventLog | list[Event], world: World, cause: bool = True) -> pd.DataFrame:
    """Events as the contract's table; codes instead of indices, '' where there is none. From an
    event log it is built from the columns, and the causes are written only with cause=True (else the
    column is left out)."""
    if isinstance(events, EventLog):
        c = events.columns()
        data: dict[str, np.ndarray] = {}
        for name, (index, labels) in _event_codes(events, world).items():
            data[name] = np.array(labels, dtype=object)[index]
        cols = [n for n in _EVENT_COLUMNS if cause or n != "cause"]
        data.update(run=c["run"], step=c["step"], scripted=c["scripted"])
        if cause:
            data["cause"] = np.array(events.causes(), dtype=object)
        df = pd.DataFrame({n: data[n] for n in cols}, columns=cols)
        return df.astype({"run": "int64", "step": "int64", "scripted": bool})

    def code(names: list[str], i: int) -> str:
        return names[i] if i >= 0 else ""

    rows = [
        {
            "run": e.run,
            "step": e.step,
            "date": world.date_of(e.step),
            "type": e.type,
            "state": code(world.states, e.state),
            "power": code(world.powers, e.power),
            "bloc": code(world.blocs, e.bloc),
            "scripted": bool(e.scripted),
            "cause": e.cause,
            "base": code(world.base_names, e.base),
        }
        for e in events
    ]
    cols = ["run", "step", "date", "type", "state", "power", "bloc", "scripted", "cause", "base"]
    df = pd.DataFrame(rows, columns=cols)
    return df.astype({"run": "int64", "step": "int64", "scripted": bool})


def borders_table(world: World) -> pd.DataFrame:
    pairs = sorted((world.states[a], world.states[b]) for a, b in world.graph.edges())
    return pd.DataFrame(pairs, columns=["state_a", "state_b"])


def write_parquet_atomic(df: pd.DataFrame, path: Path) -> None:
    """Write a table so that a reader never sees a half-written file."""
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=False, compression="zstd")


def write_csv_atomic(df: pd.DataFrame, path: Path) -> None:
    """write_parquet_atomic for a CSV file."""
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False)


def write_arrow_atomic(table: pa.Table, path: Path) -> None:
    """write_parquet_atomic for an Arrow table in the contract's schema, tuned for speed: dictionary
    encoding for the code columns only and light zstd (2.5x faster to write than the defaults, and
    smaller); row groups by step (`step_groups`) when the table has a step column (rows sorted by step)."""
    coded = [f.name for f in table.schema if pa.types.is_dictionary(f.type) or pa.types.is_string(f.type)]
    with (
        atomic_path(path) as tmp,
        pq.ParquetWriter(tmp, table.schema, compression="zstd", compression_level=1, use_dictionary=coded) as writer,
    ):
        if "step" not in table.column_names or table.num_rows == 0:
            writer.write_table(table)
            return
        for start, stop in step_groups(table.column("step").to_numpy()):
            writer.write_table(table.slice(start, stop - start), row_group_size=stop - start)


def step_groups(steps: np.ndarray, min_rows: int = MIN_ROW_GROUP_ROWS) -> list[tuple[int, int]]:
    """Row ranges [start, stop) of the row groups of a table sorted by step: one per step, except
    that consecutive steps are merged until a group has `min_rows` rows (the last may have fewer)."""
    if not len(steps):
        return []
    starts = np.flatnonzero(np.r_[True, steps[1:] != steps[:-1]])
    groups: list[tuple[int, int]] = []
    begin = None
    for start, stop in zip(starts, [*starts[1:], len(steps)], strict=True):
        begin = start if begin is None else begin
        if stop - begin >= min_rows:
            groups.append((int(begin), int(stop)))
            begin = None
    if begin is not None:
        groups.append((int(begin), len(steps)))
    return groups


def write_tables(recorder: Recorder, out_dir: Path, float32: bool = False) -> dict[str, Path]:
    """Write states, ties, events, bases and borders tables into a run directory, in the contract's
    file schema (the same as a sweep's datasets)."""
    out_dir = Path(out_dir)
    tables = {name: recorder.arrow_table(name, float32) for name in ("states", "ties", "events", "bases")}
    tables["borders"] = contract_table(borders_table(recorder.world))
    paths = {}
    for name, table in tables.items():
        paths[name] = out_dir / f"{name}.parquet"
        write_arrow_atomic(table, paths[name])
    return paths
