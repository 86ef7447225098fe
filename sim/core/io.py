"""The output contract: tidy tables built from the state of R runs, and run directories.

Tables (DESIGN section 5, long and tidy, `date` as YYYY-MM):
states (run, step, date, state, regime, legitimacy, insurgency, leading_partner, partners (powers with
affinity above vocabulary.PARTNER_AFFINITY: hedging), ...),
ties (run, step, date, state, power, affinity, opinion, troops, aid, incentive terms, ...),
events (run, step, date, type, state, power, bloc, scripted, cause, base),
bases (run, step, date, base, state, owner, co_tenant, ...), borders (state_a, state_b).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.core.atomic import atomic_path
from sim.core.events import Event
from sim.core.state import SimState
from sim.core.vocabulary import PARTNER_AFFINITY, TERMS
from sim.core.world import World

NO_PARTNER = "none"


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

    def __init__(self, world: World, run_ids: np.ndarray, every: int = 1, last_step: int | None = None,
                 events: list[Event] | None = None):
        """every: keep the state of every k-th month only (plus month 0 and last_step); sweeps use
        it to keep their tables small. events: the list of the runs' events, which the simulation
        extends month by month (the events table reads it)."""
        self.world = world
        self.run_ids = np.asarray(run_ids)
        self.every = max(int(every), 1)
        self.last_step = last_step
        self._states: list[dict[str, np.ndarray]] = []
        self._ties: list[dict[str, np.ndarray]] = []
        self._bases: list[dict[str, np.ndarray]] = []
        self.events: list[Event] = [] if events is None else events

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
            "run": run_s, "step": np.full(R * S, st.step), "state_i": np.tile(np.arange(S), R),
            "junta": flat(st.junta), "legitimacy": flat(st.legitimacy), "insurgency": flat(st.threat),
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
            "run": np.repeat(self.run_ids, S * P), "step": np.full(R * S * P, st.step),
            "state_i": np.tile(np.repeat(np.arange(S), P), R), "power_i": np.tile(np.arange(P), R * S),
            "affinity": flat(st.affinity), "opinion": flat(st.opinion), "troops": flat(st.troops),
            "aid_security_usd_m": flat(st.aid_security_usd_m), "aid_economic_usd_m": flat(st.aid_economic_usd_m),
            "info_ops_usd_m": flat(st.info_ops_usd_m), "aid_suspended": flat(st.aid_suspended),
            "expelled": flat(st.expelled), "withdrawing": flat(st.withdraw_left > 0), "utility": flat(st.utility),
        }
        for t, name in enumerate(TERMS):
            trow[f"term_{name}"] = flat(st.contributions[t])
        self._ties.append(trow)
        K = len(w.base_names)
        if K:
            self._bases.append({
                "run": np.repeat(self.run_ids, K), "step": np.full(R * K, st.step),
                "base_i": np.tile(np.arange(K), R), "owner_i": flat(st.base_owner), "tenant_i": flat(st.base_co_tenant),
            })

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
        df.insert(df.columns.get_loc("sanctioned"), "leading_partner",
                  np.array(w.powers + [NO_PARTNER], dtype=object)[partner])
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
            return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
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

    def events_table(self) -> pd.DataFrame:
        return events_table(self.events, self.world)

    def arrow_table(self, name: str, float32: bool = False) -> pa.Table:
        """The states, ties or events table as an Arrow table built straight from the arrays:
        codes as dictionary-encoded strings, floats as float32 if asked. Much faster and smaller
        than the DataFrame for sweeps; the same rows and values otherwise."""
        w = self.world
        if name == "events":
            return pa.Table.from_pandas(self.events_table(), preserve_index=False)
        recorded = {"states": self._states, "ties": self._ties}[name]
        cols = {k: np.concatenate([r[k] for r in recorded]) for k in recorded[0]}
        steps = cols["step"]
        dates = [w.date_of(int(t)) for t in range(int(steps.max()) + 1)]
        out: dict[str, pa.Array] = {"run": pa.array(cols.pop("run")), "step": pa.array(steps)}
        cols.pop("step")
        out["date"] = _dictionary(steps, dates)
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
            if float32 and values.dtype == np.float64:
                values = values.astype(np.float32)
            out[key] = pa.array(values)
        if name == "states":
            for key, per_state in (("population_m", w.population_m), ("lon", w.lon), ("lat", w.lat)):
                values = np.asarray(per_state)[i]
                out[key] = pa.array(values.astype(np.float32) if float32 else values)
        return pa.table(out)


def _dictionary(codes: np.ndarray, labels: list[str]) -> pa.DictionaryArray:
    """Dictionary-encoded strings from integer codes (read back by pandas as a Categorical)."""
    return pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes, dtype=np.int16)), pa.array(labels))


def events_table(events: list[Event], world: World) -> pd.DataFrame:
    """Events as the contract's table; codes instead of indices, '' where there is none."""
    def code(names: list[str], i: int) -> str:
        return names[i] if i >= 0 else ""

    rows = [{
        "run": e.run, "step": e.step, "date": world.date_of(e.step), "type": e.type,
        "state": code(world.states, e.state), "power": code(world.powers, e.power),
        "bloc": code(world.blocs, e.bloc), "scripted": bool(e.scripted), "cause": e.cause,
        "base": code(world.base_names, e.base),
    } for e in events]
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
    """write_parquet_atomic for an Arrow table, tuned for speed: dictionary encoding for the
    string columns only and light zstd (2.5x faster to write than the defaults, and smaller)."""
    coded = [f.name for f in table.schema if pa.types.is_dictionary(f.type) or pa.types.is_string(f.type)]
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd", compression_level=1, use_dictionary=coded)


def write_tables(recorder: Recorder, out_dir: Path) -> dict[str, Path]:
    """Write states, ties, events, bases and borders tables into a run directory."""
    out_dir = Path(out_dir)
    tables = {
        "states": recorder.states_table(), "ties": recorder.ties_table(), "events": recorder.events_table(),
        "bases": recorder.bases_table(), "borders": borders_table(recorder.world),
    }
    paths = {}
    for name, df in tables.items():
        paths[name] = out_dir / f"{name}.parquet"
        write_parquet_atomic(df, paths[name])
    return paths
