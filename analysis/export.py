"""`python -m analysis.export DIR OUT`: a run's or a sweep's tables as CSV files, for spreadsheets.

    python -m analysis.export outputs/2024-05-01/12-00-00 /tmp/run_csv
    python -m analysis.export outputs/sweeps/demo_lhs /tmp/lhs_csv --parameters --tables states events

Each table (states, ties, events, bases, borders; runs for a sweep) becomes OUT/NAME.csv with codes
and dates as text (`YYYY-MM`). A sweep's dataset is read and written one chunk file at a time, so
the export never holds a whole dataset; `--parameters` adds each run's design point, replicate,
seed and parameter values (from runs.parquet) to every row, which spreadsheets need and the
Parquet files leave out. Bad input exits with status 2 and one `error:` paragraph.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import pandas as pd

from analysis.sweep_data import SweepError, parts, plain_strings, with_parameters
from sim.core.atomic import atomic_path

EXIT_BAD_INPUT = 2
TABLES: tuple[str, ...] = ("states", "ties", "events", "bases", "borders")


def _sources(folder: Path, name: str) -> list[Path]:
    """The Parquet files of one table: a run's NAME.parquet, or a sweep's NAME/ chunk files."""
    single = folder / f"{name}.parquet"
    return [single] if single.is_file() else parts(folder, name)


def export_csv(
    folder: str | Path, out: str | Path, tables: Sequence[str] = TABLES, parameters: bool = False
) -> list[Path]:
    """Write each table found in `folder` (a run directory or a sweep folder) as OUT/NAME.csv and
    return the paths; with `parameters`, a sweep's rows get their run's parameter values.

    Raises:
        SweepError: the folder holds none of the tables asked for, or parameters are asked for a
            folder that is not a sweep.
    """
    folder, out = Path(folder), Path(out)
    is_sweep = (folder / "runs.parquet").is_file()
    if parameters and not is_sweep:
        raise SweepError(
            f"{folder} has no runs.parquet, so it is not a sweep folder and has no parameters to add: "
            f"leave out --parameters, or give the folder `python -m sim.sweep` wrote."
        )
    found = {name: _sources(folder, name) for name in tables}
    if not any(found.values()):
        raise SweepError(
            f"{folder} holds none of the tables {', '.join(tables)} (as NAME.parquet or NAME/*.parquet): "
            f"give a run directory (python -m sim) or a sweep folder (python -m sim.sweep)."
        )
    out.mkdir(parents=True, exist_ok=True)
    written = []
    if is_sweep:
        target = out / "runs.csv"
        with atomic_path(target) as tmp:
            pd.read_parquet(folder / "runs.parquet").to_csv(tmp, index=False)
        written.append(target)
    for name, files in found.items():
        if not files:
            continue
        target = out / f"{name}.csv"
        with atomic_path(target) as tmp:
            for i, file in enumerate(files):
                df = plain_strings(pd.read_parquet(file))
                if parameters and "run" in df.columns:
                    df = with_parameters(df, folder)
                df.to_csv(tmp, index=False, header=i == 0, mode="w" if i == 0 else "a")
        written.append(target)
    return written


def _fail(message: str) -> NoReturn:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(EXIT_BAD_INPUT)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's own usage errors, in the project's format
        _fail(f"{message}. Usage: python -m analysis.export DIR OUT [--parameters] [--tables NAME ...].")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: python -m analysis.export DIR OUT [--parameters] [--tables NAME ...]."""
    parser = _Parser(prog="python -m analysis.export", description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", help="a run directory or a sweep folder")
    parser.add_argument("out", help="the folder to write the CSV files into")
    parser.add_argument("--parameters", action="store_true", help="add each run's parameter values (sweeps)")
    parser.add_argument(
        "--tables",
        nargs="+",
        default=list(TABLES),
        choices=TABLES,
        metavar="NAME",
        help=f"the tables to export (default: all of {', '.join(TABLES)})",
    )
    args = parser.parse_args(argv)
    try:
        paths = export_csv(args.dir, args.out, args.tables, args.parameters)
    except SweepError as exc:
        _fail(str(exc))
    print(f"wrote {len(paths)} CSV files to {args.out}: {', '.join(p.name for p in paths)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
