"""The workshop's service (workshop/service.py): each action's typed result, checked by hand on a small
game (USA and AES, two turns of one month from June 2024), and the command line printing exactly a
result's lines."""

from __future__ import annotations

import contextlib
import shutil

import pytest

from workshop import service
from workshop.adjudicate import replay
from workshop.errors import GameBusy, Refused, WorkshopError
from workshop.game import Game, Inject, locked
from workshop.service import AlreadyAdjudicated, Briefs, TeamCheck, TeamStatus, TurnEvent

TEAMS = ["USA", "AES=MLI,BFA,NER"]
USA = "team: USA\nturn: 1\nallocate:\n  NGA: {security: 10}\ndeploy: [{state: BEN, troops: 50}]\n"
USA_SUMMARY = (
    "Allocate per month: security 10, economic 0, information 0 US$ m to Nigeria",
    "United States deploys 50 troops to Benin (2024-06)",
)
AES_2 = "team: AES\nturn: 2\nnote: waiting\n"


@pytest.fixture
def game(tmp_path):
    directory = tmp_path / "game"
    created = service.create_game(directory, TEAMS, turns=2, turn_months=1, seed=0)
    assert created.game.dir == directory and (directory / "game.json").is_file()
    return directory


def test_a_new_game_and_where_it_stands(tmp_path):
    created = service.create_game(tmp_path / "g", TEAMS, turns=2, turn_months=1, seed=4, teams_decide=True)
    assert created.teams == ("USA (power: United States)", "AES (government of Mali, Burkina Faso, Niger)")
    assert (created.span, created.first_turn, created.teams_decide) == (
        "2024-06 to 2024-07",
        "2024-06 to 2024-06",
        True,
    )
    s = created.game.settings
    assert (s.scenario, s.experiment, s.seed, s.turns, s.turn_months) == ("sahel_2024", "", 4, 2, 1)
    assert Game.load(tmp_path / "g").to_json() == created.game.to_json()  # what was saved

    status = service.status(tmp_path / "g")
    assert (status.month, status.months, status.submitted, status.missing) == (
        "2024-05",
        "2024-06 to 2024-06",
        (),
        ("USA", "AES"),
    )
    assert status.teams == (
        TeamStatus("USA", "USA (power: United States)", None),
        TeamStatus("AES", "AES (government of Mali, Burkina Faso, Niger)", None),
    )
    assert len(status.fingerprint) == 64 and status.to_json()["teams_decide"] is True


def test_submit_returns_the_accepted_summary_and_what_it_replaced(game, tmp_path):
    accepted = service.submit_text(game, "usa", USA, "pasted text")
    assert (accepted.team, accepted.turn, accepted.months, accepted.replaced) == ("USA", 1, "2024-06 to 2024-06", False)
    assert accepted.summary == USA_SUMMARY and accepted.warnings == ()
    path = tmp_path / "usa.yaml"
    path.write_text(USA, encoding="utf-8")
    again = service.submit_file(game, "USA", path)
    assert again.replaced and again.lines() == [
        "Accepted: team USA's moves for turn 1 (2024-06 to 2024-06), replacing its earlier submission:",
        *(f"  - {line}" for line in USA_SUMMARY),
    ]
    assert service.status(game).teams[0].source == str(path)
    path.write_bytes(b"team: USA\xff\n")
    with pytest.raises(WorkshopError, match="is not UTF-8 text"):
        service.submit_file(game, "USA", path)


def test_check_gives_each_teams_verdict_and_the_problems(game):
    service.submit_text(game, "USA", USA, "usa.yaml")
    checked = service.check(game)
    assert checked.ok and checked.refusal() is None and (checked.turn, checked.months) == (1, "2024-06 to 2024-06")
    assert checked.teams == (TeamCheck("USA", "ok", 2), TeamCheck("AES", "missing"))
    g = Game.load(game)  # edited by hand: over the security budget of 30
    g.pending["USA"].text = USA.replace("security: 10", "security: 99")
    g.save()
    checked = service.check(game)
    assert not checked.ok and checked.teams[0] == TeamCheck("USA", "refused")
    assert [p.line for p in checked.problems] == [3]
    refusal = checked.refusal()
    assert isinstance(refusal, Refused) and refusal.problems == checked.problems
    assert str(refusal).startswith("Some stored moves of turn 1 are illegal")
    assert checked.lines() == [
        "Turn 1 (2024-06 to 2024-06):",
        "  USA: refused (see below)",
        "  AES: nothing submitted: the scenario's policy will play for it",
    ]


def test_adjudicate_returns_the_turns_events_and_briefs(game, ws_inproc):
    scheduled = service.schedule_inject(game, 1, "coup", "TCD", note="Officers seize power")
    assert scheduled.inject == Inject(turn=1, type="coup", state="TCD", note="Officers seize power")
    assert (scheduled.state_name, scheduled.month) == ("Chad", "2024-06")
    service.submit_text(game, "USA", USA, "usa.yaml")
    twin = game.parent / "twin"
    shutil.copytree(game, twin)

    played = service.adjudicate(game)
    assert (played.turn, played.months, played.teams, played.injects) == (
        1,
        "2024-06 to 2024-06",
        ("USA",),
        (scheduled.inject,),
    )
    # the inject first, then by rule the US suspends its aid (conditionality 1), and the team's deployment
    assert played.events[0] == TurnEvent(
        1, "2024-06", "coup", "TCD", "", "Officers seize power (coup in Chad, set by the facilitator)", True
    )
    assert (
        TurnEvent(1, "2024-06", "deploy", "BEN", "USA", "United States deploys 50 troops to Benin", True)
        in played.events
    )
    assert [(e.type, e.state, e.partner, e.scripted) for e in played.events if e.type == "aid_suspend"][0] == (
        "aid_suspend",
        "TCD",
        "USA",
        False,
    )
    rp = replay(Game.load(game))  # the record replays to the same events
    world = rp.simulation.world
    assert played.events == tuple(TurnEvent.of(e, world) for e in rp.results[0].events)
    folder = game / "briefs" / "turn-01"
    assert played.briefs == tuple(folder / f for f in ("USA.html", "AES.html", "facilitator.html", "projector.html"))
    assert all(p.is_file() for p in played.briefs)
    assert played.lines()[0] == (
        f"Turn 1 adjudicated (2024-06 to 2024-06): {len(played.events)} events; moves of USA; 1 inject(s)."
    )
    assert f"Briefs: {folder}/ (USA.html, AES.html, facilitator.html, projector.html)" in played.lines()
    printed = ws_inproc("adjudicate", twin).stdout  # the command line prints the result's lines
    assert printed == "".join(f"{line}\n" for line in played.lines()).replace(str(game), str(twin))

    again = service.adjudicate(game, turn=1)  # a rerun plays nothing
    assert again == AlreadyAdjudicated(again.game, 1, None) and len(again.game.turns) == 1
    (folder / "facilitator.html").unlink()  # as if a kill had stopped the briefs
    again = service.adjudicate(game, turn=1)
    assert again.briefs == Briefs(again.game, 1, played.briefs) and (folder / "facilitator.html").is_file()
    assert again.lines() == [
        "Turn 1 is already adjudicated: nothing to do.",
        f"Briefs for turn 1: {folder}/ (USA.html, AES.html, facilitator.html, projector.html)",
    ]


def test_undo_returns_what_is_pending_again_and_what_was_dropped(game):
    coup = service.schedule_inject(game, 1, "coup", "TCD").inject
    service.submit_text(game, "USA", USA, "usa.yaml")
    service.adjudicate(game, briefs=False)
    service.submit_text(game, "AES", AES_2, "aes.yaml")
    undone = service.undo(game, turn=1)
    assert (undone.turn, undone.moves, undone.injects, undone.dropped) == (1, ("USA",), (coup,), ("AES",))
    assert undone.lines()[1] == (
        f"Submissions for turn 2 were dropped (AES); copies remain in {game / 'moves' / 'turn-02'}."
    )
    g = Game.load(game)
    assert (g.turns, list(g.pending), g.injects) == ([], ["USA"], [coup])
    with pytest.raises(WorkshopError, match="nothing to undo"):
        service.undo(game)


def test_injects_are_scheduled_and_cancelled(game):
    service.schedule_inject(game, 1, "coup", "TCD")
    service.schedule_inject(game, 2, "coup", "NER")
    expel = service.schedule_inject(game, 2, "expel", "MLI", power="FRA").inject
    with pytest.raises(WorkshopError, match="needs --power"):
        service.schedule_inject(game, 2, "invite", "MLI")
    cancelled = service.cancel_injects(game, 2, event_type="coup")
    assert cancelled.injects == (Inject(turn=2, type="coup", state="NER"),)
    assert cancelled.lines() == ["Cancelled 1 inject(s) of turn 2."]
    assert [(i.turn, i.state) for i in Game.load(game).injects] == [(1, "TCD"), (2, "MLI")]
    assert service.cancel_injects(game, 2).injects == (expel,)
    with pytest.raises(WorkshopError, match="nothing was cancelled"):
        service.cancel_injects(game, 2)


def test_an_inject_scheduled_twice_or_with_impossible_troops_is_refused(game):
    service.schedule_inject(game, 1, "coup", "TCD")
    with pytest.raises(WorkshopError, match="already scheduled for turn 1: nothing was added"):
        service.schedule_inject(game, 1, "coup", "TCD", note="again")
    service.schedule_inject(game, 2, "coup", "TCD")  # another turn is another inject
    for troops in (float("nan"), float("inf"), 1e308, -5.0):
        with pytest.raises(WorkshopError, match="--troops must be zero"):
            service.schedule_inject(game, 1, "deploy", "MLI", power="RUS", troops=troops)
    assert [(i.turn, i.type) for i in Game.load(game).injects] == [(1, "coup"), (2, "coup")]


def test_briefs_of_the_opening(game):
    briefs = service.write_briefs(game)  # no turn played: the opening
    folder = game / "briefs" / "turn-00"
    names = ("USA.html", "AES.html", "facilitator.html", "projector.html")
    assert briefs.turn == 0 and briefs.paths == tuple(folder / f for f in names)
    assert briefs.lines() == [f"Briefs for the opening: {folder}/ ({', '.join(names)})"]
    with pytest.raises(WorkshopError, match="briefs exist for turns 0"):
        service.write_briefs(game, 1)


def test_a_game_saved_before_injects_carried_a_date_and_a_source_still_loads(game):
    import json

    service.schedule_inject(game, 2, "coup", "NER", note="Officers seize power")
    path = game / "game.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for inject in data["injects"]:  # the record of an inject as games saved it before
        del inject["date"], inject["source"]
    path.write_text(json.dumps(data), encoding="utf-8")
    assert Game.load(game).injects == [Inject(turn=2, type="coup", state="NER", note="Officers seize power")]


@pytest.mark.parametrize("action", ["status", "check", "briefs", "debrief", "outlook"])
def test_commands_that_read_a_game_wait_for_its_lock(game, action, monkeypatch):
    # issue 14: a briefs run during an undo re-created the undone turn's briefs; status, check, debrief and
    # outlook read a game another command was changing. Each now reads game.json only once the lock is free.
    import fcntl
    import threading

    run = {
        "status": lambda: service.status(game),
        "check": lambda: service.check(game),
        "briefs": lambda: service.write_briefs(game, 0),
        "debrief": lambda: service.write_debrief(game, 2),
        "outlook": lambda: service.outlook(game, runs=2),
    }[action]
    load, loaded, finished = Game.load, threading.Event(), threading.Event()

    def watched_load(directory):
        loaded.set()
        return load(directory)

    monkeypatch.setattr(Game, "load", staticmethod(watched_load))

    def target() -> None:
        with contextlib.suppress(WorkshopError):  # a debrief before any turn is played is refused: fine here
            run()
        finished.set()

    with open(game / ".lock", "a+") as held:  # as an undo or an adjudication holds it
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        worker = threading.Thread(target=target, daemon=True)
        worker.start()
        assert not loaded.wait(1.0), f"{action} read the game while another command held its lock"
        fcntl.flock(held.fileno(), fcntl.LOCK_UN)
    worker.join(120)
    assert finished.is_set()


def test_a_game_whose_lock_cannot_be_opened_can_be_read_but_not_changed(game):
    # a game folder one may only read (here: .lock is a folder, which even root cannot open as a file):
    # status and check read it without the lock; a command that would change it is one clean error
    (game / ".lock").unlink()
    (game / ".lock").mkdir()
    assert service.status(game).game.current_turn == 1
    service.check(game)
    with pytest.raises(WorkshopError, match=r"cannot be written .*on its lock file"):
        service.submit_text(game, "USA", "team: USA\nturn: 1\nnote: waiting\n", "usa.yaml")


def test_a_reader_that_waits_a_bounded_time_gets_game_busy_while_a_command_changes_the_game(game):
    """`locked(..., wait=)`, as the team and projector pages read: a command holding the game's lock (an
    adjudication) makes it give up with GameBusy instead of waiting; another reader does not."""
    import fcntl

    with open(game / ".lock", "a+") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # as an adjudication holds it
        with pytest.raises(GameBusy, match="is being changed right now"), locked(game, shared=True, wait=0.1):
            pass
        fcntl.flock(held.fileno(), fcntl.LOCK_SH)  # as `status` holds it
        with locked(game, shared=True, wait=0.1):
            assert Game.load(game).current_turn == 1
