"""Figures from the synthetic run: titles, labelled axes, dates, legends, consistent colours, files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.colors import to_rgb, to_rgba
from matplotlib.figure import Figure

from analysis.colors import POWER_COLORS, POWER_ORDER, ordered_powers, power_color, power_label
from analysis.figures import write_run_plots
from analysis.metrics import influence_share
from analysis.plots import affinity_small_multiples, event_timeline, influence_share_plot, region_map

MONTH_YEAR = re.compile(r"^[A-Z][a-z]{2} \d{4}$")
NAMES = {"MLI": "Mali", "NER": "Niger", "SEN": "Senegal"}


def _draw(fig: Figure) -> Figure:
    FigureCanvasAgg(fig).draw()
    return fig


def _tick_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.get_xticklabels() if t.get_text()]


def _legend_texts(legend) -> list[str]:
    return [t.get_text() for t in legend.get_texts()]


def _same_color(a, b) -> bool:
    return np.allclose(to_rgba(a), to_rgba(b))


# --------------------------------------------------------------------------------------------
# colours


def test_power_colors_are_distinct_and_fixed():
    known = [power_color(p) for p in POWER_ORDER]
    assert len(set(known)) == len(POWER_ORDER)
    assert power_color("none") == power_color("") == power_color(None) == POWER_COLORS["none"]
    assert power_color("none") not in known
    assert power_color("RUS") == POWER_COLORS["RUS"]


def test_unknown_power_gets_a_stable_fallback_colour():
    first = power_color("IND")
    assert first == power_color("IND")
    assert first not in POWER_COLORS.values()
    to_rgb(first)  # a valid colour


def test_ordered_powers():
    assert ordered_powers(["TUR", "none", "XYZ", "USA", "", "ABC", "USA"]) == [
        "USA",
        "TUR",
        "ABC",
        "XYZ",
        "none",
    ]


# --------------------------------------------------------------------------------------------
# (a) affinity small multiples


def test_affinity_small_multiples(run_tables):
    fig = _draw(affinity_small_multiples(run_tables["ties"], names=NAMES))
    assert isinstance(fig, Figure)
    assert "affinity" in fig.get_suptitle().lower()
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in panels] == ["MLI Mali", "NER Niger", "SEN Senegal"]
    for ax in panels:
        assert ax.get_ylim() == pytest.approx((-1.05, 1.05))
        assert ax.get_xlabel() == "date (month)"
        assert any(np.allclose(line.get_ydata(), 0.0) for line in ax.get_lines()), "zero line missing"
        assert _tick_texts(ax) and all(MONTH_YEAR.match(t) for t in _tick_texts(ax))
    assert panels[0].get_ylabel().startswith("affinity")
    assert mdates.num2date(panels[0].get_xlim()[0]).year in (2023, 2024)

    # One shared legend, powers in the fixed order, each line in its power's colour.
    assert len(fig.legends) == 1
    assert _legend_texts(fig.legends[0]) == [power_label(p) for p in ("USA", "FRA", "RUS")]
    for line in panels[0].get_lines():
        code = line.get_label().split(" ")[0]
        if code in POWER_COLORS:
            assert _same_color(line.get_color(), power_color(code))


def test_affinity_small_multiples_shows_the_requested_run(sweep_tables):
    fig = affinity_small_multiples(sweep_tables["ties"], run=7)
    assert "run 7" in fig.get_suptitle()
    usa = next(line for line in fig.axes[0].get_lines() if line.get_label().startswith("USA"))
    # MLI-USA affinity is [0.2, 0.1, 0.0, -0.1] halved in run 7.
    np.testing.assert_allclose(usa.get_ydata(), [0.1, 0.05, 0.0, -0.05])


def test_affinity_grid_hides_spare_panels(run_tables):
    ties = run_tables["ties"]
    extra = ties.loc[ties["state"] == "SEN"].assign(state="GHA")
    many = [ties] + [extra.assign(state=code) for code in ("GHA", "TGO")]
    fig = _draw(affinity_small_multiples(pd.concat(many, ignore_index=True), max_cols=4))
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 5 and len(fig.axes) == 6  # 2 rows x 3 columns
    # The panel above the hidden one carries the date labels.
    assert visible[2].get_xlabel() == "date (month)" and _tick_texts(visible[2])


# --------------------------------------------------------------------------------------------
# (b) influence share


def test_influence_share_plot_stacked(run_tables):
    shares = influence_share(run_tables["ties"], run_tables["states"])
    fig = _draw(influence_share_plot(shares))
    ax = fig.axes[0]
    assert "stacked" in ax.get_title()
    assert ax.get_xlabel() and "%" in ax.get_ylabel()
    assert all(MONTH_YEAR.match(t) for t in _tick_texts(ax))
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 3
    for band, power in zip(bands, ("USA", "FRA", "RUS"), strict=True):
        assert _same_color(band.get_facecolor()[0], power_color(power))
    # Legend lists the top band first.
    assert _legend_texts(ax.get_legend()) == [power_label(p) for p in ("RUS", "FRA", "USA")]


def test_influence_share_plot_lines_into_given_axes(run_tables):
    shares = influence_share(run_tables["ties"], run_tables["states"])
    host = Figure()
    ax = host.add_subplot()
    fig = influence_share_plot(shares, ax=ax, stacked=False)
    assert fig is host
    assert "lines" in ax.get_title()
    rus = next(line for line in ax.get_lines() if line.get_label().startswith("RUS"))
    assert _same_color(rus.get_color(), power_color("RUS"))
    np.testing.assert_allclose(rus.get_ydata()[[0, -1]], [0.0, 30.5 / 43.5])


# --------------------------------------------------------------------------------------------
# (c) region map


def _capitals(ax) -> PathCollection:
    return next(c for c in ax.collections if isinstance(c, PathCollection) and len(c.get_offsets()) == 3)


def test_region_map_at_start(run_tables, outlines):
    t = run_tables
    fig = _draw(region_map(t["states"], t["bases"], t["borders"], 0, outlines))
    ax = fig.axes[0]
    assert "Jan 2024" in ax.get_title() and "step 0" in ax.get_title()
    assert "longitude" in ax.get_xlabel() and "degrees" in ax.get_xlabel()
    assert "latitude" in ax.get_ylabel()

    # Capitals coloured by leading partner (MLI FRA, NER USA, SEN FRA); the junta (MLI) ringed black.
    capitals = _capitals(ax)
    for color, partner in zip(capitals.get_facecolors(), ("FRA", "USA", "FRA"), strict=True):
        assert _same_color(color, power_color(partner))
    edges = capitals.get_edgecolors()
    assert _same_color(edges[0], "black") and not _same_color(edges[1], "black")

    # The view covers the modelled states and leaves out the far unmodelled country (ZAF, lat < -24).
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert x0 < -17.45 and x1 > 12.0 and y0 < 12.0 and y1 > 22.0
    assert y0 > -10.0 and x1 < 20.0

    legend = _legend_texts(ax.get_legend())
    assert power_label("USA") in legend and power_label("FRA") in legend
    assert any("junta" in text for text in legend)
    assert not any("shared base" in text for text in legend)  # no co-tenant at step 0


def test_region_map_fills_countries_with_a_tint_of_the_partner(run_tables, outlines):
    t = run_tables
    fig = region_map(t["states"], t["bases"], t["borders"], 3, outlines)
    ax = fig.axes[0]
    fills = [c for c in ax.collections if not isinstance(c, PathCollection)]
    modelled = next(c for c in fills if len(c.get_paths()) == 3 and len(c.get_facecolors()) == 3)
    # At step 3 MLI and NER lean to RUS, SEN to FRA; a tint is the colour blended towards white.
    for fill, partner in zip(modelled.get_facecolors(), ("RUS", "RUS", "FRA"), strict=True):
        base = np.array(to_rgb(power_color(partner)))
        blend = (1.0 - fill[:3]) / (1.0 - base)
        assert np.allclose(blend, blend[0]) and 0.0 < blend[0] < 1.0


def test_region_map_marks_shared_base(run_tables, outlines):
    t = run_tables
    fig = region_map(t["states"], t["bases"], t["borders"], 2, outlines, title="Synthetic")
    ax = fig.axes[0]
    assert ax.get_title().startswith("Synthetic") and "Mar 2024" in ax.get_title()
    shared = [line for line in ax.get_lines() if line.get_fillstyle() == "left" and line.get_xdata().size]
    assert len(shared) == 1
    assert _same_color(shared[0].get_markerfacecolor(), power_color("USA"))
    assert _same_color(shared[0].get_markerfacecoloralt(), power_color("RUS"))
    assert any("shared base" in text for text in _legend_texts(ax.get_legend()))


def test_region_map_without_outlines_and_bad_step(run_tables):
    t = run_tables
    fig = _draw(region_map(t["states"], t["bases"].iloc[0:0], t["borders"], 3))
    ax = fig.axes[0]
    assert "Apr 2024" in ax.get_title()
    assert not any("base" in text for text in _legend_texts(ax.get_legend()))
    with pytest.raises(ValueError, match="step 9"):
        region_map(t["states"], t["bases"], t["borders"], 9)


# --------------------------------------------------------------------------------------------
# (d) event timeline


def test_event_timeline(run_tables):
    fig = _draw(event_timeline(run_tables["events"], run_tables["states"]))
    ax = fig.axes[0]
    assert ax.get_title() == "Events by state and month (run 0)"
    assert ax.get_xlabel() == "date (month)" and ax.get_ylabel() == "state"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["MLI Mali", "NER Niger", "SEN Senegal"]
    assert all(MONTH_YEAR.match(t) for t in _tick_texts(ax))

    markers = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert sum(len(c.get_offsets()) for c in markers) == 7
    hollow = [c for c in markers if len(c.get_facecolors()) == 0]
    assert sum(len(c.get_offsets()) for c in hollow) == 2  # the scripted invite and coup

    legend = _legend_texts(ax.get_legend())
    for text in ("coup", "expel", "withdraw complete", "scripted (hollow)", power_label("FRA"), "no power"):
        assert text in legend
    assert "transition" not in legend  # only types that occur


def test_event_timeline_colours_by_power(run_tables):
    events = run_tables["events"].loc[lambda e: e["type"] == "expel"]
    fig = event_timeline(events)
    (marker,) = [c for c in fig.axes[0].collections if isinstance(c, PathCollection)]
    assert _same_color(marker.get_facecolors()[0], power_color("FRA"))


def test_event_timeline_run_selection_and_empty(sweep_tables):
    fig = event_timeline(sweep_tables["events"], sweep_tables["states"], run=7)
    ax = fig.axes[0]
    assert "run 7" in ax.get_title()
    assert sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection)) == 7

    empty = sweep_tables["events"].iloc[0:0]
    fig = _draw(event_timeline(empty, ["SEN", "MLI"]))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["SEN", "MLI"]
    assert any("no events" in t.get_text() for t in ax.texts)


# --------------------------------------------------------------------------------------------
# writing files


@pytest.mark.parametrize("with_outlines", [True, False])
def test_write_run_plots(run_dir: Path, outlines, with_outlines: bool):
    outlines_path = None
    if with_outlines:
        outlines_path = run_dir / "outlines.geojson"
        outlines_path.write_text(json.dumps(outlines), encoding="utf-8")

    paths = write_run_plots(run_dir, outlines_path)

    expected = ["affinity.png", "influence_share.png", "partners.png", "map_start.png", "map_end.png", "events.png"]
    assert [p.name for p in paths] == expected
    assert sorted(p.name for p in (run_dir / "plots").iterdir()) == sorted(expected)
    for path in paths:
        assert path.parent == run_dir / "plots"
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(data) > 5_000
