"""The batched driver: R runs stepped at once as arrays (run axis last).

It calls the same month (sim.step.advance) as the Mesa driver, with the same per-run random
streams, so run r with seed s gives the trajectory and events of `InfluenceModel` with seed s,
whatever the batch size. This is the base of scenario sweeps (see the sweeps issue); parameters
are shared by the batch for now.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.config import policies_for, to_config
from sim.io import Recorder
from sim.params import TERMS, Config
from sim.rng import Sizes, draw_batch
from sim.state import initial_state
from sim.step import advance
from sim.world import World, load_world, scenario_path


def run_batch(cfg: Config | object, seeds: Sequence[int], run_ids: Sequence[int] | None = None,
              world: World | None = None, steps: int | None = None) -> Recorder:
    """Simulate one run per seed for `steps` months (default: cfg.run.steps); returns the recorder
    holding every run's history and events (tables via its *_table methods)."""
    cfg = to_config(cfg)
    world = world if world is not None else load_world(scenario_path(cfg.scenario.name), cfg.scenario)
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
    recorder = Recorder(world, ids)
    recorder.record(state)
    for t in range(1, steps + 1):
        events = advance(state, world, cfg, {k: v[t - 1] for k, v in draws.items()}, ids, policies)
        recorder.record(state, events)
    return recorder
