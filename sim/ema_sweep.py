"""A sweep folder (`python -m sim.sweep`) as EMA Workbench results: `(experiments, outcomes)`, the pair
that `perform_experiments` returns and EMA's analysis (prim, cart, feature_scoring, save_results) takes.

One row per run, in run order: the sweep's parameters, levers and categorical factors as columns
(factors as categories) under their EMA names (sim.ema.ema_name: dots as double underscores), and
EMA's `scenario` (the uncertainty point, or the design point), `policy` (the lever setting, 0 without
levers) and `model`; outcomes given in the sweeps' outcome language (analysis.outcomes), one value
per run, under their EMA names. Seeds stay in the sweep's runs.parquet.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.outcomes import sweep_outcome
from analysis.sweep_data import RUN_KEYS, layout, open_sweep
from sim.choices import CHOICES
from sim.designs import LEVER_SETTING, UNCERTAINTY_POINT
from sim.ema import ema_name


def sweep_experiments(
    path: str | Path, outcomes: Sequence[str], model: str = "sahel"
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """EMA's (experiments, outcomes) of the sweep in `path` for the outcome specs given (e.g.
    share:USA@36); a folder that is not a sweep, or an outcome it cannot give, raises ValueError with
    the fix."""
    sweep = open_sweep(path)
    runs = sweep.runs.sort_values("run").reset_index(drop=True)
    inputs = [c for c in runs.columns if c not in (*RUN_KEYS, LEVER_SETTING, UNCERTAINTY_POINT)]
    experiments = runs[inputs].copy()
    for factor in CHOICES:
        if factor in experiments:
            experiments[factor] = experiments[factor].astype(str).astype("category")
    futures = runs[UNCERTAINTY_POINT] if UNCERTAINTY_POINT in runs else runs["point"]
    settings = runs[LEVER_SETTING] if LEVER_SETTING in runs else pd.Series(0, index=runs.index)
    experiments["scenario"] = futures.astype("category")
    experiments["policy"] = settings.astype("category")
    experiments["model"] = pd.Categorical([model] * len(runs))
    frame = layout(sweep)
    values = {}
    for spec in outcomes:
        checked, series = sweep_outcome(sweep, spec, frame)
        values[ema_name(checked.spec)] = series.reindex(runs["run"].to_numpy()).to_numpy()
    return experiments.rename(columns={c: ema_name(c) for c in inputs}), values
