"""Mesa agents as views of rows of the model's arrays.

The rules run over arrays (sim.core.rules, via sim.core.phases); these agents give the Mesa driver, the web
app and the workshop a domain view: a State, the Junta that rules it after a coup, a
ForeignPower, an InsurgentGroup, a Bloc. Reading an attribute reads the current arrays, so an
agent is never out of date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from sim.core.io import leading_partner_index
from sim.core.params import IncentiveWeights
from sim.core.vocabulary import TERMS

if TYPE_CHECKING:
    from sim.model import InfluenceModel


class State(mesa.Agent):
    """A country: regime, legitimacy, insurgency, blocs, and its ties to each power."""

    def __init__(self, model: InfluenceModel, index: int):
        super().__init__(model)
        self.index = index
        self.code = model.world.states[index]
        self.name = model.world.state_names[index]

    @property
    def regime(self) -> str:
        return "junta" if self.model.state.junta[self.index, 0] else "civilian"

    @property
    def legitimacy(self) -> float:
        return float(self.model.state.legitimacy[self.index, 0])

    @property
    def insurgency(self) -> float:
        return float(self.model.state.threat[self.index, 0])

    @property
    def affinity(self) -> dict[str, float]:
        return dict(zip(self.model.world.powers, self.model.state.affinity[self.index, :, 0].tolist(), strict=True))

    @property
    def opinion(self) -> dict[str, float]:
        return dict(zip(self.model.world.powers, self.model.state.opinion[self.index, :, 0].tolist(), strict=True))

    @property
    def troops_hosted(self) -> dict[str, float]:
        troops = self.model.state.troops[self.index, :, 0]
        return {p: float(t) for p, t in zip(self.model.world.powers, troops, strict=True) if t > 0}

    @property
    def blocs(self) -> list[str]:
        member = self.model.state.member[self.index, :, 0]
        return [b for b, m in zip(self.model.world.blocs, member, strict=True) if m]

    @property
    def leading_partner(self) -> str:
        best = int(leading_partner_index(self.model.state.affinity[self.index: self.index + 1])[0, 0])
        return self.model.world.powers[best] if best >= 0 else "none"

    @property
    def junta(self) -> Junta | None:
        return self.model.juntas.get(self.index)


class Junta(mesa.Agent):
    """The military government of a state, from its coup until power returns to civilians.

    While it exists its state scores powers with the junta weights (regime survival and the
    sovereignty narrative count more, conditionality hurts more).
    """

    def __init__(self, model: InfluenceModel, state_index: int):
        super().__init__(model)
        self.state_index = state_index
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

    def __init__(self, model: InfluenceModel, index: int, policy: str):
        super().__init__(model)
        self.index = index
        self.code = model.world.powers[index]
        self.name = model.world.power_names[index]
        self.policy = policy

    @property
    def troops_deployed(self) -> float:
        return float(self.model.state.troops[:, self.index, 0].sum())

    @property
    def colonial_baggage(self) -> float:
        return float(self.model.world.colonial_baggage[self.index])

    @property
    def overstretch(self) -> float:
        return float(self.model.world.overstretch[self.index])


class InsurgentGroup(mesa.Agent):
    """An insurgent group (JNIM, Islamic State Sahel) with an intensity in each state."""

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

    def __init__(self, model: InfluenceModel, index: int):
        super().__init__(model)
        self.index = index
        self.code = model.world.blocs[index]
        self.name = model.world.bloc_names[index]

    @property
    def members(self) -> list[str]:
        member = self.model.state.member[:, self.index, 0]
        return [s for s, m in zip(self.model.world.states, member, strict=True) if m]
