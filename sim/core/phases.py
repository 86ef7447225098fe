"""One month of the model as a list of named phases calling the rules.

Every driver steps its runs through `advance` (via sim.core.simulation), so the rules are written
once. Phases read and write the SimState in place and record Events, each with the cause that drove
it. The first phase applies the month's scripted events (sim.core.scripted); the consequences that
rules and scripted events share are in sim.core.consequences.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.core.consequences import complete_withdrawal, deploy_forces, hand_back_power, seize_power, start_withdrawal
from sim.core.context import StepContext
from sim.core.events import Event
from sim.core.explain import explain_hazard, explain_turn
from sim.core.params import Config
from sim.core.rules import alignment, hazards, incentives, insurgency, policy
from sim.core.rules.common import neighbour_mean
from sim.core.scripted import apply_scripted
from sim.core.state import SimState
from sim.core.vocabulary import TERMS, EventType
from sim.core.world import World


def allocate_budgets(ctx: StepContext) -> None:
    """Each power spreads its security, economic and information budgets by its policy."""
    st, w, pc, hz = ctx.state, ctx.world, ctx.cfg.policy, ctx.cfg.hazards
    price = policy.influence_price(st.affinity, w.population_m, w.gdp_usd_bn, pc.gdp_cost_exponent)
    opinion_price = policy.influence_price(st.opinion, w.population_m, w.gdp_usd_bn, pc.gdp_cost_exponent)
    open_door = ~st.expelled & (st.affinity > hz.expel_threshold)
    budget = ctx.budgets()
    current = (st.aid_security_usd_m, st.aid_economic_usd_m, st.info_ops_usd_m)
    eligible = (open_door & ~st.aid_suspended, ~st.aid_suspended, np.ones_like(open_door))
    scores = (price, price, opinion_price)
    start = (w.aid_security_usd_m, w.aid_economic_usd_m, np.zeros_like(w.aid_economic_usd_m))
    kind = np.array(ctx.policies)[None, :, None]
    new = []
    for c in range(3):
        heuristic = policy.softmax_allocation(scores[c], eligible[c], budget[:, c], pc.temperature)
        fixed = start[c][:, :, None] * eligible[c]
        scripted = ctx.targets[:, :, c] if ctx.targets is not None else fixed
        target = np.where(kind == "heuristic", heuristic, np.where(kind == "fixed", fixed, scripted))
        new.append(np.where(kind == "heuristic", policy.adjust(current[c], target, pc.adjustment), target))
    st.aid_security_usd_m, st.aid_economic_usd_m, st.info_ops_usd_m = new


def spread_insurgency(ctx: StepContext) -> None:
    """Insurgent groups grow, spill over borders and are suppressed by local and foreign forces."""
    st, w, ef, ic = ctx.state, ctx.world, ctx.cfg.effects, ctx.cfg.insurgency
    ctx.help_sp = insurgency.security_help(st.troops, st.aid_security_usd_m * ~st.aid_suspended, ctx.pw("overstretch"),
                                           ef.troop_scale, ef.security_aid_scale_usd_m)
    help_total = ctx.help_sp.sum(axis=1)
    st.insurgency = insurgency.insurgency_step(
        st.insurgency, w.neighbours, w.neighbour_mask, w.capacity, help_total,
        ic.growth, ic.spread, ic.suppression, ic.noise, ctx.draws["insurgency_noise"])
    st.threat = insurgency.threat(st.insurgency)


def score_incentives(ctx: StepContext) -> None:
    """Each government scores each power on the named terms with its regime's weights."""
    st, w, ef = ctx.state, ctx.world, ctx.cfg.effects
    presence = ctx.present().astype(float)
    capability = incentives.power_capability(ctx.budgets()[:, 0], ctx.pw("overstretch"),
                                             ef.security_budget_scale_usd_m)
    visible = incentives.visibility(st.troops, ef.visibility_base, ef.visibility_troop_scale)
    terms = np.stack([
        incentives.security_value(st.threat, ctx.help_sp, capability, ef.potential_weight),
        incentives.economic_value(st.aid_economic_usd_m, st.aid_suspended, w.gdp_usd_bn, w.trade,
                                  ef.aid_gdp_scale, ef.trade_weight),
        incentives.regime_protection_value(ctx.pw("regime_protection"), ctx.pw("overstretch"), presence),
        incentives.sovereignty_cost(ctx.pw("colonial_baggage"), visible, w.nationalism),
        incentives.conditionality_cost(ctx.pw("conditionality"), st.junta.astype(float), st.aid_suspended),
        incentives.peer_pressure(st.affinity, st.junta, w.neighbours, w.neighbour_mask, st.member,
                                 ef.neighbour_peer_share, ef.cross_regime_peer),
        st.opinion,
    ])
    inc = ctx.cfg.incentives
    # a weight is a number, or an array (R,) when it varies from run to run
    civ = np.stack(np.broadcast_arrays(*[np.asarray(getattr(inc.civilian, t), dtype=float) for t in TERMS]))
    jun = np.stack(np.broadcast_arrays(*[np.asarray(getattr(inc.junta, t), dtype=float) for t in TERMS]))
    weights = incentives.weights_by_regime(civ, jun, st.junta)
    st.contributions, st.utility = incentives.utility(terms, weights)
    ctx.visible = visible


def update_alignment(ctx: StepContext) -> None:
    """Affinity moves towards the bounded response to relative utility; opinion drifts."""
    st, w, al = ctx.state, ctx.world, ctx.cfg.alignment
    target = alignment.affinity_target(st.utility, al.rationality)
    st.affinity = alignment.update_affinity(st.affinity, target, al.inertia, al.noise, ctx.draws["affinity_noise"])
    sov = incentives.sovereignty_cost(ctx.pw("colonial_baggage"), ctx.visible, w.nationalism)
    op_target = alignment.opinion_target(st.info_ops_usd_m, ctx.present().astype(float), st.threat, sov,
                                         al.info_ops_effect, al.info_ops_scale_usd_m, al.blame, al.resentment)
    st.opinion = alignment.update_opinion(st.opinion, op_target, al.opinion_drift, al.opinion_noise,
                                          ctx.draws["opinion_noise"])


def regime_events(ctx: StepContext) -> None:
    """Coups (and counter-coups) and transitions to civilian rule."""
    st, w, hz = ctx.state, ctx.world, ctx.cfg.hazards
    recent = (st.months_since_coup < hz.coup_contagion_months).astype(float)
    recent_share = neighbour_mean(recent, w.neighbours, w.neighbour_mask)
    protect = (ctx.pw("regime_protection") * (1 - ctx.pw("overstretch")) * ctx.present()).max(axis=1)
    args = (st.threat, st.legitimacy, recent_share, protect)
    weights = (hz.coup_insurgency, hz.coup_illegitimacy, hz.coup_contagion, hz.coup_protection)
    p_coup = hazards.coup_probability(*args, st.junta, hz.coup_base, *weights, hz.coup_junta_factor)
    coup = ctx.draws["coup"] < p_coup
    factors = hazards.coup_factors(*args, *weights)
    ctx.add(EventType.COUP, coup, "sr", lambda i: ("counter-coup against the junta: " if st.junta[i] else "")
            + explain_hazard(float(p_coup[i]), {k: float(v[i]) for k, v in factors.items()}))
    p_trans = hazards.transition_probability(st.junta & ~coup, st.months_since_coup, st.sanctioned.any(axis=1),
                                             hz.transition_base, hz.transition_min_months,
                                             hz.transition_sanction_factor)
    trans = ctx.rules_decide(ctx.draws["transition"] < p_trans, "sr", "s")
    ctx.add(EventType.TRANSITION, trans, "sr",
            lambda i: f"the junta hands power to civilians after {int(st.months_since_coup[i])} months "
                      f"({'under sanctions, ' if st.sanctioned[i[0], :, i[1]].any() else ''}"
                      f"monthly chance {float(p_trans[i]):.1%})")
    seize_power(ctx, coup)
    hand_back_power(ctx, trans)


def alignment_decisions(ctx: StepContext) -> None:
    """Expulsions of estranged powers' forces; invitations of favoured powers and their deployments."""
    st, w, hz = ctx.state, ctx.world, ctx.cfg.hazards
    present = ctx.present()
    withdrawing = st.withdraw_left > 0
    expel = ctx.rules_decide(hazards.expel_decision(st.affinity, present, withdrawing, hz.expel_threshold,
                                                    hz.expel_rate, ctx.draws["expel"]), "spr", "s")
    ctx.add(EventType.EXPEL, expel, "spr", lambda i: f"{w.state_names[i[0]]} orders out {w.power_names[i[1]]} forces: "
            + explain_turn(True, st.contributions[:, i[0], :, i[2]], i[1], float(st.affinity[i])))
    start_withdrawal(ctx, expel)
    available = ctx.pw("troops_deployable") - st.troops.sum(axis=0)
    can_send = (available >= hz.deploy_size)[None]  # governments invite powers that have troops to send
    more = hazards.reinforcement_open(st.troops, withdrawing | expel, hz.reinforce_below)
    invite = hazards.invite_decision(st.affinity, (present & ~more) | ~can_send, st.invited, hz.invite_threshold,
                                     hz.invite_rate, ctx.draws["invite"])
    invite = ctx.rules_decide(invite, "spr", "s")
    st.invited |= invite
    ctx.add(EventType.INVITE, invite, "spr", lambda i: (
        f"{w.state_names[i[0]]} asks {w.power_names[i[1]]} for more forces ({st.troops[i]:.0f} there): "
        if more[i] else f"{w.state_names[i[0]]} invites {w.power_names[i[1]]} forces: ")
        + explain_turn(False, st.contributions[:, i[0], :, i[2]], i[1], float(st.affinity[i])))
    # an invitation lapses when the government cools again
    st.invited &= (st.affinity > hz.expel_threshold) | ctx.new_invitations
    deploy = ctx.rules_decide(hazards.deploy_decision(st.invited, available, hz.deploy_size, hz.deploy_rate,
                                                      ctx.draws["deploy"]), "spr", "p")
    # one deployment per power per month, to the state that invited it and likes it most
    ranked = np.where(deploy, st.affinity, -np.inf)
    first = (ranked == ranked.max(axis=0, keepdims=True)) & deploy
    first &= np.cumsum(first, axis=0) == 1
    deploy_forces(ctx, first, hz.deploy_size, scripted=False)


def withdrawals_and_bases(ctx: StepContext) -> None:
    """Withdrawals progress; completed ones hand bases over; co-located rivals risk incidents."""
    st, w, hz = ctx.state, ctx.world, ctx.cfg.hazards
    st.troops, st.withdraw_left, done = hazards.withdrawal_step(st.troops, st.withdraw_left)
    complete_withdrawal(ctx, done, scripted=False)
    R = st.troops.shape[-1]
    runs = np.arange(R)
    for k in range(len(w.base_names)):
        s, owner, tenant = w.base_state[k], st.base_owner[k], st.base_co_tenant[k]
        valid = (owner >= 0) & (tenant >= 0)
        o, t = np.maximum(owner, 0), np.maximum(tenant, 0)
        p_inc = np.where(valid, hazards.incident_probability(st.troops[s, o, runs], st.troops[s, t, runs],
                                                             w.rivalry[o, t], hz.incident_base), 0.0)
        hit = ctx.draws["incident"][k] < p_inc
        for r in runs[hit]:
            ctx.events.append(Event(
                run=int(ctx.run_ids[r]), step=st.step, type=EventType.INCIDENT.value, state=int(s),
                power=int(t[r]), base=k,
                cause=f"incident between {w.power_names[o[r]]} and {w.power_names[t[r]]} forces sharing "
                      f"{w.base_names[k]} (rivalry {w.rivalry[o[r], t[r]]:.1f}, monthly risk {p_inc[r]:.1%})"))


def bloc_events(ctx: StepContext) -> None:
    """Sanctions lifted over time; juntas leave sanctioning blocs and join the alliance of juntas;
    civilian governments leave that alliance; suspended aid may resume."""
    st, w, hz = ctx.state, ctx.world, ctx.cfg.hazards
    names = w.state_names
    lift = ctx.rules_decide(ctx.draws["sanction_lift"] < hazards.sanction_lift_probability(
        st.sanctioned & ~ctx.new_sanctions, st.junta, hz.sanction_lift), "sbr", "b")
    st.sanctioned &= ~lift
    ctx.add(EventType.SANCTION_LIFT, lift, "sbr", lambda i: f"{w.bloc_names[i[1]]} lifts sanctions on {names[i[0]]}")
    resume = ctx.rules_decide(ctx.draws["aid_resume"] < hazards.aid_resume_probability(
        st.aid_suspended & ~ctx.new_suspensions, st.junta, ctx.pw("conditionality"), hz.aid_resume), "spr", "p")
    st.aid_suspended &= ~resume
    ctx.add(EventType.AID_RESUME, resume, "spr",
            lambda i: f"{w.power_names[i[1]]} resumes aid to "
                      + (f"the junta in {names[i[0]]}" if st.junta[i[0], i[2]]
                         else f"the civilian government of {names[i[0]]}"))
    alliance = w.bloc_mutual_defence
    in_alliance = (st.member & alliance[None, :, None]).any(axis=1)
    p_leave = hazards.bloc_leave_probability(st.member, st.sanctioned, st.junta, in_alliance,
                                             w.bloc_sanctions_coups, hz.bloc_leave)
    p_leave = np.where(st.member & alliance[None, :, None] & ~st.junta[:, None, :], hz.alliance_leave, p_leave)
    leave = ctx.rules_decide(ctx.draws["bloc"] < p_leave, "sbr", "s")
    st.member &= ~leave
    st.sanctioned &= ~leave
    ctx.add(EventType.BLOC_LEAVE, leave, "sbr", lambda i: (
        f"{names[i[0]]} leaves {w.bloc_names[i[1]]}: "
        + ("a civilian government quits the alliance of juntas" if alliance[i[1]]
           else "a junta under sanctions or with allies elsewhere breaks away")))
    junta_share = neighbour_mean(st.junta.astype(float), w.neighbours, w.neighbour_mask)
    for b in np.nonzero(alliance)[0]:
        mb = st.member[:, b, :].astype(float)
        # an alliance with no member left (or none yet) can be founded by juntas next to juntas
        empty = ~st.member[:, b, :].any(axis=0)  # (R,)
        share = hazards.alliance_pull(neighbour_mean(mb, w.neighbours, w.neighbour_mask), junta_share, empty)
        p_join = hazards.alliance_join_probability(st.member[:, b, :], st.junta, share, hz.bloc_join)
        # the same draw decides leaving and joining; a state cannot do both (members cannot join)
        join = ctx.rules_decide((ctx.draws["bloc"][:, b, :] < p_join) & ~leave[:, b, :], "sr", "s")
        st.member[:, b, :] |= join
        ctx.add(EventType.BLOC_JOIN, join, "sr", lambda i, b=b, share=share, empty=empty: (
            f"{names[i[0]]} founds {w.bloc_names[b]}: {share[i]:.0%} of its neighbours are under juntas"
            if empty[i[1]] else f"{names[i[0]]} joins {w.bloc_names[b]}: {share[i]:.0%} of its neighbours are members"),
            b=int(b))


def update_legitimacy(ctx: StepContext) -> None:
    """Legitimacy drifts with the threat and sanctions; regime clocks advance."""
    st, hz = ctx.state, ctx.cfg.hazards
    w = ctx.world
    st.legitimacy = hazards.legitimacy_step(st.legitimacy, w.legitimacy, st.threat, w.threat,
                                            st.sanctioned.any(axis=1), w.sanctioned.any(axis=1).astype(float),
                                            hz.legitimacy_drift, hz.legitimacy_threat, hz.legitimacy_sanction,
                                            hz.legitimacy_noise, ctx.draws["legitimacy_noise"])
    st.months_since_coup = st.months_since_coup + 1


PHASES: tuple[Callable[[StepContext], None], ...] = (
    apply_scripted,
    allocate_budgets,
    spread_insurgency,
    score_incentives,
    update_alignment,
    regime_events,
    alignment_decisions,
    withdrawals_and_bases,
    bloc_events,
    update_legitimacy,
)


def advance(state: SimState, world: World, cfg: Config, draws: dict[str, np.ndarray], run_ids: np.ndarray,
            policies: list[str], targets: np.ndarray | None = None) -> list[Event]:
    """Advance every run by one month; returns the month's events (the state changes in place)."""
    state.step += 1
    ctx = StepContext(state=state, world=world, cfg=cfg, draws=draws, run_ids=run_ids, policies=policies,
                      targets=targets)
    for phase in PHASES:
        phase(ctx)
    return ctx.events
