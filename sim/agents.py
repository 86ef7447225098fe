"""Mesa agents as views of rows of the model's arrays.

The rules run over arrays (sim.core.rules, called by sim.core.phases for every actor at once);
these agents are the per-actor interface of the Mesa driver (sim.model): a State, the Junta that
rules it after a coup, a ForeignPower, an InsurgentGroup, a Bloc. Each exposes what its rows of the
arrays hold, and reading an attribute reads the current arrays, so an agent is never out of date.
They decide nothing themselves: see sim.model for why. `agent_reporters` gives the DataCollector's
agent columns: every agent reports its kind and code, and each column reports None for agents it
does not describe (a power has no regime).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import mesa

from sim.core.params import IncentiveWeights
from sim.core.vocabulary import CHANNELS, REGIMES, TERMS

if TYPE_CHECKING:
    from sim.model import InfluenceModel


def _by_power(model: InfluenceModel, values: Any, keep_zero: bool = True) -> dict[str, float]:
    return {p: float(v) for p, v in zip(model.world.powers, values, strict=True) if keep_zero or v > 0}


class State(mesa.Agent):
    """A country: regime, legitimacy, insurgency, blocs, and its ties to each power (its rows of the
    states and ties tables)."""

    kind = "state"

    def __init__(self, model: InfluenceModel, index: int):
        super().__init__(model)
        self.index = index
        self.code = model.world.states[index]
        self.name = model.world.state_names[index]

    @property
    def regime(self) -> str:
        return REGIMES[int(self.model.state.junta[self.index, 0])]

    @property
    def legitimacy(self) -> float:
        return float(self.model.state.legitimacy[self.index, 0])

    @property
    def insurgency(self) -> float:
        """The combined insurgent threat, 0..1."""
        return float(self.model.state.threat[self.index, 0])

    @property
    def months_since_coup(self) -> int:
        return int(self.model.state.months_since_coup[self.index, 0])

    @property
    def affinity(self) -> dict[str, float]:
        return _by_power(self.model, self.model.state.affinity[self.index, :, 0])

    @property
    def opinion(self) -> dict[str, float]:
        return _by_power(self.model, self.model.state.opinion[self.index, :, 0])

    @property
    def troops_hosted(self) -> dict[str, float]:
        return _by_power(self.model, self.model.state.troops[self.index, :, 0], keep_zero=False)

    @property
    def aid_usd_m(self) -> dict[str, dict[str, float]]:
        """Monthly flows received from each power by channel (security, economic, information)."""
        st = self.model.state
        flows = (st.aid_security_usd_m, st.aid_economic_usd_m, st.info_ops_usd_m)
        return {ch: _by_power(self.model, f[self.index, :, 0]) for ch, f in zip(CHANNELS, flows, strict=True)}

    @property
    def aid_suspended_by(self) -> list[str]:
        return [
            p
            for p, s in zip(self.model.world.powers, self.model.state.aid_suspended[self.index, :, 0], strict=True)
            if s
        ]

    @property
    def blocs(self) -> list[str]:
        member = self.model.state.member[self.index, :, 0]
        return [b for b, m in zip(self.model.world.blocs, member, strict=True) if m]

    @property
    def sanctioned_by(self) -> list[str]:
        sanctioned = self.model.state.sanctioned[self.index, :, 0]
        return [b for b, s in zip(self.model.world.blocs, sanctioned, strict=True) if s]

    @property
    def leading_partner(self) -> str:
        return self.model.leading_partners()[self.index]

    @property
    def junta(self) -> Junta | None:
        return self.model.juntas.get(self.index)


class Junta(mesa.Agent):
    """The military government of a state, from its coup until power returns to civilians.

    While it exists its state scores powers with the junta weights (regime survival and the
    sovereignty narrative count more, conditionality hurts more).
    """

    kind = "junta"

    def __init__(self, model: InfluenceModel, state_index: int):
        super().__init__(model)
        self.state_index = state_index
        self.code = model.world.states[state_index]
        self.seized_step = model.state.step - int(model.state.months_since_coup[state_index, 0])

    @property
    def state(self) -> State:
        return self.model.state_agents[self.state_index]

    @property
    def weights(self) -> IncentiveWeights:
        return self.model.cfg.incentives.junta

    @property
    def months_in_power(self) -> int:
        return int(self.model.state.months_since_coup[self.state_index, 0])

    def incentive_terms(self, power: str) -> dict[str, float]:
        """The signed weighted terms this junta last scored `power` with."""
        p = self.model.world.powers.index(power)
        values = self.model.state.contributions[:, self.state_index, p, 0]
        return dict(zip(TERMS, values.tolist(), strict=True))


class ForeignPower(mesa.Agent):
    """A foreign power: budgets, deployable troops, baggage, conditionality, its policy."""

    kind = "power"

    def __init__(self, model: InfluenceModel, index: int, policy: str):
        super().__init__(model)
        self.index = index
        self.code = model.world.powers[index]
        self.name = model.world.power_names[index]
        self.policy = policy

    def _world_value(self, name: str) -> float:
        value = getattr(self.model.world, name)[self.index]
        return float(value if value.ndim == 0 else value[0])  # a per-run knob (P, R): this run's value

    @property
    def troops_deployed(self) -> float:
        return float(self.model.state.troops[:, self.index, 0].sum())

    @property
    def deployed_in(self) -> dict[str, float]:
        troops = self.model.state.troops[:, self.index, 0]
        return {s: float(t) for s, t in zip(self.model.world.states, troops, strict=True) if t > 0}

    @property
    def troops_deployable(self) -> float:
        return self._world_value("troops_deployable")

    @property
    def budget_usd_m(self) -> dict[str, float]:
        """Monthly budget by channel."""
        budget = self.model.world.budget_usd_m[self.index]
        return {ch: float(b if b.ndim == 0 else b[0]) for ch, b in zip(CHANNELS, budget, strict=True)}

    @property
    def colonial_baggage(self) -> float:
        return self._world_value("colonial_baggage")

    @property
    def conditionality(self) -> float:
        return self._world_value("conditionality")

    @property
    def regime_protection(self) -> float:
        return self._world_value("regime_protection")

    @property
    def overstretch(self) -> float:
        """Its overstretch this month (it moves with its global driver, e.g. Russia's war in Ukraine)."""
        return float(self.model.state.overstretch[self.index, 0])


class InsurgentGroup(mesa.Agent):
    """An insurgent group (JNIM, Islamic State Sahel) with an intensity in each state."""

    kind = "insurgent_group"

    def __init__(self, model: InfluenceModel, index: int):
        super().__init__(model)
        self.index = index
        self.code = model.world.groups[index]
        self.name = model.world.group_names[index]

    @property
    def intensity(self) -> dict[str, float]:
        values = self.model.state.insurgency[:, self.index, 0]
        return {s: float(v) for s, v in zip(self.model.world.states, values, strict=True) if v > 0}


class Bloc(mesa.Agent):
    """A bloc of states: ECOWAS (sanctions coups) or the AES (an alliance of juntas)."""

    kind = "bloc"

    def __init__(self, model: InfluenceModel, index: int):
        super().__init__(model)
        self.index = index
        self.code = model.world.blocs[index]
        self.name = model.world.bloc_names[index]

    @property
    def members(self) -> list[str]:
        member = self.model.state.member[:, self.index, 0]
        return [s for s, m in zip(self.model.world.states, member, strict=True) if m]

    @property
    def sanctioned(self) -> list[str]:
        """The states this bloc sanctions."""
        sanctioned = self.model.state.sanctioned[:, self.index, 0]
        return [s for s, m in zip(self.model.world.states, sanctioned, strict=True) if m]


def _attribute(agent: mesa.Agent, name: str) -> Any:
    """An agent's attribute, or None for an agent that has none of that name (a picklable reporter)."""
    return getattr(agent, name, None)


def _affinity(agent: mesa.Agent, power: int) -> float | None:
    """A state's affinity to one power (a picklable reporter, read straight from the array); None for
    other agents."""
    return float(agent.model.state.affinity[agent.index, power, 0]) if isinstance(agent, State) else None


#: Agent columns every world has: kind and code for every agent; a state's regime, legitimacy,
#: insurgent threat and leading partner; a power's deployed troops; a junta's months in power.
AGENT_COLUMNS: tuple[str, ...] = (
    "kind",
    "code",
    "regime",
    "legitimacy",
    "insurgency",
    "leading_partner",
    "troops_deployed",
    "months_in_power",
)


def agent_reporters(powers: list[str]) -> dict[str, Any]:
    """The DataCollector's agent columns (mesa.batch_run's agent rows): AGENT_COLUMNS, then a state's
    affinity to each power (affinity_USA, ...)."""
    reporters: dict[str, Any] = {name: functools.partial(_attribute, name=name) for name in AGENT_COLUMNS}
    reporters.update({f"affinity_{p}": functools.partial(_affinity, power=i) for i, p in enumerate(powers)})
    return reporters
