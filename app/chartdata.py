"""What the page's two time charts show, apart from how they are drawn: the months on the time axis
and its ticks, the value axis and its ticks, each power's line with its colour, line style and
readouts, and where the line-end labels go. The browser draws the charts from `chart_series`
(app/linechart.vue, through app/linechart.py); the PNG downloads and the class projector view draw
the same charts with matplotlib (app/figures.py), with the time axis, readouts and line-end
label heights of this module.

Values are formatted here, in the page's language (app/i18n.py), so the browser's readout prints
exactly what the PNG's line ends and the text alternatives print.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from analysis.colors import power_color, power_linestyle
from app.contrast import readable
from app.i18n import SOURCE, month_name, number, short_month, tr, world_names
from sim.core.world import World

MIN_MONTHS_SHOWN = 24  # the time axis shows at least this many months, so it does not jump every step
X_PAD = 1.02  # the time axis runs a little past its last month
TICK_STEPS = (6, 12, 24, 60, 120, 600)  # months between the time axis' ticks: the first that gives <= 3 intervals
END_GAP = 0.075  # line-end labels at least this fraction of the value axis apart
LINE_WIDTH = 3.0  # a power's line, in points (PNG) or the SVG's units; dash patterns scale with it
DIGITS = 4  # decimals of the values sent to the browser (a pixel is about 0.003 of the value axis)


@dataclass(frozen=True)
class ChartKind:
    """One kind of time chart: its value range, axis and title messages, and value ticks."""

    name: str
    ylim: tuple[float, float]
    axis_key: str
    title_key: str
    yticks: tuple[float, ...]
    zero_line: bool


SHARE = ChartKind(
    "share", (0.0, 1.0), "chart.share_axis_unit", "chart.share_title", (0.0, 0.2, 0.4, 0.6, 0.8, 1.0), False
)
AFFINITY = ChartKind(
    "affinity", (-1.05, 1.05), "chart.affinity_axis", "chart.affinity_title", (-1.0, -0.5, 0.0, 0.5, 1.0), True
)
KINDS = {k.name: k for k in (SHARE, AFFINITY)}


def x_span(last: int) -> int:
    """The months the time axis covers when the run is at month `last`."""
    return max(MIN_MONTHS_SHOWN, last)


def tick_step(span: int) -> int:
    """Months between the time axis' ticks for an axis of `span` months."""
    return next(k for k in TICK_STEPS if span / k <= 3)


def readout(kind: ChartKind, value: float, lang: str = SOURCE) -> str:
    """A value as the chart prints it: a share as a whole percentage ('27%'; French '27 %'), an
    affinity signed with two decimals and a true minus sign ('+0.76', '−0.31')."""
    if kind is SHARE:
        return tr("chart.percent", lang, value=number(100 * value, ".0f", lang))
    return number(value, "+.2f", lang).replace("-", "\N{MINUS SIGN}")


def ytick_label(kind: ChartKind, value: float, lang: str = SOURCE) -> str:
    """A value-axis tick: '40%' or '−0.5'."""
    if kind is SHARE:
        return tr("chart.percent", lang, value=number(100 * value, ".0f", lang))
    return number(value, "g", lang).replace("-", "\N{MINUS SIGN}")


def spread_ends(last_values: np.ndarray, ylim: tuple[float, float]) -> list[float]:
    """The heights of the line-end labels: each line's last value, moved up where needed so that
    labels of close lines stay END_GAP of the axis apart (in the lines' order)."""
    lo, hi = ylim
    gap = (hi - lo) * END_GAP
    heights = [0.0] * len(last_values)
    placed: list[float] = []
    for p in np.argsort(last_values, kind="stable"):
        y = float(last_values[p])
        if placed and y < placed[-1] + gap:
            y = placed[-1] + gap
        placed.append(y)
        heights[p] = y
    return heights


def title(kind: ChartKind, lang: str = SOURCE, state_name: str = "") -> str:
    """The chart's title: 'Influence share of each power' or 'Niger: affinity to each power'."""
    return tr(kind.title_key, lang, state=state_name) if kind is AFFINITY else tr(kind.title_key, lang)


def dash(code: str, width: float = LINE_WIDTH) -> str:
    """A power's line style as an SVG stroke-dasharray ('' for a solid line); matplotlib scales its
    patterns by the line's width, and so does this."""
    style = power_linestyle(code)
    if isinstance(style, str):
        return ""
    return " ".join(f"{width * d:g}" for d in style[1])


def chart_series(
    kind: ChartKind, world: World, values: np.ndarray, lang: str = SOURCE, state_name: str = ""
) -> dict[str, Any]:
    """Everything app/linechart.vue needs to draw one chart of `values` ((months + 1, P), the
    world's powers in order), as plain JSON: title, axis labels, the time axis (every month's date
    for the readout, the ticks), the value axis, and per power its name, colours, dash pattern,
    values, readouts per month, end label and the end label's height."""
    values = np.asarray(values, dtype=float)
    last = len(values) - 1
    span = x_span(last)
    step = tick_step(span)
    names = world_names(world, lang).powers
    ends = spread_ends(values[-1], kind.ylim)
    series = []
    for p, code in enumerate(world.powers):
        column = values[:, p]
        series.append(
            {
                "code": code,
                "name": names[code],
                "color": power_color(code),
                "text_color": readable(power_color(code)),
                "dash": dash(code),
                "values": np.round(column, DIGITS).tolist(),
                "readouts": [readout(kind, float(v), lang) for v in column],
                "end_label": f"{names[code]} {readout(kind, float(column[-1]), lang)}",
                "end_y": round(ends[p], DIGITS),
            }
        )
    return {
        "kind": kind.name,
        "title": title(kind, lang, state_name),
        "y_label": tr(kind.axis_key, lang),
        "x_label": tr("chart.date_axis", lang),
        "dates": [month_name(world.date_of(m), lang) for m in range(last + 1)],
        "x_max": span * X_PAD,
        "x_ticks": [[m, short_month(world.date_of(m), lang)] for m in range(0, span + 1, step)],
        "y_min": kind.ylim[0],
        "y_max": kind.ylim[1],
        "y_ticks": [[v, ytick_label(kind, v, lang)] for v in kind.yticks],
        "zero_line": kind.zero_line,
        "series": series,
    }
