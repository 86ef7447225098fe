"""The batched driver: R runs stepped at once as arrays (run axis last).

It calls the same month (sim.core.phases.advance) as the Mesa driver, with the same per-run random
streams, so run r with seed s gives the trajectory and events of `InfluenceModel` with seed s,
whatever the batch size. Model parameters may differ from run to run (`run_parameters`): this
is the base of scenario sweeps. World facts and power knobs are shared by the batch.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import fields, is_dataclass

import numpy as np

from sim.config import policies_for, to_config
from sim.core.io import Recorder
from sim.core.params import Config, ConfigError
from sim.core.phases import advance
from sim.core.players import player_masks
from sim.core.rng import Sizes, draw_batch
from sim.core.state import initial_state
from sim.core.vocabulary import TERMS
from sim.core.world import World, load_world, scenario_path


def with_run_parameters(cfg: Config, values: Mapping[str, Sequence[float]], runs: int) -> Config:
    """A copy of cfg in which each named parameter (e.g. 'hazards.coup_base') holds one value per
    run, as an array (R,) that the rules broadcast along the run axis."""
    out = copy.deepcopy(cfg)
    for key, column in values.items():
        *path, name = key.split(".")
        node = out
        for part in path:
            node = getattr(node, part, None)
        spec = {f.name: f for f in fields(node)} if is_dataclass(node) else {}
        rng = spec[name].metadata.get("range") if name in spec else None
        if rng is None or is_dataclass(getattr(node, name)):
            raise ConfigError(f"Parameter {key!r} cannot vary from run to run: it is not a numeric model "
                              f"parameter. See docs/parameters.md for the names (e.g. hazards.coup_base).")
        arr = np.asarray(column, dtype=float)
        if arr.shape != (runs,):
            raise ConfigError(f"Parameter {key!r} has {arr.size} values for {runs} runs: give one per run.")
        lo, hi = rng
        if not np.all(np.isfinite(arr)) or arr.min() < lo or arr.max() > hi:
            raise ConfigError(f"Parameter {key!r} has values outside its legal range {lo}..{hi} "
                              f"(from {arr.min()} to {arr.max()}).")
        if isinstance(getattr(node, name), int):
            arr = arr.astype(np.int64)
        setattr(node, name, arr)
    return out


def with_run_knobs(world: World, values: Mapping[str, Sequence[float]], runs: int) -> World:
    """A copy of the world in which each named power knob ('scenario.powers.RUS.overstretch') holds
    one value per run: the power attribute becomes (P, R) (budgets (P, 3, R)), which the rules
    broadcast along the run axis. A budget_factor multiplies the world's budgets."""
    from sim.designs import power_knob

    out = copy.copy(world)
    for key, column in values.items():
        code, knob, (lo, hi) = power_knob(key)
        if code not in world.powers:
            raise ConfigError(f"Parameter {key!r}: no power {code!r} in this world. Use one of "
                              f"{', '.join(world.powers)}.")
        arr = np.asarray(column, dtype=float)
        if arr.shape != (runs,):
            raise ConfigError(f"Parameter {key!r} has {arr.size} values for {runs} runs: give one per run.")
        if not np.all(np.isfinite(arr)) or arr.min() < lo or arr.max() > hi:
            raise ConfigError(f"Parameter {key!r} has values outside its legal range {lo}..{hi} "
                              f"(from {arr.min()} to {arr.max()}).")
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


def run_batch(cfg: Config | object, seeds: Sequence[int], run_ids: Sequence[int] | None = None,
              world: World | None = None, steps: int | None = None,
              run_parameters: Mapping[str, Sequence[float]] | None = None, every: int = 1) -> Recorder:
    """Simulate one run per seed for `steps` months (default: cfg.run.steps); returns the recorder
    holding every run's history and events (tables via its *_table methods).

    run_parameters maps parameter names to one value per run, so a whole sample design can run
    in one pass; run r then equals a single run with those values and seed seeds[r]. Power knobs
    ('scenario.powers.RUS.overstretch') may vary too. every=k
    keeps the state of every k-th month only (and the first and last), events always.
    """
    cfg = to_config(cfg)
    run_parameters = dict(run_parameters or {})
    knobs = {k: run_parameters.pop(k) for k in list(run_parameters) if k.startswith("scenario.")}
    if run_parameters:
        cfg = with_run_parameters(cfg, run_parameters, len(seeds))
    world = world if world is not None else load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    if knobs:
        world = with_run_knobs(world, knobs, len(seeds))
    player_masks(cfg.players, world)  # unknown codes stop here, before any step
    steps = cfg.run.steps if steps is None else steps
    seeds = [int(s) for s in seeds]
    ids = np.asarray(run_ids if run_ids is not None else range(len(seeds)), dtype=np.int64)
    if len(ids) != len(seeds):
        raise ValueError(f"{len(seeds)} seeds but {len(ids)} run ids")
    sizes = Sizes(S=len(world.states), P=len(world.powers), G=len(world.groups), B=len(world.blocs),
                  K=len(world.base_names))
    draws = draw_batch(seeds, max(steps, 1), sizes)
    policies = policies_for(cfg.policy, world.powers)
    state = initial_state(world, len(seeds), len(TERMS))
    recorder = Recorder(world, ids, every=every, last_step=steps)
    recorder.record(state)
    for t in range(1, steps + 1):
        events = advance(state, world, cfg, {k: v[t - 1] for k, v in draws.items()}, ids, policies)
        recorder.record(state, events)
    return recorder
