"""Small numeric helpers shared by the rules."""

from __future__ import annotations

import numpy as np


def saturate(x: np.ndarray, scale: float | np.ndarray) -> np.ndarray:
    """1 - exp(-x/scale): 0 at 0, 63% at `scale`, tending to 1 (diminishing returns)."""
    return -np.expm1(-np.asarray(x) / scale)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def logit(p: float | np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return np.log(p) - np.log1p(-p)


def neighbour_mean(x: np.ndarray, neighbours: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of x over each state's neighbours (gather-based: bitwise independent of the run count).

    x has the state axis first, (S, ...); neighbours and mask are (S, D). States with no
    neighbour get 0.
    """
    gathered = x[neighbours]  # (S, D, ...)
    m = mask.reshape(mask.shape + (1,) * (x.ndim - 1))
    total = np.zeros_like(x)
    for d in range(neighbours.shape[1]):  # fixed order of additions
        total = total + np.where(m[:, d], gathered[:, d], 0.0)
    count = mask.sum(axis=1).reshape((-1,) + (1,) * (x.ndim - 1))
    return np.where(count > 0, total / np.maximum(count, 1), 0.0)
