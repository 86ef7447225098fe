"""The range of outcomes of a turn (workshop/outlook.py) on the worked example's turn 1: probabilities
in [0, 1], the same for the same seed, 1 for the events the moves script, and after adjudication
every event of the game marked as happened."""

from __future__ import annotations

from pathlib import Path

import pytest

from workshop import service
from workshop.errors import WorkshopError
from workshop.game import Game
from workshop.outlook import outlook

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "workshop"
FILES = {"USA": "usa_turn1.yaml", "RUS": "russia_turn1.yaml", "AES": "aes_turn1.yaml", "ECOWAS": "ecowas_turn1.yaml"}
RUNS = 40


@pytest.fixture
def game_dir(tmp_path) -> Path:
    """The worked example's game (seed 0) with the four move files of turn 1 submitted."""
    d = tmp_path / "demo"
    service.create_game(d, ["USA", "RUS", "AES=MLI,BFA,NER", "ECOWAS"], 4, seed=0)
    for team, name in FILES.items():
        service.submit_file(d, team, EXAMPLES / name)
    return d


def test_probabilities_are_shares_and_scripted_moves_are_certain(game_dir):
    got = outlook(Game.load(game_dir), runs=RUNS, seed=3)
    assert got.runs == RUNS and not got.adjudicated and got.outcomes
    for o in got.outcomes:
        assert 0 < o.probability <= 1 and o.happened is None
        assert (o.probability * RUNS) == pytest.approx(round(o.probability * RUNS))  # a count of runs
    by_key = {(o.type, o.state, o.partner): o.probability for o in got.outcomes}
    # the moves script these: Russia deploys to Niger (a basing proposal), the US deploys to Benin, AES invites Russia
    assert by_key[("deploy", "NER", "RUS")] == 1.0
    assert by_key[("deploy", "BEN", "USA")] == 1.0
    assert by_key[("invite", "BFA", "RUS")] == 1.0
    assert any(o.probability < 1 for o in got.outcomes)  # the rules' events vary across histories
    assert all(o.type != "incident" for o in got.outcomes)


def test_same_seed_same_outlook_other_seed_other(game_dir):
    game = Game.load(game_dir)
    a, b = outlook(game, runs=RUNS, seed=5), outlook(game, runs=RUNS, seed=5)
    assert a == b
    assert outlook(game, runs=RUNS, seed=500) != a


def test_run_r_is_the_reroll_with_seed_r(game_dir):
    """One history of seed 0 from turn 1's start is the game itself (seed 0): its Benin coup is in it."""
    one = outlook(Game.load(game_dir), runs=1, seed=0)
    service.adjudicate(game_dir, 1, briefs=False)
    game = Game.load(game_dir)
    from workshop.adjudicate import replay

    world = game.world()
    played = {(e.type, world.states[e.state]) for e in replay(game).results[0].events if e.type != "incident"}
    assert {(o.type, o.state) for o in one.outcomes} == played


def test_after_adjudication_the_draw_is_placed(game_dir):
    service.adjudicate(game_dir, 1, briefs=False)
    got = service.outlook(game_dir, turn=1, runs=RUNS)
    assert got.adjudicated
    happened = {(o.type, o.state) for o in got.outcomes if o.happened} | {(o.type, o.state) for o in got.surprises}
    assert ("coup", "BEN") in happened  # the worked example's rare coup of seed 0
    assert ("deploy", "NER") in happened
    text = "\n".join(got.lines())
    assert "Where the game's draw fell" in text and "<- happened in the game" in text


def test_bad_arguments_are_one_sentence(game_dir):
    with pytest.raises(WorkshopError, match="--runs"):
        outlook(Game.load(game_dir), runs=0)
    with pytest.raises(WorkshopError, match="Turn 3 has no outlook"):
        outlook(Game.load(game_dir), turn=3)


def test_cli_prints_the_outlook(game_dir, ws_inproc):
    done = ws_inproc("outlook", game_dir, "--runs", "20")
    assert done.returncode == 0, done.stderr
    assert "Range of outcomes of turn 1" in done.stdout and "100.0%  deploy Niger (Russia)" in done.stdout
