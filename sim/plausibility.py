"""`python -m sim.plausibility`: the plausibility battery. Runs a large ensemble of the baseline and
of every experiment in conf/experiment/, and checks each against the stylized facts of
conf/plausibility/facts.yaml (docs/validation.md, "Plausibility battery").

    python -m sim.plausibility                                   # 1,000 runs of the baseline and every experiment
    python -m sim.plausibility --runs 200 --scenario baseline,coup_wave
    python -m sim.plausibility --facts my_facts.yaml --out outputs/plausibility_mine incentives=calibrated

Prints one row per ensemble and fact (fact, expected range, model value, pass/fail, source) and
writes into --out (default outputs/plausibility): battery.csv and battery.parquet (the table with
each fact's detail, tolerance and full source), battery.html (the same as one page) and
battery.json (what was run, and the counts). Exit code: 0 when every check passes or does not
apply (a fact whose event type the model does not have yet is "n/a"), 1 when a check fails,
2 for bad input (options, overrides or the facts file).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from analysis.plausibility_facts import BASELINE, FactsError, check_codes, load_facts
from analysis.plausibility_metrics import NEEDS_REFERENCE
from analysis.plausibility_report import battery_html, battery_text, summary_counts
from sim.battery import COLUMNS, DEFAULT_FACTS, EXIT_FAILED, check, ensemble_tables, experiment_names
from sim.commandline import Parser, add_common, check_common, check_months, configure, fail, make_out, write_json
from sim.core.atomic import write_text_atomic
from sim.core.io import write_csv_atomic, write_parquet_atomic
from sim.core.provenance import provenance


def parse_scenarios(text: str | None, known: list[str]) -> list[str]:
    """'baseline,coup_wave' -> those names (all when None); an unknown name ends the program."""
    if text is None:
        return known
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in known]
    if not names or unknown:
        fail(
            f"--scenario {text!r} names {unknown or 'nothing'}: give a comma-separated list among {known}, "
            "e.g. --scenario baseline,coup_wave."
        )
    return names


def main(argv: list[str] | None = None) -> int:
    """Run the battery; returns the exit code (0 all pass, 1 a check fails; bad input exits with 2)."""
    parser = Parser(prog="python -m sim.plausibility", description=__doc__.split("\n\n")[0])
    add_common(parser, runs=1000, out="outputs/plausibility")
    parser.add_argument(
        "--scenario",
        default=None,
        metavar="NAMES",
        help="ensembles to check, comma-separated: baseline and experiment names (default: all)",
    )
    parser.add_argument(
        "--facts", type=Path, default=DEFAULT_FACTS, help="facts file (default conf/plausibility/facts.yaml)"
    )
    parser.add_argument("--months", type=int, default=36, help="months to simulate (default 36)")
    args = parser.parse_intermixed_args(argv)
    check_common(args)
    check_months(args.months, f"--months {args.months}")
    if any(o.split("=")[0].lstrip("+~") == "experiment" for o in args.overrides):
        fail(
            "the battery chooses the experiment itself: select ensembles with --scenario (e.g. --scenario "
            "coup_wave), not experiment=."
        )
    known = [BASELINE, *experiment_names()]
    chosen = parse_scenarios(args.scenario, known)
    try:
        facts = load_facts(args.facts, known)
    except FactsError as exc:
        fail(str(exc))
    needs_reference = any(f.metric in NEEDS_REFERENCE and f.applies(e) for f in facts for e in chosen)
    to_run = [BASELINE] if needs_reference and BASELINE not in chosen else []
    to_run += chosen

    started = time.perf_counter()
    rows: list[dict] = []
    timings: dict[str, float] = {}
    reference = None
    for name in to_run:
        t0 = time.perf_counter()
        cfg, world = configure([*args.overrides, *([] if name == BASELINE else [f"experiment={name}"])])
        try:
            check_codes(facts, world.states, world.powers, world.blocs, args.facts)
        except FactsError as exc:
            fail(str(exc))
        tables = ensemble_tables(cfg, world, args.runs, args.seed, args.months, args.chunk)
        if name == BASELINE:
            reference = tables
        if name in chosen:
            rows += check(facts, name, tables, reference)
        timings[name] = round(time.perf_counter() - t0, 1)
        if not args.quiet:
            print(f"{name}: {args.runs} runs x {args.months} months in {timings[name]:.1f} s", file=sys.stderr)
    results = pd.DataFrame(rows, columns=COLUMNS)

    out: Path = args.out
    make_out(out)
    write_csv_atomic(results, out / "battery.csv")
    write_parquet_atomic(results, out / "battery.parquet")
    counts = summary_counts(results)
    meta = {
        "command": "python -m sim.plausibility " + " ".join(argv if argv is not None else sys.argv[1:]),
        "runs": args.runs,
        "seed": args.seed,
        "months": args.months,
        "ensembles": chosen,
        "overrides": args.overrides,
        "facts": str(args.facts),
        "seconds": round(time.perf_counter() - started, 1),
    }
    write_text_atomic(out / "battery.html", battery_html(results, meta))
    write_json(
        {
            **meta,
            "counts": counts,
            "seconds_per_ensemble": timings,
            "provenance": provenance(world.path),
            "results": results,
        },
        out / "battery.json",
    )
    print(battery_text(results))
    if not args.quiet:
        print(f"Written to {out}", file=sys.stderr)
    return EXIT_FAILED if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
