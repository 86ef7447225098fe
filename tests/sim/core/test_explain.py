"""sim.core.explain: plain-language causes built from the numbers, checked on hand-made contributions."""

from __future__ import annotations

import numpy as np

from sim.core.explain import explain_hazard, explain_turn, relative_terms
from sim.core.vocabulary import TERMS

SEC, ECO, PROT, SOV, COND, PEER, OPIN = range(len(TERMS))


def _contributions(**by_power: dict[int, float]) -> np.ndarray:
    """(T, P=2) contributions; keyword p0 / p1 maps term index -> value."""
    c = np.zeros((len(TERMS), 2))
    for p, terms in enumerate((by_power.get("p0", {}), by_power.get("p1", {}))):
        for t, v in terms.items():
            c[t, p] = v
    return c


def test_relative_terms_by_hand():
    c = _contributions(p0={SEC: 0.8, SOV: -0.4}, p1={SEC: 0.2})
    rel = relative_terms(c)
    # security: mean 0.5 -> +0.3 / -0.3; sovereignty: mean -0.2 -> -0.2 / +0.2
    np.testing.assert_allclose(rel[SEC], [0.3, -0.3])
    np.testing.assert_allclose(rel[SOV], [-0.2, 0.2])
    np.testing.assert_allclose(rel.sum(axis=1), 0.0, atol=1e-12)


def test_explain_turn_against_by_hand():
    # power 0 relative to the mean of the two: sovereignty -0.6 (a cost of 1.2 vs 0), opinion -0.2 (a benefit
    # below the other's: "weak"), security +0.1
    c = _contributions(p0={SOV: -1.2, OPIN: -0.4, SEC: 0.2}, p1={})
    text = explain_turn(True, c, 0, -0.45)
    assert text == (
        "sovereignty cost 0.60 and weak public opinion 0.20 outweighed security value 0.10 (affinity -0.45)"
    )


def test_explain_turn_towards_by_hand():
    # power 1 relative: regime protection +0.5; conditionality +0.3 (the other power's cost is higher:
    # "low"); peer -0.1 (below the other's: "weak")
    c = _contributions(p0={COND: -0.6, PEER: 0.2}, p1={PROT: 1.0})
    text = explain_turn(False, c, 1, 0.62)
    assert text == (
        "regime protection 0.50 and low conditionality cost 0.30 outweighed weak peer pressure 0.10 (affinity +0.62)"
    )


def test_explain_turn_against_with_nothing_in_favour():
    c = _contributions(p0={SOV: -1.0}, p1={})
    assert explain_turn(True, c, 0, -0.5) == "sovereignty cost 0.50 (with nothing in favour) (affinity -0.50)"


def test_explain_turn_keeps_the_two_strongest_terms():
    c = _contributions(p0={SEC: -0.2, ECO: -0.4, OPIN: -0.6, PEER: 0.2}, p1={})
    text = explain_turn(True, c, 0, -0.5)
    # relative: opinion -0.3, economic -0.2, security -0.1, peer +0.1
    assert text.startswith("weak public opinion 0.30 and weak economic value 0.20 outweighed")
    assert "security value" not in text


def test_explain_turn_with_a_single_power_names_no_term():
    c = np.ones((len(TERMS), 1))  # one power: every relative term is 0
    assert explain_turn(True, c, 0, -0.5) == "no single term (with nothing in favour) (affinity -0.50)"


def test_explain_hazard_by_hand():
    text = explain_hazard(
        0.0127, {"insurgent threat": 1.0, "weak legitimacy": 0.5, "coups next door": 0.75, "regime protection": -0.6}
    )
    # the three largest in absolute value, signed, in log-odds
    assert text == (
        "monthly risk 1.3% (insurgent threat +1.00, coups next door +0.75, regime protection -0.60 in log-odds)"
    )


def test_explain_hazard_without_factors():
    assert explain_hazard(0.0015, {"insurgent threat": 0.0, "weak legitimacy": 0.0}) == "monthly risk 0.1%"


def test_explain_turn_towards_with_nothing_against():
    c = _contributions(p0={}, p1={PROT: 1.0})
    assert explain_turn(False, c, 1, 0.7) == "regime protection 0.50 (with nothing against) (affinity +0.70)"


def test_explain_turn_does_not_claim_a_smaller_side_outweighed():
    # against power 0: relative security -0.1 vs regime protection +0.5 and opinion +0.3 (0.1 < 0.8):
    # the expulsion rides on affinity built up in earlier months, and the cause says so
    c = _contributions(p0={SEC: -0.2, PROT: 1.0, OPIN: 0.6}, p1={})
    text = explain_turn(True, c, 0, -0.4)
    assert "outweighed" not in text
    assert text == (
        "weak security value 0.10 against regime protection 0.50 and public opinion 0.30, "
        "with affinity still low from earlier months (affinity -0.40)"
    )
    # and towards a power: "still high"
    c = _contributions(p0={SEC: 0.2, PROT: -1.0}, p1={})
    assert explain_turn(False, c, 0, 0.6) == (
        "security value 0.10 against weak regime protection 0.50, "
        "with affinity still high from earlier months (affinity +0.60)"
    )
