"""The cause text of every event of a few seeds of three scenarios, one line per event: the fixture
tests/sim/core/data/causes.txt.gz was written by this script from the code before causes became
templates with a numeric payload (issue 19, step 2), so the test proves every text unchanged.

    python tests/helpers/cause_fixture.py --write   (run from the code to compare against)
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

from sim.config import compose_config
from sim.core.simulation import Simulation
from sim.core.world import load_world, scenario_path

FIXTURE = Path(__file__).resolve().parent.parent / "sim" / "core" / "data" / "causes.txt.gz"
#: scenario label -> configuration overrides; 40 seeds each (seeds 0..39), batched in one simulation
SCENARIOS: dict[str, list[str]] = {
    "baseline": [],
    "coup_wave": ["experiment=coup_wave"],
    "hindcast_2020": ["scenario=hindcast_2020", "run.steps=52"],
}
SEEDS = range(40)


def cause_lines(label: str) -> list[str]:
    """One line per event of the scenario's runs: label, run, step, type, indices, scripted, cause."""
    cfg = compose_config([*SCENARIOS[label], "run.plots=false", "run.summary=false"])
    world = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    simulation = Simulation(cfg, world, list(SEEDS))
    simulation.run()
    return [
        f"{label}|{e.run}|{e.step}|{e.type}|{e.state}|{e.power}|{e.bloc}|{e.base}|{e.scripted}|{e.cause}"
        for e in simulation.events
    ]


def all_lines() -> list[str]:
    return [line for label in SCENARIOS for line in cause_lines(label)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    lines = all_lines()
    if args.write:
        FIXTURE.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0))
        print(f"wrote {len(lines)} lines to {FIXTURE}")
    else:
        print("\n".join(lines))


if __name__ == "__main__":
    main()
