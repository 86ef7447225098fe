"""Alignment: affinity moves towards a bounded response to utility (absolute, relative or a blend, with
limited room for close partners), with inertia and noise; public opinion drifts with information
operations, blame and resentment."""

from __future__ import annotations

import numpy as np

from sim.core.rules.common import saturate


def affinity_target(
    *,
    utility: np.ndarray,
    rationality: float | np.ndarray,
    relative_weight: float | np.ndarray,
    indifference: float | np.ndarray,
    capacity: float | np.ndarray,
) -> np.ndarray:
    """Where each government's affinity to each power heads: (S, P, R) in -1..1.

    tanh(rationality x (utility - reference)), the reference a blend of a fixed indifference level
    (absolute: a government warms to every power that offers it enough) and the mean utility over
    powers (relative: it warms to one power only by cooling to the others), by relative_weight (0 =
    absolute, 1 = zero-sum). A government has limited room for close partners: when its positive
    targets add up to more than `capacity`, they are scaled down together, so it hedges among several
    partners rather than embracing all of them. Negative targets are not scaled.
    """
    reference = relative_weight * utility.mean(axis=1, keepdims=True) + (1.0 - relative_weight) * indifference
    target = np.tanh(rationality * (utility - reference))
    warm = np.maximum(target, 0.0)
    total = warm.sum(axis=1, keepdims=True)
    scale = np.minimum(1.0, capacity / np.maximum(total, 1e-12))
    return np.where(target > 0, target * scale, target)


def update_affinity(
    *,
    affinity: np.ndarray,
    target: np.ndarray,
    inertia: float | np.ndarray,
    noise: float | np.ndarray,
    shock: np.ndarray,
) -> np.ndarray:
    """inertia x old + (1 - inertia) x target + noise x shock, kept within -1..1."""
    return np.clip(inertia * affinity + (1.0 - inertia) * target + noise * shock, -1.0, 1.0)


def opinion_target(
    *,
    info_ops_usd_m: np.ndarray,
    presence: np.ndarray,
    threat: np.ndarray,
    sovereignty: np.ndarray,
    info_effect: float,
    info_scale_usd_m: float,
    blame: float,
    resentment: float,
) -> np.ndarray:
    """Where public opinion of a power heads: information operations pull it up; a present power
    is blamed while the insurgency is high; visible presence with colonial baggage breeds
    resentment. (S, P, R) in -1..1."""
    pull = info_effect * saturate(info_ops_usd_m, info_scale_usd_m)
    push = blame * presence * threat[:, None, :] + resentment * sovereignty
    return np.tanh(pull - push)


def update_opinion(
    *, opinion: np.ndarray, target: np.ndarray, drift: float | np.ndarray, noise: float | np.ndarray, shock: np.ndarray
) -> np.ndarray:
    return np.clip((1.0 - drift) * opinion + drift * target + noise * shock, -1.0, 1.0)
