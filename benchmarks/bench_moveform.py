"""Benchmark of the move form's check (what the team page's live check, POST /team/check, does for
each pause in typing): load the game, replay it to the start of the current turn, build the team's
form and check its values. Timed on the docs' worked example (seed 0, examples/workshop/) at turn 1
and again at turn 3, after two turns are adjudicated (the replay grows with the turns). Prints the
median and the largest of `--repeats` checks in milliseconds. Asserts nothing.

    PYTHONPATH=. python benchmarks/bench_moveform.py [--repeats 10] [--dir /tmp/bench-moveform]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from pathlib import Path

from workshop import service
from workshop.game import Game
from workshop.moveform import check_form, form_of
from workshop.teams import team_by_name

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "workshop"
VALUES = {
    "allocate.TCD.security": "10",
    "allocate.NGA.economic": "35",
    "deploy.0.state": "BEN",
    "deploy.0.troops": "50",
    "aid.0.state": "TCD",
    "aid.0.action": "resume",
}


def check_once(g: Path) -> float:
    """Seconds for one check of the USA team's form, as the live check does it."""
    start = time.perf_counter()
    game = Game.load(g)
    sit = service.situation_now(game)
    check_form(form_of(team_by_name(game.teams, "USA"), sit), VALUES, sit, "bench")
    return time.perf_counter() - start


def report(label: str, g: Path, repeats: int) -> None:
    check_once(g)  # warm imports and caches
    times = [check_once(g) * 1000 for _ in range(repeats)]
    print(f"{label}: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms over {repeats} checks")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=10)
    ap.add_argument("--dir", default="/tmp/bench-moveform")
    a = ap.parse_args()
    g = Path(a.dir)
    shutil.rmtree(g, ignore_errors=True)
    service.create_game(g, ["USA", "RUS", "AES=MLI,BFA,NER", "ECOWAS"], turns=4, seed=0)
    report("turn 1", g, a.repeats)
    for team, name in (("USA", "usa_turn1"), ("RUS", "russia_turn1"), ("AES", "aes_turn1"), ("ECOWAS", "ecowas_turn1")):
        service.submit_file(g, team, EXAMPLES / f"{name}.yaml")
    service.adjudicate(g, 1, briefs=False)
    service.submit_file(g, "USA", EXAMPLES / "usa_turn2.yaml")
    service.submit_file(g, "ECOWAS", EXAMPLES / "ecowas_turn2.yaml")
    service.adjudicate(g, 2, briefs=False)
    report("turn 3", g, a.repeats)


if __name__ == "__main__":
    main()
