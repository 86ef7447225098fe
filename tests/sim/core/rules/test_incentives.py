"""sim.core.rules.incentives: the named terms, peer pressure on the tiny world and the weighted utility."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.rules.incentives import (
    TERM_SIGN,
    conditionality_cost,
    economic_value,
    peer_pressure,
    power_capability,
    regime_protection_value,
    security_value,
    sovereignty_cost,
    utility,
    visibility,
    weights_by_regime,
)
from sim.core.vocabulary import TERMS


def test_security_value_by_hand():
    threat = np.array([[0.5]])  # (S=1, R=1)
    help_sp = np.array([[[0.3], [0.0]]])  # (S=1, P=2, R=1)
    capability = np.array([[0.5], [0.2]])  # (P, 1)
    out = security_value(
        threat=threat, help_sp=help_sp, capability=capability, potential_weight=0.3, remote=np.zeros((2, 1))
    )
    # power 0: 0.5 x min(0.3 + 0.3 x 0.5, 1) = 0.5 x 0.45 = 0.225
    # power 1: 0.5 x min(0 + 0.3 x 0.2, 1) = 0.5 x 0.06 = 0.03
    np.testing.assert_allclose(out[0, :, 0], [0.225, 0.03])
    # armed drones without troops (remote 0.2) add to power 1's offer: 0.5 x (0.06 + 0.2) = 0.13
    drones = security_value(
        threat=threat, help_sp=help_sp, capability=capability, potential_weight=0.3, remote=np.array([[0.0], [0.2]])
    )
    np.testing.assert_allclose(drones[0, :, 0], [0.225, 0.13])


def test_security_offer_is_capped_at_one():
    out = security_value(
        threat=np.array([[0.4]]),
        help_sp=np.array([[[0.9]]]),
        capability=np.array([[1.0]]),
        potential_weight=0.3,
        remote=np.array([[0.5]]),
    )
    # min(0.9 + 0.3 + 0.5, 1) = 1  ->  0.4 x 1 = 0.4
    assert out[0, 0, 0] == pytest.approx(0.4)


def test_no_threat_no_security_value():
    out = security_value(
        threat=np.zeros((2, 1)),
        help_sp=np.ones((2, 3, 1)),
        capability=np.ones((3, 1)),
        potential_weight=0.3,
        remote=np.ones((3, 1)),
    )
    np.testing.assert_array_equal(out, 0.0)


def test_power_capability_by_hand():
    # saturate(20, 20) x (1 - 0.5) = 0.6321 x 0.5 = 0.3161
    out = power_capability(budget_security_usd_m=np.array([[20.0]]), overstretch=np.array([[0.5]]), scale_usd_m=20.0)
    assert out[0, 0] == pytest.approx(0.3160602794)


def test_economic_value_by_hand():
    aid = np.array([[[5.0]]])  # US$ 5 m a month
    gdp = np.array([10.0])  # US$ 10 bn
    trade = np.array([[0.2]])  # the power's share of the state's trade
    # yearly share 5 x 12 / (10 x 1000) = 0.006; saturate(0.006, 0.003) = 1 - e^-2 = 0.8647;
    # trade: saturate(0.2, 0.2) = 1 - e^-1 = 0.6321; 0.5 x 0.8647 + 0.5 x 0.6321 = 0.7484
    out = economic_value(
        aid_economic_usd_m=aid,
        aid_suspended=np.zeros((1, 1, 1), bool),
        gdp_usd_bn=gdp,
        trade=trade,
        aid_gdp_scale=0.003,
        aid_weight=0.5,
        trade_weight=0.5,
        trade_share_scale=0.2,
    )
    assert out[0, 0, 0] == pytest.approx(0.5 * (1 - np.exp(-2)) + 0.5 * (1 - np.exp(-1)))
    assert out[0, 0, 0] == pytest.approx(0.7484, abs=1e-4)
    # suspended aid counts for nothing: 0.5 x 0 + 0.5 x 0.6321 = 0.3161
    out = economic_value(
        aid_economic_usd_m=aid,
        aid_suspended=np.ones((1, 1, 1), bool),
        gdp_usd_bn=gdp,
        trade=trade,
        aid_gdp_scale=0.003,
        aid_weight=0.5,
        trade_weight=0.5,
        trade_share_scale=0.2,
    )
    assert out[0, 0, 0] == pytest.approx(0.3161, abs=1e-4)


def test_economic_value_weights_are_separate():
    """Trade counting less does not make aid count more: 0.5 x 0.8647 + 0.3 x 0.6321 = 0.6220."""
    out = economic_value(
        aid_economic_usd_m=np.array([[[5.0]]]),
        aid_suspended=np.zeros((1, 1, 1), bool),
        gdp_usd_bn=np.array([10.0]),
        trade=np.array([[0.2]]),
        aid_gdp_scale=0.003,
        aid_weight=0.5,
        trade_weight=0.3,
        trade_share_scale=0.2,
    )
    assert out[0, 0, 0] == pytest.approx(0.5 * (1 - np.exp(-2)) + 0.3 * (1 - np.exp(-1)))
    assert out[0, 0, 0] == pytest.approx(0.6220, abs=1e-4)


def test_regime_protection_value_by_hand():
    prot, over = np.array([[0.8]]), np.array([[0.5]])
    # present: 0.8 (a guard on the spot, whatever the overstretch); absent: 0.8 x 0.15 x (1 - 0.5) = 0.06
    assert regime_protection_value(protection=prot, overstretch=over, presence=np.ones((1, 1, 1)), absent_share=0.15)[
        0, 0, 0
    ] == pytest.approx(0.8)
    assert regime_protection_value(protection=prot, overstretch=over, presence=np.zeros((1, 1, 1)), absent_share=0.15)[
        0, 0, 0
    ] == pytest.approx(0.06)


def test_visibility_by_hand():
    troops = np.array([0.0, 300.0])
    # 0.3 + 0.7 x 0 = 0.3; 0.3 + 0.7 x (1 - e^-1) = 0.3 + 0.4425 = 0.7425
    np.testing.assert_allclose(visibility(troops=troops, base=0.3, troop_scale=300.0), [0.3, 0.7424843912])


def test_sovereignty_cost_by_hand():
    baggage = np.array([[0.8], [0.05]])  # (P, 1)
    visible = np.array([[[0.5], [1.0]]])  # (S=1, P=2, R=1)
    nationalism = np.array([0.9])
    # 0.8 x 0.5 x 0.9 = 0.36; 0.05 x 1.0 x 0.9 = 0.045
    out = sovereignty_cost(baggage=baggage, visible=visible, nationalism=nationalism)
    np.testing.assert_allclose(out[0, :, 0], [0.36, 0.045])


def _no_fade_no_pact(states: int) -> dict:
    """Demands that never fade and no pact relief: the cost as it was before issue 13 (2 powers, 1 run)."""
    return dict(
        pact=np.zeros((states, 2)), pact_relief=0.0, months_since_coup=np.zeros((states, 1), int), halflife_months=0.0
    )


def test_conditionality_cost_by_hand():
    cond = np.array([[1.0], [0.0]])  # USA strict, RUS none
    junta = np.array([[True], [False]])  # (S=2, R=1)
    suspended = np.array([[[False], [False]], [[True], [False]]])
    out = conditionality_cost(conditionality=cond, junta=junta, aid_suspended=suspended, **_no_fade_no_pact(2))
    # junta, aid flowing: 1.0 x 1 x (0.5 + 0) = 0.5; RUS 0
    # civilian: no cost whatever the suspension
    np.testing.assert_allclose(out[:, :, 0], [[0.5, 0.0], [0.0, 0.0]])
    # junta with aid cut: 1.0 x 1 x (0.5 + 0.5) = 1.0
    out = conditionality_cost(
        conditionality=cond, junta=np.array([[True]]), aid_suspended=np.array([[[True], [True]]]), **_no_fade_no_pact(1)
    )
    np.testing.assert_allclose(out[0, :, 0], [1.0, 0.0])


def _peer(world, affinity, junta, share=0.5, cross=0.3):
    out = peer_pressure(
        affinity=np.asarray(affinity, float)[:, None, None],
        junta=np.asarray(junta)[:, None],
        neighbours=world.neighbours,
        mask=world.neighbour_mask,
        member=world.member[:, :, None],
        neighbour_share=share,
        cross_regime=cross,
    )
    return out[:, 0, 0]


def test_peer_pressure_on_tiny_world_mixed_regimes(tiny_world):
    # NER (junta) borders MLI (junta) and BEN (civilian); ECOWAS = {NER, BEN}; AES = {MLI}.
    aff = [0.6, 0.8, -0.2]  # NER, MLI, BEN affinity to one power
    out = _peer(tiny_world, aff, [True, True, False])
    # NER: neighbours (1 x 0.8 + 0.3 x -0.2) / (1 + 0.3) = 0.74 / 1.3 = 0.5692;
    #      ECOWAS partner BEN only (weight 0.3): mean -0.2;
    #      0.5 x 0.5692 + 0.5 x (-0.2) = 0.1846
    # MLI: neighbour NER (same regime) 0.6; alone in AES, so neighbours only  ->  0.6
    # BEN: neighbour NER (weight 0.3) 0.6; ECOWAS partner NER (weight 0.3) 0.6
    #      ->  0.5 x 0.6 + 0.5 x 0.6 = 0.6
    np.testing.assert_allclose(out, [0.1846153846, 0.6, 0.6])


def test_peer_pressure_on_tiny_world_all_civilian(tiny_world):
    out = _peer(tiny_world, [0.6, 0.8, -0.2], [False, False, False])
    # NER: neighbours (0.8 - 0.2)/2 = 0.3; ECOWAS partner BEN -0.2  ->  0.5 x 0.3 + 0.5 x (-0.2) = 0.05
    # MLI: 0.6; BEN: 0.5 x 0.6 + 0.5 x 0.6 = 0.6
    np.testing.assert_allclose(out, [0.05, 0.6, 0.6])


def test_peer_pressure_neighbour_share(tiny_world):
    out = _peer(tiny_world, [0.6, 0.8, -0.2], [False, False, False], share=1.0)
    # neighbours only: NER (0.8 - 0.2)/2 = 0.3
    assert out[0] == pytest.approx(0.3)
    out = _peer(tiny_world, [0.6, 0.8, -0.2], [False, False, False], share=0.0)
    # bloc partners only: NER's ECOWAS partner BEN, -0.2
    assert out[0] == pytest.approx(-0.2)


def test_peer_pressure_ignores_own_affinity(tiny_world):
    a = _peer(tiny_world, [0.6, 0.8, -0.2], [True, True, False])
    b = _peer(tiny_world, [-1.0, 0.8, -0.2], [True, True, False])
    assert a[0] == pytest.approx(b[0])


def test_peer_pressure_runs_are_independent(tiny_world):
    aff = np.array([[0.6, 0.0], [0.8, 1.0], [-0.2, 0.5]])[:, None, :]  # (S, P=1, R=2)
    junta = np.array([[True, False], [True, False], [False, False]])
    out = peer_pressure(
        affinity=aff,
        junta=junta,
        neighbours=tiny_world.neighbours,
        mask=tiny_world.neighbour_mask,
        member=np.repeat(tiny_world.member[:, :, None], 2, axis=2),
        neighbour_share=0.5,
        cross_regime=0.3,
    )
    # run 0 as above; run 1 all civilian: NER 0.5 x (1.0 + 0.5)/2 + 0.5 x 0.5 = 0.625, MLI 0.0, BEN 0.0
    np.testing.assert_allclose(out[:, 0, 0], [0.1846153846, 0.6, 0.6])
    np.testing.assert_allclose(out[:, 0, 1], [0.625, 0.0, 0.0])


def test_weights_by_regime_picks_the_government_s_weights():
    civ = np.arange(7.0)
    jun = 10.0 + np.arange(7.0)
    junta = np.array([[False], [True]])
    w = weights_by_regime(civilian=civ, junta_weights=jun, junta=junta)
    assert w.shape == (7, 2, 1, 1)
    np.testing.assert_array_equal(w[:, 0, 0, 0], civ)
    np.testing.assert_array_equal(w[:, 1, 0, 0], jun)


def test_weights_by_regime_per_run():
    civ = np.stack([np.ones(7), 2 * np.ones(7)], axis=1)  # (T, R=2)
    jun = np.stack([3 * np.ones(7), 4 * np.ones(7)], axis=1)
    w = weights_by_regime(civilian=civ, junta_weights=jun, junta=np.array([[False, True]]))
    np.testing.assert_array_equal(w[:, 0, 0, 0], 1.0)  # run 0, civilian
    np.testing.assert_array_equal(w[:, 0, 0, 1], 4.0)  # run 1, junta


def test_term_signs():
    assert TERMS.index("sovereignty") == 3 and TERMS.index("conditionality") == 4
    np.testing.assert_array_equal(TERM_SIGN, [1, 1, 1, -1, -1, 1, 1])


def test_utility_by_hand():
    terms = np.ones((7, 1, 1, 1))
    weights = np.arange(1.0, 8.0)[:, None, None, None]
    contributions, total = utility(terms=terms, weights=weights)
    # 1 + 2 + 3 - 4 - 5 + 6 + 7 = 10
    np.testing.assert_array_equal(contributions[:, 0, 0, 0], [1, 2, 3, -4, -5, 6, 7])
    assert total[0, 0, 0] == pytest.approx(10.0)


def test_utility_is_sum_of_contributions():
    rng = np.random.default_rng(0)
    terms = rng.random((7, 3, 2, 4))
    weights = rng.random((7, 3, 1, 4)) * 5
    contributions, total = utility(terms=terms, weights=weights)
    np.testing.assert_allclose(total, contributions.sum(axis=0))


def test_peer_pressure_without_neighbours_is_the_bloc_mean():
    # two states in one bloc, no land borders (an island state such as Cabo Verde in ECOWAS):
    # state 0's peers are its bloc partner only, so its peer pressure is state 1's affinity, 0.8
    neighbours = np.array([[0], [1]])
    mask = np.zeros((2, 1), bool)
    member = np.ones((2, 1, 1), bool)
    aff = np.array([0.2, 0.8])[:, None, None]
    out = peer_pressure(
        affinity=aff,
        junta=np.zeros((2, 1), bool),
        neighbours=neighbours,
        mask=mask,
        member=member,
        neighbour_share=0.5,
        cross_regime=0.3,
    )
    np.testing.assert_allclose(out[:, 0, 0], [0.8, 0.2])
