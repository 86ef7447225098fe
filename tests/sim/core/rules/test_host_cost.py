"""sim.core.rules.incentives.host_security_cost: the host's bill for a power's forces (Wagner, Africa Corps),
by hand, and its switch effects.host_cost_weight (0 = off) in a run."""

from __future__ import annotations

import numpy as np
import pytest

from sim.config import compose_config, to_config
from sim.core.rules.incentives import host_security_cost, security_value
from sim.core.simulation import Simulation
from sim.core.world import load_world, scenario_path

# two states with the same GDP (US$ 20 bn): 0 poor and at peace, no forces; 1 a junta at war (threat 0.8) with
# 1,500 of the first power's troops. Power 0 is paid by its host (US$ 10.8 m per 1,000 troops a month, the
# Wagner contract in Mali); power 1 pays for its own forces (0).
GDP = np.array([20.0, 20.0])
THREAT = np.array([[0.0], [0.8]])  # (S, R=1)
TROOPS = np.array([[[0.0], [0.0]], [[1500.0], [0.0]]])  # (S, P, R)
PRICE = np.array([[10.8], [0.0]])  # (P, 1)


def _cost(**kw) -> np.ndarray:
    args = dict(
        price_usd_m=PRICE,
        troops=TROOPS,
        contract_troops=1000.0,
        gdp_usd_bn=GDP,
        gdp_scale=0.005,
        threat=THREAT,
        need_relief=1.0,
    )
    return host_security_cost(**(args | kw))


def test_host_security_cost_by_hand():
    out = _cost()
    # state 0, prospective: the standard contract, 10.8 x 1000/1000 x 12 = 129.6 a year / 20,000 = 0.00648 of GDP;
    # 1 - exp(-0.00648 / 0.005) = 1 - exp(-1.296) = 0.726376; at peace (threat 0) felt in full
    # state 1, present: 1,500 troops, 194.4 a year / 20,000 = 0.00972; 1 - exp(-1.944) = 0.856870; at war
    # (threat 0.8) felt at 1 - 0.8 = 0.2: 0.171374
    np.testing.assert_allclose(out[:, 0, 0], [0.726376, 0.171374], atol=1e-6)
    np.testing.assert_array_equal(out[:, 1, 0], [0.0, 0.0])  # a power that pays for its own forces costs nothing


def test_a_poor_state_at_peace_finds_the_offer_costly_a_junta_at_war_still_pays():
    """Security net of the bill, weight 0.2 (the setting measured in docs/notes/issue13-host-paid-security.md)."""
    help_sp = np.array([[[0.0], [0.0]], [[0.95], [0.0]]])  # the 1,500 troops' help in state 1
    value = security_value(
        threat=THREAT,
        help_sp=help_sp,
        capability=np.array([[0.2], [0.6]]),
        potential_weight=0.3,
        remote=np.zeros((2, 1)),
    )
    net = value - 0.2 * _cost()
    # state 0: 0 - 0.2 x 0.726376 = -0.145275, below the rival (0); state 1: 0.8 x min(0.95 + 0.06, 1) = 0.8,
    # less 0.2 x 0.171374 = 0.765725
    np.testing.assert_allclose(net[:, 0, 0], [-0.145275, 0.765725], atol=1e-6)
    assert net[0, 0, 0] < net[0, 1, 0] and net[1, 0, 0] > net[1, 1, 0]


def test_the_bill_weighs_less_on_a_richer_state_and_without_need_relief_in_full():
    rich = _cost(gdp_usd_bn=np.array([362.81, 20.0]))  # Nigeria's GDP: 129.6 / 362,810 = 0.000357 of GDP
    np.testing.assert_allclose(rich[0, 0, 0], -np.expm1(-129.6 / 362_810.0 / 0.005), rtol=1e-12)
    assert rich[0, 0, 0] < 0.1 < _cost()[0, 0, 0]
    np.testing.assert_allclose(_cost(need_relief=0.0)[1, 0, 0], 1.0 - np.exp(-1.944), atol=1e-12)


def test_a_war_or_the_powers_guard_of_the_regime_counts_as_need():
    """Sudan's war (no insurgency) and Russia's guard in Bangui (a defence pact) relieve the bill like a threat."""
    full = _cost(need_relief=0.0)
    war = _cost(at_war=np.array([True, False]))
    np.testing.assert_array_equal(war[0], 0.0)  # state 0 at war: need 1, nothing left of its bill
    np.testing.assert_allclose(war[1], _cost()[1])  # state 1's threat 0.8 was already its need
    guard = _cost(guard=np.array([[0.5, 0.0], [0.0, 0.0]]))  # power 0 guards state 0's regime at 0.5
    np.testing.assert_allclose(guard[0, 0, 0], 0.5 * full[0, 0, 0])  # need max(0, 0.5): half the bill
    np.testing.assert_allclose(guard[1], _cost()[1])


def test_a_threat_above_full_need_relieves_the_whole_bill():
    # threat_full_need 0.5: state 0 at threat 0.25 has need 0.5 and feels half of 0.726376 = 0.363188; state 1 at
    # threat 0.8 has need 1 and feels nothing
    out = _cost(threat=np.array([[0.25], [0.8]]), threat_full_need=0.5)
    np.testing.assert_allclose(out[:, 0, 0], [0.363188, 0.0], atol=1e-6)
    np.testing.assert_array_equal(_cost(threat_full_need=1.0), _cost())  # the default: need = threat


@pytest.fixture(scope="module")
def runs():
    """Final affinities of 4 runs x 12 months of the Sahel, 2024, with the weight off and on."""

    def final(*overrides: str) -> np.ndarray:
        cfg = to_config(compose_config(["run.plots=false", *overrides]))
        world = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
        sim = Simulation(cfg, world, list(range(4)))
        for _ in range(12):
            sim.step()
        return sim.state.affinity

    return final


def test_the_weight_is_off_by_default_and_acts_only_through_a_host_price(runs):
    default = runs()
    np.testing.assert_array_equal(default, runs("effects.host_cost_weight=0"))
    # on, it moves affinities; with no power paid by its host, on changes nothing, bit for bit
    assert not np.array_equal(default, runs("effects.host_cost_weight=0.2"))
    np.testing.assert_array_equal(
        runs("+scenario.powers.RUS.host_price_usd_m=0"),
        runs("+scenario.powers.RUS.host_price_usd_m=0", "effects.host_cost_weight=0.2"),
    )
