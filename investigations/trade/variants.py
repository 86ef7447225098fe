# ruff: noqa  (investigation scripts, not part of the package)
"""Trade investigation: alignment summary per variant. PYTHONPATH=$PWD python variants.py N [experiment]"""
import sys, json
import numpy as np, pandas as pd
from sim.config import compose_config, to_config
from sim.core.simulation import Simulation
from sim.core.world import load_world, scenario_path

VARIANTS = {
    "main": [],
    "tw0": ["effects.trade_weight=0"],
    "tw0.25": ["effects.trade_weight=0.25"],
    "tw0.3": ["effects.trade_weight=0.3"],
    "ref0.4": ["effects.trade_weight=0", "alignment.trade_reference=0.4"],
    "ref0.2": ["effects.trade_weight=0", "alignment.trade_reference=0.2"],
    "bonus0.15": ["effects.trade_weight=0", "alignment.trade_bonus=0.15"],
    "warm0.2": ["effects.trade_weight=0", "alignment.trade_warmth=0.2"],
    "warm0.3": ["effects.trade_weight=0", "alignment.trade_warmth=0.3"],
    "tw0.15+warm0.2": ["effects.trade_weight=0.15", "alignment.trade_warmth=0.2"],
    "notrade": ["effects.trade_in_utility=0"],
    "tu0.6": ["effects.trade_in_utility=0.6"],
    "tu0.5": ["effects.trade_in_utility=0.5"],
    "ref0.2u": ["effects.trade_in_utility=0", "alignment.trade_reference=0.2"],
    "bonus0.15u": ["effects.trade_in_utility=0", "alignment.trade_bonus=0.15"],
    "floor0.3u": ["effects.trade_in_utility=0", "alignment.trade_floor=0.3"],
    "warm0.3u": ["effects.trade_in_utility=0", "alignment.trade_warmth=0.3"],
    "warm0.5u": ["effects.trade_in_utility=0", "alignment.trade_warmth=0.5"],
    "tu0.4+warm0.3": ["effects.trade_in_utility=0.4", "alignment.trade_warmth=0.3"],
    "warm0.3u-l0": ["effects.trade_in_utility=0", "alignment.trade_warmth=0.3", "alignment.trade_warmth_leader=0"],
    "floor0.3": ["effects.trade_weight=0", "alignment.trade_floor=0.3"],
    "floor0.4": ["effects.trade_weight=0", "alignment.trade_floor=0.4"],
    "floor0.5": ["effects.trade_weight=0", "alignment.trade_floor=0.5"],
}
if __name__ == "__main__":
    N = int(sys.argv[1]); exp = sys.argv[2] if len(sys.argv) > 2 else None
    names = sys.argv[3].split(",") if len(sys.argv) > 3 else list(VARIANTS)
    out = {}
    for name in names:
        ov = VARIANTS[name] + ([f"experiment={exp}"] if exp else [])
        cfg = to_config(compose_config(["run.plots=false", *ov]))
        world = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
        sim = Simulation(cfg, world, list(range(N)))
        sim.run()
        st = sim.state; S, P = world.states, world.powers
        aff = st.affinity
        lead = aff.argmax(1)
        share = pd.DataFrame(np.stack([(lead == p).mean(-1) for p in range(len(P))], 1), index=S, columns=P)
        led = {p: round(float((lead == i).sum(0).mean()), 2) for i, p in enumerate(P)}
        partners = (aff > 0.25).sum(1)
        dislike = {p: round(float((aff[:, i] < 0).mean()), 2) for i, p in enumerate(P)}
        table = {s: " ".join(f"{p}{share.loc[s, p]:.0%}" for p in P if share.loc[s, p] >= 0.05) for s in S}
        out[name] = {"overrides": ov, "led": led, "partners_mean": round(float(partners.mean()), 2),
                     "share_states_2plus": round(float((partners >= 2).mean()), 2), "dislike": dislike,
                     "lead_table": table, "aff_mean": pd.DataFrame(aff.mean(-1), index=S, columns=P).round(2).to_dict()}
        print(f"{name:10s} led {led} partners {out[name]['partners_mean']} (>=2: {out[name]['share_states_2plus']}) dislike {dislike}", flush=True)
    tag = exp or "baseline"
    import os
    path = f"/tmp/w/ti/variants_{tag}_{N}.json"
    old = json.load(open(path)) if os.path.exists(path) else {}
    old.update(out)
    json.dump(old, open(path, "w"), indent=1)
