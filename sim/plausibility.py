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

from analysis.plausibility_facts import BASELINE, Fact, FactsError, check_codes, load_facts
from analysis.plausibility_metrics import NEEDS_REFERENCE, EnsembleTables, MetricValue, evaluate, verdict
from analysis.plausibility_report import battery_html, battery_text, summary_counts
from sim.commandline import Parser, add_common, check_counts, check_months, configure, fail, write_json
from sim.config import CONF_DIR
from sim.core.io import write_parquet_atomic
from sim.core.params import Config
from sim.core.provenance import provenance
from sim.core.world import World
from sim.designs import run_seed
from sim.ensemble import run_batch

DEFAULT_FACTS = CONF_DIR / "plausibility" / "facts.yaml"
EXIT_FAILED = 1
_STATE_COLS = ["run", "step", "state", "regime", "leading_partner"]
_TIE_COLS = ["run", "step", "state", "power", "troops", "affinity"]
_EVENT_COLS = ["run", "step", "type", "state", "power", "bloc"]
COLUMNS = ["ensemble", "fact", "title", "metric", "expected", "low", "high", "value", "result", "detail",
           "tolerance", "source", "as_of"]


def experiment_names() -> list[str]:
    """The experiments of conf/experiment/, in file order."""
    return sorted(p.stem for p in (CONF_DIR / "experiment").glob("*.yaml"))


def ensemble_tables(cfg: Config, world: World, runs: int, seed: int, months: int, chunk: int) -> EnsembleTables:
    """Simulate `runs` runs chunk by chunk with the batched driver (run r uses run_seed(seed, r)) and
    keep what the metrics read: states, ties and events per run and month."""
    states, ties, events = [], [], []
    for start in range(0, runs, chunk):
        ids = list(range(start, min(start + chunk, runs)))
        recorder = run_batch(cfg, [run_seed(seed, r) for r in ids], ids, world=world, steps=months)
        states.append(recorder.states_table()[_STATE_COLS])
        ties.append(recorder.ties_table()[_TIE_COLS])
        events.append(recorder.events_table()[_EVENT_COLS])
        del recorder
    cat = lambda df, cols: df.astype({c: "category" for c in cols})  # noqa: E731  (memory)
    return EnsembleTables(states=cat(pd.concat(states, ignore_index=True), ["state", "regime", "leading_partner"]),
                          ties=cat(pd.concat(ties, ignore_index=True), ["state", "power"]),
                          events=pd.concat(events, ignore_index=True), runs=runs, months=months,
                          state_codes=tuple(world.states))


def check(facts: list[Fact], ensemble: str, tables: EnsembleTables, reference: EnsembleTables | None) -> list[dict]:
    """One result row per fact that applies to `ensemble`."""
    rows = []
    for fact in facts:
        if not fact.applies(ensemble):
            continue
        value: MetricValue = evaluate(fact.metric, tables, fact.args, reference)
        rows.append({"ensemble": ensemble, "fact": fact.id, "title": fact.title, "metric": fact.metric,
                     "expected": fact.expected, "low": fact.low, "high": fact.high, "value": value.value,
                     "result": verdict(value, fact.low, fact.high),
                     "detail": value.not_applicable or value.detail, "tolerance": fact.tolerance,
                     "source": fact.source, "as_of": fact.as_of})
    return rows


def parse_scenarios(text: str | None, known: list[str]) -> list[str]:
    """'baseline,coup_wave' -> those names (all when None); an unknown name ends the program."""
    if text is None:
        return known
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in known]
    if not names or unknown:
        fail(f"--scenario {text!r} names {unknown or 'nothing'}: give a comma-separated list among {known}, "
             "e.g. --scenario baseline,coup_wave.")
    return names


def main(argv: list[str] | None = None) -> int:
    """Run the battery; returns the exit code (0 all pass, 1 a check fails; bad input exits with 2)."""
    parser = Parser(prog="python -m sim.plausibility", description=__doc__.split("\n\n")[0])
    add_common(parser, runs=1000, out="outputs/plausibility")
    parser.add_argument("--scenario", default=None, metavar="NAMES",
                        help="ensembles to check, comma-separated: baseline and experiment names (default: all)")
    parser.add_argument("--facts", type=Path, default=DEFAULT_FACTS,
                        help="facts file (default conf/plausibility/facts.yaml)")
    parser.add_argument("--months", type=int, default=36, help="months to simulate (default 36)")
    args = parser.parse_intermixed_args(argv)
    check_counts(args)
    check_months(args.months, f"--months {args.months}")
    if any(o.split("=")[0].lstrip("+~") == "experiment" for o in args.overrides):
        fail("the battery chooses the experiment itself: select ensembles with --scenario (e.g. --scenario "
             "coup_wave), not experiment=.")
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
    out.mkdir(parents=True, exist_ok=True)
    results.to_csv(out / "battery.csv", index=False)
    write_parquet_atomic(results, out / "battery.parquet")
    counts = summary_counts(results)
    meta = {"command": "python -m sim.plausibility " + " ".join(argv if argv is not None else sys.argv[1:]),
            "runs": args.runs, "seed": args.seed, "months": args.months, "ensembles": chosen,
            "overrides": args.overrides, "facts": str(args.facts), "seconds": round(time.perf_counter() - started, 1)}
    (out / "battery.html").write_text(battery_html(results, meta), encoding="utf-8")
    write_json({**meta, "counts": counts, "seconds_per_ensemble": timings,
                "provenance": provenance(world.path), "results": results}, out / "battery.json")
    print(battery_text(results))
    if not args.quiet:
        print(f"Written to {out}", file=sys.stderr)
    return EXIT_FAILED if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
