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

The white cell's powers are part of that record: a re-rolled turn draws its months' random numbers
from the streams of its own seed (the other months keep the game's); a parameter shock changes the
configuration (a model parameter) or the world (a power knob) that the replay steps with, from the
first month of its turn on; a vetoed scripted event is taken out of the turn's scripted events, and a
vetoed event of the model's rules (which cannot be suppressed without changing the model) stands and
is answered the month after by its counter-inject. A coup inject on a state that a junta rules at
the start of its turn is applied as the model's coup, recorded as a counter-coup.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.core.events import Event, ScriptedEvent
from sim.core.params import Config, model_number, parameter_value, power_knob, set_parameter
from sim.core.rng import draw_batch
from sim.core.simulation import Simulation
from sim.core.vocabulary import event_label
from sim.core.world import World, scripted_event
from workshop.errors import WorkshopError
from workshop.game import Game, Inject, Shock, Submission, TurnRecord, Veto
from workshop.moves import Move, MoveRejected, Problem, Situation, parse_move

KIND_ORDER = {"bloc": 0, "power": 1, "government": 2}
#: `replay(without=EVERY_TEAM)`: every team's moves replaced by the scenario's policy (the joint what-if).
EVERY_TEAM = "*"
#: The counter-inject that answers a vetoed event of the model's rules (event type -> its reversal).
COUNTERS: dict[str, str] = {
    "coup": "transition",
    "transition": "coup",
    "sanction": "sanction_lift",
    "sanction_lift": "sanction",
    "aid_suspend": "aid_resume",
    "aid_resume": "aid_suspend",
    "bloc_leave": "bloc_join",
    "bloc_join": "bloc_leave",
    "deploy": "withdraw_complete",
    "expel": "invite",
}


class GameSimulation(Simulation):
    """The replay's simulation: months of a re-rolled turn draw from the streams of that turn's seed."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.reseeded: dict[int, int] = {}  # month -> seed of its random numbers
        self._other: dict[int, dict[str, np.ndarray]] = {}  # seed -> its draws

    def month_draws(self, month: int) -> dict[str, np.ndarray]:
        seed = self.reseeded.get(month)
        if seed is None:
            return super().month_draws(month)
        months = max(self.horizon, month)
        if seed not in self._other or len(next(iter(self._other[seed].values()))) < months:
            self._other[seed] = draw_batch([seed], months, self.sizes)
        return {name: values[month - 1] for name, values in self._other[seed].items()}


@dataclass
class TurnResult:
    """What happened in one turn of a replay."""

    turn: int
    first_step: int
    last_step: int
    situation: Situation  # the world at the start of the turn
    moves: dict[str, Move]  # team -> accepted moves applied
    injects: list[Inject]
    events: Sequence[Event]  # every event of the turn's months (an EventLog)
    skipped: dict[str, str] = field(default_factory=dict)  # what-ifs: team -> why its moves were dropped


@dataclass
class Replay:
    """A game replayed: the history's final state and each turn's record."""

    game: Game
    simulation: Simulation
    results: list[TurnResult]


def situation(game: Game, simulation: Simulation, turn: int) -> Situation:
    """The situation at the start of `turn` (the simulation must stand at the turn's start)."""
    return Situation.at(
        simulation.state,
        simulation.world,
        turn,
        game.settings.turn_months,
        game.settings.turns,
        game.config().hazards.deploy_size,
        simulation.cfg.players,
    )


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


def inject_event(inj: Inject, world: World, step: int, junta: bool = False) -> ScriptedEvent:
    """The scripted event of a facilitator's inject at `step` (the first month of its turn); junta:
    the inject's state is ruled by a junta then (a coup is then a counter-coup, and says so)."""
    name = world.state_names[world.states.index(inj.state)]
    what = f"{event_label(inj.type)} in {name}"
    if inj.type == "coup" and junta:
        what = f"counter-coup in {name}: officers overthrow the ruling junta"
    note = (
        f"{inj.note} ({what}, set by the facilitator)"
        if inj.note
        else f"{what} (a scenario event set by the facilitator)"
    )
    spec = dataclasses.replace(inj, note=note, source="workshop facilitator")
    return scripted_event(world, spec, origin=f"(workshop inject of turn {inj.turn})", where="inject", step=step)


def shocked_value(cfg: Config, world: World, shock: Shock) -> float:
    """The value of a shock's parameter or power knob once the shock is applied to cfg and world."""
    knob = power_knob(shock.key)
    if knob is not None:
        code, name, _ = knob
        if name == "budget_factor":  # a factor of the budgets as they stand: '+' adds to a factor of 1
            return 1.0 + shock.value if shock.op == "+" else shock.value
        now = float(getattr(world, name)[world.powers.index(code)])
        return now + shock.value if shock.op == "+" else shock.value
    return float(parameter_value(cfg, shock.key)) + shock.value if shock.op == "+" else shock.value


def shock_range(key: str) -> tuple[float, float]:
    """The legal range of a shock's parameter or power knob (a WorkshopError for an unknown name)."""
    from sim.core.params import ConfigError

    try:
        knob = power_knob(key)
    except ConfigError as exc:
        raise WorkshopError(str(exc)) from None
    if knob is not None:
        return knob[2]
    found = model_number(key)
    if found is None:
        raise WorkshopError(
            f"{key!r} is neither a numeric model parameter (e.g. hazards.coup_base; see "
            f"docs/parameters.md) nor a power knob (e.g. scenario.powers.RUS.overstretch)."
        )
    lo, hi = found.range
    return float(lo), float(hi)


def apply_shock(simulation: Simulation, shock: Shock) -> None:
    """Apply a shock to the configuration or world the simulation steps with (from its next month on)."""
    value = shocked_value(simulation.cfg, simulation.world, shock)
    lo, hi = shock_range(shock.key)
    if not lo <= value <= hi:
        raise WorkshopError(
            f"The shock of turn {shock.turn} ({shock.key} {shock.op}{shock.value:g}) makes it "
            f"{value:g}, outside its legal range {lo:g} to {hi:g}: cancel it with 'python -m workshop "
            f"shock GAME_DIR --cancel --turn {shock.turn}'."
        )
    knob = power_knob(shock.key)
    if knob is None:
        cfg = copy.deepcopy(simulation.cfg)
        found = model_number(shock.key)
        set_parameter(cfg, shock.key, int(round(value)) if found is not None and found.type is int else value)
        simulation.cfg = cfg
        return
    code, name, _ = knob
    p = simulation.world.powers.index(code)
    if name == "budget_factor":
        simulation.world.budget_usd_m[p] *= value
    else:
        getattr(simulation.world, name)[p] = value


def _key(e: Event | ScriptedEvent) -> tuple[int, str, int, int, int]:
    return e.step, e.type, e.state, e.power, e.bloc


def veto_key(v: Veto, world: World) -> tuple[int, str, int, int, int]:
    """A veto's event as the replay's events name it (indices into the world)."""
    return (
        v.step,
        v.type,
        world.states.index(v.state),
        world.powers.index(v.power) if v.power else -1,
        world.blocs.index(v.bloc) if v.bloc else -1,
    )


def counter_event(v: Veto, world: World) -> ScriptedEvent:
    """The counter-inject of a vetoed rule event, the month after it."""
    _, _, s, p, b = veto_key(v, world)
    why = f" ({v.note})" if v.note else ""
    return ScriptedEvent(
        step=v.step + 1,
        type=v.counter,
        state=s,
        power=p,
        bloc=b,
        note=f"{event_label(v.counter)} in {world.state_names[s]}: the white cell's counter to the "
        f"vetoed {event_label(v.type)} of {world.date_of(v.step)}{why} (set by the facilitator)",
        source="workshop facilitator",
    )


def play_turn(
    game: Game,
    simulation: Simulation,
    turn: int,
    moves: dict[str, Move],
    injects: list[Inject],
    vetoes: list[Veto] | tuple[Veto, ...] = (),
    seed: int | None = None,
) -> Sequence[Event]:
    """Apply one turn's shocks, injects and moves (less the vetoed ones) and advance the turn's months
    (their random numbers from `seed`'s streams if given); returns the turn's events."""
    world, (first, last) = simulation.world, game.steps_of(turn)
    if simulation.step_no != first - 1:
        raise ValueError(f"turn {turn} starts after month {first - 1}, but the replay stands at {simulation.step_no}")
    for shock in game.shocks:
        if shock.turn == turn:
            apply_shock(simulation, shock)
    for inj in injects:
        junta = bool(simulation.state.junta[world.states.index(inj.state), 0])
        world.scripted.append(inject_event(inj, world, first, junta))
    order = {t.name: i for i, t in enumerate(game.teams)}
    ordered = sorted(moves.values(), key=lambda m: (KIND_ORDER[m.team.kind], order[m.team.name]))
    for move in ordered:
        world.scripted += [a.event(move.team.name) for a in move.actions]
    suppressed = {veto_key(v, world) for v in vetoes if not v.counter}
    if suppressed:
        world.scripted = [e for e in world.scripted if _key(e) not in suppressed]
    world.scripted += [counter_event(v, world) for v in vetoes if v.counter]
    if isinstance(simulation, GameSimulation):
        for month in range(first, last + 1):
            if seed is None:
                simulation.reseeded.pop(month, None)
            else:
                simulation.reseeded[month] = seed
    elif seed is not None:
        raise ValueError("a re-rolled turn needs the replay's GameSimulation")
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
                targets = np.zeros((S, P, 3, simulation.runs))  # one run in a game, many in an outlook
                for p, alloc in allocations.items():
                    targets[:, p, :, :] = alloc[:, :, None]
                    closed = simulation.state.expelled[:, p, :] & ~simulation.state.invited[:, p, :]
                    targets[:, p, 0, :] *= ~closed  # no security money past a closed door (as in validation)
            simulation.step(policies, targets)
    finally:
        world.regime_protection[:] = saved_protection
    return simulation.events[start:]


def replay(
    game: Game,
    upto: int | None = None,
    *,
    record: bool = False,
    without: str | None = None,
    extra: TurnRecord | None = None,
    simulation: GameSimulation | None = None,
) -> Replay:
    """Replay turns 1..upto of the record (default: every adjudicated turn), then `extra` if given.

    without: a team whose moves are replaced by the scenario's policy (a what-if), or EVERY_TEAM (the
    joint what-if: only the injects and the white cell remain); moves of other teams that are illegal
    in that history are dropped, and the reason is kept in the result.
    simulation: the (fresh) simulation to replay in, instead of the game's one run (an outlook's
    batch, workshop/outlook.py); its runs must stand alike until `extra`.
    """
    records = game.turns[: len(game.turns) if upto is None else upto]
    if extra is not None:
        records = [*records, extra]
    # a what-if gives the team's actors back to the rules (with --teams-decide; otherwise nothing changes)
    cfg = game.config() if without is None else game.config_for("all" if without == EVERY_TEAM else without)
    if simulation is None:
        simulation = GameSimulation(cfg, game.world(), [cfg.seed], record=record)
    results = []
    for rec in records:
        sit = situation(game, simulation, rec.turn)
        subs = {k: v for k, v in rec.moves.items() if k != without and without != EVERY_TEAM}
        moves, skipped = {}, {}
        for name, sub in subs.items():
            got, problems = check_moves(game, sit, {name: sub})
            if problems and without is None:
                raise WorkshopError(
                    f"The record of turn {rec.turn} no longer replays: team {name}'s moves are "
                    f"refused ({problems[0]}). The scenario, the experiment or the model may have "
                    f"changed since the game was played."
                )
            if problems:
                skipped[name] = str(problems[0])
            moves.update(got)
        first, last = game.steps_of(rec.turn)
        events = play_turn(game, simulation, rec.turn, moves, rec.injects, rec.vetoes, rec.seed)
        results.append(TurnResult(rec.turn, first, last, sit, moves, list(rec.injects), events, skipped))
    return Replay(game, simulation, results)
