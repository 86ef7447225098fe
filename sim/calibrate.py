"""`python -m sim.calibrate`: fit incentive weights and hazards to the record by approximate
Bayesian computation (rejection) and check the fit out of time (docs/calibration.md).

    python -m sim.calibrate                                  # 256 points x 40 seeds, then 3 x 1,000 test runs
    python -m sim.calibrate --points 32 --seeds 20 --runs 200 --out outputs/cal_small --write-config /tmp/c.yaml
    python -m sim.calibrate --prior junta.sovereignty=0.2:3 --prior hazards.coup_base=0.0005:0.004

The fitted parameters and their priors come from conf/calibration/priors.yaml (--priors; --prior
NAME=LOW:HIGH replaces the list by uniform priors). A Latin hypercube of --points settings over
the priors' quantiles runs from the January 2020 world as one batched ensemble (--seeds runs per
setting, the same seeds for every setting). Each setting is scored by the Brier score of its event
probabilities in the fit window (the world's start to --fit-end); a setting is plausible when its
simulated successful coups after the fit window stay under --max-coup-rate and
--max-state-coup-month; the best --accept share among the plausible ones is kept: their mean and
standard deviation per parameter are the posterior's centre and spread. The posterior mean and the
configured values then run --runs times each to --end and are scored in the fit window and, out of
time, in the test window (the month after --fit-end to --end), with --resamples bootstrap
resamples of the test cells. The verdict (sim.calibration_verdict): the forecast uses the fitted
set only when the paired difference's --level interval lies below zero.

Writes into --out (default outputs/calibration): calibration.json (priors, every point with its
Brier score, the accepted points, the posterior, fit and test scores), points.csv, calibration.png
and config.yaml; and the fitted values as a config file (--write-config, default
conf/incentives/calibrated.yaml in a checkout of the repository, a global-package file, so
`incentives=calibrated` sets the fitted weights and hazards together; --out's calibrated.yaml when
the package is installed, read by `python -m sim.forecast --calibration FOLDER`), with the accepted
points (calibrated_posterior.csv) and the verdict (calibrated_verdict.json) next to it. Bad input stops with one
`error:` paragraph and exit code 2.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
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
from matplotlib.figure import Figure

from analysis.figures import save_figure
from analysis.observed import DEFAULT_TIMELINE, SCORED, observed_outcomes, outcome_cells
from analysis.plausibility_facts import BASELINE, FactsError, load_facts
from analysis.scoring import bootstrap_scores, brier_score, score_cells
from sim.battery import DEFAULT_FACTS, baseline_results, compare_sets, experiment_names
from sim.calibration_verdict import beats_defaults, verdict_path, verdict_reason, verdict_record
from sim.commandline import (
    Parser,
    add_common,
    check_common,
    check_out_file,
    configure,
    fail,
    make_out,
    month_option,
    save_config,
    write_json,
)
from sim.config import CONF_DIR
from sim.core import data_yaml
from sim.core.atomic import write_text_atomic
from sim.core.events import EventLog
from sim.core.io import write_csv_atomic
from sim.core.params import Config, ConfigError, parameter_value, set_parameter
from sim.core.paths import in_checkout
from sim.core.provenance import provenance
from sim.core.vocabulary import EVENT_TYPES, REGIMES, TERMS
from sim.core.world import World, month_to_str, str_to_month
from sim.designs import parameter_range, run_seed
from sim.ensemble import run_batch
from sim.hindcast_scoring import DEFAULT_WORLD, hindcast_cells, observed_events
from sim.outlook import KEYS, first_months
from sim.posterior_sample import FITTABLE, posterior_draws, posterior_path
from sim.priors import DEFAULT_PRIORS_FILE, Prior, check_name, full_name, load_priors, uniform_prior
from sim.priors import design as prior_design

FIT_END = "2022-12"
END = "2024-05"
BASELINE_FILE = CONF_DIR / "incentives" / "baseline.yaml"
DEFAULT_CONFIG_OUT = CONF_DIR / "incentives" / "calibrated.yaml"


def default_config_out(out: Path) -> Path:
    """Where the fitted config file goes unless --write-config says: conf/incentives/ in a checkout of
    the repository; the output folder when the package is installed (never inside the installed package)."""
    return DEFAULT_CONFIG_OUT if in_checkout() else out / DEFAULT_CONFIG_OUT.name


#: Plausibility constraint (docs/calibration.md): the most successful coups per 100 state-years the
#: 2020 world may simulate in the months after the fit window, region-wide, and the most a month in
#: any one state (per cent), for a point to be accepted.
MAX_COUP_RATE = 8.0
MAX_STATE_COUP_MONTH = 3.0
#: Plausibility gate (docs/calibration.md, "The verdict"): runs and months of the May-2024 baseline per
#: set, and how much farther outside a fact's range the fitted set may lie than the defaults (a share
#: of the range's scale; the two sets share their seeds).
GATE_RUNS = 1000
GATE_MONTHS = 36
GATE_SLACK = 0.2
#: Bootstrap of the test-window scores: resamples and the interval's level.
RESAMPLES = 1000
LEVEL = 0.9
SCORE_KEYS = (
    "cells",
    "events",
    "brier",
    "brier_base_rate",
    "brier_nothing_changes",
    "skill_vs_base_rate",
    "skill_vs_nothing_changes",
    "auc",
)


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


def window_cells(
    first: pd.DataFrame, runs: int, window: Window, mapped: pd.DataFrame, states: Sequence[str]
) -> pd.DataFrame:
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


def coup_counts(events: Sequence, after: int, steps: int, states: int) -> pd.DataFrame:
    """Successful coups (events of type 'coup') per run and state in months after+1..steps: columns
    run, state (index), coups; only pairs with at least one."""
    if isinstance(events, EventLog):  # the log's columns: no Event records, no causes written
        c = events.columns()
        keep = (c["type"] == EVENT_TYPES.index("coup")) & (c["step"] > after) & (c["step"] <= steps)
        pairs = np.column_stack([c["run"][keep], c["state"][keep]])
    else:
        pairs = np.array(
            [(e.run, e.state) for e in events if e.type == "coup" and after < e.step <= steps], dtype=np.int64
        ).reshape(-1, 2)
    table = pd.DataFrame(pairs, columns=["run", "state"])
    return table.groupby(["run", "state"], as_index=False).size().rename(columns={"size": "coups"})


def run_windows(
    cfg: Config,
    world: World,
    values: Mapping[str, np.ndarray],
    seeds: Sequence[int],
    steps: int,
    after: Mapping[str, int],
    chunk: int,
    coups_after: int | None = None,
) -> dict[str, pd.DataFrame]:
    """Run r with parameters values[name][r] and seed seeds[r], in batches of `chunk`; per window
    name, the first months after month `after[name]`. With `coups_after`, also 'coups': the
    successful coups per run and state in months coups_after+1..steps (coup_counts)."""
    runs = len(seeds)
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in after}
    counts: list[pd.DataFrame] = []
    for start in range(0, runs, chunk):
        ids = np.arange(start, min(start + chunk, runs))
        recorder = run_batch(
            cfg,
            [int(seeds[r]) for r in ids],
            ids,
            world=world,
            steps=steps,
            run_parameters={name: column[ids] for name, column in values.items()},
            every=steps,
        )
        for name, months in after.items():
            parts[name].append(first_months(recorder.events, world, after=months))
        if coups_after is not None:
            counts.append(coup_counts(recorder.events, coups_after, steps, len(world.states)))
        del recorder
    out = {name: pd.concat(frames, ignore_index=True).astype({k: str for k in KEYS}) for name, frames in parts.items()}
    if coups_after is not None:
        out["coups"] = pd.concat(counts, ignore_index=True)
    return out


def ensemble_windows(
    cfg: Config,
    world: World,
    design: pd.DataFrame,
    seeds: int,
    seed: int,
    steps: int,
    after: Mapping[str, int],
    chunk: int,
    coups_after: int | None = None,
) -> dict[str, pd.DataFrame]:
    """Run every design point `seeds` times (run r: point r // seeds, seed run_seed(seed, r % seeds),
    the same seeds for every point) in batches of `chunk`; per window name, the first months after
    month `after[name]`, with a column `point` (and 'coups' with `coups_after`, see run_windows)."""
    runs = len(design) * seeds
    point = np.arange(runs) // seeds
    values = {name: design[name].to_numpy(float)[point] for name in design.columns}
    first = run_windows(
        cfg, world, values, [run_seed(seed, int(r % seeds)) for r in range(runs)], steps, after, chunk, coups_after
    )
    return {name: f.assign(point=(f["run"] // seeds).astype(int)) for name, f in first.items()}


def point_cells(
    first: pd.DataFrame, point: int, seeds: int, window: Window, mapped: pd.DataFrame, states: Sequence[str]
) -> pd.DataFrame:
    """The window cells of one design point."""
    return window_cells(first.loc[first["point"] == point], seeds, window, mapped, states)


def accept(briers: Sequence[float], share: float, plausible: Sequence[bool] | None = None) -> np.ndarray:
    """ABC rejection: indices of the round(share * n) (at least 1) lowest Brier scores, best first,
    n counting all points; with `plausible`, only among the plausible points (possibly fewer, or none)."""
    k = max(1, int(round(share * len(briers))))
    order = np.argsort(np.asarray(briers, dtype=float), kind="stable")
    if plausible is not None:
        order = order[np.asarray(plausible, dtype=bool)[order]]
    return order[:k]


def plausibility(coups: pd.DataFrame, points: int, seeds: int, states: int, months: int) -> pd.DataFrame:
    """Per design point, from its runs' successful coups over `months` months (coup_counts with a
    column point): coups per 100 state-years region-wide, and the highest monthly rate of any state
    in per cent, with that state's index. Points without coups get zeros."""
    per_state = np.zeros((points, states))
    if len(coups):
        np.add.at(per_state, (coups["point"].to_numpy(int), coups["state"].to_numpy(int)), coups["coups"].to_numpy())
    return pd.DataFrame(
        {
            "coups_per_100_state_years": 100 * per_state.sum(axis=1) / (seeds * states * months / 12),
            "max_state_coups_per_month_pct": 100 * per_state.max(axis=1) / (seeds * months),
            "max_state": per_state.argmax(axis=1),
        }
    )


def posterior(points: pd.DataFrame, names: Sequence[str]) -> dict[str, dict[str, float]]:
    """Mean and standard deviation (ddof 1; 0 for one point) of each parameter over accepted points."""
    ddof = 1 if len(points) > 1 else 0
    return {n: {"mean": float(points[n].mean()), "sd": float(points[n].std(ddof=ddof))} for n in names}


# ---------------------------------------------------------------- the incentives file


def incentives_yaml(
    weights: Mapping[str, Mapping[str, float]], header: Sequence[str], template: Path = BASELINE_FILE
) -> str:
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


def calibrated_yaml(
    cfg: Config, fitted: Mapping[str, float], header: Sequence[str], template: Path = BASELINE_FILE
) -> str:
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


def posterior_figure(
    points: pd.DataFrame,
    priors: Mapping[str, Prior],
    post: Mapping[str, Mapping[str, float]],
    defaults: Mapping[str, float],
    title: str,
    default_brier: float | None = None,
) -> Figure:
    """One panel per parameter: fit Brier of every point against its value over the prior range,
    the accepted points, the posterior mean ± sd and the configured (default) value and Brier."""
    names = list(priors)
    cols = min(3, len(names))
    rows = math.ceil(len(names) / cols)
    fig = Figure(figsize=(4.2 * cols, 3.2 * rows + 0.6), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    ok = points["accepted"].to_numpy(bool)
    for ax, name in zip(axes, names, strict=False):
        lo, hi = priors[name].low, priors[name].high
        m, s = post[name]["mean"], post[name]["sd"]
        ax.axvspan(lo, hi, color="0.93", label="prior's bounds")
        grid = np.linspace(lo, hi, 201)
        density = np.gradient((np.arange(1, 1001) - 0.5) / 1000, priors[name].ppf((np.arange(1, 1001) - 0.5) / 1000))
        if np.all(np.isfinite(density)):
            curve = np.interp(grid, priors[name].ppf((np.arange(1, 1001) - 0.5) / 1000), density)
            y0, y1 = points["brier"].min(), points["brier"].max()
            ax.plot(
                grid,
                y1 - 0.35 * (y1 - y0) * curve / max(curve.max(), 1e-12),
                color="0.6",
                lw=1,
                label="prior density (scaled)",
            )
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
    for ax in axes[len(names) :]:
        ax.set_visible(False)
    axes[0].legend(fontsize=7, loc="best")
    fig.suptitle(title, fontsize=11)
    return fig


# ---------------------------------------------------------------- command line


def parse_priors(texts: Sequence[str] | None, path: Path = DEFAULT_PRIORS_FILE) -> dict[str, Prior]:
    """The priors of the fitted parameters: those of the priors file `path` or, when `--prior
    NAME=LOW:HIGH` options are given, uniform priors on those ranges instead (the options replace
    the file's list). NAME is GROUP.TERM for an incentive weight (junta.sovereignty) or a dotted
    model parameter (hazards.coup_base). A bad file, name or range ends the program with one
    `error:` paragraph."""
    if not texts:
        try:
            return load_priors(path)
        except ConfigError as exc:
            fail(str(exc))
    out = {}
    for text in texts:
        m = re.match(r"^([\w.]+)=([^:]+):(.+)$", text.strip())
        name = full_name(m.group(1) if m else "")
        try:
            check_name(name)
        except ConfigError:
            fail(
                f"--prior {text!r} is not NAME=LOW:HIGH with NAME a real-valued model parameter: GROUP.TERM for an "
                f"incentive weight (GROUP civilian or junta, TERM one of {', '.join(TERMS)}) or a dotted name "
                f"under {', '.join(FITTABLE[1:])} from docs/parameters.md, e.g. --prior junta.sovereignty=0.2:3 "
                f"or --prior hazards.coup_base=0.0005:0.004."
            )
        try:
            lo, hi = float(m.group(2)), float(m.group(3))
        except ValueError:
            fail(f"--prior {text!r}: the range must be two numbers LOW:HIGH, e.g. 0.2:3.")
        lo_legal, hi_legal = parameter_range(name)
        if not (lo_legal <= lo < hi <= hi_legal):
            fail(
                f"--prior {text!r}: the range must satisfy {lo_legal:g} <= LOW < HIGH <= {hi_legal:g} "
                f"(the legal range of {name})."
            )
        out[name] = uniform_prior(name, lo, hi)
    return out


def check_args(args: argparse.Namespace) -> None:
    """The counts and the share; a bad one ends the program with one `error:` paragraph."""
    check_common(args)
    if args.points < 1:
        fail(f"--points must be at least 1, got {args.points}. It is the number of weight settings tried, e.g. 64.")
    if args.seeds < 1:
        fail(f"--seeds must be at least 1, got {args.seeds}. It is the number of runs per setting, e.g. 50.")
    if not 0.0 < args.accept <= 1.0:
        fail(f"--accept must be a share in (0, 1], got {args.accept}. E.g. --accept 0.1 keeps the best 10%.")
    if args.resamples < 10:
        fail(
            f"--resamples must be at least 10, got {args.resamples}. It is the number of bootstrap resamples of "
            f"the test window's cells, e.g. 1000."
        )
    if not 0.0 < args.level < 1.0:
        fail(f"--level must be a share in (0, 1), got {args.level}. E.g. --level 0.9 for 90% intervals.")
    if args.max_coup_rate <= 0 or args.max_state_coup_month <= 0:
        fail(
            f"--max-coup-rate ({args.max_coup_rate}) and --max-state-coup-month ({args.max_state_coup_month}) "
            f"must be positive; use --no-plausibility to switch the constraint off."
        )
    if not args.no_config:  # the config file and the two files written beside it
        for path in (args.write_config, posterior_path(args.write_config), verdict_path(args.write_config)):
            check_out_file(path, "--write-config")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line, its counts and share checked (check_args)."""
    parser = Parser(prog="python -m sim.calibrate", description=__doc__.split("\n\n")[0])
    add_common(parser, runs=1000, out="outputs/calibration")
    parser.add_argument("--points", type=int, default=512, help="Latin hypercube points (default 512)")
    parser.add_argument("--seeds", type=int, default=40, help="runs per point in the fit (default 40)")
    parser.add_argument("--accept", type=float, default=0.1, help="share of points accepted (default 0.1)")
    parser.add_argument(
        "--priors",
        type=Path,
        default=DEFAULT_PRIORS_FILE,
        help="the priors file: what is fitted and its priors (default conf/calibration/priors.yaml)",
    )
    parser.add_argument(
        "--prior",
        action="append",
        metavar="NAME=LOW:HIGH",
        help="a fitted parameter (junta.sovereignty, hazards.coup_base, ...) and its uniform prior; "
        "repeat; replaces the priors file's list",
    )
    parser.add_argument(
        "--max-coup-rate",
        type=float,
        default=MAX_COUP_RATE,
        help="plausibility: most successful coups per 100 state-years the 2020 world may simulate "
        f"after the fit window, region-wide (default {MAX_COUP_RATE:g})",
    )
    parser.add_argument(
        "--max-state-coup-month",
        type=float,
        default=MAX_STATE_COUP_MONTH,
        help="plausibility: most successful coups a month in any one state, per cent, in the same "
        f"months (default {MAX_STATE_COUP_MONTH:g})",
    )
    parser.add_argument("--no-plausibility", action="store_true", help="accept points whatever their coup rates")
    parser.add_argument(
        "--gate-runs",
        type=int,
        default=GATE_RUNS,
        help=f"runs of the May-2024 baseline per set for the plausibility gate (default {GATE_RUNS})",
    )
    parser.add_argument(
        "--gate-slack",
        type=float,
        default=GATE_SLACK,
        help="how much farther outside a fact's range the fitted set may lie than the defaults, "
        f"as a share of the range's scale (default {GATE_SLACK:g})",
    )
    parser.add_argument(
        "--no-gate",
        action="store_true",
        help="skip the plausibility gate (the verdict then rests on the out-of-time score alone)",
    )
    parser.add_argument(
        "--resamples",
        type=int,
        default=RESAMPLES,
        help=f"bootstrap resamples of the test window's cells (default {RESAMPLES})",
    )
    parser.add_argument("--level", type=float, default=LEVEL, help=f"level of the intervals (default {LEVEL:g})")
    parser.add_argument("--fit-end", default=FIT_END, help=f"last month of the fit window (default {FIT_END})")
    parser.add_argument("--end", default=END, help=f"last month of the test window (default {END})")
    parser.add_argument("--timeline", type=Path, default=DEFAULT_TIMELINE, help="timeline file of observed events")
    parser.add_argument(
        "--write-config",
        type=Path,
        default=None,
        help="where to write the fitted config file (default conf/incentives/calibrated.yaml in "
        "a checkout of the repository, OUT/calibrated.yaml when installed)",
    )
    parser.add_argument("--no-config", action="store_true", help="do not write the config file")
    args = parser.parse_intermixed_args(argv)
    if args.write_config is None:
        args.write_config = default_config_out(args.out)
    check_args(args)
    return args


@dataclass(frozen=True)
class Setup:
    """What a calibration runs on, all checked before anything is simulated: the arguments and the
    command line, the priors and configured values of the fitted parameters, the configuration and
    its world, the two windows, the observed events and the Latin hypercube of points."""

    args: argparse.Namespace
    command: str
    priors: dict[str, Prior]
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
    priors = parse_priors(args.prior, args.priors)
    fit_end, end = month_option(args.fit_end, "--fit-end"), month_option(args.end, "--end")
    cfg, world = configure([f"scenario={DEFAULT_WORLD}", *args.overrides])
    start = str_to_month(world.as_of)
    if not start < fit_end < end <= start + 600:
        fail(
            f"Need the world's start {world.as_of} < --fit-end {args.fit_end} < --end {args.end} "
            f"(at most 600 months), e.g. --fit-end 2022-12 --end 2024-05."
        )
    try:
        mapped = observed_events(args.timeline, world)
    except ValueError as exc:
        fail(str(exc))
    design = prior_design(priors, args.points, args.seed)
    return Setup(
        args=args,
        command=shlex.join(["python", "-m", "sim.calibrate", *(argv if argv is not None else sys.argv[1:])]),
        priors=priors,
        defaults={n: float(parameter_value(cfg, n)) for n in priors},
        cfg=cfg,
        world=world,
        fit=Window("fit", world.as_of, args.fit_end, world.as_of),
        test=Window("test", month_to_str(fit_end + 1), args.end, world.as_of),
        mapped=mapped,
        design=design,
    )


@dataclass(frozen=True)
class Fit:
    """The outcome of ABC rejection: every point with its fit Brier score, its coup rates after the
    fit window (the plausibility constraint), whether it was plausible and accepted, and its rank;
    the accepted points; the posterior mean and sd of each parameter; and the fit Brier score and
    coup rates of the configured values with the same seeds."""

    points: pd.DataFrame
    accepted: pd.DataFrame
    posterior: dict[str, dict[str, float]]
    default_brier: float
    default_plausibility: dict[str, float]


def fit_ensemble(setup: Setup) -> pd.DataFrame:
    """Per design point (--seeds runs each) and, last, for the configured values with the same
    seeds (a reference, never accepted): the fit window's Brier score and the successful-coup rates
    the 2020 world simulates in the months after the fit window up to --end (plausibility). The runs
    go on to --end only when the constraint is on."""
    args, world, fit, test = setup.args, setup.world, setup.fit, setup.test
    steps = fit.steps if args.no_plausibility else test.steps
    setup.say(
        f"fit: {args.points} points x {args.seeds} seeds, {world.as_of} -> "
        f"{args.fit_end if args.no_plausibility else args.end} ({steps} months)"
    )
    batch = pd.concat([setup.design, pd.DataFrame([setup.defaults])], ignore_index=True)
    first = ensemble_windows(
        setup.cfg,
        world,
        batch,
        args.seeds,
        args.seed,
        steps,
        {"fit": fit.after},
        args.chunk,
        coups_after=None if args.no_plausibility else fit.steps,
    )
    cells = (point_cells(first["fit"], p, args.seeds, fit, setup.mapped, world.states) for p in range(len(batch)))
    table = pd.DataFrame({"brier": [brier_score(c["probability"], c["observed"]) for c in cells]})
    if args.no_plausibility:
        return table
    coups = first["coups"].assign(point=lambda f: f["run"] // args.seeds)
    rates = plausibility(coups, len(batch), args.seeds, len(world.states), test.steps - fit.steps)
    rates["max_state"] = [world.states[i] for i in rates["max_state"]]
    return pd.concat([table, rates], axis=1)


def is_plausible(table: pd.DataFrame, args: argparse.Namespace) -> np.ndarray:
    """The plausibility constraint: both coup rates at or below their ceilings (all True when off)."""
    if args.no_plausibility:
        return np.ones(len(table), dtype=bool)
    return (
        (table["coups_per_100_state_years"] <= args.max_coup_rate)
        & (table["max_state_coups_per_month_pct"] <= args.max_state_coup_month)
    ).to_numpy()


def acceptance(setup: Setup, scored: pd.DataFrame) -> Fit:
    """ABC rejection: the best --accept share of the design points by fit Brier score among the
    plausible ones (`scored` from fit_ensemble, the configured values' row last), and their
    posterior. No plausible point ends the program with one `error:` paragraph."""
    args = setup.args
    points = setup.design.copy()
    points.insert(0, "point", np.arange(len(setup.design)))
    points = pd.concat([points, scored.iloc[:-1].reset_index(drop=True)], axis=1)
    points["plausible"] = is_plausible(points, args)
    if not points["plausible"].any():
        fail(
            f"None of the {len(points)} points keeps the 2020 world's simulated coups after the fit window at or "
            f"below {args.max_coup_rate:g} per 100 state-years and {args.max_state_coup_month:g}% a month in any "
            f"state (lowest: {points['coups_per_100_state_years'].min():.1f} and "
            f"{points['max_state_coups_per_month_pct'].min():.1f}%). Raise --max-coup-rate or "
            f"--max-state-coup-month, narrow the coup priors, or use --no-plausibility."
        )
    best = accept(points["brier"], args.accept, points["plausible"])
    points["accepted"] = False
    points.loc[best, "accepted"] = True
    points["rank"] = points["brier"].rank(method="first").astype(int)
    accepted = points.loc[best]
    reference = scored.iloc[-1]
    return Fit(
        points=points,
        accepted=accepted,
        posterior=posterior(accepted, setup.names),
        default_brier=float(reference["brier"]),
        default_plausibility={k: (v if isinstance(v, str) else float(v)) for k, v in reference.drop("brier").items()},
    )


def fitted_values(fit: Fit) -> dict[str, float]:
    """The calibrated values: the posterior means exactly as the config file will hold them."""
    return {n: float(_number(p["mean"])) for n, p in fit.posterior.items()}


@dataclass(frozen=True)
class OutOfTime:
    """The out-of-time test: per set ('default', 'calibrated', 'posterior') and window ('fit',
    'test') the headline scores; the test window's cells of each set; and the bootstrap of the
    test-window scores over those cells with the verdict."""

    scores: dict[str, dict]
    cells: dict[str, pd.DataFrame]
    bootstrap: dict[str, Any]
    use_calibrated: bool
    reason: str


def kinds(cells: pd.DataFrame) -> pd.Series:
    """Each cell's kind of event (type, power and bloc), as the base rate groups cells."""
    return cells["type"].astype(str) + "|" + cells["power"].astype(str) + "|" + cells["bloc"].astype(str)


def bootstrap_test_window(cells: Mapping[str, pd.DataFrame], resamples: int, seed: int, level: float) -> dict[str, Any]:
    """The bootstrap over the test window's cells (sets' cells in the same order): each set's Brier
    and skill scores with their intervals and the paired differences (analysis.scoring.bootstrap_scores)."""
    keys = [*KEYS]
    ref = cells["default"][keys].reset_index(drop=True)
    for label, table in cells.items():
        if not table[keys].reset_index(drop=True).equals(ref):
            raise ValueError(f"the {label} cells are not the default's cells in the same order")
    base = cells["default"]
    return bootstrap_scores(
        base["observed"].to_numpy(),
        {k: v["probability"].to_numpy() for k, v in cells.items()},
        kinds(base).to_numpy(),
        resamples=resamples,
        seed=seed,
        level=level,
    )


def score_test_ensembles(setup: Setup, fit: Fit, fitted: Mapping[str, float]) -> OutOfTime:
    """Scores in the fit and the test window of --runs runs of the configured values ('default'),
    of the calibrated values ('calibrated') and of the posterior sample itself ('posterior': run r
    uses accepted point r mod k), all with the same seeds; the bootstrap of the test window and the
    verdict (sim.calibration_verdict.beats_defaults on calibrated - default)."""
    args, world, mapped, windows = setup.args, setup.world, setup.mapped, (setup.fit, setup.test)
    after, steps = {w.name: w.after for w in windows}, setup.test.steps
    setup.say(f"test: default and calibrated weights x {args.runs} runs, {world.as_of} -> {args.end}")
    pair = pd.DataFrame([setup.defaults, fitted])
    first = ensemble_windows(setup.cfg, world, pair, args.runs, args.seed, steps, after, args.chunk)
    cells = {
        label: {w.name: point_cells(first[w.name], p, args.runs, w, mapped, world.states) for w in windows}
        for p, label in enumerate(("default", "calibrated"))
    }
    setup.say(f"test: the {len(fit.accepted)} accepted points x {args.runs} runs in all, {world.as_of} -> {args.end}")
    first = run_windows(
        setup.cfg,
        world,
        posterior_draws(fit.accepted, setup.names, args.runs),
        [run_seed(args.seed, r) for r in range(args.runs)],
        steps,
        after,
        args.chunk,
    )
    cells["posterior"] = {w.name: window_cells(first[w.name], args.runs, w, mapped, world.states) for w in windows}
    scores = {label: {w: window_scores(c) for w, c in by_window.items()} for label, by_window in cells.items()}
    test_cells = {label: by_window["test"] for label, by_window in cells.items()}
    boot = bootstrap_test_window(test_cells, args.resamples, args.seed, args.level)
    diff = boot["diff calibrated-default"] if "diff calibrated-default" in boot else None
    if diff is None:  # the pairs are named in the order of the sets: default first
        d = boot["diff default-calibrated"]
        diff = {"brier": -d["brier"], "interval": [-d["interval"][1], -d["interval"][0]]}
        boot["diff calibrated-default"] = diff
    use = beats_defaults(diff["interval"])
    return OutOfTime(
        scores=scores,
        cells=test_cells,
        bootstrap=boot,
        use_calibrated=use,
        reason=verdict_reason(use, diff["brier"], diff["interval"], args.level),
    )


def plausibility_gate(setup: Setup, fitted: Mapping[str, float]) -> pd.DataFrame:
    """The battery's baseline facts (conf/plausibility/facts.yaml) on the May-2024 world, run with
    the configured values and with the fitted set on the same seeds, compared fact by fact
    (sim.battery.compare_sets): a fitted set that lies farther outside any fact's range than the
    defaults is less plausible and is not used, however well it scores out of time."""
    args = setup.args
    setup.say(f"plausibility gate: the battery's baseline facts, configured and fitted values x {args.gate_runs} runs")
    cfg, world = configure(list(args.overrides))
    try:
        facts = load_facts(DEFAULT_FACTS, [BASELINE, *experiment_names()])
    except FactsError as exc:
        fail(str(exc))
    default = baseline_results(cfg, world, facts, args.gate_runs, args.seed, GATE_MONTHS, args.chunk)
    fitted_cfg = copy.deepcopy(cfg)
    for name, value in fitted.items():
        set_parameter(fitted_cfg, name, value)
    fitted_results = baseline_results(fitted_cfg, world, facts, args.gate_runs, args.seed, GATE_MONTHS, args.chunk)
    return compare_sets(default, fitted_results, args.gate_slack)


def gated(tested: OutOfTime, gate: pd.DataFrame | None) -> OutOfTime:
    """The verdict after the plausibility gate: a fitted set less plausible than the defaults on
    any fact is not used."""
    if gate is None or not tested.use_calibrated or not gate["worse"].any():
        return tested
    worse = "; ".join(
        f"{r.fact} {r.value_fitted:.3g} against the defaults' {r.value_default:.3g}"
        for r in gate.loc[gate["worse"]].itertuples()
    )
    return dataclasses.replace(
        tested,
        use_calibrated=False,
        reason=f"{tested.reason}, but it is less plausible than the defaults on the May-2024 "
        f"world (plausibility gate: {worse}), so the defaults are kept",
    )


def results(setup: Setup, fit: Fit, tested: OutOfTime, gate: pd.DataFrame | None = None) -> dict[str, Any]:
    """What calibration.json holds: the settings, the priors, the plausibility constraint, every
    point, the posterior, the scores, the bootstrap intervals and the verdict."""
    args, world, defaults = setup.args, setup.world, setup.defaults
    return {
        "command": setup.command,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
        "world": world.name,
        "start": world.as_of,
        "fit_window": [setup.fit.first, setup.fit.last],
        "test_window": [setup.test.first, setup.test.last],
        "points": args.points,
        "seeds": args.seeds,
        "accept": args.accept,
        "accepted": len(fit.accepted),
        "runs": args.runs,
        "seed": args.seed,
        "overrides": args.overrides,
        "timeline": str(args.timeline),
        "provenance": provenance(world.path),
        "priors_file": None if args.prior else str(args.priors),
        "prior": {n: {**p.as_dict(), "default": defaults[n]} for n, p in setup.priors.items()},
        "plausibility": None
        if args.no_plausibility
        else {
            "months": [month_to_str(str_to_month(setup.fit.last) + 1), setup.test.last],
            "max_coup_rate": args.max_coup_rate,
            "max_state_coup_month": args.max_state_coup_month,
            "plausible_points": int(fit.points["plausible"].sum()),
            "default": fit.default_plausibility,
        },
        "posterior": fit.posterior,
        "default_fit_brier": fit.default_brier,
        "default_rank": int(np.sum(fit.points["brier"].to_numpy() < fit.default_brier)) + 1,
        "accepted_points": fit.accepted,
        "all_points": fit.points,
        "scores": tested.scores,
        "bootstrap": tested.bootstrap,
        "plausibility_gate": None
        if gate is None
        else {"runs": args.gate_runs, "slack": args.gate_slack, "facts": gate},
        "verdict": {"use_calibrated": tested.use_calibrated, "reason": tested.reason},
    }


def write_outputs(setup: Setup, fit: Fit, result: dict[str, Any]) -> None:
    """calibration.json, points.csv, config.yaml and calibration.png into --out."""
    args, out = setup.args, setup.args.out
    make_out(out)
    write_json(result, out / "calibration.json")
    write_csv_atomic(fit.points, out / "points.csv")
    save_config(setup.cfg, out / "config.yaml")
    title = (
        f"ABC rejection: {len(fit.accepted)} of {args.points} points accepted "
        f"(fit {setup.fit.first}..{setup.fit.last}, {args.seeds} seeds each)"
    )
    save_figure(
        posterior_figure(fit.points, setup.priors, fit.posterior, setup.defaults, title, fit.default_brier),
        out / "calibration.png",
    )


def _interval(entry: Mapping[str, Any], key: str = "brier") -> str:
    lo, hi = entry["interval" if key == "brier" else f"{key}_interval"]
    return f"{entry[key]:+.3f} [{lo:+.3f}, {hi:+.3f}]" if key != "brier" else f"{entry[key]:.4f} [{lo:.4f}, {hi:.4f}]"


def write_config_file(setup: Setup, fit: Fit, fitted: Mapping[str, float], result: dict[str, Any]) -> None:
    """The fitted values as a config file (--write-config) below a comment header saying how they
    were found, how they score and the verdict; the accepted points next to it (posterior_path) and
    the verdict file (verdict_path) that the forecast reads."""
    args, post, scores, priors, defaults = setup.args, fit.posterior, result["scores"], setup.priors, setup.defaults
    boot, verdict = result["bootstrap"], result["verdict"]
    fit_window, test_window = f"{setup.fit.first}..{setup.fit.last}", f"{setup.test.first}..{setup.test.last}"
    level = f"{args.level:.0%}"
    header = [
        f"Calibrated incentive weights and hazards: `{setup.command}` on {result['date']} (docs/calibration.md).",
        f"ABC rejection: best {len(fit.accepted)} of {args.points} Latin-hypercube points (over the priors' "
        f"quantiles) x {args.seeds} seeds by Brier score, fit window {fit_window}"
        + (
            ""
            if args.no_plausibility
            else f", among the {int(fit.points['plausible'].sum())} plausible points (2020 world after the fit window:"
            f" <= {args.max_coup_rate:g} coups per 100 state-years, <= {args.max_state_coup_month:g}% a month "
            f"in any state)"
        )
        + "; posterior mean ± sd:",
        *(
            f"  {n.removeprefix('incentives.')}: {post[n]['mean']:.4g} ± {post[n]['sd']:.3g} "
            f"(prior {priors[n].describe()}, default {defaults[n]})"
            for n in setup.names
        ),
        f"Brier ({args.runs} runs; default -> calibrated): fit {fit_window} "
        f"{scores['default']['fit']['brier']:.4f} -> {scores['calibrated']['fit']['brier']:.4f}; "
        f"test {test_window} {scores['default']['test']['brier']:.4f} -> "
        f"{scores['calibrated']['test']['brier']:.4f} (the {len(fit.accepted)} accepted points themselves, "
        f"{posterior_path(args.write_config).name}: {scores['posterior']['test']['brier']:.4f}).",
        f"Test-window {level} intervals ({args.resamples} bootstrap resamples of the cells): default "
        f"{_interval(boot['default'])}, calibrated {_interval(boot['calibrated'])}, calibrated - default "
        f"{boot['diff calibrated-default']['brier']:+.4f} [{boot['diff calibrated-default']['interval'][0]:+.4f},"
        f" {boot['diff calibrated-default']['interval'][1]:+.4f}].",
        f"Verdict ({verdict_path(args.write_config).name}): the forecast uses "
        f"{'this set' if verdict['use_calibrated'] else 'the hand-set defaults'}.",
        "Everything else as configured (conf/ and sim/core/params.py unless overridden).",
        "",
    ]
    make_out(args.write_config.parent, "--write-config")
    text = calibrated_yaml(setup.cfg, fitted, header)
    data_yaml.load_text(text, f"The calibration written to {args.write_config}")  # it reads back as data
    write_text_atomic(args.write_config, text)
    write_csv_atomic(fit.accepted[["point", *setup.names, "brier"]], posterior_path(args.write_config))
    write_json(
        verdict_record(result, boot, verdict["use_calibrated"], verdict["reason"]), verdict_path(args.write_config)
    )


def main(argv: list[str] | None = None) -> Path:
    """Calibrate as the command line says (see the module's docstring); returns the output folder."""
    setup = prepare(parse_args(argv), argv)
    fit = acceptance(setup, fit_ensemble(setup))
    fitted = fitted_values(fit)
    gate = None if setup.args.no_gate else plausibility_gate(setup, fitted)
    result = results(setup, fit, gated(score_test_ensembles(setup, fit, fitted), gate), gate)
    write_outputs(setup, fit, result)
    args = setup.args
    if not args.no_config:
        write_config_file(setup, fit, fitted, result)
    if not args.quiet:
        print(summary(result, args.out, None if args.no_config else args.write_config))
    return args.out


def summary(result: dict, out: Path, config: Path | None) -> str:
    """A few lines: the posterior, the fit and test scores before and after calibration, the
    test window's intervals and the verdict."""
    plaus = result["plausibility"]
    lines = [
        f"Calibration {result['world']}: {result['accepted']} of {result['points']} points accepted "
        f"({result['seeds']} seeds each; fit Brier {result['accepted_points']['brier'].min():.4f} to "
        f"{result['accepted_points']['brier'].max():.4f}; the default weights with the same seeds "
        f"{result['default_fit_brier']:.4f}, rank {result['default_rank']})."
    ]
    if plaus:
        d = plaus["default"]
        lines.append(
            f"Plausible points: {plaus['plausible_points']} of {result['points']} (2020 world, "
            f"{plaus['months'][0]}..{plaus['months'][1]}: <= {plaus['max_coup_rate']:g} coups per 100 "
            f"state-years, <= {plaus['max_state_coup_month']:g}% a month in any state; the defaults "
            f"{d['coups_per_100_state_years']:.1f} and {d['max_state_coups_per_month_pct']:.1f}% in "
            f"{d['max_state']})."
        )
    lines.append("Posterior mean ± sd (prior):")
    for n, p in result["posterior"].items():
        pr = result["prior"][n]
        shape = ", ".join(f"{k} {pr[k]:g}" for k in pr if k not in ("distribution", "low", "high", "source", "default"))
        lines.append(
            f"  {n.removeprefix('incentives.'):28s} {p['mean']:.4g} ± {p['sd']:.3g}  "
            f"({pr['distribution']}{f'({shape})' if shape else ''} on [{pr['low']:g}, {pr['high']:g}], "
            f"default {pr['default']})"
        )
    for w in ("fit", "test"):
        window = result[f"{w}_window"]
        for label in ("default", "calibrated", "posterior"):
            s = result["scores"][label][w]
            lines.append(
                f"{w:4s} {window[0]}..{window[1]} {label:10s} Brier {s['brier']:.4f}  "
                f"skill vs base rate {s['skill_vs_base_rate']:+.3f}  vs nothing changes "
                f"{s['skill_vs_nothing_changes']:+.3f}  ({s['events']} events in {s['cells']} cells)"
            )
    boot = result["bootstrap"]
    level = f"{boot['level']:.0%}"
    lines.append(
        f"Test window, {level} intervals from {boot['resamples']} bootstrap resamples of the {boot['cells']} cells:"
    )
    for label in ("default", "calibrated", "posterior"):
        b = boot[label]
        lines.append(
            f"  {label:10s} Brier {_interval(b)}  skill vs base rate {_interval(b, 'skill_vs_base_rate')}"
            f"  vs nothing changes {_interval(b, 'skill_vs_nothing_changes')}"
        )
    for ref in ("base_rate", "nothing_changes"):
        lo, hi = boot[ref]["interval"]
        lines.append(f"  {ref.replace('_', ' '):10s} Brier {boot[ref]['brier']:.4f} [{lo:.4f}, {hi:.4f}]")
    d = boot["diff calibrated-default"]
    lines.append(f"  calibrated - default Brier {d['brier']:+.4f} [{d['interval'][0]:+.4f}, {d['interval'][1]:+.4f}]")
    lines.append(
        f"Verdict: {'use the calibrated set' if result['verdict']['use_calibrated'] else 'keep the defaults'}"
        f" ({result['verdict']['reason']})."
    )
    lines.append(f"Written to {out}" + (f"; config file {config}" if config else ""))
    return "\n".join(lines)


if __name__ == "__main__":
    main(sys.argv[1:])
