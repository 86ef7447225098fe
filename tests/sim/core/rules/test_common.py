"""sim.core.rules.common: saturating scale, sigmoid/logit and the neighbour mean, checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.rules.common import logit, neighbour_mean, saturate, sigmoid


def test_saturate_at_scale_is_63_percent():
    # saturate(10, 10) = 1 - e^-1 = 0.6321
    assert saturate(10.0, 10.0) == pytest.approx(0.6321205588)


def test_saturate_values():
    x = np.array([0.0, 10.0, 20.0])
    # 1 - e^0 = 0; 1 - e^-1 = 0.6321; 1 - e^-2 = 0.8647
    np.testing.assert_allclose(saturate(x, 10.0), [0.0, 0.6321205588, 0.8646647168])


def test_saturate_per_run_scale():
    # x = 5 in two runs with scales 5 and 10: 1 - e^-1 = 0.6321, 1 - e^-0.5 = 0.3935
    out = saturate(np.array([[5.0, 5.0]]), np.array([5.0, 10.0]))
    np.testing.assert_allclose(out, [[0.6321205588, 0.3934693403]])


def test_saturate_is_increasing_and_below_one():
    x = np.linspace(0.0, 1e3, 101)
    y = saturate(x, 1.0)
    assert np.all(np.diff(y) >= 0)
    assert np.all(y <= 1.0)


def test_sigmoid_and_logit_by_hand():
    assert sigmoid(0.0) == pytest.approx(0.5)  # 1 / (1 + e^0) = 0.5
    assert sigmoid(np.log(3.0)) == pytest.approx(0.75)  # 1 / (1 + 1/3) = 0.75
    assert logit(0.75) == pytest.approx(np.log(3.0))  # ln(0.75 / 0.25) = ln 3 = 1.0986
    assert logit(0.5) == pytest.approx(0.0)


def test_logit_clips_zero_and_one():
    # p clipped to 1e-12: ln(1e-12) - ln(1 - 1e-12) = -27.631
    assert logit(0.0) == pytest.approx(-27.631021116)
    assert logit(1.0) == pytest.approx(27.631021116)
    assert np.isfinite(logit(np.array([0.0, 1.0]))).all()


def test_logit_inverts_sigmoid():
    z = np.array([-5.0, -0.3, 0.0, 2.0, 7.0])
    np.testing.assert_allclose(logit(sigmoid(z)), z, atol=1e-9)


def test_neighbour_mean_on_tiny_world(tiny_world):
    # NER borders MLI and BEN; MLI and BEN border NER only.
    x = np.array([1.0, 2.0, 4.0])  # NER, MLI, BEN
    out = neighbour_mean(x, tiny_world.neighbours, tiny_world.neighbour_mask)
    # NER: (2 + 4) / 2 = 3; MLI: 1; BEN: 1
    np.testing.assert_allclose(out, [3.0, 1.0, 1.0])


def test_neighbour_mean_keeps_trailing_axes(tiny_world):
    # (S, R) with two runs; the second run is 10x the first.
    x = np.array([[1.0, 10.0], [2.0, 20.0], [4.0, 40.0]])
    out = neighbour_mean(x, tiny_world.neighbours, tiny_world.neighbour_mask)
    np.testing.assert_allclose(out, [[3.0, 30.0], [1.0, 10.0], [1.0, 10.0]])


def test_neighbour_mean_of_isolated_state_is_zero():
    # two states with no neighbour (padded with themselves, masked out)
    neighbours = np.array([[0], [1]])
    mask = np.zeros((2, 1), dtype=bool)
    out = neighbour_mean(np.array([5.0, 7.0]), neighbours, mask)
    np.testing.assert_array_equal(out, [0.0, 0.0])
