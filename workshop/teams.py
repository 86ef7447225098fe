"""Teams: who plays which actor. A power team is a power code (USA), a government team controls
one or more states (AES=MLI,BFA,NER, or a single state code such as TCD), a bloc team is a bloc
code (ECOWAS). Every actor without a team follows the scenario's policies and rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sim.core.params import PlayersConf
from sim.core.world import World
from workshop.errors import WorkshopError

KINDS = ("power", "government", "bloc")
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,19}$")
MAX_TEAMS = 6


@dataclass(frozen=True)
class Team:
    """One team: its name, what it plays (power, government or bloc) and the codes it controls."""

    name: str
    kind: str
    power: str = ""
    bloc: str = ""
    states: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.kind == "power":
            out["power"] = self.power
        elif self.kind == "bloc":
            out["bloc"] = self.bloc
        else:
            out["states"] = list(self.states)
        return out

    @staticmethod
    def from_json(data: dict[str, Any]) -> Team:
        return Team(
            name=data["name"],
            kind=data["kind"],
            power=data.get("power", ""),
            bloc=data.get("bloc", ""),
            states=tuple(data.get("states", ())),
        )

    def describe(self, world: World) -> str:
        """E.g. 'USA (power: United States)' or 'AES (government of Mali, Burkina Faso, Niger)'."""
        if self.kind == "power":
            return f"{self.name} (power: {world.power_names[world.powers.index(self.power)]})"
        if self.kind == "bloc":
            return f"{self.name} (bloc: {world.bloc_names[world.blocs.index(self.bloc)]})"
        names = [world.state_names[world.states.index(s)] for s in self.states]
        return f"{self.name} (government of {', '.join(names)})"


def parse_team(spec: str, world: World) -> Team:
    """A team from its command-line spelling: USA, ECOWAS, TCD or NAME=STATE,STATE,..."""
    spec = spec.strip()
    codes = f"powers {', '.join(world.powers)}; blocs {', '.join(world.blocs)}; states {', '.join(world.states)}"
    if "=" in spec:
        name, _, states = spec.partition("=")
        name = name.strip()
        listed = [s.strip() for s in states.split(",") if s.strip()]
        if not NAME.match(name):
            raise WorkshopError(
                f"Team {spec!r}: the name {name!r} must start with a letter and use only letters, "
                f"digits, '-' and '_' (at most 20), e.g. AES=MLI,BFA,NER."
            )
        if not listed:
            raise WorkshopError(f"Team {spec!r} controls no state: list state codes after '=', e.g. AES=MLI,BFA,NER.")
        unknown = [s for s in listed if s not in world.states]
        if unknown:
            raise WorkshopError(
                f"Team {spec!r}: {', '.join(unknown)} is not a state of this scenario. A government "
                f"team lists state codes among {', '.join(world.states)}."
            )
        if len(set(listed)) != len(listed):
            raise WorkshopError(f"Team {spec!r} lists a state twice: list each state once.")
        return Team(name=name, kind="government", states=tuple(listed))
    if spec in world.powers:
        return Team(name=spec, kind="power", power=spec)
    if spec in world.blocs:
        return Team(name=spec, kind="bloc", bloc=spec)
    if spec in world.states:
        return Team(name=spec, kind="government", states=(spec,))
    raise WorkshopError(
        f"Team {spec!r} is not a power, bloc or state code of this scenario. Use a power "
        f"(e.g. USA), a bloc (e.g. ECOWAS), a state (e.g. TCD) or NAME=STATE,STATE for a government "
        f"team controlling several states (e.g. AES=MLI,BFA,NER). Codes: {codes}."
    )


def check_teams(teams: list[Team]) -> None:
    """At most six teams, distinct names and actors, each state controlled by one team at most."""
    if not 1 <= len(teams) <= MAX_TEAMS:
        raise WorkshopError(
            f"A game has 1 to {MAX_TEAMS} teams (2 to 6 make a good exercise); {len(teams)} were "
            f"given. Give each team with --team, e.g. --team USA --team AES=MLI,BFA,NER."
        )
    names = [t.name.upper() for t in teams]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise WorkshopError(f"Team name {', '.join(twice)} is given twice: give each team once, with a distinct name.")
    owner: dict[str, str] = {}
    for t in teams:
        for s in t.states:
            if s in owner:
                raise WorkshopError(
                    f"State {s} is controlled by two teams ({owner[s]} and {t.name}): a state can "
                    f"belong to one team only."
                )
            owner[s] = t.name


def team_by_name(teams: list[Team], name: str) -> Team:
    """The team called `name` (case-insensitive), or a clear error listing the teams."""
    for t in teams:
        if t.name.upper() == name.upper():
            return t
    raise WorkshopError(f"No team {name!r} in this game. Teams: {', '.join(t.name for t in teams)}.")


def players_of(teams: list[Team], without: str | None = None) -> PlayersConf:
    """The actors the teams play (all teams but `without`), as the model's Config.players: with
    --teams-decide the rules make no decision for them."""
    kept = [t for t in teams if t.name != without]
    return PlayersConf(
        states=[s for t in kept if t.kind == "government" for s in t.states],
        blocs=[t.bloc for t in kept if t.kind == "bloc"],
        powers=[t.power for t in kept if t.kind == "power"],
    )
