# ruff: noqa  (investigation scripts, not part of the package)
"""Summarise battery and hindcast per variant: python summarise.py NAME..."""
import sys, json, pathlib
import pandas as pd
KEY = ["china_does_not_lead_most", "no_power_dominates", "hedging_common", "turkey_not_disliked_everywhere",
       "france_leads_somewhere", "russia_keeps_aes"]
for name in sys.argv[1:]:
    d = pathlib.Path(f"/tmp/w/ti/plaus_{name}/battery.csv")
    if not d.exists():
        print(name, "battery missing"); continue
    b = pd.read_csv(d)
    c = b.result.value_counts().to_dict()
    print(f"== {name}: battery {c}")
    for _, r in b[b.result == "fail"].iterrows():
        print(f"   FAIL {r.ensemble} {r.fact} expected {r.expected} value {r.value:.3g}")
    for k in KEY:
        sub = b[b.fact == k]
        print(f"   {k}: " + ", ".join(f"{e}={v:.3g}" for e, v in zip(sub.ensemble, sub.value)))
    h = pathlib.Path(f"/tmp/w/ti/hc_{name}")
    if (h / "scores.json").exists():
        s = json.load(open(h / "scores.json"))
        print(f"   hindcast ({s['runs']} runs): Brier {s['brier']:.4f} AUC {s['auc']:.3f} skill_vs_base {s['skill_vs_base_rate']:.3f}")
        print("   by kind:", "; ".join(f"{k['type']}{('-'+k['power']) if k['power'] else ''}{('-'+k['bloc']) if k['bloc'] else ''}: {k.get('brier', float('nan')):.4f}" for k in s["by_kind"]))
