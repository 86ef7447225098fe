"""sim.core.rules.policy: price of influence, softmax allocation of budgets, sticky adjustment."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.rules.policy import (
    adjust,
    influence_price,
    programme_plus_allocation,
    rival_guard,
    softmax_allocation,
)


def test_influence_price_by_hand():
    affinity = np.array([[[-1.0], [0.0], [1.0]]])  # (S=1, P=3, R=1)
    out = influence_price(
        affinity=affinity, population_m=np.array([9.0]), gdp_usd_bn=np.array([4.0]), gdp_cost_exponent=0.5
    )
    # people ln(1 + 9) = 2.3026; cost 4^0.5 = 2; room (1 - a)/2 = 1, 0.5, 0
    # 2.3026 x 1 / 2 = 1.1513; 2.3026 x 0.5 / 2 = 0.5756; 0
    np.testing.assert_allclose(out[0, :, 0], [1.1512925465, 0.5756462732, 0.0])


def test_influence_price_gdp_exponent_zero_ignores_gdp():
    a = np.zeros((2, 1, 1))
    out = influence_price(
        affinity=a, population_m=np.array([9.0, 9.0]), gdp_usd_bn=np.array([1.0, 400.0]), gdp_cost_exponent=0.0
    )
    assert out[0, 0, 0] == pytest.approx(out[1, 0, 0])


def test_softmax_allocation_by_hand():
    score = np.array([0.0, np.log(3.0)])[:, None, None]  # (S=2, P=1, R=1)
    eligible = np.ones_like(score, bool)
    out = softmax_allocation(score=score, eligible=eligible, budget=np.array([[100.0]]), temperature=1.0)
    # weights e^0 = 1 and e^ln3 = 3: shares 1/4 and 3/4 of 100
    np.testing.assert_allclose(out[:, 0, 0], [25.0, 75.0])


def test_softmax_temperature_softens():
    score = np.array([0.0, np.log(9.0)])[:, None, None]
    out = softmax_allocation(
        score=score, eligible=np.ones_like(score, bool), budget=np.array([[100.0]]), temperature=2.0
    )
    # e^(ln 9 / 2) = 3: again 25 / 75
    np.testing.assert_allclose(out[:, 0, 0], [25.0, 75.0])


def test_ineligible_states_get_nothing():
    score = np.array([5.0, 0.0])[:, None, None]
    eligible = np.array([False, True])[:, None, None]
    out = softmax_allocation(score=score, eligible=eligible, budget=np.array([[100.0]]), temperature=1.0)
    np.testing.assert_allclose(out[:, 0, 0], [0.0, 100.0])


def test_no_eligible_state_spends_nothing():
    score = np.array([5.0, 0.0])[:, None, None]
    out = softmax_allocation(
        score=score, eligible=np.zeros_like(score, bool), budget=np.array([[100.0]]), temperature=1.0
    )
    np.testing.assert_array_equal(out, 0.0)
    assert np.isfinite(out).all()


def test_allocation_spends_the_whole_budget_per_power():
    rng = np.random.default_rng(1)
    score = rng.normal(size=(4, 3, 2)) * 10
    eligible = rng.random((4, 3, 2)) < 0.7
    eligible[0] = True  # every power has somewhere to spend
    budget = np.array([[10.0, 20.0], [5.0, 0.0], [1.0, 3.0]])
    out = softmax_allocation(score=score, eligible=eligible, budget=budget, temperature=0.5)
    np.testing.assert_allclose(out.sum(axis=0), budget)
    assert (out[~eligible] == 0).all()


def test_adjust_by_hand():
    # 10 + 0.25 x (20 - 10) = 12.5
    assert adjust(current=np.array(10.0), target=np.array(20.0), rate=0.25) == pytest.approx(12.5)
    assert adjust(current=np.array(10.0), target=np.array(20.0), rate=0.0) == 10.0
    assert adjust(current=np.array(10.0), target=np.array(20.0), rate=1.0) == 20.0


def test_loyalty_spends_on_partners_as_well_as_on_the_room_to_gain():
    affinity = np.array([[[0.8]], [[-0.2]]])  # (S=2, P=1, R=1)
    out = influence_price(
        affinity=affinity,
        population_m=np.array([9.0, 9.0]),
        gdp_usd_bn=np.array([4.0, 4.0]),
        gdp_cost_exponent=0.5,
        loyalty=0.5,
    )
    # people 2.3026 / cost 2 = 1.1513; state 0: 0.5 x 0.1 + 0.5 x 0.8 = 0.45; state 1: 0.5 x 0.6 + 0 = 0.3
    np.testing.assert_allclose(out[:, 0, 0], [1.1512925465 * 0.45, 1.1512925465 * 0.3])


def test_rival_guard_is_the_strongest_rival_protection_present():
    protection = np.array([[0.1], [0.8], [0.6]])  # (P=3, 1)
    present = np.array([[[False], [True], [True]]])  # (S=1, P=3, R=1): powers 1 and 2 have forces there
    rivalry = np.array([[0.0, 1.0, 0.3], [1.0, 0.0, 0.3], [0.3, 0.3, 0.0]])
    out = rival_guard(protection=protection, present=present, rivalry=rivalry)
    # power 0: max(1.0 x 0.8, 0.3 x 0.6) = 0.8; power 1: its own forces do not count, 0.3 x 0.6 = 0.18;
    # power 2: 0.3 x 0.8 = 0.24
    np.testing.assert_allclose(out[0, :, 0], [0.8, 0.18, 0.24])


def test_programmes_are_kept_and_the_rest_spread():
    programmes = np.array([[30.0], [0.0]])  # (S=2, P=1)
    eligible = np.ones((2, 1, 1), bool)
    out = programme_plus_allocation(
        programmes=programmes, eligible=eligible, score=np.zeros((2, 1, 1)), budget=np.array([[50.0]]), temperature=1.0
    )
    # 30 kept in state 0; the other 20 split evenly (equal scores): 30 + 10 and 10
    np.testing.assert_allclose(out[:, 0, 0], [40.0, 10.0])
    closed = programme_plus_allocation(
        programmes=programmes,
        eligible=np.array([[[False]], [[True]]]),
        score=np.zeros((2, 1, 1)),
        budget=np.array([[50.0]]),
        temperature=1.0,
    )
    np.testing.assert_allclose(closed[:, 0, 0], [0.0, 50.0])  # a programme stops where the door has closed
    small = programme_plus_allocation(
        programmes=programmes, eligible=eligible, score=np.zeros((2, 1, 1)), budget=np.array([[20.0]]), temperature=1.0
    )
    np.testing.assert_allclose(small[:, 0, 0], [20.0, 0.0])  # programmes above the budget are scaled to it
