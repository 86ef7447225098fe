"""Figures of a hindcast: the reliability diagram and a heat table of forecast probabilities with
the observed events marked. Each takes data and returns a Figure (written by analysis.figures)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import PercentFormatter

from analysis.plots import _new_axes
from sim.core.vocabulary import event_label


def cell_label(kind: str, power: str = "", bloc: str = "") -> str:
    """A column label such as 'expel FRA', 'bloc join AES' or 'coup'."""
    return " ".join(x for x in (event_label(kind), power, bloc) if x)


def reliability_diagram(table: pd.DataFrame, title: str = "Reliability of the hindcast") -> Figure:
    """Observed frequency against mean forecast probability per bin (a reliability table from
    analysis.scoring.reliability_table), with the count of cells in each bin written beside its
    point and shown as bars underneath (the forecast's sharpness)."""
    fig = Figure(figsize=(6.0, 6.4), layout="constrained")
    top, bottom = fig.subplots(2, 1, height_ratios=(3, 1), sharex=True)
    filled = table.loc[table["count"] > 0]
    top.plot([0, 1], [0, 1], color="0.6", linestyle="--", linewidth=1.0, label="perfect calibration")
    top.plot(
        filled["mean_forecast"],
        filled["observed_frequency"],
        marker="o",
        color="#0072B2",
        linewidth=1.5,
        label="hindcast",
    )
    for _, row in filled.iterrows():
        right = row["mean_forecast"] > 0.85
        top.annotate(
            f"n={int(row['count'])}",
            (row["mean_forecast"], row["observed_frequency"]),
            textcoords="offset points",
            xytext=(-6 if right else 6, -12),
            ha="right" if right else "left",
            fontsize=7,
            color="0.25",
        )
    top.set_xlim(0, 1)
    top.set_ylim(-0.03, 1.03)
    top.set_ylabel("observed frequency of the event")
    top.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
    top.set_title(
        f"{title}\n({int(table['count'].sum())} cells, bins of width "
        f"{float(table['bin_high'].iloc[0] - table['bin_low'].iloc[0]):.1f})"
    )
    top.grid(True, color="0.92", linewidth=0.6)
    top.legend(loc="upper left", fontsize=8, framealpha=0.9, edgecolor="0.8")
    centres = (table["bin_low"] + table["bin_high"]) / 2
    bars = bottom.bar(centres, table["count"], width=(table["bin_high"] - table["bin_low"]) * 0.9, color="#56B4E9")
    bottom.bar_label(bars, labels=[str(int(n)) if n else "" for n in table["count"]], fontsize=7, padding=1)
    bottom.set_ylim(0, max(float(table["count"].max()), 1.0) * 1.25)
    bottom.set_ylabel("cells per bin")
    bottom.set_xlabel("forecast probability (share of runs with the event by the end)")
    bottom.xaxis.set_major_formatter(PercentFormatter(xmax=1.0))
    return fig


def outcome_heat_table(
    cells: pd.DataFrame, title: str = "Hindcast probability of each event by the end", ax: Axes | None = None
) -> Figure:
    """States x scored events, cell = forecast probability; a black frame marks what happened.

    cells: columns state, type, power, bloc, probability, observed (one row per cell).
    """
    labelled = cells.assign(
        label=[cell_label(t, p, b) for t, p, b in zip(cells["type"], cells["power"], cells["bloc"], strict=True)]
    )
    columns = list(dict.fromkeys(labelled["label"]))
    rows = list(dict.fromkeys(labelled["state"]))
    prob = labelled.pivot(index="state", columns="label", values="probability").loc[rows, columns]
    seen = labelled.pivot(index="state", columns="label", values="observed").loc[rows, columns]
    fig, ax = _new_axes(ax, (1.6 + 0.8 * len(columns), 1.4 + 0.34 * len(rows)))
    image = ax.imshow(prob.to_numpy(), cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
    for (i, j), v in np.ndenumerate(prob.to_numpy()):
        happened = bool(seen.iat[i, j])
        ax.text(
            j,
            i,
            f"{v:.0%}",
            ha="center",
            va="center",
            fontsize=7,
            fontweight="bold" if happened else "normal",
            color="white" if v > 0.6 else "black",
        )
        if happened:
            ax.add_patch(Rectangle((j - 0.46, i - 0.44), 0.92, 0.88, fill=False, edgecolor="black", linewidth=1.6))
    ax.set_xticks(np.arange(len(columns)), columns, rotation=45, ha="right")
    ax.set_yticks(np.arange(len(rows)), rows)
    ax.set_xlabel("event (black frame: it happened)")
    ax.set_ylabel("state (ISO3)")
    ax.set_title(title)
    fig.colorbar(image, ax=ax, label="share of runs with the event", format=PercentFormatter(xmax=1.0))
    return fig
