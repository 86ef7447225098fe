"""The Mesa driver: one run of the model as a `mesa.Model`.

The rules are vectorised over arrays (sim.core.rules, called by the month's phases in
sim.core.phases) and one `Simulation` (sim.core.simulation) steps them for every driver. This
model is that simulation with one run, plus what a Mesa user expects: agents that are views of the
rows of its arrays (sim.agents: State, Junta, ForeignPower, InsurgentGroup, Bloc), a
`DataCollector` with model and agent reporters, keyword parameters so that `mesa.batch_run` can
sweep it, and `running` set to False at the planned horizon. Agents hold no behaviour of their own:
a month is one call of the vectorised rules for every actor at once, which is what lets the
batched driver (sim.ensemble) run thousands of histories at the speed of a few Mesa runs, with the
same trajectory and events for the same configuration and seed.

Used by `python -m sim` (one run with tables and plots), the classroom app and golden summaries.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

import mesa
import numpy as np

from sim.agents import Bloc, ForeignPower, InsurgentGroup, Junta, State, agent_reporters
from sim.config import CONF_DIR, compose_config, explain_composition_error, to_config
from sim.core.events import EventLog
from sim.core.io import NO_PARTNER, Recorder, leading_partner_index
from sim.core.params import Config, ConfigError
from sim.core.rng import stream_generator
from sim.core.simulation import Simulation
from sim.core.state import SimState
from sim.core.world import World, load_world, scenario_path

# Mesa logs every step at INFO; Hydra turns INFO on. Keep runs quiet and fast.
logging.getLogger("MESA").setLevel(logging.WARNING)


def _override_text(key: str, value: Any) -> str:
    """One Hydra override for a keyword parameter: '__' stands for '.', knobs of powers and ties
    (not in the schema until given) get a leading '+'."""
    key = key.replace("__", ".")
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    elif isinstance(value, (int, float, np.integer, np.floating)):
        text = repr(float(value)) if isinstance(value, (float, np.floating)) else str(int(value))
    else:
        text = "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"
    plus = "+" if key.startswith(("scenario.powers.", "scenario.ties.")) else ""
    return f"{plus}{key}={text}"


def compose_from_keywords(scenario: str | None, experiment: str | None, overrides: dict[str, Any]) -> Config:
    """The configuration of conf/ for a scenario, an experiment and parameters by name (as
    `python -m sim scenario=... experiment=... key=value` would compose it)."""
    texts = []
    if scenario is not None:
        # a choice of the conf/scenario group, else a world file's name or path
        group = (CONF_DIR / "scenario" / f"{scenario}.yaml").is_file()
        texts.append(f"scenario={scenario}" if group else f"scenario.name={scenario}")
    if experiment:
        texts.append(f"experiment={experiment}")
    texts += [_override_text(k, v) for k, v in overrides.items()]
    try:
        return compose_config(texts)
    except ConfigError:
        raise
    except Exception as exc:  # Hydra's composition errors: an unknown key or experiment
        raise ConfigError(explain_composition_error(exc, texts)) from None


def influence_shares(affinity: np.ndarray, population_m: np.ndarray) -> np.ndarray:
    """Each power's population-weighted share of positive affinity, (S, P) -> (P,): the definition of
    analysis.metrics.influence_share, on one month's arrays (zeros when no affinity is positive)."""
    weighted = population_m[:, None] * np.maximum(affinity, 0.0)
    total = weighted.sum()
    return weighted.sum(axis=0) / total if total > 0 else np.zeros(affinity.shape[1])


class InfluenceModel(mesa.Model):
    """One run: the world of a scenario, moved month by month by the rules.

    Build it from a configuration, `InfluenceModel(cfg)` (a Config or a composed DictConfig), or by
    keywords, as `mesa.batch_run` does:

        InfluenceModel(scenario="sahel_2024", seed=0, experiment="us_stays",
                       **{"incentives.junta.sovereignty": 1.8, "scenario.powers.RUS.overstretch": 0.9})

    Parameters are named as on the command line (docs/parameters.md); `alignment__inertia=0.7`
    (two underscores for each dot) is the same as {"alignment.inertia": 0.7}. `seed` (default 0)
    picks the run's random streams; Mesa's own `rng` argument is taken as the seed when no seed is
    given, so `mesa.batch_run(InfluenceModel, {...}, rng=[0, 1, 2])` runs seeds 0, 1 and 2. The
    seed is a keyword of **overrides rather than a named argument because `batch_run` overwrites a
    model's `seed` argument with its `rng` values, which would silently replace seeds given as a
    swept parameter.
    """

    def __init__(
        self,
        cfg: Config | Any | None = None,
        *,
        scenario: str | None = None,
        experiment: str | None = None,
        world: World | None = None,
        run_id: int = 0,
        rng: Any = None,
        **overrides: Any,
    ):
        if cfg is None:
            if rng is not None and "seed" not in overrides:
                overrides["seed"] = int(rng)
            cfg = compose_from_keywords(scenario, experiment, overrides)
        else:
            if scenario is not None or experiment is not None or overrides:
                raise TypeError(
                    "InfluenceModel takes a configuration or keyword parameters, not both: compose "
                    "the configuration with them (sim.config.compose_config) instead."
                )
            cfg = to_config(cfg)
        super().__init__(rng=int(stream_generator(cfg.seed, "mesa").integers(2**63)))
        world = world if world is not None else load_world(scenario_path(cfg.scenario.name), cfg.scenario)
        self.simulation = Simulation(cfg, world, [cfg.seed], run_ids=[run_id], record=True)
        self.run_id = run_id
        self._leading: tuple[int, list[str]] = (-1, [])  # (month, each state's leading partner)
        w = self.world
        self.state_agents = [State(self, i) for i in range(len(w.states))]
        self.power_agents = [ForeignPower(self, i, self.simulation.policies[i]) for i in range(len(w.powers))]
        self.group_agents = [InsurgentGroup(self, i) for i in range(len(w.groups))]
        self.bloc_agents = [Bloc(self, i) for i in range(len(w.blocs))]
        self.juntas: dict[int, Junta] = {}
        self._sync_juntas(set())
        self.datacollector = mesa.DataCollector(
            model_reporters=self._model_reporters(), agent_reporters=agent_reporters(w.powers)
        )
        self.datacollector.collect(self)
        self.running = self.simulation.horizon > 0

    # ------------------------------------------------------------ the simulation's parts, by name

    @property
    def cfg(self) -> Config:
        return self.simulation.cfg

    @property
    def world(self) -> World:
        return self.simulation.world

    @property
    def state(self) -> SimState:
        """The arrays of the run (run axis of length one)."""
        return self.simulation.state

    @property
    def events(self) -> EventLog:
        """The run's events so far, read as a sequence of Event records (sim.core.events.EventLog)."""
        return self.simulation.events

    @property
    def recorder(self) -> Recorder:
        """The recorded history, for the output tables (sim.core.io.write_tables)."""
        assert self.simulation.recorder is not None
        return self.simulation.recorder

    @property
    def date(self) -> str:
        return self.simulation.date

    def leading_partners(self) -> list[str]:
        """Each state's leading partner this month (a power's code, or 'none'), computed once a month
        for all states by the rule of the tables (sim.core.io.leading_partner_index)."""
        if self._leading[0] != self.simulation.step_no:
            best = leading_partner_index(self.state.affinity)[:, 0]
            codes = [*self.world.powers, NO_PARTNER]
            self._leading = (self.simulation.step_no, [codes[b] for b in best])
        return self._leading[1]

    # ------------------------------------------------------------ Mesa

    def _model_reporters(self) -> dict[str, Any]:
        """What the DataCollector records each month (picklable: no lambdas)."""
        reporters: dict[str, Any] = {
            "date": "date",
            "juntas": _count_juntas,
            "coups": _count_coups,
            "events": _count_events,
        }
        for p, code in enumerate(self.world.powers):
            reporters[f"share_{code}"] = functools.partial(_share, power=p)
            reporters[f"troops_{code}"] = functools.partial(_troops, power=p)
        return reporters

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
        """Advance one month, then collect the reporters; `running` turns False at the horizon."""
        events = self.simulation.step()
        self._sync_juntas({e.state for e in events if e.type == "coup"})
        self.datacollector.collect(self)
        self.running = self.simulation.step_no < self.simulation.horizon

    def run(self, steps: int | None = None) -> None:
        """Run for `steps` months (default: to the configured horizon)."""
        for _ in range(self.simulation.horizon - self.simulation.step_no if steps is None else steps):
            self.step()


def _count_juntas(model: InfluenceModel) -> int:
    return int(model.state.junta[:, 0].sum())


def _count_coups(model: InfluenceModel) -> int:
    """Coups so far in the run."""
    return sum(e.type == "coup" for e in model.events)


def _count_events(model: InfluenceModel) -> int:
    """Events so far in the run."""
    return len(model.events)


def _share(model: InfluenceModel, power: int) -> float:
    return float(influence_shares(model.state.affinity[:, :, 0], model.world.population_m)[power])


def _troops(model: InfluenceModel, power: int) -> float:
    return float(model.state.troops[:, power, 0].sum())
