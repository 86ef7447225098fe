# ruff: noqa  (investigation scripts, not part of the package)
"""Markdown tables from variants_baseline_1000.json for the report."""
import json
d = json.load(open("/tmp/w/ti/variants_baseline_1000.json"))
names = ["main", "tw0.3", "tw0.25", "tu0.6", "notrade", "ref0.2u", "floor0.3u", "bonus0.15u", "warm0.3u", "warm0.3u-l0", "tu0.4+warm0.3"]
P = ["USA", "FRA", "RUS", "CHN", "TUR"]
print("| variant | overrides | " + " | ".join(f"led {p}" for p in P) + " | partners >0.25 (mean) | states with >=2 | " + " | ".join(f"dislike {p}" for p in P) + " |")
print("|" + "---|" * (4 + 2 * len(P)))
for n in names:
    v = d[n]
    print(f"| {n} | `{' '.join(v['overrides']) or '(none)'}` | " + " | ".join(f"{v['led'][p]:.2f}" for p in P)
          + f" | {v['partners_mean']:.2f} | {v['share_states_2plus']:.0%} | " + " | ".join(f"{v['dislike'][p]:.0%}" for p in P) + " |")
print()
S = list(d["main"]["lead_table"])
sel = ["main", "tw0.3", "tw0.25", "tu0.6", "ref0.2u", "floor0.3u", "warm0.3u", "warm0.3u-l0", "tu0.4+warm0.3"]
print("| state | " + " | ".join(sel) + " |")
print("|" + "---|" * (len(sel) + 1))
for s in S:
    print(f"| {s} | " + " | ".join(d[n]["lead_table"][s].replace(" ", ", ") for n in sel) + " |")
print()
print("| state | " + " | ".join(f"CHN aff {n}" for n in sel) + " |")
print("|" + "---|" * (len(sel) + 1))
for s in S:
    print(f"| {s} | " + " | ".join(f"{d[n]['aff_mean']['CHN'][s]:.2f}" for n in sel) + " |")
