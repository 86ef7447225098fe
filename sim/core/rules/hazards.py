"""Decision and event hazards: coups, transitions, expulsions, invitations, incidents, sanctions,
aid conditionality and bloc membership. Each function returns probabilities or decision masks;
the caller compares them with the run's uniform draws."""

from __future__ import annotations

import numpy as np

from sim.core.rules.common import logit, sigmoid


def coup_attempt_probability(
    *,
    threat: np.ndarray,
    legitimacy: np.ndarray,
    recent_coup_share: np.ndarray,
    trap: np.ndarray,
    sanctioned: np.ndarray,
    peace: np.ndarray,
    base: float,
    ceiling: float,
    w_insurgency: float,
    w_illegitimacy: float,
    w_contagion: float,
    w_trap: float,
    w_shock: float,
    w_peace: float,
) -> np.ndarray:
    """Monthly probability of a coup attempt in each state: (S, R).

    The drivers the literature names raise the log-odds of an attempt above a base rate: the
    insurgent threat, missing legitimacy, recent coups next door (contagion), a recent coup in the
    state itself (the coup trap, `trap` in 0..1) and an economic shock (bloc sanctions); a long record
    without coups (`peace` in 0..1, coup_peace) lowers them. The probability never exceeds `ceiling`.
    """
    factors = coup_attempt_factors(
        threat=threat,
        legitimacy=legitimacy,
        recent_coup_share=recent_coup_share,
        trap=trap,
        sanctioned=sanctioned,
        peace=peace,
        w_insurgency=w_insurgency,
        w_illegitimacy=w_illegitimacy,
        w_contagion=w_contagion,
        w_trap=w_trap,
        w_shock=w_shock,
        w_peace=w_peace,
    )
    return attempt_from_factors(factors=factors, base=base, ceiling=ceiling)


def attempt_from_factors(*, factors: dict[str, np.ndarray], base: float, ceiling: float) -> np.ndarray:
    """The attempt probability from its log-odds contributions (coup_attempt_factors): (S, R)."""
    return np.minimum(sigmoid(logit(base) + sum(factors.values())), ceiling).clip(0.0, 1.0)


def coup_attempt_factors(
    *,
    threat: np.ndarray,
    legitimacy: np.ndarray,
    recent_coup_share: np.ndarray,
    trap: np.ndarray,
    sanctioned: np.ndarray,
    peace: np.ndarray,
    w_insurgency: float,
    w_illegitimacy: float,
    w_contagion: float,
    w_trap: float,
    w_shock: float,
    w_peace: float,
) -> dict[str, np.ndarray]:
    """The log-odds contributions behind a coup attempt's probability, for explanations. `peace` (0..1) is
    how long the state has gone without a coup (`coup_peace`): a long record of civilian control lowers the
    risk."""
    return {
        "insurgent threat": w_insurgency * threat,
        "weak legitimacy": w_illegitimacy * (1.0 - legitimacy),
        "coups next door": w_contagion * recent_coup_share,
        "recent coup here": w_trap * trap,
        "sanctions": w_shock * sanctioned.astype(float),
        "years without a coup": -w_peace * peace,
    }


def coup_peace(*, months_since_coup: np.ndarray, horizon: int) -> np.ndarray:
    """How long the state has gone without a successful coup, 0 just after one rising linearly to 1 at
    `horizon` months (and for a state with none on record): (S, R). The time since the last coup is the
    strongest single predictor of the next (Londregan & Poole 1990; Powell 2012)."""
    return np.clip(months_since_coup / horizon, 0.0, 1.0)


def coup_trap(*, months_since_coup: np.ndarray, window: int) -> np.ndarray:
    """How recent the state's last coup is, 1 in its month fading linearly to 0 at `window`: (S, R)."""
    return np.clip(1.0 - months_since_coup / window, 0.0, 1.0)


def coup_success_probability(
    *,
    protection: np.ndarray,
    junta: np.ndarray,
    months_in_power: np.ndarray,
    base: float,
    w_protection: float,
    w_consolidation: float,
    consolidation_months: int,
) -> np.ndarray:
    """Chance that a coup attempt succeeds: (S, R).

    Coup-proofing lowers it: regime protection by a power whose forces are present, and, against a
    junta, its consolidation, which grows linearly to full over `consolidation_months`.
    """
    factors = coup_success_factors(
        protection=protection,
        junta=junta,
        months_in_power=months_in_power,
        w_protection=w_protection,
        w_consolidation=w_consolidation,
        consolidation_months=consolidation_months,
    )
    return success_from_factors(factors=factors, base=base)


def success_from_factors(*, factors: dict[str, np.ndarray], base: float) -> np.ndarray:
    """The chance of success from its log-odds contributions (coup_success_factors): (S, R)."""
    return sigmoid(logit(base) + sum(factors.values())).clip(0.0, 1.0)


def coup_success_factors(
    *,
    protection: np.ndarray,
    junta: np.ndarray,
    months_in_power: np.ndarray,
    w_protection: float,
    w_consolidation: float,
    consolidation_months: int,
) -> dict[str, np.ndarray]:
    """The log-odds contributions behind an attempt's chance of success, for explanations."""
    consolidated = np.where(junta, np.clip(months_in_power / consolidation_months, 0.0, 1.0), 0.0)
    return {
        "regime protection": -w_protection * protection,
        "junta consolidation": -w_consolidation * consolidated,
    }


def transition_probability(
    *,
    junta: np.ndarray,
    months_in_power: np.ndarray,
    sanctioned_any: np.ndarray,
    threat: np.ndarray,
    at_war: np.ndarray,
    base: float,
    min_months: int,
    sanction_factor: float,
    w_threat: float,
) -> np.ndarray:
    """Monthly probability that a junta hands power to civilians: (S, R).

    Zero before the minimum and for a state at war (at_war, (S,) or (S, R)); sanctions raise it; an
    insurgent threat lowers it (a junta fighting insurgents holds on): p x (1 - w_threat x threat).
    """
    at_war = at_war if at_war.ndim == junta.ndim else at_war[:, None]
    p = base * np.where(sanctioned_any, sanction_factor, 1.0) * np.clip(1.0 - w_threat * threat, 0.0, 1.0)
    return np.where(junta & ~at_war & (months_in_power >= min_months), p, 0.0).clip(0.0, 1.0)


def expel_decision(
    *,
    affinity: np.ndarray,
    present: np.ndarray,
    withdrawing: np.ndarray,
    threshold: float,
    rate: float,
    draw: np.ndarray,
) -> np.ndarray:
    """Governments order out forces of powers they have turned against: (S, P, R) bool."""
    return present & ~withdrawing & (affinity < threshold) & (draw < rate)


def invite_decision(
    *,
    affinity: np.ndarray,
    present: np.ndarray,
    invited: np.ndarray,
    threshold: float,
    rate: float,
    draw: np.ndarray,
    gap: np.ndarray,
    gap_weight: float,
) -> np.ndarray:
    """Governments invite forces of powers they have turned towards: (S, P, R) bool (new invitations).

    A government with a security gap (gap, (S, R), 0..1: an insurgency its own forces and present
    partners cannot hold; the step passes it for juntas only) invites at a lower affinity: the
    threshold falls by gap_weight x gap.
    present marks ties where no invitation can be made: forces there already (beyond what the
    government would still add to, see `reinforcement_open`) or none to send.
    """
    return ~present & ~invited & (affinity > threshold - gap_weight * gap[:, None, :]) & (draw < rate)


def security_gap(*, threat: np.ndarray, capacity: np.ndarray, help_total: np.ndarray) -> np.ndarray:
    """The share of the insurgent threat that neither the state's own forces nor its present partners
    cover: threat x (1 - capacity) x (1 - help), 0..1, (S, R)."""
    cap = capacity if capacity.ndim == 2 else capacity[:, None]
    return threat * (1.0 - cap) * (1.0 - np.minimum(help_total, 1.0))


def reinforcement_open(*, troops: np.ndarray, withdrawing: np.ndarray, below: float) -> np.ndarray:
    """Ties where a government could still ask for more of a power's forces: some are there, they
    are not leaving, and they number fewer than `below`: (S, P, R) bool."""
    return (troops > 0) & ~withdrawing & (troops < below)


def deploy_decision(
    *, invited: np.ndarray, available: np.ndarray, size: float, rate: float, draw: np.ndarray
) -> np.ndarray:
    """A power answers an open invitation when it has the troops to spare: (S, P, R) bool.

    available is (P, R): deployable troops not yet deployed.
    """
    return invited & (available[None] >= size) & (draw < rate)


def withdrawal_step(*, troops: np.ndarray, left: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One month of withdrawals: forces leave in equal monthly parts until `left` reaches 0.

    Returns new troops, new months left and a mask of withdrawals completed this month.
    """
    leaving = left > 0
    new_left = np.where(leaving, left - 1, 0)
    done = leaving & (new_left == 0)
    keep = np.where(leaving, new_left / np.maximum(left, 1), 1.0)
    new_troops = np.where(done, 0.0, troops * keep)
    return new_troops, new_left, done


def incident_probability(
    *, owner_troops: np.ndarray, tenant_troops: np.ndarray, rivalry: np.ndarray, base: float
) -> np.ndarray:
    """Monthly incident risk at bases where rival forces are co-located: (K, R)."""
    both = (owner_troops > 0) & (tenant_troops > 0)
    return np.where(both, base * rivalry, 0.0)


def sanction_lift_probability(*, sanctioned: np.ndarray, junta: np.ndarray, rate: float) -> np.ndarray:
    """Blocs lift sanctions over time, on a civilian government at once (a transition lifts them
    in the same month, handled by the caller): (S, B, R)."""
    return np.where(sanctioned, np.where(junta[:, None, :], rate, 1.0), 0.0)


def aid_resume_probability(
    *, suspended: np.ndarray, junta: np.ndarray, conditionality: np.ndarray, rate: float
) -> np.ndarray:
    """Suspended aid may resume under a junta if the power's conditionality is loose, and resumes
    at once for a civilian government: (S, P, R)."""
    return np.where(suspended, np.where(junta[:, None, :], rate * (1.0 - conditionality), 1.0), 0.0)


def bloc_leave_probability(
    *,
    member: np.ndarray,
    sanctioned: np.ndarray,
    junta: np.ndarray,
    in_alliance: np.ndarray,
    sanctions_coups: np.ndarray,
    rate: float,
) -> np.ndarray:
    """A junta leaves a sanctioning bloc when sanctioned or when it has found an alliance of juntas;
    a civilian government leaves the junta alliance. Returns (S, B, R) per-bloc rates (the
    alliance-leaving rate is applied by the caller)."""
    pushed = sanctioned | in_alliance[:, None, :]
    leave_sanctioning = member & sanctions_coups[None, :, None] & junta[:, None, :] & pushed
    return np.where(leave_sanctioning, rate, 0.0)


def alliance_pull(*, member_share: np.ndarray, junta_share: np.ndarray, empty: np.ndarray) -> np.ndarray:
    """What draws a junta into an alliance of juntas: the share of its neighbours that are members,
    or, in a run where the alliance has no member (not founded yet, or abandoned), the share of its
    neighbours under juntas, who could found it together: (S, R). empty is (R,)."""
    return np.where(empty[None, :], junta_share, member_share)


def alliance_join_probability(
    *, member_alliance: np.ndarray, junta: np.ndarray, alliance_neighbour_share: np.ndarray, rate: float
) -> np.ndarray:
    """A junta joins an alliance of juntas in proportion to the share of its neighbours in it: (S, R)."""
    return np.where(junta & ~member_alliance, rate * alliance_neighbour_share, 0.0)


def legitimacy_step(
    *,
    legitimacy: np.ndarray,
    anchor: np.ndarray,
    threat: np.ndarray,
    threat0: np.ndarray,
    sanctioned_any: np.ndarray,
    sanctioned0: np.ndarray,
    drift: float,
    w_threat: float,
    w_sanction: float,
    noise: float,
    shock: np.ndarray,
) -> np.ndarray:
    """Legitimacy drifts towards the state's own level, moved by changes in threat and sanctions: (S, R).

    The world file's legitimacy (anchor, (S,) or (S, R)) is the level a state holds under its
    starting threat and sanctions (threat0, sanctioned0); a threat that grows lowers the target,
    one that recedes raises it. States therefore keep their differences instead of converging.
    """
    anchor = anchor if anchor.ndim == 2 else anchor[:, None]
    threat0 = threat0 if threat0.ndim == 2 else threat0[:, None]
    sanctioned0 = sanctioned0 if sanctioned0.ndim == 2 else sanctioned0[:, None]
    target = np.clip(
        anchor - w_threat * (threat - threat0) - w_sanction * (sanctioned_any.astype(float) - sanctioned0), 0.0, 1.0
    )
    return np.clip(legitimacy + drift * (target - legitimacy) + noise * shock, 0.0, 1.0)
