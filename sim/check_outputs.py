"""`python -m sim.check_outputs DIR`: check a run or sweep directory against the output contract
(docs/architecture.md, "The output contract").

Finds states/ties/events tables (Parquet files or Parquet dataset folders) anywhere under DIR and
checks columns, the closed event vocabulary, date format, codes, and that numbers are finite and
troops are never negative. Prints each problem and exits 1 if there is any, else prints a summary.

Source: a copy of the team's shared checker (`shared/tools/check_outputs.py`, as of 2026-12-04),
kept in the repository so that the project runs without the shared folder. One change: the closed
event vocabulary is read from the model's catalogue (`sim.core.vocabulary.EVENT_TYPES`) instead of
the 14 types written into the shared copy, which predates the types that dated commitments and coup
attempts added (coup_attempt, election, transition_extended, drawdown, commitment_slipped).
"""

import pathlib
import sys

import numpy as np
import pandas as pd

from sim.core.vocabulary import EVENT_TYPES as VOCABULARY

REQUIRED = {
    "states": {"run", "step", "date", "state", "regime"},
    "ties": {"run", "step", "date", "state", "power", "affinity", "troops"},
    "events": {"run", "step", "date", "type", "state", "power", "bloc", "scripted", "cause"},
}
EVENT_TYPES = set(VOCABULARY)


def find(root: pathlib.Path, name: str) -> pathlib.Path | None:
    """The first table of that name under root: a Parquet file, else a dataset folder."""
    hits = sorted(root.rglob(f"{name}.parquet")) or sorted(p for p in root.rglob(name) if p.is_dir())
    return hits[0] if hits else None


def main(root: pathlib.Path) -> int:
    """Check the tables under root; print the problems (exit code 1) or a summary (0)."""
    problems: list[str] = []
    tables = {}
    for name, cols in REQUIRED.items():
        path = find(root, name)
        if path is None:
            problems.append(f"{name}: no {name}.parquet (or {name}/ dataset) under {root}")
            continue
        df = pd.read_parquet(path)
        tables[name] = df
        missing = cols - set(df.columns)
        if missing:
            problems.append(f"{name}: missing columns {sorted(missing)}")
        if "date" in df and len(df):
            bad = ~df["date"].astype(str).str.fullmatch(r"\d{4}-\d{2}")
            if bad.any():
                problems.append(f"{name}: {int(bad.sum())} dates not in YYYY-MM form, e.g. {df['date'][bad].iloc[0]!r}")
        if "state" in df and len(df):
            bad = ~df["state"].astype(str).str.fullmatch(r"[A-Z]{3}")
            if bad.any():
                problems.append(f"{name}: state codes not ISO3, e.g. {df['state'][bad].iloc[0]!r}")
        num = df.select_dtypes(include=[np.number])
        if len(num.columns) and not np.isfinite(num.to_numpy(dtype=float)).all():
            problems.append(f"{name}: non-finite numbers in {[c for c in num if not np.isfinite(num[c]).all()]}")
    ties = tables.get("ties")
    if ties is not None and "troops" in ties and (ties["troops"] < 0).any():
        problems.append("ties: negative troops")
    ev = tables.get("events")
    if ev is not None and "type" in ev:
        unknown = set(ev["type"].astype(str)) - EVENT_TYPES
        if unknown:
            problems.append(f"events: types outside the vocabulary {sorted(unknown)}")
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"ok: {', '.join(f'{k} {len(v)} rows' for k, v in tables.items())}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(pathlib.Path(sys.argv[1])))
