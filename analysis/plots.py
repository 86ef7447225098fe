"""Figures drawn from a run's output tables; each function returns a matplotlib Figure.

The functions build `matplotlib.figure.Figure` objects directly (no pyplot, so no global figure
registry, no backend choice and nothing to close); `analysis.figures` is the one place that writes
them to files. Functions that draw a single panel accept `ax=None` to draw into an existing Axes.
Colours and line styles per power come from `analysis.colors`; time axes show real dates, ticked
by month and year. When a table holds several runs (a sweep), a figure shows one run: the first
unless `run` says otherwise.

Columns read:
    states: run, step, date, state, name, regime, leading_partner, population_m, lon, lat
    ties: run, step, date, state, power, affinity
    events: run, step, date, type, state, power, scripted
    bases: run, step, base, state, owner, co_tenant, lon, lat
    borders: state_a, state_b
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter
from matplotlib.transforms import offset_copy

from analysis.colors import (
    NO_POWER,
    canonical_power,
    ordered_powers,
    power_color,
    power_label,
    power_linestyle,
)
from analysis.metrics import month_to_timestamp, resolve_run
from sim.core.vocabulary import EVENT_TYPES, EVENTS, PARTNER_AFFINITY, Marker, event_label

#: The marker of an event type the catalogue does not know.
_FALLBACK_EVENT_MARKER = "H"

_DATE_FORMAT = "%b %Y"
_NOT_MODELLED_FILL = "#F7F7F7"
# Events with no power involved (a coup, a bloc sanction): darker than the 'none' partner grey,
# which is too light to read as a hollow marker.
_EVENT_NO_POWER = "#767676"
_SEA = "#EAF2F8"
_BORDER_LINE = "0.3"
_JUNTA_RING = "black"
_BASE_SIZE = 11.0  # base marker size, points
_HALO = [patheffects.withStroke(linewidth=2.5, foreground="white")]


# --------------------------------------------------------------------------------------------
# Shared helpers


def _new_axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    """Return (figure, axes): a new constrained-layout figure, or the figure of the given axes."""
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _month_span(first: pd.Timestamp, last: pd.Timestamp) -> int:
    return (last.year - first.year) * 12 + (last.month - first.month)


def _format_month_axis(
    ax: Axes, first: pd.Timestamp, last: pd.Timestamp, *, max_ticks: int = 6, pad_months: float = 0.0
) -> None:
    """Tick a time x-axis on whole months (or years) labelled 'Jan 2024', with at most `max_ticks`."""
    span = _month_span(first, last)
    interval = next((k for k in (1, 2, 3, 4, 6, 12, 24, 36, 60, 120) if span // k + 1 <= max_ticks), 120)
    if interval < 12:
        locator: mdates.DateLocator = mdates.MonthLocator(bymonth=range(1, 13, interval))
    else:
        locator = mdates.YearLocator(base=interval // 12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter(_DATE_FORMAT))
    # A single month needs room either side to be visible at all.
    pad = pd.Timedelta(days=30.44 * (pad_months if pad_months or span > 0 else 0.5))
    ax.set_xlim(first - pad, last + pad)


def event_marker(event_type: str) -> Marker:
    """An event type's marker in event plots: the catalogue's (filled, so scripted events can be
    drawn hollow), or a fallback for a type the catalogue does not know."""
    kind = EVENTS.get(event_type)
    return kind.marker if kind is not None else _FALLBACK_EVENT_MARKER


def _event_color(power: str) -> str:
    return _EVENT_NO_POWER if power == NO_POWER else power_color(power)


def _dot(label: str, **style: Any) -> Line2D:
    """A legend entry: one marker, no line."""
    return Line2D([], [], linestyle="none", label=label, **style)


def _state_names(states: pd.DataFrame | None) -> dict[str, str]:
    if states is None or states.empty or "name" not in states:
        return {}
    return dict(zip(states["state"], states["name"], strict=False))


# --------------------------------------------------------------------------------------------
# (a) affinity small multiples


def affinity_small_multiples(
    ties: pd.DataFrame,
    run: int | None = None,
    *,
    names: Mapping[str, str] | None = None,
    max_cols: int = 4,
) -> Figure:
    """One panel per state: the government's affinity to each power over time.

    Args:
        ties: the ties table (columns run, step, date, state, power, affinity).
        run: which run to show; the first run in the table when None.
        names: optional state code -> name, for panel titles (e.g. from the states table).
        max_cols: at most this many panels per row.

    Returns:
        A Figure with one Axes per state (y from -1 to 1, a zero line) and one shared legend.
    """
    chosen = resolve_run(ties, run)
    df = ties.loc[ties["run"] == chosen, ["step", "date", "state", "power", "affinity"]]
    df = df.assign(when=month_to_timestamp(df["date"]).to_numpy()).sort_values("step")
    codes = list(dict.fromkeys(df["state"]))
    powers = ordered_powers(df["power"].unique().tolist())
    names = dict(names or {})

    n = len(codes)
    nrows = math.ceil(n / max_cols)
    ncols = math.ceil(n / nrows)
    fig = Figure(figsize=(3.4 * ncols + 0.6, 2.5 * nrows + 1.3), layout="constrained")
    fig.get_layout_engine().set(w_pad=0.06, wspace=0.04)
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
    first, last = df["when"].min(), df["when"].max()

    for i, ax in enumerate(axes.flat):
        if i >= n:
            ax.set_visible(False)
            continue
        code = codes[i]
        panel = df.loc[df["state"] == code]
        ax.axhline(0.0, color="0.45", linewidth=0.8, zorder=1)
        for power in powers:
            line = panel.loc[panel["power"] == power]
            ax.plot(
                line["when"].to_numpy(),
                line["affinity"].to_numpy(),
                color=power_color(power),
                linestyle=power_linestyle(power),
                linewidth=1.8,
                label=power_label(power),
                zorder=2,
            )
        ax.set_title(f"{code} {names[code]}" if code in names else code, fontsize=10)
        ax.set_ylim(-1.05, 1.05)
        ax.set_yticks([-1.0, -0.5, 0.0, 0.5, 1.0])
        ax.grid(True, color="0.92", linewidth=0.6)
        if i + ncols >= n:  # no panel below this one: it carries the date labels
            ax.xaxis.set_tick_params(labelbottom=True)
            ax.set_xlabel("date (month)")
        if i % ncols == 0:
            ax.set_ylabel("affinity (−1 to 1)")
        # A little room at both ends keeps end labels of neighbouring panels apart.
        _format_month_axis(ax, first, last, max_ticks=4, pad_months=max(0.3, 0.03 * _month_span(first, last)))

    handles = [Line2D([], [], color=power_color(p), linestyle=power_linestyle(p), linewidth=2.0) for p in powers]
    fig.legend(
        handles,
        [power_label(p) for p in powers],
        loc="outside lower center",
        ncols=min(len(powers), 5),
        title="Foreign power",
        frameon=False,
    )
    fig.suptitle(f"Government affinity to each foreign power, by state (run {chosen})")
    return fig


# --------------------------------------------------------------------------------------------
# (b) influence share


def influence_share_plot(
    shares: pd.DataFrame, run: int | None = None, *, ax: Axes | None = None, stacked: bool = True
) -> Figure:
    """Each power's influence share over time, as a stacked area (default) or as lines.

    Args:
        shares: output of `analysis.metrics.influence_share` (run, step, date, power, share).
        run: which run to show; the first run in the table when None.
        ax: draw into this Axes instead of a new figure.
        stacked: stacked areas (shares add up to 100%) when True, one line per power when False.
    """
    chosen = resolve_run(shares, run)
    df = shares.loc[shares["run"] == chosen]
    wide = df.pivot_table(index="date", columns="power", values="share", aggfunc="sum").sort_index()
    powers = ordered_powers(wide.columns.tolist())
    wide = wide.reindex(columns=powers, fill_value=0.0).fillna(0.0)
    when = month_to_timestamp(pd.Series(wide.index)).to_numpy()

    fig, ax = _new_axes(ax, (9.0, 4.8))
    colors = [power_color(p) for p in powers]
    labels = [power_label(p) for p in powers]
    if stacked:
        if len(when) > 1:
            ax.stackplot(when, wide.to_numpy().T, colors=colors, labels=labels, edgecolor="white", linewidth=0.5)
        else:  # a single month: a stacked bar is the only visible "area"
            bottom = 0.0
            for value, color, label in zip(wide.iloc[0], colors, labels, strict=True):
                ax.bar(when, value, bottom=bottom, width=20, color=color, label=label, edgecolor="white")
                bottom += value
        kind = "stacked areas"
    else:
        for power, color, label in zip(powers, colors, labels, strict=True):
            ax.plot(
                when,
                wide[power].to_numpy(),
                color=color,
                linestyle=power_linestyle(power),
                linewidth=2.0,
                marker="o" if len(when) < 3 else None,
                label=label,
            )
        kind = "lines"

    ax.set_ylim(0.0, 1.0)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
    ax.set_ylabel("share of population-weighted\npositive affinity (%)")
    ax.set_xlabel("date (month)")
    ax.grid(True, axis="y", color="0.9", linewidth=0.6)
    _format_month_axis(ax, pd.Timestamp(when.min()), pd.Timestamp(when.max()))
    handles, legend_labels = ax.get_legend_handles_labels()
    if stacked:  # list the top band first, as it appears on the chart
        handles, legend_labels = handles[::-1], legend_labels[::-1]
    ax.legend(
        handles,
        legend_labels,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        borderaxespad=0.0,
        title="Foreign power",
        frameon=False,
    )
    ax.set_title(f"Influence share of each foreign power ({kind}; run {chosen})")
    return fig


def partners_plot(ties: pd.DataFrame, run: int | None = None, *, ax: Axes | None = None) -> Figure:
    """Hedging over time: for each power, the number of states that count it among their partners
    (affinity above `PARTNER_AFFINITY`; a state may count several), and the number of states with two
    or more partners at once (dashed).

    Args:
        ties: the ties table (run, step, date, state, power, affinity).
        run: which run to show; the first run in the table when None.
        ax: draw into this Axes instead of a new figure.
    """
    chosen = resolve_run(ties, run)
    df = ties.loc[ties["run"] == chosen, ["date", "state", "power", "affinity"]]
    partner = df.assign(partner=df["affinity"] > PARTNER_AFFINITY)
    per_power = partner.pivot_table(index="date", columns="power", values="partner", aggfunc="sum").sort_index()
    per_state = partner.groupby(["date", "state"])["partner"].sum()
    hedging = (per_state >= 2).groupby(level="date").sum().reindex(per_power.index)
    when = month_to_timestamp(pd.Series(per_power.index)).to_numpy()
    n_states = df["state"].nunique()

    fig, ax = _new_axes(ax, (9.0, 4.8))
    for power in ordered_powers(per_power.columns.tolist()):
        ax.plot(
            when,
            per_power[power].to_numpy(),
            color=power_color(power),
            linestyle=power_linestyle(power),
            linewidth=2.0,
            marker="o" if len(when) < 3 else None,
            label=power_label(power),
        )
    ax.plot(when, hedging.to_numpy(), color="0.2", linestyle="--", linewidth=1.6, label="states with 2+ partners")
    ax.set_ylim(0, n_states + 0.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(f"number of states (of {n_states})")
    ax.set_xlabel("date (month)")
    ax.grid(True, axis="y", color="0.9", linewidth=0.6)
    _format_month_axis(ax, pd.Timestamp(when.min()), pd.Timestamp(when.max()))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, title="Partner of", frameon=False)
    ax.set_title(f"States counting each power as a partner (affinity above {PARTNER_AFFINITY:g}; run {chosen})")
    return fig


# --------------------------------------------------------------------------------------------
# (c) region map


def lighten(color: str, amount: float) -> tuple[float, float, float]:
    """Blend a colour towards white by `amount` (0 = unchanged, 1 = white)."""
    rgb = np.asarray(to_rgb(color))
    return tuple(rgb + (1.0 - rgb) * amount)  # type: ignore[return-value]


# Fixed margins (inches) around a map's axes: room for tick labels and axis label on the left,
# the x label below, the title above and the legend on the right.
_MAP_MARGINS = {"left": 0.9, "right": 3.2, "bottom": 0.65, "top": 0.45}
_MAP_MIN_HEIGHT = 5.6


def _map_figure(width_units: float, height_units: float) -> tuple[Figure, Axes, float]:
    """A figure whose map axes has exactly the map's aspect ratio, with fixed margins around it.

    Placed by hand rather than by a layout engine: constrained layout and fixed-aspect axes
    do not mix well (the map either overflows the figure or its limits drift).
    Returns (figure, axes, map width in inches).
    """
    ratio = height_units / width_units
    map_width = 7.5
    if map_width * ratio > 8.0:  # a tall region: cap the height instead
        map_width = 8.0 / ratio
    map_height = map_width * ratio
    m = _MAP_MARGINS
    fig_w = map_width + m["left"] + m["right"]
    # At least _MAP_MIN_HEIGHT tall so the legend fits beside a flat map; the map is then centred.
    fig_h = max(map_height + m["bottom"] + m["top"], _MAP_MIN_HEIGHT)
    bottom = m["bottom"] + (fig_h - map_height - m["bottom"] - m["top"]) / 2
    fig = Figure(figsize=(fig_w, fig_h))
    ax = fig.add_axes((m["left"] / fig_w, bottom / fig_h, map_width / fig_w, map_height / fig_h))
    return fig, ax, map_width


def geometry_path(geometry: Mapping[str, Any] | None) -> Path | None:
    """One compound Path for a GeoJSON Polygon or MultiPolygon (holes included), else None."""
    if not geometry:
        return None
    kind = geometry.get("type")
    if kind == "Polygon":
        polygons = [geometry["coordinates"]]
    elif kind == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        return None
    vertices: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for polygon in polygons:
        for ring in polygon:
            ring_xy = np.asarray(ring, dtype=float)[:, :2]
            if len(ring_xy) < 3:
                continue
            ring_codes = np.full(len(ring_xy), Path.LINETO, dtype=Path.code_type)
            ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
            vertices.append(ring_xy)
            codes.append(ring_codes)
    if not vertices:
        return None
    return Path(np.concatenate(vertices), np.concatenate(codes))


def _nice_population_steps(populations: pd.Series) -> list[float]:
    """Up to three round population values spanning the data, for the size legend."""
    lo, hi = float(populations.min()), float(populations.max())
    candidates = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
    inside = [c for c in candidates if lo * 0.8 <= c <= hi * 1.2]
    if not inside:
        return [round(hi, 1)]
    if len(inside) <= 3:
        return [float(c) for c in inside]
    return [float(inside[0]), float(inside[len(inside) // 2]), float(inside[-1])]


def capital_area(population_m: np.ndarray | float) -> np.ndarray | float:
    """Marker area (points^2) for a capital: linear in population, with a floor so small states show."""
    return 25.0 + 4.0 * np.asarray(population_m, dtype=float)


def base_offsets(
    lon: np.ndarray,
    lat: np.ndarray,
    capital_lon: np.ndarray,
    capital_lat: np.ndarray,
    capital_radius_pt: np.ndarray,
    near_deg: float = 0.4,
) -> list[tuple[float, float, float, float]]:
    """Where to draw each base marker: (lon, lat, dx, dy), with (dx, dy) a shift in points.

    A base within `near_deg` of a capital is drawn just below the capital's circle, so it hides
    neither the capital nor its colour; bases that end up at the same spot are spread side by side.
    """
    placed: list[tuple[float, float, float, float]] = []
    anchors: list[tuple[float, float, float]] = []
    for x, y in zip(lon, lat, strict=True):
        distance = np.hypot(capital_lon - x, capital_lat - y)
        if len(distance) and distance.min() < near_deg:
            i = int(distance.argmin())
            dy = -(capital_radius_pt[i] + _BASE_SIZE / 2 + 1.0)
            anchors.append((float(capital_lon[i]), float(capital_lat[i]), dy))
        else:
            anchors.append((round(float(x), 2), round(float(y), 2), 0.0))
    groups: dict[tuple[float, float, float], list[int]] = {}
    for i, anchor in enumerate(anchors):
        groups.setdefault(anchor, []).append(i)
    for i, anchor in enumerate(anchors):
        members = groups[anchor]
        k, n = members.index(i), len(members)
        placed.append((anchor[0], anchor[1], (k - (n - 1) / 2) * (_BASE_SIZE + 2.0), anchor[2]))
    return placed


# Candidate label positions around a capital, in order of preference: (unit dx, unit dy, ha, va).
_LABEL_SPOTS: tuple[tuple[float, float, str, str], ...] = (
    (0.75, 0.75, "left", "bottom"),
    (1.0, 0.0, "left", "center"),
    (-0.75, 0.75, "right", "bottom"),
    (0.0, 1.0, "center", "bottom"),
    (-1.0, 0.0, "right", "center"),
    (0.75, -0.75, "left", "top"),
    (-0.75, -0.75, "right", "top"),
    (0.0, -1.0, "center", "top"),
)


def label_spots(
    x_pt: np.ndarray,
    y_pt: np.ndarray,
    radius_pt: np.ndarray,
    texts: Sequence[str],
    obstacles: list[tuple[float, float, float, float]],
    fontsize: float,
) -> list[tuple[float, float, str, str]]:
    """Greedy placement of capital labels: for each, the spot around its circle that overlaps
    least with circles, base markers and labels already placed (all boxes in points).

    Returns (dx, dy, ha, va) per label, dx and dy in points from the capital's centre.
    """
    boxes = list(obstacles)
    chosen: list[tuple[float, float, str, str]] = []
    for x, y, r, text in zip(x_pt, y_pt, radius_pt, texts, strict=True):
        width, height = 0.68 * fontsize * len(text) + 2.0, 1.1 * fontsize
        best: tuple[float, tuple[float, float, str, str], tuple[float, float, float, float]] | None = None
        for ux, uy, ha, va in _LABEL_SPOTS:
            dx, dy = ux * (r + 2.5), uy * (r + 2.5)
            left = x + dx - {"left": 0.0, "center": width / 2, "right": width}[ha]
            bottom = y + dy - {"bottom": 0.0, "center": height / 2, "top": height}[va]
            box = (left, bottom, left + width, bottom + height)
            overlap = sum(
                max(0.0, min(box[2], b[2]) - max(box[0], b[0])) * max(0.0, min(box[3], b[3]) - max(box[1], b[1]))
                for b in boxes
            )
            if best is None or overlap < best[0]:
                best = (overlap, (dx, dy, ha, va), box)
            if overlap == 0.0:
                break
        assert best is not None
        chosen.append(best[1])
        boxes.append(best[2])
    return chosen


def _degrees(axis: str) -> FuncFormatter:
    positive, negative = ("E", "W") if axis == "lon" else ("N", "S")

    def fmt(value: float, _pos: int | None) -> str:
        if abs(value) < 1e-9:
            return "0°"
        return f"{abs(value):g}°{positive if value > 0 else negative}"

    return FuncFormatter(fmt)


@dataclass(frozen=True)
class _MapView:
    """What a map shows, in degrees, and how much x is stretched so a degree of longitude is as long
    as on the ground (1/cos of the middle latitude)."""

    x0: float
    x1: float
    y0: float
    y1: float
    aspect: float


def _map_states(states: pd.DataFrame, step: int, run: int | None) -> tuple[int, pd.DataFrame]:
    """The chosen run and its states at `step`, each leading partner's code canonical in `partner`."""
    chosen = resolve_run(states, run)
    st = states.loc[(states["run"] == chosen) & (states["step"] == step)].reset_index(drop=True)
    if st.empty:
        raise ValueError(f"states has no rows for run {chosen} at step {step}")
    return chosen, st.assign(partner=[canonical_power(p) for p in st["leading_partner"]])


def _outline_paths(outlines: Mapping[str, Any] | None) -> list[tuple[str | None, Path]]:
    """(ISO3 code, outline) of every country of a GeoJSON FeatureCollection that has a polygon."""
    paths: list[tuple[str | None, Path]] = []
    for feature in (outlines or {}).get("features", []):
        path = geometry_path(feature.get("geometry"))
        if path is not None:
            paths.append(((feature.get("properties") or {}).get("iso3"), path))
    return paths


def _map_view(st: pd.DataFrame, paths: Sequence[tuple[str | None, Path]]) -> _MapView:
    """The view: the modelled countries (outlines if given, else capitals) plus a margin."""
    modelled = set(st["state"])
    xs = [st["lon"].to_numpy(dtype=float)] + [p.vertices[:, 0] for c, p in paths if c in modelled]
    ys = [st["lat"].to_numpy(dtype=float)] + [p.vertices[:, 1] for c, p in paths if c in modelled]
    all_x, all_y = np.concatenate(xs), np.concatenate(ys)
    margin = max(1.5, 0.06 * max(np.ptp(all_x), np.ptp(all_y)))
    x0, x1 = all_x.min() - margin, all_x.max() + margin
    y0, y1 = all_y.min() - margin, all_y.max() + margin
    return _MapView(x0, x1, y0, y1, aspect=1.0 / math.cos(math.radians((y0 + y1) / 2)))


def _map_axes(ax: Axes | None, view: _MapView) -> tuple[Figure, Axes, float]:
    """The figure and axes to draw in (a new map figure unless `ax` is given) and the map's width in inches."""
    if ax is None:
        return _map_figure(view.x1 - view.x0, (view.y1 - view.y0) * view.aspect)
    fig = ax.figure
    return fig, ax, fig.get_size_inches()[0] * ax.get_position().width  # type: ignore[return-value]


def _draw_countries(ax: Axes, st: pd.DataFrame, paths: Sequence[tuple[str | None, Path]]) -> None:
    """Countries filled with a tint of their leading partner's colour (near-white when not modelled),
    hatched when ruled by a junta."""
    modelled = set(st["state"])
    by_code = st.set_index("state")
    # Outlines go in collections added with autolim=False, so countries outside the view (all
    # of Africa, say) do not widen it; the view is set from the modelled extent.
    inside = [(code, path) for code, path in paths if code in modelled]
    outside = [path for code, path in paths if code not in modelled]
    ax.add_collection(
        PatchCollection(
            [PathPatch(path) for path in outside],
            facecolors=_NOT_MODELLED_FILL,
            edgecolors="0.7",
            linewidths=0.5,
            zorder=1,
        ),
        autolim=False,
    )
    ax.add_collection(
        PatchCollection(
            [PathPatch(path) for _, path in inside],
            facecolors=[lighten(power_color(by_code.at[c, "partner"]), 0.6) for c, _ in inside],
            edgecolors="0.35",
            linewidths=0.8,
            zorder=1.1,
        ),
        autolim=False,
    )
    junta_paths = [path for code, path in inside if by_code.at[code, "regime"] == "junta"]
    # linewidth 0 hides the outline but not the hatch, which takes the edge colour.
    ax.add_collection(
        PatchCollection(
            [PathPatch(path) for path in junta_paths],
            facecolors="none",
            edgecolors="0.3",
            linewidths=0.0,
            hatch="//",
            zorder=1.5,
        ),
        autolim=False,
    )


def _draw_borders(ax: Axes, st: pd.DataFrame, borders: pd.DataFrame) -> None:
    """Land borders between modelled states, as lines between their capitals."""
    if borders.empty:
        return
    by_code = st.set_index("state")
    lon_of, lat_of = by_code["lon"].to_dict(), by_code["lat"].to_dict()
    for a, b in zip(borders["state_a"], borders["state_b"], strict=True):
        if a in lon_of and b in lon_of:
            ax.plot(
                [lon_of[a], lon_of[b]],
                [lat_of[a], lat_of[b]],
                color=_BORDER_LINE,
                linewidth=1.0,
                alpha=0.8,
                zorder=3,
                solid_capstyle="round",
            )


def _draw_capitals(ax: Axes, st: pd.DataFrame) -> np.ndarray:
    """Capitals as circles sized by population and coloured by leading partner, with a black ring for
    juntas. Returns each circle's radius in points, which the bases and labels keep clear of."""
    junta = (st["regime"] == "junta").to_numpy()
    area = np.asarray(capital_area(st["population_m"].to_numpy()))
    ax.scatter(
        st["lon"],
        st["lat"],
        s=area,
        c=[power_color(p) for p in st["partner"]],
        edgecolors=np.where(junta, _JUNTA_RING, "white").tolist(),
        linewidths=np.where(junta, 2.4, 1.0),
        zorder=4,
    )
    return np.sqrt(area) / 2


def _bases_at(bases: pd.DataFrame, run: int, step: int) -> pd.DataFrame:
    """The bases of one run at one step (an empty table as it is: it may lack the columns)."""
    return bases.loc[(bases["run"] == run) & (bases["step"] == step)] if not bases.empty else bases


def _place_bases(bs: pd.DataFrame, st: pd.DataFrame, radius: np.ndarray) -> list[tuple[float, float, float, float]]:
    """Where each base is drawn (see `base_offsets`): moved off a capital it would hide, spread when
    co-located."""
    if bs.empty:
        return []
    return base_offsets(
        bs["lon"].to_numpy(dtype=float),
        bs["lat"].to_numpy(dtype=float),
        st["lon"].to_numpy(dtype=float),
        st["lat"].to_numpy(dtype=float),
        radius,
    )


def _draw_capital_labels(
    ax: Axes,
    st: pd.DataFrame,
    radius: np.ndarray,
    placements: Sequence[tuple[float, float, float, float]],
    view: _MapView,
    map_width: float,
) -> None:
    """State codes beside their capitals, placed where they hide the fewest circles, bases and other
    labels (see `label_spots`)."""
    # The scale (points per degree) is estimated from the map's width, before the layout is final.
    pt_x = 72.0 * map_width / (view.x1 - view.x0)
    pt_y = pt_x * view.aspect
    cx, cy = st["lon"].to_numpy(dtype=float) * pt_x, st["lat"].to_numpy(dtype=float) * pt_y
    obstacles = [(x - r, y - r, x + r, y + r) for x, y, r in zip(cx, cy, radius, strict=True)]
    half = _BASE_SIZE / 2
    obstacles += [
        (lon * pt_x + dx - half, lat * pt_y + dy - half, lon * pt_x + dx + half, lat * pt_y + dy + half)
        for lon, lat, dx, dy in placements
    ]
    spots = label_spots(cx, cy, radius, list(st["state"]), obstacles, fontsize=9.0)
    for (code, lon, lat), (dx, dy, ha, va) in zip(
        st[["state", "lon", "lat"]].itertuples(index=False), spots, strict=True
    ):
        ax.annotate(
            code,
            (lon, lat),
            xytext=(dx, dy),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=9,
            fontweight="bold",
            path_effects=_HALO,
            zorder=7,
        )


def _draw_bases(
    ax: Axes, bs: pd.DataFrame, placements: Sequence[tuple[float, float, float, float]]
) -> tuple[list[str], bool]:
    """Foreign bases as triangles coloured by owner, split in two colours when a co-tenant shares the
    base. Returns the powers drawn (owners and co-tenants) and whether any base is shared, for the legend."""
    powers: list[str] = []
    shared = False
    if bs.empty:  # an empty table may lack the columns
        return powers, shared
    for owner, tenant, (lon, lat, dx, dy) in zip(bs["owner"], bs["co_tenant"], placements, strict=True):
        owner, tenant = canonical_power(owner), canonical_power(tenant)
        powers.append(owner)
        style: dict[str, Any] = {"markerfacecolor": power_color(owner)}
        if tenant != NO_POWER:
            shared = True
            powers.append(tenant)
            style = {
                "fillstyle": "left",
                "markerfacecolor": power_color(owner),
                "markerfacecoloralt": power_color(tenant),
            }
        ax.plot(
            lon,
            lat,
            marker="^",
            markersize=_BASE_SIZE,
            markeredgecolor="black",
            markeredgewidth=0.9,
            linestyle="none",
            zorder=6,
            transform=offset_copy(ax.transData, fig=ax.figure, x=dx, y=dy, units="points"),
            **style,
        )
    return powers, shared


def _frame_map(ax: Axes, view: _MapView) -> None:
    """Limit the axes to the view, stretched as on the ground, with axes in degrees."""
    ax.set_xlim(view.x0, view.x1)
    ax.set_ylim(view.y0, view.y1)
    ax.set_aspect(view.aspect)
    ax.xaxis.set_major_formatter(_degrees("lon"))
    ax.yaxis.set_major_formatter(_degrees("lat"))
    ax.set_xlabel("longitude (degrees)")
    ax.set_ylabel("latitude (degrees)")


def _map_legend_handles(
    partners: Sequence[str],
    populations: pd.Series,
    *,
    outlines: bool,
    bases: bool,
    shared: bool,
    borders: bool,
) -> list[Any]:
    """The map's legend entries: partners, regime, bases, borders, countries not modelled, sizes."""
    handles: list[Any] = [
        _dot(power_label(p), marker="o", markersize=9, markerfacecolor=power_color(p), markeredgecolor="white")
        for p in partners
    ]
    handles.append(
        _dot(
            "junta (black ring" + (", hatched country)" if outlines else ")"),
            marker="o",
            markersize=9,
            markerfacecolor="white",
            markeredgecolor=_JUNTA_RING,
            markeredgewidth=2.4,
        )
    )
    if bases:
        handles.append(
            _dot(
                "foreign base (colour: owner)",
                marker="^",
                markersize=_BASE_SIZE,
                markerfacecolor="0.85",
                markeredgecolor="black",
            )
        )
    if shared:
        handles.append(
            _dot(
                "shared base (left: owner,\nright: co-tenant)",
                marker="^",
                markersize=_BASE_SIZE,
                fillstyle="left",
                markerfacecolor="0.85",
                markerfacecoloralt="0.35",
                markeredgecolor="black",
            )
        )
    if borders:
        handles.append(Line2D([], [], color=_BORDER_LINE, linewidth=1.0, label="land border (capitals joined)"))
    if outlines:
        handles.append(Patch(facecolor=_NOT_MODELLED_FILL, edgecolor="0.7", label="country not modelled"))
    handles += [
        _dot(
            f"capital, population {pop:g} m",
            marker="o",
            markersize=math.sqrt(float(capital_area(pop))),
            markerfacecolor="0.75",
            markeredgecolor="white",
        )
        for pop in _nice_population_steps(populations)
    ]
    return handles


def _place_map_legend(ax: Axes, handles: Sequence[Any]) -> None:
    """The legend to the right of the map, headed by what the colours mean."""
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        borderaxespad=0.0,
        title="Leading partner (fill and capital colour)",
        title_fontsize=9,
        fontsize=8.5,
        labelspacing=1.1,
        handlelength=3.0,
        frameon=False,
    )


def _map_title(title: str | None, st: pd.DataFrame, step: int, run: int) -> str:
    """The title (or the default one) with the step's date, the step and the run."""
    date_label = month_to_timestamp(st["date"].iloc[:1]).iloc[0].strftime(_DATE_FORMAT)
    heading = title or "Leading partners, capitals and foreign bases"
    return f"{heading}: {date_label} (step {step}, run {run})"


def region_map(
    states: pd.DataFrame,
    bases: pd.DataFrame,
    borders: pd.DataFrame,
    step: int,
    outlines: Mapping[str, Any] | None = None,
    title: str | None = None,
    *,
    run: int | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Map-like view of the region at one step.

    Countries (from `outlines`, a GeoJSON FeatureCollection dict with property `iso3`) are
    filled with a light tint of their leading partner's colour (grey for 'none', near-white
    when not modelled) and hatched when ruled by a junta. Capitals are circles sized by
    population and coloured by leading partner, with a black ring for juntas; land borders
    are lines between capitals; foreign bases are triangles coloured by owner, split in two
    colours when a rival co-tenant shares the base. Axes are longitude/latitude in degrees,
    limited to the modelled states with a margin.

    Args:
        states, bases, borders: the run's tables (bases and borders may be empty).
        step: the step to draw.
        outlines: optional GeoJSON dict of country outlines.
        title: title text; the date, step and run are appended.
        run: which run to show; the first run in the states table when None.
        ax: draw into this Axes instead of a new figure.

    Raises:
        ValueError: the run has no row at `step`.
    """
    chosen, st = _map_states(states, step, run)
    paths = _outline_paths(outlines)
    view = _map_view(st, paths)
    fig, ax, map_width = _map_axes(ax, view)
    _draw_countries(ax, st, paths)
    if outlines:
        ax.set_facecolor(_SEA)
    _draw_borders(ax, st, borders)
    radius = _draw_capitals(ax, st)
    bs = _bases_at(bases, chosen, step)
    placements = _place_bases(bs, st, radius)
    _draw_capital_labels(ax, st, radius, placements, view, map_width)
    powers, shared = _draw_bases(ax, bs, placements)
    _frame_map(ax, view)
    handles = _map_legend_handles(
        ordered_powers(list(st["partner"]) + powers),
        st["population_m"],
        outlines=bool(outlines),
        bases=not bs.empty,
        shared=shared,
        borders=not borders.empty,
    )
    _place_map_legend(ax, handles)
    ax.set_title(_map_title(title, st, step, chosen))
    return fig


# --------------------------------------------------------------------------------------------
# (d) event timeline


def _timeline_run(events: pd.DataFrame, states_table: pd.DataFrame | None, run: int | None) -> int | None:
    """The run to show: `run`, else the first run of the states table (if given and not empty) or of
    the events; None when both are empty."""
    if run is not None:
        return int(run)
    source = states_table if states_table is not None and not states_table.empty else events
    return resolve_run(source) if not source.empty else None


def _timeline_events(events: pd.DataFrame, run: int | None) -> pd.DataFrame:
    """The run's events with canonical power codes, the row each goes in (`state`) and its month as a
    timestamp (`when`)."""
    ev = events.loc[events["run"] == run] if run is not None and not events.empty else events.iloc[0:0]
    # Events without a state ('' in the table) get a row of their own.
    return ev.assign(
        power=[canonical_power(p) for p in ev["power"]],
        state=["(region)" if canonical_power(s) == NO_POWER else str(s) for s in ev["state"]],
        when=month_to_timestamp(ev["date"]).to_numpy() if not ev.empty else pd.Series(dtype="datetime64[ns]"),
    )


def _timeline_rows(
    ev: pd.DataFrame, states: pd.DataFrame | Sequence[str] | None, run: int | None
) -> tuple[list[str], dict[str, str], pd.Series]:
    """The rows (state codes, top first), the states' names and the dates the time axis spans: see
    `event_timeline` for what `states` may be. A state with events but no row gets one at the bottom."""
    names: dict[str, str] = {}
    if isinstance(states, pd.DataFrame):
        st = states.loc[states["run"] == run] if run is not None else states
        rows = list(dict.fromkeys(st["state"]))
        names = _state_names(st)
        dates = month_to_timestamp(st["date"]) if not st.empty else ev["when"]
    elif states is not None:
        rows = list(states)
        dates = ev["when"]
    else:
        rows = sorted(set(ev["state"]))
        dates = ev["when"]
    return rows + sorted(set(ev["state"]) - set(rows)), names, dates


def _types_present(ev: pd.DataFrame) -> list[str]:
    """The event types of the events in catalogue order, then any type the catalogue does not know."""
    present = [t for t in EVENT_TYPES if t in set(ev["type"])]
    return present + sorted(set(ev["type"]) - set(EVENT_TYPES))


def _timeline_figsize(n_rows: int, n_legend: int) -> tuple[float, float]:
    """A figure tall enough for every row and for the legend: `n_legend` entries for types and powers,
    plus six lines for the headers and the origin entries."""
    return 11.0, max(2.0 + 0.45 * max(n_rows, 1), 1.0 + 0.24 * (n_legend + 6))


def _row_positions(ev: pd.DataFrame, rows: Sequence[str]) -> np.ndarray:
    """Each event's y: its state's row, events that share a (state, month) cell spread within +-0.3 of it."""
    row_of = {code: i for i, code in enumerate(rows)}
    cell = ev.groupby(["state", "date"]).cumcount().to_numpy()
    size = ev.groupby(["state", "date"])["type"].transform("size").to_numpy()
    offset = np.where(size > 1, (cell / np.maximum(size - 1, 1) - 0.5) * 0.6, 0.0)
    return ev["state"].map(row_of).to_numpy() + offset


def _draw_events(ax: Axes, ev: pd.DataFrame, rows: Sequence[str], types_present: Sequence[str]) -> None:
    """One marker per event: shape by type, colour by power; filled by rule, hollow when scripted."""
    if ev.empty:
        ax.text(0.5, 0.5, "no events in this run", transform=ax.transAxes, ha="center", va="center", color="0.4")
        return
    ev = ev.assign(y=_row_positions(ev, rows))
    scripted = ev["scripted"].eq(True).to_numpy()
    for event_type in types_present:
        marker = event_marker(event_type)
        of_type = (ev["type"] == event_type).to_numpy()
        for hollow in (False, True):
            sel = ev.loc[of_type & (scripted == hollow)]
            if sel.empty:
                continue
            colors = [_event_color(p) for p in sel["power"]]
            ax.scatter(
                sel["when"].to_numpy(),
                sel["y"].to_numpy(),
                marker=marker,
                s=80,
                facecolors="none" if hollow else colors,
                edgecolors=colors if hollow else "0.15",
                linewidths=1.8 if hollow else 0.6,
                zorder=3,
            )


def _format_timeline_axes(ax: Axes, rows: Sequence[str], names: Mapping[str, str], dates: pd.Series) -> None:
    """One labelled row per state, the first on top, over a time axis ticked by month."""
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{c} {names[c]}" if c in names else c for c in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    for y in range(len(rows)):
        ax.axhline(y, color="0.9", linewidth=0.6, zorder=1)
    ax.set_xlabel("date (month)")
    ax.set_ylabel("state")
    if len(dates):
        _format_month_axis(ax, pd.Timestamp(dates.min()), pd.Timestamp(dates.max()), pad_months=0.6)
        ax.grid(True, axis="x", color="0.93", linewidth=0.6)


_TIMELINE_HEADERS = ("Event type", "Power (colour)", "Origin")


def _legend_header(text: str) -> Line2D:
    """A legend entry with no marker, to head a group of entries."""
    return _dot(text, marker="none")


def _timeline_legend(ax: Axes, types_present: Sequence[str], powers_present: Sequence[str]) -> None:
    """The legend in three groups under bold headers: event types (shape), powers (colour), origin
    (filled or hollow)."""
    types, powers, origin = _TIMELINE_HEADERS
    handles: list[Any] = [_legend_header(types)]
    handles += [
        _dot(event_label(t), marker=event_marker(t), markersize=8, markerfacecolor="0.35", markeredgecolor="0.15")
        for t in types_present
    ]
    handles.append(_legend_header(powers))
    handles += [
        Patch(facecolor=_event_color(p), edgecolor="none", label="no power" if p == NO_POWER else power_label(p))
        for p in powers_present
    ]
    handles.append(_legend_header(origin))
    handles += [
        _dot("model rules (filled)", marker="o", markersize=8, markerfacecolor="0.35", markeredgecolor="0.15"),
        _dot(
            "scripted (hollow)",
            marker="o",
            markersize=8,
            markerfacecolor="none",
            markeredgecolor="0.35",
            markeredgewidth=1.8,
        ),
    ]
    legend = ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        borderaxespad=0.0,
        fontsize=8.5,
        frameon=False,
        handletextpad=0.6,
    )
    for text in legend.get_texts():
        if text.get_text() in _TIMELINE_HEADERS:
            text.set_fontweight("bold")


def event_timeline(
    events: pd.DataFrame,
    states: pd.DataFrame | Sequence[str] | None = None,
    *,
    run: int | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Events over time: one row per state, marker shape per event type, colour per power.

    Scripted events (applied by the scenario whatever the rules say) are hollow; events the
    model's rules produced are filled. Several events of one state in one month are spread
    vertically within the state's row.

    Args:
        events: the events table (run, step, date, type, state, power, scripted).
        states: row order and labels: the states table (all its states get a row, labelled
            'ISO3 name', even without events) or a sequence of state codes; when None, the
            states that have events, alphabetically.
        run: which run to show; when None, the first run of `states` (if a table) or of `events`.
        ax: draw into this Axes instead of a new figure.
    """
    chosen = _timeline_run(events, states if isinstance(states, pd.DataFrame) else None, run)
    ev = _timeline_events(events, chosen)
    rows, names, dates = _timeline_rows(ev, states, chosen)
    types_present = _types_present(ev)
    powers_present = ordered_powers(ev["power"].unique().tolist())
    fig, ax = _new_axes(ax, _timeline_figsize(len(rows), len(types_present) + len(powers_present)))
    _draw_events(ax, ev, rows, types_present)
    _format_timeline_axes(ax, rows, names, dates)
    _timeline_legend(ax, types_present, powers_present)
    suffix = f" (run {chosen})" if chosen is not None else ""
    ax.set_title(f"Events by state and month{suffix}")
    return fig
