"""sim.core.rules.insurgency: foreign security help, combined threat and one month of insurgency."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.rules.insurgency import insurgency_step, security_help, threat

# tiny world: NER=0 (borders MLI, BEN), MLI=1, BEN=2
INTENSITY = np.array([0.4, 0.6, 0.1])[:, None, None]  # (S, G=1, R=1)
CAPACITY = np.array([0.4, 0.5, 0.5])
HELP = np.array([[0.2], [0.0], [0.0]])  # (S, R): summed foreign help


def test_security_help_by_hand():
    troops = np.array([[[500.0]]])
    aid = np.array([[[10.0]]])
    overstretch = np.array([[0.2]])  # (P, 1)
    # saturate(500/500 + 10/10, 1) x (1 - 0.2) = (1 - e^-2) x 0.8 = 0.8647 x 0.8 = 0.6917
    out = security_help(
        troops=troops, aid_security_usd_m=aid, overstretch=overstretch, troop_scale=500.0, aid_scale_usd_m=10.0
    )
    assert out[0, 0, 0] == pytest.approx(0.6917317734)


def test_security_help_zero_without_troops_or_aid():
    out = security_help(
        troops=np.zeros((2, 2, 1)),
        aid_security_usd_m=np.zeros((2, 2, 1)),
        overstretch=np.array([[0.0], [0.5]]),
        troop_scale=500.0,
        aid_scale_usd_m=10.0,
    )
    np.testing.assert_array_equal(out, 0.0)


def test_full_overstretch_gives_no_help():
    out = security_help(
        troops=np.full((1, 1, 1), 1e4),
        aid_security_usd_m=np.full((1, 1, 1), 1e3),
        overstretch=np.array([[1.0]]),
        troop_scale=500.0,
        aid_scale_usd_m=10.0,
    )
    assert out[0, 0, 0] == 0.0


def test_threat_combines_groups():
    intensity = np.array([[[0.5], [0.5]], [[0.2], [0.0]]])  # (S=2, G=2, R=1)
    # 1 - (1 - 0.5)(1 - 0.5) = 0.75; 1 - (1 - 0.2)(1 - 0) = 0.2
    np.testing.assert_allclose(threat(intensity), [[0.75], [0.2]])


def test_insurgency_step_by_hand(tiny_world):
    out = insurgency_step(
        intensity=INTENSITY,
        neighbours=tiny_world.neighbours,
        mask=tiny_world.neighbour_mask,
        capacity=CAPACITY,
        help_total=HELP,
        growth=0.06,
        spread=0.03,
        suppression=0.06,
        noise=0.02,
        shock=np.zeros((3, 1, 1)),
    )
    # NER: grow 0.06 x 0.4 x 0.6 = 0.0144; neighbours' mean (0.6 + 0.1)/2 = 0.35 < 0.4, no spill;
    #      suppress 0.06 x (0.4 + 0.2) x 0.4 = 0.0144  ->  0.4 + 0.0144 - 0.0144 = 0.4
    # MLI: grow 0.06 x 0.6 x 0.4 = 0.0144; neighbour NER 0.4 < 0.6, no spill;
    #      suppress 0.06 x 0.5 x 0.6 = 0.018  ->  0.6 + 0.0144 - 0.018 = 0.5964
    # BEN: grow 0.06 x 0.1 x 0.9 = 0.0054; spill 0.03 x (0.4 - 0.1) = 0.009;
    #      suppress 0.06 x 0.5 x 0.1 = 0.003  ->  0.1 + 0.0054 + 0.009 - 0.003 = 0.1114
    np.testing.assert_allclose(out[:, 0, 0], [0.4, 0.5964, 0.1114])


def test_group_growth_scales_one_groups_growth(tiny_world):
    out = insurgency_step(
        intensity=INTENSITY,
        neighbours=tiny_world.neighbours,
        mask=tiny_world.neighbour_mask,
        capacity=CAPACITY,
        help_total=HELP,
        growth=0.06,
        spread=0.03,
        suppression=0.06,
        noise=0.02,
        shock=np.zeros((3, 1, 1)),
        group_growth=np.array([0.5]),
    )
    # as above with growth 0.06 x 0.5 = 0.03: NER 0.4 + 0.0072 - 0.0144 = 0.3928; MLI 0.6 + 0.0072 - 0.018 = 0.5892;
    # BEN 0.1 + 0.0027 + 0.009 - 0.003 = 0.1087
    np.testing.assert_allclose(out[:, 0, 0], [0.3928, 0.5892, 0.1087])


def test_insurgency_noise_scales_with_intensity(tiny_world):
    shock = np.array([1.0, 0.0, 0.0])[:, None, None]
    out = insurgency_step(
        intensity=INTENSITY,
        neighbours=tiny_world.neighbours,
        mask=tiny_world.neighbour_mask,
        capacity=CAPACITY,
        help_total=HELP,
        growth=0.06,
        spread=0.03,
        suppression=0.06,
        noise=0.02,
        shock=shock,
    )
    # NER: 0.4 + 0.02 x 0.4 x 1 = 0.408
    assert out[0, 0, 0] == pytest.approx(0.408)


def test_absent_group_gets_no_shock_and_no_growth():
    neighbours, mask = np.array([[0]]), np.zeros((1, 1), bool)
    out = insurgency_step(
        intensity=np.zeros((1, 1, 1)),
        neighbours=neighbours,
        mask=mask,
        capacity=np.array([0.0]),
        help_total=np.zeros((1, 1)),
        growth=0.5,
        spread=0.5,
        suppression=0.5,
        noise=0.5,
        shock=np.full((1, 1, 1), 3.0),
    )
    assert out[0, 0, 0] == 0.0


def test_insurgency_stays_within_unit_interval():
    neighbours, mask = np.array([[0]]), np.zeros((1, 1), bool)
    high = insurgency_step(
        intensity=np.ones((1, 1, 1)),
        neighbours=neighbours,
        mask=mask,
        capacity=np.array([0.0]),
        help_total=np.zeros((1, 1)),
        growth=1.0,
        spread=1.0,
        suppression=0.0,
        noise=0.5,
        shock=np.full((1, 1, 1), 5.0),
    )
    low = insurgency_step(
        intensity=np.full((1, 1, 1), 0.5),
        neighbours=neighbours,
        mask=mask,
        capacity=np.array([1.0]),
        help_total=np.ones((1, 1)),
        growth=0.0,
        spread=0.0,
        suppression=1.0,
        noise=0.5,
        shock=np.full((1, 1, 1), -5.0),
    )
    assert high[0, 0, 0] == 1.0
    assert low[0, 0, 0] == 0.0


def test_help_leaving_lets_the_group_grow_back(tiny_world):
    kw = dict(growth=0.06, spread=0.03, suppression=0.06, noise=0.0, shock=np.zeros((3, 1, 1)))
    with_help = insurgency_step(
        intensity=INTENSITY,
        neighbours=tiny_world.neighbours,
        mask=tiny_world.neighbour_mask,
        capacity=CAPACITY,
        help_total=HELP,
        **kw,
    )
    without = insurgency_step(
        intensity=INTENSITY,
        neighbours=tiny_world.neighbours,
        mask=tiny_world.neighbour_mask,
        capacity=CAPACITY,
        help_total=np.zeros((3, 1)),
        **kw,
    )
    # NER without the 0.2 help: 0.4 + 0.0144 - 0.06 x 0.4 x 0.4 (= 0.0096) = 0.4048
    assert without[0, 0, 0] == pytest.approx(0.4048)
    assert without[0, 0, 0] > with_help[0, 0, 0]
