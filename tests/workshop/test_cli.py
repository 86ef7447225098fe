"""`python -m workshop` end to end in subprocesses: a scripted six-turn game with three teams, illegal
moves refused with file and line, and the facilitator's mistakes reported in one paragraph."""

from __future__ import annotations

import json

import pytest

from workshop.adjudicate import replay
from workshop.game import Game

TEAMS = ["--team", "USA", "--team", "AES=MLI,BFA,NER", "--team", "ECOWAS"]

MOVES = {  # (turn, team) -> move file
    (1, "USA"): """team: USA
turn: 1
allocate:
  TCD: {security: 10, economic: 25, information: 1}
  NGA: {security: 10, economic: 50, information: 2}
  BEN: {security: 5, economic: 20, information: 1}
regime_protection: 0.3
deploy: [{state: BEN, troops: 50, date: '2024-07'}]
""",
    (1, "AES"): """team: AES
turn: 1
leave: [{state: MLI, bloc: ECOWAS}, {state: BFA, bloc: ECOWAS}, {state: NER, bloc: ECOWAS}]
invite: [{state: NER, power: RUS}]
""",
    (1, "ECOWAS"): "team: ECOWAS\nturn: 1\nnote: waiting\n",
    (2, "USA"): "team: USA\nturn: 2\nallocate:\n  NGA: {security: 20, economic: 100, information: 4}\n",
    (3, "AES"): "team: AES\nturn: 3\ntransition: [{state: MLI, date: '2025-04'}]\n",
    (3, "ECOWAS"): "team: ECOWAS\nturn: 3\nsanction: [{state: GIN}]\n",
    (5, "USA"): "team: USA\nturn: 5\nallocate:\n  GHA: {economic: 40}\n",
    (6, "AES"): "team: AES\nturn: 6\nexpel: [{state: NER, power: RUS}]\n",
}
USA_5_REPLACED = "team: USA\nturn: 5\nallocate:\n  SEN: {economic: 60, information: 5}\n"


@pytest.mark.slow  # over 5 s: kept out of the default suite (make test), run by make test-slow and CI
def test_a_six_turn_game_with_three_teams(tmp_path, ws, write_moves):
    game = tmp_path / "game"
    r = ws("new", game, *TEAMS, "--turns", 6, "--seed", 2)
    assert r.returncode == 0, r.stderr
    assert "6 turns of 3 months (2024-06 to 2025-11)" in r.stdout
    r = ws("submit", game, "USA", write_moves("bad.yaml", "team: USA\nturn: 1\nallocate:\n  TCD: {security: 99}\n"))
    assert r.returncode == 2 and r.stderr.startswith("error: ") and "Traceback" not in r.stderr
    assert "bad.yaml, line 3 (allocate): the security allocations add up to 99" in r.stderr
    reports = {}
    for turn in range(1, 7):
        if turn == 2:
            assert ws("inject", game, "--turn", 2, "--type", "coup", "--state", "TCD").returncode == 0
        for (t, team), text in MOVES.items():
            if t == turn:
                r = ws("submit", game, team, write_moves(f"{team}_{turn}.yaml", text))
                assert r.returncode == 0, r.stderr
                assert f"Accepted: team {team}'s moves for turn {turn}" in r.stdout
        if turn == 5:  # a resubmission replaces the earlier file
            r = ws("submit", game, "USA", write_moves("USA_5b.yaml", USA_5_REPLACED))
            assert "replacing its earlier submission" in r.stdout
        if turn == 4:  # nobody moved: the turn is named as confirmation
            r = ws("adjudicate", game, "--turn", 4, "--no-briefs")
        else:
            r = ws("adjudicate", game, "--no-briefs")
        assert r.returncode == 0, r.stderr
        assert f"Turn {turn} adjudicated" in r.stdout
        reports[turn] = r.stdout
    assert "2024-09 coup TCD: coup in Chad (a scenario event set by the facilitator)" in reports[2]
    assert "Mali leaves ECOWAS (a decision of team AES)" in reports[1]
    status = json.loads(ws("status", game, "--json").stdout)
    assert status["over"] and status["adjudicated"] == 6
    # the record: what was accepted, and nothing else
    g = Game.load(game)
    assert [sorted(r.moves) for r in g.turns] == [
        ["AES", "ECOWAS", "USA"],
        ["USA"],
        ["AES", "ECOWAS"],
        [],
        ["USA"],
        ["AES"],
    ]
    assert g.turns[4].moves["USA"].text == USA_5_REPLACED
    assert [(i.turn, i.type, i.state) for r in g.turns for i in r.injects] == [(2, "coup", "TCD")]
    # another process replays the record to the same state
    assert replay(g).simulation.fingerprint() == status["fingerprint"]


def test_illegal_moves_are_refused_with_file_and_line_and_nothing_is_stored(tmp_path, ws_inproc, write_moves):
    ws = ws_inproc
    game = tmp_path / "game"
    assert ws("new", game, *TEAMS, "--turns", 2, "--seed", 0).returncode == 0
    before = (game / "game.json").read_bytes()
    bad = write_moves(
        "bad.yaml",
        """team: USA
turn: 1
allocate:
  TCD: {security: 25}
  NGA: {security: 10}
deploy:
  - {state: NGA, troops: 500}
  - {state: XYZ, troops: 5}
""",
    )
    r = ws("submit", game, "USA", bad)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    assert lines[0].startswith("error: ") and "was refused for team USA, turn 1 (3 problems" in lines[0]
    assert f"{bad}, line 3 (allocate): the security allocations add up to 35" in r.stderr
    # the 5 troops sent to an unknown state count too (a problem does not hide another), at the last sender
    assert f"{bad}, line 8 (deploy[1]): these moves send 505 troops but USA has 70 available" in r.stderr
    assert f"{bad}, line 8 (deploy[1].state): unknown state code 'XYZ'" in r.stderr
    assert (game / "game.json").read_bytes() == before
    r = ws("submit", game, "AES", write_moves("aes.yaml", "team: AES\nturn: 1\nexpel: [{state: TCD, power: FRA}]\n"))
    assert r.returncode == 2 and "line 3 (expel[0].state): team AES does not control Chad" in r.stderr


def test_adjudicate_refuses_a_stored_move_that_has_become_illegal(tmp_path, ws_inproc, write_moves):
    ws = ws_inproc
    game = tmp_path / "game"
    assert ws("new", game, *TEAMS, "--turns", 2, "--seed", 0).returncode == 0
    assert (
        ws(
            "submit", game, "USA", write_moves("u.yaml", "team: USA\nturn: 1\nallocate:\n  TCD: {economic: 20}\n")
        ).returncode
        == 0
    )
    g = Game.load(game)  # someone edits the record by hand: the amount is now over budget
    g.pending["USA"].text = g.pending["USA"].text.replace("20", "200")
    g.save()
    r = ws("adjudicate", game)
    assert r.returncode == 2
    assert "Turn 1 was not adjudicated" in r.stderr
    assert "USA.yaml (submitted by team USA from" in r.stderr and "line 3 (allocate)" in r.stderr
    assert Game.load(game).turns == []
    r = ws("check", game)
    assert r.returncode == 2 and "USA: refused" in r.stdout


def test_facilitator_mistakes_are_one_paragraph(tmp_path, ws_inproc, write_moves):
    ws = ws_inproc
    game = tmp_path / "game"
    r = ws("new", game, "--team", "NATO", "--turns", 2)
    assert r.returncode == 2 and r.stderr.startswith("error: Team 'NATO' is not a power, bloc or state")
    assert ws("new", game, *TEAMS, "--turns", 2, "--experiment", "us_stays").returncode == 0
    r = ws("new", game, *TEAMS, "--turns", 2, "--seed", 0)
    assert r.returncode == 2 and "already holds a game" in r.stderr
    r = ws("inject", game, "--turn", 1, "--type", "expel", "--state", "TCD")
    assert r.returncode == 2 and "needs --power" in r.stderr
    r = ws("inject", game, "--turn", 3, "--type", "coup", "--state", "TCD")
    assert r.returncode == 2 and "from 1 (the current turn) to 2" in r.stderr
    assert ws("inject", game, "--turn", 2, "--type", "coup", "--state", "CMR").returncode == 0
    r = ws("inject", game, "--turn", 2, "--cancel", "--state", "CMR")
    assert r.returncode == 0 and "Cancelled 1 inject" in r.stdout and Game.load(game).injects == []
    r = ws("undo", game)
    assert r.returncode == 2 and "nothing to undo" in r.stderr
    r = ws("status", tmp_path / "nowhere")
    assert r.returncode == 2 and "No game in" in r.stderr
    r = ws("submit", game, "FRA", game / "game.json")
    assert r.returncode == 2 and "No team 'FRA'" in r.stderr
    r = ws("adjudicate", game)  # nobody has submitted: the turn must be named as confirmation
    assert r.returncode == 2 and f"adjudicate {game} --turn 1" in r.stderr
    assert ws("adjudicate", game, "--turn", 1, "--no-briefs").returncode == 0
    r = ws("adjudicate", game, "--turn", 1, "--no-briefs")  # a rerun changes nothing
    assert r.returncode == 0 and "already adjudicated" in r.stdout and len(Game.load(game).turns) == 1
    r = ws("adjudicate", game, "--turn", 3)
    assert r.returncode == 2 and "at turn 2, not 3" in r.stderr
    assert ws("adjudicate", game, "--turn", 2, "--no-briefs").returncode == 0
    r = ws("submit", game, "USA", write_moves("late.yaml", "team: USA\nturn: 3\n"))
    assert r.returncode == 2 and "game is over" in r.stderr


def _damage(data: dict, case: str) -> object:
    """A game.json record damaged as a hand edit or a broken disk might."""
    if case == "not a mapping":
        return [1, 2]
    if case == "missing settings":
        data.pop("settings")
    elif case == "team name escapes":
        data["teams"][0]["name"] = "../../../../escape"
    elif case == "teams not a list":
        data["teams"] = 5
    elif case == "turns not whole":
        data["settings"]["turns"] = 2.5
    elif case == "inject troops huge":
        data["injects"] = [{"type": "deploy", "state": "NER", "power": "USA", "troops": 1e308, "turn": 1}]
    elif case == "inject for no turn":
        data["injects"] = [{"type": "coup", "state": "TCD", "turn": 99}]
    elif case == "pending for no team":
        data["pending"] = {"NOPE": {"team": "NOPE", "file": "x.yaml", "text": "team: NOPE\n"}}
    return data


DAMAGES = [
    "not a mapping",
    "missing settings",
    "team name escapes",
    "teams not a list",
    "turns not whole",
    "inject troops huge",
    "inject for no turn",
    "pending for no team",
    "NaN",
    "not UTF-8",
]


@pytest.mark.parametrize("case", DAMAGES)
def test_a_damaged_game_file_is_refused_cleanly_and_nothing_is_written(tmp_path, ws_inproc, case):
    game = tmp_path / "game"
    assert (
        ws_inproc("new", game, "--team", "USA", "--team", "AES=MLI,BFA,NER", "--turns", 3, "--seed", 0).returncode == 0
    )
    path = game / "game.json"
    if case == "NaN":
        path.write_text(path.read_text(encoding="utf-8").replace('"seed": 0', '"seed": NaN'), encoding="utf-8")
    elif case == "not UTF-8":
        path.write_bytes(path.read_bytes().replace(b'"USA"', b'"\xff\xfe"', 1))
    else:
        path.write_text(json.dumps(_damage(json.loads(path.read_text(encoding="utf-8")), case)), encoding="utf-8")
    move = tmp_path / "usa.yaml"
    move.write_text("team: USA\nturn: 1\nnote: waiting\n", encoding="utf-8")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    for command in (["status", game], ["briefs", game], ["submit", game, "USA", move]):
        r = ws_inproc(*command)
        assert r.returncode == 2, (command, r.stderr)
        assert r.stderr.startswith("error:") and "Traceback" not in r.stderr, r.stderr
        assert "game.json" in r.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # nothing written, nowhere
    assert not (tmp_path.parent / "escape").exists()
