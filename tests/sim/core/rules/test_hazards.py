"""sim.core.rules.hazards: event probabilities and decisions, with scripted draws."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.rules.hazards import (
    aid_resume_probability,
    alliance_join_probability,
    alliance_pull,
    bloc_leave_probability,
    coup_attempt_factors,
    coup_attempt_probability,
    coup_peace,
    coup_success_factors,
    coup_success_probability,
    coup_trap,
    deploy_decision,
    expel_decision,
    incident_probability,
    invite_decision,
    legitimacy_step,
    reinforcement_open,
    sanction_lift_probability,
    security_gap,
    transition_probability,
    withdrawal_step,
)

ATTEMPT_WEIGHTS = dict(w_insurgency=2.5, w_illegitimacy=2.0, w_contagion=1.0, w_trap=1.5, w_shock=0.5, w_peace=2.0)
SUCCESS_WEIGHTS = dict(w_protection=2.0, w_consolidation=1.0, consolidation_months=24)
a = lambda x: np.array([[x]])  # noqa: E731  (S=1, R=1)


def _attempt(threat, legitimacy, recent, trap=0.0, sanctioned=False, base=0.0005, ceiling=0.03, peace=0.0):
    return coup_attempt_probability(
        threat=a(float(threat)),
        legitimacy=a(float(legitimacy)),
        recent_coup_share=a(float(recent)),
        trap=a(float(trap)),
        sanctioned=a(sanctioned),
        peace=a(float(peace)),
        base=base,
        ceiling=ceiling,
        **ATTEMPT_WEIGHTS,
    )[0, 0]


def _success(protection, junta=False, months=0, base=0.5):
    return coup_success_probability(
        protection=a(float(protection)), junta=a(junta), months_in_power=a(months), base=base, **SUCCESS_WEIGHTS
    )[0, 0]


# ------------------------------------------------------------------ coups and transitions


def test_coup_attempt_with_all_factors_zero_is_the_base():
    # no threat, full legitimacy, no coups next door or here, no sanctions: sigmoid(logit(base)) = base
    assert _attempt(0.0, 1.0, 0.0) == pytest.approx(0.0005)
    assert _attempt(0.0, 1.0, 0.0, base=0.02) == pytest.approx(0.02)


def test_coup_attempt_by_hand():
    # logit(0.0005) = -7.6004; + 2.5 x 0.5 + 2 x (1 - 0.5) + 1 x 0.5 + 1.5 x 0.5 + 0.5 x 1 = +4.0
    # sigmoid(-3.6004) = 0.026587, under the ceiling 0.03
    assert _attempt(0.5, 0.5, 0.5, trap=0.5, sanctioned=True) == pytest.approx(0.0265865793)


def test_coup_attempt_is_capped_by_the_ceiling():
    # every driver at its worst: sigmoid(-7.6004 + 2.5 + 2 + 1 + 1.5 + 0.5) = 0.4749, capped at 0.03
    assert _attempt(1.0, 0.0, 1.0, trap=1.0, sanctioned=True) == pytest.approx(0.03)
    assert _attempt(1.0, 0.0, 1.0, trap=1.0, sanctioned=True, ceiling=1.0) == pytest.approx(0.4749204809)


def test_coup_attempt_with_zero_base_is_negligible():
    # logit clipped at 1e-12; even with every factor at its worst the hazard stays tiny
    assert _attempt(1.0, 0.0, 1.0, trap=1.0, sanctioned=True, base=0.0) < 1e-8


def test_coup_attempt_monotone_in_each_driver():
    base = _attempt(0.3, 0.6, 0.2, trap=0.2)
    assert _attempt(0.5, 0.6, 0.2, trap=0.2) > base
    assert _attempt(0.3, 0.4, 0.2, trap=0.2) > base
    assert _attempt(0.3, 0.6, 0.5, trap=0.2) > base
    assert _attempt(0.3, 0.6, 0.2, trap=0.6) > base
    assert _attempt(0.3, 0.6, 0.2, trap=0.2, sanctioned=True) > base


def test_coup_attempt_factors_by_hand():
    f = coup_attempt_factors(
        threat=a(0.5),
        legitimacy=a(0.5),
        recent_coup_share=a(0.5),
        trap=a(0.2),
        sanctioned=a(True),
        peace=a(0.25),
        **ATTEMPT_WEIGHTS,
    )
    # 2.5 x 0.5; 2 x (1 - 0.5); 1 x 0.5; 1.5 x 0.2; 0.5 x 1; -2 x 0.25
    assert {k: float(v[0, 0]) for k, v in f.items()} == pytest.approx(
        {
            "insurgent threat": 1.25,
            "weak legitimacy": 1.0,
            "coups next door": 0.5,
            "recent coup here": 0.3,
            "sanctions": 0.5,
            "years without a coup": -0.5,
        }
    )


def test_a_long_record_without_coups_lowers_the_attempt_risk():
    # 20 years or more (or none on record) count fully: logit(0.0005) - 2 = -9.6004, sigmoid = 0.0000677
    assert _attempt(0.0, 1.0, 0.0, peace=1.0) == pytest.approx(0.0000676969, rel=1e-5)
    assert _attempt(0.3, 0.6, 0.2, peace=0.5) < _attempt(0.3, 0.6, 0.2, peace=0.0)
    months = np.array([[0, 120, 240, 10_000]])
    np.testing.assert_allclose(coup_peace(months_since_coup=months, horizon=240)[0], [0.0, 0.5, 1.0, 1.0])


def test_coup_trap_fades_linearly_over_its_window():
    months = np.array([[0, 18, 36, 1200]])
    np.testing.assert_allclose(coup_trap(months_since_coup=months, window=36)[0], [1.0, 0.5, 0.0, 0.0])


def test_coup_success_without_coup_proofing_is_the_base():
    assert _success(0.0) == pytest.approx(0.5)
    # a civilian government does not consolidate, however long it has been since the last coup
    assert _success(0.0, junta=False, months=100) == pytest.approx(0.5)


def test_coup_success_by_hand():
    # logit(0.5) = 0; - 2 x 0.4 protection - 1 x min(1, 12 / 24) consolidation = -1.3; sigmoid(-1.3) = 0.214165
    f = coup_success_factors(protection=a(0.4), junta=a(True), months_in_power=a(12), **SUCCESS_WEIGHTS)
    assert {k: float(v[0, 0]) for k, v in f.items()} == pytest.approx(
        {"regime protection": -0.8, "junta consolidation": -0.5}
    )
    assert _success(0.4, junta=True, months=12) == pytest.approx(1 / (1 + np.exp(1.3)))
    # consolidation is full after 24 months: -0.8 - 1.0 = -1.8
    assert _success(0.4, junta=True, months=60) == pytest.approx(1 / (1 + np.exp(1.8)))


def test_coup_success_falls_with_protection_and_consolidation():
    assert _success(0.5) < _success(0.2) < _success(0.0)
    assert _success(0.0, junta=True, months=20) < _success(0.0, junta=True, months=2) < _success(0.0, junta=True)


def test_transition_probability_by_hand():
    junta = np.array([[True, True, True, False, True, True]])
    months = np.array([[17, 18, 18, 40, 40, 40]])
    sanctioned = np.array([[False, False, True, True, False, False]])
    threat = np.array([[0.0, 0.0, 0.0, 0.0, 0.5, 0.0]])
    at_war = np.array([[False, False, False, False, False, True]])  # (S, R) here; a world gives (S,)
    out = transition_probability(
        junta=junta,
        months_in_power=months,
        sanctioned_any=sanctioned,
        threat=threat,
        at_war=at_war,
        base=0.006,
        min_months=18,
        sanction_factor=1.5,
        w_threat=1.0,
    )
    # before the minimum: 0; at 18 months: 0.006; under sanctions: 0.006 x 1.5 = 0.009; civilians: 0;
    # threat 0.5: 0.006 x (1 - 0.5) = 0.003; at war: 0
    np.testing.assert_allclose(out[0], [0.0, 0.006, 0.009, 0.0, 0.003, 0.0])


# ------------------------------------------------------------------ expulsions, invitations, deployments


def _expel(affinity, draw, present=True, withdrawing=False):
    a = lambda x: np.array([[[x]]])  # noqa: E731  (S=1, P=1, R=1)
    return bool(
        expel_decision(
            affinity=a(affinity),
            present=a(present),
            withdrawing=a(withdrawing),
            threshold=-0.3,
            rate=0.15,
            draw=a(draw),
        )[0, 0, 0]
    )


def test_expel_scripted_situation():
    # affinity -0.5 below threshold -0.3 and a draw 0.1 < rate 0.15: the state expels that power
    assert _expel(-0.5, 0.1) is True
    # with draw 0.2 >= 0.15 it does not
    assert _expel(-0.5, 0.2) is False


def test_no_expulsion_above_threshold_or_without_forces():
    assert _expel(-0.2, 0.0) is False  # -0.2 is not below -0.3
    assert _expel(-0.5, 0.1, present=False) is False  # nothing to order out
    assert _expel(-0.5, 0.1, withdrawing=True) is False  # already leaving


def test_expel_decision_per_power():
    # (S=1, P=2, R=1): USA at -0.5, RUS at 0.6; both present; draws 0.1
    aff = np.array([[[-0.5], [0.6]]])
    out = expel_decision(
        affinity=aff,
        present=np.ones_like(aff, bool),
        withdrawing=np.zeros_like(aff, bool),
        threshold=-0.3,
        rate=0.15,
        draw=np.full_like(aff, 0.1),
    )
    np.testing.assert_array_equal(out[0, :, 0], [True, False])


def _invite(affinity, draw, present=False, invited=False, gap=0.0):
    a = lambda x: np.array([[[x]]])  # noqa: E731
    out = invite_decision(
        affinity=a(affinity),
        present=a(present),
        invited=a(invited),
        threshold=0.5,
        rate=0.1,
        draw=a(draw),
        gap=np.array([[gap]]),
        gap_weight=0.5,
    )
    return bool(out[0, 0, 0])


def test_invite_scripted_situation():
    # affinity 0.6 above threshold 0.5 and draw 0.05 < rate 0.1: invites
    assert _invite(0.6, 0.05) is True
    assert _invite(0.6, 0.15) is False  # draw 0.15 >= 0.1
    assert _invite(0.4, 0.0) is False  # not warm enough
    assert _invite(0.6, 0.05, present=True) is False  # already there
    assert _invite(0.6, 0.05, invited=True) is False  # not a new invitation


def test_a_security_gap_lowers_the_invitation_threshold():
    # threshold 0.5 - 0.5 x gap 0.4 = 0.3: affinity 0.35 invites with the gap, not without
    assert _invite(0.35, 0.05) is False
    assert _invite(0.35, 0.05, gap=0.4) is True
    assert _invite(0.25, 0.05, gap=0.4) is False  # still below 0.3


def test_security_gap_by_hand():
    # threat 0.8 x (1 - capacity 0.25) x (1 - help 0.5) = 0.3; help above 1 counts as full cover
    threat = np.array([[0.8, 0.8]])
    help_total = np.array([[0.5, 1.7]])
    np.testing.assert_allclose(
        security_gap(threat=threat, capacity=np.array([0.25]), help_total=help_total), [[0.3, 0.0]]
    )


def test_reinforcement_is_open_below_the_ceiling_while_forces_stay():
    troops = np.array([[[0.0], [235.0], [499.0], [500.0], [300.0]]])  # (S=1, P=5, R=1)
    leaving = np.array([[[False], [False], [False], [False], [True]]])
    out = reinforcement_open(troops=troops, withdrawing=leaving, below=500.0)[0, :, 0]
    # none there: a new invitation instead; 235 and 499 < 500: open; 500: not below; leaving: closed
    np.testing.assert_array_equal(out, [False, True, True, False, False])
    assert not reinforcement_open(troops=troops, withdrawing=leaving, below=0.0).any()  # ceiling 0: no reinforcement


def test_deploy_decision_by_hand():
    invited = np.array([[[True], [True]]])  # (S=1, P=2, R=1)
    available = np.array([[400.0], [200.0]])  # (P, R)
    draw = np.array([[[0.4], [0.4]]])
    out = deploy_decision(invited=invited, available=available, size=300.0, rate=0.5, draw=draw)
    # power 0: 400 >= 300 and 0.4 < 0.5 -> deploys; power 1: 200 < 300 -> cannot
    np.testing.assert_array_equal(out[0, :, 0], [True, False])
    out = deploy_decision(invited=invited, available=available, size=300.0, rate=0.5, draw=np.full_like(draw, 0.6))
    assert not out.any()  # 0.6 >= 0.5


# ------------------------------------------------------------------ withdrawals and bases


def test_withdrawal_over_four_months_reaches_zero_exactly_in_month_four():
    troops = np.array([[[400.0]]])
    left = np.array([[[4]]])
    seen, done_at = [], []
    for month in range(1, 5):
        troops, left, done = withdrawal_step(troops=troops, left=left)
        seen.append(float(troops[0, 0, 0]))
        if done[0, 0, 0]:
            done_at.append(month)
    # equal monthly parts: 400 x 3/4 = 300, 300 x 2/3 = 200, 200 x 1/2 = 100, then 0
    assert seen == pytest.approx([300.0, 200.0, 100.0, 0.0])
    assert seen[-1] == 0.0  # exactly zero, not a rounding residue
    assert done_at == [4]
    assert int(left[0, 0, 0]) == 0
    # a fifth month changes nothing
    t5, l5, d5 = withdrawal_step(troops=troops, left=left)
    assert t5[0, 0, 0] == 0.0 and l5[0, 0, 0] == 0 and not d5.any()


def test_forces_not_withdrawing_stay():
    troops = np.array([[[250.0], [100.0]]])
    left = np.array([[[0], [1]]])
    new, new_left, done = withdrawal_step(troops=troops, left=left)
    np.testing.assert_array_equal(new[0, :, 0], [250.0, 0.0])
    np.testing.assert_array_equal(new_left[0, :, 0], [0, 0])
    np.testing.assert_array_equal(done[0, :, 0], [False, True])


def test_incident_probability_by_hand():
    own = np.array([[100.0, 100.0, 100.0]])
    ten = np.array([[50.0, 50.0, 0.0]])
    rivalry = np.array([[1.0, 0.3, 1.0]])
    # 0.02 x 1.0 = 0.02; 0.02 x 0.3 = 0.006; tenant gone -> 0
    np.testing.assert_allclose(
        incident_probability(owner_troops=own, tenant_troops=ten, rivalry=rivalry, base=0.02)[0], [0.02, 0.006, 0.0]
    )


# ------------------------------------------------------------------ blocs, sanctions, aid


def test_sanction_lift_slow_for_juntas_at_once_for_civilians():
    sanctioned = np.array([[[True], [False]], [[True], [True]]])  # (S=2, B=2, R=1)
    junta = np.array([[True], [False]])
    out = sanction_lift_probability(sanctioned=sanctioned, junta=junta, rate=0.05)
    # state 0 (junta): sanctioned by bloc 0 -> 0.05, not by bloc 1 -> 0;
    # state 1 is civilian: any sanction goes the next month -> 1
    np.testing.assert_allclose(out[:, :, 0], [[0.05, 0.0], [1.0, 1.0]])


def test_aid_resume_probability_by_hand():
    suspended = np.array([[[True], [True]]])  # (S=1, P=2, R=1)
    cond = np.array([[1.0], [0.2]])[None]  # (1, P, 1)
    # strict power: 0.01 x (1 - 1) = 0; loose power: 0.01 x (1 - 0.2) = 0.008
    out = aid_resume_probability(suspended=suspended, junta=np.array([[True]]), conditionality=cond, rate=0.01)
    np.testing.assert_allclose(out[0, :, 0], [0.0, 0.008])
    # a civilian government gets suspended aid back the next month, whatever the conditionality
    out = aid_resume_probability(suspended=suspended, junta=np.array([[False]]), conditionality=cond, rate=0.01)
    np.testing.assert_allclose(out[0, :, 0], [1.0, 1.0])


def test_bloc_leave_probability_by_hand():
    # blocs: 0 sanctions coups (ECOWAS), 1 alliance (AES); states: 0 sanctioned junta, 1 junta in the
    # alliance, 2 junta neither sanctioned nor allied, 3 civilian
    member = np.array([[True, False], [True, True], [True, False], [True, False]])[:, :, None]
    sanctioned = np.array([[True, False], [False, False], [False, False], [True, False]])[:, :, None]
    junta = np.array([True, True, True, False])[:, None]
    in_alliance = np.array([False, True, False, False])[:, None]
    out = bloc_leave_probability(
        member=member,
        sanctioned=sanctioned,
        junta=junta,
        in_alliance=in_alliance,
        sanctions_coups=np.array([True, False]),
        rate=0.03,
    )
    np.testing.assert_allclose(out[:, :, 0], [[0.03, 0.0], [0.03, 0.0], [0.0, 0.0], [0.0, 0.0]])


def test_alliance_join_probability_by_hand():
    member = np.array([[False], [True], [False]])
    junta = np.array([[True], [True], [False]])
    share = np.array([[0.5], [1.0], [1.0]])
    # junta outside with half its neighbours in: 0.05 x 0.5 = 0.025; members and civilians: 0
    out = alliance_join_probability(member_alliance=member, junta=junta, alliance_neighbour_share=share, rate=0.05)
    np.testing.assert_allclose(out[:, 0], [0.025, 0.0, 0.0])


def test_alliance_pull_uses_junta_neighbours_only_while_the_alliance_is_empty():
    member_share = np.array([[0.0, 0.5], [0.0, 0.0]])  # 2 states x 2 runs
    junta_share = np.array([[2 / 3, 2 / 3], [0.25, 0.25]])
    empty = np.array([True, False])  # run 0: no member anywhere; run 1: the alliance exists
    out = alliance_pull(member_share=member_share, junta_share=junta_share, empty=empty)
    # run 0 founders are drawn by junta neighbours (2/3, 1/4); run 1 by members (0.5, 0)
    np.testing.assert_allclose(out, [[2 / 3, 0.5], [0.25, 0.0]])


def test_an_alliance_with_no_member_can_be_founded_by_neighbouring_juntas():
    """In the 2020 hindcast world the AES does not exist yet; once juntas sit next to juntas, some
    runs found it (before this rule, joining scaled with members only and it never formed)."""
    from sim.config import compose_config
    from sim.ensemble import run_batch

    cfg = compose_config(["scenario=hindcast_2020", "run.steps=52", "hazards.coup_base=0.02"])
    events = run_batch(cfg, range(40)).events_table()
    joins = events[(events.type == "bloc_join") & (events.bloc == "AES")]
    founded = joins.groupby("run")["step"].min()
    assert len(founded) >= 5, "juntas next to juntas should found the alliance in some runs"
    firsts = joins.sort_values("step").groupby("run").head(1)
    assert firsts["cause"].str.contains("founds").all()
    assert joins["cause"].str.contains("joins").any()  # later members join an existing alliance


def _leg(
    L, anchor, threat, threat0, sanctioned, sanctioned0, drift=0.05, w_threat=0.5, w_sanction=0.15, noise=0.0, shock=0.0
):
    a = lambda x: np.array([[x]], dtype=float)  # noqa: E731
    return legitimacy_step(
        legitimacy=a(L),
        anchor=np.array([anchor]),
        threat=a(threat),
        threat0=np.array([threat0]),
        sanctioned_any=np.array([[sanctioned]]),
        sanctioned0=np.array([float(sanctioned0)]),
        drift=drift,
        w_threat=w_threat,
        w_sanction=w_sanction,
        noise=noise,
        shock=a(shock),
    )[0, 0]


def test_legitimacy_step_by_hand():
    # anchor 0.5 at a starting threat of 0.2; the threat is now 0.4 and sanctions began:
    # target 0.5 - 0.5 x (0.4 - 0.2) - 0.15 x (1 - 0) = 0.25; 0.5 + 0.05 x (0.25 - 0.5) = 0.4875
    assert _leg(0.5, 0.5, 0.4, 0.2, True, False) == pytest.approx(0.4875)
    # sanctions lifted that were in force at the start raise the target above the anchor:
    # target 0.5 + 0.15 = 0.65; 0.5 + 0.05 x 0.15 = 0.5075
    assert _leg(0.5, 0.5, 0.2, 0.2, False, True) == pytest.approx(0.5075)


def test_legitimacy_keeps_each_states_own_level():
    # with the threat and sanctions of the start, legitimacy returns to the world file's value,
    # whatever it is: states do not converge to a common level
    for anchor in (0.2, 0.45, 0.8):
        L = 0.6
        for _ in range(400):
            L = _leg(L, anchor, 0.3, 0.3, False, False)
        assert L == pytest.approx(anchor, abs=1e-6)


def test_legitimacy_target_and_value_are_clipped():
    # target 0.7 - 2 x (1 - 0) = -1.3 -> 0; 0.1 + 1.0 x (0 - 0.1) + 0.5 x (-1) -> clipped to 0
    assert _leg(0.1, 0.7, 1.0, 0.0, False, False, drift=1.0, w_threat=2.0, noise=0.5, shock=-1.0) == 0.0
    assert _leg(0.95, 0.7, 0.0, 0.0, False, False, drift=0.0, noise=0.5, shock=1.0) == 1.0
