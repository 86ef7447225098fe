"""The outcome language: parsing by hand, clear errors, values on the synthetic run, labels, and
one value per run from a real sweep folder."""

import pandas as pd
import pytest

from analysis.metrics import influence_share
from analysis.outcomes import check_outcome, outcome_label, outcome_values, parse_outcome, sweep_outcome
from analysis.sweep_data import layout, open_sweep

NAMES = {"MLI": "Mali", "NER": "Niger", "SEN": "Senegal"}


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("lead:NER=RUS@36", dict(kind="lead", state="NER", power="RUS", step=36)),
        ("lead:ner=none@3", dict(kind="lead", state="NER", power="none", step=3)),
        ("regime:BFA=Civilian@end", dict(kind="regime", state="BFA", regime="civilian", step=None)),
        ("share:chn@12", dict(kind="share", power="CHN", step=12)),
        ("affinity:MLI:FRA@0", dict(kind="affinity", state="MLI", power="FRA", step=0)),
        ("event:coup:NER@24", dict(kind="event", event="coup", state="NER", power="", step=24)),
        ("event:expel:NER:USA@36", dict(kind="event", event="expel", state="NER", power="USA", step=36)),
        (" event:Coup:ANY@end ", dict(kind="event", event="coup", state="any", step=None)),
    ],
)
def test_parse_by_hand(spec, expected):
    outcome = parse_outcome(spec)
    for key, value in expected.items():
        assert getattr(outcome, key) == value, key
    assert outcome.is_boolean == (expected["kind"] in ("lead", "regime", "event"))


@pytest.mark.parametrize(
    "spec, needle",
    [
        ("lead:NER=RUS", "no '@STEP'"),
        ("lead:NER=RUS@x3", "'x3'"),
        ("lead:NER=RUS@-1", "'-1'"),
        ("leader:NER=RUS@3", "'leader' is not a kind"),
        ("lead:NER-RUS@3", "'NER-RUS' should read STATE=POWER"),
        ("lead:NER:RUS@3", "should read STATE=POWER"),
        ("regime:NER=king@3", "'king' is not a regime"),
        ("share:NER:RUS@3", "one POWER code"),
        ("affinity:NER@3", "STATE:POWER"),
        ("affinity:NER=RUS@3", "'=' belongs to lead"),
        ("event:boom:NER@3", "'boom' is not an event type"),
        ("event:coup@3", "TYPE:STATE"),
        ("event:coup:N-R@3", "'N-R' is not a state code"),
        ("lead:=RUS@3", "'' is not a state code"),
        ("share:@3", "nothing follows"),
    ],
)
def test_malformed_outcomes_name_the_bad_part_and_the_forms(spec, needle):
    with pytest.raises(ValueError) as err:
        parse_outcome(spec)
    text = str(err.value)
    assert needle in text and repr(spec.strip()) in text
    assert "lead:STATE=POWER@STEP" in text and "event:TYPE:STATE:POWER@STEP" in text and "\n" not in text


def _check(spec, steps=range(4)):
    return check_outcome(parse_outcome(spec), states=NAMES, powers=["USA", "FRA", "RUS"], steps=list(steps))


def test_check_resolves_end_and_refuses_unknown_names_and_steps():
    assert _check("lead:NER=RUS@end").step == 3
    assert _check("event:coup:any@2").step == 2
    with pytest.raises(ValueError, match=r"state 'NGA'.*choose one of MLI, NER, SEN\."):
        _check("lead:NGA=RUS@1")
    with pytest.raises(ValueError, match=r"power 'CHN'.*FRA, RUS, USA, none"):
        _check("lead:NER=CHN@1")
    with pytest.raises(ValueError, match=r"power 'none'.*FRA, RUS, USA\."):
        _check("affinity:NER:none@1")
    with pytest.raises(ValueError, match=r"step 4.*0, 1, 2, 3, or end"):
        _check("share:RUS@4")
    with pytest.raises(ValueError, match=r"step 2.*0, 3, 6, or end"):  # states kept every 3 months
        _check("share:RUS@2", steps=[0, 3, 6])
    assert _check("event:coup:NER@5", steps=[0, 3, 6]).step == 5  # events count every month
    with pytest.raises(ValueError, match=r"month 7.*0 to 6"):
        _check("event:coup:NER@7", steps=[0, 3, 6])
    with pytest.raises(ValueError, match="state 'ANY'"):
        _check("lead:any=RUS@1")


def _values(tables, spec):
    outcome = _check(spec)
    return outcome_values(outcome, [3, 7], states=tables["states"], ties=tables["ties"], events=tables["events"])


def test_values_on_the_synthetic_runs_by_hand(sweep_tables):
    # runs 3 and 7 tell the same story; run 7 has every affinity halved
    assert _values(sweep_tables, "lead:NER=RUS@3").tolist() == [True, True]
    assert _values(sweep_tables, "lead:NER=USA@3").tolist() == [False, False]
    assert _values(sweep_tables, "lead:NER=none@2").tolist() == [True, True]
    assert _values(sweep_tables, "regime:NER=junta@2").tolist() == [True, True]
    assert _values(sweep_tables, "regime:NER=junta@1").tolist() == [False, False]
    assert _values(sweep_tables, "event:coup:NER@1").tolist() == [False, False]
    assert _values(sweep_tables, "event:coup:NER@2").tolist() == [True, True]
    assert _values(sweep_tables, "event:expel:MLI:FRA@1").tolist() == [True, True]
    assert _values(sweep_tables, "event:expel:MLI:RUS@3").tolist() == [False, False]
    assert _values(sweep_tables, "event:deploy:any@3").tolist() == [True, True]
    assert _values(sweep_tables, "affinity:NER:RUS@2").tolist() == pytest.approx([0.5, 0.25])
    # RUS at step 3: MLI 0.7 x 20 + NER 0.6 x 25 + SEN 0.1 x 15 = 30.5 of 43.5 (positive affinities x population)
    assert _values(sweep_tables, "share:RUS@3").tolist() == pytest.approx([30.5 / 43.5] * 2)
    values = _values(sweep_tables, "lead:NER=RUS@3")
    assert values.dtype == bool and values.index.tolist() == [3, 7] and values.name == "lead:NER=RUS@3"


def test_values_are_the_same_from_categorical_columns(sweep_tables):
    cats = {
        name: t.astype({c: "category" for c in t.columns if t[c].dtype == object}) for name, t in sweep_tables.items()
    }
    for spec in ("lead:NER=none@2", "event:expel:MLI:FRA@1", "affinity:NER:RUS@2", "share:RUS@3", "regime:NER=junta@2"):
        pd.testing.assert_series_equal(_values(cats, spec), _values(sweep_tables, spec))


def test_a_missing_run_is_an_error_not_a_silent_gap(sweep_tables):
    with pytest.raises(ValueError, match="run 9 has no states"):
        outcome_values(_check("lead:NER=RUS@3"), [3, 9], states=sweep_tables["states"])


@pytest.mark.parametrize(
    "spec, label",
    [
        ("lead:NER=RUS@36", "Russia is Niger's leading partner at month 36"),
        ("lead:NER=none@36", "Niger has no leading partner at month 36"),
        ("event:coup:NER@24", "A coup in Niger by month 24"),
        ("event:expel:NER:USA@36", "Niger expels the United States by month 36"),
        ("event:coup:any@12", "A coup anywhere by month 12"),
        ("share:RUS@12", "Russia's influence share at month 12"),
        ("affinity:MLI:FRA@6", "Mali's affinity to France at month 6"),
        ("regime:NER=civilian@6", "Niger has a civilian government at month 6"),
    ],
)
def test_labels_read_as_sentences(spec, label):
    assert outcome_label(parse_outcome(spec), NAMES) == label


def test_label_with_a_date():
    assert outcome_label(parse_outcome("lead:NER=RUS@36"), NAMES, "2027-05") == (
        "Russia is Niger's leading partner at month 36 (May 2027)"
    )


def test_one_value_per_run_of_a_sweep_folder(morris_sweep):
    sweep = open_sweep(morris_sweep)
    frame = layout(sweep)
    assert frame.runs == list(range(60)) and frame.steps == list(range(13)) and "NER" in frame.states
    outcome, values = sweep_outcome(sweep, "lead:NER=RUS@end", frame)
    assert outcome.step == 12 and values.index.tolist() == frame.runs and values.dtype == bool
    states = pd.read_parquet(morris_sweep / "states", columns=["run", "step", "state", "leading_partner"])
    end = states.loc[(states["step"] == 12) & (states["state"] == "NER")].set_index("run").sort_index()
    assert values.tolist() == (end["leading_partner"] == "RUS").tolist()
    _, shares = sweep_outcome(sweep, "share:RUS@6", frame)
    ties = pd.read_parquet(morris_sweep / "ties", columns=["run", "step", "date", "state", "power", "affinity"])
    pops = pd.read_parquet(morris_sweep / "states", columns=["run", "step", "state", "population_m"])
    whole = influence_share(
        ties.loc[ties["step"] == 6].astype({"state": str, "power": str, "date": str}),
        pops.loc[pops["step"] == 6].astype({"state": str}),
    )
    expected = whole.loc[whole["power"] == "RUS"].set_index("run")["share"].sort_index()
    assert shares.to_numpy() == pytest.approx(expected.to_numpy())
    _, coups = sweep_outcome(sweep, "event:withdraw_complete:NER:USA@12", frame)
    assert coups.all()  # the scripted US withdrawal from Niger ends within the year in every run
