"""The classroom page's accessibility in a real browser (Chromium's accessibility tree, through
Playwright's roles and names): the main controls are reachable by role and name, the pictures (the
map's PNG, the charts' SVG) are images named by their text alternatives, each chart has its
readout's cursor (a named slider), the date is a status region that changes after Step, the
headings are in order, `<html lang>` follows the language switch, and Tab moves a visible focus
(a 3 px outline on each element it reaches). Run with the other browser tests (`-m browser`)."""

from __future__ import annotations

import re

import pytest

from app.browser import app_server, launch_chromium

LOAD_TIMEOUT_MS = 90_000
TIMEOUT_MS = 20_000
TAB_STOPS = 30  # the header, the class-session card, the scenario pickers and the first sliders
MIN_OUTLINE_PX = 2.0

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: what the focused element shows: its name, and its focus outline (or a box shadow, Vuetify's)
FOCUSED = """() => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  return {tag: e.tagName, name: (e.getAttribute('aria-label') || e.innerText || e.value || '').trim().slice(0, 40),
          outline: s.outlineStyle, width: parseFloat(s.outlineWidth), inApp: !!e.closest('.sahel-app'),
          visible: e.getClientRects().length > 0};
}"""


def test_the_page_by_role_and_name_and_by_keyboard(sync_playwright, tmp_path):
    with app_server(tmp_path / "home", log=tmp_path / "server.log") as url, sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(url)
            page.locator(".sahel-date").wait_for(timeout=LOAD_TIMEOUT_MS)
            page.locator(".sahel-linechart[data-kind=affinity]").wait_for(timeout=TIMEOUT_MS)

            # the main controls, found as a screen reader finds them
            for name in (
                "Step",
                "Play",
                "Reset",
                "Run to",
                "Many histories",
                "Info",
                "Present",
                "Print handout",
                "Copy link",
                "Français",
                "Scenario values",
                "Juntas",
                "Russia",
            ):
                assert page.get_by_role("button", name=name, exact=True).count() == 1, name
            for name in ("Seed", "Run to month", "Class code", "Group name"):
                assert page.get_by_role("textbox", name=name, exact=True).count() == 1, name
            for name in ("Security value", "Sovereignty cost", "Budget factor", "Overstretch"):
                assert page.get_by_role("slider", name=name, exact=True).count() == 1, name
            assert page.get_by_role("group", name="Pick a state on the map").get_by_role("button").count() == 19
            assert page.get_by_role("heading", level=1, name="Sahel influence").count() == 1
            assert page.get_by_role("heading", level=2, name="Leading partners, May 2024").count() == 1

            # the pictures: images named by their data; their inner <img> hidden (alt="")
            map_image = page.get_by_role(
                "img",
                name=re.compile(
                    r"^Map of the region, May 2024\. Each state's "
                    r"leading partner: Niger, "
                ),
            )
            assert map_image.count() == 1
            assert (
                page.get_by_role(
                    "img",
                    name=re.compile(
                        r"^Influence share chart, May 2024, highest first: "
                        r"\S"
                    ),
                ).count()
                == 1
            )
            assert page.get_by_role("img", name=re.compile(r"^Affinity chart of Niger, May 2024")).count() == 1
            page.wait_for_function(
                "() => [...document.querySelectorAll('.sahel-alt-image img')].every(i => i.getAttribute('alt') === '')",
                timeout=TIMEOUT_MS,
            )
            assert page.get_by_role("img").count() == 3  # the three named ones; no unnamed image left
            # each chart's readout cursor: a slider named after its chart (arrow keys move it)
            assert page.get_by_role("slider", name=re.compile(r": the values of one month")).count() == 2

            # the date is a status region (polite): it says the new month after Step
            status = page.get_by_role("status", name="Date of the run")
            assert status.inner_text().split() == ["May", "2024", "Month", "0"]
            page.get_by_role("button", name="Step", exact=True).click()
            page.get_by_role("status", name="Date of the run").filter(has_text="June 2024").wait_for(timeout=TIMEOUT_MS)
            assert status.get_attribute("aria-live") == "polite"
            page.get_by_role("img", name=re.compile(r"^Map of the region, June 2024\.")).wait_for(timeout=TIMEOUT_MS)

            # Tab moves a visible focus through the page, in order from the header
            page.locator("body").click(position={"x": 2, "y": 2})
            stops = []
            for _ in range(TAB_STOPS):
                page.keyboard.press("Tab")
                stops.append(page.evaluate(FOCUSED))
            assert stops[0]["name"] == "Step" and stops[1]["name"] == "Play"
            unseen = [
                s for s in stops if not (s["visible"] and s["outline"] != "none" and s["width"] >= MIN_OUTLINE_PX)
            ]
            assert not unseen, f"focus without a visible outline: {unseen}"
            assert all(s["inApp"] for s in stops)
            assert {"Reset", "Info", "Copy link", "Security value"} <= {s["name"] for s in stops}

            # the page's language: <html lang> and the app's lang follow the switch
            assert page.evaluate("document.documentElement.lang") == "en"
            page.get_by_role("button", name="Français", exact=True).click()
            page.get_by_role("button", name="Avancer", exact=True).wait_for(timeout=TIMEOUT_MS)
            page.wait_for_function("() => document.documentElement.lang === 'fr'", timeout=TIMEOUT_MS)
            # the app's own lang comes in another widget update than <html lang> (a loaded CI run read it
            # between the two): wait for it rather than read it at once
            page.locator(".sahel-app[lang='fr']").wait_for(timeout=TIMEOUT_MS)
            page.get_by_role("img", name=re.compile(r"^Graphique des parts d'influence, juin 2024")).wait_for(
                timeout=TIMEOUT_MS
            )
        finally:
            browser.close()
