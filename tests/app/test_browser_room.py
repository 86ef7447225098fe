"""A workshop room in real browsers: the facilitator and two teams, each in its own browser context
(its own cookies and storage, as on separate laptops), on one `python -m app`. The teams open their
join links, one file is refused with its line marked, both submit in the same turn, the facilitator
page shows both submissions without a reload, the facilitator adjudicates, and each team page
reloads itself to the next turn with its new brief. A team's link never shows the other team.

Marked `browser` like tests/app/test_browser.py (needs /usr/bin/chromium; SAHEL_SKIP_BROWSER=1 skips).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.browser import ROOT, app_server, launch_chromium
from workshop import service
from workshop.tokens import facilitator_link, load_tokens, team_link

LOAD_TIMEOUT_MS = 90_000
TIMEOUT_MS = 30_000
ARTIFACTS = Path(os.environ.get("SAHEL_APP_ARTIFACTS", Path(__file__).resolve().parent / "artifacts"))

pytestmark = pytest.mark.browser


def test_facilitator_and_two_teams_play_a_turn(sync_playwright, tmp_path):
    service.create_game(tmp_path / "room", ["USA", "RUS"], turns=2)
    tokens = load_tokens(tmp_path / "room")
    usa_moves = (ROOT / "examples" / "workshop" / "usa_turn1.yaml").read_text(encoding="utf-8")
    rus_moves = (ROOT / "examples" / "workshop" / "russia_turn1.yaml").read_text(encoding="utf-8")
    with (
        app_server(tmp_path / "home", log=tmp_path / "server.log", args=["--games-root", str(tmp_path)]) as url,
        sync_playwright() as p,
    ):
        browser = launch_chromium(p)
        try:
            desk = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
            desk.goto(facilitator_link(url, "room", tokens.facilitator))
            desk.locator(".sahel-turn", has_text="Turn 1 of 2").wait_for(timeout=LOAD_TIMEOUT_MS)
            assert desk.get_by_text("Open a game").count() == 0  # a game's link opens that game only
            desk.locator(".sahel-link-row[data-who='USA'] svg").wait_for(timeout=TIMEOUT_MS)  # its QR code
            assert tokens.teams["RUS"] in desk.locator(".sahel-link-row[data-who='RUS'] a").inner_text()

            teams = {}
            for name in ("USA", "RUS"):
                page = browser.new_context(viewport={"width": 900, "height": 1000}).new_page()
                page.goto(team_link(url, "room", tokens.teams[name]))
                page.get_by_text("Nothing submitted for turn 1 yet").wait_for(timeout=LOAD_TIMEOUT_MS)
                teams[name] = page
            assert "RUS" not in teams["USA"].locator("header").inner_text()
            teams["USA"].locator("#brief").wait_for(timeout=TIMEOUT_MS)  # the opening brief, framed

            # a refused file: its problem under the box, its line marked in the gutter, the text kept
            usa = teams["USA"]
            usa.locator("#moves").fill(usa_moves.replace("security: 10, economic: 20", "security: 99, economic: 20"))
            usa.get_by_role("button", name="Submit the moves of USA").click()
            usa.locator(".said.bad", has_text="line 7 (allocate)").wait_for(timeout=TIMEOUT_MS)
            assert usa.locator(".gutter .bad").inner_text() == "7"
            assert "security: 99" in usa.locator("#moves").input_value()

            # both teams submit in the same turn, at once
            for name, text in (("USA", usa_moves), ("RUS", rus_moves)):
                teams[name].locator("#moves").fill(text)
            for name in teams:
                teams[name].get_by_role("button", name=f"Submit the moves of {name}").click(no_wait_after=True)
            for name, page in teams.items():
                page.locator(".said.ok", has_text=f"Accepted: team {name}'s moves for turn 1").wait_for(
                    timeout=TIMEOUT_MS
                )
                page.get_by_text("Your moves for turn 1 are in").wait_for(timeout=TIMEOUT_MS)

            # the facilitator sees both without reloading, and adjudicates
            desk.get_by_text("2 of 2 teams have submitted").wait_for(timeout=TIMEOUT_MS)
            desk.get_by_role("button", name="Adjudicate turn 1").click()
            desk.locator(".sahel-report-ok", has_text="Turn 1 adjudicated").wait_for(timeout=LOAD_TIMEOUT_MS)

            # each team page reloads itself to turn 2, with the brief of turn 1 and its own past moves only
            for page in teams.values():
                page.locator(".turn", has_text="Turn 2 of 2").wait_for(timeout=TIMEOUT_MS)
                page.get_by_role("link", name="Brief of turn 1").wait_for(timeout=TIMEOUT_MS)
                page.get_by_text("Your moves of past turns").wait_for(timeout=TIMEOUT_MS)
            assert "Keep a foothold in Chad" in teams["USA"].content()
            assert "Keep a foothold in Chad" not in teams["RUS"].content()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            teams["USA"].screenshot(path=str(ARTIFACTS / "07_team_page.png"), full_page=False)
            desk.screenshot(path=str(ARTIFACTS / "08_facilitator_links.png"), full_page=True)
        finally:
            browser.close()
    log = (tmp_path / "server.log").read_text(encoding="utf-8")
    assert "Traceback" not in log
    assert all(t not in log for t in [tokens.facilitator, *tokens.teams.values()])
