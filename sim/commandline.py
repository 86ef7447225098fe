"""Command-line plumbing shared by the commands (`python -m sim`, `sim.sweep`, `sim.hindcast`,
`sim.forecast`, `sim.calibrate`, `sim.insurgency_fit`): one `error:` paragraph and exit code 2 for a
user's mistake, the options every ensemble command takes, the configuration from conf/ with
overrides, and the files every command writes (its resolved configuration, JSON results).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import math
import sys
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import pandas as pd
import yaml

from sim.config import compose_config, precheck_overrides
from sim.core.atomic import file_problem, folder_problem, write_text_atomic
from sim.core.params import Config, ConfigError
from sim.core.world import DATE, World, WorldError, load_world, scenario_path, str_to_month

EXIT_BAD_INPUT = 2


def fail(message: str) -> NoReturn:
    """Print one paragraph for a user's mistake and exit without a traceback."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(EXIT_BAD_INPUT)


class Parser(argparse.ArgumentParser):
    """An argument parser whose mistakes end like `python -m sim`'s: one `error:` line, exit 2."""

    def error(self, message: str) -> NoReturn:
        usage = " ".join(self.format_usage().split()).removeprefix("usage: ")
        fail(f"{message}. Usage: {usage} (see --help).")


def add_common(parser: argparse.ArgumentParser, runs: int, out: str) -> None:
    """The options of every ensemble command: overrides, --runs, --seed, --out, --chunk, --quiet."""
    parser.add_argument(
        "overrides",
        nargs="*",
        metavar="KEY=VALUE",
        help="configuration overrides as for python -m sim, e.g. incentives=sovereigntist hazards.coup_base=0.002",
    )
    parser.add_argument("--runs", type=int, default=runs, help=f"number of runs (default {runs})")
    parser.add_argument("--seed", type=int, default=0, help="ensemble seed; run r uses run_seed(seed, r) (default 0)")
    parser.add_argument("--out", type=Path, default=Path(out), help=f"output folder (default {out})")
    parser.add_argument("--chunk", type=int, default=250, help="runs simulated at once (memory; default 250)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no summary")


def check_common(args: argparse.Namespace) -> None:
    """--runs, --chunk, --seed and --out of `add_common`; a bad one ends the program with one `error:`
    paragraph. --out is checked before anything is computed, and nothing is created (check_out)."""
    if args.runs < 1:
        fail(f"--runs must be at least 1, got {args.runs}. Give the number of simulated histories, e.g. --runs 1000.")
    if args.chunk < 1:
        fail(f"--chunk must be at least 1, got {args.chunk}. It is the number of runs simulated at once, e.g. 250.")
    if args.seed < 0:
        fail(f"--seed must be 0 or more, got {args.seed}.")
    check_out(args.out)


def check_out(path: Path, option: str = "--out") -> None:
    """An output folder that can be made (or written into), checked without creating it."""
    problem = folder_problem(path)
    if problem:
        fail(
            f"{option} {path}: {problem}. Give a folder that can be created or written into, e.g. "
            f"{option} outputs/{Path(path).name or 'results'}_new."
        )


def check_out_file(path: Path, option: str) -> None:
    """An output file that can be written (its folders made as needed), checked without creating anything."""
    problem = file_problem(path)
    if problem:
        fail(
            f"{option} {path}: {problem}. Give the path of a file that can be written, e.g. {option} "
            f"outputs/{Path(path).stem or 'result'}.yaml."
        )


def make_out(path: Path, option: str = "--out") -> Path:
    """Make the output folder checked by check_out; if the system still refuses (a read-only disk),
    one `error:` paragraph instead of a traceback."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(
            f"{option} {path}: the folder cannot be made ({exc.strerror}). Give a folder you can write into "
            f"and run the command again."
        )
    return path


def month_option(text: str, option: str) -> int:
    """A YYYY-MM option (e.g. --end 2024-05) as a month index; a month that is not one (2024-13, 2024-00,
    2024-06-31) ends the program with one `error:` paragraph."""
    m = DATE.match(text.strip())
    valid = m is not None and 1 <= int(m.group(2)) <= 12
    if valid and m.group(3) is not None:
        try:
            dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            valid = False
    if not valid:
        fail(
            f"{option} {text!r} is not a month: write it as YYYY-MM with a month from 01 to 12, e.g. {option} 2022-12."
        )
    return str_to_month(text.strip())


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
    """A number of months to simulate (1 to 600), `what` saying where it came from."""
    if not 1 <= months <= 600:
        fail(f"{what} gives {months} months to simulate; it must be between 1 and 600.")


def save_config(cfg: Config, path: Path) -> None:
    """The resolved configuration, for reproducibility."""
    write_text_atomic(path, yaml.safe_dump(dataclasses.asdict(cfg), sort_keys=False))


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
    """`data` as indented JSON (see json_ready), ending with a newline."""
    write_text_atomic(path, json.dumps(json_ready(data), indent=2) + "\n")
