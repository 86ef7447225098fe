"""Many histories and the control of time in a real browser (marker browser): `python -m app` in a
subprocess, Debian's headless Chromium. Runs to month 36, plays at another speed, filters the event
feed, clicks a capital on the map, runs ten histories and compares two settings side by side; the
page's sentence must be the one computed from the batched driver with the same seeds."""

from __future__ import annotations

import re
import time

import pytest

from app.browser import app_server, launch_chromium
from app.ensemble import leader_sentence, run_ensemble
from app.settings import scenario_defaults
from tests.app.test_browser import LOAD_TIMEOUT_MS, TIMEOUT_MS, _month, _shot, _wait_month

pytestmark = pytest.mark.browser
ENSEMBLE_TIMEOUT_MS = 60_000


def _pick(page, label: str, option: str) -> None:
    page.locator(".v-select", has_text=label).click()
    page.locator(".v-menu__content:visible .v-list-item", has_text=re.compile(rf"^\s*{re.escape(option)}\s*$")).click()


def test_many_histories_and_run_to_month(sync_playwright, tmp_path):
    expected = leader_sentence(run_ensemble(scenario_defaults(), 10, 36), 36, "TCD")
    with app_server(tmp_path / "home", log=tmp_path / "server.log") as url, sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(url)
            page.locator(".sahel-date", has_text="May 2024").wait_for(timeout=LOAD_TIMEOUT_MS)

            # run to month 36 at once
            field = page.locator(".sahel-run-to input")
            field.fill("36")
            field.press("Tab")
            page.locator(".sahel-run-to .v-btn").click()
            _wait_month(page, 36)
            page.locator(".sahel-date", has_text="May 2027").wait_for(timeout=TIMEOUT_MS)

            # play at the fastest speed, then pause
            _pick(page, "Speed", "fastest (10 months / s)")
            page.get_by_role("button", name="Play").click()
            # at least month 40: under load the page may draw two months at once and skip 40 itself
            page.wait_for_function(
                "() => { const m = document.querySelector('.sahel-month');"
                " return m && /^Month \\d+$/.test(m.innerText) && parseInt(m.innerText.split(' ')[1]) >= 40; }",
                timeout=TIMEOUT_MS,
            )
            page.get_by_role("button", name="Pause").click()
            time.sleep(0.5)
            assert int(_month(page).split()[1]) >= 40

            # a click on Chad's capital picks Chad
            page.locator(".sahel-map-spot", has_text="Chad").click()
            page.locator(".sahel-why", has_text="How Chad's government").wait_for(timeout=TIMEOUT_MS)

            # the event feed filtered to Niger's coup attempts
            _pick(page, "Events of", "Niger")
            _pick(page, "Kind", "coup attempt")
            page.wait_for_function(
                "() => { const h = [...document.querySelectorAll('.sahel-event-headline')];"
                " return h.length > 0 && h.every(e => e.textContent === 'Coup attempt fails in Niger'); }",
                timeout=TIMEOUT_MS,
            )
            headlines = page.locator(".sahel-event-headline").all_inner_texts()
            assert headlines and set(headlines) == {"Coup attempt fails in Niger"}
            _shot(page, "ens_01_run_to_36")

            # many histories: ten seeds of the current settings, the page's sentence from run_batch
            page.get_by_role("button", name="Many histories").click()
            page.get_by_role("button", name="Run histories").click()
            page.locator(".sahel-ens-sentence", has_text=expected).wait_for(timeout=ENSEMBLE_TIMEOUT_MS)
            assert page.locator(".sahel-ens-panel img").count() == 1
            _shot(page, "ens_02_ten_histories")

            # two settings side by side
            _pick(page, "Compare with", "us_stays")
            page.get_by_role("button", name="Run histories").click()
            page.locator(".sahel-ens-panel", has_text="experiment us_stays").wait_for(timeout=ENSEMBLE_TIMEOUT_MS)
            assert page.locator(".sahel-ens-panel img").count() == 2
            boxes = [page.locator(".sahel-ens-panel").nth(i).bounding_box() for i in range(2)]
            assert boxes[0] and boxes[1] and boxes[1]["x"] > boxes[0]["x"]  # beside, not below
            _shot(page, "ens_03_side_by_side")
        finally:
            browser.close()
    assert (tmp_path / "server.log").read_text(encoding="utf-8").count("Traceback") == 0
