"""`python -m analysis.robustness_report SWEEP --outcome SPEC`: which lever setting is robust across the
futures of a sweep with levers (analysis.robustness): a table (robustness.csv) and a figure
(robustness.png) in the sweep folder, the table printed.

    python -m analysis.robustness_report outputs/sweeps/us_posture --outcome "share:USA@36" --threshold 0.3
    python -m analysis.robustness_report outputs/sweeps/us_posture --outcome "event:expel:any:USA@36" --minimize
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.figures import save_figure
from analysis.outcomes import outcome_label, sweep_outcome
from analysis.robustness import future_values, plot_robustness, robustness, setting_labels
from analysis.sweep_data import SweepError, open_sweep
from sim.core.atomic import atomic_path


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, compute the robustness table, write the table and the figure."""
    parser = argparse.ArgumentParser(prog="python -m analysis.robustness_report", description=__doc__.split("\n")[0])
    parser.add_argument("sweep", help="a sweep folder written by python -m sim.sweep with levers or factors")
    parser.add_argument("--outcome", required=True, help="an outcome of the sweeps' language, e.g. share:USA@36")
    parser.add_argument("--minimize", action="store_true", help="the outcome is to be kept low (default: maximized)")
    parser.add_argument("--threshold", type=float, default=None, help="satisficing: the value a future must meet")
    parser.add_argument("--out", default=None, help="folder for robustness.csv and .png (default: the sweep folder)")
    args = parser.parse_args(argv)
    try:
        sweep = open_sweep(args.sweep)
        outcome, values = sweep_outcome(sweep, args.outcome)
        table = future_values(sweep.runs, values)
    except (SweepError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    maximize = not args.minimize
    summary = robustness(table, maximize=maximize, threshold=args.threshold)
    labels = setting_labels(sweep.runs)
    out = Path(args.out) if args.out else sweep.path
    out.mkdir(parents=True, exist_ok=True)
    shown = summary.assign(setting=labels.reindex(summary.index).to_numpy())
    with atomic_path(out / "robustness.csv") as tmp:
        shown.to_csv(tmp)
    title = f"{outcome_label(outcome)} ({outcome.spec})"
    fig = plot_robustness(
        table, summary, labels, title, maximize=maximize, threshold=args.threshold, power=outcome.power or None
    )
    save_figure(fig, out / "robustness.png")
    with_cols = ["rank", "setting", "mean", "worst", "max_regret", "p90_regret"] + (
        ["satisficing"] if args.threshold is not None else []
    )
    print(
        f"{outcome.spec} ({'maximize' if maximize else 'minimize'}) over {table.shape[0]} futures, "
        f"{sweep.spec.get('seeds_per_point', '?')} seeds each; most robust first (by maximum regret):"
    )
    print(shown[with_cols].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"written: {out / 'robustness.csv'}, {out / 'robustness.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
