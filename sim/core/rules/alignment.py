"""Alignment: affinity moves towards a bounded response to utility (absolute, relative or a blend, with
limited room for close partners), with inertia and noise; public opinion drifts with information
operations, blame and resentment."""

from __future__ import annotations

import numpy as np

from sim.core.rules.common import saturate


def affinity_target(*, utility: np.ndarray, rationality: float | np.ndarray, relative_weight: float | np.ndarray,
                    indifference: float | np.ndarray, capacity: float | np.ndarray,
                    familiarity: np.ndarray | None = None, familiarity_weight: float = 0.0) -> np.ndarray:
    """Where each government's affinity to each power heads: (S, P, R) in -1..1.

    tanh(rationality x (utility - reference)), the reference a blend of a fixed indifference level
    (absolute: a government warms to every power that offers it enough) and the mean utility over
    powers (relative: it warms to one power only by cooling to the others), by relative_weight (0 =
    absolute, 1 = zero-sum). A government has limited room for close partners: when its positive
    targets add up to more than `capacity`, they are scaled down together, so it hedges among several
    partners rather than embracing all of them. Negative targets are not scaled.

    `familiarity` (S, P, 1 or R), 0..1 (e.g. saturated trade share), lowers the absolute reference
    for that power by `familiarity_weight`: a government warms to its trade partners at a lower
    bar, while the relative (competitive) part of the reference is unchanged. (Investigation.)
    """
    absolute = indifference
    if familiarity is not None and familiarity_weight:
        absolute = indifference - familiarity_weight * familiarity
    reference = relative_weight * utility.mean(axis=1, keepdims=True) + (1.0 - relative_weight) * absolute
    target = np.tanh(rationality * (utility - reference))
    warm = np.maximum(target, 0.0)
    total = warm.sum(axis=1, keepdims=True)
    scale = np.minimum(1.0, capacity / np.maximum(total, 1e-12))
    return np.where(target > 0, target * scale, target)


def trade_ties(*, target: np.ndarray, ties: np.ndarray, floor: float, bonus: float) -> np.ndarray:
    """Trade acting on the affinity target outside the competitive choice (investigation): the target
    is at least `floor` x ties (a government does not turn hostile to those it trades with: a floor,
    hedging) and then raised by `bonus` x ties, capped at 1. ties (S, P, 1 or R), 0..1."""
    out = np.maximum(target, floor * ties) if floor else target
    return np.minimum(out + bonus * ties, 1.0) if bonus else out


def trade_warmth_below_leader(*, target: np.ndarray, ties: np.ndarray, warmth: float, margin: float,
                              leader_share: float = 1.0) -> np.ndarray:
    """Trade warms a government to its trade partners without choosing its leading partner
    (investigation): each power's target rises by `warmth` x ties (S, P, 1 or R), but a power that is
    not the leading one on the other terms (the highest target before trade) rises at most to
    `margin` below that leader's target; the leader itself gets `leader_share` of its own trade warmth
    (0: trade never widens a lead). Capped at 1."""
    if not warmth:
        return target
    lead = target.argmax(axis=1)[:, None, :]  # (S, 1, R)
    top = np.take_along_axis(target, lead, axis=1)  # (S, 1, R)
    raised = np.minimum(target + warmth * ties, 1.0)
    is_lead = np.arange(target.shape[1])[None, :, None] == lead
    capped = np.maximum(target, np.minimum(raised, top - margin))
    return np.where(is_lead, np.minimum(target + leader_share * warmth * ties, 1.0), capped)


def legacy_pull(*, target: np.ndarray, legacy: np.ndarray, junta: np.ndarray, months_since_coup: np.ndarray,
                weight: float, months: int, threat: np.ndarray | None = None, threat_weight: float = 0.0) -> np.ndarray:
    """A new junta starts from its officers' old partners (investigation): its target (S, P, R) is held
    `weight` of the way to the legacy ties (S, P) right after the coup, fading linearly to nothing over
    `months` (months_since_coup (S, R)), and by `threat_weight` x threat (S, R) for a junta at war (which
    breaks with partners that failed it). Civilian governments and older juntas are unaffected."""
    if not weight:
        return target
    share = weight * np.clip(1.0 - np.maximum(months_since_coup, 0) / months, 0.0, 1.0) * junta
    if threat is not None and threat_weight:
        share = share * (1.0 - threat_weight * threat)
    return target + share[:, None, :] * (legacy[:, :, None] - target)


def update_affinity(*, affinity: np.ndarray, target: np.ndarray, inertia: float | np.ndarray,
                    noise: float | np.ndarray, shock: np.ndarray) -> np.ndarray:
    """inertia x old + (1 - inertia) x target + noise x shock, kept within -1..1."""
    return np.clip(inertia * affinity + (1.0 - inertia) * target + noise * shock, -1.0, 1.0)


def opinion_target(*, info_ops_usd_m: np.ndarray, presence: np.ndarray, threat: np.ndarray, sovereignty: np.ndarray,
                   info_effect: float, info_scale_usd_m: float, blame: float, resentment: float) -> np.ndarray:
    """Where public opinion of a power heads: information operations pull it up; a present power
    is blamed while the insurgency is high; visible presence with colonial baggage breeds
    resentment. (S, P, R) in -1..1."""
    pull = info_effect * saturate(info_ops_usd_m, info_scale_usd_m)
    push = blame * presence * threat[:, None, :] + resentment * sovereignty
    return np.tanh(pull - push)


def update_opinion(*, opinion: np.ndarray, target: np.ndarray, drift: float | np.ndarray,
                   noise: float | np.ndarray, shock: np.ndarray) -> np.ndarray:
    return np.clip((1.0 - drift) * opinion + drift * target + noise * shock, -1.0, 1.0)
