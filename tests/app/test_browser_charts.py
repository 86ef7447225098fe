"""The two time charts drawn in the browser (app/linechart.vue) in Chromium: hovering the influence
share chart at a month shows a cursor and a readout whose date and values are the run's share
history at that month (the same run computed here, `RunSession` with the page's default settings);
the keyboard reaches the chart's cursor (a slider) and moves it month by month, and its
`aria-valuetext` says what the readout shows; the lines and the line-end labels follow Step. Run
with the other browser tests (`-m browser`)."""

from __future__ import annotations

import pytest

from app.browser import app_server, launch_chromium
from app.chartdata import SHARE, readout
from app.i18n import month_name
from app.session import RunSession

LOAD_TIMEOUT_MS = 90_000
TIMEOUT_MS = 20_000
MONTHS = 6  # Steps before reading the chart
HOVERED = 3  # the month the test hovers

pytestmark = [pytest.mark.browser]

SHARE_CHART = ".sahel-linechart[data-kind=share]"

#: the screen x of a month on the share chart, from its vertical grid lines at months 0 and 12
MONTH_X = """([selector, month]) => {
  const lines = [...document.querySelector(selector).querySelectorAll('.sahel-lc-grid line')]
    .filter(l => l.getAttribute('x1') === l.getAttribute('x2'))
    .map(l => l.getBoundingClientRect().left);
  return lines[0] + (lines[1] - lines[0]) * month / 12;
}"""

#: what the readout box shows: its date and each power's row (name, value)
READOUT = """(selector) => {
  const box = document.querySelector(selector + ' .sahel-readout');
  if (!box) return null;
  return {date: box.querySelector('.sahel-readout-date').innerText.trim(),
          rows: [...box.querySelectorAll('.sahel-readout-row')].map(r => [
            r.querySelector('.sahel-readout-name').innerText.trim(),
            r.querySelector('.sahel-readout-value').innerText.trim()])};
}"""


def _expected(session: RunSession, month: int) -> dict:
    """The readout the run's history gives at `month`: its date and each power's share, highest first."""
    shares = session.share_history()[month]
    names = dict(zip(session.world.powers, session.world.power_names, strict=True))
    order = sorted(range(len(shares)), key=lambda p: -shares[p])
    return {
        "date": month_name(session.world.date_of(month)),
        "rows": [[names[session.world.powers[p]], readout(SHARE, float(shares[p]))] for p in order],
    }


def test_hovering_the_share_chart_reads_the_runs_shares(sync_playwright, tmp_path):
    session = RunSession()  # the page's default run: the baseline, seed 0
    session.step(MONTHS)
    with app_server(tmp_path / "home", log=tmp_path / "server.log") as url, sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(url)
            page.locator(SHARE_CHART).wait_for(timeout=LOAD_TIMEOUT_MS)
            for month in range(1, MONTHS + 1):
                page.get_by_role("button", name="Step", exact=True).click()
                page.locator(f"{SHARE_CHART}[data-months='{month}']").wait_for(timeout=TIMEOUT_MS)
            chart = page.locator(SHARE_CHART)
            chart.scroll_into_view_if_needed()
            assert page.evaluate(READOUT, SHARE_CHART) is None  # no readout until the pointer is on the chart

            # the line-end labels: each power's latest share, as the run has it
            ends = [t.strip() for t in chart.locator(".sahel-lc-end").all_text_contents()]  # SVG text
            latest = session.share_history()[-1]
            assert ends == [
                f"{n} {readout(SHARE, float(v))}" for n, v in zip(session.world.power_names, latest, strict=True)
            ]

            # hover month 3: the cursor, the date and every power's share at that month
            box = chart.bounding_box()
            x = page.evaluate(MONTH_X, [SHARE_CHART, HOVERED])
            page.mouse.move(x, box["y"] + box["height"] * 0.5)
            page.locator(f"{SHARE_CHART} .sahel-readout").wait_for(timeout=TIMEOUT_MS)
            shown = page.evaluate(READOUT, SHARE_CHART)
            assert shown == _expected(session, HOVERED)
            assert shown["date"] == "August 2024"
            assert chart.locator(".sahel-lc-cursor line").count() == 1
            page.mouse.move(5, 5)  # off the chart: the readout goes
            page.locator(f"{SHARE_CHART} .sahel-readout").wait_for(state="detached", timeout=TIMEOUT_MS)

            # the keyboard: focus the chart's cursor (a slider), Home, then right twice: month 2
            cursor = page.get_by_role(
                "slider",
                name="Influence share of each power: the values of one month (move with the left and right arrow keys)",
            )
            cursor.focus()
            assert cursor.get_attribute("aria-valuenow") == str(MONTHS)  # starts at the latest month
            for key in ("Home", "ArrowRight", "ArrowRight"):
                page.keyboard.press(key)
            assert cursor.get_attribute("aria-valuenow") == "2"
            shown = page.evaluate(READOUT, SHARE_CHART)
            assert shown == _expected(session, 2)
            spoken = cursor.get_attribute("aria-valuetext")
            assert spoken == shown["date"] + ": " + ", ".join(f"{n} {v}" for n, v in shown["rows"])
            outline = page.evaluate("() => parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
            assert outline >= 2  # a visible focus on the chart
            page.keyboard.press("End")
            assert page.evaluate(READOUT, SHARE_CHART) == _expected(session, MONTHS)
        finally:
            browser.close()
