"""`python -m sim.hindcast`: run the January 2020 world to May 2024 many times and score the
ensemble's event probabilities against what happened (docs/validation.md).

    python -m sim.hindcast                                   # 1,000 runs, scenarios/hindcast_2020.yaml
    python -m sim.hindcast --runs 200 --seed 1 --out outputs/hc_small
    python -m sim.hindcast incentives=sovereigntist hazards.coup_base=0.002   # any model override
    python -m sim.hindcast --world path/to/world.yaml --end 2022-12

Writes into --out (default outputs/hindcast): hindcast.parquet and hindcast.csv (one row per state
and scored event: probability, observed, class), observed.csv (the timeline mapped to the model's
events, with what is and is not scored), scores.json (Brier scores, skill scores, reliability,
contingency table, largest errors, scores per kind of event), reliability.png, hindcast_heat.png
and config.yaml. Bad input stops with one `error:` paragraph and exit code 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

from analysis.figures import save_figure
from analysis.hindcast_plots import outcome_heat_table, reliability_diagram
from analysis.observed import DEFAULT_TIMELINE, SCORED, observed_outcomes, outcome_cells
from analysis.scoring import score_cells
from sim.commandline import (
    Parser,
    add_common,
    check_common,
    check_months,
    configure,
    fail,
    make_out,
    month_option,
    save_config,
    write_json,
)
from sim.core.io import write_csv_atomic, write_parquet_atomic
from sim.core.provenance import provenance
from sim.core.world import month_to_str, str_to_month
from sim.hindcast_scoring import DEFAULT_WORLD, hindcast_cells, observed_events
from sim.outlook import ensemble_first_months

DEFAULT_END = "2024-05"


def summary(scores: dict, out: Path) -> str:
    """A few lines: the Brier and skill scores and the contingency table."""
    c = scores["contingency"]
    lines = [
        f"Hindcast {scores['world']} {scores['start']} -> {scores['end']} ({scores['months']} months), "
        f"{scores['runs']} runs: {scores['cells']} cells, {scores['events']} observed events.",
        f"Brier score {scores['brier']:.4f}; base rate {scores['brier_base_rate']:.4f}; "
        f"nothing changes {scores['brier_nothing_changes']:.4f}.",
        f"Skill vs base rate {scores['skill_vs_base_rate']:+.3f}; vs nothing changes "
        f"{scores['skill_vs_nothing_changes']:+.3f}; ROC AUC {scores['auc']:.3f}.",
        f"At p >= {scores['threshold']}: {c['hits']} hits, {c['misses']} misses, {c['false_alarms']} false alarms, "
        f"{c['correct_negatives']} correct negatives.",
        f"Written to {out}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> Path:
    parser = Parser(prog="python -m sim.hindcast", description=__doc__.split("\n\n")[0])
    add_common(parser, runs=1000, out="outputs/hindcast")
    parser.add_argument(
        "--world", default=None, help=f"world file: a name in scenarios/ or a path (default {DEFAULT_WORLD})"
    )
    parser.add_argument("--end", default=DEFAULT_END, help=f"last month simulated and scored (default {DEFAULT_END})")
    parser.add_argument("--months", type=int, default=None, help="months to simulate instead of --end")
    parser.add_argument("--timeline", type=Path, default=DEFAULT_TIMELINE, help="timeline file of observed events")
    parser.add_argument(
        "--timeline-only",
        action="store_true",
        help="score against the timeline alone, without the documented supplements",
    )
    args = parser.parse_intermixed_args(argv)
    check_common(args)
    end_month = month_option(args.end, "--end") if args.months is None else None
    if args.months is not None:
        check_months(args.months, f"--months {args.months}")
    overrides = [f"scenario={DEFAULT_WORLD}", *args.overrides]
    if args.world:
        overrides.append(f"scenario.name={args.world}")
    cfg, world = configure(overrides)
    if end_month is not None:
        args.months = end_month - str_to_month(world.as_of)
        check_months(args.months, f"--end {args.end} with the world's as_of {world.as_of}")
    try:
        mapped = observed_events(args.timeline, world, supplements=not args.timeline_only)
    except ValueError as exc:
        fail(str(exc))
    end = month_to_str(str_to_month(world.as_of) + args.months)
    observed = observed_outcomes(mapped, outcome_cells(world.states, SCORED), world.as_of, end)

    first = ensemble_first_months(cfg, world, args.runs, args.seed, args.months, args.chunk, progress=not args.quiet)
    cells = hindcast_cells(first, args.runs, args.months, observed)
    scores = score_cells(cells)
    scores = {
        "world": world.name,
        "world_file": str(world.path),
        "start": world.as_of,
        "end": end,
        "months": args.months,
        "runs": args.runs,
        "seed": args.seed,
        "overrides": args.overrides,
        "timeline": str(args.timeline),
        "supplements": not args.timeline_only,
        "provenance": provenance(world.path),
        **scores,
    }

    out: Path = args.out
    make_out(out)
    write_parquet_atomic(cells, out / "hindcast.parquet")
    write_csv_atomic(cells, out / "hindcast.csv")
    write_csv_atomic(mapped, out / "observed.csv")
    write_json(scores, out / "scores.json")
    save_config(cfg, out / "config.yaml")
    save_figure(
        reliability_diagram(scores["reliability"], f"Reliability of the hindcast {world.as_of} to {end}"),
        out / "reliability.png",
    )
    save_figure(
        outcome_heat_table(cells, f"Hindcast: probability of each event {world.as_of} to {end} ({args.runs} runs)"),
        out / "hindcast_heat.png",
    )
    if not args.quiet:
        print(summary(scores, out))
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
