"""The Mesa driver: one run of the model as a mesa.Model.

Its step calls the same month (sim.core.phases.advance) as the batched driver, on arrays with a run
axis of length one; agents are views of those arrays. Used by the CLI's single run, the web app
and the workshop.
"""

from __future__ import annotations

import logging

import mesa
import numpy as np

from sim.agents import Bloc, ForeignPower, InsurgentGroup, Junta, State
from sim.config import policies_for, to_config
from sim.core.events import Event
from sim.core.io import Recorder
from sim.core.params import Config
from sim.core.phases import advance
from sim.core.players import player_masks
from sim.core.rng import Sizes, draw_run, stream_generator
from sim.core.state import initial_state
from sim.core.vocabulary import TERMS
from sim.core.world import World, load_world, scenario_path

# Mesa logs every step at INFO; Hydra turns INFO on. Keep runs quiet and fast.
logging.getLogger("MESA").setLevel(logging.WARNING)


class InfluenceModel(mesa.Model):
    """One run: the world of a scenario, moved month by month by the rules."""

    def __init__(self, cfg: Config | object, world: World | None = None, run_id: int = 0):
        cfg = to_config(cfg)
        super().__init__(rng=int(stream_generator(cfg.seed, "mesa").integers(2**63)))
        self.cfg = cfg
        self.world = world if world is not None else load_world(scenario_path(cfg.scenario.name), cfg.scenario)
        player_masks(cfg.players, self.world)  # unknown codes stop here, before any step
        self.run_id = run_id
        self.policies = policies_for(cfg.policy, self.world.powers)
        self.state = initial_state(self.world, 1, len(TERMS))
        w = self.world
        self.sizes = Sizes(S=len(w.states), P=len(w.powers), G=len(w.groups), B=len(w.blocs), K=len(w.base_names))
        self._draws = draw_run(cfg.seed, max(cfg.run.steps, 1), self.sizes)
        self.targets: np.ndarray | None = None  # allocations for 'scripted' powers (workshop moves)
        self.recorder = Recorder(w, np.array([run_id]))
        self.events: list[Event] = []
        self.state_agents = [State(self, i) for i in range(len(w.states))]
        self.power_agents = [ForeignPower(self, i, self.policies[i]) for i in range(len(w.powers))]
        self.group_agents = [InsurgentGroup(self, i) for i in range(len(w.groups))]
        self.bloc_agents = [Bloc(self, i) for i in range(len(w.blocs))]
        self.juntas: dict[int, Junta] = {}
        self._sync_juntas(set())
        self.recorder.record(self.state)

    def _month_draws(self, step: int) -> dict[str, np.ndarray]:
        if step > len(self._draws["coup"]):  # stepping past the planned horizon (the web app): draw more
            self._draws = draw_run(self.cfg.seed, 2 * step, self.sizes)
        return {k: v[step - 1][..., None] for k, v in self._draws.items()}

    def _sync_juntas(self, couped: set[int]) -> None:
        """A Junta agent exists exactly while its state is under military rule; a coup replaces it."""
        junta = self.state.junta[:, 0]
        for s in list(self.juntas):
            if not junta[s] or s in couped:
                self.juntas.pop(s).remove()
        for s in np.nonzero(junta)[0]:
            if int(s) not in self.juntas:
                self.juntas[int(s)] = Junta(self, int(s))

    def step(self) -> None:
        """Advance one month."""
        t = self.state.step + 1
        events = advance(self.state, self.world, self.cfg, self._month_draws(t), np.array([self.run_id]),
                         self.policies, self.targets)
        self._sync_juntas({e.state for e in events if e.type == "coup"})
        self.events.extend(events)
        self.recorder.record(self.state, events)

    @property
    def date(self) -> str:
        return self.world.date_of(self.state.step)

    def run(self, steps: int | None = None) -> None:
        """Run for `steps` months (default: the configured horizon)."""
        for _ in range(self.cfg.run.steps if steps is None else steps):
            self.step()
