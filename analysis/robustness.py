"""Robustness of lever settings across futures: regret and satisficing over an uncertainty ensemble.

A sweep with levers (sweep.levers, sweep.factors: docs/ema.md) runs every lever setting (what a power
chooses) in every future of the uncertainty design (what it does not control), with the same seeds in
the same future. For one outcome, each setting's value in a future is the mean over that future's
seeds (a probability for a yes/no outcome). Then, per setting:

    regret in a future   the best value any setting reaches in that future minus this setting's
                         (Savage's minimax regret; 0 for the best setting there)
    max / p90 regret     the largest, and the 90th percentile, of its regrets over the futures
    satisficing          the share of futures in which it meets a threshold (Starr's domain criterion)
    worst, mean          its worst and mean value over the futures

`robustness` ranks settings by maximum regret (then 90th-percentile regret); `plot_robustness` draws
the ranking. Direction: an outcome to maximize by default (`maximize=False` for one to keep low).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.colors import POWER_COLORS, POWER_NAMES, power_color
from analysis.sweep_data import LEVER_SETTING, RUN_KEYS, UNCERTAINTY_POINT

#: The share of futures under which regret is read off as "p90" (the 90th percentile).
REGRET_QUANTILE = 0.9


def setting_labels(runs: pd.DataFrame) -> pd.Series:
    """A short label per lever setting from its factor and lever values, e.g. 'experiment=us_stays,
    USA.budget_factor=2' (power knobs shortened to CODE.knob), indexed by lever_setting."""
    columns = [c for c in runs.columns if c not in (*RUN_KEYS, LEVER_SETTING, UNCERTAINTY_POINT)]
    per_setting = runs.drop_duplicates(LEVER_SETTING).set_index(LEVER_SETTING).sort_index()
    # the levers and factors: constant within a setting, different between settings
    shown = [c for c in columns if runs.groupby(LEVER_SETTING)[c].nunique().max() == 1 and per_setting[c].nunique() > 1]

    def short(name: str) -> str:
        return name.removeprefix("scenario.powers.")

    def value(v: object) -> str:
        return f"{v:g}" if isinstance(v, float | np.floating) else str(v)

    return pd.Series(
        [", ".join(f"{short(c)}={value(row[c])}" for c in shown) for _, row in per_setting.iterrows()],
        index=per_setting.index,
        name="setting",
    )


def future_values(runs: pd.DataFrame, values: pd.Series) -> pd.DataFrame:
    """One row per future (uncertainty_point), one column per lever setting: the mean of the outcome
    over the future's seeds. `values` is indexed by run (analysis.outcomes.sweep_outcome)."""
    missing = [c for c in (LEVER_SETTING, UNCERTAINTY_POINT) if c not in runs.columns]
    if missing:
        raise ValueError(
            f"The sweep has no {' or '.join(missing)} column in runs.parquet: it was run without levers. "
            f"Robustness needs lever settings crossed with futures: give sweep.levers or sweep.factors "
            f"(e.g. conf/sweep/us_posture.yaml, docs/ema.md)."
        )
    frame = runs[["run", LEVER_SETTING, UNCERTAINTY_POINT]].assign(value=values.reindex(runs["run"]).to_numpy(float))
    return frame.pivot_table(index=UNCERTAINTY_POINT, columns=LEVER_SETTING, values="value", aggfunc="mean")


def regret(table: pd.DataFrame, maximize: bool = True) -> pd.DataFrame:
    """Per future and setting, how far the setting falls short of the best setting in that future (>= 0)."""
    return table.rsub(table.max(axis=1), axis=0) if maximize else table.sub(table.min(axis=1), axis=0)


def robustness(table: pd.DataFrame, maximize: bool = True, threshold: float | None = None) -> pd.DataFrame:
    """One row per lever setting, best first: mean and worst value over the futures, maximum and
    90th-percentile regret, and (given a threshold) the share of futures in which the setting meets it."""
    reg = regret(table, maximize)
    out = pd.DataFrame(
        {
            "mean": table.mean(),
            "worst": table.min() if maximize else table.max(),
            "max_regret": reg.max(),
            "p90_regret": reg.quantile(REGRET_QUANTILE),
            "futures": table.notna().sum(),
        }
    )
    if threshold is not None:
        meets = table >= threshold if maximize else table <= threshold
        out["satisficing"] = meets.mean()
    out = out.sort_values(["max_regret", "p90_regret"], kind="stable")
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def plot_robustness(
    table: pd.DataFrame,
    summary: pd.DataFrame,
    labels: pd.Series,
    outcome: str,
    maximize: bool = True,
    threshold: float | None = None,
    power: str | None = None,
) -> Figure:
    """Two panels, settings ranked by maximum regret (most robust on top): the spread of each setting's
    regret over the futures (box: quartiles; whiskers: 5-95%; dot: maximum), and the share of futures
    that meet the threshold (or the mean value without one). Coloured by `power` (analysis.colors)."""
    order = list(summary.index)
    reg = regret(table, maximize)[order]
    color = power_color(power) if power in POWER_COLORS else "#555555"
    fig = Figure(figsize=(12, 1.6 + 0.5 * len(order)), layout="constrained")
    left, right = fig.subplots(1, 2, sharey=True, width_ratios=(3, 2))
    positions = np.arange(len(order))[::-1]
    data = [reg[s].dropna().to_numpy() for s in order]
    left.boxplot(
        data,
        positions=positions,
        orientation="horizontal",
        whis=(5, 95),
        showfliers=False,
        widths=0.6,
        patch_artist=True,
        boxprops={"facecolor": color, "alpha": 0.35, "edgecolor": color},
        medianprops={"color": color},
        whiskerprops={"color": color},
        capprops={"color": color},
    )
    left.scatter([d.max() for d in data], positions, color=color, zorder=3, label="maximum regret")
    left.set_yticks(positions, [f"{summary.loc[s, 'rank']}. {labels.get(s, s)}" for s in order])
    left.set_xlabel(
        f"regret: shortfall from the best setting in the same future\n(the outcome is better "
        f"{'higher' if maximize else 'lower'}; 0 = the best there)"
    )
    left.legend(loc="upper right", fontsize="small")
    left.grid(axis="x", alpha=0.3)
    if threshold is not None:
        right.barh(positions, summary.loc[order, "satisficing"], color=color, alpha=0.8)
        right.set_xlim(0, 1)
        right.set_xlabel(f"satisficing: share of futures\nwith the outcome {'>=' if maximize else '<='} {threshold:g}")
    else:
        right.barh(positions, summary.loc[order, "mean"], color=color, alpha=0.8)
        right.set_xlabel("the outcome's mean\nover the futures")
    right.grid(axis="x", alpha=0.3)
    who = f"{POWER_NAMES[power]} " if power in POWER_NAMES else ""
    fig.suptitle(
        f"Which {who}lever setting is robust across {table.shape[0]} futures it does not control?\n"
        f"Outcome: {outcome}\nranked by maximum regret (1 = most robust); a future's value is the mean "
        f"over its seeds"
    )
    return fig
