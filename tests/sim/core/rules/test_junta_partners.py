"""Investigation rules for new juntas' partners (off by default): conditionality relieved by a defence pact
and fading demands, regime protection scaled by the threat to the regime, juntas at peace looking to all
peers, and the legacy ties of a new junta. Hand-computed cases."""

from __future__ import annotations

import numpy as np

from sim.core.rules.alignment import legacy_pull
from sim.core.rules.incentives import (
    conditionality_cost,
    junta_cross_regime,
    peer_pressure,
    protection_by_threat,
    protection_offer_by_threat,
    regime_threat,
)


def test_conditionality_defaults_are_unchanged():
    cond = np.array([[1.0], [0.5]])
    junta = np.array([[True]])
    sus = np.array([[[True], [False]]])
    base = conditionality_cost(conditionality=cond, junta=junta, aid_suspended=sus)
    same = conditionality_cost(conditionality=cond, junta=junta, aid_suspended=sus, pact=np.array([[0.0, 0.8]]),
                               pact_relief=0.0, months_since_coup=np.array([[12]]), halflife_months=0.0)
    np.testing.assert_array_equal(base, same)


def test_conditionality_pact_relief_and_fading_demands_by_hand():
    cond = np.array([[1.0], [0.5]])  # USA, FRA
    junta = np.array([[True]])
    sus = np.array([[[True], [False]]])  # the US has cut aid, France has not
    pact = np.array([[0.0, 0.8]])  # France has a pact (Chad)
    out = conditionality_cost(conditionality=cond, junta=junta, aid_suspended=sus, pact=pact, pact_relief=1.0,
                              months_since_coup=np.array([[12]]), halflife_months=12.0)
    # USA: 1.0 x (0.5 x 0.5^(12/12) + 0.5 x 1) = 0.75, no pact
    # FRA: 0.5 x (0.25 + 0) x (1 - 1.0 x 0.8) = 0.025
    np.testing.assert_allclose(out[0, :, 0], [0.75, 0.025])


def test_regime_threat_and_protection_by_hand():
    rt = regime_threat(threat=np.array([[0.2], [0.9]]), sanctioned_any=np.array([[True], [True]]),
                       sanction_weight=0.5)
    np.testing.assert_allclose(rt[:, 0], [0.7, 1.0])  # 0.2 + 0.5; 0.9 + 0.5 capped at 1
    value = np.full((2, 1, 1), 0.8)
    out = protection_by_threat(value=value, regime_threat=rt, share=0.5)
    # 0.8 x (0.5 + 0.5 x 0.7) = 0.68; 0.8 x (0.5 + 0.5 x 1) = 0.8
    np.testing.assert_allclose(out[:, 0, 0], [0.68, 0.8])
    np.testing.assert_array_equal(protection_by_threat(value=value, regime_threat=rt, share=0.0), value)


def test_junta_cross_regime_by_hand():
    out = junta_cross_regime(cross_regime=0.1, junta=np.array([[True], [True], [False]]),
                             threat=np.array([[0.0], [0.6], [0.0]]), openness=1.0)
    # junta at peace: 0.1 + 0.9 x 1 x 1 = 1; junta at war (0.6): 0.1 + 0.9 x 0.4 = 0.46; civilian 0.1
    np.testing.assert_allclose(out[:, 0], [1.0, 0.46, 0.1])


def test_peer_pressure_accepts_per_government_cross_weights(tiny_world):
    # NER (junta) borders MLI (junta) and BEN (civilian); ECOWAS = {NER, BEN}; AES = {MLI}.
    aff = np.array([0.6, 0.8, -0.2])[:, None, None]
    kw = dict(affinity=aff, junta=np.array([True, True, False])[:, None], neighbours=tiny_world.neighbours,
              mask=tiny_world.neighbour_mask, member=tiny_world.member[:, :, None], neighbour_share=0.5)
    scalar = peer_pressure(cross_regime=0.3, **kw)
    array = peer_pressure(cross_regime=np.full((3, 1), 0.3), **kw)
    np.testing.assert_array_equal(scalar, array)
    # NER open to civilians (weight 1): neighbours (0.8 - 0.2) / 2 = 0.3; ECOWAS partner BEN -0.2
    #   -> 0.5 x 0.3 + 0.5 x (-0.2) = 0.05 (as if all were civilian); MLI and BEN as before (0.6, 0.6)
    out = peer_pressure(cross_regime=np.array([[1.0], [0.3], [0.3]]), **kw)
    np.testing.assert_allclose(out[:, 0, 0], [0.05, 0.6, 0.6])


def test_legacy_pull_by_hand():
    target = np.array([[[-0.5], [0.6]], [[0.2], [0.2]]])  # (S=2, P=2, R=1)
    legacy = np.array([[0.5, 0.0], [0.9, 0.9]])
    junta = np.array([[1.0], [0.0]])
    out = legacy_pull(target=target, legacy=legacy, junta=junta, months_since_coup=np.array([[12], [0]]),
                      weight=0.5, months=24)
    # state 0, a junta 12 months on: share 0.5 x (1 - 12/24) = 0.25; -0.5 + 0.25 x 1.0 = -0.25; 0.6 - 0.15 = 0.45
    # state 1, civilian: unchanged
    np.testing.assert_allclose(out[:, :, 0], [[-0.25, 0.45], [0.2, 0.2]])
    np.testing.assert_array_equal(legacy_pull(target=target, legacy=legacy, junta=junta,
                                              months_since_coup=np.array([[0], [0]]), weight=0.0, months=24), target)


def test_protection_offer_by_threat_keeps_pacts():
    general = np.array([[0.8], [0.2]])  # RUS, FRA general willingness (P, 1)
    pact = np.array([[0.0, 0.8], [0.0, 0.0]])  # state 0 has a pact with France
    out = protection_offer_by_threat(general=general, pact=pact, regime_threat=np.array([[0.0], [1.0]]), share=1.0)
    # state 0 at peace: RUS 0.8 x 0 = 0, FRA max(0, 0.8) = 0.8; state 1 under full threat: 0.8, 0.2
    np.testing.assert_allclose(out[:, :, 0], [[0.0, 0.8], [0.8, 0.2]])


def test_legacy_pull_fades_with_threat():
    target = np.array([[[-0.5], [0.6]]])
    legacy = np.array([[0.5, 0.0]])
    out = legacy_pull(target=target, legacy=legacy, junta=np.array([[1.0]]), months_since_coup=np.array([[12]]),
                      weight=0.5, months=24, threat=np.array([[0.6]]), threat_weight=1.0)
    # share 0.25 x (1 - 0.6) = 0.1: -0.5 + 0.1 x 1.0 = -0.4; 0.6 - 0.1 x 0.6 = 0.54
    np.testing.assert_allclose(out[0, :, 0], [-0.4, 0.54])
