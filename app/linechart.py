"""The page's two time charts, drawn in the browser from the run's data (app/linechart.vue): the
influence share of each power and the selected state's affinity to each power. Sending the series
instead of a PNG each month spares the server matplotlib's drawing (the whole class shares one
server), and lets the reader hover a month, or move to it with the keyboard, to read its date and
each power's value. The PNG of each chart is drawn only when it is downloaded (app/frames.py), and
the class projector view keeps its PNG chart.

What a chart shows is app/chartdata.py; its text alternative (the SVG's accessible name) is
app/alttext.py, from the same data.
"""

from __future__ import annotations

from typing import Any

import solara

from app.alttext import affinity_alt, share_alt
from app.chartdata import AFFINITY, SHARE, chart_series
from app.frames import AffinityData, OverviewData
from app.i18n import tr


@solara.component_vue("linechart.vue")
def LineChart(chart: dict[str, Any], alt: str, cursor_label: str):
    """An SVG line chart of `chart` (app.chartdata.chart_series), named `alt` for screen readers,
    with a readout of any month under the pointer or the keyboard's cursor (a slider named
    `cursor_label`)."""


@solara.component
def ShareLineChart(data: OverviewData):
    """The influence share chart of the month of `data`."""
    chart = solara.use_memo(lambda: chart_series(SHARE, data.world, data.shares, data.lang), [data])
    LineChart(chart=chart, alt=share_alt(data), cursor_label=tr("chart.cursor", data.lang, chart=chart["title"]))


@solara.component
def AffinityLineChart(data: AffinityData):
    """The affinity chart of one state, as `data` holds it."""
    chart = solara.use_memo(
        lambda: chart_series(AFFINITY, data.world, data.history, data.lang, data.state_name), [data]
    )
    LineChart(chart=chart, alt=affinity_alt(data), cursor_label=tr("chart.cursor", data.lang, chart=chart["title"]))
