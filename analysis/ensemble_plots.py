"""Figures over many runs: fan charts and heat tables. Each takes data and returns a Figure."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from analysis.colors import ordered_powers, power_color, power_label
from analysis.metrics import month_to_timestamp
from analysis.plots import _format_month_axis, _new_axes
from sim.core.vocabulary import EVENT_TYPES, event_label


def fan_chart(bands: pd.DataFrame, *, group: str = "power", ylabel: str = "influence share (%)",
              title: str = "Influence share of each foreign power across runs", percent: bool = True,
              ax: Axes | None = None) -> Figure:
    """Median line with 50% and 90% bands over time, one colour per power.

    bands: output of `analysis.ensemble_metrics.quantile_bands` with by=("date", group).
    """
    fig, ax = _new_axes(ax, (9.0, 4.8))
    when_all = month_to_timestamp(bands["date"])
    for key in ordered_powers(bands[group].unique().tolist()):
        b = bands.loc[bands[group] == key].sort_values("date")
        when = month_to_timestamp(b["date"]).to_numpy()
        color = power_color(key)
        ax.fill_between(when, b["q05"], b["q95"], color=color, alpha=0.15, linewidth=0)
        ax.fill_between(when, b["q25"], b["q75"], color=color, alpha=0.3, linewidth=0)
        ax.plot(when, b["q50"], color=color, linewidth=2.0, label=power_label(key))
    n = int(bands["n_runs"].max()) if len(bands) else 0
    ax.set_title(f"{title}\n(median, 50% and 90% bands; {n} runs)")
    ax.set_xlabel("date (month)")
    ax.set_ylabel(ylabel)
    if percent:
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
    ax.grid(True, axis="y", color="0.9", linewidth=0.6)
    if len(bands):
        _format_month_axis(ax, pd.Timestamp(when_all.min()), pd.Timestamp(when_all.max()))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, title="Foreign power",
              frameon=False)
    return fig


def probability_heat_table(probabilities: pd.DataFrame, horizon: int, ax: Axes | None = None) -> Figure:
    """States x event types, cell = probability of the event within `horizon` months, annotated."""
    p = probabilities.loc[probabilities["horizon"] == horizon]
    wide = p.pivot_table(index="state", columns="type", values="probability", aggfunc="max").fillna(0.0)
    wide = wide[[t for t in EVENT_TYPES if t in wide.columns] + [t for t in wide.columns if t not in EVENT_TYPES]]
    fig, ax = _new_axes(ax, (1.2 + 0.75 * max(len(wide.columns), 1), 1.2 + 0.35 * max(len(wide), 1)))
    image = ax.imshow(wide.to_numpy(), cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
    ax.set_xticks(np.arange(len(wide.columns)), [event_label(c) for c in wide.columns], rotation=45,
                  ha="right")
    ax.set_yticks(np.arange(len(wide.index)), wide.index)
    for (i, j), v in np.ndenumerate(wide.to_numpy()):
        ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=7, color="white" if v > 0.6 else "black")
    ax.set_xlabel("event type")
    ax.set_ylabel("state (ISO3)")
    ax.set_title(f"Probability of at least one event within {horizon} months")
    fig.colorbar(image, ax=ax, label="probability across runs", format=PercentFormatter(xmax=1.0))
    return fig
