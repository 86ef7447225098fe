"""sim.core.rules.alignment: affinity target and update, opinion target and update."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.core.rules.alignment import affinity_target, opinion_target, update_affinity, update_opinion

ZERO_SUM = {"relative_weight": 1.0, "indifference": 0.0, "capacity": 10.0}


def test_zero_sum_target_is_relative_to_the_mean():
    utility = np.array([[[1.0], [0.0]]])  # (S=1, P=2, R=1)
    out = affinity_target(utility=utility, rationality=1.5, **ZERO_SUM)
    # mean 0.5: tanh(1.5 x 0.5) = tanh(0.75) = 0.6351; tanh(-0.75) = -0.6351
    np.testing.assert_allclose(out[0, :, 0], [0.6351489524, -0.6351489524])


def test_zero_sum_target_ignores_a_common_shift():
    utility = np.array([[[1.0], [0.0]]])
    np.testing.assert_allclose(
        affinity_target(utility=utility + 3.0, rationality=1.5, **ZERO_SUM),
        affinity_target(utility=utility, rationality=1.5, **ZERO_SUM),
    )


def test_absolute_target_lets_a_state_warm_to_two_powers_at_once():
    """Two powers both worth 0.5 (above the indifference level 0.1): both targets are positive, where
    the zero-sum response would make both 0."""
    utility = np.array([[[0.5], [0.5], [-0.2]]])
    out = affinity_target(utility=utility, rationality=1.5, relative_weight=0.0, indifference=0.1, capacity=10.0)
    # tanh(1.5 x 0.4) = tanh(0.6) = 0.5370; tanh(1.5 x -0.3) = tanh(-0.45) = -0.4219
    np.testing.assert_allclose(out[0, :, 0], [0.5370495670, 0.5370495670, -0.4218990053])
    zero_sum = affinity_target(utility=utility, rationality=1.5, **ZERO_SUM)
    assert zero_sum[0, 0, 0] == pytest.approx(zero_sum[0, 1, 0]) and zero_sum[0, 0, 0] < out[0, 0, 0]


def test_blend_of_absolute_and_relative_reference():
    utility = np.array([[[1.0], [0.0]]])
    out = affinity_target(utility=utility, rationality=1.0, relative_weight=0.5, indifference=0.2, capacity=10.0)
    # reference 0.5 x 0.5 (mean) + 0.5 x 0.2 = 0.35: tanh(0.65) = 0.5717, tanh(-0.35) = -0.3364
    np.testing.assert_allclose(out[0, :, 0], [0.5716699661, -0.3363755443])


def test_capacity_scales_the_warm_targets_down_together():
    utility = np.array([[[2.0], [2.0], [2.0], [-1.0]]])
    out = affinity_target(utility=utility, rationality=1.0, relative_weight=0.0, indifference=0.0, capacity=1.5)
    # each warm target tanh(2) = 0.9640, three add up to 2.8921 > 1.5: each x 1.5 / 2.8921 = 0.5;
    # the cold one, tanh(-1) = -0.7616, is not scaled
    np.testing.assert_allclose(out[0, :, 0], [0.5, 0.5, 0.5, -0.7615941560])


def test_zero_rationality_makes_powers_equal():
    out = affinity_target(
        utility=np.array([[[5.0], [-2.0], [0.3]]]),
        rationality=0.0,
        relative_weight=0.1,
        indifference=0.07,
        capacity=1.5,
    )
    np.testing.assert_array_equal(out, 0.0)


def test_affinity_target_per_run_rationality():
    utility = np.array([[[1.0, 1.0], [0.0, 0.0]]])  # (S=1, P=2, R=2)
    out = affinity_target(utility=utility, rationality=np.array([1.5, 0.0]), **ZERO_SUM)
    # run 0: tanh(0.75) = 0.6351; run 1: tanh(0) = 0
    np.testing.assert_allclose(out[0, 0], [0.6351489524, 0.0])


@settings(max_examples=200, deadline=None)
@given(
    utility=arrays(float, (3, 4, 2), elements=st.floats(-3, 3)),
    relative=st.floats(0, 1),
    indifference=st.floats(-1, 1),
    capacity=st.floats(0.1, 5),
    rationality=st.floats(0, 5),
)
def test_targets_stay_within_bounds_and_capacity(utility, relative, indifference, capacity, rationality):
    out = affinity_target(
        utility=utility, rationality=rationality, relative_weight=relative, indifference=indifference, capacity=capacity
    )
    assert np.all(np.abs(out) <= 1.0)
    assert np.all(np.maximum(out, 0.0).sum(axis=1) <= capacity + 1e-9)
    # the order of powers by utility is kept: a power worth more never gets a lower target
    order = np.argsort(utility, axis=1, kind="stable")
    assert np.all(np.diff(np.take_along_axis(out, order, axis=1), axis=1) >= -1e-12)


def test_update_affinity_by_hand():
    # 0.85 x 0.5 + 0.15 x 1.0 + 0.02 x 1 = 0.425 + 0.15 + 0.02 = 0.595
    out = update_affinity(affinity=np.array(0.5), target=np.array(1.0), inertia=0.85, noise=0.02, shock=np.array(1.0))
    assert out == pytest.approx(0.595)


def test_update_affinity_is_clipped():
    # 0.99 x 0.99 + 0.01 x 1 + 0.5 x 3 > 1  ->  1
    assert (
        update_affinity(affinity=np.array(0.99), target=np.array(1.0), inertia=0.99, noise=0.5, shock=np.array(3.0))
        == 1.0
    )
    assert (
        update_affinity(affinity=np.array(-0.99), target=np.array(-1.0), inertia=0.99, noise=0.5, shock=np.array(-3.0))
        == -1.0
    )


def test_zero_inertia_jumps_to_target():
    assert update_affinity(
        affinity=np.array(-0.7), target=np.array(0.4), inertia=0.0, noise=0.0, shock=np.array(2.0)
    ) == pytest.approx(0.4)


def test_opinion_target_by_hand():
    info = np.array([[[1.0]]])
    presence = np.array([[[1.0]]])
    threat = np.array([[0.5]])
    sov = np.array([[[0.2]]])
    out = opinion_target(
        info_ops_usd_m=info,
        presence=presence,
        threat=threat,
        sovereignty=sov,
        info_effect=1.0,
        info_scale_usd_m=1.0,
        blame=1.0,
        resentment=1.0,
    )
    # pull 1 x (1 - e^-1) = 0.6321; push 1 x 1 x 0.5 + 1 x 0.2 = 0.7; tanh(-0.0679) = -0.0678
    assert out[0, 0, 0] == pytest.approx(-0.0677753788)


def test_absent_power_is_not_blamed():
    out = opinion_target(
        info_ops_usd_m=np.zeros((1, 1, 1)),
        presence=np.zeros((1, 1, 1)),
        threat=np.array([[0.9]]),
        sovereignty=np.zeros((1, 1, 1)),
        info_effect=1.0,
        info_scale_usd_m=1.0,
        blame=5.0,
        resentment=1.0,
    )
    assert out[0, 0, 0] == 0.0  # tanh(0 - 0)


def test_update_opinion_by_hand():
    # (1 - 0.1) x 0 + 0.1 x 0.5 + 0 = 0.05
    assert update_opinion(
        opinion=np.array(0.0), target=np.array(0.5), drift=0.1, noise=0.0, shock=np.array(1.0)
    ) == pytest.approx(0.05)
    # with noise: 0.05 + 0.02 x (-1) = 0.03
    assert update_opinion(
        opinion=np.array(0.0), target=np.array(0.5), drift=0.1, noise=0.02, shock=np.array(-1.0)
    ) == pytest.approx(0.03)


def test_update_opinion_is_clipped():
    assert update_opinion(opinion=np.array(0.9), target=np.array(1.0), drift=0.5, noise=0.5, shock=np.array(4.0)) == 1.0
    assert (
        update_opinion(opinion=np.array(-0.9), target=np.array(-1.0), drift=0.5, noise=0.5, shock=np.array(-4.0))
        == -1.0
    )
