"""The classroom page's accessibility, in-process (solara.render, no browser): every control has an
accessible name, every picture a text alternative that carries its data, the headings are in
order, the date is a live region, and the page's `lang` follows the language switch. The real
browser's accessibility tree is checked in tests/app/test_browser_a11y.py."""

from __future__ import annotations

import ipyvuetify as v
import ipywidgets as widgets
import pytest
import solara
from solara.routing import Router, router_context

from app.page import Page


def _render(search: str = ""):
    @solara.component
    def At():
        router_context.provide(Router("/" + (f"?{search}" if search else ""), []))
        Page()

    _, rc = solara.render(At(), handle_error=False)
    return rc


@pytest.fixture
def rendered():
    rc = _render()
    yield rc
    rc.close()


def _attrs(widget) -> dict:
    return widget.attributes or {}


def _walk(widget):
    """The widget and every widget inside it, in document order (children and Vuetify's slots;
    solara's finder does not look inside a widget it has matched)."""
    yield widget
    inner = list(getattr(widget, "children", None) or [])
    for slot in getattr(widget, "v_slots", None) or []:
        inner += list(slot.get("children") or []) if isinstance(slot.get("children"), list) else [slot.get("children")]
    for child in inner:
        if isinstance(child, widgets.Widget):
            yield from _walk(child)


def _all(rc, cls) -> list:
    return [w for root in rc.find(widgets.Widget).widgets for w in _walk(root) if isinstance(w, cls)]


def _button_name(button: v.Btn) -> str:
    """A button's accessible name: its text, else its aria-label."""
    text = " ".join(c for c in button.children if isinstance(c, str)).strip()
    return text or str(_attrs(button).get("aria-label", "")).strip()


def _pictures(rc) -> list[v.Html]:
    return [w for w in _all(rc, v.Html) if _attrs(w).get("role") == "img"]


def _charts(rc) -> list:
    """The two charts drawn in the browser (app/linechart.vue): their `alt` is the SVG's aria-label
    (role="img"), their `cursor_label` the name of the readout's keyboard cursor (a slider)."""
    return [w for w in rc.find(v.VuetifyTemplate).widgets if w.has_trait("chart")]


def _alts(rc) -> list[str]:
    """The map's, the share chart's and the affinity chart's text alternatives."""
    return [_attrs(p)["aria-label"] for p in _pictures(rc)] + [c.alt for c in _charts(rc)]


def test_every_control_has_a_name(rendered):
    rc = rendered
    buttons = rc.find(v.Btn).widgets
    assert len(buttons) > 30  # header, pickers, map spots, downloads
    assert [b for b in buttons if not _button_name(b)] == []  # no icon-only button without a label
    sliders = rc.find(v.Slider).widgets
    assert len(sliders) == 10 and all(s.label for s in sliders)  # 7 weights + 3 power knobs: Vuetify's aria-label
    assert "Security value" in {s.label for s in sliders}
    fields = [*rc.find(v.Select).widgets, *rc.find(v.TextField).widgets]
    assert len(fields) >= 8 and all(f.label for f in fields)


def test_every_picture_has_a_text_alternative_with_its_data(rendered):
    rc = rendered
    images = rc.find(widgets.Image).widgets
    pictures = _pictures(rc)
    assert len(images) == 1 and len(pictures) == 1  # the map; the two charts are SVG drawn in the browser
    assert all(len(p.children) == 1 and isinstance(p.children[0], widgets.Image) for p in pictures)
    assert [c.chart["kind"] for c in _charts(rc)] == ["share", "affinity"]
    alts = _alts(rc)
    assert alts[0].startswith("Map of the region, May 2024. Each state's leading partner: Niger, ")
    assert alts[1].startswith("Influence share chart, May 2024, highest first: ")
    assert alts[2].startswith("Affinity chart of Niger, May 2024, from −1 to 1, highest first: ")
    assert [c.cursor_label for c in _charts(rc)] == [
        "Influence share of each power: the values of one month (move with the left and right arrow keys)",
        "Niger: affinity to each power: the values of one month (move with the left and right arrow keys)",
    ]
    rc.find(v.Btn, children=["Step"]).widget.click()
    after = _alts(rc)
    assert after[0].startswith("Map of the region, June 2024.") and "the first month" not in after[1]
    assert after[1].startswith("Influence share chart, June 2024")
    rc.find(v.Select, label="State").widget.v_model = "Senegal"
    assert _alts(rc)[2].startswith("Affinity chart of Senegal, June 2024")


def test_headings_are_in_order_and_the_date_is_a_live_region(rendered):
    rc = rendered
    headings = [(w.tag, w.children[0]) for w in _all(rc, v.Html) if w.tag in ("h1", "h2", "h3")]
    assert headings[:2] == [("h1", "Sahel influence"), ("h2", "Leading partners, May 2024")]
    levels = [int(tag[1]) for tag, _ in headings]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))  # no level skipped
    (live,) = [w for w in _all(rc, v.Html) if _attrs(w).get("aria-live") == "polite"]
    assert _attrs(live)["role"] == "status" and _attrs(live)["aria-atomic"] == "true"
    assert [c.children[0] for c in live.children] == ["May 2024", "Month 0"]
    rc.find(v.Btn, children=["Step"]).widget.click()
    (live,) = [w for w in _all(rc, v.Html) if _attrs(w).get("aria-live") == "polite"]
    assert [c.children[0] for c in live.children] == ["June 2024", "Month 1"]


def _app_lang(rc) -> str:
    (app,) = [w for w in _all(rc, v.Html) if "sahel-app" in (w.class_ or "").split()]
    return _attrs(app)["lang"]


def _document_lang(rc) -> str:
    (widget,) = [w for w in rc.find(v.VuetifyTemplate).widgets if w.has_trait("lang")]
    return widget.lang


def test_the_pages_language_follows_the_switch():
    rc = _render()
    try:
        assert _app_lang(rc) == "en" and _document_lang(rc) == "en"
        rc.find(v.Btn, children=["Français"]).widget.click()
        assert _app_lang(rc) == "fr" and _document_lang(rc) == "fr"
        (share,) = [a for a in _alts(rc) if "parts d'influence" in a]
        assert share.startswith("Graphique des parts d'influence, mai 2024")
        assert all(s.label for s in rc.find(v.Slider).widgets)
    finally:
        rc.close()
    rc = _render("lang=fr")
    try:
        assert _app_lang(rc) == "fr" and _document_lang(rc) == "fr"
    finally:
        rc.close()
