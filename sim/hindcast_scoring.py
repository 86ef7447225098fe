"""An ensemble scored against the record: the observed events in the model's vocabulary and the
hindcast cells (what happened in each state, and the ensemble's probability of it), shared by
`python -m sim.hindcast` (the whole run) and `python -m sim.calibrate` (a fit and a test window).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.observed import load_timeline, map_timeline, supplement_rows
from analysis.scoring import classify
from sim.core.world import World
from sim.outlook import KEYS, probability_within

#: The world a hindcast starts from (scenarios/hindcast_2020.yaml: the Sahel of January 2020).
DEFAULT_WORLD = "hindcast_2020"


def state_names(world: World) -> dict[str, str]:
    """How the timeline names each state, to its code (with the unaccented Côte d'Ivoire)."""
    names = dict(zip(world.state_names, world.states, strict=True))
    if "CIV" in world.states:
        names["Cote d'Ivoire"] = "CIV"
    return names


def observed_events(timeline: Path, world: World, supplements: bool = True) -> pd.DataFrame:
    """The timeline's events mapped to the model's events of `world`, then the documented supplements
    (unless supplements=False). A timeline that cannot be read or mapped raises ValueError naming the
    file and the fix."""
    try:
        mapped = map_timeline(load_timeline(timeline), state_names(world))
    except (OSError, ValueError) as exc:
        raise ValueError(
            f"The timeline {timeline} cannot be used ({exc}). Give a YAML file with an 'events' list "
            f"(the format of scenarios/reference/timeline.yaml) with --timeline."
        ) from None
    return pd.concat([mapped, supplement_rows()], ignore_index=True) if supplements else mapped


def hindcast_cells(first: pd.DataFrame, runs: int, steps: int, observed: pd.DataFrame) -> pd.DataFrame:
    """Observed outcomes joined with the ensemble's probability of each by the last month."""
    prob = probability_within(first, runs, steps)
    cells = observed.merge(prob, on=KEYS, how="left")
    cells["n_runs_with_event"] = cells["n_runs_with_event"].fillna(0).astype(int)
    cells["probability"] = cells["probability"].fillna(0.0)
    cells["n_runs"] = runs
    cells["error"] = cells["probability"] - cells["observed"]
    cells["class"] = classify(cells["probability"], cells["observed"])
    return cells[
        [*KEYS, "probability", "n_runs_with_event", "n_runs", "observed", "first_date", "evidence", "error", "class"]
    ]
