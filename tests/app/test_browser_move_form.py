"""The move form in a real browser, on one `python -m app`: as a team types, the live check puts each
problem under its input and updates the troops' running total and the preview in words; **Add a
row** adds a row in the page; the form's moves are submitted and the YAML box then holds the file.

Marked `browser` like tests/app/test_browser.py (needs /usr/bin/chromium; SAHEL_SKIP_BROWSER=1 skips),
and `slow`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.browser import app_server, launch_chromium
from workshop import service
from workshop.tokens import load_tokens, team_link

LOAD_TIMEOUT_MS = 90_000
TIMEOUT_MS = 30_000
ARTIFACTS = Path(os.environ.get("SAHEL_APP_ARTIFACTS", Path(__file__).resolve().parent / "artifacts"))

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_team_fills_in_the_form_with_live_checks_and_submits(sync_playwright, tmp_path):
    service.create_game(tmp_path / "room", ["USA", "RUS"], turns=2, seed=0)
    token = load_tokens(tmp_path / "room").teams["USA"]
    with (
        app_server(tmp_path / "home", log=tmp_path / "server.log", args=["--games-root", str(tmp_path)]) as url,
        sync_playwright() as p,
    ):
        browser = launch_chromium(p)
        try:
            page = browser.new_context(viewport={"width": 1200, "height": 1400}).new_page()
            page.goto(team_link(url, "room", token))
            page.get_by_text("Nothing submitted for turn 1 yet").wait_for(timeout=LOAD_TIMEOUT_MS)
            form = page.locator("#moveform")
            form.locator("select[name='deploy.0.state']").select_option("BEN")
            form.locator("input[name='deploy.0.troops']").fill("90")
            form.locator("input[name='allocate.TCD.security']").fill("40")
            # the live check: each problem under its input, the totals and the preview updated
            form.locator("ul[data-for='deploy.0'] li.bad", has_text="90 troops").wait_for(timeout=TIMEOUT_MS)
            form.locator("ul[data-for='allocate'] li.bad", has_text="add up to 40").wait_for(timeout=TIMEOUT_MS)
            assert form.locator("#troops-sent").inner_text() == "90"
            assert "over" in form.locator("#troops-sent").evaluate("e => e.parentElement.className")
            form.locator("#preview", has_text="United States deploys 90 troops to Benin").wait_for(timeout=TIMEOUT_MS)
            # a row added in the page
            form.locator("#sec-withdraw button[name=add]").click()
            assert form.locator("select[name='withdraw.1.state']").count() == 1
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "move_form.png"), full_page=True)
            # fixed: the messages go, and the form's moves are submitted
            form.locator("input[name='deploy.0.troops']").fill("50")
            form.locator("input[name='allocate.TCD.security']").fill("10")
            page.wait_for_function(
                "() => document.querySelectorAll('#moveform li.bad').length === 0", timeout=TIMEOUT_MS
            )
            form.get_by_role("button", name="Submit the form's moves").click()
            page.locator("#said-form.ok", has_text="Accepted: team USA's moves for turn 1").wait_for(timeout=TIMEOUT_MS)
            assert "- {state: BEN, troops: 50}" in page.locator("#moves").input_value()
        finally:
            browser.close()
    assert service.Game.load(tmp_path / "room").pending["USA"].text.startswith("team: USA\nturn: 1\n")
