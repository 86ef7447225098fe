"""Powers' budget policies: how each power spreads its monthly budget across states.

heuristic: seek influence where it is cheapest (many people, room to gain, a small economy,
  no expulsion or aid suspension in the way), moving part of the way each month;
fixed: keep the flows of the world file;
scripted: shares set by the world file or a workshop team (given as a target allocation).
"""

from __future__ import annotations

import numpy as np


def influence_price(*, affinity: np.ndarray, population_m: np.ndarray, gdp_usd_bn: np.ndarray,
                    gdp_cost_exponent: float) -> np.ndarray:
    """Attractiveness of spending in a state: people per unit cost times the room to gain: (S, P, R).

    Room to gain is (1 - affinity)/2 for states still open to the power and zero for states
    already fully aligned.
    """
    room = (1.0 - affinity) / 2.0
    people = np.log1p(population_m)[:, None, None]
    cost = (gdp_usd_bn ** gdp_cost_exponent)[:, None, None]
    return people * room / cost


def softmax_allocation(*, score: np.ndarray, eligible: np.ndarray, budget: np.ndarray,
                       temperature: float) -> np.ndarray:
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
