"""Alignment: affinity moves towards a bounded response to relative utility, with inertia and
noise; public opinion drifts with information operations, blame and resentment."""

from __future__ import annotations

import numpy as np

from sim.core.rules.common import saturate


def affinity_target(*, utility: np.ndarray, rationality: float | np.ndarray) -> np.ndarray:
    """tanh(rationality x (utility - mean utility over powers)): (S, P, R) in -1..1.

    Relative, not absolute: a state turns to a power when it offers more than the others.
    rationality 0 makes every power equal; large values make choices sharp.
    """
    mean = utility.mean(axis=1, keepdims=True)
    return np.tanh(rationality * (utility - mean))


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
