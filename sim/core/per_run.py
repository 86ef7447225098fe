"""Values that differ from run to run within one batch: model parameters (e.g. 'hazards.coup_base')
and power knobs (e.g. 'scenario.powers.RUS.overstretch'), one value per run.

The rules broadcast a parameter of shape (R,) along the run axis and a power attribute of shape
(P, R) (budgets (P, 3, R)), so a whole sample design runs in one pass and run r equals a single run
with its own values.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence

import numpy as np

from sim.core.params import Config, ConfigError, model_number, power_knob, set_parameter
from sim.core.world import World


def _column(key: str, column: Sequence[float], runs: int, legal: tuple[float, float]) -> np.ndarray:
    """One value per run as a float array, checked against its legal range."""
    arr = np.asarray(column, dtype=float)
    if arr.shape != (runs,):
        raise ConfigError(f"Parameter {key!r} has {arr.size} values for {runs} runs: give one per run.")
    lo, hi = legal
    if not np.all(np.isfinite(arr)) or arr.min() < lo or arr.max() > hi:
        raise ConfigError(
            f"Parameter {key!r} has values outside its legal range {lo}..{hi} (from {arr.min()} to {arr.max()})."
        )
    return arr


def split_run_values(
    values: Mapping[str, Sequence[float]],
) -> tuple[dict[str, Sequence[float]], dict[str, Sequence[float]]]:
    """(model parameters, power knobs) of a mapping of per-run values."""
    knobs = {k: v for k, v in values.items() if power_knob(k) is not None}
    return {k: v for k, v in values.items() if k not in knobs}, knobs


def with_run_parameters(cfg: Config, values: Mapping[str, Sequence[float]], runs: int) -> Config:
    """A copy of cfg in which each named parameter (e.g. 'hazards.coup_base') holds one value per
    run, as an array (R,) that the rules broadcast along the run axis."""
    out = copy.deepcopy(cfg)
    for key, column in values.items():
        found = model_number(key)
        if found is None:
            raise ConfigError(
                f"Parameter {key!r} cannot vary from run to run: it is not a numeric model "
                f"parameter. See docs/parameters.md for the names (e.g. hazards.coup_base)."
            )
        arr = _column(key, column, runs, found.range)
        if found.type is int:
            arr = arr.astype(np.int64)
        set_parameter(out, key, arr)
    return out


def with_run_knobs(world: World, values: Mapping[str, Sequence[float]], runs: int) -> World:
    """A copy of the world in which each named power knob ('scenario.powers.RUS.overstretch') holds
    one value per run: the power attribute becomes (P, R) (budgets (P, 3, R)), which the rules
    broadcast along the run axis. A budget_factor multiplies the world's budgets."""
    out = copy.copy(world)
    for key, column in values.items():
        code, knob, legal = power_knob(key)
        if code not in world.powers:
            raise ConfigError(
                f"Parameter {key!r}: no power {code!r} in this world. Use one of {', '.join(world.powers)}."
            )
        arr = _column(key, column, runs, legal)
        p = world.powers.index(code)
        if knob == "budget_factor":
            base = out.budget_usd_m
            per_run = base[:, :, None] * np.ones(runs) if base.ndim == 2 else base.copy()
            per_run[p] = per_run[p] * arr
            out.budget_usd_m = per_run
        else:
            base = getattr(out, knob)
            per_run = base[:, None] * np.ones(runs) if base.ndim == 1 else base.copy()
            per_run[p] = arr
            setattr(out, knob, per_run)
    return out
