"""The page rendered in-process with solara.render (no browser): buttons, sliders, pickers, the
live view, and that each rendered page has a run of its own."""

from __future__ import annotations

import time

import ipyvuetify as v
import ipywidgets as widgets
import pytest
import reacton.core
import solara

import app.page as page_module
from app.page import Page

#: A Step's widget updates: the date, Step, the link, the map, the charts, the cards' texts and the
#: downloads' names are about 55; reacton's default renderer updates every widget of the page (1,953)
MOST_WIDGETS_A_STEP = 100
#: Components whose props do not change in a Step: a Step must not run them again
UNCHANGED_BY_A_STEP = (
    "Page",
    "Header",
    "Help",
    "LanguageSwitch",
    "Controls",
    "ScenarioCard",
    "WeightsCard",
    "PowersCard",
    "Knob",
    "Legend",
    "MapKey",
    "MapTargets",
    "StatePicker",
    "EventFilters",
    "JoinCard",
)
WEIGHT_SLIDERS = 7  # the first sliders on the page are the seven incentive weights, in TERMS order
SOVEREIGNTY = 3


@pytest.fixture
def rendered():
    """A rendered Page and its render context, closed afterwards."""
    box, rc = solara.render(Page(), handle_error=False)
    yield rc
    rc.close()


def _texts(rc, css_class: str) -> list[str]:
    return [w.children[0] for w in rc.find(v.Html, class_=css_class).widgets]


def _html(rc, css_class: str) -> str:
    (widget,) = [w for w in rc.find(solara.widgets.HTML).widgets if w.attributes.get("class") == css_class]
    return widget.unsafe_innerHTML


def _click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()


def _choose_power(rc, name: str) -> None:
    """Press a power's button (labelled with its full name) in the power selector (in-process, the
    toggle's index is set)."""
    toggle = rc.find(v.BtnToggle).widgets[1]  # the first toggle picks the regime, the second the power
    toggle.v_model = [b.children[0] for b in toggle.children].index(name)


def _images(rc) -> list[bytes]:
    return [bytes(w.value) for w in rc.find(widgets.Image).widgets]


def _charts(rc) -> dict[str, dict]:
    """The two charts the browser draws (app/linechart.vue), by kind: the data the page sends them."""
    return {w.chart["kind"]: w.chart for w in rc.find(v.VuetifyTemplate).widgets if hasattr(w, "chart")}


def test_step_moves_the_date_and_redraws(rendered):
    rc = rendered
    assert _texts(rc, "sahel-date") == ["May 2024"] and _texts(rc, "sahel-month") == ["Month 0"]
    before = _images(rc)
    assert len(before) == 1  # the map; the two charts are drawn in the browser from data
    charts = _charts(rc)
    assert set(charts) == {"share", "affinity"} and [len(c["dates"]) for c in charts.values()] == [1, 1]
    for _ in range(5):
        _click(rc, "Step")
    assert _texts(rc, "sahel-date") == ["October 2024"] and _texts(rc, "sahel-month") == ["Month 5"]
    assert _images(rc) != before
    charts = _charts(rc)
    assert [len(c["dates"]) for c in charts.values()] == [6, 6] and charts["share"]["dates"][-1] == "October 2024"
    assert "The last United States forces leave Niger" in _html(rc, "sahel-events")


def test_a_step_runs_again_only_what_shows_the_month(rendered):
    """A Step redraws the date, the map, the charts and the cards, not the settings drawer, the
    header's other controls, the map's buttons, legend and key, or the pickers."""
    rc = rendered
    _click(rc, "Step")
    unchanged = {name: getattr(page_module, name) for name in UNCHANGED_BY_A_STEP}
    runs = {name: component.render_count for name, component in unchanged.items()}
    live = page_module.LiveView.render_count
    _click(rc, "Step")
    assert _texts(rc, "sahel-month") == ["Month 2"]
    assert {name: c.render_count - runs[name] for name, c in unchanged.items()} == dict.fromkeys(runs, 0)
    assert page_module.LiveView.render_count == live + 1


def test_a_step_updates_few_widgets(rendered, monkeypatch):
    """Solara re-renders only the components a Step changes, not the whole page's widgets
    (reacton's fast renderer, app.server.FAST_RENDERER_ENV, which the server and these tests use)."""
    updated = []
    update = reacton.core.Element._update_widget

    def counting(self, *args, **kwargs):
        updated.append(self)
        return update(self, *args, **kwargs)

    monkeypatch.setattr(reacton.core.Element, "_update_widget", counting)
    _click(rendered, "Step")
    assert _texts(rendered, "sahel-month") == ["Month 1"]
    assert 0 < len(updated) <= MOST_WIDGETS_A_STEP


def test_sliders_apply_on_reset(rendered):
    rc = rendered
    _click(rc, "Step")
    slider = rc.find(v.Slider).widgets[SOVEREIGNTY]
    slider.v_model = 2.5
    assert rc.find(v.Alert, children=["Settings changed: press Reset to run with them."]).widgets
    assert _texts(rc, "sahel-month") == ["Month 1"]  # nothing applied yet
    _click(rc, "Reset")
    assert _texts(rc, "sahel-month") == ["Month 0"]
    assert _texts(rc, "sahel-command") == ["python -m sim incentives.junta.sovereignty=2.5"]
    assert not rc.find(v.Alert).widgets


def test_power_knobs_and_seed(rendered):
    rc = rendered
    _choose_power(rc, "Russia")
    overstretch = rc.find(v.Slider).widgets[WEIGHT_SLIDERS + 2]
    assert overstretch.v_model == pytest.approx(0.5)
    overstretch.v_model = 0.9
    seed = rc.find(v.TextField, label="Seed").widget
    seed.v_model = "7"
    seed.fire_event("keyup.enter", None)  # the field applies on Enter or when it loses focus
    _click(rc, "Reset")
    assert _texts(rc, "sahel-command") == ["python -m sim seed=7 ++scenario.powers.RUS.overstretch=0.9"]


def test_picking_an_experiment_loads_its_values_and_restarts(rendered):
    rc = rendered
    for _ in range(3):
        _click(rc, "Step")
    rc.find(v.Select, label="Experiment (what if…)").widget.v_model = "russia_overstretched"
    assert _texts(rc, "sahel-month") == ["Month 0"]
    assert _texts(rc, "sahel-command") == ["python -m sim experiment=russia_overstretched"]
    _choose_power(rc, "Russia")
    assert rc.find(v.Slider).widgets[WEIGHT_SLIDERS + 2].v_model == pytest.approx(0.85)


def test_selecting_a_state_shows_its_details(rendered):
    rc = rendered
    assert _charts(rc)["affinity"]["title"] == "Niger: affinity to each power"
    rc.find(v.Select, label="State").widget.v_model = "Senegal"
    assert _charts(rc)["affinity"]["title"] == "Senegal: affinity to each power"
    facts = next(h for h in (w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets) if "sahel-facts" in h)
    assert "civilian government" in facts and "Regime" in facts and "Troops hosted" in facts


def test_each_page_has_its_own_run():
    _, one = solara.render(Page(), handle_error=False)
    _, two = solara.render(Page(), handle_error=False)
    try:
        _click(one, "Step")
        _click(one, "Step")
        assert _texts(one, "sahel-month") == ["Month 2"] and _texts(two, "sahel-month") == ["Month 0"]
    finally:
        one.close()
        two.close()


def test_play_steps_until_paused(rendered, monkeypatch):
    monkeypatch.setattr(page_module, "PLAY_INTERVAL_S", 0.05)
    rc = rendered
    _click(rc, "Play")
    deadline = time.monotonic() + 20
    while _texts(rc, "sahel-month") in (["Month 0"], ["Month 1"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    _click(rc, "Pause")
    time.sleep(0.3)
    stopped = _texts(rc, "sahel-month")
    assert stopped not in (["Month 0"], ["Month 1"])
    time.sleep(0.4)
    assert _texts(rc, "sahel-month") == stopped


def _html_containing(rc, text: str) -> str:
    return next(h for h in (w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets) if text in h)


def test_why_panel_shows_the_terms_of_the_ties_table(rendered):
    """The why panel's numbers are the run's signed weighted terms, as the ties table records them."""
    from sim.config import compose_config
    from sim.core.vocabulary import TERMS
    from sim.ensemble import run_batch

    rc = rendered
    assert "press Step" in _html_containing(rc, "scores the powers in the first month")
    _click(rc, "Step")
    why = _html_containing(rc, "sahel-why-table")
    ties = run_batch(compose_config(["run.steps=1"]), [0]).ties_table()
    niger = ties[(ties["state"] == "NER") & (ties["step"] == 1)].set_index("power")
    names = {"USA": "United States", "FRA": "France", "RUS": "Russia", "CHN": "China", "TUR": "Turkey"}
    for code, name in names.items():
        row = why.split(f"</span>{name}</th>")[1].split("</tr>")[0]
        cells = [c.replace("<b>", "").replace("</b>", "") for c in row.split("<td>")[1:]]
        shown = [float(c.split("</td>")[0]) for c in cells]
        expected = [niger.loc[code, f"term_{t}"] for t in TERMS] + [niger.loc[code, "utility"]]
        assert shown == pytest.approx(expected, abs=0.006), code


def test_info_panel_opens_and_closes_with_the_lessons(rendered):
    rc = rendered
    assert not [w for w in rc.find(v.Card).widgets if "sahel-info" in w.class_]
    _click(rc, "Info")
    (card,) = [w for w in rc.find(v.Card).widgets if "sahel-info" in w.class_]
    assert card.children[0].children == ["About this model"]
    links = _html_containing(rc, "sahel-lessons")
    assert all(f'href="lessons/{n}"' in links for n in (1, 2, 3))
    rc.find(v.Btn, children=["Close info"]).widgets[0].click()
    assert not [w for w in rc.find(v.Card).widgets if "sahel-info" in w.class_]


def test_event_feed_keeps_every_event(rendered):
    rc = rendered
    for _ in range(12):
        _click(rc, "Step")
    feed = _html(rc, "sahel-events")
    session_events = feed.count('class="sahel-event')
    assert session_events >= 12 and page_module.EVENTS_SHOWN is None
