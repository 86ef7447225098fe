"""Benchmark of adjudicating a workshop turn, in one process with warm imports: the docs' worked
example (docs/workshop.md, seed 0, the moves of examples/workshop/) is played to turn 2, then turn 2
is undone and adjudicated again `--repeats` times with its briefs (the first time draws every chart,
later times reuse the charts kept for the same history), once without briefs, and its briefs are
written again. Prints seconds. Asserts nothing.

    PYTHONPATH=. python benchmarks/bench_workshop.py [--repeats 3] [--dir /tmp/bench-workshop]
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from workshop import service

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "workshop"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--dir", default="/tmp/bench-workshop")
    a = ap.parse_args()
    g = Path(a.dir)
    shutil.rmtree(g, ignore_errors=True)
    service.create_game(g, ["USA", "RUS", "AES=MLI,BFA,NER", "ECOWAS"], turns=4, seed=0)
    for team, name in (("USA", "usa_turn1"), ("RUS", "russia_turn1"), ("AES", "aes_turn1"), ("ECOWAS", "ecowas_turn1")):
        service.submit_file(g, team, EXAMPLES / f"{name}.yaml")
    service.schedule_inject(g, 2, "coup", "TCD")
    service.adjudicate(g, 1, briefs=False)
    service.submit_file(g, "USA", EXAMPLES / "usa_turn2.yaml")
    service.submit_file(g, "ECOWAS", EXAMPLES / "ecowas_turn2.yaml")
    service.adjudicate(g, 2, briefs=False)
    times = []
    for _ in range(a.repeats):
        service.undo(g, 2)
        t = time.perf_counter()
        service.adjudicate(g, 2)
        times.append(time.perf_counter() - t)
    service.undo(g, 2)
    t = time.perf_counter()
    service.adjudicate(g, 2, briefs=False)
    bare = time.perf_counter() - t
    t = time.perf_counter()
    service.write_briefs(g, 2)
    again = time.perf_counter() - t
    print(f"adjudicate turn 2 with briefs: {', '.join(f'{x:.2f}' for x in times)} s (first draws every chart)")
    print(f"adjudicate turn 2 without briefs: {bare:.2f} s; briefs of turn 2 written again: {again:.2f} s")


if __name__ == "__main__":
    main()
