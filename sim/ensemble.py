"""The batched driver: R runs stepped at once as arrays (run axis last).

It builds one `Simulation` (sim.core.simulation) of all the runs, the same as the Mesa driver builds
for one, with the same per-run random streams, so run r with seed s gives the trajectory and events
of `InfluenceModel` with seed s, whatever the batch size. Model parameters and power knobs may differ
from run to run (`run_parameters`): this is the base of scenario sweeps. World facts are shared by
the batch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sim.config import to_config
from sim.core.io import Recorder
from sim.core.params import Config
from sim.core.simulation import Simulation
from sim.core.world import World, load_world, scenario_path


def run_batch(
    cfg: Config | object,
    seeds: Sequence[int],
    run_ids: Sequence[int] | None = None,
    world: World | None = None,
    steps: int | None = None,
    run_parameters: Mapping[str, Sequence[float]] | None = None,
    every: int = 1,
) -> Recorder:
    """Simulate one run per seed for `steps` months (default: cfg.run.steps); returns the recorder
    holding every run's history and events (tables via its *_table methods).

    run_parameters maps parameter names to one value per run, so a whole sample design can run
    in one pass; run r then equals a single run with those values and seed seeds[r]. Power knobs
    ('scenario.powers.RUS.overstretch') may vary too. every=k
    keeps the state of every k-th month only (and the first and last), events always.
    """
    cfg = to_config(cfg)
    world = world if world is not None else load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    simulation = Simulation(
        cfg, world, seeds, run_ids=run_ids, horizon=steps, run_values=run_parameters, record=True, every=every
    )
    simulation.run()
    assert simulation.recorder is not None
    return simulation.recorder
