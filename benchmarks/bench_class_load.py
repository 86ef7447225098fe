"""Benchmark of a whole class on one server: many browser tabs on one `python -m app`, some of
them playing, and the latency of Step in one more, idle, observer tab.

One headless Chromium (Debian's, via Playwright) opens `--tabs` browser contexts (each its own
browser session, so its own run); `--playing` of them press Play (one month every 0.7 s); the
last one is the observer: it clicks Step `--steps` times (after 2 warm-up clicks), each time
waiting for the new chart and then 0.5 s, and the page's own clock measures the time from the
click until the next month's date is shown, and until the new influence-share chart has loaded.
The browser and the server share the machine, as they would on a teacher's laptop that also
shows the page.

Prints median and 90th percentile in milliseconds, with the load average before and after, and
the CPU the server used (its process and its render workers, in cores). Asserts nothing.

    python benchmarks/bench_class_load.py [--tabs 30] [--playing 8] [--steps 20] [--render-workers N]

`--render-workers` is passed to `python -m app` (omit it to use the app's default; 0 draws the
pictures inside the server's process, as before the pool existed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

BUDGET_MS = 300.0
PAUSE_S = 0.5  # between the observer's clicks: a person does not click faster than this

# In the observer page, for each click on Step: the time until the date changes and until the share
# chart's next image has loaded (the first of each after the click).
_PROBE = """() => {
  const step = [...document.querySelectorAll('button')].find(b => b.innerText.trim() === 'Step');
  const chart = document.querySelectorAll('.sahel-picture img')[1];
  const b = window.__bench = {n: 0, click: 0, date: [], chart: []};
  step.addEventListener('click', () => { b.n += 1; b.click = performance.now(); }, true);
  new MutationObserver(() => { if (b.date.length < b.n) b.date.push(performance.now() - b.click); })
    .observe(document.querySelector('.sahel-month'), {childList: true, subtree: true, characterData: true});
  chart.addEventListener('load', () => { if (b.chart.length < b.n) b.chart.push(performance.now() - b.click); });
}"""


def percentiles(ms: list[float]) -> tuple[float, float, float]:
    """(median, 90th percentile, max) of a list of milliseconds."""
    s = sorted(ms)
    return statistics.median(s), s[min(len(s) - 1, int(round(0.9 * (len(s) - 1))))], s[-1]


def _line(name: str, ms: list[float]) -> str:
    if not ms:
        return f"  {name:<42} no measurement"
    med, p90, top = percentiles(ms)
    flag = "within" if med <= BUDGET_MS else "OVER"
    return (
        f"  {name:<42} median {med:7.1f} ms   p90 {p90:7.1f} ms   max {top:7.1f} ms   "
        f"(n={len(ms)}, median {flag} {BUDGET_MS:.0f} ms)"
    )


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its live children (the render workers)."""
    try:
        import psutil
    except ImportError:
        return float("nan")
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return float("nan")
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def run(tabs: int, playing: int, steps: int, server_args: list[str]) -> None:
    """Open the tabs, start the players, time the observer's Steps and print the figures."""
    from playwright.sync_api import sync_playwright

    from app.browser import CHROMIUM, AppProcess, launch_chromium

    if not Path(CHROMIUM).exists():
        print(f"skipped: no Chromium at {CHROMIUM} (make browser)")
        return
    playing = min(playing, tabs - 1)
    print(
        f"Class on one server: {tabs} tabs ({playing} playing, 1 observer), {os.cpu_count()} cores, "
        f"python -m app {' '.join(server_args) or '(default options)'}"
    )
    print(f"  before: {_load()}")
    with tempfile.TemporaryDirectory() as home, sync_playwright() as p:
        server = AppProcess(Path(home), args=server_args, timeout_s=120)
        url = server.start()
        try:
            browser = launch_chromium(p)
            pages = []
            t = time.perf_counter()
            for _ in range(tabs):
                page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
                page.goto(url)
                page.locator(".sahel-month", has_text="Month 0").wait_for(timeout=120_000)
                pages.append(page)
            print(f"  {tabs} tabs loaded in {time.perf_counter() - t:.1f} s; {_load()}")
            for page in pages[:playing]:
                page.get_by_role("button", name="Play").click()
            time.sleep(3.0)  # the players settle into their pace
            observer = pages[-1]
            observer.locator(".sahel-picture img").nth(1).wait_for(timeout=60_000)
            observer.evaluate(_PROBE)
            step = observer.get_by_role("button", name="Step")
            warm_up = 2
            cpu0, wall0 = _cpu_seconds(server.process.pid), time.perf_counter()
            for n in range(1, steps + warm_up + 1):
                step.click()
                observer.locator(".sahel-month", has_text=f"Month {n}").wait_for(timeout=120_000)
                observer.wait_for_function(f"() => window.__bench.chart.length >= {n}", timeout=120_000)
                time.sleep(PAUSE_S)
            cores = (_cpu_seconds(server.process.pid) - cpu0) / (time.perf_counter() - wall0)
            probe = observer.evaluate("window.__bench")
            played = [int(pg.locator(".sahel-month").inner_text().split()[-1]) for pg in pages[:playing]]
            browser.close()
        finally:
            server.stop()
    print(_line("observer: click -> new date shown", probe["date"][warm_up:]))
    print(_line("observer: click -> new share chart loaded", probe["chart"][warm_up:]))
    if playing:
        print(f"  players reached months {min(played)}-{max(played)} (Play: one month per 0.7 s when on time)")
    print(f"  server CPU while timing: {cores:.2f} cores (process + render workers)")
    print(f"  after: {_load()}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tabs", type=int, default=30, help="browser contexts, the observer included")
    ap.add_argument("--playing", type=int, default=8, help="how many of them press Play")
    ap.add_argument("--steps", type=int, default=20, help="the observer's timed Steps")
    ap.add_argument("--render-workers", type=int, default=None, help="passed to python -m app")
    args = ap.parse_args()
    server_args = [] if args.render_workers is None else ["--render-workers", str(args.render_workers)]
    run(args.tabs, args.playing, args.steps, server_args)


if __name__ == "__main__":
    main()
