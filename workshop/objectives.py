"""Teams' objectives and their scores: a menu per kind of team, chosen at creation (`new --objective`),
stored in the game record, shown in the team's brief and scored at the end of every turn from the
replay's tables (states, ties, bases, events). Each score is a share from 0 (missed) to 1 (met),
so that a hand count checks it:

- power: influence (share of the chosen states in which it is the leading partner), bases (share of
  the bases it held or shared at the start that it still holds or shares), forces (share of the
  months played without an incident involving its forces);
- government: survival (share of its states without a coup since the start), insurgency (share of
  its states whose insurgency is at or below its level at the start), sovereignty (share of its states
  under no bloc's sanctions and hosting no forces it has expelled);
- bloc: members (share of the start's members still members), coups (share of the members ruled by
  a junta at the start or after a coup since that are civilian again; 1 if there was none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.core.world import World
from workshop.errors import WorkshopError
from workshop.teams import Team

#: The objectives each kind of team may have, and what each means.
MENU: dict[str, dict[str, str]] = {
    "power": {
        "influence": "lead (be the leading partner) in the chosen states",
        "bases": "keep the bases held or shared at the start",
        "forces": "keep forces safe: months without an incident involving them",
    },
    "government": {
        "survival": "each regime survives: no coup in your states",
        "insurgency": "insurgency held at or below its level at the start",
        "sovereignty": "no bloc sanctions on your states and no expelled forces left on them",
    },
    "bloc": {
        "members": "keep the members of the start",
        "coups": "coups reversed: members ruled by juntas back under civilian rule",
    },
}
#: A power's default influence objective names the states it leads at the start, else this many best-disposed.
DEFAULT_INFLUENCE_STATES = 3


@dataclass(frozen=True)
class Objective:
    """One objective of a team: its key in MENU and, for a power's influence, the states it names."""

    key: str
    states: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "states": list(self.states)}

    @staticmethod
    def from_json(data: dict[str, Any]) -> Objective:
        return Objective(key=data["key"], states=tuple(data.get("states", ())))

    def describe(self, kind: str) -> str:
        """E.g. 'influence: lead (be the leading partner) in the chosen states (NER, TCD)'."""
        where = f" ({', '.join(self.states)})" if self.states else ""
        return f"{self.key}: {MENU[kind][self.key]}{where}"


@dataclass(frozen=True)
class Score:
    """An objective's score at the end of a turn, with the count behind it."""

    turn: int
    objective: Objective
    value: float  # 0 to 1
    detail: str  # e.g. '2 of 3 states'


def check_objectives(objectives: list[Objective]) -> str:
    """'' if a stored list of objectives is well formed, else what is wrong with it."""
    keys = [o.key for o in objectives]
    known = {k for menu in MENU.values() for k in menu}
    for o in objectives:
        if o.key not in known:
            return f"names the objective {o.key!r}, not one of {sorted(known)}"
    if len(set(keys)) != len(keys):
        return "names an objective twice"
    return ""


def default_objectives(team: Team, world: World) -> list[Objective]:
    """The whole menu of the team's kind; a power's influence names the states it leads at the start
    (highest affinity), or its DEFAULT_INFLUENCE_STATES best-disposed states if it leads none."""
    if team.kind != "power":
        return [Objective(k) for k in MENU[team.kind]]
    p = world.powers.index(team.power)
    aff = np.asarray(world.affinity)
    led = [world.states[s] for s in range(len(world.states)) if int(np.argmax(aff[s])) == p]
    if not led:
        led = [world.states[s] for s in np.argsort(-aff[:, p])[:DEFAULT_INFLUENCE_STATES]]
    return [Objective("influence", tuple(led)), Objective("bases"), Objective("forces")]


def parse_objectives(specs: list[str], teams: list[Team], world: World) -> dict[str, list[Objective]]:
    """Each team's objectives: those given as 'TEAM=KEY[:STATE,STATE]' (repeatable; e.g.
    'USA=influence:NER,TCD', 'AES=survival'), the kind's default menu for a team given none."""
    by_name = {t.name.upper(): t for t in teams}
    chosen: dict[str, list[Objective]] = {}
    for spec in specs:
        name, _, rest = spec.partition("=")
        key, _, states = rest.partition(":")
        team = by_name.get(name.strip().upper())
        if team is None:
            raise WorkshopError(
                f"--objective {spec!r}: no team {name!r} in this game; write TEAM=OBJECTIVE with a "
                f"team among {', '.join(t.name for t in teams)}, e.g. USA=influence:NER,TCD."
            )
        key = key.strip()
        if key not in MENU[team.kind]:
            raise WorkshopError(
                f"--objective {spec!r}: a {team.kind} team's objectives are "
                f"{', '.join(MENU[team.kind])}; {key!r} is not one of them."
            )
        listed = tuple(s.strip() for s in states.split(",") if s.strip())
        if key == "influence" and not listed:
            raise WorkshopError(
                f"--objective {spec!r}: name the states to lead after ':', e.g. {team.name}=influence:NER,TCD."
            )
        if key != "influence" and listed:
            raise WorkshopError(f"--objective {spec!r}: only influence names states; write {team.name}={key}.")
        unknown = [s for s in listed if s not in world.states]
        if unknown:
            raise WorkshopError(
                f"--objective {spec!r}: {', '.join(unknown)} is not a state of this scenario (states: "
                f"{', '.join(world.states)})."
            )
        mine = chosen.setdefault(team.name, [])
        if any(o.key == key for o in mine):
            raise WorkshopError(
                f"--objective {spec!r}: team {team.name} has the objective {key} already; give it once."
            )
        mine.append(Objective(key, listed))
    return {t.name: chosen.get(t.name) or default_objectives(t, world) for t in teams}


@dataclass
class Tables:
    """The replay's tables that objectives are scored from (one run)."""

    states: pd.DataFrame
    ties: pd.DataFrame
    bases: pd.DataFrame
    events: pd.DataFrame


def _share(hits: int, total: int, what: str) -> tuple[float, str]:
    return (hits / total if total else 1.0), f"{hits} of {total} {what}"


def score(team: Team, objective: Objective, t: Tables, turn: int, end: int) -> Score:
    """An objective's score at step `end` (the end of `turn`) against step 0 (the start)."""
    st0 = t.states.loc[t.states["step"] == 0].set_index("state")
    st1 = t.states.loc[t.states["step"] == end].set_index("state")
    ev = t.events.loc[t.events["step"] <= end]
    k = objective.key
    if k == "influence":
        led = int(sum(st1.loc[s, "leading_partner"] == team.power for s in objective.states))
        value, detail = _share(led, len(objective.states), "chosen states led")
    elif k == "bases":
        b0 = t.bases.loc[t.bases["step"] == 0].set_index("base")
        b1 = t.bases.loc[t.bases["step"] == end].set_index("base")
        held = [b for b in b0.index if team.power in (b0.loc[b, "owner"], b0.loc[b, "co_tenant"])]
        kept = sum(team.power in (b1.loc[b, "owner"], b1.loc[b, "co_tenant"]) for b in held)
        value, detail = _share(int(kept), len(held), "bases of the start kept")
    elif k == "forces":
        hit = ev.loc[(ev["type"] == "incident") & (ev["power"] == team.power), "step"].nunique()
        value, detail = _share(end - int(hit), end, "months without an incident")
    elif k == "survival":
        coups = set(ev.loc[ev["type"] == "coup", "state"])
        value, detail = _share(sum(s not in coups for s in team.states), len(team.states), "states without a coup")
    elif k == "insurgency":
        held = sum(st1.loc[s, "insurgency"] <= st0.loc[s, "insurgency"] for s in team.states)
        value, detail = _share(int(held), len(team.states), "states with insurgency held")
    elif k == "sovereignty":
        ties = t.ties.loc[(t.ties["step"] == end) & t.ties["state"].isin(team.states)]
        occupied = set(ties.loc[ties["expelled"].astype(bool) & (ties["troops"] > 0), "state"])
        free = sum(not st1.loc[s, "sanctioned"] and s not in occupied for s in team.states)
        value, detail = _share(int(free), len(team.states), "states unsanctioned and free of expelled forces")
    elif k == "members":
        col = team.bloc.lower()
        start = list(st0.index[st0[col].astype(bool)])
        value, detail = _share(int(sum(bool(st1.loc[s, col]) for s in start)), len(start), "members of the start kept")
    elif k == "coups":
        col = team.bloc.lower()
        members = set(st0.index[st0[col].astype(bool)])
        juntas = {s for s in members if st0.loc[s, "regime"] == "junta"}
        juntas |= set(ev.loc[(ev["type"] == "coup") & ev["state"].isin(members), "state"])
        back = sum(st1.loc[s, "regime"] == "civilian" for s in juntas)
        value, detail = _share(int(back), len(juntas), "members' juntas back under civilian rule")
    else:
        raise ValueError(f"unknown objective {k!r}")
    return Score(turn, objective, float(value), detail)


def scores(team: Team, objectives: list[Objective], t: Tables, turn: int, end: int) -> list[Score]:
    """Every objective of a team scored at the end of `turn`."""
    return [score(team, o, t, turn, end) for o in objectives]
