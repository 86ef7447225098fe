"""Reading a sweep folder (written by `python -m sim.sweep`) a few columns and steps at a time.

A sweep folder holds `runs.parquet` (one row per run: run, point, replicate, seed, one column per
parameter), `sweep.json` (the design as specified) and the Parquet datasets `states/`, `ties/` and
`events/` (one file per chunk of runs). The datasets of a big sweep do not fit in memory, so the
readers here take the columns and a filter on `step` or `run` and never read a whole dataset
unless asked to. String columns come back as plain Python strings whatever the file stores
(strings, dictionary-encoded categories), so callers can compare them with `==`.

The datasets hold no parameter values (sim.core.io's file schema): `with_parameters` joins them
from runs.parquet on `run` when a table needs them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.colors import ordered_powers

TABLES: tuple[str, ...] = ("states", "ties", "events")
#: Columns of runs.parquet that are not parameters.
RUN_KEYS: tuple[str, ...] = ("run", "point", "replicate", "seed")
#: Columns of runs.parquet in a sweep over lever settings (sweep.levers, sweep.factors): the setting (what a
#: power chooses, EMA's "policy") and the point of the uncertainty design (the future, EMA's "scenario").
LEVER_SETTING, UNCERTAINTY_POINT = "lever_setting", "uncertainty_point"


class SweepError(ValueError):
    """A folder that is not a readable sweep; the message names the file and the fix."""


@dataclass(frozen=True)
class Sweep:
    """What a sweep folder says about itself: the design spec, the runs and the datasets present."""

    path: Path
    spec: dict[str, Any]
    runs: pd.DataFrame
    tables: tuple[str, ...]

    @property
    def parameters(self) -> list[str]:
        """The swept numeric parameters (uncertainties and numeric levers), in the order of the design;
        categorical factors (experiment, ...) and the lever-setting and future ids are not among them."""
        return [
            c
            for c in self.runs.columns
            if c not in (*RUN_KEYS, LEVER_SETTING, UNCERTAINTY_POINT) and pd.api.types.is_numeric_dtype(self.runs[c])
        ]

    @property
    def design(self) -> str:
        return str(self.spec.get("design", "unknown"))

    @property
    def name(self) -> str:
        return str(self.spec.get("name", self.path.name))


def open_sweep(path: str | Path) -> Sweep:
    """Check that `path` is a sweep folder and read its small parts (runs.parquet, sweep.json).

    Raises:
        SweepError: the folder is missing, or lacks runs.parquet, sweep.json or any dataset.
    """
    path = Path(path)
    run_cmd = "Run `python -m sim.sweep sweep=NAME out=DIR` to make one, or give the folder it wrote."
    if not path.exists():
        raise SweepError(f"The sweep folder {path} does not exist. {run_cmd}")
    if not path.is_dir():
        raise SweepError(f"{path} is a file, not a sweep folder. {run_cmd}")
    runs_path, spec_path = path / "runs.parquet", path / "sweep.json"
    for needed in (runs_path, spec_path):
        if not needed.is_file():
            raise SweepError(
                f"{path} is not a sweep folder: it has no {needed.name} (a sweep folder holds "
                f"runs.parquet, sweep.json and the datasets states/, ties/, events/). {run_cmd}"
            )
    try:
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SweepError(
            f"{spec_path} is not readable JSON ({exc}). Run the sweep again into a fresh folder to rewrite it."
        ) from exc
    if not isinstance(spec, dict) or not isinstance(spec.get("parameters"), dict):
        raise SweepError(
            f"{spec_path} does not describe a design (no 'parameters' mapping). Run the sweep "
            f"again into a fresh folder to rewrite it."
        )
    try:
        runs = pd.read_parquet(runs_path)
    except Exception as exc:  # pyarrow raises several types for a broken file
        raise SweepError(
            f"{runs_path} is not a readable Parquet file ({exc}). Run the sweep again into a fresh folder."
        ) from exc
    missing = [c for c in RUN_KEYS if c not in runs.columns]
    if missing:
        raise SweepError(
            f"{runs_path} lacks the columns {', '.join(missing)}: it was not written by "
            f"`python -m sim.sweep`. {run_cmd}"
        )
    tables = tuple(t for t in TABLES if any((path / t).glob("*.parquet")))
    if not tables:
        raise SweepError(
            f"The sweep folder {path} has no finished chunk yet (no Parquet files under "
            f"{', '.join(t + '/' for t in TABLES)}). Run or resume the sweep first with the same "
            f"`python -m sim.sweep` command."
        )
    return Sweep(path=path, spec=spec, runs=runs, tables=tables)


def plain_strings(df: pd.DataFrame) -> pd.DataFrame:
    """The table with categorical and string-typed columns as plain Python strings (object)."""
    out = df.copy()
    for col in out.columns:
        dtype = out[col].dtype
        if isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(dtype):
            values = out[col].astype(object)
            out[col] = values.where(values.notna(), "").map(str).astype(object)
    return out


def with_parameters(
    df: pd.DataFrame,
    path: str | Path,
    parameters: Sequence[str] | None = None,
    keys: Sequence[str] = ("point", "replicate", "seed"),
) -> pd.DataFrame:
    """The table with its runs' design point, replicate, seed and parameter values (all, or
    `parameters`) joined from the sweep's runs.parquet on `run`.

    Raises:
        SweepError: the folder has no readable runs.parquet, or a parameter is not in it.
    """
    runs_path = Path(path) / "runs.parquet"
    try:
        runs = pd.read_parquet(runs_path)
    except Exception as exc:  # pyarrow raises several types for a missing or broken file
        raise SweepError(
            f"{runs_path} is not a readable Parquet file ({exc}): give the sweep folder that "
            f"`python -m sim.sweep` wrote."
        ) from exc
    names = [c for c in runs.columns if c not in RUN_KEYS] if parameters is None else list(parameters)
    missing = [n for n in names if n not in runs.columns]
    if missing:
        raise SweepError(
            f"{runs_path} has no parameter {', '.join(map(repr, missing))}; it has "
            f"{', '.join(c for c in runs.columns if c not in RUN_KEYS)}."
        )
    wanted = ["run", *[k for k in keys if k in runs.columns], *names]
    return df.merge(runs[wanted], on="run", how="left", validate="many_to_one")


def _filters(
    steps: Sequence[int] | None, max_step: int | None, runs: tuple[int, int] | None
) -> list[tuple[str, str, Any]] | None:
    out: list[tuple[str, str, Any]] = []
    if steps is not None:
        out.append(("step", "in", [int(s) for s in steps]))
    if max_step is not None:
        out.append(("step", "<=", int(max_step)))
    if runs is not None:
        out += [("run", ">=", int(runs[0])), ("run", "<=", int(runs[1]))]
    return out or None


def read_table(
    path: str | Path,
    name: str,
    columns: Sequence[str],
    *,
    steps: Sequence[int] | None = None,
    max_step: int | None = None,
    runs: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Some columns of one dataset (states, ties or events), optionally only at `steps`, up to
    `max_step`, or for runs in the closed range `runs`; string columns as plain strings."""
    df = pd.read_parquet(Path(path) / name, columns=list(columns), filters=_filters(steps, max_step, runs))
    return plain_strings(df)


def parts(path: str | Path, name: str) -> list[Path]:
    """The Parquet files of one dataset, in name (chunk) order; files being written are skipped."""
    return sorted(p for p in (Path(path) / name).glob("*.parquet") if not p.name.startswith((".", "_")))


def iter_parts(
    path: str | Path, name: str, columns: Sequence[str], *, steps: Sequence[int] | None = None
) -> Iterator[pd.DataFrame]:
    """One DataFrame per file (chunk of runs) of a dataset, with only `columns` (and `steps`)."""
    for part in parts(path, name):
        df = pd.read_parquet(part, columns=list(columns), filters=_filters(steps, None, None))
        yield plain_strings(df)


def step_dates(path: str | Path, table: str = "states") -> pd.DataFrame:
    """The recorded steps and their dates ('YYYY-MM'), from the first run of the first chunk
    (every run of a sweep records the same steps)."""
    files = parts(path, table)
    if not files:
        raise SweepError(f"The sweep folder {path} has no {table}/ dataset to read the recorded steps from.")
    df = plain_strings(pd.read_parquet(files[0], columns=["run", "step", "date"]))
    first = df.loc[df["run"] == df["run"].min(), ["step", "date"]]
    return first.drop_duplicates("step").sort_values("step").reset_index(drop=True)


@dataclass(frozen=True)
class Layout:
    """What every run of a sweep shares: recorded steps and dates, states (code -> name), powers;
    and the runs found in the datasets."""

    steps: list[int]
    dates: list[str]
    states: dict[str, str]
    powers: list[str]
    runs: list[int]

    def date_of(self, step: int) -> str:
        return dict(zip(self.steps, self.dates, strict=True)).get(int(step), "")


def layout(sweep: Sweep) -> Layout:
    """Steps, dates, states, powers (from the first run of the first chunk) and the runs present."""
    monthly = "states" if "states" in sweep.tables else "ties" if "ties" in sweep.tables else ""
    if not monthly:
        raise SweepError(
            f"The sweep folder {sweep.path} has neither states/ nor ties/ (sweep.tables left both "
            f"out): there is no monthly state to report on. Run the sweep with both tables."
        )
    sd = step_dates(sweep.path, monthly)
    steps = [int(s) for s in sd["step"]]
    if "states" in sweep.tables:
        first = plain_strings(
            pd.read_parquet(parts(sweep.path, "states")[0], columns=["run", "step", "state", "name", "leading_partner"])
        )
        first = first.loc[first["run"] == first["run"].min()]
        states = dict(
            zip(
                first.loc[first["step"] == steps[0], "state"], first.loc[first["step"] == steps[0], "name"], strict=True
            )
        )
        powers = {p for p in first["leading_partner"] if p not in ("", "none")}
    else:
        states, powers = {}, set()
    if "ties" in sweep.tables:
        ties = plain_strings(pd.read_parquet(parts(sweep.path, "ties")[0], columns=["run", "step", "state", "power"]))
        ties = ties.loc[(ties["run"] == ties["run"].min()) & (ties["step"] == steps[0])]
        powers = set(ties["power"])
        states = states or {s: s for s in ties["state"]}
    states = dict(sorted(states.items()))
    return Layout(
        steps=steps,
        dates=[str(d) for d in sd["date"]],
        states=states,
        powers=[p for p in ordered_powers(powers) if p != "none"],
        runs=runs_present(sweep.path, sweep.tables, steps[0]),
    )


def runs_present(path: str | Path, tables: Sequence[str], first_step: int) -> list[int]:
    """The runs found in every one of the monthly datasets present (states, ties) at `first_step`."""
    found: set[int] | None = None
    for name in (t for t in ("states", "ties") if t in tables):
        here = set(
            pd.read_parquet(Path(path) / name, columns=["run"], filters=[("step", "==", int(first_step))])[
                "run"
            ].tolist()
        )
        found = here if found is None else found & here
    return sorted(found or ())
