# ruff: noqa  (investigation scripts, not part of the package)
"""New juntas' leading partner 24 months on, and states led per power at month 36, per variant.

PYTHONPATH=$PWD python investigations/juntas/juntas.py N name,name [experiment]
(the new-junta count follows investigations/trade/newjuntas.py: coups against civilian governments in
months 1-12, leading partner at month min(coup + 23, 35) of the 0-based step list, i.e. 24 months on.)"""
import json, os, sys
from collections import Counter
import numpy as np
from sim.config import compose_config, to_config
from sim.core.simulation import Simulation
from sim.core.world import load_world, scenario_path

TU = ["effects.trade_in_utility=0.6"]
VARIANTS = {
    "main": [],
    "tu0.6": TU,
    "pt1": TU + ["effects.protection_threat=1"],
    "pt0.7": TU + ["effects.protection_threat=0.7"],
    "cp1": TU + ["effects.conditionality_pact_relief=1"],
    "hl12": TU + ["effects.conditionality_halflife_months=12"],
    "cp1hl12": TU + ["effects.conditionality_pact_relief=1", "effects.conditionality_halflife_months=12"],
    "leg0.5": TU + ["alignment.legacy_weight=0.5"],
    "leg0.7": TU + ["alignment.legacy_weight=0.7"],
    "peer1": TU + ["effects.junta_peer_openness=1"],
    "peer0.5": TU + ["effects.junta_peer_openness=0.5"],
    "hl6": TU + ["effects.conditionality_halflife_months=6"],
    "cp1hl6": TU + ["effects.conditionality_pact_relief=1", "effects.conditionality_halflife_months=6"],
    "cp1hl12peer1": TU + ["effects.conditionality_pact_relief=1", "effects.conditionality_halflife_months=12",
                          "effects.junta_peer_openness=1"],
    "cp1hl6peer1": TU + ["effects.conditionality_pact_relief=1", "effects.conditionality_halflife_months=6",
                         "effects.junta_peer_openness=1"],
    "leg0.5m48": TU + ["alignment.legacy_weight=0.5", "alignment.legacy_months=48"],
    "cp1hl12leg": TU + ["effects.conditionality_pact_relief=1", "effects.conditionality_halflife_months=12",
                        "alignment.legacy_weight=0.5", "alignment.legacy_months=48"],
}
PTG = ["effects.protection_threat=1", "effects.protection_threat_pacts=false"]
CPHL = ["effects.conditionality_pact_relief=1", "effects.conditionality_halflife_months=12"]
VARIANTS.update({
    "ptg1": TU + PTG,
    "ptg1s0": TU + PTG + ["effects.protection_threat_sanctions=0"],
    "ptg0.5": TU + ["effects.protection_threat=0.5", "effects.protection_threat_pacts=false"],
    "cphl+ptg1": TU + CPHL + PTG,
    "cphl+peer1+ptg1": TU + CPHL + PTG + ["effects.junta_peer_openness=1"],
    "cphl+peer1+leg": TU + CPHL + ["effects.junta_peer_openness=1", "alignment.legacy_weight=0.5",
                                    "alignment.legacy_months=48"],
    "cphl+peer1+jc0.8": TU + CPHL + ["effects.junta_peer_openness=1", "incentives.junta.conditionality=0.8"],
    "cphl+peer1+jp0.2": TU + CPHL + ["effects.junta_peer_openness=1", "incentives.junta.peer=0.2"],
    "cphl6+peer1": TU + ["effects.conditionality_pact_relief=1", "effects.conditionality_halflife_months=6",
                         "effects.junta_peer_openness=1"],
    "cphl+peer1+legt": TU + CPHL + ["effects.junta_peer_openness=1", "alignment.legacy_weight=0.5",
                                     "alignment.legacy_months=48", "alignment.legacy_threat=1"],
    "legt": TU + ["alignment.legacy_weight=0.5", "alignment.legacy_months=48", "alignment.legacy_threat=1"],
    "all": TU + CPHL + PTG + ["effects.junta_peer_openness=1", "alignment.legacy_weight=0.5",
                              "alignment.legacy_months=48"],
})


def run(name: str, ov: list[str], n: int, exp: str | None) -> dict:
    cfg = to_config(compose_config(["run.plots=false", *ov, *([f"experiment={exp}"] if exp else [])]))
    world = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    sim = Simulation(cfg, world, list(range(n)))
    leads, juntas = [], []
    initial = sim.state.affinity.argmax(1)
    for t in range(36):
        juntas.append(sim.state.junta.copy())
        sim.step()
        leads.append(sim.state.affinity.argmax(1))
    by_power, by_state, switched = Counter(), {}, Counter()
    for e in sim.events:
        if e.type != "coup" or e.step is None or e.step > 12 or juntas[e.step - 1][e.state, e.run]:
            continue
        p = world.powers[leads[min(e.step + 23, 35)][e.state, e.run]]
        by_power[p] += 1
        before = leads[e.step - 2][e.state, e.run] if e.step >= 2 else initial[e.state, e.run]
        if world.powers[before] != "RUS":
            switched[p] += 1
        by_state.setdefault(world.states[e.state], Counter())[p] += 1
    total = sum(by_power.values())
    lead = leads[-1]
    led = {p: round(float((lead == i).sum(0).mean()), 2) for i, p in enumerate(world.powers)}
    share = {p: round(by_power[p] / total, 3) for p in world.powers}
    n_sw = sum(switched.values())
    share_not_rus_before = {p: round(switched[p] / max(n_sw, 1), 3) for p in world.powers}
    return {"overrides": ov, "new_juntas": total, "share": share, "led": led, "not_russia_led_before": n_sw,
            "share_of_those": share_not_rus_before,
            "by_state": {s: dict(c.most_common()) for s, c in sorted(by_state.items(), key=lambda kv: -sum(kv[1].values()))}}


if __name__ == "__main__":
    n = int(sys.argv[1]); names = sys.argv[2].split(","); exp = sys.argv[3] if len(sys.argv) > 3 else None
    path = f"/tmp/w/ji/juntas_{exp or 'baseline'}_{n}.json"
    out = json.load(open(path)) if os.path.exists(path) else {}
    for name in names:
        r = run(name, VARIANTS[name], n, exp)
        out[name] = r
        print(f"{name:9s} juntas {r['new_juntas']} share {r['share']} led {r['led']}", flush=True)
        print(f"          not Russia-led before the coup: {r['not_russia_led_before']}, 24 months on: {r['share_of_those']}")
        print("          ", r["by_state"], flush=True)
    json.dump(out, open(path, "w"), indent=1)
