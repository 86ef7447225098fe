"""A small synthetic run (3 states, 3 powers, 4 monthly steps) as the model's output tables.

The story: Mali (a junta) turns from France to Russia, expelling France in month 1; Niger has a
coup in month 2 and Russia deploys in month 3, sharing a US base; Senegal stays with France.
The numbers are chosen so that the metrics can be checked by hand (see test_metrics.py).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

DATES = ["2024-01", "2024-02", "2024-03", "2024-04"]

# code: (name, population_m, capital lon, capital lat)
STATES = {
    "MLI": ("Mali", 20.0, -8.0, 12.65),
    "NER": ("Niger", 25.0, 2.11, 13.51),
    "SEN": ("Senegal", 15.0, -17.45, 14.69),
}
REGIME = {
    "MLI": ["junta"] * 4,
    "NER": ["civilian", "civilian", "junta", "junta"],
    "SEN": ["civilian"] * 4,
}
LEADING_PARTNER = {
    "MLI": ["FRA", "RUS", "RUS", "RUS"],
    "NER": ["USA", "USA", "none", "RUS"],
    "SEN": ["FRA", "FRA", "FRA", "FRA"],
}
# (state, power): affinity at steps 0..3
AFFINITY = {
    ("MLI", "USA"): [0.2, 0.1, 0.0, -0.1],
    ("MLI", "FRA"): [0.5, 0.3, -0.2, -0.4],
    ("MLI", "RUS"): [-0.1, 0.4, 0.6, 0.7],
    ("NER", "USA"): [0.4, 0.4, 0.3, 0.1],
    ("NER", "FRA"): [0.2, 0.2, -0.3, -0.5],
    ("NER", "RUS"): [0.0, 0.1, 0.5, 0.6],
    ("SEN", "USA"): [0.3, 0.3, 0.3, 0.3],
    ("SEN", "FRA"): [0.6, 0.5, 0.4, 0.4],
    ("SEN", "RUS"): [-0.4, -0.3, -0.2, 0.1],
}
TERMS = [
    "term_security",
    "term_economic",
    "term_regime_protection",
    "term_sovereignty",
    "term_conditionality",
    "term_peer",
    "term_opinion",
]


def _states(run: int) -> pd.DataFrame:
    rows = []
    for step, date in enumerate(DATES):
        for code, (name, pop, lon, lat) in STATES.items():
            rows.append(
                {
                    "run": run,
                    "step": step,
                    "date": date,
                    "state": code,
                    "name": name,
                    "regime": REGIME[code][step],
                    "legitimacy": 0.5,
                    "insurgency": 0.4 if code != "SEN" else 0.0,
                    "leading_partner": LEADING_PARTNER[code][step],
                    "population_m": pop,
                    "lon": lon,
                    "lat": lat,
                    "ecowas": code == "SEN" or (code == "NER" and step < 2),
                    "aes": code == "MLI" or (code == "NER" and step >= 2),
                    "sanctioned": code == "NER" and step >= 2,
                }
            )
    return pd.DataFrame(rows)


def _ties(run: int) -> pd.DataFrame:
    rows = []
    for step, date in enumerate(DATES):
        for (code, power), values in AFFINITY.items():
            affinity = values[step]
            row = {
                "run": run,
                "step": step,
                "date": date,
                "state": code,
                "power": power,
                "affinity": affinity,
                "opinion": affinity / 2,
                "troops": 100.0 if affinity > 0.3 else 0.0,
                "aid_security_usd_m": 1.0,
                "aid_economic_usd_m": 2.0,
                "info_ops_usd_m": 0.1,
                "aid_suspended": code == "NER" and power == "USA" and step >= 2,
                "expelled": code == "MLI" and power == "FRA" and step >= 1,
                "utility": affinity,
            }
            row.update(dict.fromkeys(TERMS, 0.0))
            rows.append(row)
    return pd.DataFrame(rows)


def _events(run: int) -> pd.DataFrame:
    # (step, type, state, power, bloc, scripted, base)
    spec = [
        (1, "expel", "MLI", "FRA", "", False, ""),
        (1, "invite", "MLI", "RUS", "", True, ""),
        (2, "coup", "NER", "", "", True, ""),
        (2, "aid_suspend", "NER", "USA", "", False, ""),
        (2, "sanction", "NER", "", "ECOWAS", False, ""),
        (3, "deploy", "NER", "RUS", "", False, ""),
        (3, "withdraw_complete", "MLI", "FRA", "", False, ""),
    ]
    return pd.DataFrame(
        [
            {
                "run": run,
                "step": step,
                "date": DATES[step],
                "type": kind,
                "state": state,
                "power": power,
                "bloc": bloc,
                "scripted": scripted,
                "cause": f"synthetic {kind}",
                "base": base,
            }
            for step, kind, state, power, bloc, scripted, base in spec
        ]
    )


def _bases(run: int) -> pd.DataFrame:
    rows = []
    for step, date in enumerate(DATES):
        # (base, state, owner, co_tenant, lon, lat)
        here = [
            ("Air Base 201", "NER", "USA", "RUS" if step >= 2 else "", 7.99, 16.97),
            ("Camp Geille", "SEN", "FRA", "", -17.45, 14.69),
        ]
        if step >= 1:
            here.append(("Bamako airport", "MLI", "RUS", "", -7.95, 12.54))
        for base, state, owner, tenant, lon, lat in here:
            rows.append(
                {
                    "run": run,
                    "step": step,
                    "date": date,
                    "base": base,
                    "state": state,
                    "owner": owner,
                    "co_tenant": tenant,
                    "lon": lon,
                    "lat": lat,
                }
            )
    return pd.DataFrame(rows)


def make_run(run: int = 0) -> dict[str, pd.DataFrame]:
    """All five tables of one synthetic run."""
    return {
        "states": _states(run),
        "ties": _ties(run),
        "events": _events(run),
        "bases": _bases(run),
        "borders": pd.DataFrame({"state_a": ["MLI", "MLI"], "state_b": ["NER", "SEN"]}),
    }


def _square(lon: float, lat: float, half: float) -> list[list[list[float]]]:
    return [
        [
            [lon - half, lat - half],
            [lon + half, lat - half],
            [lon + half, lat + half],
            [lon - half, lat + half],
            [lon - half, lat - half],
        ]
    ]


def make_outlines() -> dict:
    """Square 'countries' around each capital, Senegal as a MultiPolygon, plus a far unmodelled one."""

    def feature(iso3: str, geometry: dict) -> dict:
        return {"type": "Feature", "properties": {"iso3": iso3, "name": iso3}, "geometry": geometry}

    return {
        "type": "FeatureCollection",
        "features": [
            feature("MLI", {"type": "Polygon", "coordinates": _square(-4.0, 17.0, 5.0)}),
            feature("NER", {"type": "Polygon", "coordinates": _square(8.0, 17.0, 4.0)}),
            feature(
                "SEN",
                {
                    "type": "MultiPolygon",
                    "coordinates": [_square(-15.0, 14.5, 2.0), _square(-16.5, 12.5, 0.5)],
                },
            ),
            # Far from the modelled states: must not widen the view.
            feature("ZAF", {"type": "Polygon", "coordinates": _square(25.0, -29.0, 5.0)}),
        ],
    }


@pytest.fixture
def run_tables() -> dict[str, pd.DataFrame]:
    """One synthetic run (run id 0)."""
    return make_run(0)


@pytest.fixture
def sweep_tables() -> dict[str, pd.DataFrame]:
    """Two runs (ids 3 and 7) in the same tables; run 7 has every affinity halved."""
    a, b = make_run(3), make_run(7)
    b["ties"] = b["ties"].assign(affinity=b["ties"]["affinity"] / 2)
    return {name: pd.concat([a[name], b[name]], ignore_index=True) if name != "borders" else a[name] for name in a}


@pytest.fixture
def outlines() -> dict:
    return make_outlines()


@pytest.fixture
def run_dir(tmp_path: Path, run_tables: dict[str, pd.DataFrame]) -> Path:
    """The synthetic run written as Parquet files, the way the model writes a run directory."""
    for name, table in run_tables.items():
        table.to_parquet(tmp_path / f"{name}.parquet", index=False)
    return tmp_path


def _small_sweep(root: Path, *overrides: str) -> Path:
    from sim.config import compose_config
    from sim.sweep import run_sweep
    from sim.sweep_conf import SweepAppConfig

    cfg = compose_config(["run.steps=12", *overrides], config_name="sweep_app", schema=SweepAppConfig)
    return run_sweep(cfg, root, progress=False)


@pytest.fixture(scope="session")
def morris_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small real sweep folder: the demo Morris design cut to 6 trajectories (6 x 5 = 30 points)
    x 2 seeds = 60 runs of 12 months, in 3 chunks of 20 runs."""
    return _small_sweep(
        tmp_path_factory.mktemp("morris_sweep"),
        "sweep=demo_morris",
        "sweep.samples=6",
        "sweep.seeds_per_point=2",
        "sweep.chunk_runs=20",
    )


@pytest.fixture(scope="session")
def grid_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo grid (3 x 3 points), one seed each: 9 runs of 12 months."""
    return _small_sweep(tmp_path_factory.mktemp("grid_sweep"), "sweep=demo_grid", "sweep.seeds_per_point=1")


@pytest.fixture(scope="session")
def sobol_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo Sobol design cut to N = 4: 4 x (3 + 2) = 20 points, two (common) seeds each, 12 months."""
    return _small_sweep(
        tmp_path_factory.mktemp("sobol_sweep"), "sweep=demo_sobol", "sweep.samples=4", "sweep.seeds_per_point=2"
    )
