"""A synthetic world of any number of states, for measuring how the model's cost grows with the
world's size (issue 19: "cost linear in the number of states up to 100").

The baseline world (scenarios/sahel_2024.yaml) is copied state by state until `--states` states
exist. A copy keeps its original's facts (population, regime, ties, trade, insurgents, blocs) under a
new code (QAA, QAB, ...), its forces and bases, and its original's borders within the same copy of
the world; the first state of each copy borders the first state of the copy before, so the map stays
one piece. Scripted events and commitments stay with the original states only; the powers keep the
baseline's deployable troops and budgets. The result is a benchmark input, not a world anyone should read: it is written
to a file for `load_world`, never to scenarios/.

    python benchmarks/synthetic_world.py --states 54 --out /tmp/world54.yaml
"""

from __future__ import annotations

import argparse
import copy
import itertools
import string
from pathlib import Path
from typing import Any

import yaml

from sim.core.atomic import write_text_atomic
from sim.core.data_yaml import load_file
from sim.core.world import scenario_path

PREFIX = "Q"  # no state of the baseline's world has a code starting with Q


def _codes() -> itertools.chain[str]:
    """QAA, QAB, ..., QZZ: 676 new codes."""
    return (PREFIX + a + b for a, b in itertools.product(string.ascii_uppercase, repeat=2))


def synthetic_world(base: dict[str, Any], n_states: int) -> dict[str, Any]:
    """The world `base` (a parsed world file) with its states copied until there are `n_states`."""
    originals = [s["code"] for s in base["states"]]
    if any(c.startswith(PREFIX) for c in originals):
        raise ValueError(f"the base world already has codes starting with {PREFIX}")
    if n_states < len(originals):
        raise ValueError(f"at least {len(originals)} states (the base world's), not {n_states}")
    world = copy.deepcopy(base)
    world["meta"]["title"] = f"Synthetic world of {n_states} states (benchmarks/synthetic_world.py)"
    codes = _codes()
    renames: list[dict[str, str]] = []  # one mapping original -> copy per copy of the world
    added = 0
    while len(originals) + added < n_states:
        take = originals[: n_states - len(originals) - added]
        renames.append({c: next(codes) for c in take})
        added += len(take)
    by_code = {s["code"]: s for s in base["states"]}
    pairs = base["borders"]["pairs"]
    for k, rename in enumerate(renames):
        for old, new in rename.items():
            state = copy.deepcopy(by_code[old])
            state["code"], state["name"] = new, f"{state['name']} ({k + 2})"
            world["states"].append(state)
        world["borders"]["pairs"].extend([rename[a], rename[b]] for a, b in pairs if a in rename and b in rename)
        first = next(iter(rename.values()))
        before = originals[0] if k == 0 else next(iter(renames[k - 1].values()))
        world["borders"]["pairs"].append([before, first])
        for bloc in world["blocs"]:
            bloc["members"] = bloc["members"] + [rename[m] for m in bloc["members"] if m in rename]
        for group in world["insurgents"]:
            copies = {rename[s]: v for s, v in group["intensity"].items() if s in rename}
            group["intensity"] = {**group["intensity"], **copies}
        for section in ("ties", "trade", "presence", "bases"):
            world[section].extend(
                {**copy.deepcopy(rec), "state": rename[rec["state"]]}
                | ({"name": f"{rec['name']} ({k + 2})"} if section == "bases" else {})
                for rec in base[section]
                if rec["state"] in rename
            )
    return world


def write_synthetic_world(n_states: int, out: Path, base: Path | None = None) -> Path:
    """Write the synthetic world of `n_states` states made from `base` (default: the baseline's) to `out`."""
    data = load_file(base or scenario_path("sahel_2024"))
    write_text_atomic(out, yaml.safe_dump(synthetic_world(data, n_states), sort_keys=False, allow_unicode=True))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--states", type=int, default=54)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    print(write_synthetic_world(args.states, args.out))


if __name__ == "__main__":
    main()
