"""Consequences shared by the rules' phases and by scripted events: a coup's junta, sanctions and
aid suspensions; a transition's return to civilian rule; leaving a bloc; the start and end of a withdrawal with the
handover of its bases; a deployment taking over or sharing bases."""

from __future__ import annotations

import numpy as np

from sim.core import causes
from sim.core.context import StepContext
from sim.core.vocabulary import EventType


def seize_power(ctx: StepContext, mask: np.ndarray) -> None:
    """Consequences of coups in `mask` (S, R): a junta, sanctions by blocs, aid suspensions."""
    st, w, hz = ctx.state, ctx.world, ctx.cfg.hazards
    st.junta |= mask
    ctx.regime_changed |= mask
    st.regime_since = np.where(mask, st.step, st.regime_since)
    # -1 now, 0 once the month closes: a coup's own month counts as month 0, as in world files
    st.months_since_coup = np.where(mask, -1, st.months_since_coup)
    st.legitimacy = np.where(mask, hz.coup_legitimacy, st.legitimacy)
    sanction = ctx.rules_decide(
        mask[:, None, :]
        & st.member
        & w.bloc_sanctions_coups[None, :, None]
        & ~st.sanctioned
        & (ctx.draws["sanction"] < hz.sanction_on_coup),
        "sbr",
        "b",
    )
    st.sanctioned |= sanction
    ctx.new_sanctions |= sanction
    ctx.add(EventType.SANCTION, sanction, "sbr", causes.SANCTION_AFTER_COUP)
    cond = ctx.pw("conditionality")
    suspend = ctx.rules_decide(
        mask[:, None, :] & ~st.aid_suspended & (cond > 0) & (ctx.draws["aid_suspend"] < cond), "spr", "p"
    )
    st.aid_suspended |= suspend
    ctx.new_suspensions |= suspend
    ctx.add(EventType.AID_SUSPEND, suspend, "spr", causes.AID_SUSPEND_AFTER_COUP, values=(cond,))


def hand_back_power(ctx: StepContext, mask: np.ndarray) -> None:
    """Consequences of transitions in `mask` (S, R): civilians, sanctions lifted, aid resumed."""
    st, hz = ctx.state, ctx.cfg.hazards
    st.junta &= ~mask
    ctx.regime_changed |= mask
    st.regime_since = np.where(mask, st.step, st.regime_since)
    st.legitimacy = np.where(mask, hz.transition_legitimacy, st.legitimacy)
    lift = ctx.rules_decide(mask[:, None, :] & st.sanctioned, "sbr", "b")
    st.sanctioned &= ~lift
    ctx.add(EventType.SANCTION_LIFT, lift, "sbr", causes.SANCTION_LIFT_CIVILIAN)
    resume = ctx.rules_decide(mask[:, None, :] & st.aid_suspended, "spr", "p")
    st.aid_suspended &= ~resume
    ctx.add(EventType.AID_RESUME, resume, "spr", causes.AID_RESUME_CIVILIAN)


def leave_bloc(ctx: StepContext, mask: np.ndarray) -> None:
    """Consequences of leaving blocs where `mask` (S, B, R): membership and that bloc's sanctions end."""
    ctx.state.member &= ~mask
    ctx.state.sanctioned &= ~mask


def start_withdrawal(ctx: StepContext, mask: np.ndarray) -> None:
    """Forces in `mask` start to leave (a withdrawal already under way keeps its clock)."""
    st = ctx.state
    start = mask & (st.withdraw_left == 0)
    st.withdraw_left = np.where(start, ctx.cfg.hazards.withdrawal_months, st.withdraw_left)
    st.expelled |= mask
    st.expelled_at = np.where(mask, st.step, st.expelled_at)
    st.invited &= ~mask


def complete_withdrawal(ctx: StepContext, done: np.ndarray, scripted: bool) -> None:
    """Forces in `done` (S, P, R) are gone; their bases pass to a co-located rival (the Niamey
    case) or back to the host."""
    st, w = ctx.state, ctx.world
    st.troops = np.where(done, 0.0, st.troops)
    st.withdraw_left = np.where(done, 0, st.withdraw_left)
    ctx.add(EventType.WITHDRAW_COMPLETE, done, "spr", causes.WITHDRAW_COMPLETE, scripted=scripted)
    runs = np.arange(done.shape[-1])
    for k in range(len(w.base_names)):
        s = w.base_state[k]
        owner, tenant = st.base_owner[k].copy(), st.base_co_tenant[k]
        gone_owner = (owner >= 0) & done[s, np.maximum(owner, 0), runs]
        gone_tenant = (tenant >= 0) & done[s, np.maximum(tenant, 0), runs]
        tenant = np.where(gone_tenant, -1, tenant)
        # the co-located rival takes over if its forces are there (the Niamey case); else the host
        tenant_there = (tenant >= 0) & (st.troops[s, np.maximum(tenant, 0), runs] > 0)
        successor = np.where(tenant_there, tenant, -1)
        st.base_owner[k] = np.where(gone_owner, successor, owner)
        st.base_co_tenant[k] = np.where(gone_owner, -1, tenant)
        ctx.add(
            EventType.BASE_HANDOVER,
            gone_owner,
            "r",
            causes.BASE_LEFT,
            values=(owner, successor),
            scripted=scripted,
            s=int(s),
            p=np.where(successor >= 0, successor, owner),
            k=k,
        )


def deploy_forces(ctx: StepContext, mask: np.ndarray, troops: float | np.ndarray, scripted: bool) -> None:
    """Forces arrive where `mask` (S, P, R) and take over the bases held by the host and share those
    still held by a rival (co-location). A deployment by rule to a state where the power already
    has forces (a reinforcement) joins them and leaves the bases as they are; a scripted one (the
    scenario's, an experiment's, a workshop team's, e.g. a proposal for a base) acts on the bases
    whether or not the power is there already."""
    st, w = ctx.state, ctx.world
    newcomers = mask if scripted else mask & (st.troops <= 0)
    st.troops = np.where(mask, st.troops + troops, st.troops)
    st.invited &= ~mask
    st.expelled &= ~mask
    st.withdraw_left = np.where(mask, 0, st.withdraw_left)
    ctx.add(EventType.DEPLOY, mask, "spr", causes.DEPLOY, values=(troops,), scripted=scripted)
    for k in range(len(w.base_names)):
        s = w.base_state[k]
        arriving = newcomers[s]  # (P, R)
        if not arriving.any():
            continue
        newcomer = np.argmax(arriving, axis=0)
        any_arrival = arriving.any(axis=0)
        owner = st.base_owner[k]
        take = any_arrival & (owner < 0)
        share = any_arrival & (owner >= 0) & (owner != newcomer) & (st.base_co_tenant[k] < 0)
        st.base_owner[k] = np.where(take, newcomer, owner)
        st.base_co_tenant[k] = np.where(share, newcomer, st.base_co_tenant[k])
        ctx.add(EventType.BASE_HANDOVER, take, "r", causes.BASE_TAKEN, scripted=scripted, s=int(s), p=newcomer, k=k)
