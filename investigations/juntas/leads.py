# ruff: noqa  (investigation scripts, not part of the package)
"""Share of runs each power leads selected states at month 36, per variant:
PYTHONPATH=$PWD python investigations/juntas/leads.py N name,name [experiment]"""
import sys
import numpy as np
from sim.config import compose_config, to_config
from sim.core.simulation import Simulation
from sim.core.world import load_world, scenario_path
sys.path.insert(0, "investigations/juntas")
from juntas import VARIANTS  # noqa
STATES = ["TCD", "GAB", "GIN", "SDN", "MLI", "BFA", "NER", "CMR", "NGA", "CIV", "SEN"]
n = int(sys.argv[1]); exp = sys.argv[3] if len(sys.argv) > 3 else None
for name in sys.argv[2].split(","):
    cfg = to_config(compose_config(["run.plots=false", *VARIANTS[name], *([f"experiment={exp}"] if exp else [])]))
    world = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    sim = Simulation(cfg, world, list(range(n)))
    sim.run()
    lead = sim.state.affinity.argmax(1)
    row = []
    for s in STATES:
        i = world.states.index(s)
        row.append(s + " " + ", ".join(f"{p}{(lead[i] == k).mean():.0%}" for k, p in enumerate(world.powers) if (lead[i] == k).mean() >= 0.05))
    print(name, " | ".join(row))
