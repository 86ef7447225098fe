# ruff: noqa  (investigation scripts, not part of the package)
"""Who leads new juntas 24 months after a coup in the first 12 months (per state), per variant."""
import sys
from collections import Counter
import numpy as np
from sim.config import compose_config, to_config
from sim.core.simulation import Simulation
from sim.core.world import load_world, scenario_path
sys.path.insert(0, "/tmp/w/ti")
from variants import VARIANTS  # noqa
N = int(sys.argv[1])
for name in sys.argv[2].split(","):
    cfg = to_config(compose_config(["run.plots=false", *VARIANTS[name]]))
    world = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    sim = Simulation(cfg, world, list(range(N)))
    leads, juntas = [], []
    for t in range(36):
        juntas.append(sim.state.junta.copy())
        sim.step()
        leads.append(sim.state.affinity.argmax(1))
    out = Counter()
    for e in sim.events:
        if e.type != "coup":
            continue
        step = getattr(e, "step", None)
        if step is None or step > 12 or juntas[step - 1][e.state, e.run]:
            continue
        later = min(step + 23, 35)
        out[(world.states[e.state], world.powers[leads[later][e.state, e.run]])] += 1
    by_state = {}
    for (s, p), n in out.items():
        by_state.setdefault(s, Counter())[p] += n
    print(name, {s: dict(c.most_common()) for s, c in sorted(by_state.items(), key=lambda kv: -sum(kv[1].values()))})
