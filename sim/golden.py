"""Golden summaries of the baseline: a guard against silent changes of behaviour.

`python -m sim.golden --refresh` rewrites tests/golden/baseline.json after an intended change of
the rules, parameters or world; the test suite compares fresh runs with that file. Numbers are
rounded so that the summary is stable across machines.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from sim.config import compose_config
from sim.core.atomic import write_text_atomic
from sim.core.io import leading_partner_index
from sim.model import InfluenceModel

GOLDEN_PATH = Path(__file__).resolve().parent.parent / "tests" / "golden" / "baseline.json"
SEEDS = (0, 1, 2)


def baseline_summary(seed: int) -> dict[str, Any]:
    """A compact, rounded summary of one 36-month baseline run."""
    model = InfluenceModel(compose_config([f"seed={seed}", "run.plots=false", "run.summary=false"]))
    model.run()
    w, st = model.world, model.state
    lead = leading_partner_index(st.affinity)[:, 0]
    counts: dict[str, int] = {}
    for e in model.events:
        counts[e.type] = counts.get(e.type, 0) + 1
    return {
        "seed": seed,
        "events_by_type": dict(sorted(counts.items())),
        "leading_partner_end": {s: (w.powers[i] if i >= 0 else "none") for s, i in zip(w.states, lead, strict=True)},
        "juntas_end": sorted(s for s, j in zip(w.states, st.junta[:, 0], strict=True) if j),
        "mean_affinity_end": {p: round(float(st.affinity[:, k, 0].mean()), 3) for k, p in enumerate(w.powers)},
        "legitimacy_end": {s: round(float(v), 3) for s, v in zip(w.states, st.legitimacy[:, 0], strict=True)},
        "threat_end": {s: round(float(v), 3) for s, v in zip(w.states, st.threat[:, 0], strict=True)},
        "troops_end": {p: round(float(st.troops[:, k, 0].sum()), 1) for k, p in enumerate(w.powers)},
    }


def compute() -> list[dict[str, Any]]:
    return [baseline_summary(s) for s in SEEDS]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--refresh", action="store_true", help="rewrite tests/golden/baseline.json")
    args = ap.parse_args()
    summaries = compute()
    if args.refresh:
        write_text_atomic(GOLDEN_PATH, json.dumps(summaries, indent=2) + "\n")
        print(f"wrote {GOLDEN_PATH}")
    else:
        print(json.dumps(summaries, indent=2))


if __name__ == "__main__":
    main()
