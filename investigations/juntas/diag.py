# ruff: noqa
"""Trace new juntas: mean term contributions per power at the coup month, +6, +12, +23 (tu0.6 by default)."""
import sys
from collections import defaultdict
import numpy as np
from sim.config import compose_config, to_config
from sim.core.simulation import Simulation
from sim.core.world import load_world, scenario_path
from sim.core.vocabulary import TERMS
N = int(sys.argv[1]); ov = sys.argv[2:] or ["effects.trade_in_utility=0.6"]
cfg = to_config(compose_config(["run.plots=false", *ov]))
world = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
sim = Simulation(cfg, world, list(range(N)))
hist = []
juntas = []
for t in range(36):
    juntas.append(sim.state.junta.copy())
    sim.step()
    st = sim.state
    hist.append((st.contributions.copy(), st.affinity.copy(), st.troops.copy(), st.aid_suspended.copy()))
P = world.powers
acc = defaultdict(list)
ev = defaultdict(int)
for e in sim.events:
    if (len(sys.argv) > 1 and __import__("os").environ.get("ST") and world.states[e.state] != __import__("os").environ["ST"]):
        continue
    if e.type != "coup" or e.step is None or e.step > 12 or juntas[e.step - 1][e.state, e.run]:
        continue
    for lag in (0, 1, 6, 12, 23):
        c, a, tr, sus = hist[min(e.step - 1 + lag, 35)]
        acc[lag].append((c[:, e.state, :, e.run], a[e.state, :, e.run], tr[e.state, :, e.run] > 0, sus[e.state, :, e.run]))
    for e2 in sim.events:
        if e2.run == e.run and e2.state == e.state and e2.step is not None and e.step <= e2.step <= e.step + 23 and e2.type in ("deploy", "expel", "invite", "aid_suspend", "aid_resume", "transition"):
            ev[(e2.type, P[e2.power] if e2.power is not None and e2.power >= 0 else "-")] += 1
n = len(acc[0])
print("new juntas:", n)
for lag, rows in acc.items():
    c = np.mean([r[0] for r in rows], 0); a = np.mean([r[1] for r in rows], 0); tr = np.mean([r[2] for r in rows], 0); sus = np.mean([r[3] for r in rows], 0)
    print(f"--- lag {lag}")
    print("      " + " ".join(f"{t[:8]:>8s}" for t in TERMS) + "   util   aff  present susp")
    for p in range(len(P)):
        print(f"  {P[p]} " + " ".join(f"{c[k, p]:8.3f}" for k in range(len(TERMS))) + f" {c[:, p].sum():6.3f} {a[p]:5.2f} {tr[p]:5.2f} {sus[p]:5.2f}")
print({k: v for k, v in sorted(ev.items())})
