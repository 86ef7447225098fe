"""Resume after a kill: SIGKILL a command while it writes game.json (or after it has committed a turn)
and run it again; nothing acknowledged is lost and the game equals an uninterrupted one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from workshop.adjudicate import replay
from workshop.game import PAUSE_ENV, Game

TEAMS = ["--team", "USA", "--team", "AES=MLI,BFA,NER", "--team", "ECOWAS"]
USA_1 = "team: USA\nturn: 1\nallocate:\n  NGA: {security: 10, economic: 60}\ndeploy: [{state: BEN, troops: 50}]\n"
AES_1 = "team: AES\nturn: 1\nleave: [{state: MLI, bloc: ECOWAS}]\ninvite: [{state: NER, power: RUS}]\n"
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _killed(args: list, env: dict, marker) -> None:
    """Start `python -m workshop ARGS`, wait until it pauses at the marked point, SIGKILL it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "workshop", *map(str, args)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the command never reached the pause point"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    marker.unlink()


def _new(ws_inproc, d, teams=TEAMS):
    assert ws_inproc("new", d, *teams, "--turns", 2, "--turn-months", 2, "--seed", 3).returncode == 0


@pytest.mark.slow  # over 5 s: kept out of the default suite (make test), run by make test-slow and CI
def test_kills_mid_submit_and_mid_adjudication_lose_nothing(tmp_path, ws, ws_inproc, workshop_env, write_moves):
    usa, aes = write_moves("usa.yaml", USA_1), write_moves("aes.yaml", AES_1)
    control = tmp_path / "control"  # the same game, uninterrupted
    _new(ws_inproc, control)
    for team, path in (("USA", usa), ("AES", aes)):
        assert ws_inproc("submit", control, team, path).returncode == 0
    assert ws_inproc("adjudicate", control, "--turn", 1, "--no-briefs").returncode == 0

    game = tmp_path / "game"
    _new(ws_inproc, game)
    assert ws_inproc("submit", game, "USA", usa).returncode == 0
    acknowledged = (game / "game.json").read_bytes()
    paused = dict(workshop_env, **{PAUSE_ENV: "write-game.json"})
    marker = game / ".paused-write-game.json"

    # killed while writing game.json for AES's submission: USA's acknowledged move is intact
    _killed(["submit", game, "AES", aes], paused, marker)
    assert (game / "game.json").read_bytes() == acknowledged
    assert list(game.glob(".game.json.*.tmp")), "the kill should leave the temporary file behind"
    r = ws("submit", game, "AES", aes)
    assert r.returncode == 0, r.stderr
    assert not list(game.glob(".game.json.*.tmp"))

    # killed while writing game.json at the end of the adjudication: the turn is not half-done
    before = (game / "game.json").read_bytes()
    _killed(["adjudicate", game, "--turn", 1, "--no-briefs"], paused, marker)
    assert (game / "game.json").read_bytes() == before
    r = ws("adjudicate", game, "--turn", 1, "--no-briefs")
    assert r.returncode == 0 and "Turn 1 adjudicated" in r.stdout

    assert Game.load(game).to_json()["turns"] == Game.load(control).to_json()["turns"]
    assert replay(Game.load(game)).simulation.fingerprint() == replay(Game.load(control)).simulation.fingerprint()


@pytest.mark.slow  # over 5 s: kept out of the default suite (make test), run by make test-slow and CI
def test_a_kill_after_the_turn_is_committed_is_finished_by_a_rerun(tmp_path, ws, ws_inproc, workshop_env):
    game = tmp_path / "game"
    _new(ws_inproc, game, ["--team", "USA"])  # one team: fewer briefs to draw
    paused = dict(workshop_env, **{PAUSE_ENV: "write-USA.html"})  # writing the first brief
    _killed(["adjudicate", game, "--turn", 1], paused, game / "briefs" / "turn-01" / ".paused-write-USA.html")
    assert len(Game.load(game).turns) == 1  # committed before the briefs
    assert not (game / "briefs" / "turn-01" / "facilitator.html").exists()
    r = ws("adjudicate", game, "--turn", 1)  # the same command again: no second turn, the briefs finished
    assert r.returncode == 0 and "already adjudicated" in r.stdout
    assert len(Game.load(game).turns) == 1
    assert (game / "briefs" / "turn-01" / "facilitator.html").is_file()
