"""Plain-language causes for events, from the numbers that drove them."""

from __future__ import annotations

import numpy as np

from sim.params import TERMS

TERM_LABELS: dict[str, str] = {
    "security": "security value",
    "economic": "economic value",
    "regime_protection": "regime protection",
    "sovereignty": "sovereignty cost",
    "conditionality": "conditionality cost",
    "peer": "peer pressure",
    "opinion": "public opinion",
}


def _listing(items: list[tuple[str, float]]) -> str:
    parts = [f"{name} {abs(v):.2f}" for name, v in items]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def relative_terms(contributions: np.ndarray) -> np.ndarray:
    """Each term's contribution relative to the mean over powers: (T, P) -> (T, P).

    Affinity follows utility relative to the other powers, so this is what moved it.
    """
    return contributions - contributions.mean(axis=1, keepdims=True)


def explain_turn(against: bool, contributions: np.ndarray, power: int, affinity: float) -> str:
    """Why a government turned against (or towards) a power: the strongest terms on each side.

    contributions is (T, P), the state's signed weighted terms for every power; each term is
    taken relative to the mean over powers, since affinity follows relative utility.
    """
    relative = relative_terms(contributions)[:, power]
    named = [(TERM_LABELS[t], float(v)) for t, v in zip(TERMS, relative, strict=True)]
    neg = sorted((x for x in named if x[1] < 0), key=lambda x: x[1])[:2]
    pos = sorted((x for x in named if x[1] > 0), key=lambda x: -x[1])[:2]
    first, second = (neg, pos) if against else (pos, neg)
    verb = "outweighed" if second else "with nothing in favour"
    head = _listing(first) if first else "no single term"
    tail = f" {verb} {_listing(second)}" if second else f" ({verb})"
    return f"{head}{tail} (affinity {affinity:+.2f})"


def explain_hazard(probability: float, factors: dict[str, float]) -> str:
    """A hazard and its largest log-odds contributions, e.g. for a coup."""
    top = sorted(factors.items(), key=lambda kv: -abs(kv[1]))[:3]
    parts = ", ".join(f"{name} {v:+.2f}" for name, v in top if abs(v) > 1e-9)
    return f"monthly risk {probability:.1%} ({parts} in log-odds)" if parts else f"monthly risk {probability:.1%}"
