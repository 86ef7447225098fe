"""The workshop facilitator's page (/workshop) rendered in-process with solara.render (no browser):
create a game, submit a refused and an accepted move file, adjudicate, undo, schedule and cancel an
inject, build the briefs and the debrief and show them; mistakes are one paragraph on the page.
The page's helpers (app/games.py) and the routes are tested directly."""

from __future__ import annotations

import time
from pathlib import Path

import ipyvuetify as v
import pytest
import solara
from solara.components.file_download import FileDownloadWidget

from app import games
from app.facilitator import FacilitatorPage
from app.server import GAMES_ROOT_ENV
from workshop import service
from workshop.game import Game

REPO = Path(__file__).resolve().parents[2]
USA_1 = (REPO / "examples" / "workshop" / "usa_turn1.yaml").read_text(encoding="utf-8")
ILLEGAL = "team: USA\nturn: 1\nallocate:\n  TCD: {security: 99}\n"
TEAMS = "USA, AES=MLI,BFA,NER, ECOWAS"
BUSY_TIMEOUT_S = 180


@pytest.fixture(autouse=True)
def games_root(tmp_path, monkeypatch) -> Path:
    """Every test's games live under its own temporary folder, the games root the page is confined to."""
    monkeypatch.setenv(GAMES_ROOT_ENV, str(tmp_path))
    return tmp_path


@pytest.fixture
def rc():
    """A rendered facilitator page, closed afterwards."""
    _, context = solara.render(FacilitatorPage(), handle_error=False)
    yield context
    context.close()


def _wait(rc) -> None:
    """Until the page has finished its action (actions run in a background thread)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    time.sleep(0.02)
    while rc.find(v.Html, class_="sahel-busy").widgets:
        assert time.monotonic() < deadline, "the page's action did not finish"
        time.sleep(0.02)


def _html(rc, css_class: str) -> list[str]:
    return [
        w.unsafe_innerHTML
        for w in rc.find(solara.widgets.HTML).widgets
        if css_class in (w.attributes.get("class") or "").split()
    ]


def _report(rc) -> tuple[bool, str]:
    """(ok, text) of the report at the top of the page."""
    (report,) = [
        w for w in rc.find(solara.widgets.HTML).widgets if "sahel-report" in (w.attributes.get("class") or "").split()
    ]
    return "sahel-report-ok" in report.attributes["class"], report.unsafe_innerHTML


def _classes(rc, css_class: str) -> str:
    """The class attribute of the one HTML element with css_class."""
    (w,) = [w for w in rc.find(solara.widgets.HTML).widgets if css_class in (w.attributes.get("class") or "").split()]
    return w.attributes["class"]


def _texts(rc, css_class: str) -> list[str]:
    return [w.children[0] for w in rc.find(v.Html, class_=css_class).widgets]


def _click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()
    _wait(rc)


def _field(rc, label: str, value: str) -> None:
    widget = rc.find(v.TextField, label=label).widget
    widget.v_model = value
    if any(k.startswith("keyup.enter") for k in widget._event_handlers_map):
        widget.fire_event("keyup.enter", None)  # a field that applies on Enter (the others apply as typed)


def _moves(rc, text: str) -> None:
    rc.find(v.Textarea).widget.v_model = text


def _status(directory: Path) -> dict:
    return service.status(directory).to_json()


def _new_game(rc, folder: Path, name: str = "demo", teams: str = TEAMS) -> None:
    _field(rc, "Folder of the games", str(folder))
    _field(rc, "Name (its folder, inside the folder of the games)", name)
    _field(rc, "Teams", teams)
    _field(rc, "Turns", "2")
    _field(rc, "Months per turn", "2")
    _field(rc, "Seed", "1")
    _click(rc, "Create the game")


def _cli_game(folder: Path, name: str = "demo") -> Path:
    """A game made with the workshop's own functions, as the command line would."""
    d = folder / name
    service.create_game(d, ["USA", "AES=MLI,BFA,NER", "ECOWAS"], turns=2, turn_months=2, seed=1)
    return d


def _open(rc, folder: Path, name: str) -> None:
    _field(rc, "Folder of the games", str(folder))
    rc.find(v.Select, label="Game").widget.v_model = name
    _wait(rc)


@pytest.mark.slow  # over 5 s: kept out of the default suite (make test), run by make test-slow and CI
def test_a_turn_from_a_new_game_to_undo(rc, tmp_path):
    folder = tmp_path / "games"
    _field(rc, "Folder of the games", str(folder))
    assert any("There is no folder" in t for t in _texts(rc, "sahel-note sahel-problem"))
    _new_game(rc, folder)
    game = folder / "demo"
    ok, text = _report(rc)
    assert ok and "Created a game in" in text and "team AES (government of Mali, Burkina Faso, Niger)" in text
    assert _texts(rc, "sahel-date sahel-turn") == ["Turn 1 of 2"]
    opening = _status(game)["fingerprint"]

    # a refused file: its problems with line numbers on the page, nothing stored
    before = (game / "game.json").read_bytes()
    _moves(rc, ILLEGAL)
    _click(rc, "Submit the moves of USA")
    ok, text = _report(rc)
    assert not ok and "pasted text was refused for team USA, turn 1 (1 problem; nothing was stored)" in text
    assert "pasted text, line 3 (allocate): the security allocations add up to 99 US$ m a month" in text
    assert "Traceback" not in text
    assert (game / "game.json").read_bytes() == before and Game.load(game).pending == {}
    assert rc.find(v.Textarea).widget.v_model == ILLEGAL  # kept in the editor, to be fixed
    (beside,) = _html(rc, "sahel-moves-said")  # the same problems under the box, where the user is
    assert "sahel-said-error" in _classes(rc, "sahel-moves-said") and "line 3 (allocate)" in beside

    # an accepted file
    _moves(rc, USA_1)
    _click(rc, "Submit the moves of USA")
    ok, text = _report(rc)
    assert ok and "Accepted: team USA&#x27;s moves for turn 1 (2024-06 to 2024-07)" in text
    assert Game.load(game).pending["USA"].text == USA_1
    assert not _html(rc, "sahel-moves-said")  # the box moved on to the next team: its own messages only
    assert "✔ moves submitted" in _html(rc, "sahel-teams")[0]

    # the range of outcomes of the turn with the moves submitted (workshop/outlook.py)
    _click(rc, "Range of outcomes of turn 1")
    ok, text = _report(rc)
    assert ok and "Range of outcomes of turn 1 (2024-06 to 2024-07), with the moves submitted so far" in text
    assert "100.0%  deploy Benin (United States)" in text

    _click(rc, "Adjudicate turn 1")
    ok, text = _report(rc)
    assert ok and "Turn 1 adjudicated (2024-06 to 2024-07)" in text
    _click(rc, "Where turn 1's draw fell")
    ok, text = _report(rc)
    assert ok and "Where the game&#x27;s draw fell" in text and "&lt;- happened in the game" in text
    assert _texts(rc, "sahel-date sahel-turn") == ["Turn 2 of 2"]
    (events,) = _html(rc, "sahel-events")
    assert "United States deploys troops to Benin" in events and "sahel-event-cause" in events
    assert (game / "briefs" / "turn-01" / "facilitator.html").is_file()
    after_one = _status(game)["fingerprint"]
    assert after_one != opening

    # undo (confirmed in a dialog) restores the start of turn 1, its moves pending again
    _click(rc, "Undo turn 1")
    assert len(Game.load(game).turns) == 1  # nothing happens before the confirmation
    _click(rc, "Yes, undo turn 1")
    ok, text = _report(rc)
    assert ok and "Turn 1 undone" in text
    status = _status(game)
    assert status["fingerprint"] == opening and status["turn"] == 1 and status["submitted"] == ["USA"]
    assert _texts(rc, "sahel-date sahel-turn") == ["Turn 1 of 2"]
    _click(rc, "Adjudicate turn 1")  # the same record plays the same turn again
    assert _status(game)["fingerprint"] == after_one


@pytest.mark.slow  # over 5 s: kept out of the default suite (make test), run by make test-slow and CI
def test_briefs_and_debrief_are_built_and_shown(rc, tmp_path):
    folder = tmp_path / "games"
    game = _cli_game(folder)
    service.adjudicate(game, turn=1, briefs=False)
    _open(rc, folder, "demo")
    assert _texts(rc, "sahel-date sahel-turn") == ["Turn 2 of 2"]
    _click(rc, "Write the briefs")  # the last turn's, by default
    ok, text = _report(rc)
    assert ok and "Briefs for turn 1" in text
    rc.find(v.Select, label="Briefs of turn").widget.v_model = "0"
    _click(rc, "Write the briefs")
    assert _texts(rc, "sahel-pages-label")[:2] == ["Opening briefs", "Turn 1 briefs"]

    rc.find(v.Btn, children=["facilitator"]).widgets[1].click()  # turn 1's facilitator brief
    (frame,) = [w for w in rc.find(solara.widgets.HTML).widgets if w.tag == "iframe"]
    page = frame.attributes["srcdoc"]
    assert page.startswith("<!DOCTYPE html>") and "Facilitator brief: turn 1 of 2" in page
    assert frame.attributes["sandbox"] == ""
    assert rc.find(FileDownloadWidget, filename="turn-01-facilitator.html").widgets  # to hand it out

    _field(rc, "Simulated histories", "10")
    rc.find(v.Select, label="What if (default: every team)").widget.v_model = ["USA"]
    _click(rc, "Build the debrief")
    ok, text = _report(rc)
    assert ok and "(1 turns against 10 simulated histories)" in text
    _click(rc, "debrief")
    (frame,) = [w for w in rc.find(solara.widgets.HTML).widgets if w.tag == "iframe"]
    page = frame.attributes["srcdoc"]
    assert "The bands show 10 histories" in page and "What if team USA had not played?" in page
    assert "What if team AES" not in page
    _click(rc, "Close")
    assert not [w for w in rc.find(solara.widgets.HTML).widgets if w.tag == "iframe"]


def test_injects_are_scheduled_and_cancelled(rc, tmp_path):
    folder = tmp_path / "games"
    game = _cli_game(folder)
    _open(rc, folder, "demo")
    rc.find(v.Select, label="Type").widget.v_model = "expel"  # needs a power: refused
    _click(rc, "Schedule the inject")
    ok, text = _report(rc)
    assert not ok and "A expel inject needs --power" in text and Game.load(game).injects == []

    rc.find(v.Select, label="Type").widget.v_model = "coup"
    rc.find(v.Select, label="State").widget.v_model = "Chad (TCD)"
    rc.find(v.Select, label="Turn").widget.v_model = "2"
    _field(rc, "Note (the cause recorded with the event; optional)", "Officers seize power in N'Djamena")
    _click(rc, "Schedule the inject")
    ok, text = _report(rc)
    assert ok and "Inject scheduled: coup in Chad at the start of turn 2 (2024-08)" in text
    assert [(i.turn, i.type, i.state, i.note) for i in Game.load(game).injects] == [
        (2, "coup", "TCD", "Officers seize power in N'Djamena")
    ]
    assert any("turn 2: coup in Chad (TCD): Officers seize power" in t for t in _texts(rc, "sahel-note"))
    _click(rc, "Cancel inject")
    ok, text = _report(rc)
    assert ok and "Cancelled 1 inject(s) of turn 2" in text and Game.load(game).injects == []


def test_the_editor_belongs_to_the_open_game(rc, tmp_path):
    folder = tmp_path / "games"
    first = _cli_game(folder, "first")
    _cli_game(folder, "second")
    assert games.submit(first, "USA", USA_1, "usa_turn1.yaml").ok
    _open(rc, folder, "first")
    rc.find(v.Select, label="Team").widget.v_model = "USA"
    _click(rc, "Show USA's stored moves")
    assert rc.find(v.Textarea).widget.v_model == USA_1
    _click(rc, "Submit the moves of USA")  # resubmitted unchanged: still named after its file
    ok, text = _report(rc)
    assert (
        ok and "replacing its earlier submission" in text and Game.load(first).pending["USA"].file == "usa_turn1.yaml"
    )
    _moves(rc, "team: USA\nturn: 1\n")
    _open(rc, folder, "second")  # another game: a fresh editor, nothing carried over
    assert rc.find(v.Textarea).widget.v_model == ""


def test_mistakes_are_one_paragraph_on_the_page(rc, tmp_path):
    folder = tmp_path / "games"
    broken = folder / "broken"
    broken.mkdir(parents=True)
    (broken / "game.json").write_text("{not json", encoding="utf-8")
    _open(rc, folder, "broken")
    ok, text = _report(rc)
    assert not ok and "cannot be read as a game" in text and "Traceback" not in text
    assert _texts(rc, "sahel-month") == ["no game open"]

    _new_game(rc, folder, name="nato", teams="USA, NATO")
    ok, text = _report(rc)
    assert not ok and "Team &#x27;NATO&#x27; is not a power, bloc or state code" in text
    assert not (folder / "nato").exists()
    _new_game(rc, folder, name="a/b")
    ok, text = _report(rc)
    assert not ok and "needs a folder name" in text
    _new_game(rc, folder, name="broken")
    ok, text = _report(rc)
    assert not ok and "already holds a game" in text


def test_split_teams_reads_the_teams_field():
    assert games.split_teams("USA, RUS, AES=MLI,BFA,NER, ECOWAS") == ["USA", "RUS", "AES=MLI,BFA,NER", "ECOWAS"]
    assert games.split_teams("USA,RUS; TCD\nAES = MLI, BFA") == ["USA", "RUS", "TCD", "AES=MLI", "BFA"]
    assert games.split_teams("USA,AES=MLI,BFA,NER") == ["USA", "AES=MLI,BFA,NER"]
    assert games.split_teams(" , ") == []


def test_the_page_helpers_report_mistakes_as_outcomes(tmp_path):
    folder = tmp_path / "games"
    with pytest.raises(games.WorkshopError, match="There is no folder"):
        games.list_games(str(folder))
    game = _cli_game(folder)
    assert games.list_games(str(folder)) == ["demo"] and games.list_games(str(game)) == ["demo"]
    assert games.game_path(str(game), "demo") == game
    out = games.undo(game, 1)
    assert not out.ok and "nothing to undo" in out.head
    out = games.submit(game, "USA", "  \n")
    assert not out.ok and "are empty" in out.head
    text, problem = games.read_upload("usa.yaml", b"team: USA\xff\n")
    assert text == "" and "is not UTF-8 text" in problem
    text, problem = games.read_upload("usa.yaml", USA_1.encode())
    assert text == USA_1 and problem == ""
    out = games.submit(game, "USA", USA_1, "usa_turn1.yaml")
    assert out.ok and Game.load(game).pending["USA"].file == "usa_turn1.yaml"
    assert out.head == "Accepted: team USA's moves for turn 1 (2024-06 to 2024-07):" and out.problems == ()
    assert out.details[1:] == (
        "Regime protection stance 0.3 (0 = none, 1 = full)",
        "United States deploys 50 troops to Benin (2024-07)",
    )  # without the CLI's dashes
    g = Game.load(game)  # edited by hand: over the security budget
    g.pending["USA"].text = g.pending["USA"].text.replace("security: 10", "security: 99")
    g.save()
    out = games.check(game)  # the problems, then every team's verdict
    assert not out.ok and out.head.startswith("Some stored moves of turn 1 are illegal")
    (problem,) = out.problems
    assert (
        "(submitted by team USA from usa_turn1.yaml), line 7 (allocate): the security allocations add up to 119"
        in problem
    )
    assert out.details == (
        "Turn 1 (2024-06 to 2024-07):",
        "USA: refused (see below)",
        "AES: nothing submitted: the scenario's policy will play for it",
        "ECOWAS: nothing submitted: the scenario's policy will play for it",
    )
    view = games.read_game(game)
    assert view.submitted == ["USA"] and view.missing == ["AES", "ECOWAS"] and view.months == "2024-06 to 2024-07"


def test_the_app_serves_the_classroom_at_root_and_the_facilitator_at_workshop():
    from app.page import ClassroomPage, PlainLayout, WorkshopPage, routes

    assert [(r.path, r.component) for r in routes][:2] == [("/", ClassroomPage), ("workshop", WorkshopPage)]
    # the lesson plans the Info panel links to; a class session's teacher's view and projector view
    assert [r.path for r in routes] == ["/", "workshop", "lessons", "class", "class-show"]
    assert routes[0].layout is PlainLayout  # no navigation tabs: the classroom page looks as before
