"""One simulation: R runs of one configuration and world, built and stepped together.

This is the only place where a run is assembled: sizes, random streams, starting state, the
powers' policies, the actors left to players, and the month-by-month stepping. The drivers are thin
layers over it: the Mesa driver (sim.model, one run with Mesa agents as views of its rows), the
batched driver (sim.ensemble, many runs and sample designs) and the workshop's replay (a game's
history, with the teams' moves as scripted events and allocations). For one configuration and
seed all three therefore give the same trajectory and events, bit for bit.

Randomness: run r draws from its own named streams (sim.core.rng), seeded by its own seed, for the
planned horizon. Stepping past the horizon (the classroom app plays on) draws a longer horizon
from the same streams, whose first months are the numbers already used, so a run's months never
depend on the horizon it was planned with, nor on the runs beside it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from sim.core.events import EventLog
from sim.core.params import Config, ConfigError, PolicyConf, validate_config
from sim.core.per_run import split_run_values, with_run_knobs, with_run_parameters
from sim.core.phases import advance
from sim.core.players import player_masks
from sim.core.rng import Sizes, draw_batch
from sim.core.state import SimState, initial_state
from sim.core.world import World

if TYPE_CHECKING:
    from sim.core.io import Recorder

POLICIES: tuple[str, ...] = ("heuristic", "fixed", "scripted")


def policies_for(policy: PolicyConf, powers: list[str]) -> list[str]:
    """The policy of each power: per_power overrides, else the default."""
    unknown = set(policy.per_power) - set(powers)
    if unknown:
        raise ConfigError(
            f"Configuration key policy.per_power names powers not in this world: "
            f"{', '.join(sorted(unknown))}. Use codes among {', '.join(powers)}."
        )
    for code, kind in policy.per_power.items():
        if kind not in POLICIES:
            raise ConfigError(
                f"Configuration value policy.per_power.{code}={kind!r} is not allowed: choose "
                f"{', '.join(POLICIES[:-1])} or {POLICIES[-1]}."
            )
    return [policy.per_power.get(p, policy.default) for p in powers]


def check_run_inputs(cfg: Config, world: World) -> list[str]:
    """What a run checks against its world before the first step, and the command line before Hydra makes
    a run folder (sim.config.precheck_overrides): the players' codes and the powers' policies. Returns the
    policy of each power; raises ConfigError naming the key and the fix."""
    player_masks(cfg.players, world)
    return policies_for(cfg.policy, world.powers)


class Simulation:
    """R runs of a configuration and a world: their state, random numbers, events and (optionally)
    recorded history, advanced one month at a time by `step`."""

    def __init__(
        self,
        cfg: Config,
        world: World,
        seeds: Sequence[int],
        *,
        run_ids: Sequence[int] | None = None,
        horizon: int | None = None,
        run_values: Mapping[str, Sequence[float]] | None = None,
        record: bool = False,
        every: int = 1,
    ):
        """cfg: a validated configuration (sim.config.to_config); world: its world, knobs applied
        (sim.core.world.load_world); seeds: one per run; run_ids: the `run` label of each (default
        0..R-1); horizon: months planned (default cfg.run.steps); run_values: model parameters
        ('hazards.coup_base') or power knobs ('scenario.powers.RUS.overstretch') with one value per
        run; record: keep the monthly state for the output tables (every k-th month with
        every=k, and the first and last planned months)."""
        validate_config(cfg)
        self.seeds = [int(s) for s in seeds]
        runs = len(self.seeds)
        self.run_ids = np.asarray(run_ids if run_ids is not None else range(runs), dtype=np.int64)
        if len(self.run_ids) != runs:
            raise ValueError(f"{runs} seeds but {len(self.run_ids)} run ids")
        parameters, knobs = split_run_values(run_values or {})
        self.cfg = with_run_parameters(cfg, parameters, runs) if parameters else cfg
        self.world = with_run_knobs(world, knobs, runs) if knobs else world
        self.policies = check_run_inputs(self.cfg, self.world)  # unknown codes stop here, before any step
        self.sizes = Sizes.of(self.world)
        self.horizon = self.cfg.run.steps if horizon is None else int(horizon)
        self._drawn = max(self.horizon, 1)  # months of random numbers drawn so far
        self._draws = draw_batch(self.seeds, self._drawn, self.sizes)
        self.state: SimState = initial_state(self.world, runs)
        self.events = EventLog(self.world)  # every run's events, column by column (sim.core.events)
        self.recorder: Recorder | None = None
        if record:
            from sim.core.io import Recorder  # pandas and pyarrow: only when tables are wanted

            self.recorder = Recorder(self.world, self.run_ids, every=every, last_step=self.horizon, events=self.events)
            self.recorder.record(self.state)

    @property
    def runs(self) -> int:
        return len(self.seeds)

    @property
    def step_no(self) -> int:
        """The month the runs stand at (0: the world's as_of month)."""
        return self.state.step

    @property
    def date(self) -> str:
        """'YYYY-MM' of the month the runs stand at."""
        return self.world.date_of(self.state.step)

    def month_draws(self, month: int) -> dict[str, np.ndarray]:
        """The random numbers of a month (1 = the first simulated month): name -> (*shape, R)."""
        if month > self._drawn:  # past the planned horizon: the same streams, drawn further
            self._drawn = max(2 * self._drawn, month)
            self._draws = draw_batch(self.seeds, self._drawn, self.sizes)
        return {name: values[month - 1] for name, values in self._draws.items()}

    def step(self, policies: Sequence[str] | None = None, targets: np.ndarray | None = None) -> EventLog:
        """Advance every run by one month; returns the month's events. policies overrides the
        configured policy of each power for this month (a workshop team's allocation makes its power
        'scripted'); targets (S, P, 3, R) are the allocations of 'scripted' powers."""
        draws = self.month_draws(self.state.step + 1)
        events = advance(
            self.state,
            self.world,
            self.cfg,
            draws,
            self.run_ids,
            list(self.policies if policies is None else policies),
            targets,
        )
        self.events.extend(events)
        if self.recorder is not None:
            self.recorder.record(self.state)
        return events

    def run(self, months: int | None = None) -> EventLog:
        """Advance `months` months (default: to the planned horizon); returns their events."""
        months = max(self.horizon - self.state.step, 0) if months is None else months
        start = len(self.events)
        for _ in range(months):
            self.step()
        return self.events[start:]

    def fingerprint(self) -> str:
        """SHA-256 of the whole state and every event so far: equal fingerprints, equal histories."""
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
