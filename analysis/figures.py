"""Write a run's standard figures as PNG files: the one place in the project that writes images.

Figures are built by `analysis.plots` as plain `Figure` objects and rendered here through the
Agg canvas explicitly, so nothing depends on (or changes) pyplot's backend or global state.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analysis.metrics import influence_share, resolve_run
from analysis.plots import affinity_small_multiples, event_timeline, influence_share_plot, partners_plot, region_map
from analysis.sweep_data import plain_strings
from sim.core.atomic import atomic_path
from sim.core.paths import scenario_dir

#: Country outlines shipped with the project (pass as `outlines_path` to draw them on the maps).
DEFAULT_OUTLINES = scenario_dir() / "africa_countries.geojson"

DPI = 120

# Columns of the tables that a run may legitimately leave out (no bases, no borders, no events).
_OPTIONAL_TABLES: dict[str, list[str]] = {
    "events": ["run", "step", "date", "type", "state", "power", "bloc", "scripted", "cause", "base"],
    "bases": ["run", "step", "date", "base", "state", "owner", "co_tenant", "lon", "lat"],
    "borders": ["state_a", "state_b"],
}


def read_run_tables(run_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Read states, ties, events, bases and borders from a run directory, codes and dates as plain
    strings (the files store them dictionary-encoded).

    states and ties are required; a missing events/bases/borders file reads as an empty table.
    """
    run_dir = Path(run_dir)
    tables = {name: plain_strings(pd.read_parquet(run_dir / f"{name}.parquet")) for name in ("states", "ties")}
    for name, columns in _OPTIONAL_TABLES.items():
        path = run_dir / f"{name}.parquet"
        tables[name] = plain_strings(pd.read_parquet(path)) if path.exists() else pd.DataFrame(columns=columns)
    return tables


def read_outlines(path: str | Path) -> dict[str, Any]:
    """Read a GeoJSON FeatureCollection of country outlines (properties: iso3, name)."""
    with Path(path).open(encoding="utf-8") as handle:
        return json.load(handle)


def save_figure(fig: Figure, path: str | Path, dpi: int = DPI) -> Path:
    """Render a Figure to a PNG through the Agg canvas and return the path."""
    path = Path(path)
    FigureCanvasAgg(fig)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=dpi, format="png", facecolor="white")
    return path


def write_run_plots(
    run_dir: str | Path, outlines_path: str | Path | None = None, *, run: int | None = None
) -> list[Path]:
    """Write the standard figures of a run into `run_dir/plots` and return their paths.

    Files: affinity.png, influence_share.png, partners.png, map_start.png, map_end.png, events.png.

    Args:
        run_dir: directory holding the run's Parquet tables.
        outlines_path: optional GeoJSON of country outlines for the maps (e.g. DEFAULT_OUTLINES).
        run: which run of a sweep to draw; the first run when None.
    """
    run_dir = Path(run_dir)
    tables = read_run_tables(run_dir)
    states, ties = tables["states"], tables["ties"]
    chosen = resolve_run(states, run)
    outlines = read_outlines(outlines_path) if outlines_path is not None else None
    names = dict(zip(states["state"], states["name"], strict=False))
    steps = states.loc[states["run"] == chosen, "step"]

    out_dir = run_dir / "plots"
    out_dir.mkdir(parents=True, exist_ok=True)
    figures = {
        "affinity.png": lambda: affinity_small_multiples(ties, run=chosen, names=names),
        "influence_share.png": lambda: influence_share_plot(
            influence_share(ties.loc[ties["run"] == chosen], states), run=chosen
        ),
        "partners.png": lambda: partners_plot(ties, run=chosen),
        "map_start.png": lambda: region_map(
            states, tables["bases"], tables["borders"], int(steps.min()), outlines, run=chosen
        ),
        "map_end.png": lambda: region_map(
            states, tables["bases"], tables["borders"], int(steps.max()), outlines, run=chosen
        ),
        "events.png": lambda: event_timeline(tables["events"], states, run=chosen),
    }
    # Build and save one at a time, so only one figure is held in memory.
    return [save_figure(build(), out_dir / name) for name, build in figures.items()]
