"""Powers' budget policies: how each power spreads its monthly budget across states.

heuristic: keep a share of the world's multi-year programmes, and spend the rest where influence is
  cheapest (many people, room to gain, a small economy, no expulsion or aid suspension in the way, no
  rival's forces guarding the regime), moving part of the way each month;
fixed: keep the flows of the world file;
scripted: shares set by the world file or a workshop team (given as a target allocation).
"""

from __future__ import annotations

import numpy as np


def influence_price(
    *,
    affinity: np.ndarray,
    population_m: np.ndarray,
    gdp_usd_bn: np.ndarray,
    gdp_cost_exponent: float,
    loyalty: float | np.ndarray = 0.0,
) -> np.ndarray:
    """Attractiveness of spending in a state: people per unit cost times what the money is for: (S, P, R).

    It is for the room to gain, (1 - affinity)/2 (zero for a state already fully aligned), and, with
    weight `loyalty`, for keeping a partner, max(affinity, 0): powers look after the governments that
    side with them as well as courting the others.
    """
    room = (1.0 - loyalty) * (1.0 - affinity) / 2.0 + loyalty * np.maximum(affinity, 0.0)
    people = np.log1p(population_m)[:, None, None]
    cost = (gdp_usd_bn**gdp_cost_exponent)[:, None, None]
    return people * room / cost


def rival_guard(*, protection: np.ndarray, present: np.ndarray, rivalry: np.ndarray) -> np.ndarray:
    """How firmly a rival holds each state: the strongest regime protection of a power whose forces are
    there, times its rivalry with the power considering it (own forces excluded, rivalry 0 with itself):
    (S, P, R) in 0..1. protection (P, 1) or (P, R); present (S, P, R); rivalry (P, P)."""
    held = protection[None] * present  # (S, Q, R)
    return (rivalry[None, :, :, None] * held[:, None, :, :]).max(axis=2)


def programme_plus_allocation(
    *, programmes: np.ndarray, eligible: np.ndarray, score: np.ndarray, budget: np.ndarray, temperature: float
) -> np.ndarray:
    """The world's multi-year programmes (S, P) kept where still eligible, and the rest of each power's
    budget (P, R) spread by a softmax of score over eligible states: (S, P, R). Programmes larger than
    the budget are scaled down to it."""
    kept = programmes[:, :, None] * eligible
    total = kept.sum(axis=0)  # (P, R)
    scale = np.where(total > budget, budget / np.maximum(total, 1e-12), 1.0)
    kept = kept * scale[None]
    rest = np.maximum(budget - kept.sum(axis=0), 0.0)
    return kept + softmax_allocation(score=score, eligible=eligible, budget=rest, temperature=temperature)


def softmax_allocation(
    *, score: np.ndarray, eligible: np.ndarray, budget: np.ndarray, temperature: float
) -> np.ndarray:
    """Spread each power's budget (P, R) over eligible states by a softmax of score: (S, P, R).

    A power with no eligible state spends nothing there.
    """
    z = np.where(eligible, score / temperature, -np.inf)
    zmax = z.max(axis=0, keepdims=True)
    zmax = np.where(np.isfinite(zmax), zmax, 0.0)
    w = np.where(eligible, np.exp(z - zmax), 0.0)
    total = w.sum(axis=0, keepdims=True)
    share = np.where(total > 0, w / np.where(total > 0, total, 1.0), 0.0)
    return share * budget[None]


def adjust(*, current: np.ndarray, target: np.ndarray, rate: float | np.ndarray) -> np.ndarray:
    """Move part of the way towards the target allocation (budgets are sticky)."""
    return current + rate * (target - current)
