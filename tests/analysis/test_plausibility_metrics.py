"""The plausibility battery's metrics on a hand-made ensemble whose answers are computed by hand.

Two runs of 12 months, two states (MLI, SEN), two powers (RUS, FRA):
run 0: coups in MLI at months 2 and 5 and in SEN at month 11; MLI leaves ECOWAS at month 8; France
deploys to MLI at month 3. Run 1: a coup in MLI at month 7; MLI leaves ECOWAS at month 10.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.plausibility_metrics import (
    METRICS,
    EnsembleTables,
    MetricValue,
    coups_per_100_state_years,
    coups_per_state_month,
    evaluate,
    juntas_at_month,
    metric_arguments,
    ratio_of_event_counts,
    share_of_new_juntas_led_by,
    share_of_runs_led_by,
    share_of_runs_with_event,
    share_of_runs_with_more_than,
    share_of_runs_with_regime,
    share_of_runs_with_troops,
    share_of_states_disliking,
    states_led_by,
    states_led_in_security,
    verdict,
)

MONTHS = 12
EVENTS = [  # run, step, type, state, power, bloc
    (0, 2, "coup", "MLI", "", ""),
    (0, 3, "deploy", "MLI", "FRA", ""),
    (0, 5, "coup", "MLI", "", ""),
    (0, 8, "bloc_leave", "MLI", "", "ECOWAS"),
    (0, 11, "coup", "SEN", "", ""),
    (1, 7, "coup", "MLI", "", ""),
    (1, 10, "bloc_leave", "MLI", "", "ECOWAS"),
]


def _regime(run: int, state: str, step: int) -> str:
    if state == "MLI":
        return "junta" if run == 0 or step >= 7 else "civilian"
    return "junta" if run == 0 and step >= 11 else "civilian"


def _partner(run: int, state: str, step: int) -> str:
    if state == "MLI":
        return "FRA" if run == 0 and step == 0 else "RUS"
    return "none" if run == 1 and step == 12 else "FRA"


# (run, state, power) -> (troops, affinity) at month 12
TIES_12 = {
    (0, "MLI", "RUS"): (500, 0.4),
    (0, "MLI", "FRA"): (0, -0.5),
    (0, "SEN", "RUS"): (0, 0.1),
    (0, "SEN", "FRA"): (300, 0.3),
    (1, "MLI", "RUS"): (100, 0.2),
    (1, "MLI", "FRA"): (200, -0.2),
    (1, "SEN", "RUS"): (0, 0.0),
    (1, "SEN", "FRA"): (0, -0.1),
}


def _tables(events=EVENTS) -> EnsembleTables:
    states = pd.DataFrame(
        [
            (r, t, s, _regime(r, s, t), _partner(r, s, t))
            for r in (0, 1)
            for t in range(MONTHS + 1)
            for s in ("MLI", "SEN")
        ],
        columns=["run", "step", "state", "regime", "leading_partner"],
    )
    ties = pd.DataFrame(
        [(r, MONTHS, s, p, tr, a) for (r, s, p), (tr, a) in TIES_12.items()],
        columns=["run", "step", "state", "power", "troops", "affinity"],
    )
    ev = pd.DataFrame(events, columns=["run", "step", "type", "state", "power", "bloc"])
    return EnsembleTables(states=states, ties=ties, events=ev, runs=2, months=MONTHS, state_codes=("MLI", "SEN"))


@pytest.fixture
def tables() -> EnsembleTables:
    return _tables()


def test_coups_per_100_state_years(tables):
    assert coups_per_100_state_years(tables).value == pytest.approx(100.0)  # 4 coups in 2 x 2 x 1 state-years
    assert coups_per_100_state_years(tables, states=["MLI"]).value == pytest.approx(150.0)  # 3 in 2


def test_coups_per_state_month_per_state(tables):
    worst = coups_per_state_month(tables)
    assert worst.value == pytest.approx(12.5)  # MLI: 3 / (2 x 12)
    assert worst.detail.startswith("MLI 12.50%")
    assert coups_per_state_month(tables, aggregate="min").value == pytest.approx(100 / 24)
    assert coups_per_state_month(tables, aggregate="mean").value == pytest.approx((12.5 + 100 / 24) / 2)


def test_share_of_runs_with_event(tables):
    assert share_of_runs_with_event(tables, type="coup", states=["MLI", "SEN"], by_month=6).value == 0.5
    assert share_of_runs_with_event(tables, type="coup", states=["MLI", "SEN"], by_month=6, aggregate="min").value == 0
    assert share_of_runs_with_event(tables, type="coup", states=["SEN"], by_month=12).value == 0.5
    assert share_of_runs_with_event(tables, type="bloc_leave", states=["MLI"], bloc="ECOWAS", by_month=9).value == 0.5
    assert share_of_runs_with_event(tables, type="bloc_leave", states=["MLI"], bloc="ECOWAS", by_month=10).value == 1
    assert share_of_runs_with_event(tables, type="bloc_leave", states=["MLI"], bloc="AES", by_month=12).value == 0
    assert share_of_runs_with_event(tables, type="deploy", states=["MLI"], power="FRA", by_month=12).value == 0.5
    assert share_of_runs_with_event(tables, type="deploy", states=["MLI"], power="RUS", by_month=12).value == 0


def test_a_missing_event_type_is_not_applicable(tables):
    value = share_of_runs_with_event(tables, type="referendum", states=["MLI"], by_month=12)
    assert math.isnan(value.value) and "referendum" in value.not_applicable
    assert verdict(value, 0.5, None) == "n/a"


def test_a_month_outside_the_ensemble_is_an_error(tables):
    with pytest.raises(ValueError, match="outside"):
        share_of_runs_with_event(tables, type="coup", states=["MLI"], by_month=13)


def test_share_of_runs_with_more_than(tables):
    assert share_of_runs_with_more_than(tables, type="coup", count=1).value == 0.5  # run 0: MLI has 2
    assert share_of_runs_with_more_than(tables, type="coup", count=2).value == 1.0
    assert share_of_runs_with_more_than(tables, type="coup", count=1, by_month=4).value == 1.0


def test_ratio_of_event_counts(tables):
    reference = _tables(
        [e for e in EVENTS if e[2] != "coup"] + [(0, 1, "coup", "MLI", "", ""), (1, 1, "coup", "SEN", "", "")]
    )
    assert ratio_of_event_counts(tables, reference, type="coup").value == pytest.approx(2.0)  # 4 / 2
    none = _tables([e for e in EVENTS if e[2] != "coup"])
    assert ratio_of_event_counts(tables, none, type="coup").not_applicable
    assert evaluate("ratio_of_event_counts", tables, {"type": "coup"}, None).not_applicable


def test_juntas_at_month(tables):
    assert juntas_at_month(tables, month=12).value == 1.5  # run 0: 2, run 1: 1
    assert juntas_at_month(tables, month=12, statistic="max").value == 2
    assert juntas_at_month(tables, month=12, statistic="share_all").value == 0.5
    assert juntas_at_month(tables, month=0).value == 0.5
    with pytest.raises(ValueError, match="statistic"):
        juntas_at_month(tables, month=12, statistic="median")


def test_regime_and_leading_partner_shares(tables):
    assert share_of_runs_with_regime(tables, states=["MLI"], regime="civilian", month=6).value == 0.5
    assert share_of_runs_with_regime(tables, states=["MLI", "SEN"], regime="junta", month=12).value == 0.5
    assert share_of_runs_led_by(tables, states=["MLI", "SEN"], power="RUS", month=12).value == 0  # min: SEN
    assert share_of_runs_led_by(tables, states=["MLI"], power="RUS", month=12).value == 1
    assert share_of_runs_led_by(tables, states=["MLI"], power="RUS", month=0).value == 0.5
    assert share_of_runs_led_by(tables, states=["SEN"], power="FRA", month=12).value == 0.5
    assert states_led_by(tables, power="RUS", month=12).value == 1.0
    assert states_led_by(tables, power="FRA", month=12).value == 0.5


def test_troop_metrics(tables):
    assert states_led_in_security(tables, power="RUS", month=12).value == 0.5  # run 0 MLI; run 1 France has more
    assert states_led_in_security(tables, power="FRA", month=12).value == 1.0  # run 0 SEN, run 1 MLI
    assert share_of_runs_with_troops(tables, states=["MLI"], power="RUS", month=12).value == 1.0
    assert share_of_runs_with_troops(tables, states=["MLI"], power="RUS", month=12, min_troops=200).value == 0.5
    assert share_of_runs_with_troops(tables, states=["SEN"], power="RUS", month=12).value == 0.0


def test_share_of_states_disliking(tables):
    assert share_of_states_disliking(tables, power="FRA", month=12).value == 0.75  # run 0: 1 of 2, run 1: 2 of 2
    assert share_of_states_disliking(tables, power="RUS", month=12).value == 0.0


def test_verdict_reads_both_bounds():
    assert verdict(MetricValue(1.0), 0.5, 4.0) == "pass"
    assert verdict(MetricValue(4.0), 0.5, 4.0) == "pass"
    assert verdict(MetricValue(4.1), 0.5, 4.0) == "fail"
    assert verdict(MetricValue(0.4), 0.5, None) == "fail"
    assert verdict(MetricValue(0.4), None, 0.5) == "pass"


def test_every_metric_declares_its_arguments():
    assert metric_arguments("share_of_runs_with_event") == (
        {"type", "states", "by_month"},
        {"power", "bloc", "aggregate"},
    )
    assert metric_arguments("ratio_of_event_counts") == ({"type"}, set())
    assert all(METRICS[name].__doc__ for name in METRICS)


def test_share_of_new_juntas_led_by_by_hand(tables):
    """Coups against civilian governments: run 1 MLI at month 7 (Russia-led before and after) and run 0 SEN at
    month 11 (France-led before and after); run 0's MLI coups are against a junta. One month on: RUS 1 of 2.
    Turned only: MLI was Russia-led already, so SEN alone counts, and it is not Russia-led: 0 of 1."""
    assert share_of_new_juntas_led_by(tables, "RUS", after_months=0, coups_by=11).value == pytest.approx(0.5)
    turned = share_of_new_juntas_led_by(tables, "RUS", after_months=0, coups_by=11, turned_only=True)
    assert turned.value == 0.0 and "1 coups" in turned.detail
    # for France it is the other way round: SEN was France-led already, MLI turned to nobody new (Russia)
    assert share_of_new_juntas_led_by(tables, "FRA", after_months=0, coups_by=11, turned_only=True).value == 0.0
