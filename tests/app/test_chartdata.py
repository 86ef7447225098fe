"""What the page's time charts show (app/chartdata.py), hand-checked: the time axis, the line-end
labels' heights, the readouts in English and French, the dash patterns; and on a short run, that
the series the browser draws (app/linechart.vue) are the run's history, with the same line-end
labels as the PNG chart of the download (app/figures.py)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.colors import POWER_COLORS
from app.chartdata import (
    AFFINITY,
    SHARE,
    chart_series,
    dash,
    readout,
    spread_ends,
    tick_step,
    x_span,
    ytick_label,
)
from app.contrast import AA, contrast
from app.figures import AffinityChart, ShareChart
from app.session import RunSession


def test_the_time_axis_shows_two_years_at_least_with_three_intervals_at_most():
    assert [x_span(m) for m in (0, 5, 24, 36, 600)] == [24, 24, 24, 36, 600]
    assert [tick_step(s) for s in (24, 36, 37, 100, 600)] == [12, 12, 24, 60, 600]


def test_end_labels_close_together_are_moved_apart_upwards():
    # 0.52 is within 0.075 of 0.50, so it goes to 0.575; 0.10 stays
    assert spread_ends(np.array([0.50, 0.52, 0.10]), (0.0, 1.0)) == pytest.approx([0.50, 0.575, 0.10])
    # equal values keep the powers' order: the later one above
    assert spread_ends(np.array([0.3, 0.3]), (-1.05, 1.05)) == pytest.approx([0.3, 0.3 + 2.1 * 0.075])


def test_readouts_in_english_and_french():
    assert readout(SHARE, 0.274) == "27%" and readout(SHARE, 0.274, "fr") == "27\u202f%"
    assert readout(AFFINITY, -0.31) == "\N{MINUS SIGN}0.31" and readout(AFFINITY, 0.76) == "+0.76"
    assert readout(AFFINITY, -0.31, "fr") == "\N{MINUS SIGN}0,31"
    assert ytick_label(AFFINITY, -0.5) == "\N{MINUS SIGN}0.5"
    assert ytick_label(AFFINITY, -0.5, "fr") == "\N{MINUS SIGN}0,5"
    assert ytick_label(SHARE, 0.4) == "40%"


def test_dash_patterns_scale_with_the_line_width_as_matplotlib_does():
    assert dash("USA") == "" and dash("RUS") == ""  # solid
    assert dash("FRA") == "18 6" and dash("CHN") == "18 6 3 6" and dash("TUR", 2.0) == "4 3"


@pytest.fixture(scope="module")
def run() -> RunSession:
    session = RunSession()
    session.step(14)
    return session


def test_the_share_series_is_the_runs_history_with_the_pngs_labels(run):
    shares = run.share_history()
    chart = chart_series(SHARE, run.world, shares)
    assert chart["title"] == "Influence share of each power" and chart["y_label"] == "influence share (%)"
    assert chart["x_label"] == "date (month)" and (chart["y_min"], chart["y_max"]) == (0.0, 1.0)
    assert chart["dates"][0] == "May 2024" and chart["dates"][-1] == "July 2025" and len(chart["dates"]) == 15
    assert chart["x_ticks"] == [[0, "May 2024"], [12, "May 2025"], [24, "May 2026"]]
    assert chart["x_max"] == pytest.approx(24 * 1.02)
    series = chart["series"]
    assert [s["code"] for s in series] == list(run.world.powers)
    np.testing.assert_allclose(np.array([s["values"] for s in series]).T, shares, atol=5e-5)
    for p, s in enumerate(series):
        assert s["color"] == POWER_COLORS[s["code"]] and contrast(s["text_color"], "white") >= AA
        assert s["readouts"] == [f"{100 * v:.0f}%" for v in shares[:, p]]
    png = ShareChart(run.world)
    png.render(shares)
    assert [s["end_label"] for s in series] == png.end_labels()
    assert [s["end_y"] for s in series] == pytest.approx(spread_ends(shares[-1], SHARE.ylim), abs=1e-4)


def test_the_affinity_series_in_french(run):
    history = run.affinity_history("NER")
    chart = chart_series(AFFINITY, run.world, history, "fr", "Niger")
    assert chart["title"] == "Niger\u00a0: affinité pour chaque puissance" and chart["zero_line"]
    assert chart["dates"][1] == "juin 2024" and chart["x_ticks"][1] == [12, "mai 2025"]
    png = AffinityChart(run.world, "fr")
    png.render(history, "Niger")
    assert [s["end_label"] for s in chart["series"]] == png.end_labels()
    russia = next(s for s in chart["series"] if s["code"] == "RUS")
    column = run.world.powers.index("RUS")
    assert russia["name"] == "Russie" and russia["readouts"][-1] == readout(AFFINITY, float(history[-1, column]), "fr")
