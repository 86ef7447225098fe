"""The classroom app in a real browser: `python -m app` in a subprocess, Debian's headless
Chromium driven by Playwright. Loads the page, moves a slider, steps, plays, picks an experiment,
checks that the date, the charts and the event feed change and that every request stayed on this
machine, and saves screenshots. A second test opens the workshop facilitator's page (/workshop),
creates a game in a temporary folder, submits a pasted move file, adjudicates a turn, sees its
events and shows the facilitator's brief.

Screenshots go to $SAHEL_APP_ARTIFACTS (default tests/app/artifacts/, git-ignored). Without
Chromium the test fails (CI installs it with `make browser`); set SAHEL_SKIP_BROWSER=1 to skip it.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from app.browser import CHROMIUM, ROOT, app_server, launch_chromium

ARTIFACTS = Path(os.environ.get("SAHEL_APP_ARTIFACTS", Path(__file__).resolve().parent / "artifacts"))
LOAD_TIMEOUT_MS = 90_000
TIMEOUT_MS = 20_000

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sync_playwright():
    """Playwright's sync API, or a clear failure (a skip only when SAHEL_SKIP_BROWSER=1)."""
    if os.environ.get("SAHEL_SKIP_BROWSER") == "1":
        pytest.skip("SAHEL_SKIP_BROWSER=1")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make browser` (Debian's chromium package) or set "
                    f"SAHEL_CHROMIUM to its path; SAHEL_SKIP_BROWSER=1 skips this test")
    from playwright.sync_api import sync_playwright

    return sync_playwright


def _picture(page, index: int) -> bytes:
    """The PNG shown by the page's index-th picture (0 map, 1 influence share, 2 affinities)."""
    return page.locator(".sahel-picture img").nth(index).screenshot()


def _month(page) -> str:
    return page.locator(".sahel-month").inner_text()


def _wait_month(page, n: int) -> None:
    page.locator(".sahel-month", has_text=re.compile(rf"^Month {n}$")).wait_for(timeout=TIMEOUT_MS)


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_classroom_app_in_a_browser(sync_playwright, tmp_path):
    requests: list[str] = []
    with app_server(tmp_path / "home", log=tmp_path / "server.log") as url, sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(url)
            # the page renders over a websocket: wait for its text, not for 'load'
            page.locator(".sahel-date", has_text="May 2024").wait_for(timeout=LOAD_TIMEOUT_MS)
            page.locator(".sahel-picture img").nth(2).wait_for(timeout=TIMEOUT_MS)
            _shot(page, "01_loaded")
            assert page.get_by_text("No events yet: press Step.").is_visible()
            share_before, affinity_before = _picture(page, 1), _picture(page, 2)

            # a slider: the juntas' weight on sovereignty, applied by Reset
            knob = page.locator(".sahel-knob", has_text="Sovereignty cost")
            assert knob.locator(".sahel-knob-value").inner_text() == "1.2"
            slider = knob.locator(".v-slider")
            box = slider.bounding_box()
            assert box is not None
            slider.click(position={"x": box["width"] * 0.8, "y": box["height"] / 2})
            page.get_by_text("Settings changed: press Reset to run with them.").wait_for(timeout=TIMEOUT_MS)
            moved = knob.locator(".sahel-knob-value").inner_text()
            assert float(moved) > 3.0
            _shot(page, "02_slider_moved")
            page.get_by_role("button", name="Reset").click()
            page.locator(".sahel-command", has_text=f"incentives.junta.sovereignty={moved}").wait_for(
                timeout=TIMEOUT_MS)

            # Step several times: the date advances, the charts and the event feed change
            for n in range(1, 7):
                page.get_by_role("button", name="Step").click()
                _wait_month(page, n)
            page.locator(".sahel-date", has_text="November 2024").wait_for(timeout=TIMEOUT_MS)
            page.locator(".sahel-event", has_text="The last United States forces leave Niger").wait_for(
                timeout=TIMEOUT_MS)
            assert page.locator(".sahel-event").count() >= 3
            time.sleep(0.3)  # let the browser paint the last images
            assert _picture(page, 1) != share_before and _picture(page, 2) != affinity_before
            _shot(page, "03_after_six_steps")

            # Play, then Pause
            page.get_by_role("button", name="Play").click()
            _wait_month(page, 8)
            page.get_by_role("button", name="Pause").click()
            time.sleep(1.2)
            paused_at = _month(page)
            time.sleep(1.5)
            assert _month(page) == paused_at

            # another state's details
            page.locator(".v-select", has_text="Niger (NER)").click()
            page.locator(".v-menu__content .v-list-item", has_text="Mali (MLI)").click()
            page.locator(".sahel-facts", has_text="junta").wait_for(timeout=TIMEOUT_MS)
            page.locator(".v-select", has_text="Mali (MLI)").wait_for(timeout=TIMEOUT_MS)

            # an experiment: a new run at month 0 with the experiment's knob values
            page.locator(".v-select", has_text="Experiment").click()
            page.locator(".v-menu__content .v-list-item", has_text="russia_overstretched").click()
            page.locator(".sahel-command", has_text="experiment=russia_overstretched").wait_for(timeout=TIMEOUT_MS)
            _wait_month(page, 0)
            page.locator(".v-btn-toggle .v-btn", has_text="RUS").click()
            page.locator(".sahel-knob", has_text="Overstretch").locator(".sahel-knob-value", has_text="0.85").wait_for(
                timeout=TIMEOUT_MS)
            for n in range(1, 4):
                page.get_by_role("button", name="Step").click()
                _wait_month(page, n)
            page.locator(".sahel-date", has_text="August 2024").wait_for(timeout=TIMEOUT_MS)
            time.sleep(0.3)
            _shot(page, "04_experiment")
        finally:
            browser.close()
    origin = url + "/"
    outside = [r for r in requests if not r.startswith((origin, "data:", "blob:"))]
    assert not outside, f"the page fetched from outside the app: {outside[:5]}"
    assert (tmp_path / "server.log").read_text(encoding="utf-8").count("Traceback") == 0


def test_facilitator_page_in_a_browser(sync_playwright, tmp_path):
    requests: list[str] = []
    folder = tmp_path / "games"
    moves = (ROOT / "examples" / "workshop" / "usa_turn1.yaml").read_text(encoding="utf-8")
    with (app_server(tmp_path / "home", log=tmp_path / "server.log", args=["--games-root", str(tmp_path)]) as url,
          sync_playwright() as p):
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(url + "/workshop")
            page.locator(".sahel-title", has_text="Workshop facilitator").wait_for(timeout=LOAD_TIMEOUT_MS)

            # a new game in a temporary folder
            page.get_by_label("Folder of the games", exact=True).fill(str(folder))
            page.get_by_label("Folder of the games", exact=True).press("Enter")
            # (the message of the folder typed; the default folder's may still be on screen a moment)
            page.get_by_text(f"There is no folder {folder} ").wait_for(timeout=TIMEOUT_MS)
            page.get_by_label("Name (its folder, inside the folder of the games)", exact=True).fill("demo")
            page.get_by_label("Turns", exact=True).fill("2")
            page.get_by_role("button", name="Create the game").click()
            page.locator(".sahel-turn", has_text="Turn 1 of 2").wait_for(timeout=TIMEOUT_MS)
            page.locator(".sahel-report-ok", has_text="Created a game in").wait_for(timeout=TIMEOUT_MS)
            assert (folder / "demo" / "game.json").is_file()

            # a refused file, then an accepted one, pasted into the editor
            page.locator("textarea").fill("team: USA\nturn: 1\nallocate:\n  TCD: {security: 99}\n")
            page.get_by_role("button", name="Submit the moves of USA").click()
            page.locator(".sahel-report-error", has_text="pasted text, line 3 (allocate)").wait_for(timeout=TIMEOUT_MS)
            page.locator("textarea").fill(moves)
            page.get_by_role("button", name="Submit the moves of USA").click()
            page.locator(".sahel-report-ok", has_text="Accepted: team USA's moves for turn 1").wait_for(
                timeout=TIMEOUT_MS)
            page.locator(".sahel-teams", has_text="moves submitted").wait_for(timeout=TIMEOUT_MS)

            # adjudicate: the turn's events with their causes, then the facilitator's brief
            page.get_by_role("button", name="Adjudicate turn 1").click()
            page.locator(".sahel-report-ok", has_text="Turn 1 adjudicated").wait_for(timeout=LOAD_TIMEOUT_MS)
            page.locator(".sahel-turn", has_text="Turn 2 of 2").wait_for(timeout=TIMEOUT_MS)
            event = page.locator(".sahel-event", has_text="United States deploys troops to Benin")
            event.wait_for(timeout=TIMEOUT_MS)
            assert "50 troops" in event.inner_text()
            _shot(page, "05_facilitator_turn_adjudicated")
            page.get_by_role("button", name="facilitator", exact=True).click()
            brief = page.frame_locator("iframe.sahel-viewer")
            brief.get_by_text("Facilitator brief: turn 1 of 2").wait_for(timeout=TIMEOUT_MS)
            page.locator(".sahel-viewer-card").scroll_into_view_if_needed()
            time.sleep(0.3)
            _shot(page, "06_facilitator_brief")
        finally:
            browser.close()
    origin = url + "/"
    outside = [r for r in requests if not r.startswith((origin, "data:", "blob:", "about:"))]
    assert not outside, f"the page fetched from outside the app: {outside[:5]}"
    assert (tmp_path / "server.log").read_text(encoding="utf-8").count("Traceback") == 0
