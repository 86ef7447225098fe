"""The commands as functions (workshop/service.py), as the web app's facilitator page uses them: the
reports the command line prints, returned as results; mistakes raised as exceptions."""

from __future__ import annotations

import json

import pytest

from workshop import service
from workshop.errors import Refused, WorkshopError
from workshop.game import Game

TEAMS = ["USA", "AES=MLI,BFA,NER", "ECOWAS"]
ILLEGAL = "team: USA\nturn: 1\nallocate:\n  TCD: {security: 25}\n  NGA: {security: 10}\n"


def test_results_hold_what_the_command_line_prints(tmp_path, ws_inproc, capsys):
    game = tmp_path / "game"
    created = service.create_game(game, TEAMS, turns=2, turn_months=2, seed=0)
    assert created.lines()[0].startswith(f"Created a game in {game}: scenario sahel_2024, 2 turns of 2 months")
    assert capsys.readouterr().out == ""  # nothing printed
    printed = ws_inproc("status", game, "--json").stdout
    assert json.dumps(service.status(game).to_json(), indent=1) + "\n" == printed
    assert json.loads(printed)["turn"] == 1
    assert "\n".join(service.status(game).lines()) + "\n" == ws_inproc("status", game).stdout


def test_mistakes_are_raised_as_one_paragraph(tmp_path):
    game = tmp_path / "game"
    with pytest.raises(WorkshopError, match="^No game in"):
        service.undo(game)
    service.create_game(game, TEAMS, turns=2, seed=0)
    with pytest.raises(WorkshopError, match="at turn 1, not 3"):
        service.adjudicate(game, turn=3)


def test_submit_text_checks_and_stores_like_submit(tmp_path):
    game = tmp_path / "game"
    service.create_game(game, TEAMS, turns=2, seed=0)
    before = (game / "game.json").read_bytes()
    with pytest.raises(Refused) as refused:
        service.submit_text(game, "usa", ILLEGAL, "pasted text")
    assert "pasted text was refused for team USA, turn 1 (1 problem; nothing was stored)" in str(refused.value)
    assert [str(p) for p in refused.value.problems] == [
        "pasted text, line 3 (allocate): the security allocations add up to 35 US$ m a month, over USA's monthly "
        "security budget of 30: lower them (budgets: security 30, economic 120, information 5)"
    ]
    assert (game / "game.json").read_bytes() == before
    text = "team: USA\nturn: 1\nallocate:\n  NGA: {security: 10}\n"
    accepted = service.submit_text(game, "USA", text, "usa.yaml")
    assert accepted.lines()[0] == "Accepted: team USA's moves for turn 1 (2024-06 to 2024-08):"
    sub = Game.load(game).pending["USA"]
    assert (sub.file, sub.text) == ("usa.yaml", text)
    assert (game / "moves" / "turn-01" / "USA.yaml").read_text() == text


def test_a_base_proposal_where_the_power_already_has_forces_shares_the_base(tmp_path):
    """Russia already has forces in Niger (beside the US at Air Base 101). Team RUS's proposal for Air
    Base 201 Agadez, held by the US until its withdrawal, makes Russia its co-tenant: a scripted
    deployment acts on the bases even where the power is present (a reinforcement by rule does not)."""
    from workshop.adjudicate import replay

    game = tmp_path / "game"
    service.create_game(game, ["RUS"], turns=1, turn_months=1, seed=0)
    text = "team: RUS\nturn: 1\nbasing:\n  - {base: air base 201, action: propose, troops: 100}\n"
    service.submit_text(game, "RUS", text, "rus.yaml")
    service.adjudicate(game, turn=1, briefs=False)
    played = replay(Game.load(game))
    w, st = played.simulation.world, played.simulation.state
    agadez, ner, rus, usa = (
        w.base_names.index("Air Base 201 Agadez"),
        w.states.index("NER"),
        w.powers.index("RUS"),
        w.powers.index("USA"),
    )
    assert st.troops[ner, rus, 0] > 100  # it was there already, and 100 more came
    assert (st.base_owner[agadez, 0], st.base_co_tenant[agadez, 0]) == (usa, rus)


def test_with_teams_decide_the_rules_make_no_decision_for_the_teams_actors(tmp_path):
    """A coup injected in Benin and in Niger: in a --teams-decide game ECOWAS (a team) imposes no
    sanction and the US (a team) suspends no aid by rule, and the AES states make no expulsion,
    invitation, bloc move or transition by rule. The debrief's histories give every decision back
    to the rules, and a team's what-if gives back that team's."""
    from workshop.adjudicate import replay

    game = tmp_path / "game"
    created = service.create_game(game, TEAMS, turns=4, turn_months=3, teams_decide=True, seed=0)
    assert "decide only by the teams' moves" in created.lines()[0]
    for state in ("BEN", "TGO"):
        service.schedule_inject(game, 1, "coup", state)
    for turn in range(1, 5):
        service.adjudicate(game, turn=turn, briefs=False)
    loaded = Game.load(game)
    assert loaded.teams_decide and service.status(game).to_json()["teams_decide"]
    played = replay(loaded)
    w = played.simulation.world
    events = [e for r in played.results for e in r.events if not e.scripted]
    aes = {w.states.index(s) for s in ("MLI", "BFA", "NER")}
    assert not [
        e for e in events if e.state in aes and e.type in ("expel", "invite", "bloc_join", "bloc_leave", "transition")
    ]
    ecowas, usa = w.blocs.index("ECOWAS"), w.powers.index("USA")
    assert not [e for e in events if e.bloc == ecowas and e.type in ("sanction", "sanction_lift")]
    assert not [e for e in events if e.power == usa and e.type in ("deploy", "aid_suspend", "aid_resume")]
    assert [e.type for r in played.results for e in r.events if e.scripted and e.type == "coup"] == ["coup", "coup"]
    # the debrief's histories: the rules decide for everyone; a what-if: for that team's actors again
    assert loaded.config_for("all").players == type(loaded.config().players)()
    players = loaded.config_for("USA").players
    assert players.powers == [] and players.blocs == ["ECOWAS"] and players.states == ["MLI", "BFA", "NER"]
    alt = replay(loaded, without="USA")
    assert [e for r in alt.results for e in r.events if e.power == usa and e.type == "aid_suspend"]
    # an invitation to a power played by a team is answered only by that team (a note says so)
    g2 = tmp_path / "g2"
    service.create_game(g2, ["RUS", "AES=MLI,BFA,NER"], turns=1, teams_decide=True, seed=0)
    invite = "team: AES\nturn: 1\ninvite:\n  - {state: MLI, power: RUS}\n"
    accepted = service.submit_text(g2, "AES", invite, "a.yaml")
    assert any("only that team's own deploy move can answer" in line for line in accepted.lines())
    debrief = service.write_debrief(game, runs=20, what_if=["USA"])
    assert debrief.path == game / "debrief.html" and debrief.path.stat().st_size > 10_000
    assert debrief.lines() == [f"Debrief: {game / 'debrief.html'} (4 turns against 20 simulated histories)."]


def test_without_teams_decide_the_rules_still_decide_for_the_teams_actors(tmp_path):
    game = tmp_path / "game"
    service.create_game(game, TEAMS, turns=1, turn_months=3, seed=0)
    service.schedule_inject(game, 1, "coup", "BEN")
    service.adjudicate(game, turn=1, briefs=False)
    loaded = Game.load(game)
    assert not loaded.teams_decide and loaded.config_for("all") is loaded.config()
    from workshop.adjudicate import replay

    played = replay(loaded)
    usa = played.simulation.world.powers.index("USA")
    # conditionality 1: the US suspends aid after the coup by rule, though the US is a team
    assert [e.type for e in played.results[0].events if e.power == usa and e.type == "aid_suspend"] == ["aid_suspend"]


def test_a_game_from_an_earlier_model_version_still_opens_with_warnings(tmp_path, capsys):
    """game.json of a game created before a rule change: a removed setting (hazards.legitimacy_base),
    no players and another model fingerprint. The game opens; both changes are named on stderr."""
    game = tmp_path / "game"
    service.create_game(game, ["USA"], turns=1, seed=0)
    data = json.loads((game / "game.json").read_text())
    assert len(data["settings"]["model_sha256"]) == 64
    data["settings"]["config"]["hazards"]["legitimacy_base"] = 0.7
    del data["settings"]["config"]["players"]
    data["settings"]["model_sha256"] = "0" * 64
    (game / "game.json").write_text(json.dumps(data))
    capsys.readouterr()
    assert service.status(game).lines()[0].startswith(f"Game in {game}")
    err = capsys.readouterr().err
    assert "a setting the model no longer has (hazards.legitimacy_base)" in err
    assert "the model's rules (sim/) have changed since this game was created" in err
