"""The move form (workshop/moveform.py): its inputs come from the move schema and the world, its values
become the move file the command line accepts, and every problem is placed next to its input."""

from __future__ import annotations

from pathlib import Path

import pytest

from workshop import moves
from workshop.moveform import check_form, data_of, form_of, place, to_yaml, values_of
from workshop.moves import ACTIONS, ENTRY_FIELDS, KEYS, parse_move
from workshop.teams import Team
from workshop.yamldoc import load

REPO = Path(__file__).resolve().parents[2]
USA = Team("USA", "power", power="USA")
AES = Team("AES", "government", states=("MLI", "BFA", "NER"))
ECOWAS = Team("ECOWAS", "bloc", bloc="ECOWAS")


@pytest.mark.parametrize("team", [USA, AES, ECOWAS], ids=lambda t: t.name)
def test_the_form_has_every_move_and_field_of_the_schema(opening, team):
    form = form_of(team, opening)
    assert [s.key for s in form.sections] == list(KEYS[team.kind])
    for sec in form.sections:
        if sec.shape == "list":
            assert [i.field for i in sec.inputs] == list(ENTRY_FIELDS[sec.key])
            assert [i.required for i in sec.inputs] == list(ENTRY_FIELDS[sec.key].values())


def test_choices_come_from_the_world_and_the_turn(opening):
    w = opening.world
    usa = {s.key: {i.field: i for i in s.inputs} for s in form_of(USA, opening).sections}
    assert [c.value for c in usa["deploy"]["state"].choices] == w.states
    assert [c.value for c in usa["basing"]["base"].choices] == w.base_names
    assert [c.value for c in usa["basing"]["action"].choices] == list(ACTIONS["basing"])
    assert [c.value for c in usa["deploy"]["date"].choices] == ["2024-06", "2024-07", "2024-08"]
    assert usa["basing"]["troops"].placeholder == f"{opening.deploy_size:g}"  # a proposal without troops
    assert usa["regime_protection"]["regime_protection"].maximum == 1
    aes = {s.key: {i.field: i for i in s.inputs} for s in form_of(AES, opening).sections}
    assert [c.value for c in aes["expel"]["state"].choices] == ["MLI", "BFA", "NER"]  # its own states only
    assert [c.value for c in aes["join"]["bloc"].choices] == w.blocs
    assert aes["transition"]["date"].choices[-1].value == w.date_of(opening.game_last_step)  # up to the game's end
    form = form_of(USA, opening)
    assert form.budget_usd_m == tuple(w.budget_usd_m[0]) and form.troops_available == 70


def test_a_new_move_type_appears_in_the_form_by_itself(opening, monkeypatch):
    monkeypatch.setitem(ENTRY_FIELDS, "mediate", {"state": True, "power": False, "date": False})
    monkeypatch.setitem(moves.EXAMPLES, "mediate", "mediate: [{state: MLI}]")
    monkeypatch.setitem(KEYS, "bloc", (*KEYS["bloc"], "mediate"))
    sec = form_of(ECOWAS, opening).sections[-1]
    assert (sec.key, sec.shape, [i.field for i in sec.inputs]) == ("mediate", "list", ["state", "power", "date"])
    assert [c.value for c in sec.inputs[1].choices] == opening.world.powers


@pytest.mark.parametrize("name, team", [("usa_turn1", USA), ("aes_turn1", AES), ("ecowas_turn1", ECOWAS)])
def test_a_move_file_through_the_form_is_the_same_file(opening, name, team):
    """The example files, read into the form and written back: the same data, the same moves."""
    path = REPO / "examples" / "workshop" / f"{name}.yaml"
    if not path.is_file():
        pytest.skip(f"no {path.name}")
    example = path.read_text(encoding="utf-8")
    form = form_of(team, opening)
    values = values_of(form, example)
    assert values is not None
    checked = check_form(form, values, opening, "the form")
    assert checked.ok and not checked.problems
    assert load(checked.text).data == load(example).data
    assert (
        parse_move(checked.text, "form", team, opening).summary(opening.world)
        == parse_move(example, "file", team, opening).summary(opening.world)
        == checked.preview
    )


def test_blank_inputs_and_rows_are_left_out_and_months_are_quoted(opening):
    form = form_of(USA, opening)
    values = {
        "note": "Hold Chad: 'yes'\nand more",
        "deploy.0.state": "",
        "deploy.0.troops": " ",
        "deploy.3.state": "BEN",
        "deploy.3.troops": "50",
        "deploy.3.date": "2024-07",
        "allocate.TCD.security": "10",
        "allocate.TCD.economic": "",
        "allocate.NGA.economic": "2.5",
    }
    data, places = data_of(form, values)
    assert data == {
        "team": "USA",
        "turn": 1,
        "note": "Hold Chad: 'yes'\nand more",
        "allocate": {"TCD": {"security": 10}, "NGA": {"economic": 2.5}},
        "deploy": [{"state": "BEN", "troops": 50, "date": "2024-07"}],
    }
    assert places["deploy[0]"] == "deploy.3" and places["deploy[0].troops"] == "deploy.3.troops"
    text = to_yaml(data)
    assert "  - {state: BEN, troops: 50, date: '2024-07'}" in text and "  TCD: {security: 10}" in text
    assert load(text).data == data


def test_every_problem_is_placed_next_to_its_input_at_once(opening):
    form = form_of(USA, opening)
    values = {
        "allocate.TCD.security": "25",
        "allocate.NGA.security": "10",
        "allocate.BEN.economic": "lots",
        "regime_protection": "2",
        "deploy.0.state": "BEN",
        "deploy.0.troops": "60",
        "deploy.1.state": "NGA",
        "deploy.1.troops": "nan",
        "deploy.2.state": "XYZ",
        "deploy.2.troops": "20",
        "deploy.3.state": "TGO",
        "aid.0.state": "TCD",
        "aid.0.action": "resume",
        "withdraw.0.state": "GHA",
    }
    checked = check_form(form, values, opening, "the form")
    assert not checked.ok
    got = {k: " ".join(v) for k, v in checked.problems.items()}
    assert "add up to 35" in got["allocate"] and "budget of 30" in got["allocate"]
    assert "found 'lots'" in got["allocate.BEN.economic"]
    assert "must be between 0 and 1" in got["regime_protection"]
    assert "found 'nan'" in got["deploy.1.troops"]  # not a YAML error that would hide the rest
    assert "unknown state code 'XYZ'" in got["deploy.2.state"]
    assert "80 troops" in got["deploy.2"]  # 60 + 20: a row with a wrong state still counts
    assert "the field 'troops' is missing" in got["deploy.3"]
    assert "not suspended" in got["aid.0"]
    assert "no forces in Ghana" in got["withdraw.0.state"]
    assert len(got) == 9 and "" not in got
    assert checked.troops_sent == 80 and checked.spent_usd_m[0] == 35
    assert checked.preview == [
        "Allocate per month: security 35, economic 0, information 0 US$ m to Chad, Nigeria",
        "United States deploys 60 troops to Benin (2024-06)",
    ]  # what was read, in words
    assert checked.to_json()["problems"] == checked.problems


def test_problems_of_the_file_as_a_whole_go_to_the_top(opening):
    later = moves.Situation(**{**opening.__dict__, "turn": 2})
    checked = check_form(form_of(USA, opening), {}, later, "the form")  # a form of turn 1 sent at turn 2
    assert list(checked.problems) == [""] and "game is at turn 2" in checked.problems[""][0]
    stale = check_form(
        form_of(USA, later), {"turn": "1", "deploy.0.state": "BEN", "deploy.0.troops": "5"}, later, "the form"
    )  # a page of turn 1 posted after the turn was adjudicated
    assert "this file is for turn 1 but the game is at turn 2" in stale.problems[""][0]
    assert place("deploy[4].troops", {"deploy": "deploy"}) == "deploy"
    assert place("team", {"deploy": "deploy"}) == ""


def test_a_file_the_form_cannot_show_is_revised_as_yaml(opening):
    form = form_of(USA, opening)
    assert values_of(form, "team: USA\nturn: 1\nexpel: [{state: TCD, power: FRA}]\n") is None
    assert values_of(form, "team: USA\nturn: 1\ndeploy: [{state: BEN, troops: 5, colour: red}]\n") is None
    assert values_of(form, "team: [") is None
    assert values_of(form, "team: USA\nturn: 1\nregime_protection: 0.5\n") == {"regime_protection": "0.5"}
