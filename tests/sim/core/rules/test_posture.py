"""sim.core.rules.posture: the powers' own decisions on their forces, by hand on tiny arrays."""

from __future__ import annotations

import numpy as np

from sim.core.rules.posture import answers_invitation, draw_down, pull_out, reengage, reinforce, strain_step


def _a(*values: float) -> np.ndarray:
    """A (S, P=1, R=1) array from per-state values."""
    return np.array(values, dtype=float)[:, None, None]


def test_a_power_answers_where_it_has_an_interest():
    threat = np.array([[0.5], [0.1], [0.1]])  # (S=3, R=1)
    junta = np.array([[False], [False], [True]])
    protection = np.array([[0.1], [0.8]])  # (P=2, 1): a power that does not protect regimes, and one that does
    out = answers_invitation(threat=threat, junta=junta, protection=protection, minimum=0.3)
    # state 0: 0.5 >= 0.3 for both; state 1: 0.1 for both; state 2 (a junta): 0.1 + 0.1 = 0.2, 0.1 + 0.8 = 0.9
    np.testing.assert_array_equal(out[:, :, 0], [[True, True], [False, False], [False, True]])


def test_reinforce_the_most_threatened_friendly_partner_once():
    present = _a(1, 1, 1, 0).astype(bool)
    affinity = _a(0.6, 0.6, 0.2, 0.9)
    threat = np.array([[0.7], [0.9], [0.95], [0.95]])
    troops = _a(300, 300, 300, 0)
    common = dict(
        present=present,
        withdrawing=np.zeros_like(present),
        affinity=affinity,
        threat=threat,
        troops=troops,
        available=np.array([[250.0]]),
        size=100.0,
        affinity_min=0.4,
        threat_min=0.6,
        below=500.0,
        rate=np.array([[0.3]]),
    )
    out = reinforce(**common, draw=_a(0.1, 0.1, 0.1, 0.1))
    # states 0 and 1 qualify (state 2 is not friendly enough, state 3 has no forces there): only the most
    # threatened, state 1
    np.testing.assert_array_equal(out[:, 0, 0], [False, True, False, False])
    assert not reinforce(**common, draw=_a(0.1, 0.5, 0.1, 0.1))[1, 0, 0]  # draw 0.5 >= rate 0.3: not this quarter
    assert not reinforce(**{**common, "available": np.array([[50.0]])}, draw=_a(0, 0, 0, 0)).any()  # no troops


def test_draw_down_where_the_host_cooled_and_no_fight_needs_the_troops():
    present = _a(1, 1, 1, 1).astype(bool)
    out = draw_down(
        present=present,
        withdrawing=np.zeros_like(present),
        affinity=_a(0.0, 0.0, 0.5, 0.0),
        threat=np.array([[0.1], [0.5], [0.1], [0.1]]),
        troops=_a(600, 600, 600, 100),
        over_committed=np.array([[False]]),
        affinity_below=0.1,
        threat_below=0.3,
        floor=100.0,
        rate=0.3,
        draw=_a(0.1, 0.1, 0.1, 0.1),
    )
    # state 0 cooled and calm: cut; state 1 cooled but fighting; state 2 friendly; state 3 at the floor already
    np.testing.assert_array_equal(out[:, 0, 0], [True, False, False, False])


def test_an_over_committed_power_draws_down_anywhere_above_the_floor():
    present = _a(1, 1).astype(bool)
    out = draw_down(
        present=present,
        withdrawing=np.zeros_like(present),
        affinity=_a(0.9, 0.9),
        threat=np.array([[0.9], [0.9]]),
        troops=_a(600, 50),
        over_committed=np.array([[True]]),
        affinity_below=0.1,
        threat_below=0.3,
        floor=100.0,
        rate=0.3,
        draw=_a(0.1, 0.1),
    )
    np.testing.assert_array_equal(out[:, 0, 0], [True, False])


def test_pull_out_before_being_ordered_out():
    present = _a(1, 1, 0).astype(bool)
    withdrawing = _a(0, 1, 0).astype(bool)
    out = pull_out(
        present=present,
        withdrawing=withdrawing,
        affinity=_a(-0.25, -0.5, -0.9),
        below=-0.2,
        rate=0.2,
        draw=_a(0.1, 0.1, 0.1),
    )
    # state 1 is already leaving and state 2 has no forces there
    np.testing.assert_array_equal(out[:, 0, 0], [True, False, False])


def test_reengage_with_a_new_civilian_government_of_a_state_that_once_expelled_the_power():
    expelled = _a(1, 1, 1, 0, 1).astype(bool)
    junta = np.array([[False], [True], [False], [False], [False]])
    expelled_at = _a(-1, -1, -1, -1, 3).astype(int)
    regime_since = np.array([[5], [5], [5], [5], [3]])  # state 4: the government that expelled it in month 3
    out = reengage(
        expelled=expelled,
        present=np.zeros_like(expelled),
        junta=junta,
        affinity=_a(0.1, 0.5, -0.1, 0.5, 0.5),
        expelled_at=expelled_at,
        regime_since=regime_since,
        affinity_min=0.0,
    )
    # state 1 is a junta, state 2 still hostile, state 3 never expelled it, state 4's government is the one
    # that ordered it out (restored in the same month it expelled it)
    np.testing.assert_array_equal(out[:, 0, 0], [True, False, False, False, False])


def test_strain_moves_with_the_driver_and_returns_towards_the_world_value():
    out = strain_step(
        overstretch=np.array([[0.7, 0.5]]),
        anchor=np.array([[0.5, 0.5]]),
        volatility=np.array([[0.05]]),
        reversion=0.2,
        shock=np.array([[0.0, 2.0]]),
    )
    # run 0: 0.7 + 0.2 x (0.5 - 0.7) = 0.66; run 1: 0.5 + 0 + 0.05 x 2 = 0.6
    np.testing.assert_allclose(out, [[0.66, 0.6]])
    capped = strain_step(
        overstretch=np.array([[0.9]]),
        anchor=np.array([[0.9]]),
        volatility=np.array([[0.5]]),
        reversion=0.2,
        shock=np.array([[3.0]]),
    )
    assert capped[0, 0] == 0.95  # never all of a power's capacity
