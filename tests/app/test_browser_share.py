"""Share and keep in a real browser (markers browser and slow): `python -m app` in a subprocess,
Debian's headless Chromium. A run is set up (a seed, a slider, Reset, four Steps), its link copied
with **Copy link**; the link opened in a separate browser context (another user) shows the same run
at the same month (date, command line, event feed, Why? table, the share chart's picture); a reload
keeps it; a tampered link shows one message and the default run; the events table downloads as CSV."""

from __future__ import annotations

import csv
import io
import re
import time

import pytest

from app.browser import app_server, launch_chromium
from app.share import from_query
from tests.app.test_browser import LOAD_TIMEOUT_MS, TIMEOUT_MS, _picture, _shot, _wait_month

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _state(page) -> dict[str, object]:
    """What shows which run it is, and where it has got to."""
    return {
        "date": page.locator(".sahel-date").inner_text(),
        "month": page.locator(".sahel-month").inner_text(),
        "command": page.locator(".sahel-command").inner_text(),
        "events": page.locator(".sahel-events").inner_text(),
        "why": page.locator(".sahel-why-scroll").inner_text(),
        "share": _picture(page, 1),
    }


def _steady_state(page, like: dict[str, object] | None = None) -> dict[str, object]:
    """_state once the pictures have caught up with the date (they follow it): two reads 0.3 s apart
    that agree, or, given `like`, a read equal to it; the last read when TIMEOUT_MS runs out."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    last = _state(page)
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = _state(page)
        if (now == like) if like is not None else (now == last):
            return now
        last = now
    return last


def _open(context, url: str):
    page = context.new_page()
    page.goto(url)
    page.locator(".sahel-date").wait_for(timeout=LOAD_TIMEOUT_MS)
    page.locator(".sahel-picture img").nth(2).wait_for(timeout=TIMEOUT_MS)
    return page


def test_a_copied_link_opens_the_same_run(sync_playwright, tmp_path):
    with app_server(tmp_path / "home", log=tmp_path / "server.log") as url, sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            viewport = {"width": 1600, "height": 1000}
            teacher = browser.new_context(viewport=viewport)
            teacher.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
            page = _open(teacher, url)

            # a run of our own: seed 7, junta sovereignty moved with the keyboard, Reset, four Steps
            seed = page.get_by_role("textbox", name="Seed")
            seed.fill("7")
            seed.press("Enter")
            page.locator(".v-slider").nth(3).click()  # the slider's middle: junta sovereignty 2.5
            page.get_by_role("button", name="Reset").click()
            page.locator(".sahel-command", has_text="seed=7 incentives.junta.sovereignty=").wait_for(timeout=TIMEOUT_MS)
            for n in range(1, 5):
                page.get_by_role("button", name="Step").click()
                _wait_month(page, n)
            page.wait_for_function("() => location.search.includes('month=4')", timeout=TIMEOUT_MS)

            page.get_by_role("button", name="Copy link").click()
            page.get_by_role("button", name="Link copied").wait_for(timeout=TIMEOUT_MS)
            link = page.evaluate("() => navigator.clipboard.readText()")
            assert link == page.url and link.startswith(url + "/?")
            shared = from_query(link.split("?", 1)[1])
            assert shared.problems == () and shared.month == 4 and shared.settings.seed == 7
            assert shared.settings.weights["junta"]["sovereignty"] != 1.2  # the slider's value is in the link
            before = _steady_state(page)
            _shot(page, "share_01_teacher")

            # the link in another browser context (another student): the same run at the same month
            student = browser.new_context(viewport=viewport)
            other = _open(student, link)
            _wait_month(other, 4)
            other.locator(".sahel-event").first.wait_for(timeout=TIMEOUT_MS)
            # the same run: every text the same; the share chart the same picture size (its pixels may
            # differ with the tab's drawing history: one tab stepped month by month, the other jumped)
            after = _steady_state(other, like=before)
            assert {k: v for k, v in after.items() if k != "share"} == {k: v for k, v in before.items() if k != "share"}
            assert after["share"][16:24] == before["share"][16:24]  # the PNG's width and height
            _shot(other, "share_02_student")

            # a reload keeps the run
            other.reload()
            other.locator(".sahel-date").wait_for(timeout=LOAD_TIMEOUT_MS)
            _wait_month(other, 4)
            assert other.url == link
            assert other.locator(".sahel-command").inner_text() == before["command"]

            # the events table as CSV: one row per event of the run
            with other.expect_download() as download:
                other.locator(".sahel-downloads").get_by_text("events.csv").click()
            assert download.value.suggested_filename.endswith("-seed7-month4-events.csv")
            rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
            assert len(rows) == other.locator(".sahel-event").count() and {"step", "type"} <= set(rows[0])

            # a tampered link: one message, the default run, never a traceback
            bad = _open(student, url + "/?seed=abc&junta.sovereignty=99&month=2")
            bad.locator(".v-alert", has_text="This link's settings could not all be used").wait_for(timeout=TIMEOUT_MS)
            _wait_month(bad, 2)
            text = bad.locator(".v-alert").first.inner_text()
            assert "seed 'abc' is not a whole number" in text and "junta.sovereignty '99'" in text
            assert "Traceback" not in bad.locator("body").inner_text()
            assert re.search(r"seed=0&month=2$", bad.url)
            _shot(bad, "share_03_bad_link")
        finally:
            browser.close()
