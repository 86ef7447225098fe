"""One month of the model as a list of named phases calling the rules.

Every driver steps its runs through `advance` (via sim.core.simulation), so the rules are written
once. Phases read and write the SimState in place and record events (StepContext.add), each with
the kind of cause that drove it (sim.core.causes) and the numbers its text quotes. The first phase
applies the month's scripted events (sim.core.scripted); the consequences that rules and scripted
events share are in sim.core.consequences.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.core import causes
from sim.core import commitments as cm
from sim.core.consequences import (
    complete_withdrawal,
    deploy_forces,
    hand_back_power,
    leave_bloc,
    seize_power,
    start_withdrawal,
)
from sim.core.context import StepContext
from sim.core.events import EventLog
from sim.core.params import Config
from sim.core.rules import alignment, hazards, incentives, insurgency, policy, posture
from sim.core.rules.common import neighbour_mean
from sim.core.scripted import apply_scripted
from sim.core.state import SimState
from sim.core.vocabulary import TERMS, EventType
from sim.core.world import World


def allocate_budgets(ctx: StepContext) -> None:
    """Each power spreads its security, economic and information budgets by its policy (sim.core.rules.policy)."""
    st, w, pc, hz = ctx.state, ctx.world, ctx.cfg.policy, ctx.cfg.hazards
    price = policy.influence_price(
        affinity=st.affinity,
        population_m=w.population_m,
        gdp_usd_bn=w.gdp_usd_bn,
        gdp_cost_exponent=pc.gdp_cost_exponent,
        loyalty=pc.loyalty,
    )
    opinion_price = policy.influence_price(
        affinity=st.opinion,
        population_m=w.population_m,
        gdp_usd_bn=w.gdp_usd_bn,
        gdp_cost_exponent=pc.gdp_cost_exponent,
    )
    open_door = ~st.expelled & (st.affinity > hz.expel_threshold)
    budget = ctx.budgets()
    current = (st.aid_security_usd_m, st.aid_economic_usd_m, st.info_ops_usd_m)
    eligible = (open_door & ~st.aid_suspended, ~st.aid_suspended, np.ones_like(open_door))
    # money buys little where a rival's forces guard the regime (Wagner in Bangui)
    guarded = 1.0 - pc.rival_deterrence * policy.rival_guard(
        protection=ctx.pw("regime_protection"), present=ctx.present(), rivalry=w.rivalry
    )
    scores = (price * guarded, price * guarded, opinion_price)
    start = (w.aid_security_usd_m, w.aid_economic_usd_m, np.zeros_like(w.aid_economic_usd_m))
    kind = np.array(ctx.policies)[None, :, None]
    new = []
    for c in range(3):
        heuristic = policy.programme_plus_allocation(
            programmes=pc.programme_share * start[c],
            eligible=eligible[c],
            score=scores[c],
            budget=budget[:, c],
            temperature=pc.temperature,
        )
        fixed = start[c][:, :, None] * eligible[c]
        scripted = ctx.targets[:, :, c] if ctx.targets is not None else fixed
        target = np.where(kind == "heuristic", heuristic, np.where(kind == "fixed", fixed, scripted))
        new.append(
            np.where(kind == "heuristic", policy.adjust(current=current[c], target=target, rate=pc.adjustment), target)
        )
    st.aid_security_usd_m, st.aid_economic_usd_m, st.info_ops_usd_m = new


def spread_insurgency(ctx: StepContext) -> None:
    """Insurgent groups grow, spill over borders and are suppressed by local and foreign forces."""
    st, w, ef, ic = ctx.state, ctx.world, ctx.cfg.effects, ctx.cfg.insurgency
    ctx.help_sp = insurgency.security_help(
        troops=st.troops,
        aid_security_usd_m=st.aid_security_usd_m * ~st.aid_suspended,
        overstretch=st.overstretch,
        troop_scale=ef.troop_scale,
        aid_scale_usd_m=ef.security_aid_scale_usd_m,
    )
    help_total = ctx.help_sp.sum(axis=1)
    st.insurgency = insurgency.insurgency_step(
        intensity=st.insurgency,
        neighbours=w.neighbours,
        mask=w.neighbour_mask,
        capacity=w.capacity,
        help_total=help_total,
        growth=ic.growth,
        group_growth=w.group_growth,
        spread=ic.spread,
        suppression=ic.suppression,
        noise=ic.noise,
        shock=ctx.draws["insurgency_noise"],
    )
    st.threat = insurgency.threat(st.insurgency)


def score_incentives(ctx: StepContext) -> None:
    """Each government scores each power on the named terms with its regime's weights."""
    st, w, ef = ctx.state, ctx.world, ctx.cfg.effects
    presence = ctx.present().astype(float)
    capability = incentives.power_capability(
        budget_security_usd_m=ctx.budgets()[:, 0],
        overstretch=st.overstretch,
        scale_usd_m=ef.security_budget_scale_usd_m,
    )
    visible = incentives.visibility(troops=st.troops, base=ef.visibility_base, troop_scale=ef.visibility_troop_scale)
    security = incentives.security_value(
        threat=st.threat,
        help_sp=ctx.help_sp,
        capability=capability,
        potential_weight=ef.potential_weight,
        remote=ctx.pw("remote_security"),
    )
    if np.any(np.asarray(ef.host_cost_weight) != 0):  # off by default (0): the security term as before, bit for bit
        # the offer net of its price where the host pays for the forces (Wagner, Africa Corps)
        security = security - ef.host_cost_weight * incentives.host_security_cost(
            price_usd_m=ctx.pw("host_price_usd_m"),
            troops=st.troops,
            contract_troops=ef.host_contract_troops,
            gdp_usd_bn=w.gdp_usd_bn,
            gdp_scale=ef.host_cost_gdp_scale,
            threat=st.threat,
            need_relief=ef.host_cost_need_relief,
            at_war=w.at_war if ef.host_cost_need_war else None,
            guard=w.defence_pact if ef.host_cost_need_guard else None,
            threat_full_need=ef.host_cost_threat_full_need,
        )
    terms = np.stack(
        [
            security,
            incentives.economic_value(
                aid_economic_usd_m=st.aid_economic_usd_m,
                aid_suspended=st.aid_suspended,
                gdp_usd_bn=w.gdp_usd_bn,
                trade=w.trade,
                aid_gdp_scale=ef.aid_gdp_scale,
                aid_weight=ef.aid_weight,
                trade_weight=ef.trade_weight,
                trade_share_scale=ef.trade_share_scale,
            ),
            incentives.regime_protection_value(
                protection=ctx.protection(),
                overstretch=st.overstretch,
                presence=presence,
                absent_share=ef.protection_absent_share,
            ),
            incentives.sovereignty_cost(baggage=ctx.pw("colonial_baggage"), visible=visible, nationalism=w.nationalism),
            incentives.conditionality_cost(
                conditionality=ctx.pw("conditionality"),
                junta=st.junta.astype(float),
                aid_suspended=st.aid_suspended,
                pact=w.defence_pact,
                pact_relief=ef.conditionality_pact_relief,
                months_since_coup=st.months_since_coup,
                halflife_months=ef.conditionality_halflife_months,
                expelled=st.expelled,
            ),
            incentives.peer_pressure(
                affinity=st.affinity,
                junta=st.junta,
                neighbours=w.neighbours,
                mask=w.neighbour_mask,
                member=st.member,
                neighbour_share=ef.neighbour_peer_share,
                cross_regime=incentives.junta_cross_regime(
                    cross_regime=ef.cross_regime_peer, junta=st.junta, threat=st.threat, openness=ef.junta_peer_openness
                ),
            ),
            st.opinion,
        ]
    )
    inc = ctx.cfg.incentives
    # a weight is a number, or an array (R,) when it varies from run to run
    civ = np.stack(np.broadcast_arrays(*[np.asarray(getattr(inc.civilian, t), dtype=float) for t in TERMS]))
    jun = np.stack(np.broadcast_arrays(*[np.asarray(getattr(inc.junta, t), dtype=float) for t in TERMS]))
    weights = incentives.weights_by_regime(civilian=civ, junta_weights=jun, junta=st.junta)
    st.contributions, st.utility = incentives.utility(terms=terms, weights=weights)
    ctx.visible = visible


def update_alignment(ctx: StepContext) -> None:
    """Affinity moves towards the bounded response to utility (sim.core.rules.alignment); opinion drifts."""
    st, w, al = ctx.state, ctx.world, ctx.cfg.alignment
    target = alignment.affinity_target(
        utility=st.utility,
        rationality=al.rationality,
        relative_weight=al.relative_weight,
        indifference=al.indifference,
        capacity=al.partnership_capacity,
    )
    st.affinity = alignment.update_affinity(
        affinity=st.affinity, target=target, inertia=al.inertia, noise=al.noise, shock=ctx.draws["affinity_noise"]
    )
    sov = incentives.sovereignty_cost(
        baggage=ctx.pw("colonial_baggage"), visible=ctx.visible, nationalism=w.nationalism
    )
    op_target = alignment.opinion_target(
        info_ops_usd_m=st.info_ops_usd_m,
        presence=ctx.present().astype(float),
        threat=st.threat,
        sovereignty=sov,
        info_effect=al.info_ops_effect,
        info_scale_usd_m=al.info_ops_scale_usd_m,
        blame=al.blame,
        resentment=al.resentment,
    )
    st.opinion = alignment.update_opinion(
        opinion=st.opinion,
        target=op_target,
        drift=al.opinion_drift,
        noise=al.opinion_noise,
        shock=ctx.draws["opinion_noise"],
    )


def keep_commitments(ctx: StepContext) -> None:
    """Dated commitments due this month are kept, dropped or postponed (sim.core.commitments): a joint
    exit from a bloc, a junta's election (a return to civilian rule), a power's drawdown. Commitments
    overtaken by events (the junta gone, nothing left to leave or cut) are void; those of actors that
    players decide for are left to them (of a joint exit, only the played states' part: the others
    keep it by the rules). Pending ones keep the rules' own transition and bloc-exit
    hazards from also firing (ctx.timetabled, ctx.exit_pending)."""
    st, w = ctx.state, ctx.world
    same = cm.same_junta(
        junta=st.junta, months_since_coup=st.months_since_coup, months_at_start=w.months_since_coup, step=st.step
    )
    for c, com in enumerate(w.commitments):
        rows = list(com.states)
        if com.kind == "election":
            acts = same[rows]  # (n, R)
        elif com.kind == "bloc_exit":
            acts = st.member[rows, com.bloc]
        else:
            acts = (st.troops[rows, com.power] > com.troops) & (st.withdraw_left[rows, com.power] == 0)
        status = st.commitment_status[c]
        status[(status == cm.PENDING) & ~acts.any(axis=0)] = cm.VOID
        due = cm.due_now(due=st.commitment_due[c], status=status, step=st.step)
        # pending at the start of the month: a junta that misses its date this month does not also hand
        # power back by the monthly chance in that month
        pending = status == cm.PENDING
        if com.kind == "drawdown":
            played_rows = np.full(len(rows), bool(ctx.player_power[com.power]))
        else:
            played_rows = ctx.player_state[rows]
        if played_rows.all():
            status[due] = cm.LEFT_TO_PLAYERS
        elif due.any():  # a joint exit some of whose states are played: the others keep it by the rules
            _settle(ctx, c, com, acts & ~played_rows[:, None], due)
        pending &= st.commitment_status[c] != cm.KEPT
        if com.kind == "election":
            ctx.timetabled[rows] |= pending & acts
        elif com.kind == "bloc_exit":
            ctx.exit_pending[rows, com.bloc] |= pending & acts
        else:
            ctx.drawdown_pending[rows, com.power] |= pending & acts


def _settle(ctx: StepContext, c: int, com: cm.Commitment, acts: np.ndarray, due: np.ndarray) -> None:
    """Commitment c, due this month in runs `due` (R,): kept, dropped or postponed, with its events."""
    st, w = ctx.state, ctx.world
    conf = getattr(ctx.cfg.commitments, com.kind)
    on_time = np.broadcast_to(np.asarray(conf.on_time if com.on_time is None else com.on_time, float), due.shape)
    keep, drop, delay = cm.outcome(
        draw=ctx.draws["commitment"][c],
        on_time=on_time,
        dropped=np.broadcast_to(np.asarray(conf.dropped, float), due.shape),
    )
    keep, drop, delay = keep & due, drop & due, delay & due
    rows = list(com.states)
    delay_months = np.broadcast_to(np.asarray(conf.delay_months), due.shape)
    names = " and ".join(w.state_names[s] for s in rows)
    when = cm.month_words(w.date_of(st.step))
    note = f" ({com.note})" if com.note else ""

    dropped = np.broadcast_to(np.asarray(conf.dropped, float), due.shape)
    # what a missed commitment's cause quotes (sim.core.causes._missed), by run: the last axis of each mask
    missed = (drop, on_time, dropped, delay_months)

    def where(mask: np.ndarray) -> np.ndarray:
        """mask (R,) on the commitment's acting states: (S, R)."""
        out = np.zeros(st.junta.shape, bool)
        out[rows] = acts & mask
        return out

    missed_mask = where(drop | delay)
    if com.kind == "election":
        held = where(keep)
        ctx.add(EventType.ELECTION, held, "sr", causes.ELECTION_HELD, words=(when, note))
        ctx.add(
            EventType.TRANSITION_EXTENDED,
            missed_mask,
            "sr",
            causes.ELECTION_MISSED,
            values=missed,
            words=(when, note),
        )
        hand_back_power(ctx, held)
    elif com.kind == "bloc_exit":
        leave = np.zeros(st.member.shape, bool)
        leave[rows, com.bloc] = acts & keep
        bloc = w.bloc_names[com.bloc]
        ctx.add(EventType.BLOC_LEAVE, leave, "sbr", causes.EXIT_NOTIFIED, words=(bloc, names, when, note))
        ctx.add(
            EventType.COMMITMENT_SLIPPED,
            missed_mask,
            "sr",
            causes.EXIT_MISSED,
            values=missed,
            words=(bloc, names, when, note),
            b=com.bloc,
        )
        leave_bloc(ctx, leave)
    else:
        cut = np.zeros(st.troops.shape, bool)
        cut[rows, com.power] = acts & keep
        power = w.power_names[com.power]
        ctx.add(
            EventType.DRAWDOWN,
            cut,
            "spr",
            causes.DRAWDOWN_ANNOUNCED,
            values=(st.troops, com.troops),
            words=(power, when, note),
        )
        ctx.add(
            EventType.COMMITMENT_SLIPPED,
            missed_mask,
            "sr",
            causes.DRAWDOWN_MISSED,
            values=missed,
            words=(power, when, note),
            p=com.power,
        )
        # the troops cut go back to the power's deployable pool (available = deployable - deployed)
        st.troops = np.where(cut, np.minimum(st.troops, com.troops), st.troops)
    status = st.commitment_status[c]
    status[keep] = cm.KEPT
    status[drop] = cm.DROPPED
    st.commitment_due[c] = np.where(delay, st.commitment_due[c] + delay_months, st.commitment_due[c])
    st.commitment_delays[c] += delay


def regime_events(ctx: StepContext) -> None:
    """Coup attempts, which succeed (a coup or counter-coup) or fail, and transitions to civilian rule."""
    st, w, hz = ctx.state, ctx.world, ctx.cfg.hazards
    recent = (st.months_since_coup < hz.coup_contagion_months).astype(float)
    attempt_drivers = {
        "threat": st.threat,
        "legitimacy": st.legitimacy,
        "recent_coup_share": neighbour_mean(recent, w.neighbours, w.neighbour_mask),
        "trap": hazards.coup_trap(months_since_coup=st.months_since_coup, window=hz.coup_trap_months),
        "peace": hazards.coup_peace(months_since_coup=st.months_since_coup, horizon=hz.coup_peace_months),
        "sanctioned": st.sanctioned.any(axis=1),
    }
    attempt_weights = {
        "w_insurgency": hz.coup_insurgency,
        "w_illegitimacy": hz.coup_illegitimacy,
        "w_contagion": hz.coup_contagion,
        "w_trap": hz.coup_trap,
        "w_shock": hz.coup_shock,
        "w_peace": hz.coup_peace,
    }
    success_drivers = {
        "protection": (ctx.protection() * ctx.present()).max(axis=1),  # a guard on the spot
        "junta": st.junta,
        "months_in_power": st.months_since_coup,
    }
    success_weights = {
        "w_protection": hz.coup_protection,
        "w_consolidation": hz.coup_consolidation,
        "consolidation_months": hz.coup_consolidation_months,
    }
    attempt_factors = hazards.coup_attempt_factors(**attempt_drivers, **attempt_weights)
    success_factors = hazards.coup_success_factors(**success_drivers, **success_weights)
    p_attempt = np.where(
        ctx.regime_changed,
        0.0,
        hazards.attempt_from_factors(factors=attempt_factors, base=hz.coup_base, ceiling=hz.coup_attempt_max),
    )
    p_success = hazards.success_from_factors(factors=success_factors, base=hz.coup_success)
    attempt = ctx.draws["coup"] < p_attempt
    coup = attempt & (ctx.draws["coup_success"] < p_success)

    # what the causes quote (sim.core.causes._coup_odds): the odds and their factors, named in words
    odds = (st.junta, p_attempt, p_success, len(attempt_factors), *attempt_factors.values(), *success_factors.values())
    factor_names = (*attempt_factors, *success_factors)
    ctx.add(EventType.COUP, coup, "sr", causes.COUP, values=odds, words=factor_names)
    ctx.add(EventType.COUP_ATTEMPT, attempt & ~coup, "sr", causes.COUP_ATTEMPT, values=odds, words=factor_names)
    p_trans = hazards.transition_probability(
        junta=st.junta & ~coup,
        months_in_power=st.months_since_coup,
        sanctioned_any=st.sanctioned.any(axis=1),
        threat=st.threat,
        at_war=w.at_war,
        base=hz.transition_base,
        min_months=hz.transition_min_months,
        sanction_factor=hz.transition_sanction_factor,
        w_threat=hz.transition_threat,
    )
    # a junta with a pending election timetable follows it (keep_commitments) rather than this hazard
    trans = ctx.rules_decide((ctx.draws["transition"] < p_trans) & ~ctx.timetabled, "sr", "s")
    ctx.add(
        EventType.TRANSITION,
        trans,
        "sr",
        causes.TRANSITION,
        values=(st.months_since_coup, st.sanctioned.any(axis=1), p_trans),
    )
    seize_power(ctx, coup)
    hand_back_power(ctx, trans)


def alignment_decisions(ctx: StepContext) -> None:
    """Expulsions of estranged powers' forces; invitations of favoured powers and their deployments."""
    st, w, hz = ctx.state, ctx.world, ctx.cfg.hazards
    present = ctx.present()
    withdrawing = st.withdraw_left > 0
    expel = ctx.rules_decide(
        hazards.expel_decision(
            affinity=st.affinity,
            present=present,
            withdrawing=withdrawing,
            threshold=hz.expel_threshold,
            rate=hz.expel_rate,
            draw=ctx.draws["expel"],
        ),
        "spr",
        "s",
    )
    ctx.add(EventType.EXPEL, expel, "spr", causes.EXPEL, values=(st.affinity, _terms_of(st)))
    start_withdrawal(ctx, expel)
    available = ctx.pw("troops_deployable") - st.troops.sum(axis=0)
    can_send = (available >= hz.deploy_size)[None]  # governments invite powers that have troops to send
    more = hazards.reinforcement_open(troops=st.troops, withdrawing=withdrawing | expel, below=hz.reinforce_below)
    invite = hazards.invite_decision(
        affinity=st.affinity,
        present=(present & ~more) | ~can_send,
        invited=st.invited,
        threshold=hz.invite_threshold,
        rate=hz.invite_rate,
        draw=ctx.draws["invite"],
        # juntas at war, cut off from Western security aid, look for a new guard at a lower bar
        # (Mali 2021, Burkina Faso and Niger 2024); elected governments did not invite foreign forces
        gap=hazards.security_gap(threat=st.threat, capacity=w.capacity, help_total=ctx.help_sp.sum(axis=1)) * st.junta,
        gap_weight=hz.invite_gap_weight,
    )
    invite = ctx.rules_decide(invite, "spr", "s")
    st.invited |= invite
    ctx.add(EventType.INVITE, invite, "spr", causes.INVITE, values=(more, st.troops, st.affinity, _terms_of(st)))
    # an invitation lapses when the government cools again
    st.invited &= (st.affinity > hz.expel_threshold) | ctx.new_invitations
    interested = posture.answers_invitation(
        threat=st.threat,
        junta=st.junta,
        protection=ctx.pw("regime_protection"),
        minimum=ctx.cfg.posture.answer_interest,
    )
    deploy = ctx.rules_decide(
        hazards.deploy_decision(
            invited=st.invited & interested,
            available=available,
            size=hz.deploy_size,
            rate=hz.deploy_rate,
            draw=ctx.draws["deploy"],
        ),
        "spr",
        "p",
    )
    # one deployment per power per month, to the state that invited it and likes it most
    ranked = np.where(deploy, st.affinity, -np.inf)
    first = (ranked == ranked.max(axis=0, keepdims=True)) & deploy
    first &= np.cumsum(first, axis=0) == 1
    deploy_forces(ctx, first, hz.deploy_size, scripted=False)


def withdrawals_and_bases(ctx: StepContext) -> None:
    """Withdrawals progress; completed ones hand bases over; co-located rivals risk incidents."""
    st, w, hz = ctx.state, ctx.world, ctx.cfg.hazards
    st.troops, st.withdraw_left, done = hazards.withdrawal_step(troops=st.troops, left=st.withdraw_left)
    complete_withdrawal(ctx, done, scripted=False)
    R = st.troops.shape[-1]
    runs = np.arange(R)
    for k in range(len(w.base_names)):
        s, owner, tenant = w.base_state[k], st.base_owner[k], st.base_co_tenant[k]
        valid = (owner >= 0) & (tenant >= 0)
        o, t = np.maximum(owner, 0), np.maximum(tenant, 0)
        p_inc = np.where(
            valid,
            hazards.incident_probability(
                owner_troops=st.troops[s, o, runs],
                tenant_troops=st.troops[s, t, runs],
                rivalry=w.rivalry[o, t],
                base=hz.incident_base,
            ),
            0.0,
        )
        hit = ctx.draws["incident"][k] < p_inc
        ctx.add(EventType.INCIDENT, hit, "r", causes.INCIDENT, values=(o, w.rivalry[o, t], p_inc), s=int(s), p=t, k=k)


def _terms_of(st: SimState) -> Callable[[tuple], np.ndarray]:
    """What an expulsion's or invitation's cause quotes of the state's terms (sim.core.explain.explain_turn):
    the weighted terms of every power, (T, P) per event, from the hits of an (S, P, R) mask."""
    return lambda hits: st.contributions[:, hits[0], :, hits[2]].reshape(len(hits[0]), -1)  # (n, T, P) -> (n, T*P)


def bloc_events(ctx: StepContext) -> None:
    """Sanctions lifted over time; juntas leave sanctioning blocs and join the alliance of juntas;
    civilian governments leave that alliance; suspended aid may resume."""
    st, w, hz = ctx.state, ctx.world, ctx.cfg.hazards
    lift = ctx.rules_decide(
        ctx.draws["sanction_lift"]
        < hazards.sanction_lift_probability(
            sanctioned=st.sanctioned & ~ctx.new_sanctions, junta=st.junta, rate=hz.sanction_lift
        ),
        "sbr",
        "b",
    )
    st.sanctioned &= ~lift
    ctx.add(EventType.SANCTION_LIFT, lift, "sbr", causes.SANCTION_LIFT)
    resume = ctx.rules_decide(
        ctx.draws["aid_resume"]
        < hazards.aid_resume_probability(
            suspended=st.aid_suspended & ~ctx.new_suspensions,
            junta=st.junta,
            conditionality=ctx.pw("conditionality"),
            rate=hz.aid_resume,
        ),
        "spr",
        "p",
    )
    st.aid_suspended &= ~resume
    ctx.add(EventType.AID_RESUME, resume, "spr", causes.AID_RESUME, values=(st.junta[:, None, :],))
    alliance = w.bloc_mutual_defence
    in_alliance = (st.member & alliance[None, :, None]).any(axis=1)
    p_leave = hazards.bloc_leave_probability(
        member=st.member,
        sanctioned=st.sanctioned,
        junta=st.junta,
        in_alliance=in_alliance,
        sanctions_coups=w.bloc_sanctions_coups,
        rate=hz.bloc_leave,
    )
    p_leave = np.where(st.member & alliance[None, :, None] & ~st.junta[:, None, :], hz.alliance_leave, p_leave)
    p_leave = np.where(ctx.exit_pending, 0.0, p_leave)  # a notified exit waits for its date (keep_commitments)
    leave = ctx.rules_decide(ctx.draws["bloc"] < p_leave, "sbr", "s")
    st.member &= ~leave
    st.sanctioned &= ~leave
    ctx.add(EventType.BLOC_LEAVE, leave, "sbr", causes.BLOC_LEAVE, values=(alliance[None, :, None],))
    junta_share = neighbour_mean(st.junta.astype(float), w.neighbours, w.neighbour_mask)
    for b in np.nonzero(alliance)[0]:
        mb = st.member[:, b, :].astype(float)
        # an alliance with no member left (or none yet) can be founded by juntas next to juntas
        empty = ~st.member[:, b, :].any(axis=0)  # (R,)
        share = hazards.alliance_pull(
            member_share=neighbour_mean(mb, w.neighbours, w.neighbour_mask), junta_share=junta_share, empty=empty
        )
        p_join = hazards.alliance_join_probability(
            member_alliance=st.member[:, b, :], junta=st.junta, alliance_neighbour_share=share, rate=hz.bloc_join
        )
        # the same draw decides leaving and joining; a state cannot do both (members cannot join)
        join = ctx.rules_decide((ctx.draws["bloc"][:, b, :] < p_join) & ~leave[:, b, :], "sr", "s")
        st.member[:, b, :] |= join
        ctx.add(EventType.BLOC_JOIN, join, "sr", causes.BLOC_JOIN, values=(share, empty), b=int(b))


def update_legitimacy(ctx: StepContext) -> None:
    """Legitimacy drifts with the threat and sanctions; regime clocks advance."""
    st, hz = ctx.state, ctx.cfg.hazards
    w = ctx.world
    st.legitimacy = hazards.legitimacy_step(
        legitimacy=st.legitimacy,
        anchor=w.legitimacy,
        threat=st.threat,
        threat0=w.threat,
        sanctioned_any=st.sanctioned.any(axis=1),
        sanctioned0=w.sanctioned.any(axis=1).astype(float),
        drift=hz.legitimacy_drift,
        w_threat=hz.legitimacy_threat,
        w_sanction=hz.legitimacy_sanction,
        noise=hz.legitimacy_noise,
        shock=ctx.draws["legitimacy_noise"],
    )
    st.months_since_coup = st.months_since_coup + 1


def power_postures(ctx: StepContext) -> None:
    """Every `posture.every_months` months each power reviews its forces on its own (sim.core.rules.posture):
    its overstretch moves with its global driver (Russia: the war in Ukraine); then it reinforces a friendly
    government under pressure, draws down where the host has cooled and no fight needs the troops or where it
    is over-committed (more troops out than it can sustain, or strained by its driver), pulls out before it
    is ordered out, and re-engages with a new civilian government of a state that once expelled it. One draw
    per tie serves the three force decisions, which exclude each other (a tie pulled out or cut is not
    reinforced). A drawdown the world file announced for the same forces takes precedence
    (keep_commitments); a workshop team decides for its own power (--teams-decide)."""
    st, pc, hz = ctx.state, ctx.cfg.posture, ctx.cfg.hazards
    if st.step % pc.every_months:
        return
    anchor = np.broadcast_to(ctx.pw("overstretch"), st.overstretch.shape)  # the world file's value
    st.overstretch = posture.strain_step(
        overstretch=st.overstretch,
        anchor=anchor,
        volatility=ctx.pw("strain_volatility"),
        reversion=pc.strain_reversion,
        shock=ctx.draws["strain"],
    )
    strained = st.overstretch > anchor + pc.strain_margin
    draw = ctx.draws["posture"]
    present = ctx.present()
    withdrawing = st.withdraw_left > 0
    deployed = st.troops.sum(axis=0)
    deployable = np.broadcast_to(ctx.pw("troops_deployable"), deployed.shape)
    available = deployable - deployed
    over = (deployed > deployable + 1e-9) | strained
    reengage = ctx.rules_decide(
        posture.reengage(
            expelled=st.expelled,
            present=present,
            junta=st.junta,
            affinity=st.affinity,
            expelled_at=st.expelled_at,
            regime_since=st.regime_since,
            affinity_min=pc.reengage_affinity,
        ),
        "spr",
        "p",
    )
    ctx.add(EventType.REENGAGE, reengage, "spr", causes.REENGAGE, values=(st.affinity,))
    st.expelled &= ~reengage
    st.aid_suspended &= ~reengage  # suspended aid resumes with the re-engagement
    pulled = ctx.rules_decide(
        posture.pull_out(
            present=present,
            withdrawing=withdrawing,
            affinity=st.affinity,
            below=pc.pull_out_affinity,
            rate=pc.pull_out_rate,
            draw=draw,
        ),
        "spr",
        "p",
    )
    ctx.add(EventType.PULL_OUT, pulled, "spr", causes.PULL_OUT, values=(st.troops, st.affinity, pc.pull_out_affinity))
    st.withdraw_left = np.where(pulled, hz.withdrawal_months, st.withdraw_left)
    st.invited &= ~pulled
    cut = ctx.rules_decide(
        posture.draw_down(
            present=present,
            withdrawing=withdrawing | pulled | ctx.drawdown_pending,
            affinity=st.affinity,
            threat=st.threat,
            troops=st.troops,
            over_committed=over,
            affinity_below=pc.drawdown_affinity,
            threat_below=pc.drawdown_threat,
            floor=pc.drawdown_floor,
            rate=pc.drawdown_rate,
            draw=draw,
        ),
        "spr",
        "p",
    )
    left = np.maximum(np.floor(st.troops / 2.0), pc.drawdown_floor)
    ctx.add(
        EventType.DRAWDOWN,
        cut,
        "spr",
        causes.POSTURE_DRAWDOWN,
        values=(
            st.troops,
            left,
            strained,
            st.overstretch,
            anchor,
            over,
            deployed,
            deployable,
            st.affinity,
            st.threat[:, None, :],
        ),
    )
    st.troops = np.where(cut, left, st.troops)
    rate = pc.reinforce_rate * (1.0 - st.overstretch)
    more = ctx.rules_decide(
        posture.reinforce(
            present=present,
            withdrawing=withdrawing | pulled | cut,
            affinity=st.affinity,
            threat=st.threat,
            troops=st.troops,
            available=available,
            size=pc.reinforce_size,
            affinity_min=pc.reinforce_affinity,
            threat_min=pc.reinforce_threat,
            below=hz.reinforce_below,
            rate=rate,
            draw=draw,
        ),
        "spr",
        "p",
    )
    ctx.add(
        EventType.DEPLOY,
        more,
        "spr",
        causes.REINFORCE,
        values=(pc.reinforce_size, st.threat[:, None, :], st.affinity),
    )
    st.troops = np.where(more, st.troops + pc.reinforce_size, st.troops)


PHASES: tuple[Callable[[StepContext], None], ...] = (
    apply_scripted,
    allocate_budgets,
    spread_insurgency,
    score_incentives,
    update_alignment,
    keep_commitments,
    regime_events,
    alignment_decisions,
    withdrawals_and_bases,
    bloc_events,
    update_legitimacy,
    power_postures,
)


def advance(
    state: SimState,
    world: World,
    cfg: Config,
    draws: dict[str, np.ndarray],
    run_ids: np.ndarray,
    policies: list[str],
    targets: np.ndarray | None = None,
) -> EventLog:
    """Advance every run by one month; returns the month's events (the state changes in place)."""
    state.step += 1
    ctx = StepContext(
        state=state, world=world, cfg=cfg, draws=draws, run_ids=run_ids, policies=policies, targets=targets
    )
    for phase in PHASES:
        phase(ctx)
    return ctx.events
