"""Figures of briefs and the debrief; each returns a matplotlib Figure (titled, labelled axes with
units, dates on time axes, the fixed power colours of analysis.colors)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from analysis.colors import ordered_powers, power_color, power_label, power_linestyle
from analysis.metrics import month_to_timestamp
from analysis.plots import _format_month_axis

Boundaries = Sequence[tuple[str, str]]  # (date 'YYYY-MM' where a turn starts, label)


def _when(dates: pd.Series | Sequence[str]) -> np.ndarray:
    return month_to_timestamp(pd.Series(list(dates))).to_numpy()


def _turn_lines(ax: Axes, boundaries: Boundaries) -> None:
    """Dotted vertical lines where turns start, labelled T1, T2, ..."""
    for date, label in boundaries:
        when = month_to_timestamp(pd.Series([date])).iloc[0]
        ax.axvline(when, color="0.6", linestyle=":", linewidth=0.8, zorder=0)
        ax.text(when, 0.98, f" {label}", transform=ax.get_xaxis_transform(), fontsize=7, color="0.4", va="top")


def _month_axis(ax: Axes, dates: Sequence[str]) -> None:
    when = month_to_timestamp(pd.Series(list(dates)))
    _format_month_axis(ax, pd.Timestamp(when.min()), pd.Timestamp(when.max()))
    ax.set_xlabel("date (month)")


def stance_chart(
    labels: Sequence[str],
    start: np.ndarray | None,
    end: np.ndarray,
    power: str,
    title: str,
    start_label: str,
    end_label: str,
) -> Figure:
    """Each state's affinity to one power at two moments: hollow grey (start) to filled (end);
    only the end when start is None."""
    order = np.argsort(end)
    n = len(labels)
    fig = Figure(figsize=(8.0, 1.4 + 0.26 * n), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(n)
    color = power_color(power)
    if start is not None:
        ax.hlines(y, start[order], end[order], color="0.7", linewidth=1.5)
        ax.scatter(start[order], y, s=28, facecolors="white", edgecolors="0.45", label=start_label, zorder=3)
    ax.scatter(end[order], y, s=34, color=color, label=end_label, zorder=4)
    ax.axvline(0, color="0.3", linewidth=0.8)
    ax.set_yticks(y, [labels[i] for i in order])
    ax.set_xlim(-1.0, 1.0)
    ax.set_xlabel(f"affinity of the government to {power_label(power)} (-1 hostile, +1 aligned; unitless)")
    ax.set_ylabel("state")
    ax.grid(True, axis="x", color="0.9", linewidth=0.6)
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(title)
    return fig


def share_lines(
    shares: pd.DataFrame, title: str, powers: Sequence[str] | None = None, boundaries: Boundaries = ()
) -> Figure:
    """Influence share over time (columns date, power, share), one line per power."""
    fig = Figure(figsize=(9.0, 4.2), layout="constrained")
    ax = fig.add_subplot()
    chosen = ordered_powers(shares["power"].unique().tolist()) if powers is None else list(powers)
    for p in chosen:
        d = shares.loc[shares["power"] == p].sort_values("date")
        ax.plot(
            _when(d["date"]),
            d["share"],
            color=power_color(p),
            linestyle=power_linestyle(p),
            linewidth=2.0,
            marker="o" if len(d) < 3 else None,
            label=power_label(p),
        )
    ax.set_ylim(0.0, max(0.05, float(shares.loc[shares["power"].isin(chosen), "share"].max()) * 1.15))
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
    ax.set_ylabel("influence share (% of population-\nweighted positive affinity)")
    ax.grid(True, axis="y", color="0.9", linewidth=0.6)
    _month_axis(ax, shares["date"])
    _turn_lines(ax, boundaries)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, title="Foreign power")
    ax.set_title(title)
    return fig


def affinity_panels(
    ties: pd.DataFrame, states: Sequence[str], names: dict[str, str], title: str, boundaries: Boundaries = ()
) -> Figure:
    """One panel per state: its government's affinity to each power over time."""
    n = len(states)
    cols = min(n, 3)
    rows = -(-n // cols)
    fig = Figure(figsize=(3.6 * cols + 1.6, 2.6 * rows + 0.6), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False, sharey=True)
    powers = ordered_powers(ties["power"].unique().tolist())
    for k, code in enumerate(states):
        ax = axes[k // cols][k % cols]
        d = ties.loc[ties["state"] == code]
        for p in powers:
            dp = d.loc[d["power"] == p].sort_values("date")
            ax.plot(
                _when(dp["date"]),
                dp["affinity"],
                color=power_color(p),
                linestyle=power_linestyle(p),
                linewidth=1.6,
                label=power_label(p),
            )
        ax.axhline(0, color="0.4", linewidth=0.6)
        ax.set_ylim(-1, 1)
        ax.set_title(names.get(code, code), fontsize=10)
        ax.set_ylabel("affinity (-1..1)")
        _month_axis(ax, d["date"])
        _turn_lines(ax, boundaries)
    for k in range(n, rows * cols):
        axes[k // cols][k % cols].set_visible(False)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right upper", frameon=False, title="Foreign power")
    fig.suptitle(title)
    return fig


def status_lines(
    states: pd.DataFrame, codes: Sequence[str], names: dict[str, str], title: str, boundaries: Boundaries = ()
) -> Figure:
    """Legitimacy and insurgent threat of some states over time (two panels, one line per state)."""
    fig = Figure(figsize=(10.0, 3.6), layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    for ax, column, label in (
        (axes[0], "legitimacy", "legitimacy (0..1)"),
        (axes[1], "insurgency", "insurgent threat (0..1)"),
    ):
        for code in codes:
            d = states.loc[states["state"] == code].sort_values("date")
            ax.plot(_when(d["date"]), d[column], linewidth=1.8, label=names.get(code, code))
        ax.set_ylim(0, 1)
        ax.set_ylabel(label)
        ax.set_title(label.split(" (")[0].capitalize())
        _month_axis(ax, states["date"])
        _turn_lines(ax, boundaries)
        ax.grid(True, axis="y", color="0.9", linewidth=0.6)
    axes[1].legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, title="State")
    fig.suptitle(title)
    return fig


def bloc_counts(states: pd.DataFrame, bloc: str, title: str, boundaries: Boundaries = ()) -> Figure:
    """Members of a bloc over time, and how many of them are juntas or under sanctions."""
    col = bloc.lower()
    members = states.loc[states[col].astype(bool)]
    dates = sorted(states["date"].unique())
    counts = (
        pd.DataFrame(
            {
                "members": members.groupby("date").size(),
                "members ruled by a junta": members.loc[members["regime"] == "junta"].groupby("date").size(),
                "members under sanctions": members.loc[members["sanctioned"].astype(bool)].groupby("date").size(),
            }
        )
        .reindex(dates)
        .fillna(0)
    )
    fig = Figure(figsize=(9.0, 3.6), layout="constrained")
    ax = fig.add_subplot()
    for (name, values), style in zip(counts.items(), ("-", "--", ":"), strict=True):
        ax.step(_when(counts.index), values, where="post", linestyle=style, linewidth=2.0, label=name)
    ax.set_ylabel("number of states")
    ax.set_ylim(0, max(1.0, float(counts.to_numpy().max())) + 1)
    _month_axis(ax, dates)
    _turn_lines(ax, boundaries)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_title(title)
    return fig


def affinity_heat(
    states: Sequence[str], powers: Sequence[str], start: np.ndarray, end: np.ndarray, title: str
) -> Figure:
    """States x powers: colour = affinity at the end, text = end value and change since the start."""
    fig = Figure(figsize=(1.6 + 1.3 * len(powers), 1.2 + 0.3 * len(states)), layout="constrained")
    ax = fig.add_subplot()
    image = ax.imshow(end, cmap="RdBu", vmin=-1, vmax=1, aspect="auto")
    for (i, j), v in np.ndenumerate(end):
        d = v - start[i, j]
        ax.text(
            j,
            i,
            f"{v:+.2f} ({d:+.2f})",
            ha="center",
            va="center",
            fontsize=7,
            color="white" if abs(v) > 0.6 else "black",
        )
    ax.set_xticks(np.arange(len(powers)), [power_label(p) for p in powers], rotation=20, ha="right")
    ax.set_yticks(np.arange(len(states)), states)
    ax.set_xlabel("foreign power")
    ax.set_ylabel("state")
    fig.colorbar(image, ax=ax, label="affinity at the end (-1..1; change in brackets)")
    ax.set_title(title)
    return fig


def fan_panels(bands: pd.DataFrame, game: pd.DataFrame, title: str, boundaries: Boundaries = ()) -> Figure:
    """One panel per power: the ensemble's median, 50% and 90% bands, and the game's path on top.

    bands: quantile_bands(shares, 'share') with q05..q95 by date and power; game: date, power, share.
    """
    powers = ordered_powers(bands["power"].unique().tolist())
    cols = min(len(powers), 3)
    rows = -(-len(powers) // cols)
    fig = Figure(figsize=(4.2 * cols, 3.0 * rows + 0.7), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False)
    n = int(bands["n_runs"].max())
    for k, p in enumerate(powers):
        ax = axes[k // cols][k % cols]
        b = bands.loc[bands["power"] == p].sort_values("date")
        g = game.loc[game["power"] == p].sort_values("date")
        when, color = _when(b["date"]), power_color(p)
        ax.fill_between(when, b["q05"], b["q95"], color=color, alpha=0.15, linewidth=0, label="90% of histories")
        ax.fill_between(when, b["q25"], b["q75"], color=color, alpha=0.35, linewidth=0, label="50% of histories")
        ax.plot(when, b["q50"], color=color, linewidth=1.2, label="median history")
        ax.plot(_when(g["date"]), g["share"], color="black", linewidth=2.2, label="this game")
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
        ax.set_ylim(0, max(0.05, float(max(b["q95"].max(), g["share"].max())) * 1.15))
        ax.set_ylabel("influence share (%)")
        ax.set_title(power_label(p), color=color, fontsize=10)
        _month_axis(ax, b["date"])
        _turn_lines(ax, boundaries)
        ax.grid(True, axis="y", color="0.9", linewidth=0.6)
    for k in range(len(powers), rows * cols):
        axes[k // cols][k % cols].set_visible(False)
    handles = [
        Patch(color="0.55", alpha=0.2),
        Patch(color="0.55", alpha=0.45),
        Line2D([], [], color="0.55"),
        Line2D([], [], color="black", linewidth=2.2),
    ]
    labels = ["90% of histories", "50% of histories", "median history", "this game"]
    fig.legend(
        handles, labels, loc="outside lower center", ncols=4, frameon=False, title="Each panel in its power's colour"
    )
    fig.suptitle(f"{title}\n({n} simulated histories from the same start under the scenario's policies)")
    return fig


def whatif_lines(game: pd.DataFrame, alt: pd.DataFrame, team: str, title: str, boundaries: Boundaries = ()) -> Figure:
    """Each power's influence share in the game (solid) and in the what-if (dashed)."""
    fig = Figure(figsize=(9.0, 4.2), layout="constrained")
    ax = fig.add_subplot()
    for p in ordered_powers(game["power"].unique().tolist()):
        g, a = (d.loc[d["power"] == p].sort_values("date") for d in (game, alt))
        color = power_color(p)
        ax.plot(_when(g["date"]), g["share"], color=color, linewidth=2.0, label=f"{power_label(p)}: game")
        ax.plot(
            _when(a["date"]),
            a["share"],
            color=color,
            linewidth=1.6,
            linestyle="--",
            label=f"{power_label(p)}: without {team}'s moves",
        )
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
    ax.set_ylim(0, None)
    ax.set_ylabel("influence share (%)")
    _month_axis(ax, game["date"])
    _turn_lines(ax, boundaries)
    ax.grid(True, axis="y", color="0.9", linewidth=0.6)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    ax.set_title(title)
    return fig
