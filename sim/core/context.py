"""What the phases of one month share: the state, the world, the configuration, the month's
random numbers, the events recorded so far, and what earlier phases of the month decided."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from sim.core.events import Event
from sim.core.params import Config
from sim.core.players import player_masks
from sim.core.state import SimState
from sim.core.vocabulary import EventType
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
    events: list[Event] = field(default_factory=list)
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
        cause: Callable[[tuple], str],
        scripted: bool = False,
        **fixed: int,
    ) -> None:
        """Record one event per True entry of mask; axes names its dimensions, e.g. 'spr'."""
        hits = np.nonzero(mask)
        if not hits[0].size:
            return
        cols = [h.tolist() for h in hits]
        runs = self.run_ids[hits[axes.index("r")]].tolist()
        none = [-1] * len(runs)

        def column(axis: str) -> list[int]:
            if axis in axes:
                return cols[axes.index(axis)]
            return [fixed[axis]] * len(runs) if axis in fixed else none

        step, kind = self.state.step, etype.value
        for idx, run, s, p, b, k in zip(
            zip(*cols, strict=True), runs, column("s"), column("p"), column("b"), column("k"), strict=True
        ):
            self.events.append(
                Event(
                    run=run, step=step, type=kind, state=s, power=p, bloc=b, base=k, scripted=scripted, cause=cause(idx)
                )
            )
