"""A class session in real browsers: the teacher and two groups, each in its own browser context (its
own cookies and storage, as on separate computers), on one `python -m app`. The teacher starts a
session at /class; groups A and B join from the classroom page with its code, A steps the baseline
and B runs an experiment; the teacher's view shows both side by side without a reload; the teacher
shows B's run on the projector view, which follows B as it steps on; a wrong token opens nothing.

Marked `browser` like tests/app/test_browser.py (needs /usr/bin/chromium; SAHEL_SKIP_BROWSER=1
skips) and `slow` (three browser contexts and a server: about a minute).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from app.browser import app_server, launch_chromium
from app.classroom import REFUSED

LOAD_TIMEOUT_MS = 90_000
TIMEOUT_MS = 30_000
ARTIFACTS = Path(os.environ.get("SAHEL_APP_ARTIFACTS", Path(__file__).resolve().parent / "artifacts"))

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _wait_month(page, n: int) -> None:
    page.locator(".sahel-month", has_text=re.compile(rf"^Month {n}$")).wait_for(timeout=TIMEOUT_MS)


def _step(page, months: int, start: int) -> None:
    for n in range(start + 1, start + months + 1):
        page.get_by_role("button", name="Step").click()
        _wait_month(page, n)


def test_a_teacher_and_two_groups(sync_playwright, tmp_path):
    with app_server(tmp_path / "home", log=tmp_path / "server.log") as url, sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            teacher = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
            teacher.goto(url + "/class")
            teacher.get_by_role("button", name="Start a class session").click(timeout=LOAD_TIMEOUT_MS)
            code = teacher.locator(".sahel-class-code").inner_text(timeout=TIMEOUT_MS)
            assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", code)
            teacher.get_by_text("No group has joined yet.").wait_for(timeout=TIMEOUT_MS)

            groups = {}
            for name in ("A", "B"):
                page = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
                page.goto(url)
                page.locator(".sahel-date", has_text="May 2024").wait_for(timeout=LOAD_TIMEOUT_MS)
                page.get_by_label("Class code", exact=True).fill(code.lower())
                page.get_by_label("Group name", exact=True).fill(name)
                page.get_by_role("button", name="Join").click()
                page.locator(".sahel-join-in", has_text=f"as group {name}").wait_for(timeout=TIMEOUT_MS)
                groups[name] = page

            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            groups["A"].screenshot(path=str(ARTIFACTS / "11_class_group_joined.png"))

            # A steps the baseline; B picks an experiment (a new run) and steps
            _step(groups["A"], 3, 0)
            b = groups["B"]
            b.locator(".v-select", has_text="Experiment").click()
            b.locator(".v-menu__content .v-list-item", has_text="russia_overstretched").click()
            b.locator(".sahel-command", has_text="experiment=russia_overstretched").wait_for(timeout=TIMEOUT_MS)
            _step(b, 2, 0)

            # the teacher's view shows both, side by side, without a reload
            card_a = teacher.locator(".sahel-class-card", has_text="Group A")
            card_b = teacher.locator(".sahel-class-card", has_text="Group B")
            card_a.locator(".sahel-class-date", has_text="August 2024").wait_for(timeout=TIMEOUT_MS)
            card_b.locator(".sahel-class-date", has_text="July 2024").wait_for(timeout=TIMEOUT_MS)
            assert "experiment=russia_overstretched" in card_b.inner_text()
            assert "russia_overstretched" not in card_a.inner_text()
            assert "leading partner" in card_a.inner_text() and "Influence share" in card_a.inner_text()
            box_a, box_b = card_a.bounding_box(), card_b.bounding_box()
            assert box_a and box_b and abs(box_a["y"] - box_b["y"]) < 2 and box_b["x"] > box_a["x"]  # side by side
            teacher.screenshot(path=str(ARTIFACTS / "09_class_teacher.png"))

            # B's run on the projector view, which follows B
            with teacher.context.expect_page() as opened:
                card_b.get_by_role("link", name="Show on the projector").click()
            projector = opened.value
            projector.locator(".sahel-class-show-title", has_text="Group B: July 2024 (month 2)").wait_for(
                timeout=LOAD_TIMEOUT_MS
            )
            projector.locator(".sahel-picture img").nth(1).wait_for(timeout=TIMEOUT_MS)
            assert projector.get_by_role("button", name="Step").count() == 0  # read-only
            assert "experiment=russia_overstretched" in projector.locator(".sahel-class-card").inner_text()
            _step(b, 1, 2)
            projector.locator(".sahel-class-show-title", has_text="Group B: August 2024 (month 3)").wait_for(
                timeout=TIMEOUT_MS
            )
            projector.screenshot(path=str(ARTIFACTS / "10_class_projector.png"))

            # the projector's link opens the projector view only; a changed token opens nothing
            fields = parse_qs(urlsplit(projector.url).query)
            token = fields["token"][0]
            wrong = browser.new_context().new_page()
            wrong.goto(f"{url}/class?code={fields['code'][0]}&token={token}")
            wrong.get_by_text(REFUSED).wait_for(timeout=LOAD_TIMEOUT_MS)
            wrong.goto(projector.url.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B")))
            wrong.get_by_text(REFUSED).wait_for(timeout=LOAD_TIMEOUT_MS)
            assert wrong.locator(".sahel-class-card").count() == 0
        finally:
            browser.close()
    log = (tmp_path / "server.log").read_text(encoding="utf-8")
    assert "Traceback" not in log and token not in log
