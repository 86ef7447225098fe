"""Benchmark of a class session's costs, in one process with warm imports: what a group's tab adds
to each Step (summarising its run and publishing it to the registry, app/runsummary.py and
app/classroom.py) at months 36 and 600 of the baseline, and what the projector view pays to replay
a group's run to month 36 (app/classpage.py `catch_up`). Prints medians. Asserts nothing.

    PYTHONPATH=. python benchmarks/bench_class.py [--publishes 200] [--replays 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from app.classpage import catch_up
from app.classroom import Classroom
from app.runsummary import summarize
from app.session import RunSession

MONTHS = (36, 600)
REPLAY_MONTH = 36


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--publishes", type=int, default=200)
    ap.add_argument("--replays", type=int, default=3)
    a = ap.parse_args()
    reg = Classroom()
    code, _, _ = reg.start()
    token = reg.join(code, "A")
    run = RunSession()
    for month in MONTHS:
        run.step(month - run.month)
        times = []
        for _ in range(a.publishes):
            start = time.perf_counter()
            reg.publish(code, "A", token, summarize(run))
            times.append(time.perf_counter() - start)
        print(
            f"summarise and publish at month {month} ({len(run.model.events)} events): "
            f"{1000 * statistics.median(times):.2f} ms (median of {a.publishes})"
        )
    group = RunSession()
    group.step(REPLAY_MONTH)
    published = summarize(group)
    times = []
    for _ in range(a.replays):
        start = time.perf_counter()
        catch_up(None, published)
        times.append(time.perf_counter() - start)
    print(f"projector replay to month {REPLAY_MONTH}: {statistics.median(times):.2f} s (median of {a.replays})")


if __name__ == "__main__":
    main()
