"""The range of outcomes of a turn (the matrix-game convention): before adjudication, how likely each
key event of the coming turn is, given the submitted moves; after it, where the game's draw fell.

The game is replayed to the start of the turn once, in a batch of R identical runs (every run draws
the game's random numbers, so they stand alike); the turn's months then draw from R other seeds'
streams (seeds S..S+R-1), with the turn's moves, injects and shocks applied exactly as adjudication
applies them (workshop.adjudicate.play_turn). Run r of the batch is therefore the turn that
`python -m workshop reroll --seed S+r` would give. A key event is an event type with its state and
partner (power or bloc), incidents left out; its probability is the share of runs in which it
happens at least once in the turn's months. An event the moves script happens in every run.
After adjudication the same batch is run for that turn with its record's moves and injects (not its
vetoes, which came after the draw) and each event is marked as happened or not in the game.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from sim.core.events import Event
from sim.core.rng import draw_batch
from sim.core.vocabulary import event_label
from sim.core.world import World
from workshop.adjudicate import GameSimulation, check_moves, replay, situation
from workshop.errors import Refused, WorkshopError
from workshop.game import Game, TurnRecord

DEFAULT_RUNS = 200
MAX_RUNS = 5000
#: Event types left out of the outlook: frequent and minor (docs/model.md counts them separately).
MINOR = frozenset({"incident"})
#: Probabilities below this are "unlikely" in the summary of where the game's draw fell.
UNLIKELY = 0.1


class OutlookSimulation(GameSimulation):
    """R runs that draw the game's random numbers until `months` (so they stand alike), then each
    its own seed's (the outlook's histories)."""

    def __init__(self, game: Game, seeds: list[int], months: range):
        cfg = game.config()
        super().__init__(cfg, game.world(), [cfg.seed] * len(seeds), horizon=months.stop - 1)
        self.outlook_seeds = seeds
        self.months = months
        self._own: dict[str, np.ndarray] | None = None

    def month_draws(self, month: int) -> dict[str, np.ndarray]:
        if month in self.months:
            if self._own is None:
                self._own = draw_batch(self.outlook_seeds, self.months.stop - 1, self.sizes)
            return {name: values[month - 1] for name, values in self._own.items()}
        draws = super().month_draws(month)  # a re-rolled earlier turn draws one run's numbers: share them
        return {k: v if v.shape[-1] == self.runs else np.repeat(v, self.runs, axis=-1) for k, v in draws.items()}


@dataclass(frozen=True)
class Outcome:
    """A key event of the turn and its probability over the outlook's runs."""

    type: str
    state: str
    partner: str  # power or bloc code, '' if none
    label: str  # in words
    probability: float
    happened: bool | None = None  # in the game (None: not adjudicated yet)


@dataclass(frozen=True)
class Outlook:
    """The key events of a turn over `runs` histories from its start."""

    turn: int
    months: str
    runs: int
    seed: int  # the first of the outlook's seeds
    adjudicated: bool
    outcomes: tuple[Outcome, ...]
    surprises: tuple[Outcome, ...] = field(default=())  # game events no history of the outlook had

    def lines(self) -> list[str]:
        when = "as adjudicated" if self.adjudicated else "with the moves submitted so far"
        out = [
            f"Range of outcomes of turn {self.turn} ({self.months}), {when}: {self.runs} histories from the "
            f"start of the turn (seeds {self.seed} to {self.seed + self.runs - 1}); the share of histories in "
            f"which each event happens (incidents left out)."
        ]
        for o in self.outcomes:
            mark = "" if o.happened is None else ("  <- happened in the game" if o.happened else "")
            out.append(f"  {o.probability:6.1%}  {o.label}{mark}")
        if not self.outcomes:
            out.append("  no event in any history")
        if self.adjudicated:
            out.append(self.verdict())
            out += [f"  never in the histories, yet in the game: {o.label}" for o in self.surprises]
        return out

    def verdict(self) -> str:
        """Where the game's draw fell, in one sentence."""
        likely = [o for o in self.outcomes if o.probability >= 0.5]
        rare = [o for o in self.outcomes if o.probability < UNLIKELY and o.happened]
        missed = [o for o in likely if not o.happened]
        return (
            f"Where the game's draw fell: {sum(bool(o.happened) for o in likely)} of the {len(likely)} events "
            f"with a probability of 50% or more happened"
            + (f" (not: {', '.join(o.label for o in missed)})" if missed else "")
            + f"; {len(rare)} event(s) below {UNLIKELY:.0%} happened"
            + (f" ({', '.join(f'{o.label}, {o.probability:.1%}' for o in rare)})" if rare else "")
            + f"; {len(self.surprises)} happened in no history."
        )


def _key(e: Event, world: World) -> tuple[str, str, str]:
    partner = world.powers[e.power] if e.power >= 0 else (world.blocs[e.bloc] if e.bloc >= 0 else "")
    return e.type, world.states[e.state], partner


def _label(key: tuple[str, str, str], world: World) -> str:
    kind, state, partner = key
    name = world.state_names[world.states.index(state)]
    if partner in world.powers:
        partner = world.power_names[world.powers.index(partner)]
    return f"{event_label(kind)} {name}" + (f" ({partner})" if partner else "")


def outlook(game: Game, turn: int | None = None, runs: int = DEFAULT_RUNS, seed: int = 0) -> Outlook:
    """The range of outcomes of `turn` (default: the current turn, with the pending moves; an
    adjudicated turn: with its record, and where the game's draw fell)."""
    if not 1 <= runs <= MAX_RUNS:
        raise WorkshopError(f"--runs must be from 1 to {MAX_RUNS} (default {DEFAULT_RUNS}); {runs} was given.")
    if seed < 0:
        raise WorkshopError(f"--seed must be 0 or more; {seed} was given.")
    turn = game.current_turn if turn is None else turn
    if not 1 <= turn <= min(game.current_turn, game.settings.turns):
        raise WorkshopError(
            f"Turn {turn} has no outlook: give a turn from 1 to "
            f"{min(game.current_turn, game.settings.turns)} (the adjudicated ones or the current one)."
        )
    adjudicated = turn <= len(game.turns)
    if adjudicated:
        played = game.turns[turn - 1]
        record = TurnRecord(turn=turn, moves=dict(played.moves), injects=list(played.injects))
    else:
        record = TurnRecord(turn=turn, moves=dict(game.pending), injects=[i for i in game.injects if i.turn == turn])
    first, last = game.steps_of(turn)
    seeds = list(range(seed, seed + runs))
    sim = OutlookSimulation(game, seeds, range(first, last + 1))
    if not adjudicated:  # refuse illegal pending moves as adjudication would, naming them
        before = replay(game, turn - 1)
        _, problems = check_moves(game, situation(game, before.simulation, turn), record.moves)
        if problems:
            raise Refused(
                f"No outlook for turn {turn}: these moves are illegal; the teams concerned must submit "
                f"corrected files:",
                problems,
            )
    rp = replay(game, turn - 1, extra=record, simulation=sim)
    world = sim.world
    seen: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    for e in rp.results[-1].events:
        if e.type not in MINOR:
            seen[_key(e, world)].add(int(e.run))
    happened: set[tuple[str, str, str]] | None = None
    if adjudicated:
        game_events = replay(game, turn).results[-1].events
        happened = {_key(e, world) for e in game_events if e.type not in MINOR}
    outcomes = sorted(
        (
            Outcome(*k, _label(k, world), len(r) / runs, None if happened is None else k in happened)
            for k, r in seen.items()
        ),
        key=lambda o: (-o.probability, o.state, o.type, o.partner),
    )
    surprises = tuple(Outcome(*k, _label(k, world), 0.0, True) for k in sorted((happened or set()) - set(seen)))
    months = f"{world.date_of(first)} to {world.date_of(last)}"
    return Outlook(turn, months, runs, seed, adjudicated, tuple(outcomes), surprises)
