"""The commands as functions (`workshop.cli.run`, `capture`, `submit_text`), as the web app's facilitator
page uses them: the same reports and mistakes as the command line, returned instead of printed."""

from __future__ import annotations

import json

from workshop import cli
from workshop.game import Game

TEAMS = ["--team", "USA", "--team", "AES=MLI,BFA,NER", "--team", "ECOWAS"]
ILLEGAL = "team: USA\nturn: 1\nallocate:\n  TCD: {security: 25}\n  NGA: {security: 10}\n"


def test_run_returns_what_the_command_line_prints(tmp_path, ws_inproc, capsys):
    game = tmp_path / "game"
    out = cli.run(["new", game, *TEAMS, "--turns", 2, "--turn-months", 2])
    assert out.ok and out.lines[0].startswith(f"Created a game in {game}: scenario sahel_2024, 2 turns of 2 months")
    assert capsys.readouterr().out == ""  # nothing printed
    printed = ws_inproc("status", game, "--json").stdout
    out = cli.run(["status", game, "--json"])
    assert out.ok and "\n".join(out.lines) + "\n" == printed
    assert json.loads(printed)["turn"] == 1


def test_mistakes_come_back_as_one_paragraph(tmp_path):
    game = tmp_path / "game"
    out = cli.run(["undo", game])
    assert not out.ok and out.error.startswith("No game in") and out.lines == []
    out = cli.run(["new", game, "--team", "USA", "--turns", "many"])  # argparse's mistake: no exit, no usage
    assert not out.ok and "argument --turns: invalid int value: 'many'" in out.error
    assert cli.run(["new", game, *TEAMS, "--turns", 2]).ok
    out = cli.run(["adjudicate", game, "--turn", 3])
    assert not out.ok and "at turn 1, not 3" in out.error


def test_submit_text_checks_and_stores_like_submit(tmp_path):
    game = tmp_path / "game"
    assert cli.run(["new", game, *TEAMS, "--turns", 2]).ok
    before = (game / "game.json").read_bytes()
    out = cli.capture(cli.submit_text, game, "usa", ILLEGAL, "pasted text")
    assert not out.ok and "pasted text was refused for team USA, turn 1 (1 problem; nothing was stored)" in out.error
    assert out.problems == ["pasted text, line 3 (allocate): the security allocations add up to 35 US$ m a month, "
                            "over USA's monthly security budget of 30: lower them (budgets: security 30, economic "
                            "120, information 5)"]
    assert (game / "game.json").read_bytes() == before
    text = "team: USA\nturn: 1\nallocate:\n  NGA: {security: 10}\n"
    out = cli.capture(cli.submit_text, game, "USA", text, "usa.yaml")
    assert out.ok and out.lines[0] == "Accepted: team USA's moves for turn 1 (2024-06 to 2024-08):"
    sub = Game.load(game).pending["USA"]
    assert (sub.file, sub.text) == ("usa.yaml", text)
    assert (game / "moves" / "turn-01" / "USA.yaml").read_text() == text


def test_a_base_proposal_where_the_power_already_has_forces_shares_the_base(tmp_path):
    """Russia already has forces in Niger (beside the US at Air Base 101). Team RUS's proposal for Air
    Base 201 Agadez, held by the US until its withdrawal, makes Russia its co-tenant: a scripted
    deployment acts on the bases even where the power is present (a reinforcement by rule does not)."""
    from workshop.adjudicate import replay

    game = tmp_path / "game"
    assert cli.run(["new", game, "--team", "RUS", "--turns", 1, "--turn-months", 1]).ok
    text = "team: RUS\nturn: 1\nbasing:\n  - {base: air base 201, action: propose, troops: 100}\n"
    assert cli.capture(cli.submit_text, game, "RUS", text, "rus.yaml").ok
    assert cli.run(["adjudicate", game, "--turn", 1, "--no-briefs"]).ok
    played = replay(Game.load(game))
    w, st = played.simulation.world, played.simulation.state
    agadez, ner, rus, usa = (w.base_names.index("Air Base 201 Agadez"), w.states.index("NER"), w.powers.index("RUS"),
                             w.powers.index("USA"))
    assert st.troops[ner, rus, 0] > 100  # it was there already, and 100 more came
    assert (st.base_owner[agadez, 0], st.base_co_tenant[agadez, 0]) == (usa, rus)


def test_with_teams_decide_the_rules_make_no_decision_for_the_teams_actors(tmp_path):
    """A coup injected in Benin and in Niger: in a --teams-decide game ECOWAS (a team) imposes no
    sanction and the US (a team) suspends no aid by rule, and the AES states make no expulsion,
    invitation, bloc move or transition by rule. The debrief's histories give every decision back
    to the rules, and a team's what-if gives back that team's."""
    from workshop.adjudicate import replay

    game = tmp_path / "game"
    out = cli.run(["new", game, *TEAMS, "--turns", 4, "--turn-months", 3, "--teams-decide"])
    assert out.ok and "decide only by the teams' moves" in out.lines[0]
    for state in ("BEN", "TGO"):
        assert cli.run(["inject", game, "--turn", 1, "--type", "coup", "--state", state]).ok
    for turn in range(1, 5):
        assert cli.run(["adjudicate", game, "--turn", turn, "--no-briefs"]).ok
    loaded = Game.load(game)
    assert loaded.teams_decide and json.loads("\n".join(cli.run(["status", game, "--json"]).lines))["teams_decide"]
    played = replay(loaded)
    w = played.simulation.world
    events = [e for r in played.results for e in r.events if not e.scripted]
    aes = {w.states.index(s) for s in ("MLI", "BFA", "NER")}
    assert not [e for e in events if e.state in aes and e.type in ("expel", "invite", "bloc_join", "bloc_leave",
                                                                   "transition")]
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
    assert cli.run(["new", g2, "--team", "RUS", "--team", "AES=MLI,BFA,NER", "--turns", 1, "--teams-decide"]).ok
    invite = "team: AES\nturn: 1\ninvite:\n  - {state: MLI, power: RUS}\n"
    out = cli.capture(cli.submit_text, g2, "AES", invite, "a.yaml")
    assert out.ok and any("only that team's own deploy move can answer" in line for line in out.lines)
    out = cli.run(["debrief", game, "--runs", 20, "--what-if", "USA"])
    assert out.ok and (game / "debrief.html").stat().st_size > 10_000


def test_without_teams_decide_the_rules_still_decide_for_the_teams_actors(tmp_path):
    game = tmp_path / "game"
    assert cli.run(["new", game, *TEAMS, "--turns", 1, "--turn-months", 3]).ok
    assert cli.run(["inject", game, "--turn", 1, "--type", "coup", "--state", "BEN"]).ok
    assert cli.run(["adjudicate", game, "--turn", 1, "--no-briefs"]).ok
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
    assert cli.run(["new", game, "--team", "USA", "--turns", 1]).ok
    data = json.loads((game / "game.json").read_text())
    assert len(data["settings"]["model_sha256"]) == 64
    data["settings"]["config"]["hazards"]["legitimacy_base"] = 0.7
    del data["settings"]["config"]["players"]
    data["settings"]["model_sha256"] = "0" * 64
    (game / "game.json").write_text(json.dumps(data))
    capsys.readouterr()
    out = cli.run(["status", game])
    assert out.ok and out.lines[0].startswith(f"Game in {game}")
    err = capsys.readouterr().err
    assert "a setting the model no longer has (hazards.legitimacy_base)" in err
    assert "the model's rules (sim/) have changed since this game was created" in err
