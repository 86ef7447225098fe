"""Scoring of probability forecasts on toy cases computed by hand, and the observed-outcome table
built from a small inline timeline."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.observed import (
    NOT_MAPPED,
    SCORED,
    SUPPLEMENTS,
    TYPE_MAP,
    Supplement,
    map_timeline,
    observed_outcomes,
    outcome_cells,
    supplement_rows,
)
from analysis.scoring import (
    base_rate_forecast,
    bootstrap_scores,
    brier_score,
    brier_skill_score,
    classify,
    contingency,
    largest_errors,
    reliability_table,
    roc_auc,
    score_cells,
)
from sim.core.vocabulary import EVENTS


def test_brier_score_by_hand():
    # (0.9-1)^2 + (0.2-0)^2 + (0.5-1)^2 + (0-0)^2 = 0.01 + 0.04 + 0.25 + 0 = 0.30; / 4 = 0.075
    assert brier_score([0.9, 0.2, 0.5, 0.0], [1, 0, 1, 0]) == pytest.approx(0.075)
    assert brier_score([1.0, 0.0], [1, 0]) == 0.0  # perfect
    assert brier_score([0.5, 0.5], [1, 0]) == pytest.approx(0.25)  # always 50%


def test_brier_skill_score_by_hand():
    # 1 - 0.05 / 0.20 = 0.75; worse than the reference is negative: 1 - 0.3 / 0.2 = -0.5
    assert brier_skill_score(0.05, 0.20) == pytest.approx(0.75)
    assert brier_skill_score(0.30, 0.20) == pytest.approx(-0.5)
    assert math.isnan(brier_skill_score(0.1, 0.0))  # a perfect reference: skill undefined


def test_roc_auc_by_hand():
    # event cells 0.9, 0.4 against non-events 0.6, 0.1: pairs 0.9>0.6, 0.9>0.1, 0.4<0.6, 0.4>0.1 -> 3 / 4
    assert roc_auc([0.9, 0.4, 0.6, 0.1], [1, 1, 0, 0]) == pytest.approx(0.75)
    assert roc_auc([0.5, 0.5], [1, 0]) == 0.5  # a tie counts half
    assert math.isnan(roc_auc([0.2, 0.3], [0, 0]))  # no event: undefined


@pytest.mark.parametrize("p, o", [([0.5], [1, 0]), ([1.2], [1]), ([0.5], [2]), ([], [])])
def test_bad_forecasts_are_refused(p, o):
    with pytest.raises(ValueError):
        brier_score(p, o)


@pytest.fixture
def toy_cells() -> pd.DataFrame:
    """Four states x two kinds of event. coup: p 0.8 0.6 0.2 0.0, o 1 1 0 0;
    expel FRA: p 0.4 0.5 0.0 0.0, o 1 0 0 0."""
    return pd.DataFrame(
        {
            "state": ["A", "B", "C", "D"] * 2,
            "type": ["coup"] * 4 + ["expel"] * 4,
            "power": [""] * 4 + ["FRA"] * 4,
            "bloc": [""] * 8,
            "probability": [0.8, 0.6, 0.2, 0.0, 0.4, 0.5, 0.0, 0.0],
            "observed": [1, 1, 0, 0, 1, 0, 0, 0],
        }
    )


def test_base_rate_is_the_share_of_states_per_kind(toy_cells):
    # coup happened in 2 of 4 states (0.5); expel FRA in 1 of 4 (0.25)
    assert base_rate_forecast(toy_cells).tolist() == [0.5] * 4 + [0.25] * 4


def test_scores_of_the_toy_table_by_hand(toy_cells):
    s = score_cells(toy_cells, k=3)
    # forecast: coup (0.2^2 + 0.4^2 + 0.2^2 + 0) = 0.04 + 0.16 + 0.04 = 0.24;
    #           expel (0.6^2 + 0.5^2 + 0 + 0) = 0.36 + 0.25 = 0.61; (0.24 + 0.61) / 8 = 0.10625
    assert s["brier"] == pytest.approx(0.10625)
    # base rate: coup 4 x 0.5^2 = 1.0; expel 0.75^2 + 3 x 0.25^2 = 0.5625 + 0.1875 = 0.75; 1.75 / 8 = 0.21875
    assert s["brier_base_rate"] == pytest.approx(0.21875)
    # nothing changes (p = 0 everywhere): the share of cells with an event, 3 / 8 = 0.375
    assert s["brier_nothing_changes"] == pytest.approx(0.375)
    # skill: 1 - 0.10625 / 0.21875 = 0.5142857; 1 - 0.10625 / 0.375 = 0.7166667
    assert s["skill_vs_base_rate"] == pytest.approx(0.5142857, abs=1e-7)
    assert s["skill_vs_nothing_changes"] == pytest.approx(0.7166667, abs=1e-7)
    # at 0.5: hits coup A, coup B; miss expel A (0.4); false alarm expel B (0.5 counts as yes)
    assert s["contingency"] == {"hits": 2, "misses": 1, "false_alarms": 1, "correct_negatives": 4}
    assert s["cells"] == 8 and s["events"] == 3
    # events 0.8 0.6 0.4 against non-events 0.2 0.0 0.5 0.0 0.0: 0.8 and 0.6 beat all 5; 0.4 beats 4 -> 14 / 15
    assert s["auc"] == pytest.approx(14 / 15)
    by_kind = s["by_kind"].set_index("type")
    # coup alone: 0.24 / 4 = 0.06 against its base rate 1.0 / 4 = 0.25: skill 1 - 0.06 / 0.25 = 0.76
    assert by_kind.loc["coup", "brier"] == pytest.approx(0.06)
    assert by_kind.loc["coup", "skill_vs_base_rate"] == pytest.approx(0.76)
    # expel alone: 0.61 / 4 = 0.1525 against 0.75 / 4 = 0.1875: skill 1 - 0.1525 / 0.1875 = 0.18667
    assert by_kind.loc["expel", "skill_vs_base_rate"] == pytest.approx(0.186667, abs=1e-6)
    # the largest |p - o|: expel A 0.6, expel B 0.5, coup B 0.4
    errors = s["largest_errors"]
    assert list(zip(errors["type"], errors["state"], strict=True)) == [("expel", "A"), ("expel", "B"), ("coup", "B")]
    assert errors["abs_error"].tolist() == pytest.approx([0.6, 0.5, 0.4])


def test_classify_and_contingency_agree(toy_cells):
    classes = classify(toy_cells["probability"], toy_cells["observed"])
    assert classes.tolist() == [
        "hit",
        "hit",
        "correct_negative",
        "correct_negative",
        "miss",
        "false_alarm",
        "correct_negative",
        "correct_negative",
    ]
    counts = contingency(toy_cells["probability"], toy_cells["observed"], threshold=0.45)
    assert counts == {"hits": 2, "misses": 1, "false_alarms": 1, "correct_negatives": 4}
    assert largest_errors(toy_cells, k=1)["state"].tolist() == ["A"]


def test_reliability_binning_by_hand():
    p = [0.05, 0.05, 0.1, 0.15, 0.95, 1.0]
    o = [0, 1, 1, 0, 1, 1]
    t = reliability_table(p, o, bins=10)
    assert len(t) == 10 and t["count"].sum() == 6
    assert t["bin_low"].tolist() == pytest.approx(np.arange(10) / 10)
    cols = ["count", "mean_forecast", "observed_frequency"]
    # [0, 0.1): 0.05, 0.05 -> mean forecast 0.05, observed 1 of 2
    assert t.loc[0, cols].tolist() == [2, pytest.approx(0.05), 0.5]
    # [0.1, 0.2): 0.1 (a left edge belongs to the bin above) and 0.15 -> mean 0.125, observed 1 of 2
    assert t.loc[1, cols].tolist() == [2, pytest.approx(0.125), 0.5]
    # [0.9, 1.0]: 0.95 and 1.0 (the top edge is in the last bin) -> mean 0.975, observed 2 of 2
    assert t.loc[9, cols].tolist() == [2, pytest.approx(0.975), 1.0]
    empty = t.loc[2:8]
    assert (empty["count"] == 0).all() and empty["mean_forecast"].isna().all()


# ---------------------------------------------------------------- observed outcomes

NAMES = {"Mali": "MLI", "Niger": "NER", "Burkina Faso": "BFA"}
TIMELINE = [
    {"id": "X1", "date": "2020-08-18", "type": "coup", "actors": ["Mali", "CNSP (Col. Goita)"]},
    {"id": "X2", "date": "2019-11-01", "type": "basing_arrival", "actors": ["United States", "Niger"]},  # before
    {"id": "X3", "date": "2022-05-02", "type": "agreement_termination", "actors": ["Mali (junta)", "France"]},
    {"id": "X4", "date": "2023-06-16", "type": "expulsion", "actors": ["Mali (FM Diop)", "UN (MINUSMA)"]},
    {
        "id": "X5",
        "date": "2023-09-16",
        "type": "alliance_formation",
        "actors": ["Mali", "Niger"],
        "description": "The charter creates the Alliance of Sahel States (AES).",
    },
    {"id": "X6", "date": "2024-01-28", "type": "org_withdrawal", "actors": ["Mali", "Niger", "ECOWAS"]},
    {"id": "X7", "date": "2024-06-02", "type": "coup", "actors": ["Niger"]},  # after the window
    {"id": "X8", "date": "2021-03-31", "type": "coup_attempt", "actors": ["Niger"]},  # not a model event
    {"id": "X9", "date": "2024-01", "type": "basing_arrival", "actors": ["Russia (Africa Corps)", "Burkina Faso"]},
    {"id": "X10", "date": "2022-01-09", "type": "sanctions", "actors": ["ECOWAS", "Mali"]},
    {"id": "X11", "date": "2022-05-15", "type": "org_withdrawal", "actors": ["Mali", "G5 Sahel"]},
    {"id": "X12", "date": "2021-05-24", "type": "coup", "actors": ["Mali", "Col. Assimi Goita"]},
]


def test_timeline_is_mapped_to_model_events():
    m = map_timeline(TIMELINE, NAMES)
    rows = {(r.id, r.state): (r.type, r.power, r.bloc, r.scored) for r in m.itertuples()}
    assert rows[("X3", "MLI")] == ("expel", "FRA", "", True)
    assert rows[("X4", "MLI")][0] == "expel" and not rows[("X4", "MLI")][3]  # the UN is not a power
    assert rows[("X5", "NER")] == ("bloc_join", "", "AES", True)
    assert rows[("X6", "MLI")] == ("bloc_leave", "", "ECOWAS", True)
    assert rows[("X9", "BFA")] == ("deploy", "RUS", "", True)
    assert rows[("X10", "MLI")] == ("sanction", "", "ECOWAS", True)
    assert not rows[("X11", "MLI")][3]  # the G5 Sahel is not a modelled bloc
    assert "X8" not in set(m["id"])  # failed coups are not mapped


def test_the_mapping_names_only_types_of_the_event_catalogue():
    assert {kind for kind, _ in TYPE_MAP.values()} <= set(EVENTS)
    assert {kind for kind, _, _ in SCORED} <= set(EVENTS)
    assert {s.type for s in SUPPLEMENTS} <= set(EVENTS)
    assert not set(TYPE_MAP) & set(NOT_MAPPED)  # a timeline type is mapped or not, never both


def test_what_a_mapped_event_needs_is_its_partner_in_the_catalogue():
    m = map_timeline(TIMELINE, NAMES)
    for r in m.itertuples():
        partner = EVENTS[r.type].partner
        assert bool(r.power) <= (partner == "power") and bool(r.bloc) <= (partner == "bloc"), r


def test_observed_outcomes_from_an_inline_timeline():
    mapped = map_timeline(TIMELINE, NAMES)
    out = observed_outcomes(mapped, outcome_cells(["MLI", "NER", "BFA"]), "2020-01", "2024-05")
    assert len(out) == 3 * len(SCORED)
    happened = {
        (r.state, r.type, r.power or r.bloc): (r.first_date, r.evidence) for r in out.itertuples() if r.observed
    }
    assert happened == {
        ("MLI", "coup", ""): ("2020-08", "X1 X12"),
        ("MLI", "expel", "FRA"): ("2022-05", "X3"),
        ("MLI", "bloc_join", "AES"): ("2023-09", "X5"),
        ("NER", "bloc_join", "AES"): ("2023-09", "X5"),
        ("MLI", "bloc_leave", "ECOWAS"): ("2024-01", "X6"),
        ("NER", "bloc_leave", "ECOWAS"): ("2024-01", "X6"),
        ("BFA", "deploy", "RUS"): ("2024-01", "X9"),
        ("MLI", "sanction", "ECOWAS"): ("2022-01", "X10"),
    }
    # the window is (start, end]: the Niger coup of June 2024 and the 2019 US arrival are outside it
    assert out.loc[(out["state"] == "NER") & (out["type"] == "coup"), "observed"].item() == 0


def test_supplements_add_outcomes_the_timeline_omits():
    extra = supplement_rows([Supplement("S9", "2021-10", "coup", "NER", source="a report", note="why")])
    mapped = pd.concat([map_timeline(TIMELINE, NAMES), extra], ignore_index=True)
    out = observed_outcomes(mapped, outcome_cells(["NER"], [("coup", "", "")]), "2020-01", "2024-05")
    assert out[["observed", "first_date", "evidence"]].values.tolist() == [[1, "2021-10", "S9"]]


# ---------------------------------------------------------------- bootstrap over cells


def _bootstrap_case(n: int = 200, seed: int = 5):
    gen = np.random.default_rng(seed)
    p = gen.uniform(0, 0.6, n)
    o = (gen.uniform(0, 1, n) < p).astype(float)
    kinds = np.where(np.arange(n) % 2, "coup", "expel|FRA")
    return p, o, kinds


def test_bootstrap_is_deterministic_for_a_seed():
    p, o, kinds = _bootstrap_case()
    a = bootstrap_scores(o, {"m": p, "half": p / 2}, kinds, resamples=300, seed=7)
    b = bootstrap_scores(o, {"m": p, "half": p / 2}, kinds, resamples=300, seed=7)
    c = bootstrap_scores(o, {"m": p, "half": p / 2}, kinds, resamples=300, seed=8)
    assert a == b and a["m"]["interval"] != c["m"]["interval"]


def test_bootstrap_point_values_are_the_full_sample_scores():
    p, o, kinds = _bootstrap_case()
    boot = bootstrap_scores(o, {"m": p}, kinds, resamples=200, seed=0)
    cells = pd.DataFrame({"state": "X", "type": kinds, "power": "", "bloc": "", "probability": p, "observed": o})
    scores = score_cells(cells)
    assert boot["m"]["brier"] == pytest.approx(scores["brier"])
    assert boot["base_rate"]["brier"] == pytest.approx(scores["brier_base_rate"])
    assert boot["nothing_changes"]["brier"] == pytest.approx(scores["brier_nothing_changes"])
    assert boot["m"]["skill_vs_base_rate"] == pytest.approx(scores["skill_vs_base_rate"])
    for key in ("interval", "skill_vs_base_rate_interval", "skill_vs_nothing_changes_interval"):
        lo, hi = boot["m"][key]
        assert lo < hi


def test_bootstrap_interval_contains_the_known_brier_score():
    # every cell has probability 0.3 and the outcomes are drawn with that probability: the expected Brier score
    # is 0.3 x 0.7 = 0.21, which a 90% interval over 400 cells must contain (it does for this seed; the
    # interval's width, about +-0.02, is the sampling error of the mean of 400 squared errors)
    gen = np.random.default_rng(11)
    o = (gen.uniform(0, 1, 400) < 0.3).astype(float)
    boot = bootstrap_scores(o, {"flat": np.full(400, 0.3)}, ["coup"] * 400, resamples=1000, seed=0)
    lo, hi = boot["flat"]["interval"]
    assert lo < 0.21 < hi and hi - lo < 0.06
    # nothing changes scores the share of events; its interval contains the true rate 0.3
    lo, hi = boot["nothing_changes"]["interval"]
    assert lo < 0.3 < hi


def test_bootstrap_paired_difference():
    p, o, kinds = _bootstrap_case()
    same = bootstrap_scores(o, {"a": p, "b": p.copy()}, kinds, resamples=200, seed=1)
    assert same["diff a-b"]["interval"] == [0.0, 0.0]  # paired: identical forecasts never differ
    # b is a everywhere but one cell, where it is worse by a known amount: the difference is never positive and
    # its interval is narrow; an unpaired comparison of the two intervals would overlap almost completely
    q = p.copy()
    q[0] = 1 - o[0]
    boot = bootstrap_scores(o, {"a": p, "b": q}, kinds, resamples=500, seed=1)
    assert boot["diff a-b"]["brier"] == pytest.approx(((p[0] - o[0]) ** 2 - 1) / len(o))
    lo, hi = boot["diff a-b"]["interval"]
    assert lo < hi <= 0.0 and boot["a"]["interval"][1] > boot["b"]["interval"][0]


def test_bootstrap_by_clusters_resamples_whole_states():
    p, o, kinds = _bootstrap_case(n=40)
    states = np.repeat(np.arange(10), 4)
    cells = bootstrap_scores(o, {"m": p}, kinds, resamples=500, seed=2)
    clustered = bootstrap_scores(o, {"m": p}, kinds, resamples=500, seed=2, clusters=states)
    assert clustered["clusters"] == 10 and cells["clusters"] is None
    assert clustered["m"]["brier"] == cells["m"]["brier"]
    with pytest.raises(ValueError):
        bootstrap_scores(o, {"m": p[:-1]}, kinds)
