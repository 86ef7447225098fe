"""A calibration's posterior sample: the accepted points that `python -m sim.calibrate` writes next
to its config file, and per-run parameter values drawn from them (`python -m sim.forecast --posterior`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

#: Sections of the configuration whose parameters may be fitted.
FITTABLE = ("incentives", "hazards", "insurgency", "alignment", "effects")


def posterior_path(config: Path) -> Path:
    """Where the accepted points of a calibration are kept, next to its config file."""
    return config.with_name(f"{config.stem}_posterior.csv")


def sample_parameters(sample: pd.DataFrame) -> list[str]:
    """The parameters of a posterior sample: every column but point and brier."""
    return [c for c in sample.columns if c not in ("point", "brier")]


def read_posterior(path: Path) -> pd.DataFrame:
    """The accepted points of a calibration (posterior_path); every column but point and brier is a
    parameter. A missing or malformed file raises ValueError naming the file and the fix."""
    try:
        table = pd.read_csv(path)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ValueError(
            f"The posterior sample {path} cannot be read ({exc}). Run `python -m sim.calibrate`, which "
            f"writes it next to its config file, or give another file."
        ) from None
    names = sample_parameters(table)
    bad = [n for n in names if n.split(".")[0] not in FITTABLE or not pd.api.types.is_numeric_dtype(table[n])]
    if table.empty or not names or bad:
        raise ValueError(
            f"The posterior sample {path} is not a calibration's accepted points: it needs one row per "
            f"point and numeric columns named like hazards.coup_base"
            f"{f' (bad columns: {bad})' if bad else ''}. Run `python -m sim.calibrate` to write it."
        )
    return table


def posterior_draws(accepted: pd.DataFrame, names: Sequence[str], runs: int) -> dict[str, np.ndarray]:
    """Per-run parameter values that cycle through the accepted points (run r: point r mod k), so an
    ensemble integrates over the posterior sample instead of using its mean."""
    rows = np.arange(runs) % len(accepted)
    return {n: accepted[n].to_numpy(float)[rows] for n in names}
