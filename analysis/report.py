"""`python -m analysis.report DIR`: one self-contained HTML page about a sweep.

    python -m analysis.report outputs/sweeps/demo_lhs
    python -m analysis.report outputs/sweeps/demo_morris --outcome lead:NER=RUS@36 --outcome share:CHN@end
    python -m analysis.report outputs/sweeps/demo_sobol --state MLI --out /tmp/sobol.html

The page (default DIR/report.html) holds everything it shows: figures are PNG images embedded as
base64 and the styling is inline, so it opens offline and can be mailed as one file. It shows the
design, fan charts of each power's influence share (overall and by level of the most influential
parameter, or of `--by FACTOR`) and of one state's affinities, the event probability tables by
horizon with 95% intervals (scripted events marked as inputs) and, for each outcome
(docs/sweeps-analysis.md explains the outcome language), feature scores, a heatmap over the most
influential pair of parameters (or `--pair X,Y`), Sobol or Morris indices when the design allows
them and, when the outcome is yes/no, scenario discovery: PRIM boxes (covering) with qp-values
and CART leaves, each shown as a finding only when it beats the base rate clearly. The datasets
are read a chunk (one Parquet file) or a few columns and steps at a time, never whole. Progress
goes to stderr section by section. Bad input exits with status 2 and one `error:` paragraph.
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import re
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analysis.colors import POWER_NAMES
from analysis.discovery import (
    cart_boxes,
    feature_score_bars,
    feature_scores,
    finding_rule,
    prim_boxes,
    prim_figure,
    prim_summary,
)
from analysis.ensemble_metrics import event_probability, factor_levels, quantile_bands
from analysis.ensemble_plots import fan_chart, fan_chart_by_level, probability_heat_table
from analysis.heatmap import adaptive_bins, cell_means, outcome_heatmap, pick_pair
from analysis.metrics import influence_share
from analysis.outcomes import Outcome, check_outcome, outcome_label, parse_outcome, sweep_outcome
from analysis.sensitivity import (
    convergence_table,
    morris_bars,
    morris_convergence,
    morris_indices,
    seed_noise,
    sensitivity_bars,
    sobol_convergence,
    sobol_indices,
)
from analysis.sweep_data import Layout, Sweep, SweepError, iter_parts, layout, open_sweep, read_table
from sim.core.atomic import write_bytes_atomic, write_text_atomic

EXIT_BAD_INPUT = 2
HORIZONS: tuple[int, ...] = (12, 24, 36)
DPI = 96

_CSS = """
body { font-family: sans-serif; margin: 2em auto; max-width: 1200px; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.8em 0; } th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; }
th { background: #f3f3f3; text-align: left; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1.2em 0; } figcaption { color: #555; font-size: 0.92em; max-width: 60em; }
img { max-width: 100%; height: auto; border: 1px solid #eee; }
.note { color: #8a4b00; background: #fff6e5; padding: 0.4em 0.8em; border-left: 3px solid #e69f00; }
.meta { color: #555; }
"""


class Progress:
    """Progress of the report on stderr: one line per section as it starts, with its number, and
    the seconds it took when it ends (silent when `enabled` is False)."""

    def __init__(self, total: int, enabled: bool = True, stream: Any = None):
        self.total, self.done, self.enabled = total, 0, enabled
        self.stream = stream if stream is not None else sys.stderr
        self.started = time.perf_counter()

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        """Announce a section, run it, and say how long it took."""
        self.done += 1
        if self.enabled:
            print(f"report [{self.done}/{self.total}] {name} ...", end="", file=self.stream, flush=True)
        start = time.perf_counter()
        yield
        if self.enabled:
            print(f" {time.perf_counter() - start:.1f} s", file=self.stream, flush=True)

    def finish(self, path: Path) -> None:
        if self.enabled:
            print(
                f"report: {self.total} sections in {time.perf_counter() - self.started:.1f} s, written to {path}",
                file=self.stream,
                flush=True,
            )


class ReportError(ValueError):
    """Bad input to the report (an argument or the sweep folder); the message names it and the fix."""


@dataclass
class _Page:
    """The HTML page being assembled, section by section."""

    parts: list[str] = field(default_factory=list)
    figures_dir: Path | None = None  # also save each figure there as a PNG file (for briefs)

    def add(self, text: str) -> None:
        self.parts.append(text)

    def heading(self, text: str, level: int = 2) -> None:
        self.add(f"<h{level}>{html.escape(text)}</h{level}>")

    def para(self, text: str, cls: str = "") -> None:
        self.add(f"<p{f' class={cls!r}' if cls else ''}>{html.escape(text)}</p>")

    def figure(self, fig: Figure, caption: str) -> None:
        png = _png(fig)
        if self.figures_dir is not None:
            self.figures_dir.mkdir(parents=True, exist_ok=True)
            number = sum(1 for p in self.parts if p.startswith("<figure>")) + 1
            slug = re.sub(r"[^a-z0-9]+", "-", caption.lower())[:48].strip("-")
            write_bytes_atomic(self.figures_dir / f"{number:02d}-{slug}.png", base64.b64decode(png))
        self.add(
            f'<figure><img src="data:image/png;base64,{png}" alt="{html.escape(caption, quote=True)}">'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>"
        )

    def table(self, df: pd.DataFrame) -> None:
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
        rows = []
        for row in df.itertuples(index=False):
            cells = []
            for v in row:
                numeric = isinstance(v, (int, float, np.number)) and not isinstance(v, bool)
                cells.append(f"<td{' class=num' if numeric else ''}>{html.escape(_fmt(v))}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        self.add(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")

    def html(self, title: str) -> str:
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>\n"
            + "\n".join(self.parts)
            + "\n</body></html>\n"
        )


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def _png(fig: Figure) -> str:
    """The figure as a base64 PNG (rendered through the Agg canvas, nothing written to disk)."""
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return base64.b64encode(buf.getvalue()).decode("ascii")


# --------------------------------------------------------------------------------------------
# reading, a chunk at a time


def monthly_tables(sweep: Sweep, frame: Layout, state: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Influence shares (run, step, date, power, share) and one state's affinities (run, date,
    power, affinity), computed one ties file (chunk of runs) at a time."""
    shares, affinities = [], []
    keep = set(frame.runs)
    cols = ["run", "step", "date", "state", "power", "affinity"]
    for ties in iter_parts(sweep.path, "ties", cols):
        ties = ties.loc[ties["run"].isin(keep)]
        if ties.empty:
            continue
        affinities.append(ties.loc[ties["state"] == state, ["run", "date", "power", "affinity"]])
        if "states" in sweep.tables:
            lo, hi = int(ties["run"].min()), int(ties["run"].max())
            pop = read_table(sweep.path, "states", ["run", "step", "state", "population_m"], runs=(lo, hi))
            shares.append(influence_share(ties, pop.loc[pop["run"].isin(set(ties["run"]))]))
    empty_share = pd.DataFrame(columns=["run", "step", "date", "power", "share"])
    empty_aff = pd.DataFrame(columns=["run", "date", "power", "affinity"])
    return (
        pd.concat(shares, ignore_index=True) if shares else empty_share,
        pd.concat(affinities, ignore_index=True) if affinities else empty_aff,
    )


# --------------------------------------------------------------------------------------------
# sections


def _design_table(sweep: Sweep) -> pd.DataFrame:
    rows = []
    for name, spec in sweep.spec["parameters"].items():
        values = [float(v) for v in spec]
        if sweep.design == "grid":
            rows.append({"parameter": name, "values (grid)": ", ".join(f"{v:g}" for v in values)})
        else:
            rows.append({"parameter": name, "range (low to high)": f"{values[0]:g} to {values[-1]:g}"})
    return pd.DataFrame(rows)


def _header(page: _Page, sweep: Sweep, frame: Layout) -> None:
    spec = sweep.spec
    n_total = len(sweep.runs)
    present = sweep.runs.loc[sweep.runs["run"].isin(set(frame.runs))]
    page.heading(f"Sweep report: {sweep.name}", 1)
    page.para(f"Folder {sweep.path}", "meta")
    extra = ""
    if sweep.design == "sobol":
        extra = f" (base sample N = {spec.get('samples')}: N x (parameters + 2) points)"
    elif sweep.design == "morris":
        grid = f" on a {spec['levels']}-level grid" if "levels" in spec else ""
        extra = f" ({spec.get('samples')} trajectories of parameters + 1 points{grid})"
    facts = pd.DataFrame(
        [
            {"": "design", "value": f"{sweep.design}{extra}"},
            {
                "": "runs",
                "value": f"{len(frame.runs)}"
                + (f" of {n_total} (sweep not finished)" if len(frame.runs) < n_total else ""),
            },
            {"": "design points", "value": f"{present['point'].nunique()}"},
            {"": "seeds per point", "value": f"{spec.get('seeds_per_point', present.groupby('point').size().max())}"},
            {"": "distinct seeds", "value": f"{present['seed'].nunique()}"},
            {"": "sweep seed", "value": f"{spec.get('seed', '?')}"},
            {
                "": "months",
                "value": f"{frame.dates[0]} to {frame.dates[-1]} (steps {frame.steps[0]} to "
                f"{frame.steps[-1]}, {len(frame.steps)} recorded)",
            },
            {"": "states / powers", "value": f"{len(frame.states)} states; powers {', '.join(frame.powers)}"},
        ]
    )
    page.table(facts)
    if len(frame.runs) < n_total:
        page.para(
            f"Only {len(frame.runs)} of the {n_total} runs are in the datasets: the sweep is still running "
            f"or was stopped. Run the same python -m sim.sweep command again to finish it; this report "
            f"covers the runs found.",
            "note",
        )
    page.heading("Design")
    page.table(_design_table(sweep))


def _fan_charts(page: _Page, sweep: Sweep, frame: Layout, state: str, by: str | None) -> None:
    if "ties" not in sweep.tables:
        page.para("The sweep did not write ties/, so there are no influence shares or affinities to show.", "note")
        return
    shares, affinities = monthly_tables(sweep, frame, state)
    page.heading("Influence over time")
    if not shares.empty:
        page.figure(
            fan_chart(quantile_bands(shares, "share")),
            "Each power's population-weighted share of positive affinity, month by month: the line is "
            "the median over runs, the bands hold the middle 50% and 90% of runs.",
        )
        if by is not None:
            levels = factor_levels(sweep.runs.loc[sweep.runs["run"].isin(set(shares["run"]))], by)
            by_level = shares.assign(level=shares["run"].map(levels))
            page.figure(
                fan_chart_by_level(
                    quantile_bands(by_level, "share", by=("date", "power", "level")),
                    title="Influence share of each foreign power",
                ),
                f"The same fan chart split by the level of {by} (its values, or the thirds of its range "
                f"that hold a third of the runs each): the pooled chart above mixes these futures.",
            )
    name = frame.states.get(state, state)
    if not affinities.empty:
        bands = quantile_bands(affinities, "affinity")
        page.figure(
            fan_chart(
                bands,
                ylabel="affinity (-1 hostile to 1 aligned)",
                percent=False,
                title=f"Affinity of {name} ({state}) to each foreign power across runs",
            ),
            f"{name}'s affinity to each power (-1 to 1): median over runs with 50% and 90% bands.",
        )


def _event_tables(page: _Page, sweep: Sweep, frame: Layout) -> None:
    if "events" not in sweep.tables:
        page.para("The sweep did not write events/, so there are no event probabilities to show.", "note")
        return
    last = frame.steps[-1]
    horizons = [h for h in HORIZONS if h <= last] or [last]
    events = read_table(
        sweep.path, "events", ["run", "step", "type", "state", "power", "scripted"], max_step=max(horizons)
    )
    events = events.loc[events["run"].isin(set(frame.runs))]
    page.heading("Event probabilities")
    if events.empty:
        page.para(f"No event happened in any run within {max(horizons)} months.")
        return
    probabilities = event_probability(events, n_runs=len(frame.runs), horizons=horizons)
    for h in horizons:
        page.figure(
            probability_heat_table(probabilities, horizon=h),
            f"Share of the {len(frame.runs)} runs in which each event happens at least once in each state "
            f"within {h} months of the start, with its 95% Wilson interval. Scripted events are inputs of "
            f"the scenario (they happen by construction): they are left out of the share, and cells where "
            f"one happens are hatched.",
        )


def _sensitivity(page: _Page, sweep: Sweep, runs: pd.DataFrame, values: pd.Series, label: str, unit: str) -> None:
    ranges = sweep.spec["parameters"]
    if len(runs) < len(sweep.runs):
        page.para(
            f"{sweep.design.capitalize()} indices need every point of the design; the sweep is not finished.", "note"
        )
        return
    values = values.astype(float)
    # sweeps made before sweep.seeding existed gave every run its own seed
    noise = seed_noise(runs, values, sweep.spec.get("seeding", "independent"))
    page.para(noise.text(), "" if noise.seeds_per_point > 1 and noise.mean_share < 0.25 else "note")
    try:
        if sweep.design == "sobol":
            indices = sobol_indices(runs, values, ranges, noise_share=noise.mean_share)
            page.figure(
                sensitivity_bars(indices, label, noise_share=noise.mean_share),
                "Sobol indices of the outcome's mean over each point's seeds: the first-order index (S1) "
                "is the share of its variance due to the parameter alone; the total index (ST) adds its "
                "interactions. Bars show 95% bootstrap intervals clipped to [0, 1]; the dashed line is the "
                "share of the variance that is seed noise.",
            )
            convergence = sobol_convergence(runs, values, ranges)
        else:
            indices = morris_indices(runs, values, sweep.spec)
            page.figure(
                morris_bars(indices, label, unit=unit),
                "Morris screening: mu* is the mean size of the change in the outcome when the parameter "
                "moves (a larger mu* matters more); sigma is how much that change varies from place to "
                "place (interactions, non-linearity or seed noise). Bars show 95% confidence intervals of "
                "mu*, clipped at 0 (a mean size of effects cannot be negative; the table flags them).",
            )
            convergence = morris_convergence(runs, values, sweep.spec)
    except ValueError as exc:
        page.para(f"No {sweep.design} indices: {exc}.", "note")
        return
    shown = indices.assign(seed_noise_share=noise.mean_share)
    page.table(shown)
    index = "ST" if sweep.design == "sobol" else "mu_star"
    page.para(
        f"Convergence: {index} with its 95% half-width on the first quarter, half and all of the "
        f"{'base samples' if sweep.design == 'sobol' else 'trajectories'} N of the design. Values that "
        f"settle and intervals that shrink say the design is large enough."
    )
    page.table(convergence_table(convergence, index))


def _influence(sweep: Sweep, runs: pd.DataFrame, values: pd.Series) -> tuple[pd.Series, str]:
    """How much each parameter matters for the outcome: Sobol ST on a finished Sobol design, else
    extra-trees feature scores; and the name of the measure."""
    if sweep.design == "sobol" and len(runs) == len(sweep.runs):
        try:
            st = sobol_indices(runs, values.astype(float), sweep.spec["parameters"]).set_index("parameter")["ST"]
            return st, "Sobol total index ST"
        except ValueError:
            pass
    return feature_scores(runs, values, sweep.parameters), "feature score"


def _outcome_section(
    page: _Page, sweep: Sweep, frame: Layout, outcome: Outcome, values: pd.Series, pair: Sequence[str] | None = None
) -> None:
    label = outcome_label(outcome, frame.states, frame.date_of(outcome.step or 0))
    page.heading(f"Outcome: {label}")
    mean = float(values.astype(float).mean())
    summary = (
        f"true in {values.sum()} of {len(values)} runs ({mean:.0%})"
        if outcome.is_boolean
        else f"mean {mean:.3g}, from {values.min():.3g} to {values.max():.3g} over {len(values)} runs"
    )
    page.para(f"Outcome {outcome.spec}: {summary}.")
    runs = sweep.runs.loc[sweep.runs["run"].isin(set(values.index))]
    params = sweep.parameters
    if values.astype(float).nunique() < 2:
        page.para(
            f"The outcome is {values.iloc[0]} in every run, so nothing in this sweep explains it: no feature "
            f"scores, heatmap or scenario discovery. Choose another outcome or widen the parameter ranges.",
            "note",
        )
        return
    scores, measure = _influence(sweep, runs, values) if params else (pd.Series(dtype=float), "none")
    if len(params) >= 2:
        shown = scores if measure == "feature score" else feature_scores(runs, values, params)
        page.figure(
            feature_score_bars(shown, label),
            "Feature scores (extra trees, EMA Workbench): the share of the trees' fit that each parameter "
            "carries; above the dashed line it matters more than an equal share would.",
        )
    if len(params) >= 2:
        try:
            x, y = pick_pair(scores, pair)
        except ValueError as exc:
            raise ReportError(f"the --pair argument: {exc}.") from exc
        ranges = (
            {}
            if sweep.design == "grid"
            else {k: [float(v[0]), float(v[-1])] for k, v in sweep.spec["parameters"].items()}
        )
        if sweep.design == "morris":
            bins = max(int(runs[x].nunique()), int(runs[y].nunique()), 2)
        else:
            bins = adaptive_bins(len(runs))
        cells = cell_means(runs, values, x, y, bins=bins, ranges=ranges, discrete=sweep.design == "grid")
        why = "the pair chosen with --pair" if pair else f"the two parameters with the highest {measure}"
        page.figure(
            outcome_heatmap(cells, label, outcome.unit, base=mean),
            f"Mean of the outcome over the runs in each cell of {x} x {y}, {why} (the other parameters "
            f"vary as the design lets them); n is the number of runs in the cell. Bins keep about "
            f"10 runs per cell or more; the colours span the cell means found and change hue at the "
            f"base rate {mean:.3g} (the mean over every run), marked on the colour bar.",
        )
    else:
        page.para("The sweep has one parameter: no two-parameter heatmap.")
    if sweep.design in ("sobol", "morris"):
        _sensitivity(page, sweep, runs, values, label, outcome.unit)
    if outcome.is_boolean:
        _discovery(page, sweep, runs, values, label)


def _discovery(page: _Page, sweep: Sweep, runs: pd.DataFrame, values: pd.Series, label: str) -> None:
    ranges = {k: [min(map(float, v)), max(map(float, v))] for k, v in sweep.spec["parameters"].items()}
    params = sweep.parameters
    try:
        boxes = prim_boxes(runs, values, params, ranges=ranges)
        cart = cart_boxes(runs, values, params)
    except ValueError as exc:
        page.para(f"No PRIM box: {exc}.", "note")
        return
    page.heading("Scenario discovery (PRIM and CART)", 3)
    page.para(
        f"The rule: {finding_rule()}; qp-values are EMA Workbench's one-sided binomial tests of each "
        f"restriction (Bryant and Lempert 2010). PRIM covers: each next box is peeled from the runs outside "
        f"the earlier ones, and stops at the first box that is not a finding."
    )
    findings = [b for b in boxes if b.worth_reporting]
    for box in findings or boxes[:1]:
        page.figure(
            prim_figure(box, label),
            "PRIM peels the parameter box down to where the outcome is common. Left: the chosen box on "
            "each parameter (orange: restricted, with its qp-value). Right: every candidate box; coverage "
            "is the share of the runs with the outcome caught by the box, density the share of the box's "
            "runs with it; the dashed line is the base rate.",
        )
    page.table(prim_summary(boxes))
    for box in boxes:
        page.para(box.verdict(), "" if box.worth_reporting else "note")
    if not findings:
        page.para(
            "No scenario worth reporting: no PRIM box beats the base rate clearly, so the outcome is not "
            "concentrated in any region of these parameters that this sweep can tell from chance.",
            "note",
        )
    page.table(cart.leaves[["rule", "runs", "coverage", "density", "qp", "finding"]])
    page.para(
        f"{cart.verdict()} CART's tree is grown on half the runs and its leaves counted on the other half, "
        f"so a leaf that only fits noise falls back to the base rate.",
        "" if len(cart.findings) else "note",
    )


# --------------------------------------------------------------------------------------------
# entry points


def default_outcome(frame: Layout) -> str:
    """`lead:NER=RUS@end`, with the first state / power in place of NER / RUS if the sweep lacks them."""
    state = "NER" if "NER" in frame.states else next(iter(frame.states), "NER")
    power = "RUS" if "RUS" in frame.powers else (frame.powers[0] if frame.powers else "RUS")
    return f"lead:{state}={power}@end"


def build_report(
    sweep_dir: str | Path,
    outcomes: Sequence[str] = (),
    out: str | Path | None = None,
    state: str = "NER",
    figures: str | Path | None = None,
    *,
    pair: Sequence[str] | None = None,
    by: str | None = None,
    progress: bool = False,
) -> Path:
    """Write the HTML report of the sweep in `sweep_dir` and return its path; with `figures`, each
    figure is also saved there as a numbered PNG file. pair: the two parameters of every heatmap
    (default: the two most influential for each outcome). by: the factor whose levels split the
    influence fan chart (default: the most influential parameter for the first outcome). progress:
    one line per section on stderr.

    Raises:
        ReportError: the folder is not a sweep, an outcome is malformed or names something the sweep
            lacks, or the state is unknown; the message names the argument and the fix.
    """
    try:
        parsed = [parse_outcome(spec) for spec in outcomes]
    except ValueError as exc:
        raise ReportError(f"the --outcome argument: {exc}") from exc
    try:
        sweep = open_sweep(sweep_dir)
        frame = layout(sweep)
    except SweepError as exc:
        raise ReportError(str(exc)) from exc
    if not frame.runs:
        raise ReportError(f"The sweep folder {sweep.path} has no complete run yet. Run or resume the sweep first.")
    if state not in frame.states:
        raise ReportError(
            f"the --state argument: {state!r} is not a state of this sweep; choose one of {', '.join(frame.states)}."
        )
    parsed = parsed or [parse_outcome(default_outcome(frame))]
    try:
        parsed = [check_outcome(o, states=frame.states, powers=frame.powers, steps=frame.steps) for o in parsed]
        for o in parsed:
            missing = [t for t in o.needs() if t not in sweep.tables]
            if missing:
                raise ValueError(
                    f"Outcome {o.spec!r} needs the {', '.join(missing)} dataset, which this sweep did "
                    f"not write; choose an outcome computed from {', '.join(sweep.tables)}."
                )
    except ValueError as exc:
        raise ReportError(f"the --outcome argument: {exc}") from exc
    target = Path(out) if out is not None else sweep.path / "report.html"
    if target.is_dir():
        raise ReportError(f"the --out argument: {target} is a folder; give a file name such as {target}/report.html.")

    for name, given in (("--by", [by] if by else []), ("--pair", list(pair or []))):
        unknown = [g for g in given if g not in sweep.parameters]
        if unknown:
            raise ReportError(
                f"the {name} argument: {', '.join(map(repr, unknown))} is not a parameter of this sweep; "
                f"choose among {', '.join(sweep.parameters) or '(none: the sweep varies no parameter)'}."
            )
    if pair is not None and (len(pair) != 2 or pair[0] == pair[1]):
        raise ReportError(f"the --pair argument: give two different parameters as X,Y (got {','.join(pair)}).")

    steps = Progress(total=4 + len(parsed), enabled=progress)
    page = _Page(figures_dir=Path(figures) if figures is not None else None)
    with steps.section("header and design"):
        _header(page, sweep, frame)
    with steps.section(f"computing {len(parsed)} outcome(s) over {len(frame.runs)} runs"):
        computed = [sweep_outcome(sweep, outcome, frame) for outcome in parsed]
        varying = [values for _, values in computed if values.astype(float).nunique() > 1]
        if by is None and varying and len(sweep.parameters) > 1:
            first_runs = sweep.runs.loc[sweep.runs["run"].isin(set(varying[0].index))]
            by = str(_influence(sweep, first_runs, varying[0])[0].idxmax())
    with steps.section("influence fan charts"):
        _fan_charts(page, sweep, frame, state, by)
    with steps.section("event probabilities"):
        _event_tables(page, sweep, frame)
    for outcome, values in computed:
        with steps.section(f"outcome {outcome.spec}"):
            _outcome_section(page, sweep, frame, outcome, values, pair)
    page.para(
        f"Powers: {', '.join(f'{p} = {POWER_NAMES.get(p, p)}' for p in frame.powers)}. Made by "
        f"python -m analysis.report from the tables in {sweep.path}; see docs/sweeps-analysis.md.",
        "meta",
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(target, page.html(f"Sweep report: {sweep.name}"))
    steps.finish(target)
    return target


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's own usage errors, in the project's format
        _fail(
            f"{message}. Usage: python -m analysis.report DIR [--outcome SPEC ...] [--state CODE] [--out FILE] "
            f"[--figures FOLDER] [--pair X,Y] [--by FACTOR] [--quiet]."
        )


def _fail(message: str) -> NoReturn:
    """Print one paragraph for a user's mistake and exit without a traceback (as sim.__main__.fail)."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(EXIT_BAD_INPUT)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: python -m analysis.report DIR [--outcome SPEC ...] [--state CODE] [--out FILE]
    [--figures FOLDER] [--pair X,Y] [--by FACTOR] [--quiet]."""
    parser = _Parser(prog="python -m analysis.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", help="the sweep folder (written by python -m sim.sweep)")
    parser.add_argument(
        "--outcome",
        action="append",
        default=[],
        metavar="SPEC",
        help="an outcome such as lead:NER=RUS@36 (repeatable; default lead:NER=RUS@end)",
    )
    parser.add_argument("--state", default="NER", help="the state whose affinities get a fan chart (default NER)")
    parser.add_argument("--out", default=None, help="the HTML file to write (default DIR/report.html)")
    parser.add_argument("--figures", default=None, metavar="FOLDER", help="also save every figure there as PNG")
    parser.add_argument(
        "--pair",
        default=None,
        metavar="X,Y",
        help="the two parameters of the heatmaps (default: the two most influential per outcome)",
    )
    parser.add_argument(
        "--by",
        default=None,
        metavar="FACTOR",
        help="split the influence fan chart by this parameter's levels (default: the most influential)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)
    pair = [p.strip() for p in args.pair.split(",")] if args.pair else None
    try:
        path = build_report(
            args.dir,
            args.outcome,
            args.out,
            state=args.state.upper(),
            figures=args.figures,
            pair=pair,
            by=args.by,
            progress=not args.quiet,
        )
    except ReportError as exc:
        _fail(str(exc))
    print(f"report written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
