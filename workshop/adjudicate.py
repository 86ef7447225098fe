"""Adjudication: a turn's accepted moves and injects turned into what the model receives, and the
replay of a game from its record.

For each turn, in this order at the turn's first month (or the month a move names):
facilitator injects, then bloc, power and government moves as scripted events (the host
government has the last word in a month); power teams that allocate get policy 'scripted' with
their allocations as targets for the turn's months (security money stops reaching a state that has
ordered the power out); a regime-protection stance replaces the power's value for the turn. Teams
that submit nothing, and everything not decided by a team, follow the scenario's policies and
rules. The state after turn N is rebuilt by replaying turns 1..N from the start, so the same
record always gives the same game.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from sim.core.events import Event, ScriptedEvent
from sim.core.simulation import Simulation
from sim.core.vocabulary import event_label
from sim.core.world import World, scripted_event
from workshop.errors import WorkshopError
from workshop.game import Game, Inject, Submission, TurnRecord
from workshop.moves import Move, MoveRejected, Problem, Situation, parse_move

KIND_ORDER = {"bloc": 0, "power": 1, "government": 2}


@dataclass
class TurnResult:
    """What happened in one turn of a replay."""

    turn: int
    first_step: int
    last_step: int
    situation: Situation  # the world at the start of the turn
    moves: dict[str, Move]  # team -> accepted moves applied
    injects: list[Inject]
    events: list[Event]  # every event of the turn's months
    skipped: dict[str, str] = field(default_factory=dict)  # what-ifs: team -> why its moves were dropped


@dataclass
class Replay:
    """A game replayed: the history's final state and each turn's record."""

    game: Game
    simulation: Simulation
    results: list[TurnResult]


def situation(game: Game, simulation: Simulation, turn: int) -> Situation:
    """The situation at the start of `turn` (the simulation must stand at the turn's start)."""
    return Situation.at(simulation.state, simulation.world, turn, game.settings.turn_months, game.settings.turns,
                        game.config().hazards.deploy_size, simulation.cfg.players)


def stored_file(game: Game, turn: int, sub: Submission) -> str:
    """How a stored move file is named in messages: its copy in the game folder and where it came from."""
    return f"{game.moves_path(turn, sub.team)} (submitted by team {sub.team} from {sub.file})"


def check_moves(game: Game, sit: Situation, subs: dict[str, Submission]) -> tuple[dict[str, Move], list[Problem]]:
    """Parse every submission against the situation; returns the moves and all problems found."""
    from workshop.teams import team_by_name

    moves, problems = {}, []
    for name, sub in subs.items():
        try:
            moves[name] = parse_move(sub.text, stored_file(game, sit.turn, sub), team_by_name(game.teams, name), sit)
        except MoveRejected as exc:
            problems += exc.problems
    return moves, problems


def inject_event(inj: Inject, world: World, step: int) -> ScriptedEvent:
    """The scripted event of a facilitator's inject at `step` (the first month of its turn)."""
    what = f"{event_label(inj.type)} in {world.state_names[world.states.index(inj.state)]}"
    spec = dataclasses.replace(inj, note=inj.note or f"{what} (a scenario event set by the facilitator)",
                               source="workshop facilitator")
    return scripted_event(world, spec, origin=f"(workshop inject of turn {inj.turn})", where="inject", step=step)


def play_turn(game: Game, simulation: Simulation, turn: int, moves: dict[str, Move],
              injects: list[Inject]) -> list[Event]:
    """Apply one turn's injects and moves and advance the turn's months; returns the turn's events."""
    world, first = simulation.world, game.steps_of(turn)[0]
    if simulation.step_no != first - 1:
        raise ValueError(f"turn {turn} starts after month {first - 1}, but the replay stands at {simulation.step_no}")
    for inj in injects:
        world.scripted.append(inject_event(inj, world, first))
    order = {t.name: i for i, t in enumerate(game.teams)}
    ordered = sorted(moves.values(), key=lambda m: (KIND_ORDER[m.team.kind], order[m.team.name]))
    for move in ordered:
        world.scripted += [a.event(move.team.name) for a in move.actions]
    policies = list(simulation.policies)
    allocations: dict[int, np.ndarray] = {}
    saved_protection = world.regime_protection.copy()
    for move in ordered:
        if move.team.kind != "power":
            continue
        p = world.powers.index(move.team.power)
        if move.allocation is not None:
            allocations[p] = move.allocation
            policies[p] = "scripted"
        if move.regime_protection is not None:
            world.regime_protection[p] = move.regime_protection
    if allocations:  # a scenario power left 'scripted' without targets keeps its fixed flows, as the model does
        policies = ["fixed" if k == "scripted" and p not in allocations else k for p, k in enumerate(policies)]
    S, P = world.affinity.shape
    start = len(simulation.events)
    try:
        for _ in range(game.settings.turn_months):
            targets = None
            if allocations:
                targets = np.zeros((S, P, 3, 1))
                for p, alloc in allocations.items():
                    targets[:, p, :, 0] = alloc
                    closed = simulation.state.expelled[:, p, 0] & ~simulation.state.invited[:, p, 0]
                    targets[:, p, 0, 0] *= ~closed  # no security money past a closed door (as in validation)
            simulation.step(policies, targets)
    finally:
        world.regime_protection[:] = saved_protection
    return simulation.events[start:]


def replay(game: Game, upto: int | None = None, *, record: bool = False, without: str | None = None,
           extra: TurnRecord | None = None) -> Replay:
    """Replay turns 1..upto of the record (default: every adjudicated turn), then `extra` if given.

    without: a team whose moves are replaced by the scenario's policy (a what-if); moves of other
    teams that are illegal in that history are dropped, and the reason is kept in the result.
    """
    records = game.turns[: len(game.turns) if upto is None else upto]
    if extra is not None:
        records = [*records, extra]
    # a what-if gives the team's actors back to the rules (with --teams-decide; otherwise nothing changes)
    cfg = game.config() if without is None else game.config_for(without)
    simulation = Simulation(cfg, game.world(), [cfg.seed], record=record)
    results = []
    for rec in records:
        sit = situation(game, simulation, rec.turn)
        subs = {k: v for k, v in rec.moves.items() if k != without}
        moves, skipped = {}, {}
        for name, sub in subs.items():
            got, problems = check_moves(game, sit, {name: sub})
            if problems and without is None:
                raise WorkshopError(f"The record of turn {rec.turn} no longer replays: team {name}'s moves are "
                                    f"refused ({problems[0]}). The scenario, the experiment or the model may have "
                                    f"changed since the game was played.")
            if problems:
                skipped[name] = str(problems[0])
            moves.update(got)
        first, last = game.steps_of(rec.turn)
        events = play_turn(game, simulation, rec.turn, moves, rec.injects)
        results.append(TurnResult(rec.turn, first, last, sit, moves, list(rec.injects), events, skipped))
    return Replay(game, simulation, results)
