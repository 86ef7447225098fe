"""Benchmark of the classroom app's responsiveness: how long one Step takes to update the page.

1. Server side, in-process (solara.render, no browser): one click on Step = one model month +
   the re-render of the page, including the map PNG and the two charts' data (the browser draws
   the charts, app/linechart.vue); with a breakdown.
2. Browser round trip: `python -m app` in a subprocess and Debian's headless Chromium; measured
   in the page with the browser's clock, from the click on Step until the next month's date is
   shown and until the influence-share chart (redrawn every month) shows the new month;
   and, for comparison, the wall clock of Playwright's click() plus its waits, which adds
   Playwright's own checks and polling.

Prints median and 90th percentile in milliseconds; the budget is 300 ms. Asserts nothing.
`--profile` also runs the in-process Step clicks under cProfile and prints where their time goes:
Solara's re-render (reconciling the page's elements and widgets, setting the widgets' properties),
the model's month, the map and the charts' data; how many render passes, elements and widgets a
click touches, and which of the app's components a click runs again (these counts do not depend on
the machine). In-process (solara.render, no kernel) each component that reads the step counter is
re-rendered in a pass of its own; the server batches a change's listeners per browser tab (its
kernel) into one pass, so these counts are an upper bound of the server's.

The in-process page uses the renderer the server uses (reacton's fast one, app.server.FAST_RENDERER_ENV);
`--renderer default` measures it with reacton's default renderer instead (REACTON_FAST=0).

    python benchmarks/bench_app.py [--steps 20] [--no-browser] [--profile] [--renderer fast|default]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import ipyvuetify as v
import solara

from app.server import FAST_RENDERER_ENV

BUDGET_MS = 300.0


def _summary(name: str, seconds: list[float]) -> None:
    ms = sorted(1000 * s for s in seconds)
    p90 = ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]
    flag = "within" if p90 <= BUDGET_MS else "OVER"
    print(
        f"  {name:<50} median {statistics.median(ms):7.1f} ms   p90 {p90:7.1f} ms   "
        f"max {ms[-1]:7.1f} ms   (n={len(ms)}, {flag} {BUDGET_MS:.0f} ms at p90)"
    )


#: What a Step click does, as (label, file ending, function) of the functions whose cumulative time
#: the profile reports (recursive calls counted once, as pstats does).
PARTS = (
    ("Solara's re-render: reconcile the page's elements with their widgets", "reacton/core.py", "_reconsolidate"),
    ("  of which: set the widgets' properties (traitlets, and their messages)", "traitlets/traitlets.py", "__set__"),
    ("one model month and its influence shares (RunSession.step)", "app/session.py", "step"),
    ("the map PNG (FrameMaker.map; reused when unchanged)", "app/frames.py", "map"),
    ("the two charts' data for the browser (chart_series)", "app/chartdata.py", "chart_series"),
)
#: Counts per click: (label, file ending, function) whose number of calls is reported.
COUNTS = (
    ("page elements reconciled", "reacton/core.py", "_reconsolidate"),
    ("widgets updated", "reacton/core.py", "_update_widget"),
    ("widget properties set", "traitlets/traitlets.py", "__set__"),
)


def component_runs() -> dict[str, int]:
    """How many times each of the app's components (app/*.py) has run so far, by name."""
    import gc

    from reacton.core import ComponentFunction

    runs: dict[str, int] = {}
    for obj in gc.get_objects():
        if isinstance(obj, ComponentFunction) and obj.f.__module__.startswith("app."):
            runs[obj.name] = runs.get(obj.name, 0) + obj.render_count
    return runs


def profile_steps(steps: int) -> None:
    """Step clicks on a page rendered in this process, under cProfile: where a click's time goes."""
    import cProfile
    import pstats

    from app.page import Page

    _, rc = solara.render(Page(), handle_error=False)
    button = rc.find(v.Btn, children=["Step"]).widget
    for _ in range(2):
        button.click()
    runs_before = component_runs()
    passes = []  # the render passes of the clicks (cProfile miscounts these nested calls)
    render_once = type(rc)._render_once

    def counted(self, *args, **kwargs):
        passes.append(1)
        return render_once(self, *args, **kwargs)

    type(rc)._render_once = counted
    profiler = cProfile.Profile()
    profiler.enable()
    t = time.perf_counter()
    for _ in range(steps):
        button.click()
    wall = time.perf_counter() - t
    profiler.disable()
    type(rc)._render_once = render_once
    runs = {name: (n - runs_before.get(name, 0)) / steps for name, n in component_runs().items()}
    rc.close()
    stats = pstats.Stats(profiler).stats

    def entry(file_end: str, name: str) -> tuple[int, float]:
        """(calls, cumulative seconds) of a function (the largest such entry)."""
        found = [(nc, cum) for (f, _, n), (_, nc, _, cum, _) in stats.items() if f.endswith(file_end) and n == name]
        return max(found, key=lambda x: x[1], default=(0, 0.0))

    print(
        f"Profile of {steps} Step clicks in-process (cProfile; {1000 * wall / steps:.0f} ms a click with the "
        "profiler's overhead), cumulative time a click:"
    )
    listed = 0.0
    for label, file_end, name in PARTS:
        calls, cum = entry(file_end, name)
        listed += 0.0 if label.startswith("  ") else cum
        print(f"  {label:<75} {1000 * cum / steps:7.1f} ms  ({100 * cum / wall:4.1f}%)")
    rest = wall - listed
    print(
        f"  {'the rest: the page components run again, Solara events, the test harness':<75} "
        f"{1000 * rest / steps:7.1f} ms  ({100 * rest / wall:4.1f}%)"
    )
    label = "render passes (in-process: one per component reading the step counter)"
    print(f"  {label + ' a click':<75} {len(passes) / steps:7.1f}")
    for label, file_end, name in COUNTS:
        print(f"  {label + ' a click':<75} {entry(file_end, name)[0] / steps:7.0f}")
    ran = sorted((name for name, n in runs.items() if n), key=lambda name: (-runs[name], name))
    print(f"  {'components of the app run a click':<75} {sum(runs.values()):7.0f}")
    print("    " + ", ".join(f"{name} {runs[name]:g}" for name in ran))


def _timed(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def server_side(steps: int) -> None:
    """Step clicks on a page rendered in this process, and the parts of one step."""
    from app.chartdata import AFFINITY, SHARE, chart_series
    from app.frames import FrameMaker
    from app.page import Page
    from app.session import RunSession

    print("Server side (in-process, solara.render; model month + page re-render with the map PNG):")
    _, rc = solara.render(Page(), handle_error=False)
    button = rc.find(v.Btn, children=["Step"]).widget
    for _ in range(2):  # warm-up
        button.click()
    _summary("Step click -> page re-rendered", _timed(button.click, steps))
    rc.close()

    session = RunSession()
    maker = FrameMaker(session)
    maker.map()
    _summary("  of which: one model month (+ share history)", _timed(session.step, steps))
    _summary("  of which: map PNG (reused when the map is unchanged)", _timed(maker.map, steps))
    _summary(
        "  of which: the two charts' data for the browser",
        _timed(
            lambda: (
                chart_series(SHARE, session.world, session.share_history()),
                chart_series(AFFINITY, session.world, session.affinity_history("NER"), state_name="Niger"),
            ),
            steps,
        ),
    )
    _summary("  (a download: influence-share chart PNG)", _timed(maker.share, steps))


# In the page: the time of the click on Step, of the date's change and of the share chart's next
# month having been drawn (its SVG's data-months), from the browser's own clock (no Playwright
# overhead in between).
_PROBE = """() => {
  const step = [...document.querySelectorAll('button')].find(b => b.innerText.trim() === 'Step');
  const chart = document.querySelector('.sahel-linechart[data-kind=share]');
  window.__bench = {click: 0, date: [], chart: []};
  step.addEventListener('click', () => { window.__bench.click = performance.now(); }, true);
  new MutationObserver(() => window.__bench.date.push(performance.now() - window.__bench.click))
    .observe(document.querySelector('.sahel-month'), {childList: true, subtree: true, characterData: true});
  new MutationObserver(() => window.__bench.chart.push(performance.now() - window.__bench.click))
    .observe(chart, {attributes: true, attributeFilter: ['data-months']});
}"""


def browser_round_trip(steps: int) -> None:
    """Step clicks in headless Chromium against a server in a subprocess."""
    from playwright.sync_api import sync_playwright

    from app.browser import CHROMIUM, app_server, launch_chromium

    if not Path(CHROMIUM).exists():
        print(f"Browser round trip: skipped, no Chromium at {CHROMIUM} (make browser)")
        return
    print("Browser round trip (python -m app + headless Chromium via Playwright):")
    with tempfile.TemporaryDirectory() as home, app_server(Path(home)) as url, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        t = time.perf_counter()
        page.goto(url)
        page.locator(".sahel-date", has_text="May 2024").wait_for(timeout=90_000)
        page.locator(".sahel-linechart[data-kind=affinity]").wait_for(timeout=30_000)
        print(f"  {'first load until the page shows its date':<50} {1000 * (time.perf_counter() - t):7.1f} ms")
        page.evaluate(_PROBE)
        step = page.get_by_role("button", name="Step")
        warm_up = 2
        wall, date_ms, chart_ms = [], [], []
        for n in range(1, steps + warm_up + 1):
            t = time.perf_counter()
            step.click()
            page.locator(".sahel-month", has_text=f"Month {n}").wait_for()
            page.wait_for_function(f"() => window.__bench.chart.length >= {n}", polling="raf")
            if n > warm_up:
                wall.append(time.perf_counter() - t)
            time.sleep(0.2)  # a person does not click faster than this
        probe = page.evaluate("window.__bench")
        date_ms, chart_ms = probe["date"][warm_up:], probe["chart"][warm_up:]
        browser.close()
    _summary("in the page: click -> new date shown", [x / 1000 for x in date_ms])
    _summary("in the page: click -> new share chart drawn", [x / 1000 for x in chart_ms])
    _summary("Playwright: click() + wait for both (wall clock)", wall)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=20, help="timed steps per measurement")
    ap.add_argument("--no-browser", action="store_true", help="only the in-process measurement")
    ap.add_argument("--profile", action="store_true", help="also profile the in-process Step clicks")
    ap.add_argument(
        "--renderer",
        choices=("fast", "default"),
        default="fast",
        help="reacton's renderer for the in-process page: the server's (fast) or reacton's default",
    )
    args = ap.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    if args.renderer == "fast":
        os.environ.update(FAST_RENDERER_ENV)
    else:
        os.environ["REACTON_FAST"] = "0"
    print(
        f"Classroom app step latency: {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, {args.steps} steps, reacton's {args.renderer} renderer in-process, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    server_side(args.steps)
    if args.profile:
        profile_steps(args.steps)
    if not args.no_browser:
        browser_round_trip(args.steps)


if __name__ == "__main__":
    main()
