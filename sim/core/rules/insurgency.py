"""Insurgency: logistic growth, spill-over along land borders, suppression by local capacity and
foreign security help. Help that leaves lets a group grow back (the Sahel after Barkhane)."""

from __future__ import annotations

import numpy as np

from sim.core.rules.common import neighbour_mean, saturate


def security_help(
    *,
    troops: np.ndarray,
    aid_security_usd_m: np.ndarray,
    overstretch: np.ndarray,
    troop_scale: float,
    aid_scale_usd_m: float,
) -> np.ndarray:
    """Counter-insurgency help of each power in each state, 0..1: (S, P, R).

    Troops and security aid both count, with diminishing returns; a power's overstretch
    (P, R or P, 1) lowers what its presence achieves.
    """
    return saturate(troops / troop_scale + aid_security_usd_m / aid_scale_usd_m, 1.0) * (1.0 - overstretch)


def threat(intensity: np.ndarray) -> np.ndarray:
    """Combined threat of all groups in a state, 0..1: 1 - prod(1 - intensity_g). (S, G, R) -> (S, R)."""
    out = np.ones_like(intensity[:, 0])
    for g in range(intensity.shape[1]):
        out = out * (1.0 - intensity[:, g])
    return 1.0 - out


def insurgency_step(
    *,
    intensity: np.ndarray,
    neighbours: np.ndarray,
    mask: np.ndarray,
    capacity: np.ndarray,
    help_total: np.ndarray,
    growth: float,
    spread: float,
    suppression: float,
    noise: float,
    shock: np.ndarray,
    group_growth: np.ndarray | None = None,
) -> np.ndarray:
    """Next month's intensity of each group in each state, (S, G, R), kept within 0..1.

    group_growth (G,) multiplies the growth rate of each group (a group's own dynamics: the Lake
    Chad insurgency has declined slowly since 2020 while the Sahel's grew); None = 1 for all.

    capacity is (S,) or (S, R); help_total (S, R) is the summed foreign help; shock (S, G, R) is
    standard normal noise scaled by `noise` and by the intensity itself (no shocks where a group
    is absent).
    """
    cap = capacity if capacity.ndim == 2 else capacity[:, None]
    nbr = neighbour_mean(intensity, neighbours, mask)
    rate = growth if group_growth is None else growth * np.asarray(group_growth)[None, :, None]
    grow = rate * intensity * (1.0 - intensity)
    spill = spread * np.maximum(nbr - intensity, 0.0)
    suppress = suppression * (cap + help_total)[:, None, :] * intensity
    new = intensity + grow + spill - suppress + noise * intensity * shock
    return np.clip(new, 0.0, 1.0)
