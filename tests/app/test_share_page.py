"""Share and keep, in-process (solara.render, no browser): a page opened at a link runs that link's
history to its month; bad links give one message and the default run; the link the page keeps
follows Step and Reset; the download card offers the run's tables and pictures."""

from __future__ import annotations

import io
import time

import ipyvuetify as v
import numpy as np
import pandas as pd
import pytest
import solara
from solara.routing import Router, router_context

from app.downloads import TABLES, file_stem, table_csv
from app.markup import events_html
from app.page import CHANGED_NOTE, Page
from app.session import RunSession
from app.settings import scenario_defaults
from app.share import from_query, to_query
from app.sharing import open_link

LINK = "world=sahel_2024&experiment=us_stays&seed=7&month=5&junta.sovereignty=2.5&RUS.overstretch=0.9"


def _render(search: str | None):
    @solara.component
    def At():
        router_context.provide(Router("/" + (f"?{search}" if search is not None else ""), []))
        Page()

    _, rc = solara.render(At(), handle_error=False)
    return rc


def _texts(rc, css_class: str) -> list[str]:
    return [w.children[0] for w in rc.find(v.Html, class_=css_class).widgets]


def _wait_month(rc, month: int, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while _texts(rc, "sahel-month") != [f"Month {month}"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _texts(rc, "sahel-month") == [f"Month {month}"]
    step = rc.find(v.Btn, children=["Step"]).widget
    while step.disabled and time.monotonic() < deadline:  # Run to month has finished
        time.sleep(0.05)
    assert not step.disabled


def _kept_link(rc) -> str:
    (widget,) = [w for w in rc.find(v.VuetifyTemplate).widgets if hasattr(w, "query")]
    return widget.query


def _wait_link(rc, link: str, timeout_s: float = 20.0) -> None:
    """Until the page keeps `link` (a click may be handled after the Run-to thread's last redraw)."""
    deadline = time.monotonic() + timeout_s
    while _kept_link(rc) != link and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _kept_link(rc) == link


@pytest.fixture
def opened():
    rc = _render(LINK)
    yield rc
    rc.close()


def test_a_link_opens_the_same_run_at_the_same_month(opened):
    rc = opened
    _wait_month(rc, 5)
    assert _texts(rc, "sahel-date") == ["October 2024"]
    assert _texts(rc, "sahel-command") == [
        "python -m sim experiment=us_stays seed=7 incentives.junta.sovereignty=2.5 "
        "++scenario.powers.RUS.overstretch=0.9"
    ]
    assert _kept_link(rc) == LINK  # the address bar keeps the link it was opened with
    assert not rc.find(v.Alert).widgets
    # the same history as a run built straight from those settings
    expected = RunSession(from_query(LINK).settings)
    expected.step(5)
    (feed,) = [
        w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets if w.attributes.get("class") == "sahel-events"
    ]
    assert feed == events_html(expected.event_lines(), 5) and expected.event_lines()


def test_the_kept_link_follows_step_and_reset(opened):
    rc = opened
    _wait_month(rc, 5)
    rc.find(v.Btn, children=["Step"]).widget.click()
    _wait_link(rc, LINK.replace("month=5", "month=6"))
    rc.find(v.Slider).widgets[3].v_model = 1.5  # junta sovereignty
    deadline = time.monotonic() + 20
    while not rc.find(v.Alert, children=[CHANGED_NOTE]).widgets and time.monotonic() < deadline:
        time.sleep(0.05)
    assert rc.find(v.Alert, children=[CHANGED_NOTE]).widgets
    assert _kept_link(rc) == LINK.replace("month=5", "month=6")  # not applied until Reset
    rc.find(v.Btn, children=["Reset"]).widget.click()
    _wait_link(rc, LINK.replace("month=5", "month=0").replace("sovereignty=2.5", "sovereignty=1.5"))


@pytest.mark.parametrize(
    ("search", "named"),
    [
        ("seed=abc&month=3", "seed 'abc' is not a whole number"),  # the rest of the link (month 3) applied
        ("world=mars&junta.sovereignty=lots&<script>alert(1)</script>=1", "world 'mars' is not one of"),
    ],
)
def test_a_bad_link_shows_one_message_and_the_default_run(search: str, named: str):
    rc = _render(search)
    try:
        (alert,) = rc.find(v.Alert).widgets
        text = alert.children[0]
        assert text.startswith("This link's settings could not all be used") and named in text
        assert "Traceback" not in text
        month = 3 if "month=3" in search else 0
        _wait_month(rc, month)
        assert _texts(rc, "sahel-command") == ["python -m sim"]
        assert from_query(_kept_link(rc)).problems == ()  # the address is replaced by a clean link
    finally:
        rc.close()


def test_no_link_is_the_default_run():
    rc = _render(None)
    try:
        assert _texts(rc, "sahel-month") == ["Month 0"] and not rc.find(v.Alert).widgets
        assert _kept_link(rc) == to_query(scenario_defaults(), 0)
    finally:
        rc.close()


def test_download_card_offers_the_tables_and_pictures(opened):
    rc = opened
    _wait_month(rc, 5)
    names = sorted(w.filename for w in rc.find(solara.components.file_download.FileDownloadWidget).widgets)
    stem = "sahel_2024-us_stays-seed7-month5"
    assert names == sorted(
        [f"{stem}-{t}.csv" for t in TABLES] + [f"{stem}-{k}.png" for k in ("map", "share", "affinity-NER")]
    )


def test_the_csv_tables_are_the_runs():
    session, shared, message = open_link(LINK)
    assert message == ""
    session.step(shared.month)
    assert file_stem(session.settings, session.month) == "sahel_2024-us_stays-seed7-month5"
    states = pd.read_csv(io.BytesIO(table_csv(session, "states")))
    ties = pd.read_csv(io.BytesIO(table_csv(session, "ties")))
    events = pd.read_csv(io.BytesIO(table_csv(session, "events")))
    S, P = len(session.world.states), len(session.world.powers)
    assert len(states) == S * 6 and sorted(states["step"].unique()) == list(range(6))
    assert len(ties) == S * P * 6
    last = ties[ties["step"] == 5].set_index(["state", "power"])["affinity"]
    np.testing.assert_allclose([last[("NER", p)] for p in session.world.powers], session.affinity_history("NER")[-1])
    assert len(events) == len(session.model.events) > 0
    with pytest.raises(ValueError, match="unknown table"):
        table_csv(session, "../secrets")
