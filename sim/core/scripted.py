"""Scripted events: what a world file, an experiment, a facilitator's inject or a team's move fixes
for a month, applied before the rules (the first phase of every month).

One handler per scriptable event type (sim.core.vocabulary.SCRIPTABLE), registered with `handles`;
an event type the catalogue calls scriptable must have a handler here, and this is checked when the
module is imported.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.core import causes
from sim.core.consequences import complete_withdrawal, deploy_forces, hand_back_power, seize_power, start_withdrawal
from sim.core.context import StepContext
from sim.core.events import ScriptedEvent
from sim.core.vocabulary import SCRIPTABLE, EventType

#: The cause recorded when a scripted event gives none.
DEFAULT_NOTE = "scripted by the scenario"

Handler = Callable[[StepContext, ScriptedEvent, str], None]
HANDLERS: dict[str, Handler] = {}


def handles(*types: EventType) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of these event types."""

    def register(fn: Handler) -> Handler:
        for t in types:
            HANDLERS[t.value] = fn
        return fn

    return register


def _state(ctx: StepContext, ev: ScriptedEvent) -> np.ndarray:
    """The event's state in every run: (S, R) bool."""
    mask = np.zeros(ctx.state.junta.shape, bool)
    mask[ev.state] = True
    return mask


def _tie(ctx: StepContext, ev: ScriptedEvent) -> np.ndarray:
    """The tie between the event's state and power in every run (none without a power): (S, P, R) bool."""
    mask = np.zeros(ctx.state.affinity.shape, bool)
    if ev.power >= 0:
        mask[ev.state, ev.power] = True
    return mask


def _membership(ctx: StepContext, ev: ScriptedEvent) -> np.ndarray:
    """The event's state in the event's bloc in every run: (S, B, R) bool."""
    mask = np.zeros(ctx.state.member.shape, bool)
    mask[ev.state, ev.bloc] = True
    return mask


@handles(EventType.COUP)
def _coup(ctx: StepContext, ev: ScriptedEvent, note: str) -> None:
    where = _state(ctx, ev)
    ctx.add(EventType.COUP, where, "sr", causes.NOTE, words=(note,), scripted=True)
    seize_power(ctx, where)


@handles(EventType.TRANSITION)
def _transition(ctx: StepContext, ev: ScriptedEvent, note: str) -> None:
    where = _state(ctx, ev) & ctx.state.junta  # only a junta can hand power back
    ctx.add(EventType.TRANSITION, where, "sr", causes.NOTE, words=(note,), scripted=True)
    hand_back_power(ctx, where)


@handles(EventType.EXPEL)
def _expel(ctx: StepContext, ev: ScriptedEvent, note: str) -> None:
    tie = _tie(ctx, ev)
    ctx.add(EventType.EXPEL, tie, "spr", causes.NOTE, words=(note,), scripted=True)
    start_withdrawal(ctx, tie & (ctx.state.troops > 0))
    ctx.state.expelled |= tie
    ctx.state.expelled_at = np.where(tie, ctx.state.step, ctx.state.expelled_at)


@handles(EventType.WITHDRAW_COMPLETE)
def _withdraw_complete(ctx: StepContext, ev: ScriptedEvent, note: str) -> None:
    complete_withdrawal(ctx, _tie(ctx, ev) & (ctx.state.troops > 0), scripted=True)


@handles(EventType.INVITE)
def _invite(ctx: StepContext, ev: ScriptedEvent, note: str) -> None:
    tie = _tie(ctx, ev)
    ctx.state.invited |= tie
    ctx.new_invitations |= tie
    ctx.add(EventType.INVITE, tie, "spr", causes.NOTE, words=(note,), scripted=True)


@handles(EventType.DEPLOY)
def _deploy(ctx: StepContext, ev: ScriptedEvent, note: str) -> None:
    deploy_forces(ctx, _tie(ctx, ev), ev.troops or ctx.cfg.hazards.deploy_size, scripted=True)


@handles(EventType.SANCTION, EventType.SANCTION_LIFT, EventType.BLOC_JOIN, EventType.BLOC_LEAVE)
def _bloc_change(ctx: StepContext, ev: ScriptedEvent, note: str) -> None:
    st = ctx.state
    kind = EventType(ev.type)
    target = st.sanctioned if kind in (EventType.SANCTION, EventType.SANCTION_LIFT) else st.member
    on = kind in (EventType.SANCTION, EventType.BLOC_JOIN)
    where = _membership(ctx, ev) & (target != on)  # where it changes nothing (already a member ...) no event
    target[where] = on
    if kind == EventType.SANCTION:
        ctx.new_sanctions |= where
    if kind == EventType.BLOC_LEAVE:
        st.sanctioned[where] = False
    ctx.add(kind, where, "sbr", causes.NOTE, words=(note,), scripted=True)


@handles(EventType.AID_SUSPEND, EventType.AID_RESUME)
def _aid_change(ctx: StepContext, ev: ScriptedEvent, note: str) -> None:
    suspend = ev.type == EventType.AID_SUSPEND
    # a suspension of aid already suspended (say by the rule after a coup this month) is no event
    tie = _tie(ctx, ev) & (ctx.state.aid_suspended != suspend)
    ctx.state.aid_suspended[tie] = suspend
    if suspend:
        ctx.new_suspensions |= tie
    ctx.add(EventType(ev.type), tie, "spr", causes.NOTE, words=(note,), scripted=True)


def apply_scripted(ctx: StepContext) -> None:
    """Events the scenario (or a game) fixes for this month, in their order, before the rules."""
    for ev in ctx.world.scripted:
        if ev.step == ctx.state.step:
            HANDLERS[ev.type](ctx, ev, ev.note or DEFAULT_NOTE)


_missing = set(SCRIPTABLE) ^ set(HANDLERS)
assert not _missing, f"scriptable event types and their handlers differ: {sorted(_missing)}"
