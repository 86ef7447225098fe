"""Sample designs for sweeps: which parameter values each design point takes.

A design is a table with one row per point and one column per parameter. Points are expanded to
runs (R seeds per point) by `expand_runs`; a run's seed depends only on the sweep's seed and the
run's id (independent seeds) or its replicate number (common random numbers: seed k is the same at
every point), never on chunking or workers.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.sweep_data import LEVER_SETTING, UNCERTAINTY_POINT
from sim.core.params import ConfigError, model_number, power_knob

DESIGNS = ("grid", "lhs", "sobol", "morris")
#: How a sweep seeds its runs: `common` gives replicate k the same seed at every design point (common
#: random numbers: differences between points are not blurred by seed noise), `independent` gives every
#: run its own seed; `auto` is common for the sensitivity designs (sobol, morris), independent otherwise.
SEEDINGS = ("auto", "common", "independent")


def parameter_range(name: str) -> tuple[float, float]:
    """The legal range of a numeric model parameter given by its dotted name, or of a power knob
    (scenario.powers.CODE.knob, e.g. scenario.powers.RUS.overstretch)."""
    knob = power_knob(name)
    if knob is not None:
        return knob[2]
    found = model_number(name)
    if found is None:
        raise ConfigError(
            f"Sweep parameter {name!r} is not a numeric model parameter. Use names from "
            f"docs/parameters.md such as hazards.coup_base or incentives.junta.sovereignty."
        )
    return found.range


def _check_bounds(name: str, lo: float, hi: float) -> None:
    legal_lo, legal_hi = parameter_range(name)
    if not lo < hi:
        raise ConfigError(
            f"Sweep parameter {name!r} has an empty or reversed range [{lo}, {hi}]: give [low, high] with low < high."
        )
    if lo < legal_lo or hi > legal_hi:
        raise ConfigError(
            f"Sweep parameter {name!r} range [{lo}, {hi}] leaves its legal range [{legal_lo}, {legal_hi}]: narrow it."
        )


def grid(parameters: Mapping[str, Sequence[float]]) -> pd.DataFrame:
    """Full factorial design: every combination of the listed values."""
    for name, values in parameters.items():
        values = list(values)
        if not values:
            raise ConfigError(f"Sweep parameter {name!r} has no values: list at least one.")
        legal_lo, legal_hi = parameter_range(name)
        bad = [v for v in values if not legal_lo <= float(v) <= legal_hi]
        if bad:
            raise ConfigError(f"Sweep parameter {name!r} values {bad} leave its legal range [{legal_lo}, {legal_hi}].")
    names = list(parameters)
    rows = list(itertools.product(*[[float(v) for v in parameters[n]] for n in names]))
    return pd.DataFrame(rows, columns=names)


def latin_hypercube(parameters: Mapping[str, Sequence[float]], samples: int, seed: int) -> pd.DataFrame:
    """Latin hypercube: each parameter's [low, high] cut into `samples` strata, one point per stratum."""
    if samples < 1:
        raise ConfigError(f"A Latin hypercube needs at least one sample, got {samples}.")
    gen = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), 0x4C4853])))
    out = {}
    for name, (lo, hi) in _ranges(parameters).items():
        u = (gen.permutation(samples) + gen.random(samples)) / samples
        out[name] = lo + u * (hi - lo)
    return pd.DataFrame(out)


def _ranges(parameters: Mapping[str, Sequence[float]]) -> dict[str, tuple[float, float]]:
    out = {}
    for name, bounds in parameters.items():
        bounds = list(bounds)
        if len(bounds) != 2:
            raise ConfigError(f"Sweep parameter {name!r} needs a range [low, high], got {bounds}.")
        lo, hi = float(bounds[0]), float(bounds[1])
        _check_bounds(name, lo, hi)
        out[name] = (lo, hi)
    return out


def sobol(parameters: Mapping[str, Sequence[float]], base_samples: int, seed: int) -> pd.DataFrame:
    """Saltelli's scheme for Sobol indices (SALib, first and total order): base_samples x (D + 2)
    points, in the order SALib's analysis expects. base_samples should be a power of two."""
    from SALib.sample import sobol as salib_sobol

    if base_samples < 1 or base_samples & (base_samples - 1):
        raise ConfigError(
            f"A Sobol design needs sweep.samples to be a power of two (it is the base sample "
            f"size N; the design has N x (parameters + 2) points), got {base_samples}."
        )
    ranges = _ranges(parameters)
    problem = {"num_vars": len(ranges), "names": list(ranges), "bounds": [list(b) for b in ranges.values()]}
    x = salib_sobol.sample(problem, base_samples, calc_second_order=False, seed=int(seed))
    return pd.DataFrame(x, columns=list(ranges))


def morris(parameters: Mapping[str, Sequence[float]], trajectories: int, levels: int, seed: int) -> pd.DataFrame:
    """Morris elementary-effects screening (SALib): `trajectories` one-at-a-time paths through a
    `levels`-level grid of the parameter box, trajectories x (D + 1) points, in the order SALib's
    analysis expects (each trajectory's D + 1 points in a row)."""
    from SALib.sample import morris as salib_morris

    if trajectories < 2:
        raise ConfigError(
            f"A Morris design needs sweep.samples (the number of trajectories) to be at least 2, got {trajectories}."
        )
    if levels < 2 or levels % 2:
        raise ConfigError(
            f"A Morris design needs sweep.levels to be an even number of grid levels, at least 2 "
            f"(4 is usual), got {levels}."
        )
    ranges = _ranges(parameters)
    problem = {"num_vars": len(ranges), "names": list(ranges), "bounds": [list(b) for b in ranges.values()]}
    gen = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), 0x4D4F52])))
    x = salib_morris.sample(problem, trajectories, num_levels=levels, seed=gen)
    # lo + 1.0 x (hi - lo) may round past hi; keep the grid's top level inside the legal range
    x = np.clip(x, [lo for lo, _ in ranges.values()], [hi for _, hi in ranges.values()])
    return pd.DataFrame(x, columns=list(ranges))


#: The most runs one sweep may plan (the run table alone is about 40 bytes a run; each run's tables
#: are far larger): beyond this a design is a mistake of sizes, refused before anything is allocated.
MAX_RUNS = 50_000_000


def _numbers(parameters: Mapping[str, Sequence[float]]) -> None:
    """Every value of every parameter is a finite number (a word in a range is refused by name)."""
    for name, values in parameters.items():
        for value in values:
            ok = not isinstance(value, bool) and isinstance(value, (int, float)) and np.isfinite(value)
            if not ok:
                raise ConfigError(
                    f"Sweep parameter {name!r} has {value!r} among its values {list(values)}: write "
                    f"numbers only, e.g. [0.1, 0.9]."
                )


def design_points(kind: str, parameters: Mapping[str, Sequence[float]], samples: int) -> int:
    """How many points a design will have, computed without building it."""
    d = len(parameters)
    if kind == "grid":
        return math.prod(max(len(list(v)), 1) for v in parameters.values())
    return {"lhs": samples, "sobol": samples * (d + 2), "morris": samples * (d + 1)}.get(kind, samples)


def check_size(
    kind: str, parameters: Mapping[str, Sequence[float]], samples: int, seeds_per_point: int, settings: int = 1
) -> None:
    """Refuse a sweep whose number of runs (lever settings x points x seeds_per_point) passes MAX_RUNS,
    with the estimate."""
    points = design_points(kind, parameters, samples)
    runs = settings * points * seeds_per_point
    if runs > MAX_RUNS:
        lever = f"{settings:,} lever settings x " if settings > 1 else ""
        raise ConfigError(
            f"This sweep would plan {runs:,} runs ({lever}{points:,} points of the {kind} design x "
            f"{seeds_per_point:,} seeds per point), more than the {MAX_RUNS:,} one sweep may hold "
            f"(its run table alone would take about {runs * 40 / 1e9:,.1f} GB before any run): "
            f"lower sweep.samples or sweep.seeds_per_point."
        )


def make_design(
    kind: str, parameters: Mapping[str, Sequence[float]], samples: int, seed: int, levels: int = 4
) -> pd.DataFrame:
    """The design table of a sweep: one row per point, column `point` plus one per parameter.

    `levels` is used by the morris design only (grid levels per parameter)."""
    if not parameters:
        raise ConfigError("A sweep needs at least one parameter under sweep.parameters.")
    _numbers(parameters)
    if kind == "grid":
        design = grid(parameters)
    elif kind == "lhs":
        design = latin_hypercube(parameters, samples, seed)
    elif kind == "sobol":
        design = sobol(parameters, samples, seed)
    elif kind == "morris":
        design = morris(parameters, samples, levels, seed)
    else:
        raise ConfigError(f"Unknown sweep design {kind!r}: choose one of {', '.join(DESIGNS)}.")
    design.insert(0, "point", np.arange(len(design), dtype=np.int64))
    return design


def run_seed(sweep_seed: int, run: int) -> int:
    """The seed of one run of a sweep, from the sweep's seed and the run's id only."""
    return int(np.random.SeedSequence([int(sweep_seed), int(run)]).generate_state(1, np.uint64)[0] >> 1)


def resolve_seeding(kind: str, seeding: str) -> str:
    """`common` or `independent`: the seeding a sweep of design `kind` uses for `seeding` (one of SEEDINGS)."""
    if seeding not in SEEDINGS:
        raise ConfigError(
            f"Unknown sweep.seeding {seeding!r}: choose one of {', '.join(SEEDINGS)} (auto is common "
            f"random numbers for sobol and morris designs, independent seeds otherwise)."
        )
    if seeding == "auto":
        return "common" if kind in ("sobol", "morris") else "independent"
    return seeding


def expand_runs(
    design: pd.DataFrame, seeds_per_point: int, sweep_seed: int, seeding: str = "independent"
) -> pd.DataFrame:
    """One row per run: run id, point, replicate, seed, and the point's parameter values.

    seeding `independent`: run r has seed run_seed(sweep_seed, r); `common`: replicate k has seed
    run_seed(sweep_seed, k) at every point (so point 0's seeds are the same under both)."""
    if seeds_per_point < 1:
        raise ConfigError(f"sweep.seeds_per_point must be at least 1, got {seeds_per_point}.")
    if seeding not in ("common", "independent"):
        raise ConfigError(
            f"expand_runs needs seeding 'common' or 'independent', got {seeding!r} "
            f"(resolve 'auto' with resolve_seeding)."
        )
    runs = design.loc[design.index.repeat(seeds_per_point)].reset_index(drop=True)
    runs.insert(0, "run", np.arange(len(runs), dtype=np.int64))
    runs.insert(2, "replicate", np.tile(np.arange(seeds_per_point), len(design)))
    by = runs["replicate"] if seeding == "common" else runs["run"]
    runs.insert(3, "seed", [run_seed(sweep_seed, r) for r in by])
    return runs


# ---------------------------------------------------------------- levers, factors and futures


def lever_settings(factors: Mapping[str, Sequence[str]], levers: Mapping[str, Sequence[float]]) -> pd.DataFrame:
    """Every combination of the categorical factors' choices (experiment, incentives, policy.default:
    sim.choices) and the levers' listed values (numeric parameters or power knobs): one row per
    setting, column `lever_setting` plus one per factor and lever."""
    from sim.choices import check_choices

    factors = check_choices(factors)
    _numbers(levers)
    numbers = grid(levers) if levers else pd.DataFrame(index=[0])
    rows = list(itertools.product(*factors.values())) or [()]
    choices = pd.DataFrame(rows, columns=list(factors))
    settings = choices.merge(numbers, how="cross")
    settings.insert(0, LEVER_SETTING, np.arange(len(settings), dtype=np.int64))
    return settings


def cross(settings: pd.DataFrame, design: pd.DataFrame) -> pd.DataFrame:
    """The full factorial of lever settings x uncertainty points: every setting meets every point of
    the design (a table from `make_design`). Column `point` numbers the combinations (setting-major),
    `lever_setting` and `uncertainty_point` say which of each."""
    futures = design.rename(columns={"point": UNCERTAINTY_POINT})
    out = settings.merge(futures, how="cross")
    out.insert(0, "point", np.arange(len(out), dtype=np.int64))
    return out


def expand_setting_runs(design: pd.DataFrame, seeds_per_point: int, sweep_seed: int) -> pd.DataFrame:
    """`expand_runs` for a crossed design, with common random numbers across lever settings: replicate
    k of uncertainty point u takes the seed `run_seed(sweep_seed, u * seeds_per_point + k)` under every
    setting (the seed that run has in a sweep of the uncertainties alone), so settings are compared in
    the same futures with the same random streams, and regret measures the settings, not seed noise."""
    runs = expand_runs(design, seeds_per_point, sweep_seed)
    ids = runs[UNCERTAINTY_POINT].to_numpy() * seeds_per_point + runs["replicate"].to_numpy()
    runs["seed"] = [run_seed(sweep_seed, int(i)) for i in ids]
    return runs
