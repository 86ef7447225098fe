"""The page's three pictures, drawn for a classroom: a map of the region and two line charts.

Each view keeps one matplotlib Figure for the whole session and only updates its artists (colours,
line data, markers, the date) before rendering a PNG, which keeps a step well within the page's
time budget. Colours and line styles per power come from `analysis.colors`; the map reuses the
outline, base and label placement helpers of `analysis.plots`, with larger text. Text in a power's
colour is darkened where needed to be read on white (app/contrast.py: WCAG AA); lines keep the colour.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.ticker import FuncFormatter, MultipleLocator, PercentFormatter
from matplotlib.transforms import blended_transform_factory

from analysis.colors import NO_POWER, power_color, power_linestyle
from analysis.figures import DEFAULT_OUTLINES, read_outlines
from analysis.plots import base_offsets, capital_area, geometry_path, label_spots, lighten
from app.contrast import readable
from app.i18n import SOURCE, number, short_month, tr, world_names
from sim.core.io import leading_partner_index
from sim.core.world import World

DPI = 100
FONT = 15  # points; figures are shown about as wide as they are drawn, so this reads from afar
_HALO = [patheffects.withStroke(linewidth=3.5, foreground="white")]
_SEA = "#EAF2F8"
_OTHER_LAND = "#F4F4F4"
_PNG = {"compress_level": 1}  # fast to encode; the page is served on this machine
CHART_SIZE = (5.6, 3.6)  # inches
MIN_MONTHS_SHOWN = 24  # the time axis shows at least this many months, so it does not jump every step


def to_png(fig: Figure) -> bytes:
    """Render a Figure to PNG bytes through the Agg canvas (no pyplot)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white", pil_kwargs=_PNG)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def _outlines() -> dict[str, Any]:
    return read_outlines(DEFAULT_OUTLINES)


class MapView:
    """The region: countries filled with their leading partner's colour, capitals sized by
    population (black ring: junta), land borders, foreign bases (triangles, owner's colour; a
    shared base is split owner | co-tenant) and troops hosted (diamonds sized by number)."""

    def __init__(self, world: World, width_in: float = 7.2):
        self.world = w = world
        modelled = set(w.states)
        paths = [
            (f.get("properties", {}).get("iso3"), geometry_path(f.get("geometry")))
            for f in _outlines().get("features", [])
        ]
        paths = [(code, p) for code, p in paths if p is not None]
        inside = {code: p for code, p in paths if code in modelled}
        xs = np.concatenate([w.lon, *[p.vertices[:, 0] for p in inside.values()]])
        ys = np.concatenate([w.lat, *[p.vertices[:, 1] for p in inside.values()]])
        margin = 1.0
        x0, x1, y0, y1 = xs.min() - margin, xs.max() + margin, ys.min() - margin, ys.max() + margin
        aspect = 1.0 / math.cos(math.radians((y0 + y1) / 2))
        height_in = width_in * (y1 - y0) * aspect / (x1 - x0)
        self.fig = Figure(figsize=(width_in, height_in))
        FigureCanvasAgg(self.fig)
        ax = self.ax = self.fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect(aspect)
        ax.set_axis_off()
        ax.add_patch(PathPatch(ax.patch.get_path(), transform=ax.transAxes, facecolor=_SEA, edgecolor="none", zorder=0))
        ax.add_collection(
            PatchCollection(
                [PathPatch(p) for c, p in paths if c not in modelled],
                facecolors=_OTHER_LAND,
                edgecolors="0.75",
                linewidths=0.6,
                zorder=1,
            ),
            autolim=False,
        )
        self._with_outline = [i for i, code in enumerate(w.states) if code in inside]
        self._country_paths = [inside[w.states[i]] for i in self._with_outline]
        self.countries = PatchCollection(
            [PathPatch(p) for p in self._country_paths], edgecolors="0.35", linewidths=1.0, zorder=1.1
        )
        ax.add_collection(self.countries, autolim=False)
        self.hatch = PatchCollection([], facecolors="none", edgecolors="0.35", linewidths=0.0, hatch="//", zorder=1.5)
        ax.add_collection(self.hatch, autolim=False)
        edges = [((w.lon[a], w.lat[a]), (w.lon[b], w.lat[b])) for a, b in w.graph.edges()]
        ax.add_collection(LineCollection(edges, colors="0.3", linewidths=1.2, alpha=0.8, zorder=3))

        # Capitals, and the scale from points to degrees used to place markers beside them.
        area = np.asarray(capital_area(w.population_m), dtype=float) * 1.3
        self.radius = np.sqrt(area) / 2
        self.capitals = ax.scatter(w.lon, w.lat, s=area, zorder=4)
        self.pt_x = 72.0 * width_in / (x1 - x0)  # points per degree of longitude
        self.pt_y = self.pt_x * aspect

        # Bases: one marker each, recoloured every month (owner | co-tenant).
        base_size = 14.0
        self.bases: list[Line2D] = []
        placements = base_offsets(w.base_lon, w.base_lat, w.lon, w.lat, self.radius) if len(w.base_names) else []
        for lon, lat, dx, dy in placements:
            (marker,) = ax.plot(
                lon + dx / self.pt_x,
                lat + dy / self.pt_y,
                marker="^",
                markersize=base_size,
                markeredgecolor="black",
                markeredgewidth=1.0,
                linestyle="none",
                zorder=6,
            )
            self.bases.append(marker)
        # Troops: diamonds left of the capital, one per power present.
        self.troops = ax.scatter([], [], marker="D", edgecolors="black", linewidths=0.8, zorder=5)

        # Labels: placed once, avoiding capitals, bases and room for two troop markers.
        cx, cy = w.lon * self.pt_x, w.lat * self.pt_y
        obstacles = [(x - r, y - r, x + r, y + r) for x, y, r in zip(cx, cy, self.radius, strict=True)]
        half = base_size / 2
        obstacles += [
            (
                lon * self.pt_x + dx - half,
                lat * self.pt_y + dy - half,
                lon * self.pt_x + dx + half,
                lat * self.pt_y + dy + half,
            )
            for lon, lat, dx, dy in placements
        ]
        obstacles += [(x - r - 32, y - 7, x - r, y + 7) for x, y, r in zip(cx, cy, self.radius, strict=True)]
        label_size = FONT - 1
        spots = label_spots(cx, cy, self.radius, list(w.states), obstacles, fontsize=label_size)
        for code, lon, lat, (dx, dy, ha, va) in zip(w.states, w.lon, w.lat, spots, strict=True):
            ax.annotate(
                code,
                (lon, lat),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=label_size,
                fontweight="bold",
                path_effects=_HALO,
                zorder=7,
            )
        self._key: bytes | None = None  # what the last PNG showed: unchanged months reuse it
        self._png = b""

    def render(
        self,
        affinity: np.ndarray,
        junta: np.ndarray,
        troops: np.ndarray,
        base_owner: np.ndarray,
        base_co_tenant: np.ndarray,
    ) -> bytes:
        """The map for one month: affinity (S, P), junta (S,), troops (S, P), base owner and
        co-tenant (K,) as power indices (-1 none). The page writes the date beside the map, so a
        month that changes nothing on the map returns the previous PNG without drawing."""
        w = self.world
        lead = leading_partner_index(affinity[:, :, None])[:, 0]
        key = b"|".join(np.ascontiguousarray(a).tobytes() for a in (lead, junta, troops, base_owner, base_co_tenant))
        if key == self._key:
            return self._png
        colours = [power_color(w.powers[i] if i >= 0 else NO_POWER) for i in lead]
        self.countries.set_facecolors([lighten(colours[i], 0.55) for i in self._with_outline])
        self.hatch.set_paths(
            [PathPatch(p) for i, p in zip(self._with_outline, self._country_paths, strict=True) if junta[i]]
        )
        self.capitals.set_facecolors(colours)
        self.capitals.set_edgecolors(np.where(junta, "black", "white").tolist())
        self.capitals.set_linewidths(np.where(junta, 3.0, 1.2))
        for marker, owner, tenant in zip(self.bases, base_owner, base_co_tenant, strict=True):
            marker.set_markerfacecolor(power_color(w.powers[owner] if owner >= 0 else NO_POWER))
            if tenant >= 0:
                marker.set_fillstyle("left")
                marker.set_markerfacecoloralt(power_color(w.powers[tenant]))
            else:
                marker.set_fillstyle("full")
        self._draw_troops(troops)
        self._key, self._png = key, to_png(self.fig)
        return self._png

    def _draw_troops(self, troops: np.ndarray) -> None:
        w = self.world
        offsets, sizes, colours = [], [], []
        for s, p in zip(*np.nonzero(troops > 0), strict=True):
            k = int((troops[s, :p] > 0).sum())  # how many markers this state already has
            size = min(9.0 + 7.0 * math.sqrt(troops[s, p] / 1000.0), 20.0)  # marker width, points
            dx = -(self.radius[s] + 3.0 + 8.0 + 15.0 * k)
            offsets.append((w.lon[s] + dx / self.pt_x, w.lat[s]))
            sizes.append(size**2)
            colours.append(power_color(w.powers[p]))
        self.troops.set_offsets(np.array(offsets).reshape(-1, 2))
        self.troops.set_sizes(sizes)
        self.troops.set_facecolors(colours)


class _TimeChart:
    """A line per power over the months of the run, with the power's name and its latest value (the
    chart's number readout) in the right margin at the height where its line ends."""

    def __init__(
        self, world: World, ylim: tuple[float, float], ylabel: str, size: tuple[float, float], lang: str = SOURCE
    ):
        self.world = world
        self.lang = lang
        power_names = list(world_names(world, lang).powers.values())
        self.fig = Figure(figsize=size)
        FigureCanvasAgg(self.fig)
        # Fixed margins rather than a layout engine: the same on every render, and faster.
        ax: Axes = self.fig.add_axes((0.16, 0.13, 0.47, 0.77))  # the right margin holds names and values
        self.ax = ax
        ax.set_ylim(*ylim)
        ax.set_ylabel(ylabel, fontsize=FONT)
        ax.tick_params(labelsize=FONT - 2)
        ax.grid(True, color="0.88", linewidth=0.8)
        ax.xaxis.set_major_formatter(FuncFormatter(self._month_tick))
        self.lines = [
            ax.plot([], [], color=power_color(p), linestyle=power_linestyle(p), linewidth=3.0)[0] for p in world.powers
        ]
        ends = blended_transform_factory(ax.transAxes, ax.transData)
        self.names = power_names
        self.ends = [
            ax.text(
                1.02,
                0,
                name,
                color=readable(power_color(p)),
                fontsize=FONT - 3,
                fontweight="bold",
                va="center",
                transform=ends,
                clip_on=False,
                path_effects=_HALO,
            )
            for p, name in zip(world.powers, power_names, strict=True)
        ]
        self.title = ax.set_title("", fontsize=FONT + 1, loc="left")

    def _month_tick(self, value: float, _pos: int | None) -> str:
        if value < 0 or abs(value - round(value)) > 1e-6:
            return ""
        return short_month(self.world.date_of(int(round(value))), self.lang)

    def draw(self, values: np.ndarray, title: str) -> bytes:
        """values: (months + 1, P)."""
        months = np.arange(len(values))
        last = len(values) - 1
        span = max(MIN_MONTHS_SHOWN, last)
        self.ax.set_xlim(0, span * 1.02)
        self.ax.xaxis.set_major_locator(MultipleLocator(next(k for k in (6, 12, 24, 60, 120, 600) if span / k <= 3)))
        for p, (line, end) in enumerate(zip(self.lines, self.ends, strict=True)):
            line.set_data(months, values[:, p])
            end.set_position((1.02, values[-1, p]))
            end.set_text(f"{self.names[p]} {self.readout(float(values[-1, p]))}")
        self._spread_ends(values[-1])
        self.title.set_text(title)
        return to_png(self.fig)

    def readout(self, value: float) -> str:
        """A line's latest value as printed after the power's name."""
        return number(value, "+.2f", self.lang).replace("-", "\N{MINUS SIGN}")

    def end_labels(self) -> list[str]:
        """The texts at the lines' ends after the last render ("Russia 34%"), in the world's power order."""
        return [end.get_text() for end in self.ends]

    def _spread_ends(self, last_values: np.ndarray) -> None:
        """Move end labels apart vertically so that close lines keep readable codes."""
        lo, hi = self.ax.get_ylim()
        gap = (hi - lo) * 0.075
        order = np.argsort(last_values)
        placed: list[float] = []
        for p in order:
            y = float(last_values[p])
            if placed and y < placed[-1] + gap:
                y = placed[-1] + gap
            placed.append(y)
            x, _ = self.ends[p].get_position()
            self.ends[p].set_position((x, y))


class ShareChart(_TimeChart):
    """Each power's influence share over time (population-weighted share of positive affinity)."""

    def __init__(self, world: World, lang: str = SOURCE):
        super().__init__(world, (0.0, 1.0), tr("chart.share_axis", lang), CHART_SIZE, lang)
        self.ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))

    def readout(self, value: float) -> str:
        """A share as a whole percentage ('27%'; in French '27 %')."""
        return tr("chart.percent", self.lang, value=number(100 * value, ".0f", self.lang))

    def render(self, shares: np.ndarray) -> bytes:
        """shares: (months + 1, P)."""
        return self.draw(shares, tr("chart.share_title", self.lang))


class AffinityChart(_TimeChart):
    """The affinity of one state's government towards each power over time."""

    def __init__(self, world: World, lang: str = SOURCE):
        super().__init__(world, (-1.05, 1.05), tr("chart.affinity_axis", lang), CHART_SIZE, lang)
        self.ax.axhline(0.0, color="0.4", linewidth=1.0, zorder=1)

    def render(self, affinity: np.ndarray, state_name: str) -> bytes:
        """affinity: (months + 1, P) for one state."""
        return self.draw(affinity, tr("chart.affinity_title", self.lang, state=state_name))


def capital_spots(view: MapView) -> list[tuple[str, float, float]]:
    """Each state's capital as (code, left, top) in percent of the map picture, for the page's
    click targets over the PNG."""
    view.fig.canvas.draw_idle()
    width, height = view.fig.bbox.width, view.fig.bbox.height
    xy = view.ax.transData.transform(np.column_stack([view.world.lon, view.world.lat]))
    return [
        (code, float(100 * x / width), float(100 * (1 - y / height)))
        for code, (x, y) in zip(view.world.states, xy, strict=True)
    ]


def fan_png(world: World, quantiles: np.ndarray, title: str, month: int | None = None, lang: str = SOURCE) -> bytes:
    """A fan chart of the influence shares of many histories: for each power its median line and a
    band from the first to the last quantile. quantiles: (3, months + 1, P); `month` is marked by a
    vertical line. Drawn on a new figure (ensembles are run seldom)."""
    fig = Figure(figsize=CHART_SIZE)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.16, 0.13, 0.55, 0.77))
    months = np.arange(quantiles.shape[1])
    ends = blended_transform_factory(ax.transAxes, ax.transData)
    for p, (code, name) in enumerate(zip(world.powers, world_names(world, lang).powers.values(), strict=True)):
        colour = power_color(code)
        ax.fill_between(months, quantiles[0, :, p], quantiles[-1, :, p], color=colour, alpha=0.2, linewidth=0)
        ax.plot(months, quantiles[1, :, p], color=colour, linestyle=power_linestyle(code), linewidth=3.0)
        ax.text(
            1.02,
            quantiles[1, -1, p],
            name,
            color=readable(colour),
            fontsize=FONT - 2,
            fontweight="bold",
            va="center",
            transform=ends,
            clip_on=False,
            path_effects=_HALO,
        )
    if month is not None:
        ax.axvline(month, color="0.3", linewidth=1.0, linestyle=":")
    ax.set_ylim(0.0, 1.0)
    ax.set_xlim(0, max(months[-1], 1))
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.set_ylabel(tr("chart.share_axis", lang), fontsize=FONT)
    ax.set_xlabel(tr("chart.month_axis", lang), fontsize=FONT - 2)
    ax.tick_params(labelsize=FONT - 2)
    ax.grid(True, color="0.88", linewidth=0.8)
    ax.set_title(title, fontsize=FONT - 1, loc="left")
    return to_png(fig)
