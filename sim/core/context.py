"""What the phases of one month share: the state, the world, the configuration, the month's
random numbers, the events recorded so far, and what earlier phases of the month decided."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from sim.core.causes import Cause
from sim.core.events import EventChunk, EventLog
from sim.core.params import Config
from sim.core.players import player_masks
from sim.core.state import SimState
from sim.core.vocabulary import EVENT_TYPES, EventType
from sim.core.world import World


@dataclass
class StepContext:
    """What the phases of one month share."""

    state: SimState
    world: World
    cfg: Config
    draws: dict[str, np.ndarray]  # this month's random numbers, (*shape, R)
    run_ids: np.ndarray  # (R,) run id of each column
    policies: list[str]  # policy of each power
    targets: np.ndarray | None = None  # (S, P, 3, R) allocations for 'scripted' powers
    events: EventLog = field(init=False)  # the month's events, in the order they happen
    help_sp: np.ndarray | None = None
    visible: np.ndarray | None = None  # (S, P, R) visibility of each power's presence
    # sanctions and aid suspensions imposed this month: never lifted in the month they begin
    new_sanctions: np.ndarray | None = None  # (S, B, R)
    new_suspensions: np.ndarray | None = None  # (S, P, R)
    new_invitations: np.ndarray | None = None  # (S, P, R): not lapsed in the month they are made
    # governments that changed this month (coup, transition, election): no coup attempt against them yet
    regime_changed: np.ndarray | None = None  # (S, R)
    # actors whose decisions players make (Config.players): no rule decides for them
    player_state: np.ndarray | None = None  # (S,)
    player_bloc: np.ndarray | None = None  # (B,)
    player_power: np.ndarray | None = None  # (P,)
    # pending dated commitments (sim.core.phases.keep_commitments): the rules' own hazard does not also fire
    timetabled: np.ndarray | None = None  # (S, R): the junta in power has an election pending
    exit_pending: np.ndarray | None = None  # (S, B, R): the state has notified its exit from the bloc
    drawdown_pending: np.ndarray | None = None  # (S, P, R): the power has announced a drawdown of these forces

    def __post_init__(self) -> None:
        self.events = EventLog(self.world)
        self.timetabled = np.zeros(self.state.junta.shape, bool)
        self.exit_pending = np.zeros(self.state.member.shape, bool)
        self.drawdown_pending = np.zeros(self.state.troops.shape, bool)
        self.new_sanctions = np.zeros(self.state.sanctioned.shape, bool)
        self.new_suspensions = np.zeros(self.state.aid_suspended.shape, bool)
        self.new_invitations = np.zeros(self.state.invited.shape, bool)
        self.regime_changed = np.zeros(self.state.junta.shape, bool)
        self.player_state, self.player_bloc, self.player_power = player_masks(self.cfg.players, self.world)

    def rules_decide(self, mask: np.ndarray, axes: str, by: str) -> np.ndarray:
        """mask without the decisions that belong to players: axes names mask's dimensions (e.g. 'spr'),
        by the axis of the actor who decides ('s' a government, 'b' a bloc, 'p' a power)."""
        players = {"s": self.player_state, "b": self.player_bloc, "p": self.player_power}[by]
        if not players.any():
            return mask
        shape = [1] * mask.ndim
        shape[axes.index(by)] = players.size
        return mask & ~players.reshape(shape)

    def present(self) -> np.ndarray:
        """Where each power has forces: (S, P, R) bool."""
        return self.state.troops > 0

    # power attributes shaped to broadcast against (S, P, R): (P, 1), or (P, R) when a sweep
    # gives each run its own value (sim.core.per_run.with_run_knobs)
    def pw(self, name: str) -> np.ndarray:
        a = getattr(self.world, name)
        return a[:, None] if a.ndim == 1 else a

    def pw_at(self, name: str, p: int, r: int) -> float:
        """One power's attribute in one run (column r of the batch)."""
        a = getattr(self.world, name)
        return float(a[p] if a.ndim == 1 else a[p, r])

    def protection(self) -> np.ndarray:
        """The regime protection each power offers each government: its general willingness, or its defence
        pact with that state if stronger, (S, P, 1) or (S, P, R)."""
        return np.maximum(self.pw("regime_protection")[None], self.world.defence_pact[:, :, None])

    def budgets(self) -> np.ndarray:
        """Monthly budgets by channel, (P, 3, 1) or (P, 3, R)."""
        b = self.world.budget_usd_m
        return b[:, :, None] if b.ndim == 2 else b

    def add(
        self,
        etype: EventType,
        mask: np.ndarray,
        axes: str,
        cause: Cause,
        values: Sequence[np.ndarray | float | Callable[[tuple], np.ndarray]] = (),
        words: tuple[str, ...] = (),
        scripted: bool = False,
        **fixed: int | np.ndarray,
    ) -> None:
        """Record one event per True entry of mask; axes names its dimensions, e.g. 'spr'. The cause
        is a kind from sim.core.causes, written out only when asked: values are the numbers its
        template quotes, each an array broadcast against mask (read where mask is True) or a function
        of the hits (np.nonzero(mask)) giving one row per event; words are shared by all the events.
        fixed gives an index the mask has no axis for (s, p, b or k): a number, or an array
        broadcast against mask."""
        if not mask.any():  # most rules fire nowhere in most months
            return
        # np.nonzero's order (C order), 20 times faster than np.nonzero on an (S, P, R) mask
        hits = np.unravel_index(np.flatnonzero(mask), mask.shape)
        n = hits[0].size

        def column(axis: str) -> np.ndarray:
            if axis in axes:
                return hits[axes.index(axis)].astype(np.int64)
            if axis not in fixed:
                return np.full(n, -1, np.int64)
            f = fixed[axis]
            if np.ndim(f) == 0:
                return np.full(n, int(f), np.int64)
            return np.broadcast_to(f, mask.shape)[hits].astype(np.int64)

        parts = [
            np.asarray(v(hits), dtype=np.float64).reshape(n, -1)
            if callable(v)
            else np.broadcast_to(np.asarray(v, dtype=np.float64), mask.shape)[hits].reshape(n, 1)
            for v in values
        ]
        chunk = EventChunk(
            step=self.state.step,
            type=_TYPE_INDEX[etype],
            cause=cause.code,
            scripted=scripted,
            run=self.run_ids[hits[axes.index("r")]].astype(np.int64),
            state=column("s"),
            power=column("p"),
            bloc=column("b"),
            base=column("k"),
            values=np.concatenate(parts, axis=1) if parts else np.zeros((n, 0)),
            words=words,
        )
        self.events.extend([chunk])


_TYPE_INDEX: dict[str, int] = {t: i for i, t in enumerate(EVENT_TYPES)}
