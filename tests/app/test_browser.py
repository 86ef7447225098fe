"""The classroom app in a real browser: `python -m app` in a subprocess, Debian's headless
Chromium driven by Playwright. Loads the page, moves a slider, steps, plays, picks an experiment,
checks that the date, the charts and the event feed change and that every request stayed on this
machine, and saves screenshots. A second test opens the workshop facilitator's page (/workshop),
creates a game in a temporary folder, submits a pasted move file, adjudicates a turn, sees its
events and shows the facilitator's brief. A third measures the classroom page in the rooms it is
made for (1024x768, 1366x768, 1920x1080, a tablet and a phone: the map and chart sizes, the header
kept on screen, the settings drawer), its presentation mode and print handout, and opens the Info
panel, a tooltip and the why panel.

Screenshots go to $SAHEL_APP_ARTIFACTS (default tests/app/artifacts/, git-ignored). Without
Chromium the test fails (CI installs it with `make browser`); set SAHEL_SKIP_BROWSER=1 to skip it.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from app.browser import ROOT, app_server, launch_chromium

ARTIFACTS = Path(os.environ.get("SAHEL_APP_ARTIFACTS", Path(__file__).resolve().parent / "artifacts"))
LOAD_TIMEOUT_MS = 90_000
TIMEOUT_MS = 20_000

pytestmark = pytest.mark.browser


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
                timeout=TIMEOUT_MS
            )

            # Step several times: the date advances, the charts and the event feed change
            for n in range(1, 7):
                page.get_by_role("button", name="Step").click()
                _wait_month(page, n)
            page.locator(".sahel-date", has_text="November 2024").wait_for(timeout=TIMEOUT_MS)
            page.locator(".sahel-event", has_text="The last United States forces leave Niger").wait_for(
                timeout=TIMEOUT_MS
            )
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
            page.locator(".v-select", has_text="Niger").click()
            page.locator(".v-menu__content .v-list-item", has_text="Mali").click()
            page.locator(".sahel-facts", has_text="junta").wait_for(timeout=TIMEOUT_MS)
            page.locator(".v-select", has_text="Mali").wait_for(timeout=TIMEOUT_MS)

            # an experiment: a new run at month 0 with the experiment's knob values
            page.locator(".v-select", has_text="Experiment").click()
            page.locator(".v-menu__content .v-list-item", has_text="russia_overstretched").click()
            page.locator(".sahel-command", has_text="experiment=russia_overstretched").wait_for(timeout=TIMEOUT_MS)
            _wait_month(page, 0)
            page.locator(".v-btn-toggle .v-btn", has_text="Russia").click()
            page.locator(".sahel-knob", has_text="Overstretch").locator(".sahel-knob-value", has_text="0.85").wait_for(
                timeout=TIMEOUT_MS
            )
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
    with (
        app_server(tmp_path / "home", log=tmp_path / "server.log", args=["--games-root", str(tmp_path)]) as url,
        sync_playwright() as p,
    ):
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
                timeout=TIMEOUT_MS
            )
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


#: The windows the page is made for, and the smallest map and chart (width, height in CSS pixels)
#: each must keep: a projector at 1024x768 and 1366x768, a full HD screen, a tablet and a phone.
ROOMS = {
    "projector 1024x768": ((1024, 768), (460, 350), (360, 230)),
    "laptop 1366x768": ((1366, 768), (460, 350), (360, 230)),
    "full HD 1920x1080": ((1920, 1080), (700, 540), (550, 350)),
    "tablet 768x1024": ((768, 1024), (640, 490), (640, 410)),
    "phone 390x844": ((390, 844), (320, 245), (320, 200)),
}
#: the drawer holds the controls below this width (app/style.css)
DRAWER_BELOW_PX = 1200
_MEASURE = """() => {
  const box = e => { if (!e) return null; const b = e.getBoundingClientRect();
    return {w: Math.round(b.width), h: Math.round(b.height), top: Math.round(b.top), bottom: Math.round(b.bottom)}; };
  const shown = e => e !== null && e.getBoundingClientRect().width > 0;
  return {pictures: [...document.querySelectorAll('.sahel-picture img')].map(box),
          step: box(document.querySelector('.sahel-header .v-btn')),
          date: box(document.querySelector('.sahel-date')),
          controls: shown(document.querySelector('.sahel-controls')),
          lower: shown(document.querySelector('.sahel-lower')),
          page_width: document.documentElement.scrollWidth};
}"""


def _load(page, url: str) -> None:
    page.goto(url + "/")
    page.locator(".sahel-date", has_text="May 2024").wait_for(timeout=LOAD_TIMEOUT_MS)
    page.locator(".sahel-picture img").nth(2).wait_for(timeout=TIMEOUT_MS)


def _settled(page) -> dict:
    page.wait_for_function(
        "() => [...document.querySelectorAll('.sahel-picture img')].every(i => i.complete && i.naturalWidth > 0)",
        timeout=TIMEOUT_MS,
    )
    time.sleep(0.3)
    return page.evaluate(_MEASURE)


def test_classroom_page_in_the_rooms_it_is_made_for(sync_playwright, tmp_path):
    measured: dict[str, dict] = {}
    with app_server(tmp_path / "home", log=tmp_path / "server.log") as url, sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            for room, ((width, height), (map_w, map_h), (chart_w, chart_h)) in ROOMS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                _load(page, url)
                page.get_by_role("button", name="Step").click()
                _wait_month(page, 1)
                m = _settled(page)
                (mp, share, affinity) = m["pictures"]
                assert mp["w"] >= map_w and mp["h"] >= map_h, (room, mp)
                for chart in (share, affinity):
                    assert chart["w"] >= chart_w and chart["h"] >= chart_h, (room, chart)
                assert m["page_width"] <= width, f"{room}: the page scrolls sideways ({m['page_width']} px)"
                assert m["controls"] == (width >= DRAWER_BELOW_PX), room
                _shot(page, f"room_{width}x{height}")
                # scrolled to the bottom, the date and Step stay on screen
                page.mouse.wheel(0, 20_000)
                time.sleep(0.5)
                scrolled = page.evaluate(_MEASURE)
                assert 0 <= scrolled["step"]["top"] and scrolled["step"]["bottom"] <= height, (room, scrolled["step"])
                assert 0 <= scrolled["date"]["top"] < height / 4, (room, scrolled["date"])
                page.get_by_role("button", name="Step").click()
                _wait_month(page, 2)
                if width < DRAWER_BELOW_PX:  # the controls open in a drawer, and close again
                    page.get_by_role("button", name="Settings").click()
                    page.locator(".sahel-knob", has_text="Sovereignty cost").wait_for(timeout=TIMEOUT_MS)
                    _shot(page, f"room_{width}x{height}_drawer")
                    page.get_by_role("button", name="Close the settings").click()
                    page.locator(".sahel-controls").wait_for(state="hidden", timeout=TIMEOUT_MS)
                measured[room] = {"map": [mp["w"], mp["h"]], "chart": [share["w"], share["h"]]}
                page.close()

            page = browser.new_page(viewport={"width": 1366, "height": 768})
            _load(page, url)
            page.get_by_role("button", name="Step").click()
            _wait_month(page, 1)
            normal = _settled(page)

            # presentation mode: a larger map and one chart, nothing else
            page.get_by_role("button", name="Present").click()
            page.get_by_role("button", name="Leave presentation").wait_for(timeout=TIMEOUT_MS)
            shown = _settled(page)
            assert shown["pictures"][0]["w"] > normal["pictures"][0]["w"] * 1.3
            assert shown["pictures"][0]["bottom"] <= 768, "the map must fit the window in presentation mode"
            assert shown["pictures"][1]["w"] > normal["pictures"][1]["w"] and shown["pictures"][2]["w"] == 0
            assert not shown["controls"] and not shown["lower"]
            measured["presentation 1366x768"] = {
                "map": [shown["pictures"][0]["w"], shown["pictures"][0]["h"]],
                "chart": [shown["pictures"][1]["w"], shown["pictures"][1]["h"]],
            }
            _shot(page, "room_presentation_1366x768")
            page.get_by_role("button", name="Leave presentation").click()
            page.get_by_role("button", name="Present").wait_for(timeout=TIMEOUT_MS)

            # the Info panel, with links to the lessons, which open as pages of the app
            page.get_by_role("button", name="Info").click()
            info = page.locator(".sahel-info")
            for heading in ("What is it?", "How it works", "Things to notice", "Things to try"):
                info.get_by_text(heading, exact=True).wait_for(timeout=TIMEOUT_MS)
            link = info.get_by_role("link", name=re.compile("^Lesson 1: "))
            assert link.get_attribute("target") == "_blank"
            _shot(page, "room_info")
            lesson = browser.new_page(viewport={"width": 1366, "height": 768})
            lesson.goto(url + "/lessons/1")
            lesson.get_by_text("Lesson 1: Why did the Sahel's juntas turn to Russia?").wait_for(timeout=LOAD_TIMEOUT_MS)
            lesson.close()
            page.get_by_role("button", name="Close info").first.click()
            info.wait_for(state="detached", timeout=TIMEOUT_MS)

            # a slider's tooltip is its parameter's documentation
            page.locator(".sahel-knob-head", has_text="Sovereignty cost").hover()
            tip = page.locator(".v-tooltip__content", has_text="incentives.junta.sovereignty")
            tip.wait_for(timeout=TIMEOUT_MS)
            assert "cost of visible foreign presence" in tip.inner_text().lower()
            _shot(page, "room_tooltip")

            # the why panel: the seven terms of Niger's scores, with full names
            why = page.locator(".sahel-why")
            why.scroll_into_view_if_needed()
            table = why.locator(".sahel-why-table")
            assert table.is_visible()
            for header in ("Security value", "Regime protection", "Conditionality cost", "Total"):
                assert table.locator("th", has_text=header).count() == 1
            assert table.locator("tbody tr").count() == 5
            assert table.locator("th", has_text="United States").is_visible()
            _shot(page, "room_why")

            # Print handout: window.print, and a print layout with the map, charts, events and settings
            page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
            page.get_by_role("button", name="Print handout").click()
            assert page.evaluate("() => window.__printed") == 1
            page.emulate_media(media="print")
            for css in (".sahel-map img", ".sahel-chart img", ".sahel-events", ".sahel-why-table", ".sahel-settings"):
                assert page.locator(css).first.is_visible(), css
            assert not page.locator(".sahel-controls").is_visible()
            assert not page.get_by_role("button", name="Step").is_visible()
            pdf = page.pdf(format="A4")
            pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
            measured["handout A4 pages"] = pages
            assert 1 <= pages <= 3
            page.emulate_media(media="screen")
        finally:
            browser.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "room_sizes.json").write_text(json.dumps(measured, indent=1), encoding="utf-8")
    print(json.dumps(measured))
    assert (tmp_path / "server.log").read_text(encoding="utf-8").count("Traceback") == 0
