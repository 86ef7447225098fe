"""`python -m sim.forecast`: the probability of every event in every state within 12, 24 and 36
months of the end-May-2024 world, from a large ensemble (docs/validation.md).

    python -m sim.forecast                                  # 1,000 runs of sahel_2024, 36 months, set by the verdict
    python -m sim.forecast incentives=baseline              # the hand-set default weights and hazards, explicitly
    python -m sim.forecast incentives=calibrated            # the fitted set, explicitly, whatever the verdict
    python -m sim.forecast --posterior                      # over the calibration's accepted points, not their mean
    python -m sim.forecast --calibration outputs/calibration  # a calibration kept in a folder (sim.calibrate --out)
    python -m sim.forecast --runs 5000 --seed 3 --horizons 6,12,24,36 --out outputs/forecast_5k
    python -m sim.forecast --world path/to/world.yaml experiment=us_stays

Writes into --out (default outputs/forecast): forecast.parquet and forecast.csv with one row per
state, event type (the closed vocabulary sim.core.events.EVENT_TYPES), power or bloc (empty where the
type has neither) and horizon: the share of runs in which the event happens at least once within
the horizon; forecast_heat_<H>m.png (states x event types, any power or bloc) for each horizon;
forecast.json (what was run) and config.yaml. The default world holds only facts known by the end
of May 2024. The model uses the calibrated weights and hazards (`incentives=calibrated`, fitted to
2020-22) only when the calibration's verdict (conf/incentives/calibrated_verdict.json) says they beat
the hand-set defaults out of time by more than the bootstrap uncertainty (docs/calibration.md);
otherwise the hand-set defaults. An `incentives=` override chooses a set explicitly. The command
prints which set it uses and why, and forecast.json records it. --posterior integrates over the
calibration's accepted points (conf/incentives/calibrated_posterior.csv): run r uses point r mod k,
so parameter uncertainty enters the probabilities. --calibration FOLDER reads the calibration, its
verdict and its accepted points from a folder that `python -m sim.calibrate --out FOLDER` wrote
into (where an installed package writes them) instead of conf/incentives/.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from analysis.ensemble_plots import probability_heat_table
from analysis.figures import save_figure
from sim.calibration_verdict import CALIBRATED_CONFIG, calibration_file, choose_set, verdict_path
from sim.commandline import (
    Parser,
    add_common,
    check_common,
    check_months,
    configure,
    fail,
    make_out,
    save_config,
    write_json,
)
from sim.core.io import write_csv_atomic, write_parquet_atomic
from sim.core.params import ConfigError
from sim.core.per_run import with_run_parameters
from sim.core.provenance import provenance
from sim.core.vocabulary import EVENT_TYPES
from sim.core.world import World, month_to_str, str_to_month
from sim.outlook import KEYS, ensemble_first_months, forecast_grid, probability_within
from sim.posterior_sample import posterior_draws, posterior_path, read_posterior, sample_parameters


def parse_horizons(text: str, months: int) -> list[int]:
    """'12,24,36' -> [12, 24, 36]; each horizon a whole number of months from 1 to `months`."""
    try:
        horizons = sorted({int(h) for h in text.split(",") if h.strip()})
    except ValueError:
        fail(f"--horizons {text!r} is not a list of months: write e.g. --horizons 12,24,36.")
    if not horizons or horizons[0] < 1 or horizons[-1] > months:
        fail(f"--horizons {text!r} must name months between 1 and --months ({months}), e.g. 12,24,36.")
    return horizons


def forecast_table(first: pd.DataFrame, world: World, runs: int, horizons: list[int]) -> pd.DataFrame:
    """One row per state, event type, power or bloc and horizon with the probability of the event."""
    grid = forecast_grid(world)
    parts = []
    for h in horizons:
        part = grid.merge(probability_within(first, runs, h), on=KEYS, how="left")
        part.insert(4, "horizon", h)
        part.insert(5, "date_end", month_to_str(str_to_month(world.as_of) + h))
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["n_runs_with_event"] = out["n_runs_with_event"].fillna(0).astype(int)
    out["probability"] = out["probability"].fillna(0.0)
    out["n_runs"] = runs
    return out


def any_partner(first: pd.DataFrame, world: World, runs: int, horizon: int) -> pd.DataFrame:
    """Probability of each event type in each state within `horizon`, whatever the power or bloc,
    for every state and type (zeros included): columns state, type, horizon, probability."""
    grid = pd.DataFrame([(s, t) for s in world.states for t in EVENT_TYPES], columns=["state", "type"])
    earliest = first.groupby(["run", "state", "type"], as_index=False)["step"].min()
    out = grid.merge(
        probability_within(earliest, runs, horizon, ["state", "type"]), on=["state", "type"], how="left"
    ).fillna({"probability": 0.0})
    out["horizon"] = horizon
    return out


#: The accepted points of the calibration (conf/incentives/calibrated.yaml), for --posterior.
DEFAULT_POSTERIOR = posterior_path(CALIBRATED_CONFIG)
#: The calibration's verdict: whether the forecast uses its fitted set (sim.calibration_verdict).
VERDICT = verdict_path(CALIBRATED_CONFIG)


def main(argv: list[str] | None = None) -> Path:
    parser = Parser(prog="python -m sim.forecast", description=__doc__.split("\n\n")[0])
    add_common(parser, runs=1000, out="outputs/forecast")
    parser.add_argument(
        "--world",
        default=None,
        help="world file: a name in scenarios/ or a path (default: the configuration's, sahel_2024)",
    )
    parser.add_argument("--months", type=int, default=36, help="months to simulate (default 36)")
    parser.add_argument("--horizons", default="12,24,36", help="horizons in months (default 12,24,36)")
    parser.add_argument(
        "--posterior",
        nargs="?",
        const=str(DEFAULT_POSTERIOR),
        default=None,
        metavar="CSV",
        help="integrate over a calibration's accepted points instead of their mean: run r uses "
        f"point r mod k (default file {DEFAULT_POSTERIOR.name} beside the calibration)",
    )
    parser.add_argument(
        "--calibration",
        type=Path,
        default=None,
        metavar="PATH",
        help="a calibration kept elsewhere: the folder `python -m sim.calibrate --out` wrote into, "
        f"or its .yaml file (default {CALIBRATED_CONFIG.name} of the configuration's "
        "incentives group)",
    )
    args = parser.parse_intermixed_args(argv)
    check_common(args)
    check_months(args.months, f"--months {args.months}")
    horizons = parse_horizons(args.horizons, args.months)
    try:
        if args.calibration is None:
            chosen = choose_set(args.overrides, CALIBRATED_CONFIG, VERDICT)
        else:
            calibration = calibration_file(args.calibration)
            if not calibration.is_file():
                fail(
                    f"--calibration {args.calibration}: {calibration} does not exist. Name the folder that "
                    f"`python -m sim.calibrate --out FOLDER` wrote into, or the calibration's .yaml file."
                )
            chosen = choose_set(args.overrides, calibration, verdict_path(calibration))
            if args.posterior == str(DEFAULT_POSTERIOR):
                args.posterior = str(posterior_path(calibration))
    except ValueError as exc:
        fail(str(exc))
    overrides = [*chosen.overrides, *args.overrides, *([f"scenario.name={args.world}"] if args.world else [])]
    cfg, world = configure(overrides)
    draws = None
    if args.posterior is not None:
        try:
            sample = read_posterior(Path(args.posterior))
            names = sample_parameters(sample)
            draws = posterior_draws(sample, names, args.runs)
            with_run_parameters(cfg, draws, args.runs)  # the values' names and ranges, before any run
        except (ValueError, ConfigError) as exc:
            fail(f"--posterior {args.posterior}: {exc}")

    first = ensemble_first_months(
        cfg, world, args.runs, args.seed, args.months, args.chunk, progress=not args.quiet, run_parameters=draws
    )
    table = forecast_table(first, world, args.runs, horizons)
    out: Path = args.out
    make_out(out)
    write_parquet_atomic(table, out / "forecast.parquet")
    write_csv_atomic(table, out / "forecast.csv")
    for h in horizons:
        save_figure(probability_heat_table(any_partner(first, world, args.runs, h), h), out / f"forecast_heat_{h}m.png")
    write_json(
        {
            "world": world.name,
            "world_file": str(world.path),
            "start": world.as_of,
            "months": args.months,
            "horizons": horizons,
            "runs": args.runs,
            "seed": args.seed,
            "overrides": overrides,
            "provenance": provenance(world.path),
            "parameter_set": chosen.as_dict(),
            "posterior": None
            if draws is None
            else {"file": str(args.posterior), "points": len(sample), "parameters": names},
        },
        out / "forecast.json",
    )
    save_config(cfg, out / "config.yaml")
    if not args.quiet:
        last = table.loc[(table["horizon"] == horizons[-1]) & (table["type"] == "coup")]
        top = last.sort_values("probability", ascending=False).head(5)
        print(f"Forecast {world.name} from {world.as_of}, {args.runs} runs, horizons {horizons} months.")
        print(f"Parameter set: {chosen.name}; {chosen.reason}.")
        print(
            f"Coup within {horizons[-1]} months, highest: "
            + ", ".join(f"{s} {p:.0%}" for s, p in zip(top["state"], top["probability"], strict=True))
        )
        print(f"Written to {out}")
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
