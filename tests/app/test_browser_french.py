"""The page in French in a real browser (markers browser and slow): `python -m app` in a subprocess,
Debian's headless Chromium. The English page's **Français** button switches the header, the cards,
the names and the dates to French and puts lang=fr in the address; a Step gives a French date and
French event headlines with the model's detail marked as English; the address opened in another
context opens in French; **English** switches back; the Info panel links lesson 1 in French."""

from __future__ import annotations

import re

import pytest

from app.browser import app_server, launch_chromium
from tests.app.test_browser import LOAD_TIMEOUT_MS, TIMEOUT_MS, _shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _wait_text(page, css: str, text: str) -> None:
    page.locator(css, has_text=re.compile(rf"^{re.escape(text)}$")).wait_for(timeout=TIMEOUT_MS)


def test_switching_the_page_to_french_and_back(sync_playwright, tmp_path):
    with app_server(tmp_path / "home", log=tmp_path / "server.log") as url, sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            page = context.new_page()
            page.goto(url)
            page.locator(".sahel-date").wait_for(timeout=LOAD_TIMEOUT_MS)
            _wait_text(page, ".sahel-month", "Month 0")

            page.get_by_role("button", name="Français").click()
            _wait_text(page, ".sahel-month", "Mois 0")
            _wait_text(page, ".sahel-date", "mai 2024")
            page.get_by_role("button", name="Avancer").wait_for(timeout=TIMEOUT_MS)
            assert page.get_by_role("button", name="Step").count() == 0
            page.wait_for_function("() => location.search.includes('lang=fr')", timeout=TIMEOUT_MS)
            assert page.locator(".sahel-map-title").inner_text() == "Partenaires principaux, mai 2024"
            assert "Partenaire principal" in page.locator(".sahel-facts").inner_text()
            assert page.title() == "Influence au Sahel\u00a0: la classe"
            page.get_by_role("button", name="Copier le lien").wait_for(timeout=TIMEOUT_MS)

            for n in range(1, 5):
                page.get_by_role("button", name="Avancer").click()
                _wait_text(page, ".sahel-month", f"Mois {n}")
            _wait_text(page, ".sahel-date", "septembre 2024")
            feed = page.locator(".sahel-events")
            feed.get_by_text("les dernières forces des États-Unis sont parties").first.wait_for(timeout=TIMEOUT_MS)
            assert "détail du modèle (en anglais)" in feed.inner_text()
            _shot(page, "french_01_month4")

            # the address keeps the language: another user opening it gets the French page at month 4
            other = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
            other.goto(page.url)
            _wait_text(other, ".sahel-month", "Mois 4")
            _wait_text(other, ".sahel-date", "septembre 2024")

            page.get_by_role("button", name="Infos").click()
            link = page.locator(".sahel-lessons a").first
            link.wait_for(timeout=TIMEOUT_MS)
            assert link.inner_text().startswith("Leçon 1\u00a0: Pourquoi")
            assert link.get_attribute("href") == "lessons/1?lang=fr"
            lesson = context.new_page()
            lesson.goto(f"{url}/lessons/1?lang=fr")
            lesson.get_by_role("heading", name=re.compile("^Leçon 1")).wait_for(timeout=LOAD_TIMEOUT_MS)
            assert "Objectifs d'apprentissage" in lesson.locator(".sahel-lesson").inner_text()

            page.get_by_role("button", name="English").click()
            _wait_text(page, ".sahel-month", "Month 4")
            _wait_text(page, ".sahel-date", "September 2024")
            page.wait_for_function("() => !location.search.includes('lang=')", timeout=TIMEOUT_MS)
        finally:
            browser.close()
