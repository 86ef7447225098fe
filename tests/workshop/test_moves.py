"""Move files: the schema, the rules of each move, and problems reported with file, line and field."""

from __future__ import annotations

import time

import numpy as np
import pytest

from workshop.errors import WorkshopError
from workshop.moves import MoveRejected, parse_move
from workshop.teams import Team, check_teams, parse_team

USA = Team("USA", "power", power="USA")
RUS = Team("RUS", "power", power="RUS")
AES = Team("AES", "government", states=("MLI", "BFA", "NER"))
ECOWAS = Team("ECOWAS", "bloc", bloc="ECOWAS")


def refused(text: str, team: Team, sit) -> list:
    with pytest.raises(MoveRejected) as info:
        parse_move(text, "moves.yaml", team, sit)
    return info.value.problems


def test_a_power_move_becomes_allocations_and_scripted_events(opening):
    text = """team: USA
turn: 1
allocate:
  TCD: {security: 10, economic: 20, information: 1}
  NGA: {economic: 30}
regime_protection: 0.4
deploy:
  - {state: BEN, troops: 50, date: '2024-07'}
aid:
  - {state: TCD, action: suspend}
"""
    move = parse_move(text, "usa.yaml", USA, opening)
    w = opening.world
    assert move.allocation[w.states.index("TCD")].tolist() == [10, 20, 1]
    assert move.allocation.sum(axis=0).tolist() == [10, 50, 1]
    assert move.regime_protection == 0.4
    deploy, aid = move.actions
    assert (deploy.type, deploy.step, w.states[deploy.state], deploy.troops) == ("deploy", 2, "BEN", 50)
    assert (aid.type, aid.step, aid.line) == ("aid_suspend", 1, 10)  # no date: the turn's first month
    event = aid.event("USA")
    assert event.power == w.powers.index("USA") and "a decision of team USA" in event.note
    # Chad is civilian: the model resumes aid the month after; the team is told so, not refused
    assert any("civilian" in p.message for p in move.warnings)


def test_over_budget_is_refused_at_the_allocate_line(opening):
    problems = refused("team: USA\nturn: 1\nallocate:\n  TCD: {security: 25}\n  NGA: {security: 10}\n", USA, opening)
    assert len(problems) == 1
    p = problems[0]
    assert (p.file, p.line, p.where) == ("moves.yaml", 3, "allocate")
    assert "35" in p.message and "budget of 30" in p.message


def test_troops_the_team_does_not_have_are_refused(opening):
    # 1,100 deployable, 1,000 in Niger (withdrawing) and 30 in Chad: 70 available
    problems = refused(
        "team: USA\nturn: 1\ndeploy:\n  - {state: NGA, troops: 60}\n  - {state: BEN, troops: 20}\n", USA, opening
    )
    assert [(p.line, p.where) for p in problems] == [(5, "deploy[1]")]
    assert "80 troops" in problems[0].message and "70 available" in problems[0].message


def test_unknown_codes_and_dates_outside_the_turn_are_refused_with_their_lines(opening):
    text = """team: USA
turn: 1
allocate:
  XYZ: {economic: 5}
  TCD: {money: 5}
deploy:
  - {state: BEN, troops: 10, date: '2024-09'}
withdraw:
  - {state: TCD, date: 'June'}
"""
    problems = refused(text, USA, opening)
    got = {(p.line, p.where): p.message for p in problems}
    assert "unknown state code 'XYZ'" in got[(4, "allocate.XYZ")]
    assert "unknown channel 'money'" in got[(5, "allocate.TCD.money")]
    assert "2024-09 is outside this turn" in got[(7, "deploy[0].date")]
    assert "not a month" in got[(9, "withdraw[0].date")]
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_acting_for_a_state_the_team_does_not_control_is_refused(opening):
    problems = refused("team: AES\nturn: 1\nexpel:\n  - {state: TCD, power: FRA}\n", AES, opening)
    assert problems[0].line == 4 and "does not control Chad" in problems[0].message


def test_a_move_of_another_kind_of_team_is_refused(opening):
    problems = refused("team: USA\nturn: 1\nexpel:\n  - {state: NER, power: RUS}\n", USA, opening)
    assert problems[0].line == 3 and "move of a government team" in problems[0].message


def test_team_and_turn_must_match(opening):
    problems = refused("team: RUS\nturn: 2\n", USA, opening)
    assert {p.line for p in problems} == {1, 2}
    assert any("turn 2 but the game is at turn 1" in p.message for p in problems)
    assert refused("note: hello\n", USA, opening)[0].message.startswith("the field 'team' is missing")


def test_yaml_tags_are_refused_without_running_anything(opening, tmp_path):
    marker = tmp_path / "ran"
    text = f"team: USA\nturn: 1\nnote: !!python/object/apply:os.system ['touch {marker}']\n"
    problems = refused(text, USA, opening)
    assert problems[0].line == 3 and "no tags" in problems[0].message
    assert not marker.exists()


def test_a_key_given_twice_is_refused_at_its_second_line(opening):
    problems = refused("team: USA\nturn: 1\nallocate:\n  TCD: {economic: 5}\n  TCD: {economic: 9}\n", USA, opening)
    assert problems[0].line == 5 and "given twice" in problems[0].message


def test_aliases_and_numbers_that_are_not_finite_are_refused_at_their_line(opening):
    # a 'billion laughs' move file (nested aliases) is refused at its first alias, before anything expands
    laughs = "team: USA\nturn: 1\na: &a [x, x, x, x, x, x, x, x, x]\n"
    laughs += "".join(f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))
    started = time.perf_counter()
    problems = refused(laughs, USA, opening)
    assert time.perf_counter() - started < 2.0  # a bound on a refusal, not a performance claim
    assert problems[0].line == 4 and "alias" in problems[0].message
    problems = refused("team: USA\nturn: 1\ndeploy:\n  - {state: BEN, troops: .nan}\n", USA, opening)
    assert problems[0].line == 4 and "not finite" in problems[0].message


def test_deployment_where_the_power_was_expelled_is_refused(opening):
    # Niger ordered the US out in the world file
    problems = refused("team: USA\nturn: 1\ndeploy:\n  - {state: NER, troops: 10}\n", USA, opening)
    assert "ordered United States forces out" in problems[0].message
    problems = refused("team: USA\nturn: 1\nallocate:\n  NER: {security: 5}\n", USA, opening)
    assert problems[0].where == "allocate.NER.security"


def test_withdraw_and_basing(opening):
    w = opening.world
    move = parse_move(
        "team: RUS\nturn: 1\nbasing:\n  - {base: air base 201, action: propose, troops: 200}\n", "r.yaml", RUS, opening
    )
    (a,) = move.actions
    assert (a.type, w.states[a.state], a.troops, w.base_names[a.base]) == ("deploy", "NER", 200, "Air Base 201 Agadez")
    move = parse_move(
        "team: USA\nturn: 1\nbasing:\n  - {base: Air Base 101 Niamey, action: cancel}\n", "u.yaml", USA, opening
    )
    assert move.actions[0].type == "withdraw_complete"
    problems = refused("team: RUS\nturn: 1\nbasing:\n  - {base: Dakar, action: cancel}\n", RUS, opening)
    assert "neither holds nor shares Dakar (Ouakam)" in problems[0].message
    problems = refused("team: RUS\nturn: 1\nbasing:\n  - {base: Air Base, action: propose}\n", RUS, opening)
    assert "matches several bases" in problems[0].message
    problems = refused("team: RUS\nturn: 1\nwithdraw:\n  - {state: SEN}\n", RUS, opening)
    assert "no forces in Senegal" in problems[0].message


def test_government_moves(opening):
    w = opening.world
    text = """team: AES
turn: 1
leave: [{state: MLI, bloc: ECOWAS}]
invite: [{state: NER, power: RUS}]
transition: [{state: MLI, date: '2025-06'}]
"""
    move = parse_move(text, "a.yaml", AES, opening)
    kinds = [(a.type, w.states[a.state], a.step) for a in move.actions]
    assert kinds == [("invite", "NER", 1), ("bloc_leave", "MLI", 1), ("transition", "MLI", 13)]
    problems = refused("team: AES\nturn: 1\ntransition: [{state: MLI, date: '2026-01'}]\n", AES, opening)
    assert "outside the rest of the game" in problems[0].message
    problems = refused(
        "team: AES\nturn: 1\njoin: [{state: MLI, bloc: AES}]\ninvite: [{state: MLI, power: CHN}]\n", AES, opening
    )
    assert "already a member of AES" in problems[0].message
    assert "China has no deployable troops" in problems[1].message
    tcd = Team("TCD", "government", states=("TCD",))
    problems = refused("team: TCD\nturn: 1\ntransition: [{state: TCD, date: '2024-08'}]\n", tcd, opening)
    assert "already has a civilian government" in problems[0].message


def test_bloc_moves(opening):
    move = parse_move("team: ECOWAS\nturn: 1\nsanction: [{state: NER}]\n", "e.yaml", ECOWAS, opening)
    assert move.actions[0].type == "sanction"
    problems = refused("team: ECOWAS\nturn: 1\nsanction: [{state: TCD}]\nlift: [{state: MLI}]\n", ECOWAS, opening)
    assert "not a member of ECOWAS" in problems[0].message
    assert "does not sanction Mali" in problems[1].message


def test_an_empty_allocation_spends_nothing_and_no_allocation_leaves_the_policy(opening):
    assert parse_move("team: USA\nturn: 1\n", "u.yaml", USA, opening).allocation is None
    move = parse_move("team: USA\nturn: 1\nallocate:\n", "u.yaml", USA, opening)
    assert np.all(move.allocation == 0)


def test_team_specs(world_cfg):
    _, world = world_cfg
    assert parse_team("USA", world) == USA
    assert parse_team("ECOWAS", world) == ECOWAS
    assert parse_team("AES=MLI,BFA,NER", world) == AES
    assert parse_team("TCD", world) == Team("TCD", "government", states=("TCD",))
    with pytest.raises(WorkshopError, match="XYZ is not a state"):
        parse_team("X=XYZ", world)
    with pytest.raises(WorkshopError, match="not a power, bloc or state"):
        parse_team("NATO", world)
    with pytest.raises(WorkshopError, match="controlled by two teams"):
        check_teams([AES, parse_team("NER", world)])
    with pytest.raises(WorkshopError, match="given twice"):
        check_teams([USA, USA])


def test_every_problem_is_reported_at_once(opening):
    """An unknown code no longer hides a budget or troop overrun (they used to come in rounds)."""
    text = """team: USA
turn: 1
allocate:
  XYZ: {security: 25}
  NGA: {security: 10}
deploy:
  - {state: ZZZ, troops: 60}
  - {state: BEN, troops: 20, colour: red, date: '2024-12'}
"""
    got = {(p.line, p.where): p.message for p in refused(text, USA, opening)}
    assert "unknown state code 'XYZ'" in got[(4, "allocate.XYZ")]
    assert "add up to 35" in got[(3, "allocate")]  # 25 to an unknown state still counts against the budget
    assert "unknown state code 'ZZZ'" in got[(7, "deploy[0].state")]
    assert "unknown field 'colour'" in got[(8, "deploy[1].colour")]
    assert "2024-12 is outside this turn" in got[(8, "deploy[1].date")]  # the entry's other fields still checked
    assert "80 troops" in got[(8, "deploy[1]")] and "70 available" in got[(8, "deploy[1]")]
    assert len(got) == 6


def test_check_move_gives_the_totals_and_the_legal_moves_beside_the_problems(opening):
    from workshop.moves import check_move

    text = (
        "team: USA\nturn: 1\nallocate:\n  TCD: {security: 10, economic: 20}\n  XYZ: {economic: 5}\n"
        "deploy:\n  - {state: BEN, troops: 50}\nbasing:\n  - {base: Dakar, action: propose}\n"
    )
    v = check_move(text, "moves.yaml", USA, opening)
    assert not v.ok and [p.where for p in v.errors] == ["allocate.XYZ", "basing[0]"]
    assert v.spent_usd_m == (10.0, 25.0, 0.0)
    assert v.troops_sent == 50 + opening.deploy_size  # a proposal without troops sends a deployment's size
    assert [a.type for a in v.move.actions] == ["deploy", "deploy"]
    syntax = check_move("team: [", "moves.yaml", USA, opening)
    assert syntax.move is None and "not valid move-file YAML" in syntax.errors[0].message
