"""Powers' own decisions on their forces, taken every quarter: reinforce a partner under pressure, draw
down where the host has cooled or the power is over-committed, pull out before being thrown out,
re-engage with a government returned to civilian rule; and whether to answer a government's invitation.

Each function returns a mask (S, P, R) of ties where the decision is taken; the phase
`sim.core.phases.power_postures` applies them and records each as an event with its cause.
"""

from __future__ import annotations

import numpy as np


def strain_step(
    *,
    overstretch: np.ndarray,
    anchor: np.ndarray,
    volatility: np.ndarray,
    reversion: float,
    shock: np.ndarray,
    ceiling: float = 0.95,
) -> np.ndarray:
    """One review of a power's overstretch under its global driver (Russia: the war in Ukraine): pulled back
    towards its world value `anchor` by `reversion`, moved by volatility x shock, kept within 0..ceiling.
    All (P, R) or broadcasting to it."""
    return np.clip(overstretch + reversion * (anchor - overstretch) + volatility * shock, 0.0, ceiling)


def answers_invitation(*, threat: np.ndarray, junta: np.ndarray, protection: np.ndarray, minimum: float) -> np.ndarray:
    """A power sends troops where they serve its interest: against an insurgency (the state's threat), or
    to guard a junta if it protects regimes. Interest = threat + protection x junta, at least `minimum`:
    (S, P, R) bool. threat, junta (S, R); protection (P, 1) or (P, R)."""
    interest = threat[:, None, :] + protection[None] * junta[:, None, :]
    return interest >= minimum


def reinforce(
    *,
    present: np.ndarray,
    withdrawing: np.ndarray,
    affinity: np.ndarray,
    threat: np.ndarray,
    troops: np.ndarray,
    available: np.ndarray,
    size: float,
    affinity_min: float,
    threat_min: float,
    below: float,
    rate: np.ndarray,
    draw: np.ndarray,
) -> np.ndarray:
    """Reinforce a friendly government under pressure, unasked: forces there and staying, the host's affinity
    at least affinity_min, its threat at least threat_min, fewer than `below` troops, `size` troops to spare
    (available (P, R)); with probability rate (P, 1) or (P, R). At most one per power and quarter: the most
    threatened such state. (S, P, R) bool."""
    want = (
        present
        & ~withdrawing
        & (affinity >= affinity_min)
        & (threat[:, None, :] >= threat_min)
        & (troops < below)
        & (available[None] >= size)
        & (draw < rate[None])
    )
    ranked = np.where(want, np.broadcast_to(threat[:, None, :], want.shape), -np.inf)
    first = want & (ranked == ranked.max(axis=0, keepdims=True))
    return first & (np.cumsum(first, axis=0) == 1)


def draw_down(
    *,
    present: np.ndarray,
    withdrawing: np.ndarray,
    affinity: np.ndarray,
    threat: np.ndarray,
    troops: np.ndarray,
    over_committed: np.ndarray,
    affinity_below: float,
    threat_below: float,
    floor: float,
    rate: float,
    draw: np.ndarray,
) -> np.ndarray:
    """Cut a deployment: forces there, staying and above `floor`, where the host has cooled (affinity below
    affinity_below) and no insurgency needs them (threat below threat_below), or anywhere the power has more
    troops deployed than it can sustain (over_committed (P, R)); with probability rate. (S, P, R) bool."""
    cooled = (affinity < affinity_below) & (threat[:, None, :] < threat_below)
    return present & ~withdrawing & (troops > floor) & (cooled | over_committed[None]) & (draw < rate)


def pull_out(
    *, present: np.ndarray, withdrawing: np.ndarray, affinity: np.ndarray, below: float, rate: float, draw: np.ndarray
) -> np.ndarray:
    """Leave before being ordered out: forces there and not yet leaving, the host's affinity below `below`;
    with probability rate. (S, P, R) bool."""
    return present & ~withdrawing & (affinity < below) & (draw < rate)


def reengage(
    *,
    expelled: np.ndarray,
    present: np.ndarray,
    junta: np.ndarray,
    affinity: np.ndarray,
    expelled_at: np.ndarray,
    regime_since: np.ndarray,
    affinity_min: float,
) -> np.ndarray:
    """Re-engage with a state that once ordered the power out, now under a civilian government that came to
    power after the order (regime_since (S, R) later than expelled_at (S, P, R): not the government that
    expelled it) and is no longer hostile (affinity at least affinity_min): aid and invitations become
    possible again. (S, P, R) bool."""
    new_government = regime_since[:, None, :] > expelled_at
    return expelled & ~present & ~junta[:, None, :] & new_government & (affinity >= affinity_min)
