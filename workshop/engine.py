"""One history of a game's world, advanced month by month by `sim.core.phases.advance`: the same month, the
same per-run random streams and the same starting state as the Mesa driver (`sim.model`) and the
batched driver (`sim.ensemble`), without importing Mesa, so each workshop command starts quickly.
A game in which no team moves equals `InfluenceModel` with the same configuration, bit for bit
(tests/workshop/test_replay.py)."""

from __future__ import annotations

import hashlib

import numpy as np

from sim.config import policies_for
from sim.core.events import Event
from sim.core.params import Config
from sim.core.phases import advance
from sim.core.rng import Sizes, draw_run
from sim.core.state import SimState, initial_state
from sim.core.vocabulary import TERMS
from sim.core.world import World


class Play:
    """The state of one run (run id 0) and the events so far; optionally every month recorded."""

    def __init__(self, cfg: Config, world: World, record: bool = False):
        self.cfg = cfg
        self.world = world
        self.default_policies = policies_for(cfg.policy, world.powers)
        self.state: SimState = initial_state(world, 1, len(TERMS))
        sizes = Sizes(S=len(world.states), P=len(world.powers), G=len(world.groups), B=len(world.blocs),
                      K=len(world.base_names))
        self._draws = draw_run(cfg.seed, max(cfg.run.steps, 1), sizes)
        self.run_ids = np.array([0])
        self.events: list[Event] = []
        self.recorder = None
        if record:
            from sim.core.io import Recorder  # pandas and pyarrow: only when tables are wanted

            self.recorder = Recorder(world, self.run_ids)
            self.recorder.record(self.state)

    @property
    def step_no(self) -> int:
        return self.state.step

    def step(self, policies: list[str], targets: np.ndarray | None) -> list[Event]:
        """Advance one month with these policies and (for 'scripted' powers) these allocations."""
        t = self.state.step + 1
        if t > len(self._draws["coup"]):
            raise ValueError(f"month {t} is past the game's horizon of {len(self._draws['coup'])} months")
        draws = {k: v[t - 1][..., None] for k, v in self._draws.items()}
        events = advance(self.state, self.world, self.cfg, draws, self.run_ids, policies, targets)
        self.events.extend(events)
        if self.recorder is not None:
            self.recorder.record(self.state, events)
        return events

    def fingerprint(self) -> str:
        """SHA-256 of the whole state and every event so far: equal fingerprints, equal games."""
        h = hashlib.sha256()
        st = self.state
        h.update(str(st.step).encode())
        for name in sorted(vars(st)):
            value = getattr(st, name)
            if isinstance(value, np.ndarray):
                h.update(name.encode())
                h.update(np.ascontiguousarray(value).tobytes())
        for e in self.events:
            h.update(f"{e.step}|{e.type}|{e.state}|{e.power}|{e.bloc}|{e.base}|{e.scripted}|{e.cause}\n".encode())
        return h.hexdigest()
