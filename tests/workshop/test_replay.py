"""Replay: a game is rebuilt from its record; no moves equals the Mesa driver bit for bit; the same
record gives the same game; undo restores the previous turn exactly."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from workshop.adjudicate import replay
from workshop.game import Game

TEAMS = ["--team", "USA", "--team", "AES=MLI,BFA,NER", "--team", "ECOWAS"]

USA_1 = """team: USA
turn: 1
allocate:
  TCD: {security: 10, economic: 20, information: 2}
  NGA: {security: 10, economic: 60, information: 2}
regime_protection: 0.5
deploy: [{state: BEN, troops: 50}]
"""
AES_1 = "team: AES\nturn: 1\nleave: [{state: MLI, bloc: ECOWAS}, {state: NER, bloc: ECOWAS}]\n"
USA_2 = "team: USA\nturn: 2\nallocate:\n  NGA: {economic: 100}\n"
ECOWAS_2 = "team: ECOWAS\nturn: 2\nsanction: [{state: GIN}]\n"


def _tables(rp) -> dict[str, pd.DataFrame]:
    rec = rp.simulation.recorder
    return {
        "states": rec.states_table(),
        "ties": rec.ties_table(),
        "events": rec.events_table(),
        "bases": rec.bases_table(),
    }


@pytest.fixture
def game_dir(tmp_path, ws_inproc):
    d = tmp_path / "game"
    r = ws_inproc("new", d, *TEAMS, "--turns", 3, "--turn-months", 2, "--seed", 5)
    assert r.returncode == 0, r.stderr
    return d


def test_a_game_without_moves_equals_the_mesa_driver_bit_for_bit(game_dir, ws_inproc):
    from sim.model import InfluenceModel

    for turn in (1, 2, 3):
        assert ws_inproc("adjudicate", game_dir, "--turn", turn, "--no-briefs").returncode == 0
    game = Game.load(game_dir)
    ours = _tables(replay(game, record=True))
    model = InfluenceModel(dataclasses.replace(game.config()))
    model.run()
    theirs = {
        "states": model.recorder.states_table(),
        "ties": model.recorder.ties_table(),
        "events": model.recorder.events_table(),
        "bases": model.recorder.bases_table(),
    }
    assert int(ours["states"]["step"].max()) == 6
    for name in ours:
        pd.testing.assert_frame_equal(ours[name], theirs[name], check_exact=True)


def _play_two_turns(game_dir, ws_inproc, write_moves) -> None:
    for team, text in (("USA", USA_1), ("AES", AES_1)):
        r = ws_inproc("submit", game_dir, team, write_moves(f"{team}_1.yaml", text))
        assert r.returncode == 0, r.stderr
    assert ws_inproc("inject", game_dir, "--turn", 2, "--type", "coup", "--state", "TCD").returncode == 0
    assert ws_inproc("adjudicate", game_dir, "--no-briefs").returncode == 0
    for team, text in (("USA", USA_2), ("ECOWAS", ECOWAS_2)):
        r = ws_inproc("submit", game_dir, team, write_moves(f"{team}_2.yaml", text))
        assert r.returncode == 0, r.stderr


def test_the_same_record_replays_to_the_same_game(game_dir, ws_inproc, write_moves):
    _play_two_turns(game_dir, ws_inproc, write_moves)
    assert ws_inproc("adjudicate", game_dir, "--no-briefs").returncode == 0
    game = Game.load(game_dir)
    first, second = replay(game, record=True), replay(Game.load(game_dir), record=True)
    assert first.simulation.fingerprint() == second.simulation.fingerprint()
    for name, table in _tables(first).items():
        pd.testing.assert_frame_equal(table, _tables(second)[name], check_exact=True)
    events = _tables(first)["events"]
    assert "coup in Chad (a scenario event set by the facilitator)" in set(events["cause"])
    assert "ECOWAS sanctions Guinea (a decision of team ECOWAS)" in set(events["cause"])
    # the moves mattered: the game differs from the history without them
    assert first.simulation.fingerprint() != replay(game, without="USA").simulation.fingerprint()


def test_undo_restores_the_previous_turn_exactly(game_dir, ws_inproc, write_moves):
    _play_two_turns(game_dir, ws_inproc, write_moves)
    before = Game.load(game_dir)
    after_one = replay(before, record=True)
    assert ws_inproc("adjudicate", game_dir, "--no-briefs").returncode == 0
    after_two = replay(Game.load(game_dir)).simulation.fingerprint()
    r = ws_inproc("undo", game_dir, "--turn", 2)
    assert r.returncode == 0 and "Turn 2 undone" in r.stdout
    undone = Game.load(game_dir)
    assert undone.to_json() == before.to_json()  # moves of turn 2 pending again, nothing else changed
    again = replay(undone, record=True)
    assert again.simulation.fingerprint() == after_one.simulation.fingerprint()
    for name, table in _tables(again).items():
        pd.testing.assert_frame_equal(table, _tables(after_one)[name], check_exact=True)
    assert ws_inproc("adjudicate", game_dir, "--turn", 2, "--no-briefs").returncode == 0
    assert replay(Game.load(game_dir)).simulation.fingerprint() == after_two


def test_a_what_if_without_a_team_that_never_moved_is_the_game(game_dir, ws_inproc, write_moves):
    _play_two_turns(game_dir, ws_inproc, write_moves)
    assert ws_inproc("adjudicate", game_dir, "--no-briefs").returncode == 0
    game = Game.load(game_dir)
    game.turns[1].moves.pop("ECOWAS")
    assert replay(game, without="ECOWAS").simulation.fingerprint() == replay(game).simulation.fingerprint()


def test_allocations_hold_for_their_turn_and_stop_past_a_closed_door(game_dir, ws_inproc, write_moves):
    text = "team: USA\nturn: 1\nallocate:\n  TCD: {security: 10, economic: 5}\n  NGA: {economic: 100}\n"
    assert ws_inproc("submit", game_dir, "USA", write_moves("u.yaml", text)).returncode == 0
    assert (
        ws_inproc("inject", game_dir, "--turn", 1, "--type", "expel", "--state", "TCD", "--power", "USA").returncode
        == 0
    )
    for turn in (1, 2):  # turn 2: no moves, the scenario's (heuristic) policy again
        assert ws_inproc("adjudicate", game_dir, "--turn", turn, "--no-briefs").returncode == 0
    ties = _tables(replay(Game.load(game_dir), record=True))["ties"].set_index(["step", "state", "power"])
    usa = lambda step, state, col: float(ties.loc[(step, state, "USA"), col])  # noqa: E731
    # month 1: the allocation as given; Chad orders the US out in month 1, so no security money from month 2
    assert usa(1, "TCD", "aid_security_usd_m") == 10 and usa(2, "TCD", "aid_security_usd_m") == 0
    assert usa(2, "TCD", "aid_economic_usd_m") == 5 and usa(2, "NGA", "aid_economic_usd_m") == 100
    assert usa(3, "NGA", "aid_economic_usd_m") != 100  # turn 2: the heuristic moves the flows again
