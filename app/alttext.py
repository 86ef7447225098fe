"""Text alternatives of the page's pictures, for screen readers: each built from the same data object
the picture is drawn from (app/frames.py's `OverviewData` and `AffinityData`), so the words say
what the picture shows.

The map's text names each state's leading partner (the colour it is filled with, by the same
`leading_partner_index`) and says which states are ruled by a junta; a line chart's text gives each
power's latest value and its trend over the last TREND_MONTHS months (up, down or steady at the
precision the chart's readout prints).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from app.i18n import SOURCE, number, tr, world_names
from app.session import month_label
from sim.core.io import leading_partner_index
from sim.core.world import World

if TYPE_CHECKING:  # app/frames.py draws the pictures and imports this module for their texts
    from app.frames import AffinityData, OverviewData

TREND_MONTHS = 12  # a line's trend is its change over the last year (or since month 0, if shorter)


def _date(world: World, month: int, lang: str) -> str:
    return month_label(world.date_of(month), lang)


def _percent(value: float, lang: str) -> str:
    return tr("chart.percent", lang, value=number(100 * value, ".0f", lang))


def _signed(value: float, lang: str) -> str:
    return number(value, "+.2f", lang).replace("-", "\N{MINUS SIGN}")


def _join(parts: list[str], lang: str) -> str:
    return tr("alt.sep", lang).join(parts)


def _trend(change: float, shown: str, months: int, lang: str) -> str:
    """'up 5 points over 12 months' / 'steady': `shown` is the change as printed; a change that prints
    as zero is steady."""
    if months == 0:
        return tr("alt.trend_none", lang)
    period = tr("alt.one_month", lang) if months == 1 else tr("alt.months", lang, months=months)
    if not any(c.isdigit() and c != "0" for c in shown):
        return tr("alt.trend_steady", lang, period=period)
    return tr("alt.trend_up" if change > 0 else "alt.trend_down", lang, change=shown, period=period)


def share_alt(data: OverviewData) -> str:
    """The influence share chart in words: each power's latest share, highest first, and its trend."""
    lang, world = data.lang, data.world
    shares = data.shares
    last = len(shares) - 1
    back = min(TREND_MONTHS, last)
    names = world_names(world, lang).powers
    parts = []
    for p in np.argsort(-shares[-1], kind="stable"):
        change = float(shares[-1, p] - shares[last - back, p])
        whole = number(abs(100 * change), ".0f", lang)
        points = tr("alt.point" if whole == "1" else "alt.points", lang, value=whole)
        parts.append(
            tr(
                "alt.share_power",
                lang,
                power=names[world.powers[p]],
                share=_percent(float(shares[-1, p]), lang),
                trend=_trend(change, points, back, lang),
            )
        )
    return tr("alt.share", lang, date=_date(world, data.month, lang), powers=_join(parts, lang))


def affinity_alt(data: AffinityData) -> str:
    """One state's affinity chart in words: its latest affinity to each power, highest first, and
    the trend of each."""
    lang, world, history = data.lang, data.world, data.history
    last = len(history) - 1
    back = min(TREND_MONTHS, last)
    names = world_names(world, lang).powers
    parts = []
    for p in np.argsort(-history[-1], kind="stable"):
        change = float(history[-1, p] - history[last - back, p])
        parts.append(
            tr(
                "alt.affinity_power",
                lang,
                power=names[world.powers[p]],
                value=_signed(float(history[-1, p]), lang),
                trend=_trend(change, number(abs(change), ".2f", lang), back, lang),
            )
        )
    return tr("alt.affinity", lang, state=data.state_name, date=_date(world, last, lang), powers=_join(parts, lang))


def map_alt(data: OverviewData) -> str:
    """The map in words: each state's leading partner (its fill colour), and whether a junta rules it."""
    lang, world = data.lang, data.world
    named = world_names(world, lang)
    lead = leading_partner_index(data.affinity[:, :, None])[:, 0]
    parts = []
    for s, code in enumerate(world.states):
        partner = named.powers[world.powers[lead[s]]] if lead[s] >= 0 else tr("legend.none", lang)
        key = "alt.map_state_junta" if data.junta[s] else "alt.map_state"
        parts.append(tr(key, lang, state=named.states[code], partner=partner))
    return tr("alt.map", lang, date=_date(world, data.month, lang), states=_join(parts, lang))


def fan_alt(world: World, quantiles: np.ndarray, month: int, n: int, lang: str = SOURCE) -> str:
    """The fan chart of many histories in words: each power's median share at `month` and the
    range from the lowest to the highest quantile drawn. quantiles: (3, months + 1, P)."""
    names = world_names(world, lang).powers
    at = min(month, quantiles.shape[1] - 1)
    parts = [
        tr(
            "alt.fan_power",
            lang,
            power=names[code],
            median=_percent(float(quantiles[1, at, p]), lang),
            low=_percent(float(quantiles[0, at, p]), lang),
            high=_percent(float(quantiles[-1, at, p]), lang),
        )
        for p, code in sorted(enumerate(world.powers), key=lambda pc: -quantiles[1, at, pc[0]])
    ]
    return tr("alt.fan", lang, n=n, month=at, powers=_join(parts, lang))
