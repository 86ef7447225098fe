"""`python -m sim.calibrate`: fit incentive weights and hazards to the record by approximate
Bayesian computation (rejection) and check the fit out of time (docs/calibration.md).

    python -m sim.calibrate                                  # 256 points x 40 seeds, then 3 x 1,000 test runs
    python -m sim.calibrate --points 32 --seeds 20 --runs 200 --out outputs/cal_small --write-config /tmp/c.yaml
    python -m sim.calibrate --prior junta.sovereignty=0.2:3 --prior hazards.coup_base=0.0005:0.004

A Latin hypercube of --points settings of the parameters (uniform priors) runs from the January 2020
world as one batched ensemble (--seeds runs per setting, the same seeds for every setting). Each
setting is scored by the Brier score of its event probabilities in the fit window (the world's
start to --fit-end) and the best --accept share is kept: their mean and standard deviation per
parameter are the posterior's centre and spread. The posterior mean and the configured values then
run --runs times each to --end and are scored in the fit window and, out of time, in the test
window (the month after --fit-end to --end).

Writes into --out (default outputs/calibration): calibration.json (priors, every point with its
Brier score, the accepted points, the posterior, fit and test scores), points.csv, calibration.png
and config.yaml; and the fitted values as a config file (--write-config, default
conf/incentives/calibrated.yaml, a global-package file, so `incentives=calibrated` sets the fitted
weights and hazards together). Bad input stops with one
`error:` paragraph and exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import shlex
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from matplotlib.figure import Figure

from analysis.figures import save_figure
from analysis.observed import DEFAULT_TIMELINE, SCORED, observed_outcomes, outcome_cells
from analysis.scoring import brier_score, score_cells
from sim.commandline import Parser, add_common, check_counts, configure, fail, save_config, write_json
from sim.config import CONF_DIR
from sim.core.io import write_csv_atomic
from sim.core.params import Config, ConfigError, parameter, parameter_value
from sim.core.provenance import provenance
from sim.core.vocabulary import REGIMES, TERMS
from sim.core.world import World, month_to_str, str_to_month
from sim.designs import latin_hypercube, parameter_range, run_seed
from sim.ensemble import run_batch
from sim.hindcast_scoring import DEFAULT_WORLD, hindcast_cells, observed_events
from sim.outlook import KEYS, first_months
from sim.posterior_sample import FITTABLE, posterior_draws, posterior_path

#: The parameters fitted by default and their uniform priors (inside each legal range): six
#: incentive weights and six hazards. The baseline values (docs/parameters.md) lie inside every range.
DEFAULT_PRIORS: dict[str, tuple[float, float]] = {
    "incentives.junta.sovereignty": (0.2, 3.0),
    "incentives.junta.conditionality": (0.2, 3.0),
    "incentives.junta.regime_protection": (0.3, 3.0),
    "incentives.junta.security": (0.3, 3.0),
    "incentives.civilian.sovereignty": (0.1, 2.0),
    "incentives.civilian.economic": (0.2, 2.0),
    "hazards.coup_base": (0.0005, 0.004),
    "hazards.coup_illegitimacy": (0.5, 4.0),
    "hazards.coup_insurgency": (0.5, 4.0),
    "hazards.coup_contagion": (0.0, 3.0),
    "hazards.expel_rate": (0.05, 0.4),
    "hazards.bloc_join": (0.01, 0.2),
}
FIT_END = "2022-12"
END = "2024-05"
BASELINE_FILE = CONF_DIR / "incentives" / "baseline.yaml"
DEFAULT_CONFIG_OUT = CONF_DIR / "incentives" / "calibrated.yaml"
SCORE_KEYS = ("cells", "events", "brier", "brier_base_rate", "brier_nothing_changes", "skill_vs_base_rate",
              "skill_vs_nothing_changes", "auc")


@dataclass(frozen=True)
class Window:
    """The months `first`..`last` (inclusive) of a run that starts at `as_of`.

    Observed: a scored event dated in the window (events dated in the start month itself, before
    the first simulated month, never count). Model: the share of runs with the event in simulated
    months after+1..steps.
    """

    name: str
    first: str
    last: str
    as_of: str

    @property
    def after(self) -> int:
        """The last simulated month before the window (0: the window starts with the run)."""
        return max(str_to_month(self.first) - 1 - str_to_month(self.as_of), 0)

    @property
    def steps(self) -> int:
        """The window's last simulated month."""
        return str_to_month(self.last) - str_to_month(self.as_of)

    @property
    def observed_start(self) -> str:
        """The month before the window's first scored month (observed_outcomes excludes it)."""
        return month_to_str(str_to_month(self.as_of) + self.after)


def window_cells(first: pd.DataFrame, runs: int, window: Window, mapped: pd.DataFrame,
                 states: Sequence[str]) -> pd.DataFrame:
    """The hindcast cells of one ensemble in a window: observed = a scored event dated inside the
    window; probability = share of the `runs` runs with the event inside the window.

    first: first months per (run, state, type, power, bloc) counted after month `window.after`
    (`first_months(events, world, after=window.after)`); mapped: the observed events table.
    """
    observed = observed_outcomes(mapped, outcome_cells(states, SCORED), window.observed_start, window.last)
    inside = first.loc[(first["step"] > window.after) & (first["step"] <= window.steps)]
    return hindcast_cells(inside, runs, window.steps, observed)


def window_scores(cells: pd.DataFrame) -> dict[str, float]:
    """The headline scores of a table of cells (Brier, baselines, skill, AUC)."""
    scores = score_cells(cells)
    return {k: scores[k] for k in SCORE_KEYS}


def run_windows(cfg: Config, world: World, values: Mapping[str, np.ndarray], seeds: Sequence[int], steps: int,
                after: Mapping[str, int], chunk: int) -> dict[str, pd.DataFrame]:
    """Run r with parameters values[name][r] and seed seeds[r], in batches of `chunk`; per window
    name, the first months after month `after[name]`."""
    runs = len(seeds)
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in after}
    for start in range(0, runs, chunk):
        ids = np.arange(start, min(start + chunk, runs))
        recorder = run_batch(cfg, [int(seeds[r]) for r in ids], ids, world=world, steps=steps,
                             run_parameters={name: column[ids] for name, column in values.items()}, every=steps)
        for name, months in after.items():
            parts[name].append(first_months(recorder.events, world, after=months))
        del recorder
    return {name: pd.concat(frames, ignore_index=True).astype({k: str for k in KEYS})
            for name, frames in parts.items()}


def ensemble_windows(cfg: Config, world: World, design: pd.DataFrame, seeds: int, seed: int, steps: int,
                     after: Mapping[str, int], chunk: int) -> dict[str, pd.DataFrame]:
    """Run every design point `seeds` times (run r: point r // seeds, seed run_seed(seed, r % seeds),
    the same seeds for every point) in batches of `chunk`; per window name, the first months after
    month `after[name]`, with a column `point`."""
    runs = len(design) * seeds
    point = np.arange(runs) // seeds
    values = {name: design[name].to_numpy(float)[point] for name in design.columns}
    first = run_windows(cfg, world, values, [run_seed(seed, int(r % seeds)) for r in range(runs)], steps, after,
                        chunk)
    return {name: f.assign(point=(f["run"] // seeds).astype(int)) for name, f in first.items()}


def point_cells(first: pd.DataFrame, point: int, seeds: int, window: Window, mapped: pd.DataFrame,
                states: Sequence[str]) -> pd.DataFrame:
    """The window cells of one design point."""
    return window_cells(first.loc[first["point"] == point], seeds, window, mapped, states)


def accept(briers: Sequence[float], share: float) -> np.ndarray:
    """ABC rejection: indices of the round(share * n) (at least 1) lowest Brier scores, best first."""
    k = max(1, int(round(share * len(briers))))
    return np.argsort(np.asarray(briers, dtype=float), kind="stable")[:k]


def posterior(points: pd.DataFrame, names: Sequence[str]) -> dict[str, dict[str, float]]:
    """Mean and standard deviation (ddof 1; 0 for one point) of each parameter over accepted points."""
    ddof = 1 if len(points) > 1 else 0
    return {n: {"mean": float(points[n].mean()), "sd": float(points[n].std(ddof=ddof))} for n in names}


# ---------------------------------------------------------------- the incentives file


def incentives_yaml(weights: Mapping[str, Mapping[str, float]], header: Sequence[str],
                    template: Path = BASELINE_FILE) -> str:
    """The template incentives file (its comments and layout) with every weight replaced by
    `weights[group][term]`, below a comment header."""
    lines, group = [], None
    for line in template.read_text(encoding="utf-8").splitlines():
        top = re.match(r"^(\w+):\s*$", line)
        term = re.match(r"^(\s+)(\w+):\s*([-+0-9.eE]+)(\s*#.*)?$", line)
        if top:
            group = top.group(1)
        elif term and group in weights and term.group(2) in weights[group]:
            value = f"{weights[group][term.group(2)]:.3f}".rstrip("0").rstrip(".")
            value = value if "." in value else f"{value}.0"
            comment = term.group(4) or ""
            if comment:
                pad = max(len(term.group(3)) + len(comment) - len(comment.lstrip()) - len(value), 1)
                comment = " " * pad + comment.lstrip()
            line = f"{term.group(1)}{term.group(2)}: {value}{comment}"
        lines.append(line)
    return "\n".join([*(f"# {h}".rstrip() for h in header), *lines]) + "\n"


def configured_weights(cfg: Config) -> dict[str, dict[str, float]]:
    """Every incentive weight of a configuration, per group and term."""
    return {g: {t: float(parameter_value(cfg, f"incentives.{g}.{t}")) for t in TERMS} for g in REGIMES}


def _number(value: float) -> str:
    text = f"{value:.4g}" if abs(value) < 0.01 else f"{value:.3f}".rstrip("0").rstrip(".")
    return text if any(c in text for c in ".e") else f"{text}.0"


def calibrated_yaml(cfg: Config, fitted: Mapping[str, float], header: Sequence[str],
                    template: Path = BASELINE_FILE) -> str:
    """The config file of a calibration, in Hydra's global package so that one group option
    (`incentives=calibrated`) sets everything fitted: every incentive weight (the template's layout
    with the fitted weights replaced), then the fitted parameters of other sections, each with
    its configured value in a comment."""
    weights = configured_weights(cfg)
    for name, value in fitted.items():
        parts = name.split(".")
        if parts[0] == "incentives":
            weights[parts[1]][parts[2]] = value
    body = incentives_yaml(weights, [])
    lines = ["# @package _global_", *(f"# {h}".rstrip() for h in header), "incentives:"]
    lines += [f"  {line}".rstrip() if line and not line.startswith("#") else line for line in body.splitlines()]
    sections: dict[str, list[str]] = {}
    for name, value in fitted.items():
        section, *rest = name.split(".")
        if section != "incentives":
            was = _number(float(parameter_value(cfg, name)))
            entry = f"  {'.'.join(rest)}: {_number(value)}  # fitted; configured value {was}"
            sections.setdefault(section, []).append(entry)
    for section, entries in sections.items():
        lines += [f"{section}:", *entries]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the figure


def posterior_figure(points: pd.DataFrame, priors: Mapping[str, tuple[float, float]],
                     post: Mapping[str, Mapping[str, float]], defaults: Mapping[str, float], title: str,
                     default_brier: float | None = None) -> Figure:
    """One panel per parameter: fit Brier of every point against its value over the prior range,
    the accepted points, the posterior mean ± sd and the configured (default) value and Brier."""
    names = list(priors)
    cols = min(3, len(names))
    rows = math.ceil(len(names) / cols)
    fig = Figure(figsize=(4.2 * cols, 3.2 * rows + 0.6), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    ok = points["accepted"].to_numpy(bool)
    for ax, name in zip(axes, names, strict=False):
        lo, hi = priors[name]
        m, s = post[name]["mean"], post[name]["sd"]
        ax.axvspan(lo, hi, color="0.93", label="prior range")
        ax.axvspan(m - s, m + s, color="tab:orange", alpha=0.25, label="posterior mean ± sd")
        ax.scatter(points.loc[~ok, name], points.loc[~ok, "brier"], s=12, color="0.55", label="rejected")
        ax.scatter(points.loc[ok, name], points.loc[ok, "brier"], s=28, color="tab:red", label="accepted")
        ax.axvline(m, color="tab:orange", lw=2)
        ax.axvline(defaults[name], color="tab:blue", ls="--", lw=1.2, label="default value")
        if default_brier is not None:
            ax.axhline(default_brier, color="tab:blue", ls=":", lw=1, label="default's Brier")
        ax.set_xlim(lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo))
        ax.set_title(name.removeprefix("incentives."), fontsize=10)
        ax.set_xlabel("weight" if name.startswith("incentives.") else "value")
        ax.set_ylabel("fit Brier score")
    for ax in axes[len(names):]:
        ax.set_visible(False)
    axes[0].legend(fontsize=7, loc="best")
    fig.suptitle(title, fontsize=11)
    return fig


# ---------------------------------------------------------------- command line


def parse_priors(texts: Sequence[str] | None) -> dict[str, tuple[float, float]]:
    """`--prior NAME=LOW:HIGH` options as {dotted name: (low, high)}; the defaults when none are
    given. NAME is GROUP.TERM for an incentive weight (junta.sovereignty) or a dotted model
    parameter (hazards.coup_base). A bad name or range ends the program with one `error:` paragraph."""
    if not texts:
        return dict(DEFAULT_PRIORS)
    out = {}
    for text in texts:
        m = re.match(r"^([\w.]+)=([^:]+):(.+)$", text.strip())
        name = m.group(1) if m else ""
        if re.match(r"^(civilian|junta)\.\w+$", name):
            name = f"incentives.{name}"
        try:
            lo_legal, hi_legal = parameter_range(name)
            if name.split(".")[0] not in FITTABLE or parameter(name).type is int:
                raise ConfigError(name)
        except ConfigError:
            fail(f"--prior {text!r} is not NAME=LOW:HIGH with NAME a real-valued model parameter: GROUP.TERM for an "
                 f"incentive weight (GROUP civilian or junta, TERM one of {', '.join(TERMS)}) or a dotted name "
                 f"under {', '.join(FITTABLE[1:])} from docs/parameters.md, e.g. --prior junta.sovereignty=0.2:3 "
                 f"or --prior hazards.coup_base=0.0005:0.004.")
        try:
            lo, hi = float(m.group(2)), float(m.group(3))
        except ValueError:
            fail(f"--prior {text!r}: the range must be two numbers LOW:HIGH, e.g. 0.2:3.")
        if not (lo_legal <= lo < hi <= hi_legal):
            fail(f"--prior {text!r}: the range must satisfy {lo_legal:g} <= LOW < HIGH <= {hi_legal:g} "
                 f"(the legal range of {name}).")
        out[name] = (lo, hi)
    return out


def month_arg(text: str, option: str) -> int:
    """A YYYY-MM option as a month index."""
    try:
        return str_to_month(text)
    except ValueError:
        fail(f"{option} {text!r} is not a month: write it as YYYY-MM, e.g. {option} 2022-12.")


def check_args(args: argparse.Namespace) -> None:
    """The counts and the share; a bad one ends the program with one `error:` paragraph."""
    check_counts(args)
    if args.points < 1:
        fail(f"--points must be at least 1, got {args.points}. It is the number of weight settings tried, e.g. 64.")
    if args.seeds < 1:
        fail(f"--seeds must be at least 1, got {args.seeds}. It is the number of runs per setting, e.g. 50.")
    if not 0.0 < args.accept <= 1.0:
        fail(f"--accept must be a share in (0, 1], got {args.accept}. E.g. --accept 0.1 keeps the best 10%.")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line, its counts and share checked (check_args)."""
    parser = Parser(prog="python -m sim.calibrate", description=__doc__.split("\n\n")[0])
    add_common(parser, runs=1000, out="outputs/calibration")
    parser.add_argument("--points", type=int, default=256, help="Latin hypercube points (default 256)")
    parser.add_argument("--seeds", type=int, default=40, help="runs per point in the fit (default 40)")
    parser.add_argument("--accept", type=float, default=0.1, help="share of points accepted (default 0.1)")
    parser.add_argument("--prior", action="append", metavar="NAME=LOW:HIGH",
                        help="a fitted parameter (junta.sovereignty, hazards.coup_base, ...) and its uniform prior; "
                             "repeat; replaces the default set")
    parser.add_argument("--fit-end", default=FIT_END, help=f"last month of the fit window (default {FIT_END})")
    parser.add_argument("--end", default=END, help=f"last month of the test window (default {END})")
    parser.add_argument("--timeline", type=Path, default=DEFAULT_TIMELINE, help="timeline file of observed events")
    parser.add_argument("--write-config", type=Path, default=DEFAULT_CONFIG_OUT,
                        help="where to write the fitted config file (default conf/incentives/calibrated.yaml)")
    parser.add_argument("--no-config", action="store_true", help="do not write the config file")
    args = parser.parse_intermixed_args(argv)
    check_args(args)
    return args


@dataclass(frozen=True)
class Setup:
    """What a calibration runs on, all checked before anything is simulated: the arguments and the
    command line, the priors and configured values of the fitted parameters, the configuration and
    its world, the two windows, the observed events and the Latin hypercube of points."""

    args: argparse.Namespace
    command: str
    priors: dict[str, tuple[float, float]]
    defaults: dict[str, float]
    cfg: Config
    world: World
    fit: Window
    test: Window
    mapped: pd.DataFrame
    design: pd.DataFrame

    @property
    def names(self) -> list[str]:
        """The fitted parameters, in the order of the priors."""
        return list(self.priors)

    def say(self, text: str) -> None:
        """A line of progress on stderr, unless --quiet."""
        if not self.args.quiet:
            print(text, file=sys.stderr)


def prepare(args: argparse.Namespace, argv: list[str] | None) -> Setup:
    """The priors, configuration, world, windows, observed events and design of a calibration; bad
    input ends the program with one `error:` paragraph."""
    priors = parse_priors(args.prior)
    cfg, world = configure([f"scenario={DEFAULT_WORLD}", *args.overrides])
    start, fit_end, end = str_to_month(world.as_of), month_arg(args.fit_end, "--fit-end"), month_arg(args.end, "--end")
    if not start < fit_end < end <= start + 600:
        fail(f"Need the world's start {world.as_of} < --fit-end {args.fit_end} < --end {args.end} "
             f"(at most 600 months), e.g. --fit-end 2022-12 --end 2024-05.")
    try:
        mapped = observed_events(args.timeline, world)
    except ValueError as exc:
        fail(str(exc))
    try:
        design = latin_hypercube(priors, args.points, args.seed)
    except ConfigError as exc:
        fail(str(exc))
    return Setup(
        args=args, command=shlex.join(["python", "-m", "sim.calibrate", *(argv if argv is not None else sys.argv[1:])]),
        priors=priors, defaults={n: float(parameter_value(cfg, n)) for n in priors}, cfg=cfg, world=world,
        fit=Window("fit", world.as_of, args.fit_end, world.as_of),
        test=Window("test", month_to_str(fit_end + 1), args.end, world.as_of),
        mapped=mapped, design=design)


@dataclass(frozen=True)
class Fit:
    """The outcome of ABC rejection: every point with its fit Brier score, whether it was accepted
    and its rank; the accepted points; the posterior mean and sd of each parameter; and the fit
    Brier score of the configured values with the same seeds."""

    points: pd.DataFrame
    accepted: pd.DataFrame
    posterior: dict[str, dict[str, float]]
    default_brier: float


def fit_ensemble(setup: Setup) -> list[float]:
    """The fit window's Brier score of every design point (--seeds runs each) and, last, of the
    configured values with the same seeds: a reference, never accepted."""
    args, world, fit = setup.args, setup.world, setup.fit
    setup.say(f"fit: {args.points} points x {args.seeds} seeds, {world.as_of} -> {args.fit_end} ({fit.steps} months)")
    batch = pd.concat([setup.design, pd.DataFrame([setup.defaults])], ignore_index=True)
    first = ensemble_windows(setup.cfg, world, batch, args.seeds, args.seed, fit.steps, {"fit": fit.after}, args.chunk)
    cells = (point_cells(first["fit"], p, args.seeds, fit, setup.mapped, world.states) for p in range(len(batch)))
    return [brier_score(c["probability"], c["observed"]) for c in cells]


def acceptance(setup: Setup, briers: Sequence[float]) -> Fit:
    """ABC rejection: the best --accept share of the design points by fit Brier score (`briers`
    from fit_ensemble, the configured values' last), and their posterior."""
    points = setup.design.copy()
    points.insert(0, "point", np.arange(len(setup.design)))
    points["brier"] = briers[:-1]
    best = accept(points["brier"], setup.args.accept)
    points["accepted"] = False
    points.loc[best, "accepted"] = True
    points["rank"] = points["brier"].rank(method="first").astype(int)
    accepted = points.loc[best]
    return Fit(points=points, accepted=accepted, posterior=posterior(accepted, setup.names), default_brier=briers[-1])


def fitted_values(fit: Fit) -> dict[str, float]:
    """The calibrated values: the posterior means exactly as the config file will hold them."""
    return {n: float(_number(p["mean"])) for n, p in fit.posterior.items()}


def score_test_ensembles(setup: Setup, fit: Fit, fitted: Mapping[str, float]) -> dict[str, dict]:
    """Scores in the fit and the test window of --runs runs of the configured values ('default'),
    of the calibrated values ('calibrated') and of the posterior sample itself ('posterior': run r
    uses accepted point r mod k), all with the same seeds."""
    args, world, mapped, windows = setup.args, setup.world, setup.mapped, (setup.fit, setup.test)
    after, steps = {w.name: w.after for w in windows}, setup.test.steps
    setup.say(f"test: default and calibrated weights x {args.runs} runs, {world.as_of} -> {args.end}")
    pair = pd.DataFrame([setup.defaults, fitted])
    first = ensemble_windows(setup.cfg, world, pair, args.runs, args.seed, steps, after, args.chunk)
    scores = {label: {w.name: window_scores(point_cells(first[w.name], p, args.runs, w, mapped, world.states))
                      for w in windows} for p, label in enumerate(("default", "calibrated"))}
    setup.say(f"test: the {len(fit.accepted)} accepted points x {args.runs} runs in all, {world.as_of} -> {args.end}")
    first = run_windows(setup.cfg, world, posterior_draws(fit.accepted, setup.names, args.runs),
                        [run_seed(args.seed, r) for r in range(args.runs)], steps, after, args.chunk)
    scores["posterior"] = {w.name: window_scores(window_cells(first[w.name], args.runs, w, mapped, world.states))
                           for w in windows}
    return scores


def results(setup: Setup, fit: Fit, scores: dict[str, dict]) -> dict[str, Any]:
    """What calibration.json holds: the settings, the priors, every point, the posterior, the scores."""
    args, world, defaults = setup.args, setup.world, setup.defaults
    return {
        "command": setup.command, "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"), "world": world.name,
        "start": world.as_of, "fit_window": [setup.fit.first, setup.fit.last],
        "test_window": [setup.test.first, setup.test.last],
        "points": args.points, "seeds": args.seeds, "accept": args.accept, "accepted": len(fit.accepted),
        "runs": args.runs, "seed": args.seed, "overrides": args.overrides, "timeline": str(args.timeline),
        "provenance": provenance(world.path),
        "prior": {n: {"distribution": "uniform", "low": lo, "high": hi, "default": defaults[n]}
                  for n, (lo, hi) in setup.priors.items()},
        "posterior": fit.posterior, "default_fit_brier": fit.default_brier,
        "default_rank": int(np.sum(fit.points["brier"].to_numpy() < fit.default_brier)) + 1,
        "accepted_points": fit.accepted, "all_points": fit.points, "scores": scores,
    }


def write_outputs(setup: Setup, fit: Fit, result: dict[str, Any]) -> None:
    """calibration.json, points.csv, config.yaml and calibration.png into --out."""
    args, out = setup.args, setup.args.out
    out.mkdir(parents=True, exist_ok=True)
    write_json(result, out / "calibration.json")
    fit.points.to_csv(out / "points.csv", index=False)
    save_config(setup.cfg, out / "config.yaml")
    title = (f"ABC rejection: {len(fit.accepted)} of {args.points} points accepted "
             f"(fit {setup.fit.first}..{setup.fit.last}, {args.seeds} seeds each)")
    save_figure(posterior_figure(fit.points, setup.priors, fit.posterior, setup.defaults, title, fit.default_brier),
                out / "calibration.png")


def write_config_file(setup: Setup, fit: Fit, fitted: Mapping[str, float], result: dict[str, Any]) -> None:
    """The fitted values as a config file (--write-config) below a comment header saying how they
    were found and how they score, and the accepted points next to it (posterior_path)."""
    args, post, scores, priors, defaults = setup.args, fit.posterior, result["scores"], setup.priors, setup.defaults
    fit_window, test_window = f"{setup.fit.first}..{setup.fit.last}", f"{setup.test.first}..{setup.test.last}"
    header = [f"Calibrated incentive weights and hazards: `{setup.command}` on {result['date']} "
              f"(docs/calibration.md).",
              f"ABC rejection: best {len(fit.accepted)} of {args.points} Latin-hypercube points x {args.seeds} "
              f"seeds by Brier score, fit window {fit_window}; posterior mean ± sd:",
              *(f"  {n.removeprefix('incentives.')}: {post[n]['mean']:.4g} ± {post[n]['sd']:.3g} "
                f"(prior U[{priors[n][0]}, {priors[n][1]}], default {defaults[n]})" for n in setup.names),
              f"Brier ({args.runs} runs; default -> calibrated): fit {fit_window} "
              f"{scores['default']['fit']['brier']:.4f} -> {scores['calibrated']['fit']['brier']:.4f}; "
              f"test {test_window} {scores['default']['test']['brier']:.4f} -> "
              f"{scores['calibrated']['test']['brier']:.4f} (the {len(fit.accepted)} accepted points themselves, "
              f"{posterior_path(args.write_config).name}: {scores['posterior']['test']['brier']:.4f}).",
              "Everything else as configured (conf/ and sim/core/params.py unless overridden).", ""]
    args.write_config.parent.mkdir(parents=True, exist_ok=True)
    text = calibrated_yaml(setup.cfg, fitted, header)
    yaml.safe_load(text)
    args.write_config.write_text(text, encoding="utf-8")
    write_csv_atomic(fit.accepted[["point", *setup.names, "brier"]], posterior_path(args.write_config))


def main(argv: list[str] | None = None) -> Path:
    """Calibrate as the command line says (see the module's docstring); returns the output folder."""
    setup = prepare(parse_args(argv), argv)
    fit = acceptance(setup, fit_ensemble(setup))
    fitted = fitted_values(fit)
    result = results(setup, fit, score_test_ensembles(setup, fit, fitted))
    write_outputs(setup, fit, result)
    args = setup.args
    if not args.no_config:
        write_config_file(setup, fit, fitted, result)
    if not args.quiet:
        print(summary(result, args.out, None if args.no_config else args.write_config))
    return args.out


def summary(result: dict, out: Path, config: Path | None) -> str:
    """A few lines: the posterior and the fit and test scores before and after calibration."""
    lines = [f"Calibration {result['world']}: {result['accepted']} of {result['points']} points accepted "
             f"({result['seeds']} seeds each; fit Brier {result['accepted_points']['brier'].min():.4f} to "
             f"{result['accepted_points']['brier'].max():.4f}; the default weights with the same seeds "
             f"{result['default_fit_brier']:.4f}, rank {result['default_rank']}). Posterior mean ± sd (prior):"]
    for n, p in result["posterior"].items():
        pr = result["prior"][n]
        lines.append(f"  {n.removeprefix('incentives.'):28s} {p['mean']:.4g} ± {p['sd']:.3g}  "
                     f"(U[{pr['low']}, {pr['high']}], default {pr['default']})")
    for w in ("fit", "test"):
        window = result[f"{w}_window"]
        for label in ("default", "calibrated", "posterior"):
            s = result["scores"][label][w]
            lines.append(f"{w:4s} {window[0]}..{window[1]} {label:10s} Brier {s['brier']:.4f}  "
                         f"skill vs base rate {s['skill_vs_base_rate']:+.3f}  vs nothing changes "
                         f"{s['skill_vs_nothing_changes']:+.3f}  ({s['events']} events in {s['cells']} cells)")
    lines.append(f"Written to {out}" + (f"; config file {config}" if config else ""))
    return "\n".join(lines)


if __name__ == "__main__":
    main(sys.argv[1:])
