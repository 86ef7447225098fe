"""Plain-language causes for events, from the numbers that drove them."""

from __future__ import annotations

import numpy as np

from sim.core.vocabulary import COST_TERMS, TERM_LABELS, TERMS


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
    # A cost below the other powers' argues for the power ("low sovereignty cost"); a benefit
    # below theirs argues against it ("weak security value").
    named = [
        (
            (("low " if t in COST_TERMS else "") if v > 0 else ("" if t in COST_TERMS else "weak ")) + TERM_LABELS[t],
            float(v),
        )
        for t, v in zip(TERMS, relative, strict=True)
    ]
    neg = sorted((x for x in named if x[1] < 0), key=lambda x: x[1])
    pos = sorted((x for x in named if x[1] > 0), key=lambda x: -x[1])
    first, second = (neg, pos) if against else (pos, neg)
    head = _listing(first[:2]) if first else "no single term"
    if not second:
        return f"{head} (with nothing {'in favour' if against else 'against'}) (affinity {affinity:+.2f})"
    if sum(abs(v) for _, v in first) >= sum(abs(v) for _, v in second):
        return f"{head} outweighed {_listing(second[:2])} (affinity {affinity:+.2f})"
    # This month's terms lean the other way: the decision rides on affinity built up earlier.
    mood = "low" if against else "high"
    return (
        f"{head} against {_listing(second[:2])}, with affinity still {mood} from earlier months "
        f"(affinity {affinity:+.2f})"
    )


def explain_odds(label: str, probability: float, factors: dict[str, float]) -> str:
    """A chance and its nonzero log-odds contributions, e.g. 'success chance 23.0% (regime protection -0.80)'."""
    parts = ", ".join(f"{name} {v:+.2f}" for name, v in factors.items() if abs(v) > 1e-9)
    return f"{label} {probability:.1%}" + (f" ({parts} in log-odds)" if parts else "")


def explain_hazard(probability: float, factors: dict[str, float]) -> str:
    """A hazard and its largest log-odds contributions, e.g. for a coup."""
    top = sorted(factors.items(), key=lambda kv: -abs(kv[1]))[:3]
    parts = ", ".join(f"{name} {v:+.2f}" for name, v in top if abs(v) > 1e-9)
    return f"monthly risk {probability:.1%} ({parts} in log-odds)" if parts else f"monthly risk {probability:.1%}"
