"""A workshop room in real browsers, for three turns, with a crash in the middle.

Six browser contexts (their own cookies and storage, as on separate machines) on one `python -m app`:
the facilitator, four teams (USA, RUS, AES, ECOWAS) and the projector. The facilitator creates the
game on the facilitator page and reads the join links from its Join links card; each team opens its
link and submits from its own page (the YAML box), the four at once; the facilitator watches who is
in and adjudicates; the projector follows by itself. In turn 2, after two teams have submitted, the
server is killed with SIGKILL and started again on the same port: game.json, tokens.json, the stored
moves and the briefs are byte for byte what they were, every link still opens its page, the two
other teams submit from the pages they had open, and the game goes on to its end. Every team's note
is a secret: the projector's page and its frame never show one, nor a team's moves or objectives,
and no team page shows another team's note.

Each step's wall-clock time is written to ARTIFACTS/room_timings.json (a record, not a limit).
Marked `slow` (CI runs `-m slow`) and `browser` (needs /usr/bin/chromium; SAHEL_SKIP_BROWSER=1 skips).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from app.browser import AppProcess, launch_chromium
from workshop.game import Game

LOAD_TIMEOUT_MS = 90_000  # a first page load, an adjudication on a loaded machine
TIMEOUT_MS = 30_000
ARTIFACTS = Path(os.environ.get("SAHEL_APP_ARTIFACTS", Path(__file__).resolve().parent / "artifacts"))
TEAMS = ("USA", "RUS", "AES", "ECOWAS")
TURNS = 3
#: Moves each team plays every turn (legal in every turn of this game), after its team, turn and note.
MOVES = {
    "USA": "allocate:\n  TCD: {security: 10, economic: 20}\n  NGA: {security: 8, economic: 35}\n",
    "RUS": "allocate:\n  MLI: {security: 5, economic: 1, information: 2}\nregime_protection: 0.9\n",
    "AES": "",
    "ECOWAS": "",
}
#: What the projector must never show: the facilitator brief's and the team briefs' private sections.
PRIVATE = [
    "Allocate per month",
    "Regime protection stance",
    "Objectives",
    "objective",
    "Facilitator brief",
    "Your moves",
    "Moves and injects",
]

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def note(team: str, turn: int) -> str:
    """The secret intent of `team` in `turn` (a string no public page may hold)."""
    return f"Secret intent {team}-{turn}: nobody else may read this."


def move_file(team: str, turn: int) -> str:
    return f"team: {team}\nturn: {turn}\nnote: '{note(team, turn)}'\n{MOVES[team]}"


class Clock:
    """Wall-clock seconds of the named steps (a record for the report, never asserted)."""

    def __init__(self) -> None:
        self.steps: dict[str, float] = {}
        self._t = time.monotonic()

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.steps[name] = round(now - self._t, 2)
        self._t = now


def everything_shown(page) -> str:
    """The page's HTML and the HTML of every frame in it (a sandboxed brief included)."""
    return "\n".join(f.content() for f in page.frames)


def snapshot(game_dir: Path) -> dict[str, bytes]:
    """Every file of the game's folder (moves, briefs, game.json, tokens.json), by relative path."""
    return {
        str(p.relative_to(game_dir)): p.read_bytes()
        for p in sorted(game_dir.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def test_a_room_plays_three_turns_through_a_server_crash(sync_playwright, tmp_path):
    root = tmp_path / "games"
    root.mkdir()
    server = AppProcess(tmp_path / "home", log=tmp_path / "server.log", args=["--games-root", str(root)])
    clock = Clock()
    url = server.start()
    clock.lap("start the server")
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            try:
                _play(browser, url, server, root / "room", clock)
            finally:
                browser.close()
    finally:
        server.stop()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "room_timings.json").write_text(json.dumps(clock.steps, indent=2) + "\n", encoding="utf-8")
    print("room test timings (s):", json.dumps(clock.steps, indent=2))
    log = (tmp_path / "server.log").read_text(encoding="utf-8")
    assert "Traceback" not in log
    from workshop.tokens import load_tokens

    tokens = load_tokens(root / "room")
    assert all(t not in log for t in [tokens.facilitator, tokens.projector, *tokens.teams.values()])


def _play(browser, url: str, server: AppProcess, game_dir: Path, clock: Clock) -> None:
    # ---- before the session: the facilitator creates the game on its page and reads the links
    desk = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    desk.goto(url + "/workshop")
    desk.locator(".sahel-title", has_text="Workshop facilitator").wait_for(timeout=LOAD_TIMEOUT_MS)
    clock.lap("open the facilitator page")
    desk.get_by_label("Name (its folder, inside the folder of the games)", exact=True).fill("room")
    desk.get_by_label("Teams", exact=True).fill("USA, RUS, AES=MLI,BFA,NER, ECOWAS")
    desk.get_by_label("Turns", exact=True).fill(str(TURNS))
    desk.get_by_label("Seed", exact=True).fill("7")
    desk.get_by_role("button", name="Create the game").click()
    desk.locator(".sahel-report-ok", has_text="Created a game in").wait_for(timeout=TIMEOUT_MS)
    desk.locator(".sahel-turn", has_text=f"Turn 1 of {TURNS}").wait_for(timeout=TIMEOUT_MS)
    desk.locator(".sahel-link-row[data-who='ECOWAS'] svg").wait_for(timeout=TIMEOUT_MS)  # its QR code
    clock.lap("create the game (facilitator page)")
    link = {
        who: desk.locator(f".sahel-link-row[data-who='{who}'] a").get_attribute("href")
        for who in (*TEAMS, "facilitator", "projector")
    }
    assert all(link[who].startswith(url) and "token=" in link[who] for who in link), link
    assert len({link[who] for who in link}) == len(link)  # one token each

    # ---- the projector and the four teams join, each in its own context
    projector = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    projector.goto(link["projector"])
    projector.get_by_text("The opening situation.").wait_for(timeout=TIMEOUT_MS)
    teams = {}
    for name in TEAMS:
        page = browser.new_context(viewport={"width": 900, "height": 1000}).new_page()
        page.goto(link[name])
        page.get_by_text("Nothing submitted for turn 1 yet").wait_for(timeout=LOAD_TIMEOUT_MS)
        teams[name] = page
    clock.lap("join: the projector and 4 team pages open")
    desk.goto(link["facilitator"])  # the facilitator's link to this game, as after a restart
    desk.get_by_text(f"0 of {len(TEAMS)} teams have submitted").wait_for(timeout=LOAD_TIMEOUT_MS)

    for turn in range(1, TURNS + 1):
        if turn == 2:
            first, second = TEAMS[:2], TEAMS[2:]
            _submit(teams, first, turn, clock, f"turn {turn}: submit ({', '.join(first)} at once)")
            desk.get_by_text(f"2 of {len(TEAMS)} teams have submitted").wait_for(timeout=TIMEOUT_MS)
            clock.lap(f"turn {turn}: the facilitator sees 2 of 4")
            _crash_and_restart(server, game_dir, desk, teams, projector, link, clock)
            # the two other teams submit from the pages they had open before the crash
            _submit(teams, second, turn, clock, f"turn {turn}: submit ({', '.join(second)} at once, after the restart)")
        else:
            _submit(teams, TEAMS, turn, clock, f"turn {turn}: submit (4 teams at once)")
        desk.get_by_text(f"{len(TEAMS)} of {len(TEAMS)} teams have submitted").wait_for(timeout=TIMEOUT_MS)
        projector.locator("#clock", has_text=f"{len(TEAMS)} of {len(TEAMS)} teams are in").wait_for(timeout=TIMEOUT_MS)
        clock.lap(f"turn {turn}: the facilitator and the projector see 4 of 4")

        desk.get_by_role("button", name=f"Adjudicate turn {turn}").click()
        desk.locator(".sahel-report-ok", has_text=f"Turn {turn} adjudicated").wait_for(timeout=LOAD_TIMEOUT_MS)
        clock.lap(f"turn {turn}: adjudicate (click to report)")
        over = turn == TURNS
        for page in teams.values():  # each team page reloads itself to the next turn, with the new brief
            page.locator(".turn", has_text="Game over" if over else f"Turn {turn + 1} of {TURNS}").wait_for(
                timeout=TIMEOUT_MS
            )
            page.get_by_role("link", name=f"Brief of turn {turn}").wait_for(timeout=TIMEOUT_MS)
        projector.locator("#clock", has_text="Game over" if over else f"Turn {turn} was adjudicated").wait_for(
            timeout=TIMEOUT_MS
        )
        projector.frame_locator("#public").get_by_text("Public events this turn").wait_for(timeout=TIMEOUT_MS)
        clock.lap(f"turn {turn}: team pages and projector reload themselves")
        _no_secret_shown(projector, teams, turn)

    game = Game.load(game_dir)
    assert [r.turn for r in game.turns] == list(range(1, TURNS + 1))
    for record in game.turns:  # every file the teams submitted is in the record, the crash's turn included
        assert sorted(record.moves) == sorted(TEAMS)
        for name in TEAMS:
            assert note(name, record.turn) in record.moves[name].text
            assert record.moves[name].file == "the team page"  # submitted on its page, not by hand


def _submit(teams: dict, names, turn: int, clock: Clock, label: str) -> None:
    """`names` fill their boxes, then press Submit one right after the other (no waiting in between)."""
    for name in names:
        teams[name].locator("#moves").fill(move_file(name, turn))
    clock.lap(f"turn {turn}: fill the boxes")
    for name in names:
        teams[name].get_by_role("button", name=f"Submit the moves of {name}").click(no_wait_after=True)
    for name in names:
        teams[name].locator(".said.ok", has_text=f"Accepted: team {name}'s moves for turn {turn}").wait_for(
            timeout=TIMEOUT_MS
        )
        teams[name].get_by_text(f"Your moves for turn {turn} are in").wait_for(timeout=TIMEOUT_MS)
    clock.lap(label)


def _crash_and_restart(
    server: AppProcess, game_dir: Path, desk, teams: dict, projector, link: dict, clock: Clock
) -> None:
    """SIGKILL the server mid-turn, start it again, and check that nothing was lost."""
    before = snapshot(game_dir)
    assert "game.json" in before and "tokens.json" in before and any(k.startswith("briefs/turn-01/") for k in before)
    server.kill()
    clock.lap("turn 2: SIGKILL the server")
    server.start()
    clock.lap("turn 2: restart the server (until it listens)")
    assert snapshot(game_dir) == before  # moves, turns, briefs, tokens: byte for byte
    game = Game.load(game_dir)
    assert sorted(game.pending) == ["RUS", "USA"] and len(game.turns) == 1
    # the same links open the same pages: the facilitator's, a team's that reloads, the projector's that polls
    desk.goto(link["facilitator"])
    desk.get_by_text(f"2 of {len(TEAMS)} teams have submitted").wait_for(timeout=LOAD_TIMEOUT_MS)
    clock.lap("turn 2: the facilitator page opens again after the restart")
    usa = teams["USA"]
    usa.reload()
    usa.get_by_text("Your moves for turn 2 are in").wait_for(timeout=TIMEOUT_MS)
    assert note("USA", 2) in usa.locator("#moves").input_value()  # its stored file, back in its box
    usa.get_by_role("link", name="Brief of turn 1").wait_for(timeout=TIMEOUT_MS)
    projector.locator("#clock", has_text=f"2 of {len(TEAMS)} teams are in").wait_for(timeout=TIMEOUT_MS)
    clock.lap("turn 2: team page and projector checked after the restart")


def _no_secret_shown(projector, teams: dict, turn: int) -> None:
    """The projector shows no team's note, moves or objectives; a team page shows no other team's note."""
    notes = {name: [note(name, t) for t in range(1, TURNS + 1)] for name in TEAMS}
    shown = everything_shown(projector)
    assert "Public events this turn" in shown and "Influence" in shown  # the public page is there: the check can fail
    for secret in [*PRIVATE, *(n for ns in notes.values() for n in ns)]:
        assert secret not in shown, f"the projector shows {secret!r} after turn {turn}"
    for name, page in teams.items():
        text = everything_shown(page)
        assert note(name, turn) in text  # its own note, in its past moves: the check can fail
        for other in TEAMS:
            if other != name:
                assert all(n not in text for n in notes[other]), f"team {name}'s page shows {other}'s note"
