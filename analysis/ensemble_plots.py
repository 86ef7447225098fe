"""Figures over many runs: fan charts and heat tables. Each takes data and returns a Figure."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import PercentFormatter

from analysis.colors import ordered_powers, power_color, power_label
from analysis.metrics import month_to_timestamp
from analysis.plots import _format_month_axis, _new_axes
from sim.core.vocabulary import EVENT_TYPES, event_label


def fan_chart(
    bands: pd.DataFrame,
    *,
    group: str = "power",
    ylabel: str = "influence share (%)",
    title: str = "Influence share of each foreign power across runs",
    percent: bool = True,
    ax: Axes | None = None,
) -> Figure:
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
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, title="Foreign power", frameon=False)
    return fig


def probability_heat_table(probabilities: pd.DataFrame, horizon: int, ax: Axes | None = None) -> Figure:
    """States x event types, cell = probability of the event within `horizon` months, annotated
    with its 95% interval when the table has `low` and `high`. Cells where a scripted event (an
    input of the scenario, not a result) happens in some run are hatched and say so."""
    p = probabilities.loc[probabilities["horizon"] == horizon]
    wide = p.pivot_table(index="state", columns="type", values="probability", aggfunc="max").fillna(0.0)
    wide = wide[[t for t in EVENT_TYPES if t in wide.columns] + [t for t in wide.columns if t not in EVENT_TYPES]]

    def aligned(column: str, fill: float) -> pd.DataFrame:
        if column not in p.columns:
            return pd.DataFrame(fill, index=wide.index, columns=wide.columns)
        table = p.pivot_table(index="state", columns="type", values=column, aggfunc="max")
        return table.reindex(index=wide.index, columns=wide.columns).fillna(fill)

    low, high, scripted = aligned("low", np.nan), aligned("high", np.nan), aligned("scripted_runs", 0)
    fig, ax = _new_axes(ax, (1.6 + 0.95 * max(len(wide.columns), 1), 1.6 + 0.42 * max(len(wide), 1)))
    image = ax.imshow(wide.to_numpy(), cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
    ax.set_xticks(np.arange(len(wide.columns)), [event_label(c) for c in wide.columns], rotation=45, ha="right")
    ax.set_yticks(np.arange(len(wide.index)), wide.index)
    for (i, j), v in np.ndenumerate(wide.to_numpy()):
        lo, hi = low.iat[i, j], high.iat[i, j]
        text = f"{v:.0%}" + (f"\n{lo:.0%}-{hi:.0%}" if np.isfinite(lo) and np.isfinite(hi) else "")
        if scripted.iat[i, j] > 0:
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///", edgecolor="0.45", linewidth=0))
            text += "\n+ scripted"
        ax.text(j, i, text, ha="center", va="center", fontsize=6.5, color="white" if v > 0.6 else "black")
    ax.set_xlabel("event type")
    ax.set_ylabel("state (ISO3)")
    with_ci = " (95% Wilson interval below)" if "low" in p.columns else ""
    ax.set_title(f"Probability of at least one event within {horizon} months{with_ci}")
    fig.colorbar(
        image, ax=ax, label="probability across runs (scripted events left out)", format=PercentFormatter(xmax=1.0)
    )
    ax.legend(
        handles=[
            Patch(
                facecolor="white",
                edgecolor="0.45",
                hatch="///",
                label="a scripted event (an input of the scenario, not a result) also happens here",
            )
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.28),
        frameon=False,
        fontsize=8,
    )
    return fig


def fan_chart_by_level(
    bands: pd.DataFrame,
    *,
    level: str = "level",
    ylabel: str = "influence share (%)",
    title: str = "Influence share of each foreign power",
    percent: bool = True,
) -> Figure:
    """One fan chart per level of a factor (or per design point), side by side on one y scale.

    bands: `quantile_bands(..., by=("date", "power", level))`; levels in their category order.
    """
    levels = (
        list(bands[level].cat.categories)
        if isinstance(bands[level].dtype, pd.CategoricalDtype)
        else sorted(bands[level].unique())
    )
    levels = [v for v in levels if (bands[level] == v).any()]
    fig = Figure(figsize=(4.2 * max(len(levels), 1) + 2.2, 4.8), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, max(len(levels), 1), sharey=True, squeeze=False)[0])
    for ax, value in zip(axes, levels, strict=False):
        fan_chart(
            bands.loc[bands[level] == value].drop(columns=level),
            ylabel=ylabel,
            title=str(value),
            percent=percent,
            ax=ax,
        )
        if ax is not axes[-1]:
            ax.get_legend().remove()
        if ax is not axes[0]:
            ax.set_ylabel("")
    fig.suptitle(f"{title}, by {level if level != 'level' else 'factor level'} (median, 50% and 90% bands)")
    return fig
