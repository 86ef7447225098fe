"""New juntas' partners (issue 13): conditionality relieved by a defence pact and stated demands that fade,
and juntas at peace looking to their whole neighbourhood. Hand-computed cases."""

from __future__ import annotations

import numpy as np

from sim.core.rules.incentives import conditionality_cost, junta_cross_regime, peer_pressure


def test_conditionality_without_pact_or_fading_is_the_plain_cost():
    """Relief 0 and half-life 0 give the plain cost whatever the pact and the months since the coup."""
    cond = np.array([[1.0], [0.5]])
    junta = np.array([[True]])
    sus = np.array([[[True], [False]]])
    out = conditionality_cost(
        conditionality=cond,
        junta=junta,
        aid_suspended=sus,
        pact=np.array([[0.0, 0.8]]),
        pact_relief=0.0,
        months_since_coup=np.array([[12]]),
        halflife_months=0.0,
    )
    # USA 1.0 x (0.5 + 0.5) = 1.0; FRA 0.5 x (0.5 + 0) = 0.25
    np.testing.assert_allclose(out[0, :, 0], [1.0, 0.25])


def test_conditionality_pact_relief_and_fading_demands_by_hand():
    cond = np.array([[1.0], [0.5]])  # USA, FRA
    junta = np.array([[True]])
    sus = np.array([[[True], [False]]])  # the US has cut aid, France has not
    pact = np.array([[0.0, 0.8]])  # France has a pact (Chad)
    out = conditionality_cost(
        conditionality=cond,
        junta=junta,
        aid_suspended=sus,
        pact=pact,
        pact_relief=1.0,
        months_since_coup=np.array([[12]]),
        halflife_months=12.0,
    )
    # USA: 1.0 x (0.5 x 0.5^(12/12) + 0.5 x 1) = 0.75, no pact
    # FRA: 0.5 x (0.25 + 0) x (1 - 1.0 x 0.8) = 0.025
    np.testing.assert_allclose(out[0, :, 0], [0.75, 0.025])


def test_conditionality_demands_fade_but_the_suspension_stays():
    """36 months on, half-life 12: demands 0.5 x 0.125 = 0.0625; with aid cut the cost stays above 0.5."""
    cond = np.array([[1.0]])
    kw = dict(
        conditionality=cond,
        junta=np.array([[True]]),
        pact=np.zeros((1, 1)),
        pact_relief=1.0,
        months_since_coup=np.array([[36]]),
        halflife_months=12.0,
    )
    flowing = conditionality_cost(aid_suspended=np.array([[[False]]]), **kw)
    cut = conditionality_cost(aid_suspended=np.array([[[True]]]), **kw)
    np.testing.assert_allclose([flowing[0, 0, 0], cut[0, 0, 0]], [0.0625, 0.5625])


def test_conditionality_demands_do_not_fade_towards_an_expelled_power():
    """36 months on, half-life 12, no aid cut: the US (not expelled) fades to 0.5 x 0.125 = 0.0625; France,
    expelled, keeps the full 0.5 x 0.5 = 0.25 (Mali's junta and France)."""
    out = conditionality_cost(
        conditionality=np.array([[1.0], [0.5]]),
        junta=np.array([[True]]),
        aid_suspended=np.array([[[False], [False]]]),
        pact=np.zeros((1, 2)),
        pact_relief=1.0,
        months_since_coup=np.array([[36]]),
        halflife_months=12.0,
        expelled=np.array([[[False], [True]]]),
    )
    np.testing.assert_allclose(out[0, :, 0], [0.0625, 0.25])


def test_conditionality_spares_civilian_governments():
    out = conditionality_cost(
        conditionality=np.array([[1.0]]),
        junta=np.array([[False]]),
        aid_suspended=np.array([[[True]]]),
        pact=np.zeros((1, 1)),
        pact_relief=1.0,
        months_since_coup=np.array([[-1]]),
        halflife_months=12.0,
    )
    assert out[0, 0, 0] == 0.0


def test_junta_cross_regime_by_hand():
    out = junta_cross_regime(
        cross_regime=0.1,
        junta=np.array([[True], [True], [False]]),
        threat=np.array([[0.0], [0.6], [0.0]]),
        openness=1.0,
    )
    # junta at peace: 0.1 + 0.9 x 1 x 1 = 1; junta at war (0.6): 0.1 + 0.9 x 0.4 = 0.46; civilian 0.1
    np.testing.assert_allclose(out[:, 0], [1.0, 0.46, 0.1])
    closed = junta_cross_regime(cross_regime=0.1, junta=np.array([[True]]), threat=np.array([[0.0]]), openness=0.0)
    np.testing.assert_allclose(closed, [[0.1]])


def test_peer_pressure_accepts_per_government_cross_weights(tiny_world):
    # NER (junta) borders MLI (junta) and BEN (civilian); ECOWAS = {NER, BEN}; AES = {MLI}.
    aff = np.array([0.6, 0.8, -0.2])[:, None, None]
    kw = dict(
        affinity=aff,
        junta=np.array([True, True, False])[:, None],
        neighbours=tiny_world.neighbours,
        mask=tiny_world.neighbour_mask,
        member=tiny_world.member[:, :, None],
        neighbour_share=0.5,
    )
    scalar = peer_pressure(cross_regime=0.3, **kw)
    array = peer_pressure(cross_regime=np.full((3, 1), 0.3), **kw)
    np.testing.assert_array_equal(scalar, array)
    # NER open to civilians (weight 1): neighbours (0.8 - 0.2) / 2 = 0.3; ECOWAS partner BEN -0.2
    #   -> 0.5 x 0.3 + 0.5 x (-0.2) = 0.05 (as if all were civilian); MLI and BEN as before (0.6, 0.6)
    out = peer_pressure(cross_regime=np.array([[1.0], [0.3], [0.3]]), **kw)
    np.testing.assert_allclose(out[:, 0, 0], [0.05, 0.6, 0.6])


def test_conditionality_with_a_tiny_half_life_drops_the_demands_without_overflow():
    """The smallest positive half-life (found by hypothesis): demands gone at once, no overflow warning."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = conditionality_cost(
            conditionality=np.array([[1.0]]),
            junta=np.array([[True]]),
            aid_suspended=np.array([[[False]]]),
            pact=np.zeros((1, 1)),
            pact_relief=0.0,
            months_since_coup=np.array([[3]]),
            halflife_months=5e-324,
        )
    assert out[0, 0, 0] == 0.0
